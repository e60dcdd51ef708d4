/**
 * A small static server for the built SPA (`build/`), used by `npm run preview` and Playwright.
 * `vite preview` does not serve adapter-static's fallback, so this does: unknown paths get
 * 200.html, like the static hosts the app is deployed to.
 *
 * Runtime configuration: the app reads `/config.json` (`{ supabaseUrl, anonKey }`) at start
 * (src/lib/supabase/config.ts). This server answers it from, in order: the `config` option,
 * `build/config.json` if a deployment put one there, or PUBLIC_SUPABASE_URL and
 * PUBLIC_SUPABASE_ANON_KEY from the environment. Production hosts ship a config.json beside the
 * build instead.
 *
 * Security headers: every response carries the headers `build/_headers` gives its path, as
 * Netlify and Cloudflare Pages would send them (the build writes that file, see
 * src/lib/security/). The one per-deployment part, connect-src, is pointed at the backend this
 * server's /config.json names, the same change `npm run headers` makes for a city.
 *
 * CLI: tsx tests/tools/serve-build.ts [--port 4173] [--host 127.0.0.1] [--root build]
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
	headersFor,
	parseHeadersFile,
	withSupabaseUrl,
	type THeaderRule
} from '../../src/lib/security/headers';

// Every static host and CDN a city would use compresses text; so does this server, or the
// Lighthouse figures would measure raw bytes no resident ever downloads.
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.webmanifest', '.txt']);
const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();

async function gzipFile(file: string): Promise<Buffer> {
	const { mtimeMs } = await stat(file);
	const hit = gzipped.get(file);
	if (hit && hit.mtimeMs === mtimeMs) return hit.body;
	const body = gzipSync(await readFile(file), { level: 9 });
	gzipped.set(file, { mtimeMs, body });
	return body;
}

export interface TServeOptions {
	root?: string;
	port?: number;
	host?: string;
	config?: { supabaseUrl: string; anonKey: string } | null;
	/**
	 * Browser tests only: `POST /__test__/new-version` makes /service-worker.js differ by a
	 * comment, which the browser sees as a new deployment (update prompt tests).
	 */
	testHooks?: boolean;
}

export interface TServer {
	url: string;
	server: Server;
	close(): Promise<void>;
}

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json',
	'.png': 'image/png',
	'.svg': 'image/svg+xml',
	'.ico': 'image/x-icon',
	'.woff2': 'font/woff2',
	'.txt': 'text/plain; charset=utf-8',
	'.map': 'application/json'
};

async function isFile(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isFile();
	} catch {
		return false;
	}
}

export async function serveBuild(options: TServeOptions = {}): Promise<TServer> {
	const here = fileURLToPath(new URL('.', import.meta.url));
	const root = resolve(options.root ?? join(here, '..', '..', 'build'));
	const host = options.host ?? '127.0.0.1';
	const fallback = join(root, '200.html');
	if (!(await isFile(fallback)))
		throw new Error(`No build found at ${root} (run npm run build first).`);

	const headersFile = join(root, '_headers');
	if (!(await isFile(headersFile)))
		throw new Error(`No ${headersFile}: rebuild with npm run build (it writes the header files).`);
	const generatedRules = parseHeadersFile(await readFile(headersFile, 'utf8'));

	const envConfig =
		process.env.PUBLIC_SUPABASE_URL && process.env.PUBLIC_SUPABASE_ANON_KEY
			? {
					supabaseUrl: process.env.PUBLIC_SUPABASE_URL,
					anonKey: process.env.PUBLIC_SUPABASE_ANON_KEY
				}
			: null;

	// connect-src for the backend /config.json names (fixed for the server's lifetime, except a
	// build/config.json, which is read per request like the answer itself).
	const rulesFor = async (): Promise<THeaderRule[]> => {
		const fileConfig = join(root, 'config.json');
		const supabaseUrl =
			options.config?.supabaseUrl ??
			((await isFile(fileConfig))
				? (JSON.parse(await readFile(fileConfig, 'utf8')) as { supabaseUrl?: string }).supabaseUrl
				: envConfig?.supabaseUrl);
		return supabaseUrl ? withSupabaseUrl(generatedRules, supabaseUrl) : generatedRules;
	};

	let deployment = 0;
	const server = createServer(async (req, res) => {
		try {
			const url = new URL(req.url ?? '/', 'http://localhost');
			const pathname = decodeURIComponent(url.pathname);
			const hostHeaders = headersFor(await rulesFor(), pathname);
			for (const [name, value] of Object.entries(hostHeaders)) res.setHeader(name, value);
			if (options.testHooks && req.method === 'POST' && pathname === '/__test__/new-version') {
				deployment++;
				res.writeHead(204).end();
				return;
			}
			if (req.method !== 'GET' && req.method !== 'HEAD') {
				res.writeHead(405, { allow: 'GET, HEAD' }).end();
				return;
			}
			if (pathname === '/config.json') {
				const fileConfig = join(root, 'config.json');
				const body = options.config
					? JSON.stringify(options.config)
					: (await isFile(fileConfig))
						? await readFile(fileConfig, 'utf8')
						: envConfig
							? JSON.stringify(envConfig)
							: null;
				if (!body) {
					res
						.writeHead(404, { 'content-type': 'application/json', 'cache-control': 'no-store' })
						.end('{}');
					return;
				}
				res
					.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' })
					.end(body);
				return;
			}
			let file = normalize(join(root, pathname));
			if (file !== root && !file.startsWith(root + sep)) {
				res.writeHead(403).end();
				return;
			}
			// Host configuration, read by the host and never served (as on Netlify and Cloudflare).
			if (pathname === '/_headers' || pathname === '/vercel.json') {
				res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
				return;
			}
			if (!(await isFile(file))) {
				// Missing assets under /_app are real 404s; everything else is an SPA route.
				if (pathname.startsWith('/_app/') || extname(pathname) !== '') {
					res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
					return;
				}
				file = fallback;
			}
			if (deployment > 0 && pathname === '/service-worker.js') {
				const body = `${await readFile(file, 'utf8')}\n// test deployment ${deployment}\n`;
				res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'no-cache' });
				res.end(req.method === 'HEAD' ? undefined : body);
				return;
			}
			const headers: Record<string, string> = {
				'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
				// _headers caches /_app/immutable/* for a year; the rest is revalidated.
				'cache-control': hostHeaders['Cache-Control'] ?? 'no-cache'
			};
			if (
				COMPRESSIBLE.has(extname(file)) &&
				/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
			) {
				const body = await gzipFile(file);
				res.writeHead(200, {
					...headers,
					'content-encoding': 'gzip',
					vary: 'accept-encoding',
					'content-length': String(body.length)
				});
				res.end(req.method === 'HEAD' ? undefined : body);
				return;
			}
			res.writeHead(200, headers);
			if (req.method === 'HEAD') res.end();
			else createReadStream(file).pipe(res);
		} catch (err) {
			res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
		}
	});

	await new Promise<void>((ok, fail) => {
		server.once('error', fail);
		server.listen(options.port ?? 0, host, () => ok());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://${host}:${port}`,
		server,
		close: () =>
			new Promise<void>((ok) => {
				server.closeAllConnections();
				server.close(() => ok());
			})
	};
}

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i > -1 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { url } = await serveBuild({
		port: Number(arg('port') ?? process.env.PORT ?? 4173),
		host: arg('host'),
		root: arg('root')
	});
	console.log(
		`Serving build/ at ${url} (SPA fallback 200.html; /config.json from env or build/config.json; headers from build/_headers)`
	);
}
