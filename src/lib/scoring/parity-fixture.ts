import type { TQuestion } from '../domain/survey';
import type { TScoredResponse } from './score-questions';

/**
 * A deterministic synthetic wave for the SQL/TypeScript parity test: load `responses` into the
 * database (one response per item, answers by question key), call `question_scores` per
 * district and overall, and compare with `scoreQuestions(questions, responses, { district })`.
 * It contains every edge case the definitions name: an item everyone answers "don't know"
 * (`all_dk`), items at p = 1 (`all_sat`) and p = 0 (`none_sat`), an item nobody names in the
 * top 3 (`unnamed`), blanks and stray codes (99, 0), unequal weights, respondents without a
 * district and without top-3 picks.
 */
export interface TParityFixture {
	questions: TQuestion[];
	responses: (TScoredResponse & { id: string; district: string | null; weight: number })[];
}

/** mulberry32: a tiny seeded PRNG, so the fixture is the same on every machine. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function q(key: string, kind: TQuestion['kind'], position: number, options?: string[]): TQuestion {
	return {
		id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
		key,
		section: 'main',
		position,
		kind,
		prompt: { en: key, es: key },
		help: null,
		required: false,
		options: options?.map((k) => ({ key: k, label: { en: k, es: k } })) ?? null,
		min: null,
		max: null,
		max_length: null,
		show_if: null,
		service_category: null
	};
}

const SCALED = ['mixed_a', 'mixed_b', 'all_dk', 'all_sat', 'none_sat', 'unnamed'] as const;

/**
 * `n` respondents (default 500) over districts 1..4 (and some with none); weighted when
 * `weighted` (weights in [0.5, 2.5) with two decimals), else every weight is 1.
 */
export function parityFixture(
	options: { n?: number; weighted?: boolean; seed?: number } = {}
): TParityFixture {
	const { n = 500, weighted = false, seed = 2026 } = options;
	const rnd = prng(seed);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
	const questions = [
		...SCALED.map((k, i) => q(k, i === 1 ? 'rating5' : 'satisfaction5', i + 1)),
		q('top3', 'importance_top3', SCALED.length + 1, [
			'mixed_a',
			'mixed_b',
			'all_dk',
			'all_sat',
			'none_sat'
		])
	];
	const responses: TParityFixture['responses'] = [];
	for (let i = 0; i < n; i++) {
		const answers: Record<string, unknown> = {};
		const maybe = (key: string, v: number) => {
			if (rnd() < 0.08) return; // blank
			answers[key] = rnd() < 0.02 ? pick([99, 0]) : v; // stray codes: no answer
		};
		maybe('mixed_a', pick([1, 2, 3, 4, 5, 9]));
		maybe('mixed_b', pick([1, 2, 3, 3, 4, 4, 5, 9]));
		answers.all_dk = 9;
		maybe('all_sat', pick([4, 5, 9]));
		maybe('none_sat', pick([1, 2, 3, 9]));
		maybe('unnamed', pick([2, 4, 5]));
		if (rnd() > 0.1) {
			const keys = ['mixed_a', 'mixed_b', 'all_dk', 'all_sat', 'none_sat'];
			const picks: string[] = [];
			const count = 1 + Math.floor(rnd() * 3);
			while (picks.length < count) {
				const k = pick(keys);
				if (!picks.includes(k)) picks.push(k);
			}
			answers.top3 = picks;
		}
		responses.push({
			id: `00000000-0000-4000-9000-${String(i + 1).padStart(12, '0')}`,
			district: rnd() < 0.05 ? null : pick(['1', '2', '3', '4']),
			weight: weighted ? Math.round((0.5 + rnd() * 2) * 100) / 100 : 1,
			answers
		});
	}
	return { questions, responses };
}
