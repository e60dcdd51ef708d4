import { describe, expect, it } from 'vitest';
import type { TQuestionScore, TQuestionScores, TScorecardMeasure } from '$domain/scorecard';
import {
	districtConfig,
	districtRows,
	districtSummary,
	matrixConfig,
	matrixPoints,
	matrixSummary,
	trendConfig,
	trendSeries,
	trendSummary
} from './builders';

const measure = (over: Partial<TScorecardMeasure> = {}): TScorecardMeasure => ({
	id: 'm',
	key: 'sat_streets',
	name: { en: 'Streets', es: 'Calles' },
	description: null,
	unit: 'percent',
	direction: 'higher',
	kind: 'survey',
	question_key: 'q3_03',
	period: '2025',
	value: 0.19,
	margin: 0.02,
	n: 1000,
	target: 0.25,
	target_period: '2025',
	status: 'not_met',
	warning: null,
	in_progress: null,
	trend: [
		{
			period: '2023',
			value: 0.142,
			margin: 0.021,
			n: 1045,
			target: null,
			status: 'no_target',
			sample: null
		},
		{
			period: '2024',
			value: 0.16,
			margin: 0.02,
			n: 1000,
			target: 0.2,
			status: 'not_met',
			sample: 'invited'
		},
		{
			period: '2025',
			value: 0.19,
			margin: 0.02,
			n: 1000,
			target: 0.25,
			status: 'not_met',
			sample: 'invited'
		}
	],
	narrative: null,
	narrative_period: null,
	published: true,
	...over
});

describe('trend chart', () => {
	it('draws imported history and wave scores, all proportions, on one percent scale', () => {
		const s = trendSeries('en', measure());
		expect(s.values).toEqual([14.2, 16, 19]);
		expect(s.targets).toEqual([null, 20, 25]);
		expect(s.upper).toEqual([16.3, 18, 21]);
	});
	it('draws values, target and margin band in percent points, period by period', () => {
		const s = trendSeries('en', measure());
		expect(s.labels).toEqual(['2023', '2024', '2025']);
		expect(s.values).toEqual([14.2, 16, 19]);
		expect(s.targets).toEqual([null, 20, 25]);
		expect(s.upper[2]).toBeCloseTo(21);
		expect(s.lower[2]).toBeCloseTo(17);
		const cfg = trendConfig('en', s, true);
		expect(cfg.options?.animation).toBe(false);
		expect(cfg.data.datasets.map((d) => d.label)).toEqual([
			'Upper margin',
			'Lower margin',
			'Value',
			'Target'
		]);
	});
	it('summarises first and last value and the honest status in one sentence', () => {
		expect(trendSummary('en', measure(), 'Streets')).toBe(
			'Streets: 19.0% in 2025, from 14.2% in 2023; target 25.0%, target not met.'
		);
		expect(trendSummary('es', measure(), 'Calles')).toContain('meta no cumplida');
	});
	it('says when there is nothing to draw', () => {
		expect(trendSummary('en', measure({ trend: [], value: null }), 'Streets')).toBe(
			'Streets: no values yet.'
		);
	});
});

const score = (over: Partial<TQuestionScore>): TQuestionScore => ({
	question_id: 'q',
	key: 'q3_03',
	kind: 'satisfaction5',
	prompt: { en: 'Streets', es: 'Calles' },
	service_category: 'streets',
	n_valid: 200,
	n_dont_know: 0,
	n_effective: 200,
	percent_satisfied: 0.2,
	mean: 2.5,
	margin: 0.05,
	importance: 0.7,
	is_rating: 0.56,
	is_band: 'very_high',
	suppressed: false,
	warning: null,
	change: null,
	measure: null,
	...over
});

describe('district bars', () => {
	const districts = [
		{ key: '1', label: 'District 1' },
		{ key: '2', label: 'District 2' },
		{ key: '3', label: 'District 3' }
	];
	it('withholds small cells instead of drawing them as zero, and says how many', () => {
		const rows = districtRows(
			'en',
			districts,
			new Map([
				['1', score({ percent_satisfied: 0.3 })],
				['2', score({ percent_satisfied: null, suppressed: true, n_valid: 12 })],
				['3', score({ percent_satisfied: 0.1, warning: 'small_sample', n_valid: 60 })]
			])
		);
		expect(rows.map((r) => r.value)).toEqual([30, null, 10]);
		expect(rows[1].withheld).toBe(true);
		expect(rows[2].small).toBe(true);
		expect(districtSummary('en', rows, 'Streets')).toBe(
			'Streets: highest in district 1 (30.0%), lowest in district 3 (10.0%). 1 withheld for having fewer than 30 answers.'
		);
		const cfg = districtConfig('en', rows, false, '3');
		expect(cfg.data.datasets[0].data).toEqual([30, null, 10]);
	});
	it('handles a single visible district and none at all', () => {
		const one = districtRows('en', districts.slice(0, 1), new Map([['1', score({})]]));
		expect(districtSummary('en', one, 'Streets')).toMatch(/only district 1/);
		expect(districtSummary('en', [], 'Streets')).toMatch(/no district/);
	});
});

describe('importance–satisfaction matrix', () => {
	const scores: TQuestionScores = {
		wave: {
			id: 'w',
			label: '2025',
			period: '2025',
			mode: 'invited',
			results_published: true,
			in_progress: false
		},
		district: null,
		sample: 'invited',
		samples: ['invited'],
		respondents: 1000,
		survey_margin: 0.031,
		matrix: { mean_importance: 0.3, mean_satisfaction: 0.5 },
		questions: [
			score({
				key: 'streets',
				prompt: { en: 'Streets', es: 'Calles' },
				importance: 0.7,
				percent_satisfied: 0.2,
				is_rating: 0.56
			}),
			score({
				key: 'fire',
				prompt: { en: 'Fire', es: 'Bomberos' },
				importance: 0.3,
				percent_satisfied: 0.75,
				is_rating: 0.075
			}),
			score({
				key: 'parks',
				prompt: { en: 'Parks', es: 'Parques' },
				importance: 0.1,
				percent_satisfied: 0.5,
				is_rating: 0.05
			}),
			score({
				key: 'police',
				prompt: { en: 'Police', es: 'Policía' },
				importance: 0.1,
				percent_satisfied: 0.45,
				is_rating: 0.055
			}),
			score({ key: 'tiny', importance: null, percent_satisfied: null, suppressed: true })
		]
	};
	it('puts items in quadrants split at the means, ties on the upper side', () => {
		const m = matrixPoints('en', scores, new Set(['streets']));
		expect(Object.fromEntries(m.points.map((p) => [p.key, p.quadrant]))).toEqual({
			streets: 'priority',
			fire: 'strength', // importance exactly at the mean counts as important
			parks: 'maintain', // satisfaction exactly at the mean counts as satisfied
			police: 'monitor'
		});
		expect(m.points.find((p) => p.key === 'streets')!.highlighted).toBe(true);
		expect(m.meanImportance).toBeCloseTo(30);
	});
	it('names the priorities in the summary, in the reader’s language', () => {
		const m = matrixPoints('es', scores);
		expect(matrixSummary('es', m)).toContain(
			'Prioridades (importantes, satisfacción por debajo del promedio): Calles.'
		);
		const cfg = matrixConfig('es', m, true);
		// Quadrant lines: a vertical one at mean importance, a horizontal one at mean satisfaction.
		expect(cfg.data.datasets[1].data).toEqual([
			{ x: 30, y: 0 },
			{ x: 30, y: 100 }
		]);
		expect(cfg.data.datasets[2].data[0]).toEqual({ x: 0, y: 50 });
	});
	it('falls back to the plotted items’ means when the database gives none', () => {
		const m = matrixPoints('en', {
			...scores,
			matrix: { mean_importance: null, mean_satisfaction: null }
		});
		expect(m.meanImportance).toBeCloseTo(30);
		expect(m.meanSatisfaction).toBeCloseTo(47.5);
		expect(matrixSummary('en', matrixPoints('en', { ...scores, questions: [] }))).toMatch(
			/No service/
		);
	});
});
