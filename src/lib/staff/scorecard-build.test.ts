import { describe, expect, it } from 'vitest';
import { buildScorecard, periodsOf, type TFrameworkRows } from './scorecard-build';

const L = (en: string) => ({ en, es: `${en} (es)` });

function rows(): TFrameworkRows {
	return {
		areas: [{ id: 'a1', key: 'infra', name: L('Infrastructure'), description: null, position: 1 }],
		goals: [
			{
				id: 'g1',
				goal_area_id: 'a1',
				key: 'streets',
				title: L('Streets'),
				description: null,
				position: 1,
				published: true
			},
			{
				id: 'g2',
				goal_area_id: 'a1',
				key: 'draft',
				title: L('Draft'),
				description: null,
				position: 2,
				published: false
			}
		],
		measures: [
			{
				id: 'm1',
				goal_id: 'g1',
				key: 'potholes',
				name: L('Potholes'),
				description: null,
				unit: 'percent',
				direction: 'higher',
				kind: 'operational',
				question_id: null,
				position: 1,
				published: true
			},
			{
				id: 'm2',
				goal_id: 'g1',
				key: 'permit_days',
				name: L('Permit days'),
				description: null,
				unit: 'days',
				direction: 'lower',
				kind: 'operational',
				question_id: null,
				position: 2,
				published: true
			},
			{
				id: 'm3',
				goal_id: 'g1',
				key: 'hidden',
				name: L('Hidden'),
				description: null,
				unit: 'count',
				direction: 'higher',
				kind: 'operational',
				question_id: null,
				position: 3,
				published: false
			},
			{
				id: 'm4',
				goal_id: 'g2',
				key: 'draft_m',
				name: L('Draft m'),
				description: null,
				unit: 'count',
				direction: 'higher',
				kind: 'operational',
				question_id: null,
				position: 1,
				published: true
			}
		],
		targets: [
			{ id: 't1', measure_id: 'm1', period: '2026-Q2', value: 88, published: true },
			{ id: 't2', measure_id: 'm1', period: '2026-Q3', value: 88, published: true },
			{ id: 't3', measure_id: 'm1', period: '2026', value: 88, published: true },
			{ id: 't4', measure_id: 'm2', period: '2026-Q3', value: 28, published: true }
		],
		values: [
			{
				id: 'v1',
				measure_id: 'm1',
				period: '2026-Q1',
				value: 71,
				n: null,
				margin: null,
				published: true
			},
			{
				id: 'v2',
				measure_id: 'm1',
				period: '2026-Q2',
				value: 86,
				n: null,
				margin: null,
				published: true
			},
			{
				id: 'v3',
				measure_id: 'm1',
				period: '2026-Q3',
				value: 90,
				n: null,
				margin: null,
				published: false
			},
			{
				id: 'v4',
				measure_id: 'm1',
				period: '2025',
				value: 78.8,
				n: null,
				margin: null,
				published: true
			},
			{
				id: 'v5',
				measure_id: 'm2',
				period: '2026-Q3',
				value: 30,
				n: null,
				margin: null,
				published: true
			}
		],
		narratives: [
			{
				id: 'n1',
				measure_id: 'm1',
				goal_id: null,
				period: '2026-Q2',
				body: L('Winter backlog'),
				published: true
			},
			{
				id: 'n2',
				measure_id: null,
				goal_id: 'g1',
				period: '2026',
				body: L('Goal story'),
				published: false
			}
		]
	};
}

describe('scorecard built from the tables', () => {
	it('public view shows only published rows under published parents, latest value first', () => {
		const card = buildScorecard(rows(), { period: null, audience: 'public' });
		const goals = card.goal_areas[0].goals;
		expect(goals.map((g) => g.key)).toEqual(['streets']);
		expect(goals[0].measures.map((m) => m.key)).toEqual(['potholes', 'permit_days']);
		const potholes = goals[0].measures[0];
		// 2026-Q3 is unpublished, so the public sees Q2: 86 against 88 → not met, with the narrative.
		expect(potholes).toMatchObject({ period: '2026-Q2', value: 86, target: 88, status: 'not_met' });
		expect(potholes.narrative?.en).toBe('Winter backlog');
		expect(goals[0].narrative).toBeNull();
	});

	it('staff view includes unpublished rows and judges lower-is-better measures correctly', () => {
		const card = buildScorecard(rows(), { period: null, audience: 'staff' });
		const [streets, draft] = card.goal_areas[0].goals;
		expect(draft.key).toBe('draft');
		const potholes = streets.measures.find((m) => m.key === 'potholes')!;
		expect(potholes).toMatchObject({ period: '2026-Q3', value: 90, status: 'met' });
		const permits = streets.measures.find((m) => m.key === 'permit_days')!;
		expect(permits).toMatchObject({ value: 30, target: 28, status: 'not_met' });
		expect(streets.measures.find((m) => m.key === 'hidden')!.status).toBe('no_data');
		expect(streets.narrative?.en).toBe('Goal story');
	});

	it('a quarter is never judged against the annual target, and the trend keeps one granularity', () => {
		const card = buildScorecard(rows(), { period: '2026-Q2', audience: 'staff' });
		const potholes = card.goal_areas[0].goals[0].measures[0];
		expect(potholes.trend.map((p) => p.period)).toEqual(['2026-Q1', '2026-Q2']);
		expect(potholes.trend.map((p) => p.target)).toEqual([null, 88]);
		expect(potholes.target_period).toBe('2026-Q2');
	});

	it('a period with a value but no target says so instead of guessing', () => {
		const card = buildScorecard(rows(), { period: '2026-Q1', audience: 'staff' });
		const potholes = card.goal_areas[0].goals[0].measures[0];
		expect(potholes).toMatchObject({ value: 71, target: null, status: 'no_target' });
	});

	it('lists the periods present, newest first', () => {
		const card = buildScorecard(rows(), { period: null, audience: 'staff' });
		expect(periodsOf(card)).toEqual(['2026-Q3', '2026-Q2', '2026-Q1']);
	});
});
