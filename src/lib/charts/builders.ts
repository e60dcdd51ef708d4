/**
 * Pure builders for the staff dashboard charts: the data each chart draws, the rows of the data
 * table printed under it, and the one-sentence summary (the chart's text alternative). Every
 * chart is built from the same rows as its table, so the two can never disagree.
 */
import type { ChartConfiguration } from 'chart.js';
import type { TLanguage } from '$domain/survey';
import type { TQuestionScore, TQuestionScores, TScorecardMeasure } from '$domain/scorecard';
import {
	displayNumber,
	formatMeasureValue,
	periodLabel,
	statusText,
	trendPoints
} from '$lib/staff/format';
import { translateStaff } from '$lib/staff/messages';

const INK = '#1b1f23';
const PERCENT = { unit: 'percent' };
const BRAND = '#0b4f6c';
const TARGET = '#7a4b00';
const BAND = 'rgba(11, 79, 108, 0.15)';

// ---------------------------------------------------------------------------------------------
// Trend: value by period, the target as a dashed line, the margin of error as a shaded band.

export interface TTrendSeries {
	labels: string[];
	values: (number | null)[];
	targets: (number | null)[];
	upper: (number | null)[];
	lower: (number | null)[];
}

/** Series in display units (percent measures in points 0..100). */
export function trendSeries(lang: TLanguage, m: TScorecardMeasure): TTrendSeries {
	const points = trendPoints(m.trend, m.period);
	const labels = points.map((p) => periodLabel(lang, p.period));
	const values = points.map((p) => displayNumber(m, p.value));
	const margins = points.map((p) => displayNumber(m, p.margin));
	return {
		labels,
		values,
		targets: points.map((p) => displayNumber(m, p.target)),
		upper: values.map((v, i) => (v === null || margins[i] === null ? null : v + margins[i]!)),
		lower: values.map((v, i) => (v === null || margins[i] === null ? null : v - margins[i]!))
	};
}

export function trendSummary(lang: TLanguage, m: TScorecardMeasure, name: string): string {
	const points = trendPoints(m.trend, m.period).filter((p) => p.value !== null);
	if (points.length === 0 && m.value === null)
		return translateStaff(lang, 'sum_trend_empty', { name });
	const last = points.at(-1) ?? { period: m.period ?? '', value: m.value };
	const first = points.length > 1 ? points[0] : null;
	return translateStaff(lang, 'sum_trend', {
		name,
		last: formatMeasureValue(lang, m, last.value),
		lastPeriod: periodLabel(lang, last.period),
		first: first
			? translateStaff(lang, 'sum_trend_first', {
					first: formatMeasureValue(lang, m, first.value),
					firstPeriod: periodLabel(lang, first.period)
				})
			: '',
		target:
			m.target !== null
				? translateStaff(lang, 'sum_trend_target', {
						target: formatMeasureValue(lang, m, m.target),
						status: statusText(lang, m.status).toLowerCase()
					})
				: ''
	});
}

export function trendConfig(
	lang: TLanguage,
	s: TTrendSeries,
	reducedMotion: boolean
): ChartConfiguration<'line'> {
	const tr = (k: Parameters<typeof translateStaff>[1]) => translateStaff(lang, k);
	return {
		type: 'line',
		data: {
			labels: s.labels,
			datasets: [
				// Band first: `fill: '-1'` on the lower edge shades between the two edges.
				{
					label: tr('dash_trend_series_upper'),
					data: s.upper,
					borderWidth: 0,
					pointRadius: 0,
					fill: false,
					backgroundColor: BAND
				},
				{
					label: tr('dash_trend_series_lower'),
					data: s.lower,
					borderWidth: 0,
					pointRadius: 0,
					fill: '-1',
					backgroundColor: BAND
				},
				{
					label: tr('dash_trend_series_value'),
					data: s.values,
					borderColor: BRAND,
					backgroundColor: BRAND,
					borderWidth: 3,
					pointRadius: 4,
					pointStyle: 'circle',
					spanGaps: true
				},
				{
					label: tr('dash_trend_series_target'),
					data: s.targets,
					borderColor: TARGET,
					backgroundColor: TARGET,
					borderDash: [8, 4],
					borderWidth: 2,
					pointRadius: 3,
					pointStyle: 'rectRot',
					spanGaps: true
				}
			]
		},
		options: {
			animation: reducedMotion ? false : undefined,
			responsive: true,
			maintainAspectRatio: false,
			plugins: {
				legend: {
					labels: {
						color: INK,
						filter: (item) => item.datasetIndex !== undefined && item.datasetIndex >= 2
					}
				}
			},
			scales: { x: { ticks: { color: INK } }, y: { ticks: { color: INK } } }
		}
	};
}

// ---------------------------------------------------------------------------------------------
// District comparison: % satisfied on one question, one bar per council district.

export interface TDistrictRow {
	district: string;
	label: string;
	score: TQuestionScore | null; // null: not loaded / not in the results
	value: number | null; // percent 0..100, null when withheld or empty
	margin: number | null;
	n: number | null;
	withheld: boolean;
	small: boolean;
}

export function districtRows(
	lang: TLanguage,
	districts: readonly { key: string; label: string }[],
	scores: ReadonlyMap<string, TQuestionScore | null>
): TDistrictRow[] {
	return districts.map((d) => {
		const s = scores.get(d.key) ?? null;
		const withheld = !s || s.suppressed || s.percent_satisfied === null;
		return {
			district: d.key,
			label: d.label || translateStaff(lang, 'dash_district_n', { d: d.key }),
			score: s,
			value: withheld ? null : displayNumber(PERCENT, s!.percent_satisfied),
			margin: withheld ? null : displayNumber(PERCENT, s!.margin),
			n: s ? s.n_valid : null,
			withheld: !!s && withheld,
			small: !!s && s.warning === 'small_sample'
		};
	});
}

function pct(lang: TLanguage, points: number): string {
	return new Intl.NumberFormat(lang, {
		style: 'percent',
		minimumFractionDigits: 1,
		maximumFractionDigits: 1
	}).format(points / 100);
}

export function districtSummary(
	lang: TLanguage,
	rows: readonly TDistrictRow[],
	name: string
): string {
	const shown = rows.filter((r) => r.value !== null);
	const withheld = rows.filter((r) => r.withheld).length;
	const tail = withheld ? translateStaff(lang, 'sum_districts_withheld', { count: withheld }) : '';
	if (shown.length === 0) return translateStaff(lang, 'sum_districts_none', { name }) + tail;
	// Ties: the first district in list order wins, so the sentence is stable.
	const hi = shown.reduce((a, b) => (b.value! > a.value! ? b : a));
	const lo = shown.reduce((a, b) => (b.value! < a.value! ? b : a));
	if (shown.length === 1)
		return (
			translateStaff(lang, 'sum_districts_one', {
				name,
				hi: hi.district,
				hiValue: pct(lang, hi.value!)
			}) + tail
		);
	return (
		translateStaff(lang, 'sum_districts', {
			name,
			hi: hi.district,
			hiValue: pct(lang, hi.value!),
			lo: lo.district,
			loValue: pct(lang, lo.value!)
		}) + tail
	);
}

export function districtConfig(
	lang: TLanguage,
	rows: readonly TDistrictRow[],
	reducedMotion: boolean,
	highlight: string | null
): ChartConfiguration<'bar'> {
	return {
		type: 'bar',
		data: {
			labels: rows.map((r) => r.label),
			datasets: [
				{
					label: translateStaff(lang, 'dash_satisfaction'),
					data: rows.map((r) => r.value),
					backgroundColor: rows.map((r) => (highlight && r.district !== highlight ? BAND : BRAND)),
					borderColor: BRAND,
					borderWidth: 2
				}
			]
		},
		options: {
			animation: reducedMotion ? false : undefined,
			responsive: true,
			maintainAspectRatio: false,
			plugins: { legend: { display: false } },
			scales: {
				x: { ticks: { color: INK } },
				y: { min: 0, max: 100, ticks: { color: INK } }
			}
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Importance–satisfaction matrix: service items, split at the mean importance and satisfaction.

export type TQuadrant = 'priority' | 'strength' | 'monitor' | 'maintain';

export interface TMatrixPoint {
	key: string;
	label: string;
	importance: number; // percent 0..100
	satisfaction: number; // percent 0..100
	is_rating: number | null;
	is_band: TQuestionScore['is_band'];
	quadrant: TQuadrant;
	highlighted: boolean;
}

const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

/**
 * Items with both an importance and a satisfaction (suppressed cells are left out). The split
 * lines are the means the database reports, or the unweighted means of the plotted items when it
 * reports none; an item exactly on a mean counts as above it (same rule as `$lib/scoring`).
 */
export function matrixPoints(
	lang: TLanguage,
	scores: TQuestionScores,
	highlightKeys: ReadonlySet<string> = new Set()
): { points: TMatrixPoint[]; meanImportance: number | null; meanSatisfaction: number | null } {
	const items = scores.questions.filter(
		(q) => !q.suppressed && q.importance !== null && q.percent_satisfied !== null
	);
	if (items.length === 0) return { points: [], meanImportance: null, meanSatisfaction: null };
	const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	const mi = scores.matrix.mean_importance ?? avg(items.map((q) => q.importance!));
	const ms = scores.matrix.mean_satisfaction ?? avg(items.map((q) => q.percent_satisfied!));
	const points = items.map((q): TMatrixPoint => {
		const important = round9(q.importance!) >= round9(mi);
		const satisfied = round9(q.percent_satisfied!) >= round9(ms);
		return {
			key: q.key,
			label: q.prompt[lang] || q.prompt.en,
			importance: q.importance! * 100,
			satisfaction: q.percent_satisfied! * 100,
			is_rating: q.is_rating,
			is_band: q.is_band,
			quadrant: important
				? satisfied
					? 'strength'
					: 'priority'
				: satisfied
					? 'maintain'
					: 'monitor',
			highlighted: highlightKeys.has(q.key)
		};
	});
	return { points, meanImportance: mi * 100, meanSatisfaction: ms * 100 };
}

export function matrixSummary(lang: TLanguage, m: ReturnType<typeof matrixPoints>): string {
	if (m.points.length === 0) return translateStaff(lang, 'sum_matrix_empty');
	const priorities = m.points
		.filter((p) => p.quadrant === 'priority')
		.sort((a, b) => (b.is_rating ?? 0) - (a.is_rating ?? 0))
		.map((p) => p.label);
	return translateStaff(lang, 'sum_matrix', {
		count: m.points.length,
		mi: pct(lang, m.meanImportance!),
		ms: pct(lang, m.meanSatisfaction!),
		priorities: priorities.length
			? new Intl.ListFormat(lang, { type: 'conjunction' }).format(priorities)
			: translateStaff(lang, 'sum_matrix_none')
	});
}

export function matrixConfig(
	lang: TLanguage,
	m: ReturnType<typeof matrixPoints>,
	reducedMotion: boolean
): ChartConfiguration<'scatter'> {
	const xs = m.points.map((p) => p.importance);
	const xMax = Math.max(10, Math.ceil((Math.max(...xs, 0) + 5) / 10) * 10);
	const mi = m.meanImportance ?? 0;
	const ms = m.meanSatisfaction ?? 0;
	return {
		type: 'scatter',
		data: {
			datasets: [
				{
					label: translateStaff(lang, 'dash_service'),
					data: m.points.map((p) => ({ x: p.importance, y: p.satisfaction })),
					backgroundColor: m.points.map((p) => (p.highlighted ? TARGET : BRAND)),
					pointStyle: m.points.map((p) => (p.highlighted ? 'rectRot' : 'circle')),
					pointRadius: m.points.map((p) => (p.highlighted ? 8 : 5))
				},
				// Quadrant split lines at the means, drawn as two-point line segments.
				{
					label: translateStaff(lang, 'dash_importance'),
					data: [
						{ x: mi, y: 0 },
						{ x: mi, y: 100 }
					],
					borderColor: INK,
					borderDash: [4, 4],
					borderWidth: 1,
					pointRadius: 0,
					showLine: true
				},
				{
					label: translateStaff(lang, 'dash_satisfaction'),
					data: [
						{ x: 0, y: ms },
						{ x: xMax, y: ms }
					],
					borderColor: INK,
					borderDash: [4, 4],
					borderWidth: 1,
					pointRadius: 0,
					showLine: true
				}
			]
		},
		options: {
			animation: reducedMotion ? false : undefined,
			responsive: true,
			maintainAspectRatio: false,
			plugins: { legend: { display: false } },
			scales: {
				x: {
					min: 0,
					max: xMax,
					title: { display: true, text: translateStaff(lang, 'dash_importance'), color: INK },
					ticks: { color: INK }
				},
				y: {
					min: 0,
					max: 100,
					title: { display: true, text: translateStaff(lang, 'dash_satisfaction'), color: INK },
					ticks: { color: INK }
				}
			}
		}
	};
}
