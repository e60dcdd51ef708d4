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
	// Resident routes must not carry supabase-js or Chart.js in their first paint; the staff area
	// signs in on its first screen, so supabase-js is expected there and not flagged.
	const routes: [string, number | undefined, boolean][] = [
		['/s/[slug]', 90, true],
		['/scorecard', undefined, true],
		['/meetings', undefined, true],
		['/meetings/[id]', undefined, true],
		['/staff', undefined, false]
	];
	for (const [route, budgetKiB, resident] of routes) {
		const b = routeInitialJs(route, resident ? FORBIDDEN : []);
		record({
			name: `initial JS ${route}`,
			value: b.gzipBytes / 1024,
			unit: 'KiB gz',
			baseline: { name: 'home page /', value: home.gzipBytes / 1024 },
			budget: budgetKiB ? { max: budgetKiB } : undefined,
			note: `${b.files.length} files, ${(b.rawBytes / 1024).toFixed(1)} KiB raw${b.forbidden.length ? `; FORBIDDEN libraries in first paint: ${b.forbidden.join(', ')}` : ''}`
		});
		if (resident && b.forbidden.length) {
			record({
				name: `supabase-js/Chart.js in ${route} first paint`,
				value: b.forbidden.length,
				unit: 'libs',
				budget: { max: 0 }
			});
		}
	}
}
