import { describe, expect, it } from 'vitest';
import { scoreSatisfaction, type TScaleObservation } from './satisfaction';
import { kishEffectiveN, proportionMargin, surveyMargin } from './stats';

const obs = (values: unknown[], weights?: number[]): TScaleObservation[] =>
	values.map((value, i) => ({ value, weight: weights?.[i] }));

describe('percent satisfied, mean and margins (hand-computed)', () => {
	// Each expected figure was worked out by hand from the DESIGN §6 formulas.
	const cases: {
		name: string;
		values: unknown[];
		weights?: number[];
		n_valid: number;
		n_dont_know: number;
		n_eff: number;
		p: number | null;
		mean: number | null;
		margin: number | null;
		survey_margin: number | null;
	}[] = [
		{
			name: 'one of each answer: 2 of 5 satisfied',
			values: [5, 4, 3, 2, 1],
			n_valid: 5,
			n_dont_know: 0,
			n_eff: 5,
			p: 0.4,
			mean: 3,
			margin: 0.429414, // 1.96·√(0.4·0.6/5)
			survey_margin: 0.438269 // 1.96·√(0.25/5)
		},
		{
			name: "don't know (9), blank, NA and 99 are excluded from the denominator",
			values: [5, 9, null, undefined, 99, 4, 1, 9, 'NA', 0, 6],
			n_valid: 3,
			n_dont_know: 2,
			n_eff: 3,
			p: 2 / 3,
			mean: 10 / 3,
			margin: 0.533444, // 1.96·√((2/3)(1/3)/3)
			survey_margin: 0.565803
		},
		{
			name: 'n = 0: nothing to report',
			values: [],
			n_valid: 0,
			n_dont_know: 0,
			n_eff: 0,
			p: null,
			mean: null,
			margin: null,
			survey_margin: null
		},
		{
			name: "everyone said don't know: n valid 0, no percentage",
			values: [9, 9, 9],
			n_valid: 0,
			n_dont_know: 3,
			n_eff: 0,
			p: null,
			mean: null,
			margin: null,
			survey_margin: null
		},
		{
			name: 'p = 1: the margin is exactly 0, the survey margin is not',
			values: [5, 4, 4],
			n_valid: 3,
			n_dont_know: 0,
			n_eff: 3,
			p: 1,
			mean: 13 / 3,
			margin: 0,
			survey_margin: 0.565803
		},
		{
			name: 'p = 0: the margin is exactly 0',
			values: [1, 2, 3, 9],
			n_valid: 3,
			n_dont_know: 1,
			n_eff: 3,
			p: 0,
			mean: 2,
			margin: 0,
			survey_margin: 0.565803
		},
		{
			name: 'weights: a satisfied respondent weighing 3 against a dissatisfied one weighing 1',
			values: [5, 1],
			weights: [3, 1],
			n_valid: 2,
			n_dont_know: 0,
			n_eff: 1.6, // (3+1)²/(9+1)
			p: 0.75,
			mean: 4, // (3·5 + 1·1)/4
			margin: 0.67096, // 1.96·√(0.75·0.25/1.6)
			survey_margin: 0.774758 // 1.96·√(0.25/1.6)
		},
		{
			name: "weights of don't-know answers do not count",
			values: [4, 2, 9],
			weights: [1, 1, 50],
			n_valid: 2,
			n_dont_know: 1,
			n_eff: 2,
			p: 0.5,
			mean: 3,
			margin: 0.692965, // 1.96·√(0.25/2)
			survey_margin: 0.692965
		}
	];

	it.each(cases)('$name', (c) => {
		const s = scoreSatisfaction(obs(c.values, c.weights));
		expect(s.n_valid).toBe(c.n_valid);
		expect(s.n_dont_know).toBe(c.n_dont_know);
		expect(s.n_eff).toBeCloseTo(c.n_eff, 12);
		for (const [got, want] of [
			[s.p_satisfied, c.p],
			[s.mean, c.mean],
			[s.margin, c.margin],
			[s.survey_margin, c.survey_margin]
		] as const) {
			if (want === null) expect(got).toBeNull();
			else expect(got).toBeCloseTo(want, 6);
		}
	});

	it('rejects a zero, negative or non-numeric weight instead of silently dropping a person', () => {
		expect(() => scoreSatisfaction(obs([4], [0]))).toThrow(/weight must be/);
		expect(() => scoreSatisfaction(obs([4], [-1]))).toThrow(/weight must be/);
		expect(() => scoreSatisfaction(obs([4], [NaN]))).toThrow(/weight must be/);
	});
});

describe('margin building blocks', () => {
	it('Kish effective n equals n for equal weights and shrinks with unequal weights', () => {
		expect(kishEffectiveN([1, 1, 1, 1])).toBe(4);
		expect(kishEffectiveN([2.5, 2.5])).toBe(2);
		expect(kishEffectiveN([1, 3])).toBeCloseTo(1.6, 12);
		expect(kishEffectiveN([])).toBe(0);
	});

	it('reproduces the ±3.0 points ETC quotes for one KC quarter (n = 1,033) and ±3.8 at n = 673', () => {
		expect(surveyMargin(1033)! * 100).toBeCloseTo(3.05, 2);
		expect(surveyMargin(673)! * 100).toBeCloseTo(3.78, 2);
		expect(surveyMargin(0)).toBeNull();
	});

	it('proportion margin is null for n = 0 and rejects a proportion outside [0, 1]', () => {
		expect(proportionMargin(0.5, 0)).toBeNull();
		expect(() => proportionMargin(1.2, 10)).toThrow(RangeError);
	});
});
