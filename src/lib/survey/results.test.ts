import { expect, it } from 'vitest';
import { buildRatedScores, type TPublicResults } from './results';
import { fixture } from './test-fixture';

const idOf = (key: string) => fixture.questions.find((q) => q.key === key)!.id;

const data: TPublicResults = {
	wave: { id: 'w', label: '2025 resident survey', period: '2025' },
	questions: [
		{ key: 'q3_01', percent_satisfied: 0.45, margin: 0.03 },
		{ key: 'q3_02', percent_satisfied: 0.75, margin: 0.02 },
		{ key: 'q3_03', percent_satisfied: 0.23, margin: 0.03 },
		{ key: 'q3_04', percent_satisfied: null, margin: null } // withheld: fewer than 30 answers
	],
	measures: [
		{ id: 'm1', question_id: idOf('q3_01'), direction: 'higher' },
		{ id: 'm2', question_id: idOf('q3_02'), direction: 'higher' },
		{ id: 'm3', question_id: idOf('q3_03'), direction: 'higher' }
	],
	targets: [
		{ measure_id: 'm1', value: 50 },
		{ measure_id: 'm2', value: 75 },
		{ measure_id: 'm3', value: 25 }
	]
};

it('shows the rated services with % satisfied, target and honest status, in survey order', () => {
	const rows = buildRatedScores(fixture, data, ['q3_03', 'q3_01', 'q3_02']);
	expect(rows.map((r) => [r.question_key, Math.round(r.percent!), r.target, r.status])).toEqual([
		['q3_01', 45, 50, 'not_met'],
		['q3_02', 75, 75, 'met'],
		['q3_03', 23, 25, 'within_margin']
	]);
	expect(rows[0].name).toEqual({ en: 'Police services', es: 'Servicios de policía' });
});

it('leaves out services the resident did not rate and cells with neither a score nor a target', () => {
	expect(buildRatedScores(fixture, data, ['q3_04'])).toEqual([]);
	expect(buildRatedScores(fixture, data, ['q3_02']).map((r) => r.question_key)).toEqual(['q3_02']);
});
