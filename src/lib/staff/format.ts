/**
 * Pure display helpers for scorecard figures: value and margin formatting per unit, status text
 * and icon, period labels and ordering. The language is a parameter so these are unit-tested
 * without Svelte; components call them through `$lib/staff/t`.
 */
import type { TLanguage } from '$domain/survey';
import type { TScorecardMeasure, TTargetStatus } from '$domain/scorecard';
import { publishedFigure, roundDecimal } from '$lib/scoring/target-status';
import { translateStaff, type TStaffKey } from './messages';

export type TMeasureShape = Pick<TScorecardMeasure, 'unit'>;

/**
 * The number as people read it: percent figures (proportions 0..1, the one unit of
 * `$domain/scorecard`) in points 0..100, everything else as it is. Rounded first to the
 * published precision (`publishedFigure`, the same rounding the database uses before it decides
 * a status), so what is shown is exactly what was judged. null without a finite value.
 */
export function displayNumber(
	m: Pick<TScorecardMeasure, 'unit'>,
	value: number | null | undefined
): number | null {
	const published = publishedFigure(m.unit, value);
	if (published === null) return null;
	return m.unit === 'percent' ? pointsOf(published) : published;
}

/** A proportion in points, without binary noise (0.792 → 79.2, not 79.19999999999999). */
export function pointsOf(proportion: number): number {
	return roundDecimal(proportion * 100, 9);
}

/** Points typed by a person ("76") as the stored proportion (0.76); other units unchanged. */
export function storedNumber(m: Pick<TScorecardMeasure, 'unit'>, shown: number): number {
	return m.unit === 'percent' ? roundDecimal(shown / 100, 12) : shown;
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

function decimalsFor(m: Pick<TScorecardMeasure, 'unit'>): { min: number; max: number } {
	// Percent: always one decimal (0.1 point, the published precision). Other units show up to
	// the two published decimals and no trailing zeros ("6.5 minutes", "41,600 hours").
	return m.unit === 'percent' ? { min: 1, max: 1 } : { min: 0, max: 2 };
}

/** "37.9 %", "6.5 minutes", "$1,200", "42,000 hours", or "—" when there is no value. */
export function formatMeasureValue(
	lang: TLanguage,
	m: TMeasureShape,
	value: number | null | undefined
): string {
	const published = publishedFigure(m.unit, value);
	if (published === null) return '—';
	const { min, max } = decimalsFor(m);
	if (m.unit === 'percent') {
		return new Intl.NumberFormat(lang, {
			style: 'percent',
			minimumFractionDigits: min,
			maximumFractionDigits: max
		}).format(published);
	}
	if (m.unit === 'usd') {
		return new Intl.NumberFormat(lang, {
			style: 'currency',
			currency: 'USD',
			minimumFractionDigits: 0,
			maximumFractionDigits: max
		}).format(published);
	}
	const number = new Intl.NumberFormat(lang, {
		minimumFractionDigits: min,
		maximumFractionDigits: max
	}).format(published);
	const unitKey = UNIT_KEYS[m.unit];
	return unitKey ? `${number} ${translateStaff(lang, unitKey)}` : number;
}

/**
 * "± 2.9 points" for percent measures (the one wording for a margin of a percentage, in every
 * table), "± 0.3" otherwise; "" without a margin.
 */
export function formatMargin(
	lang: TLanguage,
	m: TMeasureShape,
	margin: number | null | undefined
): string {
	const shown = displayNumber(m, margin);
	if (shown === null) return '';
	const { min, max } = decimalsFor(m);
	const text = new Intl.NumberFormat(lang, {
		minimumFractionDigits: min,
		maximumFractionDigits: max
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
	no_data: 'status_no_data',
	too_few: 'status_too_few'
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
	no_data: '?',
	too_few: '…'
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
