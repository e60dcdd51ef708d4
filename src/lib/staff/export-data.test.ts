import { describe, expect, it } from 'vitest';
import type { TQuestionScores } from '$domain/scorecard';
import { microdataToCsv, scoresToCsv } from '$lib/import/export';
import { toDefinitionQuestions, toMicrodataRows, toScoreExportRows } from './export-data';

const scores: TQuestionScores = {
	wave: {
		id: 'w',
		label: '2025 resident survey',
		period: '2025',
		mode: 'invited',
		results_published: true,
		in_progress: false
	},
	district: null,
	sample: 'invited',
	samples: ['invited'],
	respondents: 400,
	survey_margin: 0.049,
	matrix: { mean_importance: 0.3, mean_satisfaction: 0.5 },
	questions: [
		{
			question_id: 'q1',
			key: 'q3_03',
			kind: 'satisfaction5',
			prompt: { en: 'Streets', es: 'Calles' },
			service_category: 'streets',
			n_valid: 380,
			n_dont_know: 20,
			n_effective: 380,
			percent_satisfied: 0.19,
			mean: 2.4,
			margin: 0.0394,
			importance: 0.7,
			is_rating: 0.567,
			is_band: 'very_high',
			suppressed: false,
			warning: null,
			change: null,
			measure: null
		},
		{
			question_id: 'q2',
			key: 'q6_district',
			kind: 'district',
			prompt: { en: 'District', es: 'Distrito' },
			service_category: null,
			n_valid: 0,
			n_dont_know: 0,
			n_effective: null,
			percent_satisfied: null,
			mean: null,
			margin: null,
			importance: null,
			is_rating: null,
			is_band: null,
			suppressed: false,
			warning: null,
			change: null,
			measure: null
		}
	]
};

describe('score export', () => {
	it('exports rated questions with percentages as the CSV writer formats them', () => {
		const rows = toScoreExportRows(scores);
		expect(rows).toHaveLength(1);
		const csv = scoresToCsv(rows, 'staff');
		const [header, line] = csv.trim().split(/\r?\n/);
		expect(header.split(',').slice(0, 5)).toEqual([
			'wave',
			'district',
			'question_key',
			'n_valid',
			'pct_satisfied'
		]);
		expect(line).toContain('2025 resident survey,all,q3_03,380,19.0,3.9');
	});
});

describe('microdata export', () => {
	const questions = [
		{
			id: 'q1',
			key: 'q3_03',
			position: 1,
			kind: 'satisfaction5',
			prompt: { en: 'S', es: 'S' },
			options: null,
			service_category: 'streets',
			survey_id: 's'
		},
		{
			id: 'q9',
			key: 'q11_comment',
			position: 9,
			kind: 'text',
			prompt: { en: 'C', es: 'C' },
			options: null,
			service_category: null,
			survey_id: 's'
		}
	];
	const responses = Array.from({ length: 6 }, (_, i) => ({
		id: `r${i}`,
		district: '1',
		weight: '1'
	}));
	const answers = responses.flatMap((r, i) => [
		{
			response_id: r.id,
			question_id: 'q1',
			numeric_value: String((i % 5) + 1),
			choice_value: null,
			choice_values: null,
			text_value: null
		},
		{
			response_id: r.id,
			question_id: 'q9',
			numeric_value: null,
			choice_value: null,
			choice_values: null,
			text_value: `my street ${i}`
		}
	]);

	it('keys answers by question, numbers as numbers, and never writes free text publicly', () => {
		const rows = toMicrodataRows(responses, answers, questions);
		expect(rows[1]).toEqual({
			district: '1',
			weight: 1,
			answers: { q3_03: 2, q11_comment: 'my street 1' }
		});
		const csv = microdataToCsv(rows, toDefinitionQuestions(questions), 'public');
		expect(csv).not.toContain('my street');
		expect(csv).not.toContain('r0');
		expect(csv.split(/\r?\n/)[0]).not.toContain('q11_comment');
	});
});
