/**
 * `npm run preview`: the production build (`build/`, from `npm run build`) served the way a
 * static host serves it — service worker, so the app works offline, the SPA fallback and the
 * security headers of `build/_headers` (tests/tools/serve-build.ts) — with a backend.
 *
 * Which backend: `build/config.json` if a deployment put one there, else PUBLIC_SUPABASE_URL and
 * PUBLIC_SUPABASE_ANON_KEY from the environment, else (like `npm run dev`) the embedded backend
 * started in this process on the same data as `npm run dev` (so stop `npm run dev` first), and
 * the app's `/config.json` names it. Ctrl-C stops both.
 *
 * Ports: PORT (default 4173) or `--port N` for the app, LOCAL_BACKEND_PORT (default 54321) for
 * the embedded backend.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveBuild } from '../../tests/tools/serve-build';
import { openConfiguredDb, printBanner } from './cli';
import { startLocalBackend, type LocalBackend } from './server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i > -1 ? process.argv[i + 1] : undefined;
}

async function main() {
	const buildDir = path.resolve(arg('root') ?? path.join(root, 'build'));
	if (!existsSync(path.join(buildDir, '200.html')))
		throw new Error(`No build found at ${buildDir}: run npm run build first.`);
	let backend: LocalBackend | undefined;
	let closeDb: (() => Promise<void>) | undefined;
	const configured =
		existsSync(path.join(buildDir, 'config.json')) ||
		Boolean(process.env.PUBLIC_SUPABASE_URL && process.env.PUBLIC_SUPABASE_ANON_KEY);
	if (!configured) {
		const { db, where } = await openConfiguredDb(false);
		closeDb = () => db.close();
		backend = await startLocalBackend({
			db,
			port: Number(process.env.LOCAL_BACKEND_PORT ?? 54321)
		});
		await printBanner(backend, where);
	}
	const web = await serveBuild({
		root: buildDir,
		port: Number(arg('port') ?? process.env.PORT ?? 4173),
		host: arg('host'),
		config: backend ? { supabaseUrl: backend.url, anonKey: backend.anonKey } : undefined
	});
	console.log(
		`The built app: ${web.url} (backend: ${backend ? backend.url : 'from build/config.json or PUBLIC_SUPABASE_URL'}). ` +
			'Open it once online, then go offline (DevTools → Network → Offline) and reload.'
	);
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await web.close().catch(() => {});
		await backend?.stop().catch(() => {});
		await closeDb?.().catch(() => {});
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
