/**
 * Initial JavaScript of a route in the built SPA: the static-import closure of Kit's start and
 * app entries, the root layout and the route's page node (what the browser must fetch and run
 * before first paint). Dynamic imports (supabase-js, Chart.js) are excluded by construction and
 * reported separately so a regression that pulls them into the first paint is visible.
 */
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const OUT = '.svelte-kit/output/client';

interface ManifestChunk {
	file: string;
	imports?: string[];
	dynamicImports?: string[];
	isEntry?: boolean;
	src?: string;
}

export interface RouteBundle {
	route: string;
	files: string[];
	rawBytes: number;
	gzipBytes: number;
	/** Names of forbidden libraries found in the initial closure. */
	forbidden: string[];
}

export function routeInitialJs(route: string, forbiddenPatterns: RegExp[] = []): RouteBundle {
	const manifestPath = join(OUT, '.vite/manifest.json');
	if (!existsSync(manifestPath)) throw new Error('No build found: run `npm run build` first.');
	const manifest: Record<string, ManifestChunk> = JSON.parse(readFileSync(manifestPath, 'utf8'));
	const appSrc = readFileSync('.svelte-kit/generated/client-optimized/app.js', 'utf8');
	const dictMatch = appSrc.match(/dictionary = (\{[\s\S]*?\});/);
	if (!dictMatch) throw new Error('Cannot read the route dictionary of the build.');
	const dictionary: Record<string, unknown[]> = JSON.parse(dictMatch[1]);
	const entry = dictionary[route];
	if (!entry)
		throw new Error(
			`Route ${route} is not in the build (routes: ${Object.keys(dictionary).join(', ')})`
		);
	const leaf = Math.abs(Number(entry[0]));
	const layouts = Array.isArray(entry[1]) ? (entry[1] as number[]).map((n) => Math.abs(n)) : [0];
	const roots = [
		'node_modules/@sveltejs/kit/src/runtime/client/entry.js',
		'.svelte-kit/generated/client-optimized/app.js',
		...new Set([0, ...layouts]).values()
	].map((r) =>
		typeof r === 'number' ? `.svelte-kit/generated/client-optimized/nodes/${r}.js` : r
	);
	roots.push(`.svelte-kit/generated/client-optimized/nodes/${leaf}.js`);

	const seen = new Set<string>();
	const visit = (key: string) => {
		if (seen.has(key)) return;
		const chunk = manifest[key];
		if (!chunk) throw new Error(`Chunk ${key} missing from the Vite manifest`);
		seen.add(key);
		for (const i of chunk.imports ?? []) visit(i);
	};
	roots.forEach(visit);

	let rawBytes = 0;
	let gzipBytes = 0;
	const files: string[] = [];
	const forbidden = new Set<string>();
	for (const key of seen) {
		const file = manifest[key].file;
		const buf = readFileSync(join(OUT, file));
		files.push(file);
		rawBytes += buf.length;
		gzipBytes += gzipSync(buf, { level: 9 }).length;
		const text = buf.toString('utf8');
		for (const p of forbiddenPatterns) if (p.test(text) || p.test(key)) forbidden.add(p.source);
	}
	return { route, files, rawBytes, gzipBytes, forbidden: [...forbidden] };
}
