/**
 * submit_responses: the only way a resident's answers reach the database. Runs on PGlite and
 * on PostgreSQL 15. Every rejection must say why and store nothing; every retry of a stored
 * response must answer 'duplicate' and double nothing.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TSubmitResult } from '../../src/lib/domain/survey';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import {
	as,
	count,
	createFixture,
	resident,
	submit,
	validSubmission,
	type TFixture
} from './support';

async function stored(db: TTestDb, id: string) {
	return {
		responses: await count(db, 'select 1 from public.responses where id = $1', [id]),
		answers: await count(db, 'select 1 from public.answers where response_id = $1', [id])
	};
}

describe.each(ENGINES)('submit_responses on %s', (engine) => {
	let db: TTestDb;
	let f: TFixture;

	beforeAll(async () => {
		db = await openTestDb(engine);
		f = await createFixture(db);
	});
	afterAll(async () => {
		await db?.close();
	});

	/** Submit one item as a fresh resident and expect a rejection naming `question`. */
	async function expectAnswerRejected(answers: Record<string, unknown>, question: string) {
		const who = await resident(db);
		const item = validSubmission(f, answers);
		const [r] = await submit(db, who, [item]);
		expect(r.status, JSON.stringify(r)).toBe('rejected');
		expect(r.id).toBe(item.id);
		expect(r.reason).toContain(question);
		expect(r.errors?.map((e) => e.question)).toContain(question);
		expect(await stored(db, item.id)).toEqual({ responses: 0, answers: 0 });
		return r;
	}

	async function expectAccepted(answers: Record<string, unknown>) {
		const who = await resident(db);
		const item = validSubmission(f, answers);
		const [r] = await submit(db, who, [item]);
		expect(r, JSON.stringify(r)).toMatchObject({ id: item.id, status: 'accepted', reason: null });
		return { item, who };
	}

	it('stores an accepted response with one typed answer row per answered question', async () => {
		const { item, who } = await expectAccepted({
			q_streets: 5,
			q_parks: 9,
			q_top3: ['s3', 's1'],
			q_contacted: 'yes',
			q_contact_sat: 2,
			q_channels: ['phone', 'web'],
			district: '4',
			zip: '64106',
			age: 42.5,
			comment: '  Fix the potholes '
		});
		const { rows: resp } = await db.query<Record<string, unknown>>(
			`select wave_id, respondent_id, language, district, source, mode, weight::text as weight,
			        invitation_id, received_at is not null as has_received, submitted_at is not null as has_submitted
			 from public.responses where id = $1`,
			[item.id]
		);
		expect(resp).toEqual([
			{
				wave_id: f.openWaveId,
				respondent_id: who.sub,
				language: 'en',
				district: '4',
				source: 'web',
				mode: 'open',
				weight: '1',
				invitation_id: null,
				has_received: true,
				has_submitted: true
			}
		]);
		const { rows: answers } = await db.query<Record<string, unknown>>(
			`select q.key, a.numeric_value::text as num, a.choice_value as choice,
			        a.choice_values as choices, a.text_value as text, a.wave_id
			 from public.answers a join public.questions q on q.id = a.question_id
			 where a.response_id = $1 order by q.position`,
			[item.id]
		);
		const byKey = Object.fromEntries(answers.map((a) => [a.key, a]));
		expect(Object.keys(byKey)).toEqual([
			'q_streets',
			'q_parks',
			'q_top3',
			'q_contacted',
			'q_contact_sat',
			'q_channels',
			'district',
			'zip',
			'age',
			'comment'
		]);
		expect(byKey.q_streets).toMatchObject({ num: '5', choice: null, choices: null, text: null });
		expect(byKey.q_parks.num).toBe('9');
		// Ranked: the order the resident chose is kept.
		expect(byKey.q_top3.choices).toEqual(['s3', 's1']);
		expect(byKey.q_contacted.choice).toBe('yes');
		expect(byKey.q_channels.choices).toEqual(['phone', 'web']);
		expect(byKey.district.choice).toBe('4');
		expect(byKey.zip.text).toBe('64106');
		expect(byKey.age.num).toBe('42.5');
		expect(byKey.comment.text).toBe('Fix the potholes');
		expect(answers.every((a) => a.wave_id === f.openWaveId)).toBe(true);
	});

	it('accepts "don\'t know" (9) on satisfaction and rating items', async () => {
		await expectAccepted({ q_streets: 9, q_parks: 9 });
	});

	it.each([
		['satisfaction above 5', { q_streets: 6 }, 'q_streets'],
		['satisfaction zero', { q_streets: 0 }, 'q_streets'],
		['satisfaction as a string', { q_streets: '4' }, 'q_streets'],
		['rating not a whole step', { q_parks: 2.5 }, 'q_parks'],
		['top-3 with four picks', { q_top3: ['s1', 's2', 's3', 's4'] }, 'q_top3'],
		['top-3 picking one service twice', { q_top3: ['s1', 's1'] }, 'q_top3'],
		['top-3 with an unknown service', { q_top3: ['s1', 's9'] }, 'q_top3'],
		['top-3 not a list', { q_top3: 's1' }, 'q_top3'],
		['top-3 with an empty slot', { q_top3: ['s1', ''] }, 'q_top3'],
		['single with an unknown option', { q_contacted: 'maybe' }, 'q_contacted'],
		[
			'multi picking one option twice',
			{ q_contacted: 'yes', q_contact_sat: 3, q_channels: ['web', 'web'] },
			'q_channels'
		],
		['district not in the list', { district: '7' }, 'district'],
		['zip with four digits', { zip: '6410' }, 'zip'],
		['zip with letters', { zip: '64l06' }, 'zip'],
		['zip as a number', { zip: 64106 }, 'zip'],
		['number below min', { age: 17 }, 'age'],
		['number above max', { age: 121 }, 'age'],
		['number sent as text', { age: '30' }, 'age'],
		['text longer than max_length', { comment: 'x'.repeat(21) }, 'comment'],
		['an unknown question key', { q_nonexistent: 3 }, 'q_nonexistent']
	])('rejects %s with a reason and stores nothing', async (_label, answers, question) => {
		await expectAnswerRejected(answers, question);
	});

	it('rejects a missing required answer', async () => {
		const r = await expectAnswerRejected({ q_streets: null }, 'q_streets');
		expect(r.errors).toEqual([{ question: 'q_streets', message: 'An answer is required' }]);
	});

	it('requires a conditional question only when it is shown', async () => {
		// q_contacted = yes shows q_contact_sat, which is required.
		await expectAnswerRejected({ q_contacted: 'yes' }, 'q_contact_sat');
		// q_contacted = no hides it: not answering is fine.
		await expectAccepted({ q_contacted: 'no' });
	});

	it('treats null, blank text and empty lists as not answered, like the client', async () => {
		const { item } = await expectAccepted({
			q_parks: null,
			q_top3: [],
			comment: '   ',
			zip: '',
			q_contacted: 'yes',
			q_contact_sat: 3,
			q_channels: ['']
		});
		expect(await stored(db, item.id)).toEqual({ responses: 1, answers: 4 });
		// …so a required question answered with blank text is missing.
		await expectAnswerRejected({ q_contacted: ' ' }, 'q_contacted');
	});

	it('shows a neq question while the referenced answer is missing or different', async () => {
		await expectAccepted({ q_parks_why: 'Not enough benches' });
		await expectAccepted({ q_parks: 2, q_parks_why: 'Dirty' });
		const r = await expectAnswerRejected({ q_parks: 9, q_parks_why: 'n/a' }, 'q_parks_why');
		expect(r.errors?.[0].message).toMatch(/skipped.*q_parks/);
	});

	it('hides a question whose parent is hidden, even if its own condition would hold', async () => {
		await expectAccepted({ q_contacted: 'yes', q_contact_sat: 2, q_contact_detail: 'Slow' });
		// q_contact_sat is hidden (q_contacted = no); q_contact_detail's own condition (q_contact_sat
		// answered) holds, but it is hidden with its parent.
		const r = await expectAnswerRejected(
			{ q_contacted: 'no', q_contact_sat: 2, q_contact_detail: 'Slow' },
			'q_contact_detail'
		);
		expect(r.errors?.map((e) => e.question)).toEqual(['q_contact_sat', 'q_contact_detail']);
	});

	it('rejects an answer to a question hidden by skip logic, saying why', async () => {
		const r = await expectAnswerRejected({ q_contacted: 'no', q_contact_sat: 4 }, 'q_contact_sat');
		expect(r.errors?.[0].message).toMatch(/skipped.*q_contacted/);
		await expectAnswerRejected({ q_contacted: 'no', q_channels: ['web'] }, 'q_channels');
	});

	it('reports every invalid answer of an item, not just the first', async () => {
		const who = await resident(db);
		const item = validSubmission(f, { q_streets: 7, zip: 'abc', district: null });
		const [r] = await submit(db, who, [item]);
		expect(r.status).toBe('rejected');
		expect(r.errors?.map((e) => e.question).sort()).toEqual(['district', 'q_streets', 'zip']);
		expect(r.reason).toMatch(/^3 answers are not valid/);
	});

	it('answers "duplicate" on a retry and doubles nothing', async () => {
		const who = await resident(db);
		const item = validSubmission(f, { q_top3: ['s2'] });
		const [first] = await submit(db, who, [item]);
		expect(first.status).toBe('accepted');
		const [again] = await submit(db, who, [item]);
		expect(again).toMatchObject({ id: item.id, status: 'duplicate' });
		// Even a changed payload with the same id is the same response.
		const [changed] = await submit(db, who, [
			{ ...item, answers: { ...item.answers, q_streets: 1 } }
		]);
		expect(changed.status).toBe('duplicate');
		expect(await stored(db, item.id)).toEqual({ responses: 1, answers: 4 });
		const { rows } = await db.query<{ v: string }>(
			`select a.numeric_value::text as v from public.answers a
			 join public.questions q on q.id = a.question_id where a.response_id = $1 and q.key = 'q_streets'`,
			[item.id]
		);
		expect(rows).toEqual([{ v: '4' }]);
	});

	it('answers "duplicate" for a stored response even after the resident\'s session changed', async () => {
		// A device that lost its anonymous session signs in again (new user id) and retries.
		const first = await resident(db);
		const item = validSubmission(f);
		expect((await submit(db, first, [item]))[0].status).toBe('accepted');
		const second = await resident(db);
		expect((await submit(db, second, [item]))[0].status).toBe('duplicate');
		expect(await stored(db, item.id)).toEqual({ responses: 1, answers: 3 });
	});

	it('allows one response per resident per open wave', async () => {
		const who = await resident(db);
		const [a] = await submit(db, who, [validSubmission(f)]);
		expect(a.status).toBe('accepted');
		const second = validSubmission(f);
		const [b] = await submit(db, who, [second]);
		expect(b.status).toBe('rejected');
		expect(b.reason).toMatch(/already responded/);
		expect(await stored(db, second.id)).toEqual({ responses: 0, answers: 0 });
	});

	it('returns one result per item, in order; rejected items store nothing, the others commit', async () => {
		const [u1, u2, u3] = [await resident(db), await resident(db), await resident(db)];
		const good1 = validSubmission(f);
		const bad = validSubmission(f, { q_streets: 42 });
		const good2 = validSubmission(f, { zip: '64111' });
		// One resident per item: one response per resident per wave.
		const results: TSubmitResult[] = [
			...(await submit(db, u1, [good1])),
			...(await submit(db, u2, [bad, good2]))
		];
		expect(results.map((r) => [r.id, r.status])).toEqual([
			[good1.id, 'accepted'],
			[bad.id, 'rejected'],
			[good2.id, 'accepted']
		]);
		// A batch mixing a retry, a bad item and a new one.
		const good3 = validSubmission(f);
		const mixed = await submit(db, u3, [good1, { ...bad, id: randomUUID() }, good3, good2]);
		expect(mixed.map((r) => r.status)).toEqual(['duplicate', 'rejected', 'accepted', 'duplicate']);
		expect(mixed.map((r) => r.id)).toEqual([good1.id, mixed[1].id, good3.id, good2.id]);
		expect(await stored(db, bad.id)).toEqual({ responses: 0, answers: 0 });
		expect((await stored(db, good3.id)).responses).toBe(1);
	});

	const envelopeCases: [string, (f: TFixture) => unknown, RegExp][] = [
		['an item that is not an object', () => 'hello', /JSON object/],
		['an item without id', (f) => ({ ...validSubmission(f), id: undefined }), /"id"/],
		['an id that is not a UUID', (f) => ({ ...validSubmission(f), id: 'abc' }), /"id"/],
		['an item without wave_id', (f) => ({ ...validSubmission(f), wave_id: undefined }), /wave_id/],
		[
			'an unknown wave',
			(f) => ({ ...validSubmission(f), wave_id: randomUUID() }),
			/Unknown survey wave/
		],
		['an unsupported language', (f) => ({ ...validSubmission(f), language: 'fr' }), /language/],
		[
			'a malformed submitted_at',
			(f) => ({ ...validSubmission(f), submitted_at: 'yesterday-ish' }),
			/submitted_at/
		],
		[
			'answers that are not an object',
			(f) => ({ ...validSubmission(f), answers: [1, 2] }),
			/"answers"/
		],
		[
			'an invitation code that is not a string',
			(f) => ({ ...validSubmission(f), invitation_code: 42 }),
			/invitation_code/
		]
	];
	it.each(envelopeCases)('rejects %s with a clear reason', async (_label, make, reason) => {
		const item = make(f);
		const who = await resident(db);
		const results = await submit(db, who, [item, validSubmission(f)]);
		expect(results).toHaveLength(2);
		expect(results[0].status).toBe('rejected');
		expect(results[0].reason).toMatch(reason);
		// The good item in the same batch is still stored.
		expect(results[1].status).toBe('accepted');
		const id = (item as { id?: unknown })?.id;
		if (typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) {
			expect(await stored(db, id)).toEqual({ responses: 0, answers: 0 });
		}
	});

	it('refuses a payload that is not an array with a 22023 error', async () => {
		const who = await resident(db);
		await expect(submit(db, who, { id: randomUUID() })).rejects.toMatchObject({
			code: '22023',
			message: expect.stringContaining('JSON array')
		});
	});

	it('tells callers without a session to sign in (42501), storing nothing', async () => {
		const item = validSubmission(f);
		await expect(submit(db, { role: 'anon' }, [item])).rejects.toMatchObject({
			code: '42501',
			message: expect.stringMatching(/^Sign in first/)
		});
		expect(await stored(db, item.id)).toEqual({ responses: 0, answers: 0 });
	});

	it('rejects submissions to a closed wave, but accepts one finished offline before the close', async () => {
		const who = await resident(db);
		const closedLongAgo = validSubmission(f, {}, { wave_id: f.recentlyClosedWaveId });
		// Finished 2 hours ago, i.e. before the wave closed 1 hour ago: inside the grace window.
		closedLongAgo.submitted_at = new Date(Date.now() - 2 * 3600_000).toISOString();
		const [late] = await submit(db, who, [closedLongAgo]);
		expect(late.status, JSON.stringify(late)).toBe('accepted');

		const other = await resident(db);
		const afterClose = validSubmission(f, {}, { wave_id: f.recentlyClosedWaveId });
		afterClose.submitted_at = new Date().toISOString();
		const [r] = await submit(db, other, [afterClose]);
		expect(r).toMatchObject({ status: 'rejected', reason: 'This survey wave is closed' });

		const [noClock] = await submit(db, other, [
			{ ...afterClose, id: randomUUID(), submitted_at: null }
		]);
		expect(noClock.status).toBe('rejected');
	});

	it('clamps a client clock running ahead instead of rejecting', async () => {
		const who = await resident(db);
		const item = validSubmission(f, {}, { submitted_at: '2099-01-01T00:00:00Z' });
		expect((await submit(db, who, [item]))[0].status).toBe('accepted');
		const { rows } = await db.query<{ ok: boolean }>(
			'select submitted_at <= received_at as ok from public.responses where id = $1',
			[item.id]
		);
		expect(rows).toEqual([{ ok: true }]);
	});

	describe('invited waves', () => {
		const invited = (code: string | null, id = randomUUID()) => ({
			id,
			wave_id: f.invitedWaveId,
			language: 'es',
			submitted_at: new Date().toISOString(),
			invitation_code: code,
			answers: { q_overall: 5 }
		});

		it('needs an invitation code', async () => {
			const [r] = await submit(db, await resident(db), [invited(null)]);
			expect(r).toMatchObject({ status: 'rejected' });
			expect(r.reason).toMatch(/invitation only/);
		});

		it('rejects an unknown code and a code of another wave', async () => {
			const [r] = await submit(db, await resident(db), [invited('NOPE-NOPE')]);
			expect(r.reason).toBe('Unknown invitation code');
			const [s] = await submit(db, await resident(db), [
				{ ...invited(f.codes[5]), wave_id: f.openWaveId, answers: validSubmission(f).answers }
			]);
			expect(s.reason).toMatch(/another survey wave/);
		});

		it('consumes a code exactly once; a retry of the same response is a duplicate', async () => {
			const code = f.codes[0];
			const who = await resident(db);
			// Codes are typed by people: case, spaces and dashes do not matter.
			const item = invited(` ${code.toLowerCase().slice(0, 4)}-${code.slice(4)} `);
			const [a] = await submit(db, who, [item]);
			expect(a.status, JSON.stringify(a)).toBe('accepted');
			const { rows } = await db.query<{ mode: string; has_inv: boolean; language: string }>(
				'select mode, invitation_id is not null as has_inv, language from public.responses where id = $1',
				[item.id]
			);
			expect(rows).toEqual([{ mode: 'invited', has_inv: true, language: 'es' }]);

			expect((await submit(db, who, [item]))[0].status).toBe('duplicate');
			const [reuse] = await submit(db, await resident(db), [invited(code)]);
			expect(reuse).toMatchObject({
				status: 'rejected',
				reason: 'This invitation code has already been used'
			});
			expect(
				await count(db, 'select 1 from public.responses where wave_id = $1', [f.invitedWaveId])
			).toBe(1);
		});

		it('lets only one of two simultaneous submissions use the same code', async () => {
			const code = f.codes[1];
			const [u1, u2] = [await resident(db), await resident(db)];
			const results = await Promise.all([
				submit(db, u1, [invited(code)]),
				submit(db, u2, [invited(code)])
			]);
			const statuses = results.map((r) => r[0].status).sort();
			expect(statuses).toEqual(['accepted', 'rejected']);
			const { rows } = await db.query<{ n: string }>(
				`select count(*)::text as n from public.responses r join public.invitations i on i.id = r.invitation_id
				 where i.code_hash = private.hash_invitation_code($1)`,
				[code]
			);
			expect(rows[0].n).toBe('1');
		});
	});

	it('stores a response exactly once when the same id arrives twice at the same time', async () => {
		const who = await resident(db);
		const item = validSubmission(f);
		const results = await Promise.all([submit(db, who, [item]), submit(db, who, [item])]);
		expect(results.map((r) => r[0].status).sort()).toEqual(['accepted', 'duplicate']);
		expect(await stored(db, item.id)).toEqual({ responses: 1, answers: 3 });
	});

	it('cannot be bypassed: residents have no direct write access to responses or answers', async () => {
		const who = await resident(db);
		await expect(
			as(db, who, (tx) =>
				tx.query(
					`insert into public.responses (id, wave_id, respondent_id, mode, language, source)
					 values ($1, $2, $3, 'open', 'en', 'web')`,
					[randomUUID(), f.openWaveId, who.sub]
				)
			)
		).rejects.toMatchObject({ code: '42501' });
	});
});

/**
 * Real interleaving on PostgreSQL 15: the second transaction is provably blocked on the first
 * one's uncommitted row (seen in pg_stat_activity / pg_locks) before the first commits. This is
 * the crash-between-commit-and-acknowledgement retry race and the double-redeemed code race.
 */
describe('submit_responses under real concurrency (postgres)', () => {
	let db: TTestDb;
	let f: TFixture;
	let observer: pg.Client;

	beforeAll(async () => {
		db = await openTestDb('postgres');
		f = await createFixture(db);
		observer = new pg.Client({ connectionString: db.url! });
		await observer.connect();
	});
	afterAll(async () => {
		await observer?.end();
		await db?.close();
	});

	/** Resolves once some other backend waits on a lock while running submit_responses. */
	async function blockedSubmitter(): Promise<void> {
		for (;;) {
			const { rows } = await observer.query(
				`select 1 from pg_stat_activity
				 where datname = current_database() and wait_event_type = 'Lock'
				   and query like '%submit_responses%'`
			);
			if (rows.length > 0) return;
			await new Promise((r) => setTimeout(r, 20));
		}
	}

	async function race(
		first: { who: Parameters<typeof submit>[1]; items: unknown[] },
		second: typeof first
	) {
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		let firstDone!: () => void;
		const firstSubmitted = new Promise<void>((r) => (firstDone = r));
		const a = as(db, first.who, async (tx) => {
			const { rows } = await tx.query<{ r: TSubmitResult[] }>(
				'select public.submit_responses($1::jsonb) as r',
				[JSON.stringify(first.items)]
			);
			firstDone();
			await gate; // keep the transaction open until the second one is blocked on it
			return rows[0].r;
		});
		await firstSubmitted;
		const b = submit(db, second.who, second.items);
		await blockedSubmitter();
		release();
		return [await a, await b];
	}

	it('same response id from two connections: one accepted, one duplicate, stored once', async () => {
		const who = await resident(db);
		const item = validSubmission(f);
		const [a, b] = await race({ who, items: [item] }, { who, items: [item] });
		expect(a[0].status).toBe('accepted');
		expect(b[0]).toMatchObject({ id: item.id, status: 'duplicate' });
		expect(await stored(db, item.id)).toEqual({ responses: 1, answers: 3 });
	});

	it('same invitation code from two residents: one accepted, the other told it is used', async () => {
		const mk = (code: string) => ({
			id: randomUUID(),
			wave_id: f.invitedWaveId,
			language: 'en',
			submitted_at: new Date().toISOString(),
			invitation_code: code,
			answers: { q_overall: 3 }
		});
		const code = f.codes[2];
		const [a, b] = await race(
			{ who: await resident(db), items: [mk(code)] },
			{ who: await resident(db), items: [mk(code)] }
		);
		expect(a[0].status).toBe('accepted');
		expect(b[0]).toMatchObject({
			status: 'rejected',
			reason: 'This invitation code has already been used'
		});
		const { rows } = await db.query<{ used: boolean }>(
			'select used_at is not null as used from public.invitations where code_hash = private.hash_invitation_code($1)',
			[code]
		);
		expect(rows).toEqual([{ used: true }]);
	});

	it('same resident, two different responses at once: exactly one stored', async () => {
		const who = await resident(db);
		const [a, b] = await race(
			{ who, items: [validSubmission(f)] },
			{ who, items: [validSubmission(f)] }
		);
		expect(a[0].status).toBe('accepted');
		expect(b[0]).toMatchObject({ status: 'rejected' });
		expect(b[0].reason).toMatch(/already responded/);
		expect(
			await count(db, 'select 1 from public.responses where respondent_id = $1', [who.sub])
		).toBe(1);
	});
});
