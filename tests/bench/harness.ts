/**
 * Tiny benchmark harness: every figure is printed beside a baseline measured in the same
 * process and run, as a ratio, together with peak memory. Budgets from the issues are checked
 * here (a failed budget makes `npm run bench` exit non-zero); the test suite never times anything.
 */
import { performance } from 'node:perf_hooks';

export interface Figure {
	name: string;
	value: number;
	unit: string;
	baseline?: { name: string; value: number };
	/** Budget check: `max` for costs (latency, bytes), `min` for throughput/scores. */
	budget?: { max?: number; min?: number };
	note?: string;
}

const figures: Figure[] = [];
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
sampler.unref();

export function record(f: Figure): void {
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
	figures.push(f);
	const ratio = f.baseline
		? ` | baseline ${fmt(f.baseline.value)} ${f.unit} (${f.baseline.name}) | ratio ${(f.value / f.baseline.value).toFixed(2)}x`
		: '';
	const budget = f.budget
		? ` | budget ${f.budget.max !== undefined ? '≤ ' + f.budget.max : '≥ ' + f.budget.min} ${budgetOk(f) ? 'OK' : 'FAILED'}`
		: '';
	console.log(
		`  ${f.name}: ${fmt(f.value)} ${f.unit}${ratio}${budget}${f.note ? ` — ${f.note}` : ''}`
	);
}

function budgetOk(f: Figure): boolean {
	if (!f.budget) return true;
	if (f.budget.max !== undefined && f.value > f.budget.max) return false;
	if (f.budget.min !== undefined && f.value < f.budget.min) return false;
	return true;
}

function fmt(n: number): string {
	return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

/** Runs `fn` `n` times sequentially; returns per-call latencies in ms, sorted, and total ms. */
export async function timeCalls(n: number, fn: (i: number) => Promise<unknown>) {
	const lat: number[] = [];
	const t0 = performance.now();
	for (let i = 0; i < n; i++) {
		const s = performance.now();
		await fn(i);
		lat.push(performance.now() - s);
	}
	const total = performance.now() - t0;
	lat.sort((a, b) => a - b);
	return { lat, total, p50: percentile(lat, 50), p95: percentile(lat, 95) };
}

export function section(title: string): void {
	console.log(`\n## ${title}`);
}

export function summary(): number {
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
	const failed = figures.filter((f) => !budgetOk(f));
	console.log(
		`\npeak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB (this process; child processes such as PostgreSQL and Chromium are not included)`
	);
	console.log(
		`${figures.length} figures, ${failed.length} budgets failed${failed.length ? ': ' + failed.map((f) => f.name).join(', ') : ''}`
	);
	return failed.length ? 1 : 0;
}
