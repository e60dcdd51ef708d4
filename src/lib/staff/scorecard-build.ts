/**
 * The goal framework's table rows as the staff screens read and write them (goal_areas …
 * narratives; database column names, no mapping layer), and small helpers over the scorecard
 * tree. Scorecard figures and statuses themselves come only from the database
 * (`public_scorecard` / `staff_scorecard`): there is no second implementation here.
 */
import type { TLocalized } from '$domain/survey';
import type { TScorecard } from '$domain/scorecard';
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
