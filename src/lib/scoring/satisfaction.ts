import { DONT_KNOW } from '../domain/survey';
import { checkWeight, kishEffectiveN, proportionMargin, surveyMargin } from './stats';

/**
 * One respondent's answer to a 5-point item (satisfaction5 or rating5), with the respondent's
 * survey weight (1 when the data are unweighted — the ETC/KC convention).
 *
 * `value` is whatever was stored: 1..5 are valid answers, 9 is "don't know", anything else
 * (null/undefined for no answer, 99, 0, 6, 7, NaN, a string) counts as no answer.
 */
export interface TScaleObservation {
	value: unknown;
	weight?: number;
}

/** Score of one 5-point item over a set of respondents (a wave, or a wave × district cell). */
export interface TSatisfactionScore {
	/** Respondents with a valid answer 1..5 (unweighted head count: this is the n reported). */
	n_valid: number;
	/** Respondents who answered 9 "don't know" (excluded from every figure below). */
	n_dont_know: number;
	/** Kish effective n of the valid answers, (Σw)²/Σw²; equals n_valid when unweighted. */
	n_eff: number;
	/**
	 * Weighted share of valid answers that are 4 or 5: Σw·[v ≥ 4] / Σw over valid answers.
	 * A fraction in [0, 1]; null when n_valid = 0 (including "everyone said don't know").
	 */
	p_satisfied: number | null;
	/** Weighted mean of the valid answers on the 1..5 scale; null when n_valid = 0. */
	mean: number | null;
	/**
	 * 95% margin of `p_satisfied`: 1.96·√(p(1−p)/n_eff). Null when n_valid = 0; exactly 0 when
	 * p_satisfied is 0 or 1 (see `survey_margin` for a non-zero, conservative band).
	 */
	margin: number | null;
	/** Conservative 95% margin 1.96·√(0.25/n_eff); null when n_valid = 0. */
	survey_margin: number | null;
}

/** True for a valid answer on a 5-point scale: an integer 1..5. */
export function isValidScaleValue(v: unknown): v is 1 | 2 | 3 | 4 | 5 {
	return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5;
}

/**
 * Percent satisfied, mean and margins of one satisfaction5 / rating5 item (ETC convention):
 * % satisfied = count(4, 5) / count(1..5), don't know (9) and blanks excluded, n valid reported.
 * Weights, when given, weight every sum; n_eff replaces n in the margins.
 */
export function scoreSatisfaction(observations: Iterable<TScaleObservation>): TSatisfactionScore {
	let nDontKnow = 0;
	let sumW = 0;
	let sumWSatisfied = 0;
	let sumWValue = 0;
	const weights: number[] = [];
	for (const o of observations) {
		const w = o.weight === undefined ? 1 : checkWeight(o.weight);
		if (o.value === DONT_KNOW) {
			nDontKnow++;
			continue;
		}
		if (!isValidScaleValue(o.value)) continue;
		weights.push(w);
		sumW += w;
		sumWValue += w * o.value;
		if (o.value >= 4) sumWSatisfied += w;
	}
	const nValid = weights.length;
	if (nValid === 0) {
		return {
			n_valid: 0,
			n_dont_know: nDontKnow,
			n_eff: 0,
			p_satisfied: null,
			mean: null,
			margin: null,
			survey_margin: null
		};
	}
	const nEff = kishEffectiveN(weights);
	const p = sumWSatisfied / sumW;
	return {
		n_valid: nValid,
		n_dont_know: nDontKnow,
		n_eff: nEff,
		p_satisfied: p,
		mean: sumWValue / sumW,
		margin: proportionMargin(p, nEff),
		survey_margin: surveyMargin(nEff)
	};
}
