import { describe, expect, it } from 'vitest';
import { parityFixture } from './parity-fixture';
import { scoreQuestions } from './score-questions';

describe('the SQL parity fixture covers the edge cases it promises', () => {
	it('is deterministic', () => {
		expect(parityFixture({ weighted: true })).toEqual(parityFixture({ weighted: true }));
	});

	it.each([false, true])('weighted: %s', (weighted) => {
		const { questions, responses } = parityFixture({ weighted });
		const s = Object.fromEntries(
			scoreQuestions(questions, responses).map((x) => [x.question_key, x])
		);
		expect(s.all_dk).toMatchObject({
			n_valid: 0,
			n_dont_know: 500,
			p_satisfied: null,
			is_rating: null
		});
		expect(s.all_sat.p_satisfied).toBe(1);
		expect(s.all_sat.margin).toBe(0);
		expect(s.none_sat.p_satisfied).toBe(0);
		expect(s.unnamed.importance).toBeNull(); // not an option of the top-3 question
		expect(s.mixed_b.kind).toBe('rating5');
		expect(s.mixed_a.n_eff).toBeLessThanOrEqual(s.mixed_a.n_valid);
		if (weighted) expect(s.mixed_a.n_eff).toBeLessThan(s.mixed_a.n_valid);
		else expect(s.mixed_a.n_eff).toBe(s.mixed_a.n_valid);
		const d1 = scoreQuestions(questions, responses, { district: '1' });
		expect(d1[0].n_respondents).toBe(responses.filter((r) => r.district === '1').length);
		expect(responses.some((r) => r.district === null)).toBe(true);
		expect(responses.some((r) => r.answers.top3 === undefined)).toBe(true);
	});
});
