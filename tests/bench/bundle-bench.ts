import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { record } from './harness';
import { routeInitialJs } from './bundle';

const FORBIDDEN = [/@supabase\/|supabase-js|GoTrueClient/, /chart\.js|Chart\.register/];

export async function run(): Promise<void> {
	if (!existsSync('.svelte-kit/output/client/.vite/manifest.json') || process.env.BENCH_REBUILD) {
		console.log('  (building the app first: npm run build)');
		execSync('npm run build', { stdio: 'ignore' });
	}
	// Baseline: the home page, the smallest route every visitor loads anyway.
	const home = routeInitialJs('/');
	const routes: [string, number | undefined][] = [
		['/s/[slug]', 90],
		['/scorecard', undefined],
		['/staff', undefined],
		['/meetings/[id]', undefined]
	];
	for (const [route, budgetKiB] of routes) {
		const b = routeInitialJs(route, FORBIDDEN);
		record({
			name: `initial JS ${route}`,
			value: b.gzipBytes / 1024,
			unit: 'KiB gz',
			baseline: { name: 'home page /', value: home.gzipBytes / 1024 },
			budget: budgetKiB ? { max: budgetKiB } : undefined,
			note: `${b.files.length} files, ${(b.rawBytes / 1024).toFixed(1)} KiB raw${b.forbidden.length ? `; FORBIDDEN libraries in first paint: ${b.forbidden.join(', ')}` : ''}`
		});
		if (route === '/s/[slug]' && b.forbidden.length) {
			record({
				name: 'supabase-js/Chart.js in /s/[slug] first paint',
				value: b.forbidden.length,
				unit: 'libs',
				budget: { max: 0 }
			});
		}
	}
}
