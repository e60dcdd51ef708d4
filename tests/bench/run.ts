/**
 * `npm run bench`: every benchmark of the project, one after the other, in one process.
 * Usage: npm run bench [-- --only bundle,submit,...]
 */
import { summary, section } from './harness';

const only = (() => {
	const i = process.argv.indexOf('--only');
	return i >= 0 ? new Set(process.argv[i + 1].split(',')) : null;
})();

const suites: { name: string; title: string; load: () => Promise<{ run: () => Promise<void> }> }[] =
	[
		{
			name: 'bundle',
			title: 'Initial JavaScript per route (gzip, level 9)',
			load: () => import('./bundle-bench')
		},
		{
			name: 'submit',
			title: 'submit_responses through the embedded backend',
			load: () => import('./submit-bench')
		},
		{
			name: 'sync',
			title: 'Sync 1,000 queued responses (outbox → embedded backend)',
			load: () => import('./sync-bench')
		},
		{
			name: 'lighthouse',
			title: 'Lighthouse mobile, local build',
			load: () => import('./lighthouse-bench')
		},
		{
			name: 'load',
			title:
				'Load on PostgreSQL 15: 200 residents submitting, 1,000 attendees polling a live meeting',
			load: () => import('./load-bench')
		},
		{
			name: 'scores',
			title: 'question_scores, public_scorecard and staff_scorecard with 1,000,000 answers',
			load: () => import('./scores-bench')
		},
		{
			name: 'stuffing',
			title: 'Ballot stuffing of an open-link wave: one script, fresh anonymous sessions',
			load: () => import('./stuffing-bench')
		}
	];

for (const s of suites) {
	if (only && !only.has(s.name)) continue;
	section(s.title);
	const mod = await s.load();
	await mod.run();
}
process.exit(summary());
