import { describe, expect, it } from 'vitest';
import {
	answersToSubmit,
	conditionHolds,
	pagesFor,
	ratedServiceKeys,
	validateAnswer,
	validateResponse
} from './logic';
import { fixture } from './test-fixture';
import type { TQuestion } from '$domain/survey';

const byKey = (key: string): TQuestion => {
	const q = fixture.questions.find((x) => x.key === key);
	if (!q) throw new Error(key);
	return q;
};

describe('skip logic', () => {
	it('orders pages by section position and hides follow-ups until their condition holds', () => {
		const pages = pagesFor(fixture, {});
		expect(pages.map((p) => p.section.key)).toEqual(['services', 'priorities', 'profile']);
		expect(pages[1].questions.map((q) => q.key)).toEqual(['q4', 'q5']);
		const shown = pagesFor(fixture, { q5: 'yes' });
		expect(shown[1].questions.map((q) => q.key)).toEqual(['q4', 'q5', 'q5a']);
	});

	it('hides a question chained to a hidden question even if its own answer is stale', () => {
		// q5b depends on q5a, which depends on q5 = yes. Switching q5 to "no" must hide both.
		const answers = { q5: 'no', q5a: 'old text', q5b: ['a'] };
		expect(pagesFor(fixture, answers)[1].questions.map((q) => q.key)).toEqual(['q4', 'q5']);
		expect(answersToSubmit(fixture, answers)).toEqual({ q5: 'no' });
	});

	it('evaluates every operator the contract defines', () => {
		expect(conditionHolds({ question: 'x', op: 'eq', value: 3 }, { x: 3 })).toBe(true);
		expect(conditionHolds({ question: 'x', op: 'eq', value: 3 }, {})).toBe(false);
		expect(conditionHolds({ question: 'x', op: 'neq', value: 3 }, {})).toBe(true);
		expect(conditionHolds({ question: 'x', op: 'neq', value: 3 }, { x: 4 })).toBe(true);
		expect(conditionHolds({ question: 'x', op: 'in', value: ['a', 'b'] }, { x: ['c', 'b'] })).toBe(
			true
		);
		expect(conditionHolds({ question: 'x', op: 'in', value: ['a'] }, { x: 'c' })).toBe(false);
		expect(conditionHolds({ question: 'x', op: 'answered' }, { x: '  ' })).toBe(false);
		expect(conditionHolds({ question: 'x', op: 'gte', value: 20 }, { x: 20 })).toBe(true);
		expect(conditionHolds({ question: 'x', op: 'lte', value: 20 }, { x: 21 })).toBe(false);
	});

	it('shows a numeric follow-up only past the threshold', () => {
		expect(pagesFor(fixture, { years: 25 })[2].questions.map((q) => q.key)).toContain(
			'years_followup'
		);
		expect(pagesFor(fixture, { years: 5 })[2].questions.map((q) => q.key)).not.toContain(
			'years_followup'
		);
	});
});

describe('answer validation', () => {
	it('accepts 1..5 and "don\'t know" (9) on satisfaction items, nothing else', () => {
		const q = byKey('q3_01');
		for (const v of [1, 5, 9]) expect(validateAnswer(q, v)).toBeUndefined();
		for (const v of [0, 6, 2.5, 'x'])
			expect(validateAnswer(q, v)).toEqual({ code: 'invalid_choice' });
		expect(validateAnswer(q, undefined)).toEqual({ code: 'required' });
		expect(validateAnswer(byKey('q3_02'), undefined)).toBeUndefined();
	});

	it('needs three distinct, ranked picks from the service list for top-3 importance', () => {
		const q = byKey('q4');
		expect(validateAnswer(q, ['q3_01', 'q3_02', 'q3_03'])).toBeUndefined();
		expect(validateAnswer(q, ['q3_01', '', ''])).toBeUndefined();
		expect(validateAnswer(q, ['q3_01', 'q3_01', ''])).toEqual({ code: 'top3_duplicate' });
		expect(validateAnswer(q, ['', 'q3_01', ''])).toEqual({ code: 'top3_order' });
		expect(validateAnswer(q, ['nope'])).toEqual({ code: 'invalid_choice' });
		expect(validateAnswer(q, ['q3_01', 'q3_02', 'q3_03', 'q3_04'])).toEqual({
			code: 'invalid_choice'
		});
		expect(answersToSubmit(fixture, { q4: ['q3_02', 'q3_01', ''] })).toEqual({
			q4: ['q3_02', 'q3_01']
		});
	});

	it('limits text length in characters, not bytes', () => {
		const q = byKey('q5a');
		expect(validateAnswer(q, 'ñañañañaña')).toBeUndefined();
		expect(validateAnswer(q, 'ñañañañañañ')).toEqual({ code: 'too_long', max: 10 });
		expect(validateAnswer(q, '   ')).toEqual({ code: 'required' });
	});

	it('checks numbers against the range, ZIP codes against five digits, districts against the list', () => {
		expect(validateAnswer(byKey('years'), 101)).toEqual({ code: 'out_of_range', min: 0, max: 100 });
		expect(validateAnswer(byKey('years'), Number.NaN)).toBeUndefined(); // blank and optional
		expect(validateAnswer(byKey('zip'), '6410')).toEqual({ code: 'zip_format' });
		expect(validateAnswer(byKey('zip'), '64106')).toBeUndefined();
		expect(validateAnswer(byKey('district'), '7')).toEqual({ code: 'invalid_choice' });
		expect(validateAnswer(byKey('district'), '6')).toBeUndefined();
		expect(validateAnswer(byKey('q5b'), ['a', 'a'])).toEqual({ code: 'invalid_choice' });
	});

	it('reports every problem on visible questions only, in page order', () => {
		const problems = validateResponse(fixture, { q5: 'yes', zip: 'abc' });
		expect(problems.map((p) => [p.question.key, p.error.code])).toEqual([
			['q3_01', 'required'],
			['q5a', 'required'],
			['district', 'required'],
			['zip', 'zip_format']
		]);
		expect(validateResponse(fixture, { q5: 'no', q3_01: 4, district: '2' })).toEqual([]);
	});
});

it('lists the services the resident actually rated, leaving out "don\'t know"', () => {
	expect(ratedServiceKeys(fixture, { q3_01: 4, q3_02: 9, q3_03: 1 })).toEqual(['q3_01', 'q3_03']);
});
