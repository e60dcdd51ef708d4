import type { TSatisfactionScore } from './satisfaction';
import { Z95, normalCdf } from './stats';

export interface TProportionSample {
	/** Proportion in [0, 1] (e.g. p_satisfied). */
	p: number;
	/** Sample size: n valid, or the Kish effective n when weighted. */
	n: number;
}

export interface TChangeTest {
	/** later.p − earlier.p (a fraction; positive = improvement for "higher is better"). */
	difference: number;
	/** (later.p − earlier.p) / SE, pooled SE = √(p̄(1−p̄)(1/n₁ + 1/n₂)), p̄ = (p₁n₁ + p₂n₂)/(n₁ + n₂). */
	z: number;
	/** Two-sided p-value 2·(1 − Φ(|z|)), accurate to about 1e-7. */
	p_value: number;
	/**
	 * |z| > 1.96 (95%, two-sided). Decided on z, not on p_value, so SQL can mirror it without an
	 * error function.
	 */
	significant: boolean;
}

/**
 * Two-proportion z-test (pooled) for the change between two waves at 95%.
 * Returns null when either sample is empty (n ≤ 0): there is nothing to compare.
 * When the pooled proportion is 0 or 1 (both waves all-satisfied or all-not) the standard error
 * is 0; the proportions are then equal, so we return z = 0, p_value = 1, not significant.
 */
export function twoProportionZTest(
	earlier: TProportionSample,
	later: TProportionSample
): TChangeTest | null {
	for (const s of [earlier, later]) {
		if (s.p < 0 || s.p > 1 || Number.isNaN(s.p)) {
			throw new RangeError(`proportion must be in [0, 1], got ${s.p}`);
		}
	}
	if (!(earlier.n > 0) || !(later.n > 0)) return null;
	const difference = later.p - earlier.p;
	const pooled = (earlier.p * earlier.n + later.p * later.n) / (earlier.n + later.n);
	const se = Math.sqrt(pooled * (1 - pooled) * (1 / earlier.n + 1 / later.n));
	if (se === 0) return { difference, z: 0, p_value: 1, significant: false };
	const z = difference / se;
	const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
	return { difference, z, p_value: pValue, significant: Math.abs(z) > Z95 };
}

/**
 * Change in % satisfied between two scores of the same item (e.g. consecutive waves), tested
 * with {@link twoProportionZTest} on p_satisfied and the Kish effective n (= n valid when
 * unweighted). Null when either score has no valid answers.
 */
export function satisfactionChange(
	earlier: Pick<TSatisfactionScore, 'p_satisfied' | 'n_eff'>,
	later: Pick<TSatisfactionScore, 'p_satisfied' | 'n_eff'>
): TChangeTest | null {
	if (earlier.p_satisfied === null || later.p_satisfied === null) return null;
	return twoProportionZTest(
		{ p: earlier.p_satisfied, n: earlier.n_eff },
		{ p: later.p_satisfied, n: later.n_eff }
	);
}
