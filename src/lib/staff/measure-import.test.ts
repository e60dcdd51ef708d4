import { describe, expect, it } from 'vitest';
import { planMeasureImport } from '$lib/import/measures';
import { measureImportRows } from './measure-import';
import type { TMeasureRow } from './scorecard-build';

const measure = (id: string, key: string): TMeasureRow => ({
	id,
	goal_id: 'g',
	key,
	name: { en: key, es: key },
	description: null,
	unit: 'percent',
	direction: 'higher',
	kind: 'operational',
	question_id: null,
	position: 0,
	published: true
});

describe('operational values and targets from CSV', () => {
	const csv = 'measure,period,value,target\npotholes_3day,2026-Q4,91,88\npermit_days,2026,,27\n';
	const measures = [measure('m1', 'potholes_3day'), measure('m2', 'permit_days')];

	it('updates stored rows in place and adds new ones once', () => {
		const plan = planMeasureImport(csv, { measureKeys: measures.map((m) => m.key) });
		let n = 0;
		const uuid = () => `new-${++n}`;
		const first = measureImportRows(
			plan,
			{
				measures,
				targets: [{ id: 't-old', measure_id: 'm2', period: '2026', value: 28, published: true }],
				values: []
			},
			{ publish: false, source: 'CSV import', uuid }
		);
		expect(first.targets).toEqual([
			{ id: 'new-1', measure_id: 'm1', period: '2026-Q4', value: 88, published: false },
			{ id: 't-old', measure_id: 'm2', period: '2026', value: 27, published: true }
		]);
		expect(first.values).toEqual([
			{
				id: 'new-2',
				measure_id: 'm1',
				period: '2026-Q4',
				value: 91,
				n: null,
				margin: null,
				source: 'CSV import',
				published: false
			}
		]);
		// Re-importing after those rows are stored reuses every id: nothing new is created.
		const again = measureImportRows(
			plan,
			{ measures, targets: first.targets, values: first.values },
			{ publish: true, source: 'CSV import', uuid }
		);
		expect(again.targets.map((r) => r.id)).toEqual(['new-1', 't-old']);
		expect(again.values.map((r) => r.id)).toEqual(['new-2']);
		expect(again.values[0].published).toBe(true);
	});
});
