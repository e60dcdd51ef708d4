/**
 * Survey versions on both engines (issue 9): once a wave has responses its questions cannot
 * change meaning; editing through save_survey then opens a new version for the next wave, and
 * the scores of the waves already answered stay exactly as they were. The database refuses the
 * same edits made directly on the tables, refuses answers to questions a wave's version does
 * not hold, and makes every builder save idempotent by its client id.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TQuestionScores } from '../../src/lib/domain/scorecard';
import type { TSurveyDefinition } from '../../src/lib/domain/survey';
import { applyImport } from '../../src/lib/import/apply';
import { importSurveyFromRows } from '../../src/lib/import/definition';
import { ImportMappingError } from '../../src/lib/import/mapping';
import { planImport } from '../../src/lib/import/plan';
import { rpcImportServer, type TRpcCaller } from '../../src/lib/import/rpc-writer';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { as, createUser, submit, type TIdentity } from './support';
import { loadResponses, scores, times, type TScoringSurvey } from './scoring-support';

const L = (en: string, es: string) => ({ en, es });
const opt = (key: string, en: string) => ({ key, label: L(en, `${en} (es)`) });

interface TQ {
	id: string;
	key: string;
	kind: string;
	prompt: { en: string; es: string };
	help: null;
	required: boolean;
	options: { key: string; label: { en: string; es: string } }[] | null;
	min: null;
	max: null;
	max_length: null;
	show_if: object | null;
	service_category: string | null;
}

const question = (key: string, kind: string, extra: Partial<TQ> = {}): TQ => ({
	id: randomUUID(),
	key,
	kind,
	prompt: L(`Satisfaction with ${key}`, `Satisfacción con ${key}`),
	help: null,
	required: false,
	options: null,
	min: null,
	max: null,
	max_length: null,
	show_if: null,
	service_category: null,
	...extra
});

describe.each(ENGINES)('survey versions on %s', (engine) => {
	let db: TTestDb;
	let admin: TIdentity;
	let analyst: TIdentity;
	const surveyId = randomUUID();
	const slug = `versions-${surveyId.slice(0, 8)}`;
	const sectionId = randomUUID();
	const streets = question('q_streets', 'satisfaction5', { service_category: 'streets' });
	const parks = question('q_parks', 'satisfaction5', { service_category: 'parks' });
	const police = question('q_police', 'rating5', { service_category: 'police' });
	const top3 = question('q_top3', 'importance_top3', {
		options: [opt('streets', 'Streets'), opt('parks', 'Parks'), opt('police', 'Police')]
	});
	let revision = 0;

	const definition = (questions: TQ[], base: number | null, extra: object = {}) => ({
		base_revision: base,
		survey: {
			id: surveyId,
			slug,
			title: L('Versions survey', 'Encuesta de versiones'),
			intro: L('Tell us', 'Díganos'),
			languages: ['en', 'es']
		},
		sections: [
			{
				id: sectionId,
				key: 'services',
				title: L('Services', 'Servicios'),
				description: null,
				questions
			}
		],
		...extra
	});

	const save = (who: TIdentity, saveId: string, def: object) =>
		as(db, who, async (tx) => {
			const { rows } = await tx.query<{ r: Record<string, unknown> }>(
				'select public.save_survey($1, $2::jsonb) as r',
				[saveId, JSON.stringify(def)]
			);
			return rows[0].r;
		});
	const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
		(await db.query<T>(text, params)).rows;
	const asAdmin = <T>(text: string, params: unknown[] = []) =>
		as(db, admin, async (tx) => (await tx.query<T>(text, params)).rows);
	const wave = async (label: string, opens: string, closes: string | null) => {
		const [w] = await sql<{ id: string; survey_version: number }>(
			`insert into public.survey_waves (survey_id, label, period, mode, opens_at, closes_at, results_published)
			 values ($1, $2, '2026', 'open', now() + $3::interval, now() + $4::interval,
			         -- only a closed wave's results may be published
			         now() + $4::interval <= now())
			 returning id, survey_version`,
			[surveyId, label, opens, closes]
		);
		return w;
	};
	const survey = (ids: Record<string, string>): TScoringSurvey => ({
		surveyId,
		sectionId,
		q: ids
	});

	let firstWave: { id: string };
	let nextWave: { id: string; survey_version: number };
	let before: TQuestionScores;
	let beforeDistrict2: TQuestionScores;

	beforeAll(async () => {
		db = await openTestDb(engine);
		admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		const created = await save(
			admin,
			randomUUID(),
			definition([streets, parks, police, top3], null)
		);
		expect(created).toMatchObject({ version: 1, revision: 1, new_version: false, added: 4 });
		revision = 1;
		// 2025: closed and answered. 60 respondents, so every figure is shown.
		firstWave = await wave('2025 wave', '-400 days', '-300 days');
		await loadResponses(
			db,
			survey({ q_streets: streets.id, q_parks: parks.id, q_police: police.id, q_top3: top3.id }),
			firstWave.id,
			[
				...times(20, {
					district: '1',
					answers: { q_streets: 2, q_parks: 5, q_police: 4, q_top3: ['streets', 'parks'] }
				}),
				...times(25, {
					district: '2',
					answers: { q_streets: 4, q_parks: 4, q_police: 1, q_top3: ['streets'] }
				}),
				...times(15, { answers: { q_streets: 9, q_parks: 1, q_police: 5, q_top3: ['police'] } })
			]
		);
		before = await scores(db, analyst, firstWave.id);
		beforeDistrict2 = await scores(db, analyst, firstWave.id, '2');
		// A wave scheduled before the edit, still without responses: it is "the next wave".
		nextWave = await wave('2026 wave', '-1 day', '30 days');
		expect(nextWave.survey_version).toBe(1);
	});
	afterAll(async () => {
		await db?.close();
	});

	it('refuses meaning changes, deletes and additions on the answered version, on the tables themselves', async () => {
		await expect(
			asAdmin(`update public.questions set prompt = $2 where id = $1`, [
				streets.id,
				JSON.stringify(L('Streets and sidewalks', 'Calles y aceras'))
			])
		).rejects.toMatchObject({
			code: '55000',
			message: expect.stringContaining('has responses in wave "2025 wave"')
		});
		await expect(
			asAdmin(`update public.questions set options = $2 where id = $1`, [
				top3.id,
				JSON.stringify([opt('streets', 'Streets'), opt('parks', 'Parks')])
			])
		).rejects.toMatchObject({ code: '55000' });
		await expect(
			asAdmin(`delete from public.questions where id = $1`, [parks.id])
		).rejects.toMatchObject({
			code: '55000',
			message: expect.stringContaining('cannot be deleted')
		});
		await expect(
			asAdmin(
				`insert into public.questions (survey_id, section_id, key, position, kind, prompt)
				 values ($1, $2, 'q_late', 99, 'satisfaction5', $3)`,
				[surveyId, sectionId, JSON.stringify(L('Late', 'Tarde'))]
			)
		).rejects.toMatchObject({ code: '55000', message: expect.stringContaining('cannot be added') });
		// Presentation may change: help text, required, order.
		await asAdmin(`update public.questions set required = true, position = 5 where id = $1`, [
			streets.id
		]);
		await asAdmin(`update public.questions set required = false, position = 1 where id = $1`, [
			streets.id
		]);
	});

	it('saving an edit makes version 2 for the next wave; the answered wave keeps version 1 and its scores', async () => {
		const edited = [
			{ ...streets, prompt: L('Streets and sidewalks', 'Calles y aceras') },
			police,
			question('q_water', 'satisfaction5', { service_category: 'water' }),
			{
				...top3,
				options: [opt('streets', 'Streets'), opt('police', 'Police'), opt('water', 'Water')]
			}
		];
		const saveId = randomUUID();
		const result = await save(admin, saveId, definition(edited, revision));
		expect(result).toMatchObject({
			version: 2,
			revision: 2,
			new_version: true,
			added: 1,
			removed: 1,
			waves_moved: ['2026 wave'],
			duplicate: false
		});
		expect((result.revised as { key: string }[]).map((r) => r.key).sort()).toEqual([
			'q_streets',
			'q_top3'
		]);
		revision = 2;

		// The retry of that save (its answer was lost): the same result, nothing new.
		const retry = await save(admin, saveId, definition(edited, 1));
		expect(retry).toMatchObject({ ...result, duplicate: true });
		const [{ n }] = await sql<{ n: number }>(
			`select count(*)::int as n from public.questions where survey_id = $1`,
			[surveyId]
		);
		expect(n).toBe(7); // 4 of version 1, 2 revisions, 1 new

		const rows = await sql<{ key: string; first_version: number; last_version: number | null }>(
			`select key, first_version, last_version from public.questions where survey_id = $1
			 order by key, first_version`,
			[surveyId]
		);
		expect(rows).toEqual([
			{ key: 'q_parks', first_version: 1, last_version: 1 },
			{ key: 'q_police', first_version: 1, last_version: null },
			{ key: 'q_streets', first_version: 1, last_version: 1 },
			{ key: 'q_streets', first_version: 2, last_version: null },
			{ key: 'q_top3', first_version: 1, last_version: 1 },
			{ key: 'q_top3', first_version: 2, last_version: null },
			{ key: 'q_water', first_version: 1 + 1, last_version: null }
		]);
		const [w] = await sql<{ survey_version: number }>(
			`select survey_version from public.survey_waves where id = $1`,
			[firstWave.id]
		);
		expect(w.survey_version).toBe(1);

		expect(await scores(db, analyst, firstWave.id)).toEqual(before);
	});

	it('the open wave serves version 2 and stores answers on its rows; old scores still do not change', async () => {
		const def = await as(db, { role: 'anon' }, async (tx) => {
			const { rows } = await tx.query<{ r: TSurveyDefinition }>(
				'select public.get_survey($1) as r',
				[slug]
			);
			return rows[0].r;
		});
		expect(def.wave.id).toBe(nextWave.id);
		expect(def.questions.map((q) => q.key)).toEqual(['q_streets', 'q_police', 'q_water', 'q_top3']);
		const newStreets = def.questions.find((q) => q.key === 'q_streets')!;
		expect(newStreets.id).not.toBe(streets.id);
		expect(newStreets.prompt.en).toBe('Streets and sidewalks');

		const resident = await createUser(db);
		const [accepted] = await submit(db, resident, [
			{
				id: randomUUID(),
				wave_id: nextWave.id,
				language: 'en',
				submitted_at: new Date().toISOString(),
				invitation_code: null,
				answers: { q_streets: 5, q_water: 4, q_top3: ['water'] }
			}
		]);
		expect(accepted).toMatchObject({ status: 'accepted' });
		// q_parks is not part of version 2: refused as unknown.
		const [refused] = await submit(db, await createUser(db), [
			{
				id: randomUUID(),
				wave_id: nextWave.id,
				language: 'en',
				submitted_at: new Date().toISOString(),
				invitation_code: null,
				answers: { q_parks: 5 }
			}
		]);
		expect(refused).toMatchObject({
			status: 'rejected',
			errors: [{ question: 'q_parks', message: 'Unknown question for this survey' }]
		});

		const stored = await sql<{ question_id: string }>(
			`select a.question_id from public.answers a where a.wave_id = $1 order by 1`,
			[nextWave.id]
		);
		expect(stored.map((a) => a.question_id)).toContain(newStreets.id);
		expect(stored.map((a) => a.question_id)).not.toContain(streets.id);

		const now = await scores(db, analyst, nextWave.id);
		expect(now.questions.map((q) => q.key)).toEqual(['q_streets', 'q_police', 'q_water']);
		expect(now.questions[0]).toMatchObject({ question_id: newStreets.id, n_valid: 1 });
		// A revised question is not compared across the break; an unchanged one is.
		expect(now.questions[0].change ?? null).toBeNull();
		expect(await scores(db, analyst, firstWave.id)).toEqual(before);
		expect(await scores(db, analyst, firstWave.id, '2')).toEqual(beforeDistrict2);
		// A wave with responses keeps its version.
		await expect(
			sql(`update public.survey_waves set survey_version = 1 where id = $1`, [nextWave.id])
		).rejects.toMatchObject({ code: '55000', message: expect.stringContaining('keeps version 2') });
	});

	it('refuses an answer to a question that the wave version does not hold, whoever writes it', async () => {
		const [r] = await sql<{ id: string }>(
			`insert into public.responses (id, wave_id, mode, language, source, external_id)
			 values (gen_random_uuid(), $1, 'open', 'en', 'import', 'x-1') returning id`,
			[nextWave.id]
		);
		await expect(
			sql(
				`insert into public.answers (response_id, wave_id, question_id, numeric_value) values ($1, $2, $3, 4)`,
				[r.id, nextWave.id, parks.id]
			)
		).rejects.toMatchObject({
			code: '23514',
			message:
				'Question "q_parks" is not part of version 2 of the survey that wave "2026 wave" uses'
		});
		await sql(`delete from public.responses where id = $1`, [r.id]);
	});

	it('presentation-only edits of an answered version change it in place, without a new version', async () => {
		const current = await as(db, admin, async (tx) => {
			const { rows } = await tx.query<{
				r: { questions: (TQ & { last_version: number | null })[] };
			}>('select public.survey_editor($1) as r', [surveyId]);
			return rows[0].r.questions.filter((q) => q.last_version === null);
		});
		const byKey = Object.fromEntries(current.map((q) => [q.key, q]));
		const pick = (q: TQ & Record<string, unknown>): TQ => ({
			id: q.id,
			key: q.key,
			kind: q.kind,
			prompt: q.prompt,
			help: null,
			required: q.required,
			options: q.options,
			min: null,
			max: null,
			max_length: null,
			show_if: q.show_if,
			service_category: q.service_category
		});
		const reordered = [byKey.q_top3, byKey.q_water, byKey.q_police, byKey.q_streets].map((q) => ({
			...pick(q),
			required: q.key === 'q_water'
		}));
		const result = await save(admin, randomUUID(), definition(reordered, revision));
		expect(result).toMatchObject({
			version: 2,
			new_version: false,
			added: 0,
			removed: 0,
			revised: []
		});
		revision = result.revision as number;
		const [water] = await sql<{ required: boolean; position: number }>(
			`select required, position from public.questions where survey_id = $1 and key = 'q_water'`,
			[surveyId]
		);
		expect(water).toEqual({ required: true, position: 2 });
	});

	it('checks a save before storing anything: who, stale base, skip logic, service list', async () => {
		const snapshot = async () =>
			sql(
				`select id, key, position, first_version, last_version, prompt from public.questions
				 where survey_id = $1 order by id`,
				[surveyId]
			);
		const start = await snapshot();
		await expect(save(analyst, randomUUID(), definition([], revision))).rejects.toMatchObject({
			code: '42501'
		});
		await expect(save(admin, randomUUID(), definition([], revision - 1))).rejects.toMatchObject({
			code: 'PT409',
			message: expect.stringContaining('Reload')
		});
		const fresh = (key: string, extra: Partial<TQ> = {}) =>
			question(key, 'satisfaction5', { service_category: key, ...extra });
		await expect(
			save(
				admin,
				randomUUID(),
				definition(
					[fresh('a', { show_if: { question: 'b', op: 'answered' } }), fresh('b')],
					revision
				)
			)
		).rejects.toMatchObject({
			code: '22023',
			message:
				'Question "a" is shown depending on "b", which is not an earlier question of the survey'
		});
		await expect(
			save(
				admin,
				randomUUID(),
				definition(
					[
						fresh('a'),
						question('t', 'importance_top3', {
							options: [opt('a', 'A'), opt('zzz', 'Z'), opt('a2', 'A2')]
						})
					],
					revision
				)
			)
		).rejects.toMatchObject({
			code: '22023',
			message: expect.stringContaining(
				'Importance item "zzz" of question "t" is not in the service list'
			)
		});
		await expect(
			save(admin, randomUUID(), definition([{ ...fresh('a'), prompt: L('A', ' ') }], revision))
		).rejects.toMatchObject({
			code: '22023',
			message: 'The wording of question "a" needs both an English and a Spanish text'
		});
		expect(await snapshot()).toEqual(start);
	});

	it('an import into a past wave is checked and stored against the questions that wave fielded', async () => {
		// The import reads the tables as staff do (the staff page and the CLI share this).
		const [surveyRow] = await asAdmin<Parameters<typeof importSurveyFromRows>[0]>(
			`select * from public.surveys where id = $1`,
			[surveyId]
		);
		const loaded = importSurveyFromRows(
			surveyRow,
			await asAdmin(`select * from public.questions where survey_id = $1`, [surveyId]),
			await asAdmin(`select * from public.survey_waves where survey_id = $1`, [surveyId])
		)!;
		const keys = (waveId: string) => loaded.questionsByWave[waveId].map((q) => q.key).sort();
		expect(keys(firstWave.id)).toEqual(['q_parks', 'q_police', 'q_streets', 'q_top3']);
		expect(keys(nextWave.id)).toEqual(['q_police', 'q_streets', 'q_top3', 'q_water']);

		// A 2025 file: parks was asked then, and was an item of the top-3 list.
		const csv = 'id,parks,pick1\nhist-1,4,2\n';
		const mapping = (waveId: string) => ({
			survey: slug,
			wave: { id: waveId },
			id_column: 'id',
			columns: { parks: 'q_parks' },
			top3: [{ question: 'q_top3', columns: ['pick1'], items: { '1': 'streets', '2': 'parks' } }]
		});
		const options = { waves: loaded.waves, questionsByWave: loaded.questionsByWave };
		const plan = planImport(csv, mapping(firstWave.id), loaded.definition, options);
		expect(plan.errors).toEqual([]);
		expect(plan.rows).toHaveLength(1);

		// Stored through the import RPCs, on the rows of version 1.
		const caller: TRpcCaller = {
			rpc: async (fn, args) => {
				const names = Object.keys(args);
				try {
					const rows = await asAdmin<{ r: unknown }>(
						`select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as r`,
						names.map((n) =>
							typeof args[n] === 'object' && args[n] !== null ? JSON.stringify(args[n]) : args[n]
						)
					);
					return { data: rows[0].r, error: null };
				} catch (e) {
					return { data: null, error: e as { message: string } };
				}
			}
		};
		const report = await applyImport(plan, rpcImportServer(caller));
		expect(report).toMatchObject({ outcome: 'written' });
		const stored = await sql<{ question_id: string }>(
			`select a.question_id from public.answers a join public.responses r on r.id = a.response_id
			 where r.wave_id = $1 and r.external_id = 'hist-1' order by a.question_id`,
			[firstWave.id]
		);
		expect(stored.map((a) => a.question_id).sort()).toEqual([parks.id, top3.id].sort());

		// The same file aimed at the 2026 wave is refused before anything is sent: that version has
		// no parks question, and parks is no longer a top-3 item.
		let issues: string[] = [];
		try {
			planImport(csv, mapping(nextWave.id), loaded.definition, options);
		} catch (e) {
			if (!(e instanceof ImportMappingError)) throw e;
			issues = e.issues;
		}
		expect(issues).toEqual([
			`columns["parks"]: question "q_parks" is not in survey "${slug}"`,
			'top3[0].items: "parks" are not options of "q_top3"'
		]);
	});

	it('refuses to delete a page holding answered questions, but deletes the whole survey', async () => {
		await expect(
			asAdmin(`delete from public.survey_sections where id = $1`, [sectionId])
		).rejects.toMatchObject({ code: '55000' });
		await asAdmin(`delete from public.surveys where id = $1`, [surveyId]);
		expect(await sql(`select 1 from public.questions where survey_id = $1`, [surveyId])).toEqual(
			[]
		);
	});
});
