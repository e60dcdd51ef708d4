import { checkWeight, comparable } from './stats';

/**
 * One respondent's top-3 importance picks (an importance_top3 answer: ranked option keys) with
 * their weight. `picks` is null/undefined/[] when the respondent named nothing: they still count
 * in the denominator, because importance is a share of ALL respondents.
 */
export interface TImportanceObservation {
	picks: readonly string[] | null | undefined;
	weight?: number;
}

export interface TImportanceShares {
	/** All respondents in scope (unweighted), whether or not they named any item. */
	n_respondents: number;
	/** Per option key: unweighted count of respondents naming it among their top three. */
	n_named: Record<string, number>;
	/**
	 * Per option key: Σw·[respondent named it] / Σw over ALL respondents, in [0, 1].
	 * Items nobody named are absent (their importance is 0). Empty when there are no respondents.
	 */
	importance: Record<string, number>;
}

/**
 * Importance = the share of all respondents who named the item among their top three (ETC).
 * A key repeated inside one respondent's picks counts once.
 */
export function importanceShares(respondents: Iterable<TImportanceObservation>): TImportanceShares {
	let n = 0;
	let sumW = 0;
	const named: Record<string, number> = {};
	const namedW: Record<string, number> = {};
	for (const r of respondents) {
		const w = r.weight === undefined ? 1 : checkWeight(r.weight);
		n++;
		sumW += w;
		for (const key of new Set(r.picks ?? [])) {
			named[key] = (named[key] ?? 0) + 1;
			namedW[key] = (namedW[key] ?? 0) + w;
		}
	}
	const importance: Record<string, number> = {};
	if (sumW > 0) for (const key of Object.keys(namedW)) importance[key] = namedW[key] / sumW;
	return { n_respondents: n, n_named: named, importance };
}

/** ETC priority bands of the I-S rating. */
export type TIsBand = 'very_high' | 'high' | 'medium';

/** Lower bound (inclusive) of the "very high priority" band. */
export const IS_VERY_HIGH = 0.2;
/** Lower bound (inclusive) of the "high priority" band. */
export const IS_HIGH = 0.1;

/**
 * Importance–satisfaction rating: importance × (1 − satisfaction), both fractions in [0, 1].
 * Null when satisfaction is null (no valid answers): an item nobody rated has no priority.
 */
export function isRating(importance: number, pSatisfied: number | null): number | null {
	if (pSatisfied === null) return null;
	return importance * (1 - pSatisfied);
}

/**
 * Band of an I-S rating, lower bounds inclusive: ≥ 0.20 `very_high`; ≥ 0.10 and < 0.20 `high`;
 * < 0.10 `medium`. So exactly 0.20 is very high and exactly 0.10 is high (ETC's table reads
 * "≥ .20" and ".10–.20"). The comparison uses the rating rounded to 9 decimals.
 */
export function isBand(rating: number | null): TIsBand | null {
	if (rating === null) return null;
	const r = comparable(rating);
	if (r >= IS_VERY_HIGH) return 'very_high';
	if (r >= IS_HIGH) return 'high';
	return 'medium';
}

/**
 * Quadrants of the importance–satisfaction matrix (ETC's names):
 * - `continued_emphasis`: importance ≥ mean, satisfaction ≥ mean
 * - `opportunities_for_improvement`: importance ≥ mean, satisfaction < mean
 * - `exceeded_expectations`: importance < mean, satisfaction ≥ mean
 * - `less_important`: importance < mean, satisfaction < mean
 */
export type TIsQuadrant =
	| 'continued_emphasis'
	| 'opportunities_for_improvement'
	| 'exceeded_expectations'
	| 'less_important';

export interface TIsMatrixItem {
	key: string;
	importance: number;
	p_satisfied: number | null;
}

export interface TIsMatrix {
	/** Unweighted mean importance over the plotted items (null when nothing is plotted). */
	mean_importance: number | null;
	/** Unweighted mean satisfaction over the plotted items (null when nothing is plotted). */
	mean_satisfaction: number | null;
	/** Plotted items (those with a satisfaction), in input order, each with its quadrant. */
	items: (TIsMatrixItem & { p_satisfied: number; quadrant: TIsQuadrant })[];
	/** Keys left out because they have no satisfaction (n valid = 0). */
	excluded: string[];
}

/**
 * Splits items into the four quadrants at the mean importance and the mean satisfaction of the
 * plotted items (each item counts once; items without a satisfaction are excluded and do not
 * move the means). Tie rule: an item exactly at a mean (compared after rounding to 9 decimals)
 * goes to the upper side of that axis — "at least average" — so ties in importance count as
 * important and ties in satisfaction count as satisfied. With a single item, or all items
 * equal, everything is `continued_emphasis`.
 */
export function isMatrix(input: readonly TIsMatrixItem[]): TIsMatrix {
	const plotted = input.filter(
		(i): i is TIsMatrixItem & { p_satisfied: number } => i.p_satisfied !== null
	);
	const excluded = input.filter((i) => i.p_satisfied === null).map((i) => i.key);
	if (plotted.length === 0) {
		return { mean_importance: null, mean_satisfaction: null, items: [], excluded };
	}
	const meanI = plotted.reduce((s, i) => s + i.importance, 0) / plotted.length;
	const meanS = plotted.reduce((s, i) => s + i.p_satisfied, 0) / plotted.length;
	const mi = comparable(meanI);
	const ms = comparable(meanS);
	const items = plotted.map((i) => {
		const important = comparable(i.importance) >= mi;
		const satisfied = comparable(i.p_satisfied) >= ms;
		const quadrant: TIsQuadrant = important
			? satisfied
				? 'continued_emphasis'
				: 'opportunities_for_improvement'
			: satisfied
				? 'exceeded_expectations'
				: 'less_important';
		return { ...i, quadrant };
	});
	return { mean_importance: meanI, mean_satisfaction: meanS, items, excluded };
}
