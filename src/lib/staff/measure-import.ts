/**
 * Turns a checked values/targets CSV (`planMeasureImport` from `$lib/import`) into the rows to
 * upsert. Idempotent by construction: a (measure, period) already stored keeps its row id (and
 * its published flag unless `publish` is set), so importing the same file twice rewrites the
 * same rows and adds none. New rows get fresh client UUIDs.
 */
import type { TMeasureImportPlan } from '$lib/import/measures';
import type { TMeasureRow, TTargetRow, TValueRow } from './scorecard-build';

export function measureImportRows(
	plan: TMeasureImportPlan,
	stored: { measures: TMeasureRow[]; targets: TTargetRow[]; values: TValueRow[] },
	options: { publish: boolean; source: string; uuid?: () => string }
): { targets: TTargetRow[]; values: TValueRow[] } {
	const uuid = options.uuid ?? (() => crypto.randomUUID());
	const idOf = new Map(stored.measures.map((m) => [m.key, m.id]));
	const key = (measureId: string, period: string) => `${measureId}|${period}`;
	const oldTargets = new Map(stored.targets.map((r) => [key(r.measure_id, r.period), r]));
	const oldValues = new Map(stored.values.map((r) => [key(r.measure_id, r.period), r]));

	const targets = plan.targets.flatMap((t): TTargetRow[] => {
		const measureId = idOf.get(t.measure_key);
		if (!measureId) return [];
		const old = oldTargets.get(key(measureId, t.period));
		return [
			{
				id: old?.id ?? uuid(),
				measure_id: measureId,
				period: t.period,
				value: t.value,
				published: options.publish || (old?.published ?? false)
			}
		];
	});
	const values = plan.values.flatMap((v): TValueRow[] => {
		const measureId = idOf.get(v.measure_key);
		if (!measureId) return [];
		const old = oldValues.get(key(measureId, v.period));
		return [
			{
				id: old?.id ?? uuid(),
				measure_id: measureId,
				period: v.period,
				value: v.value,
				n: old?.n ?? null,
				margin: old?.margin ?? null,
				source: options.source,
				published: options.publish || (old?.published ?? false)
			}
		];
	});
	return { targets, values };
}
