/**
 * The import RPCs (import_check / import_stage / import_commit / import_discard, migration
 * 20261206000200) on both engines, driven through the importer's own library
 * (src/lib/import/apply.ts + rpc-writer.ts) so the payloads are exactly what the CSV importer
 * and the staff page send: validation against the questions, verdicts new / unchanged /
 * changed / rejected, all-or-nothing commits across batches, "fix and re-import" with and
 * without --replace (answers AND score aggregates), weights honoured in the scores, closed
 * waves allowed, and only the service role and admin/analyst staff may import.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport, checkImport, type TImportServer } from '../../src/lib/import/apply';
import type { TImportPlan, TImportResponse } from '../../src/lib/import/plan';
import { rpcImportServer, type TRpcCaller } from '../../src/lib/import/rpc-writer';
import { importResponseId } from '../../src/lib/import/uuid';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { as, count, createUser, type TIdentity } from './support';
import {
	aggregateDrift,
	createSurvey,
	createWave,
	scores,
	type TScoringSurvey
} from './scoring-support';

/**
 * A supabase-js-like rpc() that runs as `who` inside one transaction, like PostgREST: named
 * arguments, and an error answer (not a throw) when the function raises.
 */
export function caller(db: TTestDb, who: TIdentity): TRpcCaller {
	return {
		async rpc(fn, args) {
			const names = Object.keys(args);
			const params = names.map((n) => {
				const v = args[n];
				return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
			});
			try {
				const data = await as(db, who, async (tx) => {
					const { rows } = await tx.query<{ r: unknown }>(
						`select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as r`,
						params
					);
					return rows[0].r;
				});
				return { data, error: null };
			} catch (e) {
				const err = e as { code?: string; message: string; hint?: string };
				return { data: null, error: { code: err.code, message: err.message, hint: err.hint } };
			}
		}
	};
}

/** A plan as planImport makes it, from ready-made rows (row numbers from 2, as in a sheet). */
function planOf(rows: TImportResponse[]): TImportPlan {
	return {
		survey_slug: 'test',
		wave_id: rows[0].wave_id,
		rows: rows.map((response, i) => ({ row: i + 2, source_id: response.external_id, response })),
		errors: [],
		stats: {
			rows_read: rows.length,
			rows_filtered: 0,
			rows_accepted: rows.length,
			rows_rejected: 0,
			answers: 0,
			answered: {},
			unmapped_columns: []
		},
		filter_summary: null
	};
}

describe.each(ENGINES)('import RPCs on %s', (engine) => {
	let db: TTestDb;
	let s: TScoringSurvey;
	let wave: string;
	let analyst: TIdentity;
	let server: TImportServer;

	const row = (
		externalId: string,
		answers: TImportResponse['answers'],
		extra: Partial<TImportResponse> = {},
		waveId = wave
	): TImportResponse => ({
		id: importResponseId(waveId, externalId),
		wave_id: waveId,
		language: 'en',
		submitted_at: '2019-05-01T00:00:00Z',
		source: 'import',
		mode: 'open',
		weight: 1,
		district: null,
		external_id: externalId,
		answers,
		...extra
	});
	const stored = (waveId: string) =>
		db
			.query<{
				external_id: string;
				q_streets: string | null;
				weight: number;
				district: string | null;
			}>(
				`select r.external_id, a.numeric_value::text as q_streets, r.weight::float8 as weight, r.district
				 from public.responses r
				 left join public.answers a on a.response_id = r.id
				   and a.question_id = (select id from public.questions where key = 'q_streets' and survey_id = $2)
				 where r.wave_id = $1 order by r.external_id`,
				[waveId, s.surveyId]
			)
			.then((r) => r.rows);
	const streetScore = async (waveId: string) =>
		(await scores(db, analyst, waveId)).questions.find((q) => q.key === 'q_streets')!;
	const newWave = (label: string) =>
		createWave(db, s.surveyId, {
			label,
			period: String(2000 + Math.floor(Math.random() * 20)),
			opensDaysAgo: 3000,
			closesDaysAgo: 2900
		});

	beforeAll(async () => {
		db = await openTestDb(engine);
		s = await createSurvey(db, [
			{ key: 'q_streets', kind: 'satisfaction5', required: true },
			{ key: 'q_top3', kind: 'importance_top3', options: ['q_streets', 'parks', 'water'] },
			{ key: 'district', kind: 'district', options: ['1', '2'] },
			{ key: 'comment', kind: 'text' }
		]);
		// A wave that closed years ago: imports of historical data must still be accepted.
		wave = await createWave(db, s.surveyId, {
			label: '2019',
			period: '2019',
			opensDaysAgo: 2500,
			closesDaysAgo: 2400
		});
		analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		server = rpcImportServer(caller(db, analyst));
	});
	afterAll(async () => {
		await db?.close();
	});

	it('stores valid rows with weights and districts into a closed wave; re-importing changes nothing', async () => {
		const rows = [
			row('R1', { q_streets: 5, q_top3: ['q_streets'], district: '1' }, { weight: 2 }),
			row('R2', { q_streets: 1, comment: '  Fix it  ' }, { weight: 0.5, district: '2' }),
			row('R3', { q_streets: 9 }),
			// A required question left blank is "no answer" in historical data, not an error.
			row('R4', { q_top3: ['parks', 'water'] }, { submitted_at: null as unknown as string })
		];
		const first = await applyImport(planOf(rows), server, { batchSize: 3 });
		expect(first.outcome).toBe('written');
		expect(first.committed).toMatchObject({ new: 4, unchanged: 0, replaced: 0, rejected: 0 });
		const { rows: responses } = await db.query<Record<string, unknown>>(
			`select external_id, source, mode, weight::float8 as weight, district, respondent_id
			 from public.responses where wave_id = $1 order by external_id`,
			[wave]
		);
		expect(responses).toEqual([
			{
				external_id: 'R1',
				source: 'import',
				mode: 'open',
				weight: 2,
				district: '1',
				respondent_id: null
			},
			{
				external_id: 'R2',
				source: 'import',
				mode: 'open',
				weight: 0.5,
				district: '2',
				respondent_id: null
			},
			{
				external_id: 'R3',
				source: 'import',
				mode: 'open',
				weight: 1,
				district: null,
				respondent_id: null
			},
			{
				external_id: 'R4',
				source: 'import',
				mode: 'open',
				weight: 1,
				district: null,
				respondent_id: null
			}
		]);
		const answersBefore = await count(db, 'select 1 from public.answers where wave_id = $1', [
			wave
		]);
		expect(answersBefore).toBe(7);

		// Weighted: satisfied 2 of 2.5; importance over all 4 respondents: R1 (2) of Σw 4.5.
		const streets = await streetScore(wave);
		expect(streets).toMatchObject({ n_valid: 2, n_dont_know: 1 });
		expect(streets.percent_satisfied).toBeCloseTo(2 / 2.5, 12);
		expect(streets.importance).toBeCloseTo(2 / 4.5, 12);

		// The same file again: every row unchanged (the trimmed comment compares equal), nothing written.
		const check = await checkImport(planOf(rows), server);
		expect(check.counts).toEqual({ new: 0, unchanged: 4, changed: 0, rejected: 0 });
		const again = await applyImport(planOf(rows), server);
		expect(again.committed).toMatchObject({ new: 0, unchanged: 4, replaced: 0 });
		// Same source respondent under another id scheme: found by (wave, external_id).
		const [other] = await server.check([
			{
				...row('R1', { q_streets: 5, q_top3: ['q_streets'], district: '1' }, { weight: 2 }),
				id: randomUUID()
			}
		]);
		expect(other).toMatchObject({ status: 'unchanged', existing_id: rows[0].id });
		expect(await count(db, 'select 1 from public.responses where wave_id = $1', [wave])).toBe(4);
		expect(await count(db, 'select 1 from public.answers where wave_id = $1', [wave])).toBe(
			answersBefore
		);
		expect(await aggregateDrift(db)).toEqual([]);
	});

	it('refuses bad rows one by one with the reason, storing none of them', async () => {
		const bad = [
			row('B1', { q_streets: 7 }),
			row('B2', { q_top3: ['q_streets', 'nope'] }),
			row('B3', { unknown_q: 3 }),
			row('B4', { q_streets: 4 }, { weight: 0 }),
			row('B5', { q_streets: 4 }, { wave_id: randomUUID() }),
			row('B6', { q_streets: 4 }, { language: 'fr' as 'en' }),
			{ ...row('B7', { q_streets: 4 }), id: 'not-a-uuid' },
			row('R'.repeat(201), { q_streets: 4 }),
			row('B9', { q_streets: 4, comment: 'x'.repeat(2001) }),
			row('B10', { q_streets: 4 }, { mode: 'invited' }),
			row('B11', { q_streets: 4 }, { district: 'D'.repeat(65) })
		];
		const good = row('G1', { q_streets: 4 });
		const verdicts = await server.check([...bad, good]);
		expect(verdicts.map((r) => r.status)).toEqual([...bad.map(() => 'rejected'), 'new']);
		const reasons = verdicts.map((v) => v.reason);
		expect(reasons[0]).toContain('q_streets');
		expect(reasons[1]).toContain('Unknown option "nope"');
		expect(reasons[2]).toContain('unknown_q');
		expect(reasons[3]).toContain('weight');
		expect(reasons[4]).toContain('wave_id');
		expect(reasons[5]).toContain('language');
		expect(reasons[6]).toContain('UUID');
		expect(reasons[7]).toBe(
			'"external_id" must be the respondent id from the source file: text of 1 to 200 characters (got 201 characters)'
		);
		expect(reasons[8]).toContain('at most 2000 allowed');
		expect(reasons[9]).toBe('"mode" is "invited" but this wave\'s sample is "open"');
		expect(reasons[10]).toContain('"district" must be text of 1 to 64 characters');

		// Applied, one refused row stops the whole file, whatever batch it is in.
		const before = await count(db, 'select 1 from public.responses');
		const plan = planOf([good, row('G2', { q_streets: 3 }), row('G3', { q_streets: 2 }), bad[7]]);
		const refused = await applyImport(plan, server, { batchSize: 2 });
		expect(refused).toMatchObject({ outcome: 'refused', refusal: 'rejected', committed: null });
		expect(refused.rejected.map((r) => r.row)).toEqual([5]);
		expect(await count(db, 'select 1 from public.responses')).toBe(before);
		expect(await count(db, 'select 1 from private.import_rows')).toBe(0); // staging discarded
	});

	it('all or nothing across batches: the database refusing one row writes nothing; allowing row errors writes the others', async () => {
		const w = await newWave('all-or-nothing');
		// 20 rows in batches of 6: the 20th has a respondent id of 201 characters, which only
		// the database refuses here (the rows bypass the planner).
		const rows = Array.from({ length: 19 }, (_, i) =>
			row(`A${i + 1}`, { q_streets: (i % 5) + 1 }, {}, w)
		);
		rows.push(row('X'.repeat(201), { q_streets: 4 }, {}, w));
		const scoresBefore = await streetScore(w);
		const refused = await applyImport(planOf(rows), server, { batchSize: 6 });
		expect(refused.outcome).toBe('refused');
		expect(refused.counts).toEqual({ new: 19, unchanged: 0, changed: 0, rejected: 1 });
		expect(await count(db, 'select 1 from public.responses where wave_id = $1', [w])).toBe(0);
		expect(await streetScore(w)).toEqual(scoresBefore);

		// The same file with --allow-row-errors: the 19 valid rows land, in one commit.
		const written = await applyImport(planOf(rows), server, { batchSize: 6, allowRowErrors: true });
		expect(written.outcome).toBe('written');
		expect(written.committed).toMatchObject({ rows: 20, new: 19, rejected: 1 });
		expect(await count(db, 'select 1 from public.responses where wave_id = $1', [w])).toBe(19);
		expect((await streetScore(w)).n_valid).toBe(19);
		expect(await aggregateDrift(db)).toEqual([]);
	});

	it('fix and re-import: "changed" in the dry run, refused without replace, answers and scores updated with it', async () => {
		const w = await newWave('fix-and-reimport');
		// First import: respondents C1..C4, but the file had C1 and C2 wrong.
		const wrong = [
			row('C1', { q_streets: 1, district: '1' }, {}, w),
			row('C2', { q_streets: 2 }, { weight: 1 }, w),
			row('C3', { q_streets: 5 }, {}, w),
			row('C4', { q_streets: 4, comment: 'ok' }, {}, w)
		];
		expect((await applyImport(planOf(wrong), server)).committed).toMatchObject({ new: 4 });
		const before = await streetScore(w);
		expect(before).toMatchObject({ n_valid: 4 });
		expect(before.percent_satisfied).toBeCloseTo(2 / 4, 12); // C3, C4

		// The corrected file: C1 satisfied (5), C2 satisfied with weight 2 and district 2, C4's
		// comment removed, plus a new respondent C5.
		const fixed = [
			row('C1', { q_streets: 5, district: '1' }, {}, w),
			row('C2', { q_streets: 4 }, { weight: 2, district: '2' }, w),
			row('C3', { q_streets: 5 }, {}, w),
			row('C4', { q_streets: 4 }, {}, w),
			row('C5', { q_streets: 1 }, {}, w)
		];
		const check = await checkImport(planOf(fixed), server);
		expect(check.counts).toEqual({ new: 1, unchanged: 1, changed: 3, rejected: 0 });
		expect(check.changed.map((c) => [c.source_id, c.changes])).toEqual([
			['C1', [{ key: 'q_streets', stored: 1, file: 5 }]],
			[
				'C2',
				[
					{ key: 'district', stored: null, file: '2' },
					{ key: 'weight', stored: 1, file: 2 },
					{ key: 'q_streets', stored: 2, file: 4 }
				]
			],
			['C4', [{ key: 'comment', stored: 'ok', file: null }]]
		]);

		// Apply without --replace: refused, nothing written, scores as before.
		const refused = await applyImport(planOf(fixed), server);
		expect(refused).toMatchObject({ outcome: 'refused', refusal: 'changed' });
		expect(await stored(w)).toEqual([
			{ external_id: 'C1', q_streets: '1', weight: 1, district: '1' },
			{ external_id: 'C2', q_streets: '2', weight: 1, district: null },
			{ external_id: 'C3', q_streets: '5', weight: 1, district: null },
			{ external_id: 'C4', q_streets: '4', weight: 1, district: null }
		]);
		expect(await streetScore(w)).toEqual(before);

		// With --allow-row-errors but no --replace: the new respondent lands, the changed ones stay.
		const left = await applyImport(planOf(fixed), server, { allowRowErrors: true });
		expect(left.committed).toMatchObject({ new: 1, unchanged: 1, replaced: 0, changed_left: 3 });
		expect((await stored(w)).map((r) => [r.external_id, r.q_streets])).toEqual([
			['C1', '1'],
			['C2', '2'],
			['C3', '5'],
			['C4', '4'],
			['C5', '1']
		]);

		// With --replace: answers, weight, district and the aggregates follow the corrected file.
		const replaced = await applyImport(planOf(fixed), server, { replace: true });
		expect(replaced.committed).toMatchObject({
			new: 0,
			unchanged: 2,
			replaced: 3,
			changed_left: 0
		});
		expect(await stored(w)).toEqual([
			{ external_id: 'C1', q_streets: '5', weight: 1, district: '1' },
			{ external_id: 'C2', q_streets: '4', weight: 2, district: '2' },
			{ external_id: 'C3', q_streets: '5', weight: 1, district: null },
			{ external_id: 'C4', q_streets: '4', weight: 1, district: null },
			{ external_id: 'C5', q_streets: '1', weight: 1, district: null }
		]);
		expect(
			await count(
				db,
				"select 1 from public.answers a join public.questions q on q.id = a.question_id where a.wave_id = $1 and q.key = 'comment'",
				[w]
			)
		).toBe(0);
		// The response ids are kept (same respondents), and question_scores reads the new answers:
		// satisfied C1 (1) + C2 (2) + C3 (1) + C4 (1) of Σw 6.
		expect(await count(db, 'select 1 from public.responses where wave_id = $1', [w])).toBe(5);
		const after = await streetScore(w);
		expect(after).toMatchObject({ n_valid: 5 });
		expect(after.percent_satisfied).toBeCloseTo(5 / 6, 12);
		expect(after.percent_satisfied).not.toBeCloseTo(before.percent_satisfied!, 3);
		const district2 = (await scores(db, analyst, w, '2')).questions.find(
			(q) => q.key === 'q_streets'
		)!;
		expect(district2).toMatchObject({ n_valid: 1 });
		expect(await aggregateDrift(db)).toEqual([]);

		// And the corrected file once more: all unchanged, nothing written.
		expect((await checkImport(planOf(fixed), server)).counts).toEqual({
			new: 0,
			unchanged: 5,
			changed: 0,
			rejected: 0
		});
	});

	it('a commit is idempotent, and refuses a missing batch, a repeated respondent and questions changed since staging', async () => {
		const w = await newWave('commit-rules');
		const rows = [row('K1', { q_streets: 4 }, {}, w), row('K2', { q_streets: 5 }, {}, w)];
		const importId = randomUUID();
		await server.stage(importId, w, rows);
		const opts = { expectedRows: 2, replace: false, allowRowErrors: false };
		await expect(server.commit(importId, { ...opts, expectedRows: 3 })).rejects.toThrow(
			'has 2 staged rows, not the 3 expected; nothing was written'
		);
		const first = await server.commit(importId, opts);
		expect(first).toMatchObject({ new: 2, replayed: false });
		// A retry after a lost answer: the same result, nothing written twice.
		const again = await server.commit(importId, opts);
		expect(again).toMatchObject({ new: 2, replayed: true });
		expect(await count(db, 'select 1 from public.responses where wave_id = $1', [w])).toBe(2);
		await expect(server.stage(importId, w, rows)).rejects.toThrow('is already committed');

		// One respondent twice under two ids: refused at commit.
		const twice = randomUUID();
		await server.stage(twice, w, [
			row('K3', { q_streets: 4 }, {}, w),
			{ ...row('K3', { q_streets: 2 }, {}, w), id: randomUUID() }
		]);
		await expect(server.commit(twice, opts)).rejects.toThrow(
			'Respondent "K3" appears more than once'
		);

		// Questions edited between staging and commit: refused, nothing written. (Answered
		// questions keep their meaning, so the edit is one that survey versions allow: the
		// comment's length limit.)
		const late = randomUUID();
		await server.stage(late, w, [row('K4', { q_streets: 4 }, {}, w)]);
		await db.query(`update public.questions set max_length = 300 where id = $1`, [s.q.comment]);
		await expect(server.commit(late, { ...opts, expectedRows: 1 })).rejects.toThrow(
			"The survey's questions changed after this import was checked; nothing was written"
		);
		expect(await count(db, "select 1 from public.responses where external_id = 'K4'")).toBe(0);
		expect(await server.discard(late)).toBe(true);
		expect(await server.discard(late)).toBe(false);
	});

	it('is open to the service role and admins/analysts only, each on their own imports', async () => {
		const w = await newWave('access');
		const service = rpcImportServer(caller(db, { role: 'service_role' }));
		expect((await applyImport(planOf([row('S1', { q_streets: 3 }, {}, w)]), service)).outcome).toBe(
			'written'
		);
		const admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		const asAdmin = rpcImportServer(caller(db, admin));
		expect((await applyImport(planOf([row('S2', { q_streets: 3 }, {}, w)]), asAdmin)).outcome).toBe(
			'written'
		);

		// An import staged by the analyst cannot be committed or discarded by the admin.
		const mine = randomUUID();
		await server.stage(mine, w, [row('S3', { q_streets: 3 }, {}, w)]);
		await expect(
			asAdmin.commit(mine, { expectedRows: 1, replace: false, allowRowErrors: false })
		).rejects.toThrow('was started by someone else');
		await expect(asAdmin.discard(mine)).rejects.toThrow('was started by someone else');
		expect(await server.discard(mine)).toBe(true);

		const moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
		const resident = await createUser(db, { anonymous: true });
		for (const who of [moderator, resident, { role: 'anon' as const }]) {
			for (const [fn, args] of [
				['import_check', { p_rows: [] }],
				['import_stage', { p_import_id: randomUUID(), p_wave_id: w, p_rows: [] }],
				[
					'import_commit',
					{
						p_import_id: randomUUID(),
						p_expected_rows: 1,
						p_replace: false,
						p_allow_row_errors: false
					}
				],
				['import_discard', { p_import_id: randomUUID() }]
			] as const) {
				const { error } = await caller(db, who).rpc(fn, args);
				expect(error, `${fn} as ${who.role}`).toMatchObject({
					code: '42501',
					message: expect.stringContaining('admins and analysts')
				});
			}
		}
		const { error } = await caller(db, analyst).rpc('import_check', { p_rows: { not: 'a list' } });
		expect(error).toMatchObject({ code: '22023' });
		// The staging tables are out of reach of every API role.
		for (const role of ['anon', 'authenticated', 'service_role']) {
			const { rows } = await db.query<{ ok: boolean }>(
				`select has_table_privilege($1, 'private.import_rows', 'select') or has_table_privilege($1, 'private.imports', 'select') as ok`,
				[role]
			);
			expect(rows[0].ok, role).toBe(false);
		}
	});
});
