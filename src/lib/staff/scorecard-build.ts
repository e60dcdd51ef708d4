/**
 * Builds the `TScorecard` goal tree from plain table rows (goal_areas … narratives), with the
 * same period and status rules the scorecard RPCs document. Used when the database does not
 * (yet) offer `public_scorecard` / `staff_scorecard`, and by the staff forms to show the effect
 * of an edit at once. Pure: rows in, tree out.
 *
 * Survey measures here carry only the values stored in `measure_values` (imported history and
 * figures staff entered); live wave scores come from the RPCs.
 */
import type { TLocalized } from '$domain/survey';
import type {
	TScorecard,
	TScorecardArea,
	TScorecardMeasure,
	TTargetStatus,
	TTrendPoint
} from '$domain/scorecard';
import { targetStatus } from '$lib/scoring/target-status';
import { comparePeriods } from './format';

export interface TAreaRow {
	id: string;
	key: string;
	name: TLocalized;
	description: TLocalized | null;
	position: number;
}
export interface TGoalRow {
	id: string;
	goal_area_id: string;
	key: string;
	title: TLocalized;
	description: TLocalized | null;
	position: number;
	published: boolean;
}
export interface TMeasureRow {
	id: string;
	goal_id: string;
	key: string;
	name: TLocalized;
	description: TLocalized | null;
	unit: string;
	direction: 'higher' | 'lower';
	kind: 'survey' | 'operational';
	question_id: string | null;
	source?: string | null;
	position: number;
	published: boolean;
}
export interface TTargetRow {
	id: string;
	measure_id: string;
	period: string;
	value: number;
	published: boolean;
}
export interface TValueRow {
	id: string;
	measure_id: string;
	period: string;
	value: number;
	n: number | null;
	margin: number | null;
	source?: string | null;
	published: boolean;
}
export interface TNarrativeRow {
	id: string;
	measure_id: string | null;
	goal_id: string | null;
	period: string;
	body: TLocalized;
	published: boolean;
}
export interface TFrameworkRows {
	areas: TAreaRow[];
	goals: TGoalRow[];
	measures: TMeasureRow[];
	targets: TTargetRow[];
	values: TValueRow[];
	narratives: TNarrativeRow[];
	/** question id → key, for survey measures. */
	questionKeys?: Record<string, string>;
}

const isQuarter = (p: string) => p.includes('-Q');
const byPosition = <T extends { position: number; key: string }>(a: T, b: T) =>
	a.position - b.position || a.key.localeCompare(b.key);

/** Status of one figure against its target (DESIGN §6), with the no-data / no-target cases. */
export function measureStatus(
	value: number | null,
	target: number | null,
	margin: number | null,
	direction: 'higher' | 'lower'
): TTargetStatus {
	if (value === null) return 'no_data';
	if (target === null) return 'no_target';
	return targetStatus({ value, target, margin, direction }) ?? 'no_data';
}

/**
 * The scorecard for `period` (null = the latest value of each measure). A measure shows the
 * latest value at or before the period; its target is the one for that same period (a quarter's
 * actual is never judged against the annual target). The trend keeps the granularity of the
 * value shown (quarters or years), oldest first, up to the period. `public` keeps only rows whose
 * own flag and parents are published, like the RLS policies do.
 */
export function buildScorecard(
	rows: TFrameworkRows,
	options: { period: string | null; audience: 'public' | 'staff'; now?: Date }
): TScorecard {
	const { period, audience } = options;
	const visible = <T extends { published: boolean }>(r: T) => audience === 'staff' || r.published;
	const inRange = (p: string) => period === null || comparePeriods(p, period) <= 0;

	const targetsByMeasure = group(rows.targets.filter(visible), (t) => t.measure_id);
	const valuesByMeasure = group(rows.values.filter(visible), (v) => v.measure_id);
	const narratives = rows.narratives.filter(visible);

	const measureTree = (m: TMeasureRow): TScorecardMeasure => {
		const targets = new Map((targetsByMeasure.get(m.id) ?? []).map((t) => [t.period, t]));
		const values = (valuesByMeasure.get(m.id) ?? [])
			.filter((v) => inRange(v.period))
			.sort((a, b) => comparePeriods(a.period, b.period));
		// Prefer the exact period; otherwise the latest value before it.
		const latest =
			(period !== null ? values.find((v) => v.period === period) : undefined) ?? values.at(-1);
		const shownPeriod = latest?.period ?? period;
		const target = shownPeriod !== null ? (targets.get(shownPeriod) ?? null) : null;
		const value = latest ? Number(latest.value) : null;
		const margin =
			latest?.margin !== null && latest?.margin !== undefined ? Number(latest.margin) : null;
		const trend: TTrendPoint[] = values
			.filter((v) => !latest || isQuarter(v.period) === isQuarter(latest.period))
			.map((v) => ({
				period: v.period,
				value: Number(v.value),
				margin: v.margin === null ? null : Number(v.margin),
				n: v.n,
				target: targets.has(v.period) ? Number(targets.get(v.period)!.value) : null
			}));
		const narrative =
			narratives.find((n) => n.measure_id === m.id && n.period === shownPeriod) ?? null;
		return {
			id: m.id,
			key: m.key,
			name: m.name,
			description: m.description,
			unit: m.unit,
			direction: m.direction,
			kind: m.kind,
			question_key: m.question_id ? (rows.questionKeys?.[m.question_id] ?? null) : null,
			period: latest?.period ?? null,
			value,
			margin,
			n: latest?.n ?? null,
			target: target ? Number(target.value) : null,
			target_period: target ? target.period : null,
			status: measureStatus(value, target ? Number(target.value) : null, margin, m.direction),
			trend,
			narrative: narrative?.body ?? null,
			published: m.published
		};
	};

	const goalNarrative = (goalId: string): TLocalized | null => {
		const own = narratives
			.filter((n) => n.goal_id === goalId && inRange(n.period))
			.sort((a, b) => comparePeriods(a.period, b.period));
		return (
			((period !== null ? own.find((n) => n.period === period) : undefined) ?? own.at(-1))?.body ??
			null
		);
	};

	const areas: TScorecardArea[] = [...rows.areas].sort(byPosition).map((a) => ({
		id: a.id,
		key: a.key,
		name: a.name,
		description: a.description,
		goals: rows.goals
			.filter((g) => g.goal_area_id === a.id && visible(g))
			.sort(byPosition)
			.map((g) => ({
				id: g.id,
				key: g.key,
				title: g.title,
				description: g.description,
				narrative: goalNarrative(g.id),
				measures: rows.measures
					.filter((m) => m.goal_id === g.id && visible(m))
					.sort(byPosition)
					.map(measureTree)
			}))
	}));

	return {
		period,
		generated_at: (options.now ?? new Date()).toISOString(),
		goal_areas: audience === 'public' ? areas.filter((a) => a.goals.length > 0) : areas
	};
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		const list = map.get(k);
		if (list) list.push(item);
		else map.set(k, [item]);
	}
	return map;
}

/** Every period that appears in a scorecard's trends, newest first (for the period picker). */
export function periodsOf(card: TScorecard): string[] {
	const set = new Set<string>();
	for (const a of card.goal_areas)
		for (const g of a.goals)
			for (const m of g.measures) {
				for (const p of m.trend) set.add(p.period);
				if (m.period) set.add(m.period);
			}
	return [...set].sort((a, b) => comparePeriods(b, a));
}
