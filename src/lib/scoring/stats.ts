/**
 * Small statistical building blocks shared by every scoring function (DESIGN §6).
 *
 * Conventions used across `$lib/scoring` (the SQL implementation mirrors them exactly):
 * - Proportions are fractions in [0, 1], never percentages; multiply by 100 only for display.
 * - Nothing is rounded for storage or comparison with SQL; the only rounding is {@link comparable},
 *   used when a value is compared with a threshold (bands, quadrants, target status), so that
 *   binary floating-point noise (0.1 + 0.2 = 0.30000000000000004) cannot flip a boundary case.
 *   SQL does the same with `round(x, 9)`.
 */

/** The two-sided 95% critical value of the standard normal distribution, as ETC uses it. */
export const Z95 = 1.96;

/** Decimal places kept by {@link comparable}. */
export const COMPARE_DECIMALS = 9;

/** `x` rounded to 9 decimal places (half away from zero), for threshold comparisons only. */
export function comparable(x: number): number {
	const f = 10 ** COMPARE_DECIMALS;
	return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
}

/**
 * Checks a survey weight: finite and strictly positive. A weight of 0 or below is a data error
 * (the respondent would silently vanish), not something to average over.
 */
export function checkWeight(w: number): number {
	if (!Number.isFinite(w) || w <= 0) {
		throw new RangeError(`weight must be a finite number greater than 0, got ${w}`);
	}
	return w;
}

/**
 * Kish effective sample size n_eff = (Σw)² / Σw². Equals n when every weight is equal
 * (in particular for unweighted data, where every weight is 1). 0 when there are no weights.
 */
export function kishEffectiveN(weights: readonly number[]): number {
	let sum = 0;
	let sumSq = 0;
	for (const w of weights) {
		checkWeight(w);
		sum += w;
		sumSq += w * w;
	}
	if (sumSq === 0) return 0;
	// Unweighted data: return the exact count instead of a float that may be 1e-13 off.
	if (weights.every((w) => w === weights[0])) return weights.length;
	return (sum * sum) / sumSq;
}

/**
 * 95% margin of error of a proportion: 1.96·√(p(1−p)/n), with n the (effective) sample size.
 * Returns null when n ≤ 0 (nothing to estimate). Returns exactly 0 when p is 0 or 1: that is what
 * the formula gives, and we report it rather than invent a value; callers that need a non-zero
 * band for p = 0 or 1 use {@link surveyMargin}, the conservative margin for the same n.
 */
export function proportionMargin(p: number, n: number): number | null {
	if (!(n > 0)) return null;
	if (p < 0 || p > 1 || Number.isNaN(p))
		throw new RangeError(`proportion must be in [0, 1], got ${p}`);
	return Z95 * Math.sqrt((p * (1 - p)) / n);
}

/**
 * The conservative survey margin at 95%: 1.96·√(0.25/n) (the margin at p = 0.5, the worst case).
 * ETC quotes it for a whole survey (±3.0 at n = 1,033). With weights pass the Kish effective n.
 * Null when n ≤ 0.
 */
export function surveyMargin(n: number): number | null {
	if (!(n > 0)) return null;
	return Z95 * Math.sqrt(0.25 / n);
}

/**
 * Standard normal cumulative distribution Φ(z), via the complementary error function
 * (W. J. Cody's rational Chebyshev approximation as in Numerical Recipes `erfcc`, absolute error
 * below 1.2e-7 — ample for a p-value that is only ever compared with 0.05 for display).
 */
export function normalCdf(z: number): number {
	return 1 - 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
	const z = Math.abs(x);
	const t = 1 / (1 + 0.5 * z);
	const r =
		t *
		Math.exp(
			-z * z -
				1.26551223 +
				t *
					(1.00002368 +
						t *
							(0.37409196 +
								t *
									(0.09678418 +
										t *
											(-0.18628806 +
												t *
													(0.27886807 +
														t *
															(-1.13520398 +
																t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
		);
	return x >= 0 ? r : 2 - r;
}
