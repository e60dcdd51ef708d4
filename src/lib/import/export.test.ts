import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { TQuestion } from '../domain/survey';
import { scoreQuestions } from '../scoring/score-questions';
import { microdataToCsv, scoresToCsv, type TMicrodataRow } from './export';

const q = (
	key: string,
	kind: TQuestion['kind'],
	position: number,
	options?: string[]
): TQuestion => ({
	id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
	key,
	section: 's',
	position,
	kind,
	prompt: { en: key, es: key },
	help: null,
	required: false,
	options: options?.map((k) => ({ key: k, label: { en: k, es: k } })) ?? null,
	min: null,
	max: null,
	max_length: null,
	show_if: null,
	service_category: null
});
const questions = [
	q('streets', 'satisfaction5', 1),
	q('top3', 'importance_top3', 2, ['streets']),
	q('district', 'district', 3, ['1', '2', '3']),
	q('zip', 'zip', 4),
	q('comment', 'text', 5)
];
const table = (csv: string) => Papa.parse<string[]>(csv.trim()).data;

function responses(n: number, district: string, value: number): TMicrodataRow[] {
	return Array.from({ length: n }, () => ({
		district,
		weight: 1,
		answers: {
			streets: value,
			top3: ['streets'],
			district,
			zip: '64111',
			comment: 'call me at 555'
		}
	}));
}

describe('CSV export of scores', () => {
	const rows = [...responses(40, '1', 4), ...responses(20, '2', 2), ...responses(3, '3', 5)];
	const byDistrict = (d: string) => ({
		...scoreQuestions(questions, rows, { district: d })[0],
		wave: 'FY2026',
		district: d
	});
	const scores = [
		{ ...scoreQuestions(questions, rows)[0], wave: 'FY2026' },
		byDistrict('1'),
		byDistrict('2'),
		byDistrict('3')
	];

	it('staff export: shows cells of 5 or more people, never a cell under 5', () => {
		const t = table(scoresToCsv(scores, 'staff'));
		expect(t[0]).toEqual([
			'wave',
			'district',
			'question_key',
			'n_valid',
			'pct_satisfied',
			'margin_pct',
			'mean',
			'importance_pct',
			'is_rating',
			'is_band',
			'small_sample',
			'note'
		]);
		// all: 43 of 63 satisfied = 68.3%; mean (40·4 + 20·2 + 3·5)/63 = 3.41
		expect(t[1]).toEqual([
			'FY2026',
			'all',
			'streets',
			'63',
			'68.3',
			'11.5',
			'3.41',
			'100.0',
			'0.317',
			'very_high',
			'yes',
			''
		]);
		expect(t[3].slice(3, 5)).toEqual(['20', '0.0']);
		expect(t[4]).toEqual([
			'FY2026',
			'3',
			'streets',
			'',
			'',
			'',
			'',
			'',
			'',
			'',
			'',
			'withheld: fewer than 5 respondents (n = 3)'
		]);
	});

	it('public export: also withholds cells under 30', () => {
		const t = table(scoresToCsv(scores, 'public'));
		expect(t[2].slice(3, 5)).toEqual(['40', '100.0']);
		expect(t[3].slice(3, 5)).toEqual(['', '']);
		expect(t[3][11]).toBe('withheld: fewer than 30 respondents (n = 20)');
	});
});

describe('CSV export of anonymised microdata', () => {
	const rows = [...responses(6, '1', 4), ...responses(2, '2', 1)];

	it('public: no ids, no free text, no ZIP; rare district values blanked', () => {
		const t = table(microdataToCsv(rows, questions, 'public'));
		expect(t[0]).toEqual(['row', 'district', 'weight', 'streets', 'top3', 'district']);
		expect(t[1]).toEqual(['1', '1', '1', '4', 'streets', '1']);
		expect(t[7]).toEqual(['7', '', '1', '1', 'streets', '']); // district 2 has only 2 people
		expect(t).toHaveLength(9);
		expect(JSON.stringify(t)).not.toContain('555');
	});

	it('staff: free text included; still no cell under 5', () => {
		const t = table(microdataToCsv(rows, questions, 'staff'));
		expect(t[0]).toContain('comment');
		expect(t[1]).toContain('call me at 555');
	});

	it('fewer than 5 responses: header only', () => {
		expect(table(microdataToCsv(rows.slice(0, 4), questions, 'public'))).toHaveLength(1);
	});
});
