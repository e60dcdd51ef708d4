/**
 * Small-cell rules (DESIGN §6). `n` is always a head count of people (unweighted n valid, or
 * respondents for importance), never a weighted or effective n: suppression protects people,
 * not the precision of an estimate.
 */

/** Public views withhold a cell with fewer people than this. */
export const PUBLIC_MIN_N = 30;
/** Any view flags a cell with fewer people than this as a small sample. */
export const WARN_BELOW_N = 100;
/** No export, for any audience, ever shows a cell with fewer people than this. */
export const EXPORT_MIN_N = 5;

/**
 * - `public`: the public scorecard and anonymous `question_scores`.
 * - `staff`: signed-in analysts on screen (see everything, with warnings).
 * - `export`: any CSV file leaving the system, including staff exports.
 * - `public_export`: a public CSV: both the public and the export rule apply.
 */
export type TAudience = 'public' | 'staff' | 'export' | 'public_export';

export interface TCellVisibility {
	/** False when the figure must be withheld (the cell is absent, not zero). */
	show: boolean;
	/** True when shown but based on fewer than 100 people. */
	warn: boolean;
	/** Why it is withheld, in English, for staff tooling; null when shown. */
	reason: string | null;
}

/** Whether a cell based on `n` people may be shown to `audience`. n = 0 is always withheld. */
export function cellVisibility(n: number, audience: TAudience): TCellVisibility {
	const min =
		audience === 'public' || audience === 'public_export'
			? PUBLIC_MIN_N
			: audience === 'export'
				? EXPORT_MIN_N
				: 1;
	if (!(n >= min)) {
		return {
			show: false,
			warn: false,
			reason: n > 0 ? `fewer than ${min} respondents (n = ${n})` : 'no respondents'
		};
	}
	return { show: true, warn: n < WARN_BELOW_N, reason: null };
}
