import { comparable } from './stats';
import { PUBLIC_MIN_N } from './suppression';

export type TDirection = 'higher' | 'lower';
export type TTargetStatus = 'met' | 'not_met' | 'within_margin';

export interface TTargetInput {
	/** The measured value; null when there is no value for the period. */
	value: number | null;
	/** The target, in the same unit as value (both fractions, or both percentages…). */
	target: number | null;
	/** Margin of error of value in the same unit (≥ 0); null or 0 for operational measures. */
	margin?: number | null;
	/** Whether a higher or a lower value is better. */
	direction: TDirection;
}

/**
 * Target status (DESIGN §6), all comparisons inclusive and on values rounded to 9 decimals:
 * - higher is better: value ≥ target → `met`; else value + margin ≥ target → `within_margin`;
 *   else `not_met`.
 * - lower is better: value ≤ target → `met`; else value − margin ≤ target → `within_margin`;
 *   else `not_met`.
 * A value exactly on the target is met; a value exactly one margin short is within margin.
 * Without a margin (null/0) only met / not_met are possible. Null when value or target is null.
 * SQL: `private.target_status` (a property test runs both on thousands of cases).
 */
export function targetStatus(input: TTargetInput): TTargetStatus | null {
	const { value, target, direction } = input;
	if (value === null || target === null) return null;
	const margin = input.margin ?? 0;
	if (margin < 0 || Number.isNaN(margin)) throw new RangeError(`margin must be ≥ 0, got ${margin}`);
	const v = comparable(value);
	const t = comparable(target);
	if (direction === 'higher') {
		if (v >= t) return 'met';
		return comparable(value + margin) >= t ? 'within_margin' : 'not_met';
	}
	if (v <= t) return 'met';
	return comparable(value - margin) <= t ? 'within_margin' : 'not_met';
}

/** Decimals a scorecard publishes: percent proportions to 0.1 point, other units to 0.01. */
export function publishedDecimals(unit: string): number {
	return unit === 'percent' ? 3 : 2;
}

/**
 * `x` rounded half away from zero to `decimals` places, the way PostgreSQL rounds a double
 * precision value: it first becomes the decimal number of its 15 significant digits
 * (`float8 → numeric`), which is then rounded. Rounding the binary value instead would differ
 * on ties (0.7915 is stored as 0.79149999…, which PostgreSQL reads as 0.7915 and rounds up).
 */
export function roundDecimal(x: number, decimals: number): number {
	if (!Number.isFinite(x)) return x;
	const [mantissa, expText] = Math.abs(x).toExponential(14).split('e');
	const exp = Number(expText);
	const digits = mantissa.replace('.', ''); // 15 significant digits, the first before the point
	// Value = 0.d1d2…d15 × 10^(exp + 1); keep the digits before position (exp + 1 + decimals).
	const keep = exp + 1 + decimals;
	if (keep < 0) return 0;
	if (keep >= digits.length) return x;
	// At most 15 digits: exact as a double integer (< 2^53).
	const head = keep === 0 ? 0 : Number(digits.slice(0, keep));
	const rounded = Number(digits[keep]) >= 5 ? head + 1 : head;
	const result = Number(`${rounded}e${exp + 1 - keep}`);
	return x < 0 && result !== 0 ? -result : result;
}

/** A figure as the scorecard publishes it (SQL `private.published_figure`). */
export function publishedFigure(unit: string, x: number | null | undefined): number | null {
	if (x === null || x === undefined || !Number.isFinite(x)) return null;
	return roundDecimal(x, publishedDecimals(unit));
}

/** A scorecard status, including the cases with nothing to compare. */
export type TFigureStatus = TTargetStatus | 'no_target' | 'no_data' | 'too_few';

/**
 * The status of a published figure (SQL `private.figure_status`): `no_data` without a value,
 * `too_few` when it rests on fewer than 30 people, `no_target` without a target, else
 * {@link targetStatus}. Inputs must already be published figures ({@link publishedFigure}).
 */
export function figureStatus(input: TTargetInput & { n?: number | null }): TFigureStatus {
	if (input.value === null) return 'no_data';
	if (input.n !== null && input.n !== undefined && input.n < PUBLIC_MIN_N) return 'too_few';
	return targetStatus(input) ?? 'no_target';
}
