/**
 * Pure display helpers for scorecard figures: value and margin formatting per unit, status text
 * and icon, period labels and ordering. The language is a parameter so these are unit-tested
 * without Svelte; components call them through `$lib/staff/t`.
 */
import type { TLanguage } from '$domain/survey';
import type { TScorecardMeasure, TTargetStatus } from '$domain/scorecard';
import { translateStaff, type TStaffKey } from './messages';

export type TMeasureShape = Pick<TScorecardMeasure, 'unit' | 'kind'>;

/**
 * Factor that turns a stored figure into the percent shown on screen. The contract
 * (`$domain/scorecard`) gives survey `percent` figures computed from waves as proportions 0..1,
 * while targets typed by staff and imported historical scores are stored as 0..100 — and one
 * measure's trend can hold both. So the scale is decided per figure: a survey percent figure of
 * at most 1 is a proportion (a satisfaction share of 1 % or less is not plausible), anything
 * larger is already in points. A margin takes the scale of the value it belongs to (`ref`),
 * since a margin of 0.8 points must not become 80.
 */
export function percentScale(
	m: Pick<TScorecardMeasure, 'unit' | 'kind'>,
	ref: number | null | undefined
): number {
	if (m.unit !== 'percent' || m.kind !== 'survey') return 1;
	return ref !== null && ref !== undefined && Math.abs(ref) <= 1 ? 100 : 1;
}

/** The number as displayed (percent points for percent measures), or null. */
export function displayNumber(
	m: Pick<TScorecardMeasure, 'unit' | 'kind'>,
	value: number | null | undefined,
	ref: number | null | undefined = value
): number | null {
	if (value === null || value === undefined || !Number.isFinite(value)) return null;
	return value * percentScale(m, ref);
}

/**
 * The trend points a chart draws: those of the same granularity as the latest one (quarters or
 * years), so an annual total never sits on a line of quarterly figures.
 */
export function trendPoints<P extends { period: string }>(
	trend: readonly P[],
	latestPeriod: string | null
): P[] {
	const ref = latestPeriod ?? trend.at(-1)?.period;
	if (!ref) return [...trend];
	const quarterly = ref.includes('-Q');
	return trend.filter((p) => p.period.includes('-Q') === quarterly);
}

const UNIT_KEYS: Record<string, TStaffKey> = {
	days: 'unit_days',
	hours: 'unit_hours',
	minutes: 'unit_minutes',
	lane_miles: 'unit_lane_miles'
};

function decimalsFor(m: Pick<TScorecardMeasure, 'unit'>, shown: number): number {
	if (m.unit === 'percent') return 1;
	if (m.unit === 'usd') return 0;
	return Number.isInteger(shown) ? 0 : Math.abs(shown) < 10 ? 2 : 1;
}

/** "37.9 %", "6.5 minutes", "$1,200", "42,000 hours", or "—" when there is no value. */
export function formatMeasureValue(
	lang: TLanguage,
	m: TMeasureShape,
	value: number | null | undefined
): string {
	const shown = displayNumber(m, value);
	if (shown === null) return '—';
	const digits = decimalsFor(m, shown);
	if (m.unit === 'percent') {
		return new Intl.NumberFormat(lang, {
			style: 'percent',
			minimumFractionDigits: digits,
			maximumFractionDigits: digits
		}).format(shown / 100);
	}
	if (m.unit === 'usd') {
		return new Intl.NumberFormat(lang, {
			style: 'currency',
			currency: 'USD',
			maximumFractionDigits: 0
		}).format(shown);
	}
	const number = new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(shown);
	const unitKey = UNIT_KEYS[m.unit];
	return unitKey ? `${number} ${translateStaff(lang, unitKey)}` : number;
}

/** "± 2.1 points" for percent measures, "± 0.3" otherwise; "" without a margin. */
export function formatMargin(
	lang: TLanguage,
	m: TMeasureShape,
	margin: number | null | undefined,
	value: number | null | undefined
): string {
	const shown = displayNumber(m, margin, value);
	if (shown === null) return '';
	const text = new Intl.NumberFormat(lang, {
		minimumFractionDigits: 1,
		maximumFractionDigits: 1
	}).format(shown);
	return translateStaff(lang, m.unit === 'percent' ? 'margin_points' : 'margin_plain', {
		margin: text
	});
}

const STATUS_KEYS: Record<TTargetStatus, TStaffKey> = {
	met: 'status_met',
	not_met: 'status_not_met',
	within_margin: 'status_within_margin',
	no_target: 'status_no_target',
	no_data: 'status_no_data'
};

export function statusText(lang: TLanguage, status: TTargetStatus): string {
	return translateStaff(lang, STATUS_KEYS[status]);
}

/** A glyph per status, shown beside the text (never instead of it), and a CSS class name. */
export const STATUS_ICONS: Record<TTargetStatus, string> = {
	met: '✓',
	not_met: '✗',
	within_margin: '≈',
	no_target: '–',
	no_data: '?'
};

const PERIOD_RE = /^(\d{4})(?:-Q([1-4]))?$/;

export function isPeriod(value: string): boolean {
	return PERIOD_RE.test(value);
}

/** "Q3 2026" / "T3 2026"; a year stays "2026". Unknown shapes are returned unchanged. */
export function periodLabel(lang: TLanguage, period: string | null | undefined): string {
	if (!period) return '—';
	const m = PERIOD_RE.exec(period);
	if (!m) return period;
	return m[2] ? translateStaff(lang, 'quarter', { q: m[2], year: m[1] }) : m[1];
}

/** Orders periods in time; a year sorts after its own quarters (the year closes after Q4). */
export function comparePeriods(a: string, b: string): number {
	const pa = PERIOD_RE.exec(a);
	const pb = PERIOD_RE.exec(b);
	if (!pa || !pb) return a.localeCompare(b);
	const ka = Number(pa[1]) * 10 + (pa[2] ? Number(pa[2]) : 5);
	const kb = Number(pb[1]) * 10 + (pb[2] ? Number(pb[2]) : 5);
	return ka - kb;
}

/** The year of a period ('2026-Q3' → '2026'). */
export function periodYear(period: string): string {
	return period.slice(0, 4);
}

/** Counts of each status over measures, for the one-line summary above a scorecard. */
export function statusCounts(statuses: readonly TTargetStatus[]): {
	met: number;
	within: number;
	notmet: number;
	none: number;
} {
	const c = { met: 0, within: 0, notmet: 0, none: 0 };
	for (const s of statuses) {
		if (s === 'met') c.met++;
		else if (s === 'within_margin') c.within++;
		else if (s === 'not_met') c.notmet++;
		else c.none++;
	}
	return c;
}
