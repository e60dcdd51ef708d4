/**
 * import_responses on both engines, driven through the importer's own writer
 * (src/lib/import/rpc-writer.ts) so the payload is exactly what the CSV importer sends:
 * validation against the questions, per-row status, idempotent re-import (by id and by
 * wave + source respondent id), weights honoured in the scores, closed waves allowed, and
 * only the service role and admin/analyst staff may import.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResponse } from '../../src/lib/import/plan';
import { rpcImportWriter, type TRpcCaller } from '../../src/lib/import/rpc-writer';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { as, count, createUser, type TIdentity } from './support';
import { createSurvey, createWave, scores, type TScoringSurvey } from './scoring-support';

/** A supabase-js-like rpc() that runs as `who` inside one transaction, like PostgREST. */
function caller(db: TTestDb, who: TIdentity): TRpcCaller {
	return {
		async rpc(fn, args) {
			try {
				const data = await as(db, who, async (tx) => {
					const { rows } = await tx.query<{ r: unknown }>(`select public.${fn}($1::jsonb) as r`, [
						JSON.stringify(args.p_rows)
					]);
					return rows[0].r;
				});
				return { data, error: null };
			} catch (e) {
				const err = e as { code?: string; message: string };
				return { data: null, error: { code: err.code, message: err.message } };
			}
		}
	};
}

describe.each(ENGINES)('import_responses on %s', (engine) => {
	let db: TTestDb;
	let s: TScoringSurvey;
	let wave: string;
	let analyst: TIdentity;

	const row = (
		externalId: string,
		answers: TImportResponse['answers'],
		extra: Partial<TImportResponse> = {}
	): TImportResponse => ({
		id: randomUUID(),
		wave_id: wave,
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
	});
	afterAll(async () => {
		await db?.close();
	});

	it('stores valid rows with weights and districts, and re-importing changes nothing', async () => {
		const rows = [
			row('R1', { q_streets: 5, q_top3: ['q_streets'], district: '1' }, { weight: 2 }),
			row('R2', { q_streets: 1, comment: 'Fix it' }, { weight: 0.5, district: '2' }),
			row('R3', { q_streets: 9 }, { source: 'import' }),
			// A required question left blank is "no answer" in historical data, not an error.
			row('R4', { q_top3: ['parks', 'water'] }, { submitted_at: null as unknown as string })
		];
		const write = rpcImportWriter(caller(db, analyst));
		const first = await write(rows);
		expect(first.map((r) => [r.id, r.status, r.reason])).toEqual(
			rows.map((r) => [r.id, 'accepted', null])
		);
		const { rows: stored } = await db.query<Record<string, unknown>>(
			`select external_id, source, mode, weight::float8 as weight, district, respondent_id
			 from public.responses where wave_id = $1 order by external_id`,
			[wave]
		);
		expect(stored).toEqual([
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

		// Weighted: satisfied 2 of 2.5.
		const streets = (await scores(db, analyst, wave)).questions.find((q) => q.key === 'q_streets')!;
		expect(streets).toMatchObject({ n_valid: 2, n_dont_know: 1 });
		expect(streets.percent_satisfied).toBeCloseTo(2 / 2.5, 12);
		// Importance over all 4 respondents, weighted: R1 (2) of Σw 4.5.
		expect(streets.importance).toBeCloseTo(2 / 4.5, 12);

		// The same file again (same ids): every row a duplicate, nothing changed.
		const again = await write(rows);
		expect(again.map((r) => r.status)).toEqual([
			'duplicate',
			'duplicate',
			'duplicate',
			'duplicate'
		]);
		// Same source respondent under a different id (e.g. another id scheme): still a duplicate.
		const [byExternal] = await write([row('R1', { q_streets: 2 })]);
		expect(byExternal.status).toBe('duplicate');
		expect(byExternal.reason).toContain('R1');
		expect(await count(db, 'select 1 from public.responses where wave_id = $1', [wave])).toBe(4);
		expect(await count(db, 'select 1 from public.answers where wave_id = $1', [wave])).toBe(
			answersBefore
		);
	});

	it('rejects bad rows one by one with the reason, storing none of them', async () => {
		const bad = [
			row('B1', { q_streets: 7 }),
			row('B2', { q_top3: ['q_streets', 'nope'] }),
			row('B3', { unknown_q: 3 }),
			row('B4', { q_streets: 4 }, { weight: 0 }),
			row('B5', { q_streets: 4 }, { wave_id: randomUUID() }),
			row('B6', { q_streets: 4 }, { language: 'fr' as 'en' }),
			{ ...row('B7', { q_streets: 4 }), id: 'not-a-uuid' }
		];
		const good = row('G1', { q_streets: 4 });
		const results = await rpcImportWriter(caller(db, analyst))([...bad, good]);
		expect(results.map((r) => r.status)).toEqual([
			'rejected',
			'rejected',
			'rejected',
			'rejected',
			'rejected',
			'rejected',
			'rejected',
			'accepted'
		]);
		expect(results[0].reason).toContain('q_streets');
		expect(results[1].reason).toContain('Unknown option "nope"');
		expect(results[2].reason).toContain('unknown_q');
		expect(results[3].reason).toContain('weight');
		expect(results[4].reason).toContain('wave_id');
		expect(results[5].reason).toContain('language');
		expect(results[6].reason).toContain('UUID');
		for (const ext of ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7']) {
			expect(await count(db, 'select 1 from public.responses where external_id = $1', [ext])).toBe(
				0
			);
		}
	});

	it('is open to the service role and admins/analysts only', async () => {
		const service: TIdentity = { role: 'service_role' };
		const [ok] = await rpcImportWriter(caller(db, service))([row('S1', { q_streets: 3 })]);
		expect(ok.status).toBe('accepted');

		const admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		const [ok2] = await rpcImportWriter(caller(db, admin))([row('S2', { q_streets: 3 })]);
		expect(ok2.status).toBe('accepted');

		const moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
		const resident = await createUser(db, { anonymous: true });
		for (const who of [moderator, resident, { role: 'anon' as const }]) {
			const { error } = await caller(db, who).rpc('import_responses', {
				p_rows: [row(`X-${randomUUID()}`, { q_streets: 3 })]
			});
			expect(error).toMatchObject({
				code: '42501',
				message: expect.stringContaining('admins and analysts')
			});
		}
		const { error } = await caller(db, analyst).rpc('import_responses', {
			p_rows: { not: 'a list' }
		});
		expect(error).toMatchObject({ code: '22023' });
	});
});
