import { describe, expect, it } from 'vitest';
import { importanceShares, isBand, isMatrix, isRating } from './importance';

describe('importance = share of ALL respondents naming the item in their top three', () => {
	it('counts respondents who named nothing in the denominator', () => {
		const s = importanceShares([
			{ picks: ['a', 'b', 'c'] },
			{ picks: ['a'] },
			{ picks: null },
			{ picks: ['b', 'a'] }
		]);
		expect(s.n_respondents).toBe(4);
		expect(s.importance).toEqual({ a: 0.75, b: 0.5, c: 0.25 });
		expect(s.n_named).toEqual({ a: 3, b: 2, c: 1 });
	});

	it('weights respondents and counts a repeated pick once', () => {
		const s = importanceShares([
			{ picks: ['a', 'a'], weight: 2 },
			{ picks: ['a'], weight: 1 },
			{ picks: [], weight: 2 }
		]);
		expect(s.importance.a).toBeCloseTo(3 / 5, 12);
		expect(s.n_named.a).toBe(2);
	});

	it('n = 0 gives no importance at all', () => {
		expect(importanceShares([])).toEqual({ n_respondents: 0, n_named: {}, importance: {} });
	});
});

describe('I-S rating and priority bands', () => {
	it.each([
		{ importance: 0.699, p: 0.135, rating: 0.604635, band: 'very_high' },
		{ importance: 0.4, p: 0.5, rating: 0.2, band: 'very_high' }, // boundary: ≥ 0.20
		{ importance: 0.3, p: 1 / 3, rating: 0.2, band: 'very_high' }, // float gives 0.19999…98
		{ importance: 0.2, p: 0.5, rating: 0.1, band: 'high' }, // boundary: ≥ 0.10
		{ importance: 0.2, p: 0.5005, rating: 0.0999, band: 'medium' },
		{ importance: 0.5, p: 0.6002, rating: 0.1999, band: 'high' },
		{ importance: 0, p: 0.3, rating: 0, band: 'medium' },
		{ importance: 0.5, p: 1, rating: 0, band: 'medium' },
		{ importance: 0.5, p: null, rating: null, band: null } // nobody rated it
	])(
		'importance $importance, satisfied $p → $rating ($band)',
		({ importance, p, rating, band }) => {
			const r = isRating(importance, p);
			if (rating === null) expect(r).toBeNull();
			else expect(r).toBeCloseTo(rating, 9);
			expect(isBand(r)).toBe(band);
		}
	);
});

describe('importance–satisfaction matrix', () => {
	it('splits at the means and puts ties on the upper side of each axis', () => {
		// mean importance (0.5+0.1+0.3+0.3)/4 = 0.3 (0.29999999999999993 in floating point),
		// mean satisfaction (0.5+0.9+0.1+0.5)/4 = 0.5.
		const m = isMatrix([
			{ key: 'a', importance: 0.5, p_satisfied: 0.5 },
			{ key: 'b', importance: 0.1, p_satisfied: 0.9 },
			{ key: 'c', importance: 0.3, p_satisfied: 0.1 },
			{ key: 'd', importance: 0.3, p_satisfied: 0.5 },
			{ key: 'unrated', importance: 0.9, p_satisfied: null }
		]);
		expect(m.mean_importance).toBeCloseTo(0.3, 12);
		expect(m.mean_satisfaction).toBeCloseTo(0.5, 12);
		expect(Object.fromEntries(m.items.map((i) => [i.key, i.quadrant]))).toEqual({
			a: 'continued_emphasis', // importance above, satisfaction tied
			b: 'exceeded_expectations',
			c: 'opportunities_for_improvement', // importance tied
			d: 'continued_emphasis' // tied on both axes
		});
		expect(m.excluded).toEqual(['unrated']);
	});

	it('all items equal: every item ties on both axes', () => {
		const m = isMatrix([
			{ key: 'x', importance: 0.2, p_satisfied: 0.4 },
			{ key: 'y', importance: 0.2, p_satisfied: 0.4 }
		]);
		expect(m.items.map((i) => i.quadrant)).toEqual(['continued_emphasis', 'continued_emphasis']);
	});

	it('nothing rated: no means, no items', () => {
		expect(isMatrix([{ key: 'x', importance: 0.2, p_satisfied: null }])).toEqual({
			mean_importance: null,
			mean_satisfaction: null,
			items: [],
			excluded: ['x']
		});
	});
});
