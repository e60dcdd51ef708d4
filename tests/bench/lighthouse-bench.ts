/**
 * Lighthouse (12.8, mobile: default form factor and simulated throttling) on the LOCAL BUILD of
 * the survey route `/s/resident-survey`, served by the browser-test stack (tests/e2e/helpers/
 * stack.ts: embedded backend + static server of build/). Baseline in the same run: the home page
 * `/`, scored the same way. Budgets from issue 3: performance ≥ 0.95, accessibility 1.0, best
 * practices ≥ 0.95. When a score is under budget, the audits that cost points are printed with
 * the elements they point at, so fixes can be routed.
 *
 * Offline by construction: Chromium resolves every host except localhost/127.0.0.1 to NOTFOUND,
 * so neither Chromium nor Lighthouse can reach the internet; an audit that would need it shows up
 * as an error in the printout. Lighthouse's scores vary from run to run, so each page is scored
 * BENCH_LH_RUNS times (default 3) and the median run (by performance) is recorded.
 *
 * If Lighthouse or Chromium cannot run here, the suite prints the exact error and records nothing.
 * Each run gets a fresh Chromium (fresh profile), so nothing cached or stored carries over.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { record } from './harness';

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
	'--headless=new',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	// No network except this machine: anything else fails to resolve instead of being fetched.
	'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
];
const RUNS = Math.max(1, Number(process.env.BENCH_LH_RUNS ?? 3));
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
type TCategory = (typeof CATEGORIES)[number];
const BUDGET: Record<TCategory, number> = {
	performance: 0.95,
	accessibility: 1,
	'best-practices': 0.95
};

/* Minimal shapes of the Lighthouse result we read (the package's own types are not exported
   for a tsx run without its type build). */
interface TAuditItem {
	node?: { selector?: string; snippet?: string; nodeLabel?: string };
	url?: string;
	source?: { url?: string };
	description?: string;
	[k: string]: unknown;
}
interface TAudit {
	id: string;
	title: string;
	score: number | null;
	scoreDisplayMode: string;
	displayValue?: string;
	errorMessage?: string;
	details?: { type?: string; items?: TAuditItem[] };
}
interface TLhr {
	lighthouseVersion: string;
	runtimeError?: { code: string; message: string };
	runWarnings: string[];
	environment: { benchmarkIndex: number };
	categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
	audits: Record<string, TAudit>;
}

function nodeLabel(n: NonNullable<TAuditItem['node']>): string {
	const snippet = (n.snippet ?? '').replace(/\s+/g, ' ').slice(0, 140);
	const label = n.nodeLabel ? ` "${n.nodeLabel.replace(/\s+/g, ' ').slice(0, 60)}"` : '';
	return `${n.selector ?? ''}${label} ${snippet}`.trim();
}

/** One readable line per item: the element, the URL, or the figure; nested tables are opened. */
function itemLabels(it: TAuditItem): string[] {
	if (it.node) return [nodeLabel(it.node)];
	if (typeof it.url === 'string')
		return [
			`${it.url}${typeof it.wastedBytes === 'number' ? ` (${Math.round(it.wastedBytes / 1024)} KiB)` : ''}`
		];
	if (it.source?.url) return [it.source.url];
	if (typeof it.groupLabel === 'string' && typeof it.duration === 'number')
		return [`${it.groupLabel} ${Math.round(it.duration)} ms`];
	if (typeof it.phase === 'string')
		return [`${it.phase}: ${String(it.timing ?? '')} ms (${String(it.percent ?? '')})`];
	if (it.type === 'table' && Array.isArray(it.items))
		return (it.items as TAuditItem[]).flatMap(itemLabels);
	return []; // charts, network trees and other structured details: see the HTML report
}

/** The audits that cost points in a category, with what they point at. */
function losingAudits(lhr: TLhr, category: TCategory): string[] {
	const lines: string[] = [];
	for (const ref of lhr.categories[category].auditRefs) {
		const a = lhr.audits[ref.id];
		if (!a) continue;
		if (a.scoreDisplayMode === 'error') {
			lines.push(`ERROR ${a.title} [${a.id}]: ${a.errorMessage ?? 'no message'}`);
			continue;
		}
		if (a.score === null || a.score >= (a.scoreDisplayMode === 'numeric' ? 0.9 : 1)) continue;
		if (['notApplicable', 'manual', 'informative'].includes(a.scoreDisplayMode)) continue;
		lines.push(
			`${a.title} [${a.id}] score ${a.score}${a.displayValue ? ` (${a.displayValue})` : ''}${ref.weight ? `, weight ${ref.weight}` : ''}`
		);
		for (const l of (Array.isArray(a.details?.items) ? a.details.items : [])
			.flatMap(itemLabels)
			.filter(Boolean)
			.slice(0, 8))
			lines.push(`    · ${l}`);
	}
	return lines;
}

/** Audits anywhere in the report that errored (e.g. because they wanted the network). */
function erroredAudits(lhr: TLhr): string[] {
	return Object.values(lhr.audits)
		.filter((a) => a.scoreDisplayMode === 'error')
		.map((a) => `${a.title} [${a.id}]: ${a.errorMessage ?? ''}`);
}

interface TStack {
	baseURL: string;
	stop(): Promise<void>;
}

async function startStack(): Promise<TStack> {
	// The exact stack the browser tests use: global-setup spawns tests/e2e/helpers/stack.ts.
	const { default: globalSetup } = await import('../e2e/helpers/global-setup');
	const teardown = await globalSetup();
	const baseURL = process.env.E2E_BASE_URL;
	if (!baseURL) throw new Error('the e2e stack did not report its address');
	return { baseURL, stop: teardown };
}

export async function run(): Promise<void> {
	let lighthouse: typeof import('lighthouse').default;
	let chromeLauncher: typeof import('chrome-launcher');
	try {
		lighthouse = (await import('lighthouse')).default;
		chromeLauncher = await import('chrome-launcher');
	} catch (err) {
		console.log(`  Lighthouse cannot run here (nothing recorded): ${(err as Error).stack ?? err}`);
		return;
	}
	if (!existsSync('build/200.html') || process.env.BENCH_REBUILD) {
		console.log('  (building the app first: npm run build)');
		execSync('npm run build', { stdio: 'ignore' });
	}

	const stack = await startStack();
	try {
		// A fresh browser (fresh profile) per run: no storage, cache or service worker carried over.
		const once = async (url: string) => {
			const chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: CHROME_FLAGS });
			try {
				return await lighthouse(url, {
					port: chrome.port,
					output: 'json',
					logLevel: 'error',
					onlyCategories: [...CATEGORIES]
				});
			} finally {
				chrome.kill();
			}
		};
		const score = async (path: string): Promise<TLhr> => {
			const runs: TLhr[] = [];
			for (let i = 0; i < RUNS; i++) {
				const result = await once(`${stack.baseURL}${path}`);
				if (!result) throw new Error(`Lighthouse returned no result for ${path}`);
				const lhr = result.lhr as unknown as TLhr;
				if (lhr.runtimeError)
					throw new Error(
						`Lighthouse runtime error on ${path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`
					);
				runs.push(lhr);
			}
			runs.sort(
				(a, b) => (a.categories.performance.score ?? 0) - (b.categories.performance.score ?? 0)
			);
			const median = runs[Math.floor(runs.length / 2)];
			// The full report of the kept run, for the details this summary leaves out.
			const out = join(tmpdir(), 'civicpulse-lighthouse');
			mkdirSync(out, { recursive: true });
			const file = join(
				out,
				`${path === '/' ? 'home' : path.replace(/\W+/g, '-').replace(/^-/, '')}.json`
			);
			writeFileSync(file, JSON.stringify(median));
			const perf = runs.map((r) => r.categories.performance.score).join(', ');
			console.log(
				`  ${path}: ${RUNS} run(s), performance ${perf}; median run kept (Lighthouse ${median.lighthouseVersion}, benchmarkIndex ${median.environment.benchmarkIndex}; report ${file})`
			);
			for (const w of median.runWarnings) console.log(`    warning: ${w}`);
			return median;
		};

		let home: TLhr;
		let survey: TLhr;
		try {
			home = await score('/');
			survey = await score('/s/resident-survey');
		} catch (err) {
			console.log(`  Lighthouse failed (nothing recorded): ${(err as Error).stack ?? err}`);
			return;
		}

		for (const cat of CATEGORIES) {
			const value = survey.categories[cat].score ?? 0;
			const base = home.categories[cat].score ?? 0;
			record({
				name: `Lighthouse mobile ${cat} /s/resident-survey`,
				value,
				unit: 'score',
				baseline: { name: 'home page /', value: base },
				budget: { min: BUDGET[cat] }
			});
			if (value < BUDGET[cat]) {
				console.log(`    under budget — audits costing points on /s/resident-survey (${cat}):`);
				for (const line of losingAudits(survey, cat)) console.log(`      ${line}`);
			}
			if (base < BUDGET[cat]) {
				console.log(`    (baseline / is under the same budget for ${cat}:)`);
				for (const line of losingAudits(home, cat)) console.log(`      ${line}`);
			}
		}
		const metrics = [
			'first-contentful-paint',
			'largest-contentful-paint',
			'total-blocking-time',
			'cumulative-layout-shift',
			'speed-index'
		];
		console.log(
			`    metrics /s/resident-survey: ${metrics.map((m) => `${m} ${survey.audits[m]?.displayValue ?? 'n/a'}`).join('; ')}`
		);
		console.log(
			`    metrics / (baseline): ${metrics.map((m) => `${m} ${home.audits[m]?.displayValue ?? 'n/a'}`).join('; ')}`
		);
		const errored = [...new Set([...erroredAudits(survey), ...erroredAudits(home)])];
		if (errored.length) {
			console.log('    audits that errored (no internet here, or otherwise):');
			for (const e of errored) console.log(`      ${e}`);
		}
	} finally {
		await stack.stop();
	}
}
