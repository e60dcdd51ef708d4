import { parseCsv, type TCsvTable } from './csv';
import type { TImportRowError } from './plan';

/**
 * Operational values and targets from CSV. Header (case-insensitive, any column order):
 * `measure` (or `measure_key`), `period`, and `value` and/or `target`. One row may give both.
 * A blank value/target cell means "nothing for this period" (not zero).
 *
 * period: `YYYY` (a year) or `YYYY-Qn` (a quarter), as in `targets.period` and
 * `measure_values.period`. Numbers: plain decimals (`81`, `0.81`, `-2.5`, `1e3`); a thousands
 * separator or a `%` sign is an error, so "81%" is never silently read as 0.81 or 81.
 *
 * Percent measures are written in points, as people say them (`81` = 81 %), like the staff
 * forms; the plan holds what is stored, the proportion (0.81; `$domain/scorecard`). A percent
 * figure outside 0..100 is an error; one under 1 (0.81 = 0.81 %) is accepted with a warning,
 * since it is usually a proportion typed by mistake.
 */
export interface TMeasureValueRow {
	measure_key: string;
	period: string;
	/** As stored: a proportion 0..1 for percent measures (the CSV says 81, this says 0.81). */
	value: number;
}

export interface TMeasureImportPlan {
	values: TMeasureValueRow[];
	targets: TMeasureValueRow[];
	errors: TImportRowError[];
	/** Accepted, but worth a second look (e.g. a percent figure under 1 %). */
	warnings: TImportRowError[];
	stats: { rows_read: number; rows_rejected: number };
}

/** `public.period_text`: a year or a quarter. */
export const PERIOD_PATTERN = /^\d{4}(?:-Q[1-4])?$/;
/** `measures.key`. */
export const MEASURE_KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses and validates a values/targets CSV. Pure: nothing is written. `measureKeys`, when
 * given, is the set of known measure keys; other keys are errors. A (measure, period) given
 * twice for the same kind is an error on the second row. Rows with any error are left out whole.
 */
export function planMeasureImport(
	csvText: string | TCsvTable,
	options: {
		measureKeys?: Iterable<string>;
		/** measure key → unit; percent measures are read in points and stored as proportions. */
		units?: Readonly<Record<string, string>>;
	} = {}
): TMeasureImportPlan {
	const { header, records } = typeof csvText === 'string' ? parseCsv(csvText) : csvText;
	const lower = header.map((h) => h.toLowerCase());
	const find = (...names: string[]) => lower.findIndex((h) => names.includes(h));
	const iMeasure = find('measure', 'measure_key');
	const iPeriod = find('period');
	const iValue = find('value');
	const iTarget = find('target');
	const missing = [
		iMeasure < 0 && '"measure" (or "measure_key")',
		iPeriod < 0 && '"period"',
		iValue < 0 && iTarget < 0 && '"value" or "target"'
	].filter(Boolean);
	if (missing.length) {
		throw new Error(
			`the CSV needs the column(s) ${missing.join(', ')}; its header is: ${header.join(', ')}`
		);
	}
	const known = options.measureKeys ? new Set(options.measureKeys) : null;
	const plan: TMeasureImportPlan = {
		values: [],
		targets: [],
		errors: [],
		warnings: [],
		stats: { rows_read: records.length, rows_rejected: 0 }
	};
	const seen = { value: new Map<string, number>(), target: new Map<string, number>() };
	records.forEach((rec, i) => {
		const row = i + 2;
		const before = plan.errors.length;
		const err = (column: string, message: string) => plan.errors.push({ row, column, message });
		const cell = (idx: number) => (idx < 0 ? '' : (rec[idx] ?? '').trim());
		const key = cell(iMeasure);
		const period = cell(iPeriod);
		if (!key) err(header[iMeasure], 'the measure key is blank');
		else if (known && !known.has(key)) err(header[iMeasure], `unknown measure "${key}"`);
		else if (!MEASURE_KEY_PATTERN.test(key)) {
			err(header[iMeasure], `"${key}" is not a measure key (a lowercase letter, then a-z, 0-9, _)`);
		}
		if (!PERIOD_PATTERN.test(period)) {
			err(header[iPeriod], `period "${period}" is not YYYY or YYYY-Q1..Q4 (e.g. 2026 or 2026-Q3)`);
		}
		const parsed: { kind: 'value' | 'target'; n: number }[] = [];
		for (const [kind, idx] of [
			['value', iValue],
			['target', iTarget]
		] as const) {
			const t = cell(idx);
			if (idx < 0 || t === '') continue;
			if (!NUMBER.test(t)) {
				err(header[idx], `${kind} "${t}" is not a plain number (no % sign or thousands separator)`);
				continue;
			}
			const n = Number(t);
			if (options.units?.[key] === 'percent') {
				if (n < 0 || n > 100) {
					err(header[idx], `${kind} "${t}" is not a percentage from 0 to 100 (write 81 for 81 %)`);
					continue;
				}
				if (n > 0 && n < 1)
					plan.warnings.push({
						row,
						column: header[idx],
						message: `${kind} "${t}" is read as ${t} %, under one percent; if you meant ${Number((n * 100).toPrecision(12))} %, write ${Number((n * 100).toPrecision(12))}`
					});
			}
			const at = `${key}\u0000${period}`;
			const prev = seen[kind].get(at);
			if (prev !== undefined)
				err(header[idx], `a ${kind} for ${key} ${period} is already on row ${prev}`);
			else seen[kind].set(at, row);
			// Points → proportion for percent measures, without binary noise (81 → 0.81).
			parsed.push({
				kind,
				n: options.units?.[key] === 'percent' ? Number((n / 100).toPrecision(12)) : n
			});
		}
		if (parsed.length === 0 && plan.errors.length === before) {
			err('', 'the row has neither a value nor a target');
		}
		if (plan.errors.length > before) {
			plan.stats.rows_rejected++;
			return;
		}
		for (const p of parsed) {
			(p.kind === 'value' ? plan.values : plan.targets).push({
				measure_key: key,
				period,
				value: p.n
			});
		}
	});
	return plan;
}
