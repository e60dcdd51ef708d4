import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline';

describe('sparkline of a measure against its target', () => {
	it('puts higher values higher on the picture and spans the width', () => {
		const s = sparkline(
			[
				{ value: 0.1, target: 0.2 },
				{ value: 0.3, target: 0.2 }
			],
			100,
			20,
			0
		);
		expect(s.values).toBe('M0 20 L100 0');
		expect(s.targets).toBe('M0 10 L100 10');
		expect(s.dots).toEqual([
			{ x: 0, y: 20 },
			{ x: 100, y: 0 }
		]);
	});
	it('lifts the pen over a missing value instead of drawing through it', () => {
		const s = sparkline(
			[
				{ value: 1, target: null },
				{ value: null, target: null },
				{ value: 3, target: null }
			],
			100,
			20,
			0
		);
		expect(s.values).toBe('M0 20 M100 0');
		expect(s.targets).toBe('');
	});
	it('draws a single or flat series in the middle, and nothing without data', () => {
		expect(sparkline([{ value: 5, target: 5 }], 100, 20, 0).dots).toEqual([{ x: 50, y: 10 }]);
		expect(sparkline([{ value: null, target: null }]).values).toBe('');
	});
});
