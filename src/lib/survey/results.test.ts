import { expect, it } from 'vitest';
import { buildRatedScores, type TPublicResults } from './results';
import { fixture } from './test-fixture';

const measure = (key: string, target: number, status: 'met' | 'not_met' | 'within_margin') => ({
	key,
	goal_key: 'g',
	direction: 'higher' as const,
	target,
	target_period: '2025',
	status
});

const data: TPublicResults = {
	wave: { id: 'w', label: '2025 resident survey', period: '2025' },
	questions: [
		{ key: 'q3_01', percent_satisfied: 0.4502, measure: measure('sat_police', 0.5, 'not_met') },
		{ key: 'q3_02', percent_satisfied: 0.75, measure: measure('sat_fire', 0.75, 'met') },
		{
			key: 'q3_03',
			percent_satisfied: 0.23,
			measure: measure('sat_streets', 0.25, 'within_margin')
		},
		{ key: 'q3_04', percent_satisfied: null, measure: null } // withheld: fewer than 30 answers
	]
};

it('shows the rated services with the published % satisfied, target and the database status', () => {
	const rows = buildRatedScores(fixture, data, ['q3_03', 'q3_01', 'q3_02']);
	expect(rows.map((r) => [r.question_key, r.value, r.target, r.status])).toEqual([
		['q3_01', 0.45, 0.5, 'not_met'],
		['q3_02', 0.75, 0.75, 'met'],
		['q3_03', 0.23, 0.25, 'within_margin']
	]);
	expect(rows[0].name).toEqual({ en: 'Police services', es: 'Servicios de policía' });
});

it('leaves out services the resident did not rate and cells with neither a score nor a target', () => {
	expect(buildRatedScores(fixture, data, ['q3_04'])).toEqual([]);
	expect(buildRatedScores(fixture, data, ['q3_02']).map((r) => r.question_key)).toEqual(['q3_02']);
});
