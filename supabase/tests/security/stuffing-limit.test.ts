/**
 * The per-network limit on open-link responses (migration 20261206000700), on both engines:
 * with the limit on, fresh anonymous sessions from one network get only so many responses into
 * a wave per hour, and the rest are refused with a message saying why and store nothing; other
 * networks, invited responses and waves without the limit are not affected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../local/db';
import { ENGINES, openTestDb, type TTestDb } from '../../../tests/tools/test-db';
import {
	count,
	createFixture,
	impersonate,
	resident,
	validSubmission,
	type TFixture
} from '../support';
import type { TSubmitResult } from '../../../src/lib/domain/survey';

/** submit_responses as a brand-new anonymous resident calling from `address`. */
async function submitFrom(db: Db, address: string | null, item: unknown): Promise<TSubmitResult> {
	const who = await resident(db);
	return db.transaction(async (tx) => {
		await impersonate(tx, who);
		if (address) {
			await tx.query(`select set_config('request.headers', $1, true)`, [
				JSON.stringify({ 'x-real-ip': address, 'x-forwarded-for': `10.9.9.9, ${address}` })
			]);
		}
		const { rows } = await tx.query<{ r: TSubmitResult[] }>(
			'select public.submit_responses($1::jsonb) as r',
			[JSON.stringify([item])]
		);
		return rows[0].r[0];
	});
}

describe.each(ENGINES)('open-link limit per network on %s', (engine) => {
	let db: TTestDb;
	let f: TFixture;

	beforeAll(async () => {
		db = await openTestDb(engine);
		f = await createFixture(db);
	});
	afterAll(async () => {
		await db?.close();
	});

	it('lets every fresh session through while the wave has no limit', async () => {
		for (let i = 0; i < 4; i++) {
			expect((await submitFrom(db, '203.0.113.7', validSubmission(f))).status).toBe('accepted');
		}
	});

	it('refuses the responses over the limit from one network, clearly, storing nothing', async () => {
		await db.query(`update public.survey_waves set open_limit_per_hour = 3 where id = $1`, [
			f.openWaveId
		]);
		const statuses: string[] = [];
		for (let i = 0; i < 3; i++) {
			statuses.push((await submitFrom(db, '198.51.100.4', validSubmission(f))).status);
		}
		expect(statuses).toEqual(['accepted', 'accepted', 'accepted']);
		const before = await count(db, 'select 1 from public.responses where wave_id = $1', [
			f.openWaveId
		]);
		const refused = await submitFrom(db, '198.51.100.4', validSubmission(f));
		expect(refused.status).toBe('rejected');
		expect(refused.reason).toMatch(
			/Too many responses to this survey from your network .*at most 3/
		);
		expect(
			await count(db, 'select 1 from public.responses where wave_id = $1', [f.openWaveId])
		).toBe(before);
		// Another network, and a call from outside any API request, are not affected.
		expect((await submitFrom(db, '198.51.100.5', validSubmission(f))).status).toBe('accepted');
		expect((await submitFrom(db, null, validSubmission(f))).status).toBe('accepted');
	});

	it('keeps only a keyed hash of the network, never the address', async () => {
		const { rows } = await db.query<{ n: string }>(
			`select encode(network, 'escape') as n from private.response_networks`
		);
		expect(rows.length).toBeGreaterThan(0);
		for (const r of rows) expect(r.n).not.toContain('198.51.100');
	});

	it('counts a rolling hour: older responses free the network again', async () => {
		await db.query(
			`update private.response_networks set received_at = received_at - interval '61 minutes'`
		);
		expect((await submitFrom(db, '198.51.100.4', validSubmission(f))).status).toBe('accepted');
	});
});
