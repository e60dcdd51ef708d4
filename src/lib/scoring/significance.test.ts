import { describe, expect, it } from 'vitest';
import { satisfactionChange, twoProportionZTest } from './significance';
import { normalCdf } from './stats';

describe('change between waves: pooled two-proportion z-test at 95%', () => {
	// Expected z and p-values computed by hand / with erfc in a calculator.
	it.each([
		{ p1: 0.4, n1: 100, p2: 0.5, n2: 100, z: 1.421338, p: 0.155218, significant: false },
		{ p1: 0.46, n1: 1000, p2: 0.5, n2: 1000, z: 1.790287, p: 0.073408, significant: false },
		{ p1: 0.3, n1: 50, p2: 0.5, n2: 60, z: 2.12434, p: 0.033642, significant: true },
		{ p1: 0.5, n1: 60, p2: 0.3, n2: 50, z: -2.12434, p: 0.033642, significant: true }
	])('$p1 (n $n1) → $p2 (n $n2): z $z', ({ p1, n1, p2, n2, z, p, significant }) => {
		const t = twoProportionZTest({ p: p1, n: n1 }, { p: p2, n: n2 })!;
		expect(t.difference).toBeCloseTo(p2 - p1, 12);
		expect(t.z).toBeCloseTo(z, 5);
		expect(t.p_value).toBeCloseTo(p, 6);
		expect(t.significant).toBe(significant);
	});

	it('KC streets rose from 13.5% (139 of 1,029) to 18.7% (183 of 980): significant', () => {
		const t = satisfactionChange(
			{ p_satisfied: 139 / 1029, n_eff: 1029 },
			{ p_satisfied: 183 / 980, n_eff: 980 }
		)!;
		expect(t.z).toBeCloseTo(3.154373, 5);
		expect(t.p_value).toBeCloseTo(0.001608, 6);
		expect(t.significant).toBe(true);
		expect(
			satisfactionChange({ p_satisfied: null, n_eff: 0 }, { p_satisfied: 0.2, n_eff: 9 })
		).toBeNull();
	});

	it('an empty wave cannot be compared', () => {
		expect(twoProportionZTest({ p: 0.5, n: 0 }, { p: 0.5, n: 10 })).toBeNull();
	});

	it('both waves all satisfied (pooled p = 1): no change, not significant', () => {
		expect(twoProportionZTest({ p: 1, n: 40 }, { p: 1, n: 50 })).toEqual({
			difference: 0,
			z: 0,
			p_value: 1,
			significant: false
		});
	});

	it('the normal CDF gives the familiar 95% point', () => {
		expect(2 * (1 - normalCdf(1.96))).toBeCloseTo(0.049996, 5);
		expect(normalCdf(0)).toBeCloseTo(0.5, 7);
	});
});
