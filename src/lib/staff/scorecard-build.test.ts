import { describe, expect, it } from 'vitest';
import type { TScorecard, TScorecardMeasure, TTrendPoint } from '$domain/scorecard';
import { periodsOf } from './scorecard-build';

const point = (period: string): TTrendPoint => ({
	period,
	value: 0.5,
	margin: null,
	n: null,
	target: null,
	status: 'no_target',
	sample: null
});

const measure = (key: string, period: string | null, trend: TTrendPoint[]): TScorecardMeasure => ({
	id: key,
	key,
	name: { en: key, es: key },
	description: null,
	unit: 'percent',
	direction: 'higher',
	kind: 'operational',
	question_key: null,
	period,
	value: trend.at(-1)?.value ?? null,
	margin: null,
	n: null,
	target: null,
	target_period: null,
	status: 'no_target',
	warning: null,
	in_progress: null,
	trend,
	narrative: null,
	narrative_period: null,
	published: true
});

describe('the period picker', () => {
	it('lists every period present in the trends, newest first, a year after its quarters', () => {
		const card: TScorecard = {
			period: null,
			district: null,
			generated_at: '2026-12-06T00:00:00Z',
			goal_areas: [
				{
					id: 'a',
					key: 'a',
					name: { en: 'A', es: 'A' },
					description: null,
					goals: [
						{
							id: 'g',
							key: 'g',
							title: { en: 'G', es: 'G' },
							description: null,
							narrative: null,
							narrative_period: null,
							measures: [
								measure('ops', '2026-Q2', [point('2026-Q1'), point('2026-Q2')]),
								measure('survey', '2025', [point('2024'), point('2025')])
							]
						}
					]
				}
			]
		};
		expect(periodsOf(card)).toEqual(['2026-Q2', '2026-Q1', '2025', '2024']);
	});
});
