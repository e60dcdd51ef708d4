import { describe, expect, it } from 'vitest';
import type {
	TQuestionScore,
	TQuestionScores,
	TScorecard,
	TScorecardMeasure,
	TTargetStatus
} from '$domain/scorecard';
import { areaCounts, needsAttention, priorities, significantChanges } from './overview';

const measure = (key: string, status: TTargetStatus): TScorecardMeasure => ({
	id: key,
	key,
	name: { en: key, es: key },
	description: null,
	unit: 'percent',
	direction: 'higher',
	kind: 'operational',
	question_key: null,
	period: '2026-Q3',
	value: 0.7,
	margin: null,
	n: null,
	target: 0.75,
	target_period: '2026-Q3',
	status,
	warning: null,
	in_progress: null,
	trend: [],
	narrative: null,
	narrative_period: null,
	published: true
});

const card: TScorecard = {
	period: null,
	district: null,
	generated_at: '2026-12-06T00:00:00Z',
	goal_areas: [
		{
			id: 'a1',
			key: 'safety',
			name: { en: 'Public safety', es: 'Seguridad' },
			description: null,
			goals: [
				{
					id: 'g1',
					key: 'ps_response',
					title: { en: 'Fast response', es: 'Respuesta rápida' },
					description: null,
					narrative: null,
					narrative_period: null,
					measures: [
						measure('fire_ems', 'within_margin'),
						measure('calls_911', 'met'),
						measure('response_90th', 'not_met')
					]
				}
			]
		},
		{
			id: 'a2',
			key: 'infra',
			name: { en: 'Infrastructure', es: 'Infraestructura' },
			description: null,
			goals: [
				{
					id: 'g2',
					key: 'it_streets',
					title: { en: 'Streets', es: 'Calles' },
					description: null,
					narrative: null,
					narrative_period: null,
					measures: [measure('potholes', 'not_met'), measure('new_measure', 'no_target')]
				}
			]
		}
	]
};

const score = (key: string, over: Partial<TQuestionScore>): TQuestionScore => ({
	question_id: key,
	key,
	kind: 'satisfaction5',
	prompt: { en: key, es: key },
	service_category: key,
	n_valid: 700,
	n_dont_know: 10,
	n_effective: 700,
	percent_satisfied: 0.5,
	mean: 3,
	margin: 0.037,
	importance: 0.2,
	is_rating: 0.1,
	is_band: 'medium',
	suppressed: false,
	warning: null,
	change: null,
	measure: null,
	...over
});

const change = (delta: number, significant: boolean) => ({
	wave_id: 'w24',
	label: '2024',
	percent_satisfied: 0.5 - delta,
	n_valid: 700,
	delta,
	z: delta * 40,
	p_value: significant ? 0.01 : 0.4,
	significant
});

const scores: TQuestionScores = {
	wave: {
		id: 'w25',
		label: '2025',
		period: '2025',
		mode: 'invited',
		results_published: true,
		in_progress: false
	},
	district: null,
	sample: 'invited',
	samples: ['invited'],
	respondents: 768,
	survey_margin: 0.035,
	matrix: { mean_importance: 0.2, mean_satisfaction: 0.5 },
	questions: [
		score('police', {
			change: change(-0.06, true),
			measure: {
				key: 'sat_police',
				goal_key: 'ps_crime',
				direction: 'higher',
				target: 0.5,
				target_period: '2025',
				status: 'not_met'
			}
		}),
		score('parks', { change: change(0.05, true) }),
		score('trash', { change: change(-0.09, true) }),
		score('water', { change: change(-0.02, false) }),
		score('streets', {
			is_rating: 0.58,
			is_band: 'very_high',
			measure: {
				key: 'sat_streets',
				goal_key: 'it_streets',
				direction: 'higher',
				target: 0.25,
				target_period: '2025',
				status: 'not_met'
			}
		}),
		score('traffic', { is_rating: 0.14, is_band: 'high' }),
		score('planning', { is_rating: 0.21, is_band: 'very_high' })
	]
};

describe('staff overview: what needs attention', () => {
	it('lists missed targets first, then those within the margin, each with its goal page', () => {
		const rows = needsAttention(card);
		expect(rows.map((r) => [r.measure.key, r.measure.status, r.goal_key])).toEqual([
			['response_90th', 'not_met', 'ps_response'],
			['potholes', 'not_met', 'it_streets'],
			['fire_ems', 'within_margin', 'ps_response']
		]);
	});

	it('lists significant changes only, declines first and the largest fall first', () => {
		const rows = significantChanges(scores);
		expect(rows.map((r) => [r.score.key, r.score.change!.delta])).toEqual([
			['trash', -0.09],
			['police', -0.06],
			['parks', 0.05]
		]);
		// A question linked to a goal through its survey measure links to that goal's page.
		expect(rows[1].goal_key).toBe('ps_crime');
		expect(rows[0].goal_key).toBeNull();
	});

	it('lists very high, then high importance–satisfaction priorities, highest rating first', () => {
		expect(priorities(scores).map((r) => [r.score.key, r.score.is_band, r.goal_key])).toEqual([
			['streets', 'very_high', 'it_streets'],
			['planning', 'very_high', null],
			['traffic', 'high', null]
		]);
	});

	it('counts met / within the margin / not met per goal area and goal', () => {
		const areas = areaCounts(card);
		expect(areas.map((a) => [a.key, a.counts])).toEqual([
			['safety', { met: 1, within: 1, notmet: 1, none: 0 }],
			['infra', { met: 0, within: 0, notmet: 1, none: 1 }]
		]);
		expect(areas[1].goals[0]).toMatchObject({ key: 'it_streets', counts: { notmet: 1, none: 1 } });
	});
});
