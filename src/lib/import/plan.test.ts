import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TSurveyDefinition, TWave } from '../domain/survey';
import { scoreQuestions } from '../scoring/score-questions';
import { ImportMappingError, type TImportMapping } from './mapping';
import { nothingMatched } from './apply';
import { planImport } from './plan';

const fixtures = fileURLToPath(new URL('../../../tests/fixtures/import/', import.meta.url));
const dataDir = fileURLToPath(new URL('../../../../shared/survey-data/', import.meta.url));
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`real-file import tests skipped: ${dataDir} is absent`);

const json = <T>(name: string): T => JSON.parse(readFileSync(fixtures + name, 'utf8')) as T;
const kcDefinition = json<TSurveyDefinition>('kc-resident.definition.json');
const kcWaves = json<TWave[]>('kc-resident.waves.json');
const kcMapping = json<TImportMapping>('kcmo-fy2022.mapping.json');
const readData = (file: string) => readFileSync(dataDir + file, 'utf8');
const KC_Q1 = 'kcmo_resident_survey_fy2022_q1_sep2021.csv';
const KC_Q3 = 'kcmo_resident_survey_fy2022_q3_mar2022.csv';
/** KCMO Q1 respondents with at least one top-3 pick (counted independently with a script). */
const Q1_ANY_PICK = 912;

/** A small mapping over the KC fixture definition for hand-made CSVs. */
function smallMapping(extra: Partial<TImportMapping> = {}): TImportMapping {
	return {
		survey: 'kc-resident',
		wave: { label: 'FY2022 Q1' },
		id_column: 'id',
		missing_values: ['', 'NA', '99'],
		district: { column: 'cd', question: 'district' },
		columns: { streets: 'q3_03', police: 'q3_01', zip: 'zip', age: 'years_in_city' },
		top3: [{ question: 'q4', columns: ['t1', 't2', 't3'], items: { '1': 'q3_01', '3': 'q3_03' } }],
		...extra
	};
}
const HEAD = 'id,cd,streets,police,zip,age,t1,t2,t3';

describe.skipIf(!haveData)('dry run on the real KCMO and Durham files', () => {
	it('KCMO Q1: all 1,033 rows become responses with no errors', () => {
		const plan = planImport(readData(KC_Q1), kcMapping, kcDefinition);
		expect(plan.stats).toMatchObject({
			rows_read: 1033,
			rows_filtered: 0,
			rows_accepted: 1033,
			rows_rejected: 0
		});
		expect(plan.errors).toEqual([]);
		expect(plan.wave_id).toBe(kcDefinition.wave.id);
		// 99 and NA are no answer; 9 (don't know) is kept: q3_03 has 1,029 valid + 4 don't know.
		expect(plan.stats.answered.q3_03).toBe(1033);
		expect(plan.rows.filter((r) => r.response.answers.q3_03 === 9)).toHaveLength(4);
		// 121 first picks are 99 (no answer); respondents with any pick name at least one item.
		expect(plan.stats.answered.q4).toBe(Q1_ANY_PICK);
		const first = plan.rows[0];
		expect(first).toMatchObject({ row: 2, source_id: '58' });
		expect(first.response).toMatchObject({
			wave_id: kcDefinition.wave.id,
			language: 'en',
			source: 'import',
			mode: 'invited',
			weight: 1,
			district: '1',
			external_id: '58',
			submitted_at: '2021-09-30T23:59:59.000Z'
		});
		expect(first.response.answers).toMatchObject({
			q3_01: 2,
			q3_03: 2,
			district: '1',
			zip: '64117',
			race: 'black',
			years_in_city: 70,
			q4: ['q3_09', 'q3_01', 'q3_03'] // picks 9, 1, 3 in the file
		});
	});

	it('KCMO Q1 imported then scored gives the published streets and police figures', () => {
		const plan = planImport(readData(KC_Q1), kcMapping, kcDefinition);
		const scores = scoreQuestions(
			kcDefinition.questions,
			plan.rows.map((r) => r.response)
		);
		const streets = scores.find((s) => s.question_key === 'q3_03')!;
		const police = scores.find((s) => s.question_key === 'q3_01')!;
		expect(streets.n_valid).toBe(1029);
		expect((streets.p_satisfied! * 100).toFixed(1)).toBe('13.5');
		expect((streets.importance! * 100).toFixed(1)).toBe('69.9');
		expect(streets.is_rating!.toFixed(3)).toBe('0.605');
		expect(police.n_valid).toBe(995);
		expect((police.p_satisfied! * 100).toFixed(1)).toBe('47.4');
		expect((police.importance! * 100).toFixed(1)).toBe('50.4');
		expect(police.is_rating!.toFixed(3)).toBe('0.265');
	});

	it('KCMO Q3 goes into the Q3 wave with the same mapping (wave chosen per run)', () => {
		const plan = planImport(readData(KC_Q3), kcMapping, kcDefinition, {
			waves: kcWaves,
			wave: { label: 'FY2022 Q3' }
		});
		expect(plan.stats).toMatchObject({ rows_read: 984, rows_accepted: 984, rows_rejected: 0 });
		expect(new Set(plan.rows.map((r) => r.response.wave_id))).toEqual(new Set([kcWaves[0].id]));
	});

	it('the same file twice gives the same response ids; every id is unique', () => {
		const a = planImport(readData(KC_Q1), kcMapping, kcDefinition);
		const b = planImport(readData(KC_Q1), structuredClone(kcMapping), kcDefinition);
		const ids = a.rows.map((r) => r.response.id);
		expect(b.rows.map((r) => r.response.id)).toEqual(ids);
		expect(new Set(ids).size).toBe(1033);
	});

	it('Durham: the "Inside City of Durham = YES" filter keeps the 673 city respondents', () => {
		const plan = planImport(
			readData('durham_2022_resident_survey.csv'),
			json('durham-2022.mapping.json'),
			json('durham-resident.definition.json')
		);
		expect(plan.stats).toMatchObject({
			rows_read: 891,
			rows_filtered: 218,
			rows_accepted: 673,
			rows_rejected: 0
		});
		// Durham's blanks are a single space; PAC codes map to district keys.
		const districts = new Set(plan.rows.map((r) => r.response.district));
		expect([...districts].sort()).toEqual(['pac1', 'pac2', 'pac3', 'pac4', 'pac5']);
		expect(plan.rows[0].response.answers.race_other).toBe('Hispanic');
		expect(
			plan.rows.every(
				(r) => !('race_other' in r.response.answers) || r.response.answers.race_other !== ''
			)
		).toBe(true);
	});
});

describe('value codes', () => {
	const plan = (csv: string, extra: Partial<TImportMapping> = {}) =>
		planImport(csv, smallMapping(extra), kcDefinition);

	it("keeps 9 (don't know), omits 99 / NA / blank, reads ZIP+4 and drops gaps in the top 3", () => {
		const p = plan(`${HEAD}\n1,2,9,99,64111-1234,12,NA,3,1\n2,6,NA,,64111,,1,,\n`);
		expect(p.errors).toEqual([]);
		expect(p.rows[0].response.answers).toEqual({
			district: '2',
			q3_03: 9,
			zip: '64111',
			years_in_city: 12,
			q4: ['q3_03', 'q3_01']
		});
		expect(p.rows[1].response.answers).toEqual({ district: '6', zip: '64111', q4: ['q3_01'] });
	});

	it('reports an unknown code with its row and column, and rejects that row whole', () => {
		const p = plan(`${HEAD}\n1,2,4,5,64111,12,1,,\n2,2,7,5,64111,12,1,1,\n3,9,4,5,6411,200,2,,\n`);
		expect(p.stats).toMatchObject({ rows_read: 3, rows_accepted: 1, rows_rejected: 2 });
		expect(p.errors).toEqual([
			{
				row: 3,
				column: 'streets',
				message: `"7" is not a valid satisfaction5 answer (1–5, or 9 = don't know); map it to null in "codes" if it means no answer`
			},
			{ row: 3, column: 't2', message: 'item "1" is picked twice' },
			{
				row: 4,
				column: 'cd',
				message: expect.stringContaining('"9" is not an option of "district"')
			},
			{ row: 4, column: 'zip', message: '"6411" is not a 5-digit ZIP code' },
			{ row: 4, column: 'age', message: '"200" is outside 0..120' },
			{ row: 4, column: 't1', message: expect.stringContaining('item "2" is not in top3 items') }
		]);
	});

	it('column codes win over kind codes and missing values; several columns fill a multi question', () => {
		const p = planImport(
			'id,cd,web,mail,tv,streets\n1,1,Y,Y,,DK\n2,1,,,Y,0\n',
			smallMapping({
				top3: undefined,
				kind_codes: { satisfaction5: { DK: 9 } },
				columns: {
					web: { question: 'heard_from', codes: { Y: 'web' } },
					mail: { question: 'heard_from', codes: { Y: 'mail' } },
					tv: { question: 'heard_from', codes: { Y: 'tv' } },
					streets: { question: 'q3_03', codes: { '0': null } }
				}
			}),
			kcDefinition
		);
		expect(p.errors).toEqual([]);
		expect(p.rows.map((r) => r.response.answers)).toEqual([
			{ district: '1', heard_from: ['web', 'mail'], q3_03: 9 },
			{ district: '1', heard_from: ['tv'] }
		]);
	});

	it('weights: read from the weight column, and a bad weight is a row error', () => {
		const p = plan(
			`${HEAD},w\n1,1,4,4,64111,1,,,,1.25\n2,1,4,4,64111,1,,,,0\n3,1,4,4,64111,1,,,,\n4,1,4,4,64111,1,,,,1000\n`,
			{
				weight_column: 'w'
			}
		);
		expect(p.rows.map((r) => r.response.weight)).toEqual([1.25]);
		expect(p.errors.map((e) => [e.row, e.column, e.message])).toEqual([
			[3, 'w', 'weight "0" is not a number greater than 0 and below 1000'],
			[4, 'w', 'weight "" is not a number greater than 0 and below 1000'],
			[5, 'w', 'weight "1000" is not a number greater than 0 and below 1000']
		]);
	});

	it('a blank or repeated respondent id, a short row and an empty row are errors', () => {
		const p = plan(
			`${HEAD}\n1,1,4,4,64111,1,,,\n1,1,4,4,64111,1,,,\n,1,4,4,64111,1,,,\n5,1,4\n6,NA,,,,,,,\n`
		);
		expect(p.errors).toEqual([
			{ row: 3, column: 'id', message: 'respondent id "1" repeats row 2' },
			{ row: 4, column: 'id', message: 'the respondent id is blank' },
			{ row: 5, column: '', message: 'the row has 3 fields but the header has 9' },
			{ row: 6, column: '', message: 'the row answers none of the mapped questions' }
		]);
		expect(p.stats.rows_accepted).toBe(1);
	});

	it('language and submitted_at from columns', () => {
		const p = plan(
			`${HEAD},lang,date\n1,1,4,4,64111,1,,,,S,2021-09-02\n2,1,4,4,64111,1,,,,X,yesterday\n`,
			{
				language: { column: 'lang', values: { E: 'en', S: 'es' } },
				submitted_at: { column: 'date' }
			}
		);
		expect(p.rows[0].response).toMatchObject({
			language: 'es',
			submitted_at: '2021-09-02T00:00:00.000Z'
		});
		expect(p.errors.map((e) => e.message)).toEqual([
			'language "X" is not in language.values',
			'"yesterday" is not a date (ISO 8601 or YYYY-MM-DD)'
		]);
	});
});

describe('messages quote the cell as written; what counts as a code is deliberate', () => {
	const plan = (csv: string, extra: Partial<TImportMapping> = {}) =>
		planImport(csv, smallMapping(extra), kcDefinition);
	const messages = (csv: string, extra: Partial<TImportMapping> = {}) =>
		plan(csv, extra).errors.map((e) => `${e.column}: ${e.message}`);

	it('a 20-digit code is quoted as written, not as 1e20', () => {
		expect(messages(`${HEAD}\n1,1,99999999999999999999,4,64111,1,,,\n`)).toEqual([
			`streets: "99999999999999999999" is not a valid satisfaction5 answer (1–5, or 9 = don't know); map it to null in "codes" if it means no answer`
		]);
	});

	it('a 5,000-digit number is quoted (shortened, with its length), not as null', () => {
		const huge = '9'.repeat(5000);
		const [message] = messages(`${HEAD}\n1,1,4,4,64111,${huge},,,\n`);
		expect(message).toBe(
			`age: "999999999999999999999999…" (5000 characters) has more digits than a number answer can store exactly (about 15 significant digits)`
		);
		expect(message).not.toContain('null');
		expect(message).not.toContain('Infinity');
		// The same cell as a 5-point code.
		expect(messages(`${HEAD}\n1,1,${huge},4,64111,1,,,\n`)[0]).toMatch(
			/^streets: "9{24}…" \(5000 characters\) is not a valid satisfaction5 answer/
		);
	});

	it('a number that would lose digits on the way to the database is refused, one that fits is kept', () => {
		expect(messages(`${HEAD}\n1,1,4,4,64111,12.50000000000000001,,,\n`)).toEqual([
			'age: "12.50000000000000001" has more digits than a number answer can store exactly (about 15 significant digits)'
		]);
		const ok = plan(`${HEAD}\n1,1,4,4,64111,012.500,,,\n`);
		expect(ok.errors).toEqual([]);
		expect(ok.rows[0].response.answers.years_in_city).toBe(12.5);
	});

	it('"5.000", "+4", "05" and "4.5" are not 5-point codes unless the mapping says so', () => {
		const bad = ['5.000', '+4', '05', '4.5', ' 4 x'];
		const p = plan(`${HEAD}\n${bad.map((c, i) => `${i + 1},1,${c},4,64111,1,,,`).join('\n')}\n`);
		expect(p.rows).toEqual([]);
		expect(p.errors.map((e) => e.message.slice(0, e.message.indexOf(' is not')))).toEqual([
			'"5.000"',
			'"+4"',
			'"05"',
			'"4.5"',
			'"4 x"'
		]);
		expect(p.errors[0].message).toBe(
			`"5.000" is not a satisfaction5 code (1–5, or 9 = don't know, written as a plain whole number); map other spellings such as "5.0" or "DK" in "kind_codes" or the column's "codes", or list them in "missing_values" if they mean no answer`
		);
		// Said explicitly in the mapping, they are read as written there.
		const mapped = plan(`${HEAD}\n1,1,5.000,4,64111,1,,,\n2,1,+4,4,64111,1,,,\n`, {
			kind_codes: { satisfaction5: { '5.000': 5, '+4': 4 } }
		});
		expect(mapped.errors).toEqual([]);
		expect(mapped.rows.map((r) => r.response.answers.q3_03)).toEqual([5, 4]);
		// "+4" is not a number answer either (a sign-less or minus-signed decimal is).
		expect(messages(`${HEAD}\n1,1,4,4,64111,+4,,,\n`)).toEqual([
			'age: "+4" is not a number: write digits with an optional minus sign and decimal point, such as 12 or -3.5'
		]);
	});

	it('a code mapped to a wrong value names both the cell and what it was mapped to', () => {
		expect(
			messages(`${HEAD}\n1,1,DK,4,64111,1,,,\n`, { kind_codes: { satisfaction5: { DK: 8 } } })
		).toEqual([
			`streets: "DK" (coded as 8) is not a valid satisfaction5 answer (1–5, or 9 = don't know); map it to null in "codes" if it means no answer`
		]);
	});
});

describe('the dry run checks what the database checks', () => {
	const plan = (csv: string, extra: Partial<TImportMapping> = {}, options = {}) =>
		planImport(csv, smallMapping(extra), kcDefinition, options);

	it('a respondent id over 200 characters is a row error (responses.external_id ≤ 200)', () => {
		const long = 'R'.repeat(201);
		const p = plan(`${HEAD}\n${long},1,4,4,64111,1,,,\n${'R'.repeat(200)},1,4,4,64111,1,,,\n`);
		expect(p.errors).toEqual([
			{
				row: 2,
				column: 'id',
				message: `respondent id "${'R'.repeat(24)}…" (201 characters) is longer than 200 characters`
			}
		]);
		expect(p.rows.map((r) => r.source_id.length)).toEqual([200]);
	});

	it('text answers longer than the question allows (2,000 without a max_length) are row errors', () => {
		const mapping = smallMapping({ top3: undefined, columns: { note: 'comment' } });
		const csv = (n: number) => `id,cd,note\n1,1,${'x'.repeat(n + 1)}\n2,1,${'y'.repeat(n)}\n`;
		// The fixture's comment question allows 1,000 characters.
		expect(
			planImport(csv(1000), mapping, kcDefinition).errors.map((e) => [e.row, e.message])
		).toEqual([
			[2, `"${'x'.repeat(24)}…" (1001 characters): the text is 1001 characters, more than 1000`]
		]);
		const unlimited = {
			...kcDefinition,
			questions: kcDefinition.questions.map((q) =>
				q.key === 'comment' ? { ...q, max_length: null } : q
			)
		};
		const p = planImport(csv(2000), mapping, unlimited);
		expect(p.errors.map((e) => [e.row, e.message])).toEqual([
			[2, `"${'x'.repeat(24)}…" (2001 characters): the text is 2001 characters, more than 2000`]
		]);
		expect(p.rows).toHaveLength(1);
	});

	it("a language the survey does not have is refused, in the mapping or in a row's code", () => {
		const english = {
			...kcDefinition,
			survey: { ...kcDefinition.survey, languages: ['en' as const] }
		};
		expect(() => planImport(`${HEAD}\n`, smallMapping({ language: 'es' }), english)).toThrow(
			'language: survey "kc-resident" has no "es" version (en)'
		);
		const p = planImport(
			`${HEAD},lang\n1,1,4,4,64111,1,,,,S\n2,1,4,4,64111,1,,,,E\n`,
			smallMapping({ language: { column: 'lang', values: { E: 'en', S: 'es' } } }),
			english
		);
		expect(p.errors.map((e) => e.message)).toEqual([
			'language "S" means "es", which survey "kc-resident" does not have (en)'
		]);
	});

	it('a sample mode the wave does not take, and a wave id nobody knows, are mapping errors', () => {
		expect(() => plan(`${HEAD}\n`, { mode: 'open' })).toThrow(
			'mode: the rows would be "open" respondents, but wave "FY2022 Q1" takes only "invited" respondents'
		);
		expect(() =>
			plan(`${HEAD}\n`, { wave: { id: '00000000-0000-4000-a000-0000000000ff' } })
		).toThrow('wave: no known wave has id 00000000-0000-4000-a000-0000000000ff');
	});
});

describe('nothing to import is said, not reported as "0 new"', () => {
	it('a header-only file', () => {
		const p = planImport(`${HEAD}\n`, smallMapping(), kcDefinition);
		expect(nothingMatched(p)).toBe('the file has a header but no data rows');
	});

	it('a filter that keeps no row names the values that are there', () => {
		const p = planImport(
			`${HEAD},inside\n1,1,4,4,64111,1,,,,YES\n2,1,4,4,64111,1,,,,NO\n3,1,4,4,64111,1,,,,YES\n`,
			smallMapping({ filter: { column: 'inside', equals: 'Yes' } }),
			kcDefinition
		);
		expect(p.stats).toMatchObject({ rows_read: 3, rows_filtered: 3, rows_accepted: 0 });
		expect(nothingMatched(p)).toBe(
			'the row filter kept none of the 3 rows ("inside" equals "Yes"; values found: "YES" (2), "NO" (1))'
		);
	});

	it('a plan with rows, or with row errors only, is not "nothing matched"', () => {
		expect(
			nothingMatched(planImport(`${HEAD}\n1,1,4,4,64111,1,,,\n`, smallMapping(), kcDefinition))
		).toBeNull();
		expect(
			nothingMatched(planImport(`${HEAD}\n1,1,7,4,64111,1,,,\n`, smallMapping(), kcDefinition))
		).toBeNull();
	});
});

describe('mapping validation', () => {
	const issues = (mapping: unknown, csv = `${HEAD}\n`): string[] => {
		try {
			planImport(csv, mapping, kcDefinition, { waves: kcWaves });
		} catch (e) {
			if (e instanceof ImportMappingError) return e.issues;
			throw e;
		}
		throw new Error('expected an ImportMappingError');
	};

	it('lists every structural problem at once, naming the column or question', () => {
		expect(
			issues(
				smallMapping({
					survey: 'durham-resident',
					wave: { label: 'FY2019' },
					columns: { streets: 'q3_99', nope: 'q3_01', police: 'q4', age: 'zip', zip: 'zip' }
				})
			)
		).toEqual([
			'survey: the mapping is for "durham-resident" but the definition is "kc-resident"',
			'wave: no known wave has label "FY2019"; known waves: "FY2022 Q1" (2021-Q3, 00000000-0000-4000-a000-00000000f221), "FY2022 Q3" (2022-Q1, 00000000-0000-4000-a000-00000000f223)',
			'columns["streets"]: question "q3_99" is not in survey "kc-resident"',
			'columns["nope"]: column "nope" is not in the CSV header',
			'columns["police"]: "q4" is an importance_top3 question; map it under "top3"',
			'columns["zip"]: question "zip" is already filled from columns["age"]'
		]);
	});

	it('checks top-3 items against the importance question and district against its kind', () => {
		expect(
			issues(
				smallMapping({
					district: { column: 'cd', question: 'zip' },
					top3: [{ question: 'q4', columns: ['t1', 't2', 't4'], items: { '1': 'police' } }]
				})
			)
		).toEqual([
			'district.question: "zip" is a zip question, not a district question',
			'columns["zip"]: question "zip" is already filled from district',
			'top3[0]: column "t4" is not in the CSV header',
			'top3[0].items: "police" are not options of "q4"'
		]);
	});

	it('rejects malformed JSON shapes with the path of each problem', () => {
		expect(
			issues({ survey: 'kc-resident', wave: {}, id_column: 'id', columns: { a: 3 }, filters: [] })
		).toEqual([
			'wave: give the wave id, label or period',
			'columns.a: map a column to a question key, or to { "question": key, "codes": { … } }',
			'(mapping): Unrecognized key: "filters"'
		]);
	});

	it('a row filter on a missing column is a mapping error, not 0 rows', () => {
		expect(issues(smallMapping({ filter: { column: 'Inside City', equals: 'YES' } }))).toEqual([
			'filter[0]: column "Inside City" is not in the CSV header'
		]);
	});
});
