import { describe, expect, it } from 'vitest';
import { planMeasureImport } from './measures';

describe('operational values and targets from CSV', () => {
	it('reads values and targets, by year or quarter, in any column order and case', () => {
		const p = planMeasureImport(
			'Period,Measure,Target,Value\n2026-Q1,code_inspections_5d,0.75,0.81\n2026,code_inspections_5d,0.75,\n2026-Q2,potholes_days,,3.5\n'
		);
		expect(p.errors).toEqual([]);
		expect(p.values).toEqual([
			{ measure_key: 'code_inspections_5d', period: '2026-Q1', value: 0.81 },
			{ measure_key: 'potholes_days', period: '2026-Q2', value: 3.5 }
		]);
		expect(p.targets).toEqual([
			{ measure_key: 'code_inspections_5d', period: '2026-Q1', value: 0.75 },
			{ measure_key: 'code_inspections_5d', period: '2026', value: 0.75 }
		]);
		expect(p.stats).toEqual({ rows_read: 3, rows_rejected: 0 });
	});

	it('reports each bad cell with its row and leaves the bad rows out', () => {
		const p = planMeasureImport(
			'measure_key,period,value\nstreets,2026-Q5,1\nstreets,2026,81%\nghost,2026,2\nstreets,2026-Q1,4\nstreets,2026-Q1,5\nstreets,2026-Q2,\n',
			{ measureKeys: ['streets'] }
		);
		expect(p.errors).toEqual([
			{
				row: 2,
				column: 'period',
				message: 'period "2026-Q5" is not YYYY or YYYY-Q1..Q4 (e.g. 2026 or 2026-Q3)'
			},
			{
				row: 3,
				column: 'value',
				message: 'value "81%" is not a plain number (no % sign or thousands separator)'
			},
			{ row: 4, column: 'measure_key', message: 'unknown measure "ghost"' },
			{ row: 6, column: 'value', message: 'a value for streets 2026-Q1 is already on row 5' },
			{ row: 7, column: '', message: 'the row has neither a value nor a target' }
		]);
		expect(p.values).toEqual([{ measure_key: 'streets', period: '2026-Q1', value: 4 }]);
		expect(p.stats.rows_rejected).toBe(5);
	});

	it('rejects a measure key the database would refuse', () => {
		const p = planMeasureImport('measure,period,value\nStreets Satisfaction,2026,1\n');
		expect(p.errors).toEqual([
			{
				row: 2,
				column: 'measure',
				message:
					'"Streets Satisfaction" is not a measure key (a lowercase letter, then a-z, 0-9, _)'
			}
		]);
	});

	it('names the missing columns when the header is wrong', () => {
		expect(() => planMeasureImport('kpi,quarter,amount\na,2026,1\n')).toThrow(
			'the CSV needs the column(s) "measure" (or "measure_key"), "period", "value" or "target"; its header is: kpi, quarter, amount'
		);
	});
});

describe('percent measures: points in the CSV, proportions stored', () => {
	const units = { inspected_5day: 'percent', permit_days: 'days' };
	it('reads 81 as 81 % and stores 0.81; other units as written', () => {
		const plan = planMeasureImport(
			'measure,period,value,target\ninspected_5day,2026-Q3,81,75\npermit_days,2026-Q3,30,28\n',
			{ units }
		);
		expect(plan.errors).toEqual([]);
		expect(plan.values).toEqual([
			{ measure_key: 'inspected_5day', period: '2026-Q3', value: 0.81 },
			{ measure_key: 'permit_days', period: '2026-Q3', value: 30 }
		]);
		expect(plan.targets[0]).toEqual({
			measure_key: 'inspected_5day',
			period: '2026-Q3',
			value: 0.75
		});
	});
	it('refuses a percentage outside 0..100 and warns about one under 1 %', () => {
		const plan = planMeasureImport(
			'measure,period,value\ninspected_5day,2026,181\ninspected_5day,2025,0.8\n',
			{
				units
			}
		);
		expect(plan.errors).toEqual([
			{ row: 2, column: 'value', message: expect.stringContaining('from 0 to 100') }
		]);
		expect(plan.values).toEqual([{ measure_key: 'inspected_5day', period: '2025', value: 0.008 }]);
		expect(plan.warnings).toEqual([
			{ row: 3, column: 'value', message: expect.stringContaining('if you meant 80 %, write 80') }
		]);
	});
});
