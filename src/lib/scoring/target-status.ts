import { comparable } from './stats';

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
