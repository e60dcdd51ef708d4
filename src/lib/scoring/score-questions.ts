import type { TQuestion } from '../domain/survey';
import { importanceShares, isBand, isRating, type TIsBand } from './importance';
import { scoreSatisfaction, type TSatisfactionScore } from './satisfaction';

/** A stored response as scoring sees it: answers keyed by question key, weight, district. */
export interface TScoredResponse {
	answers: Record<string, unknown>;
	/** Survey weight, default 1. */
	weight?: number;
	district?: string | null;
}

/** The per-question score row; `question_scores(p_wave_id, p_district)` returns the same fields. */
export interface TQuestionScore extends TSatisfactionScore {
	question_key: string;
	kind: 'satisfaction5' | 'rating5';
	/** Respondents in scope (the importance denominator): every response, answered or not. */
	n_respondents: number;
	/**
	 * Share of all respondents naming this item in the survey's importance_top3 question, in
	 * [0, 1]; null when the survey has no importance option linked to this item.
	 */
	importance: number | null;
	/** Unweighted count of respondents naming the item; null when not linked. */
	n_named: number | null;
	/** importance × (1 − p_satisfied); null when either is null. */
	is_rating: number | null;
	is_band: TIsBand | null;
}

/**
 * Links importance_top3 options to the 5-point items they rank. Rule (shared with SQL): an
 * option whose key equals a satisfaction5/rating5 question key ranks that question; otherwise an
 * option whose key equals the `service_category` of exactly one such question ranks it.
 * Returns question key → { question: importance question key, option: option key }.
 */
export function importanceLinks(
	questions: readonly TQuestion[]
): Map<string, { question: string; option: string }> {
	const scaled = questions.filter((q) => q.kind === 'satisfaction5' || q.kind === 'rating5');
	const links = new Map<string, { question: string; option: string }>();
	for (const iq of questions.filter((q) => q.kind === 'importance_top3')) {
		for (const opt of iq.options ?? []) {
			let target = scaled.find((q) => q.key === opt.key);
			if (!target) {
				const byCategory = scaled.filter((q) => q.service_category === opt.key);
				if (byCategory.length === 1) target = byCategory[0];
			}
			if (target && !links.has(target.key)) {
				links.set(target.key, { question: iq.key, option: opt.key });
			}
		}
	}
	return links;
}

/**
 * Scores every satisfaction5 / rating5 question over `responses` (already narrowed to one wave,
 * and to one district when `district` is given: responses whose district differs are skipped).
 * Output follows question order (`position`).
 */
export function scoreQuestions(
	questions: readonly TQuestion[],
	responses: readonly TScoredResponse[],
	options: { district?: string | null } = {}
): TQuestionScore[] {
	const inScope =
		options.district == null ? responses : responses.filter((r) => r.district === options.district);
	const links = importanceLinks(questions);
	const shares = new Map<string, ReturnType<typeof importanceShares>>();
	for (const iq of new Set([...links.values()].map((l) => l.question))) {
		shares.set(
			iq,
			importanceShares(
				inScope.map((r) => {
					const v = r.answers[iq];
					return {
						picks: Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null,
						weight: r.weight
					};
				})
			)
		);
	}
	return [...questions]
		.sort((a, b) => a.position - b.position)
		.filter(
			(q): q is TQuestion & { kind: 'satisfaction5' | 'rating5' } =>
				q.kind === 'satisfaction5' || q.kind === 'rating5'
		)
		.map((q) => {
			const sat = scoreSatisfaction(
				inScope.map((r) => ({ value: r.answers[q.key], weight: r.weight }))
			);
			const link = links.get(q.key);
			const share = link ? shares.get(link.question) : undefined;
			const importance = share && link ? (share.importance[link.option] ?? 0) : null;
			const nNamed = share && link ? (share.n_named[link.option] ?? 0) : null;
			const rating = importance === null ? null : isRating(importance, sat.p_satisfied);
			return {
				question_key: q.key,
				kind: q.kind,
				...sat,
				n_respondents: inScope.length,
				importance,
				n_named: nNamed,
				is_rating: rating,
				is_band: isBand(rating)
			};
		});
}
