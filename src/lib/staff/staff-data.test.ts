import { describe, expect, it } from 'vitest';
import { PeriodRowIds } from './staff-data';

describe('ids of rows unique per subject and period', () => {
	const counter = () => {
		let n = 0;
		return () => `new-${++n}`;
	};
	const byMeasure = (id: string) => (r: { measure_id: string }) => r.measure_id === id;

	it('updates the stored row when one exists for that measure and period', () => {
		const ids = new PeriodRowIds(counter());
		const stored = [{ id: 'old', measure_id: 'm', period: '2026-Q3' }];
		expect(ids.idFor(stored, byMeasure('m'), 'm', '2026-Q3')).toBe('old');
		expect(ids.idFor(stored, byMeasure('m'), 'm', '2026-Q4')).toBe('new-1');
	});

	it('a retry after a failed save reuses the same new id', () => {
		const ids = new PeriodRowIds(counter());
		expect(ids.idFor([], byMeasure('m'), 'm', '2026')).toBe('new-1');
		expect(ids.idFor([], byMeasure('m'), 'm', '2026')).toBe('new-1');
	});

	it('saving again before the list reloads updates the row just saved, not a second one', () => {
		const ids = new PeriodRowIds(counter());
		const first = ids.idFor([], byMeasure('m'), 'm', '2026');
		ids.remember('m', '2026', first);
		expect(ids.idFor([], byMeasure('m'), 'm', '2026')).toBe(first);
		// Another period gets a new id.
		expect(ids.idFor([], byMeasure('m'), 'm', '2027')).toBe('new-2');
	});
});
