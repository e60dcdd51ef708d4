import { describe, expect, it } from 'vitest';
import { targetStatus, type TTargetInput } from './target-status';

describe('target status: met, not met, within the margin', () => {
	it.each<TTargetInput & { status: string | null }>([
		{ value: 0.52, target: 0.5, margin: 0.03, direction: 'higher', status: 'met' },
		{ value: 0.5, target: 0.5, margin: 0.03, direction: 'higher', status: 'met' }, // on target
		{ value: 0.48, target: 0.5, margin: 0.03, direction: 'higher', status: 'within_margin' },
		{ value: 0.47, target: 0.5, margin: 0.03, direction: 'higher', status: 'within_margin' }, // 0.47+0.03 = 0.49999…
		{ value: 0.46, target: 0.5, margin: 0.03, direction: 'higher', status: 'not_met' },
		{ value: 0.46, target: 0.5, margin: null, direction: 'higher', status: 'not_met' },
		{ value: 12, target: 15, direction: 'lower', status: 'met' },
		{ value: 16, target: 15, margin: 1, direction: 'lower', status: 'within_margin' },
		{ value: 16.5, target: 15, margin: 1, direction: 'lower', status: 'not_met' },
		{ value: 0.81, target: 0.75, direction: 'higher', status: 'met' }, // Independence, Q1 FY17-18
		{ value: null, target: 0.5, direction: 'higher', status: null },
		{ value: 0.5, target: null, direction: 'higher', status: null }
	])('$value vs $target ($direction is better, ±$margin) → $status', (c) => {
		expect(targetStatus(c)).toBe(c.status);
	});

	it('rejects a negative margin', () => {
		expect(() => targetStatus({ value: 1, target: 2, margin: -1, direction: 'higher' })).toThrow(
			RangeError
		);
	});
});
