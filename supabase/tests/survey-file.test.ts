/**
 * The shipped survey file (static/examples/kc-resident-survey.json) is the demo's ETC-style
 * resident survey exactly as the builder exports it, passes the builder's checks, and imports
 * through save_survey into a new survey that exports to the same file (only the address
 * differs). PGlite only: this is about the file format, the engines are covered elsewhere.
 * Regenerate the file after changing the seed's survey: UPDATE_EXAMPLES=1 npx vitest run <this>.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSurvey, type TEditorState } from '../../src/lib/builder/api';
import { toDraft } from '../../src/lib/builder/model';
import { parseSurveyFile, surveyFileText } from '../../src/lib/builder/survey-file';
import { validateDraft } from '../../src/lib/builder/validate';
import { openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { as, createUser, type TIdentity } from './support';

const FILE = new URL('../../static/examples/kc-resident-survey.json', import.meta.url);
const DEMO = '00000000-0000-4000-a400-000000000001';

describe('the example survey file', () => {
	let db: TTestDb;
	let admin: TIdentity;
	const editor = (id: string) =>
		as(db, admin, async (tx) => {
			const { rows } = await tx.query<{ r: TEditorState }>('select public.survey_editor($1) as r', [
				id
			]);
			return rows[0].r;
		});

	beforeAll(async () => {
		db = await openTestDb('pglite', { seed: true });
		admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
	});
	afterAll(async () => {
		await db?.close();
	});

	it('is the seeded resident survey as the builder exports it', async () => {
		const exported = surveyFileText(currentSurvey(await editor(DEMO)).survey);
		if (process.env.UPDATE_EXAMPLES) await writeFile(FILE, exported);
		expect(JSON.parse(await readFile(FILE, 'utf8'))).toEqual(JSON.parse(exported));
	});

	it('passes the builder checks and imports as a new survey that exports the same', async () => {
		const text = await readFile(FILE, 'utf8');
		const parsed = parseSurveyFile(text);
		if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
		const survey = { ...parsed.survey, slug: 'shared-resident-survey' };
		expect(validateDraft('en', toDraft(survey))).toEqual([]);
		expect(validateDraft('es', toDraft(survey))).toEqual([]);

		const { sections, ...meta } = survey;
		await as(db, admin, (tx) =>
			tx.query('select public.save_survey($1, $2::jsonb)', [
				randomUUID(),
				JSON.stringify({ base_revision: null, survey: meta, sections })
			])
		);
		const again = JSON.parse(surveyFileText(currentSurvey(await editor(survey.id)).survey));
		const original = JSON.parse(text);
		expect(again).toEqual({
			...original,
			survey: { ...original.survey, slug: 'shared-resident-survey' }
		});
	});

	it('refuses a file that is not a survey file, saying where', () => {
		expect(parseSurveyFile('{"format": "civicpulse-survey", "version": 1}')).toMatchObject({
			ok: false,
			errors: expect.arrayContaining([
				expect.stringMatching(/^survey: /),
				expect.stringMatching(/^pages: /)
			])
		});
		expect(parseSurveyFile('not json')).toMatchObject({
			ok: false,
			errors: [expect.stringMatching(/^not JSON/)]
		});
	});
});
