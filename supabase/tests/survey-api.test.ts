/**
 * get_survey and check_invitation, as the resident app calls them (anon key, or an anonymous
 * session), on PGlite and PostgreSQL 15.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	QUESTION_KINDS,
	type TAnswerValue,
	type TSurveyDefinition
} from '../../src/lib/domain/survey';
import { answersToSubmit, validateResponse } from '../../src/lib/survey/logic';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import {
	as,
	createFixture,
	createUser,
	resident,
	submit,
	type TFixture,
	type TIdentity
} from './support';

const anon: TIdentity = { role: 'anon' };

describe.each(ENGINES)('survey API on %s', (engine) => {
	let db: TTestDb;
	let f: TFixture;

	beforeAll(async () => {
		db = await openTestDb(engine);
		f = await createFixture(db);
	});
	afterAll(async () => {
		await db?.close();
	});

	const getSurvey = (slug: string, who: TIdentity = anon) =>
		as(db, who, async (tx) => {
			const { rows } = await tx.query<{ s: TSurveyDefinition }>(
				'select public.get_survey($1) as s',
				[slug]
			);
			return rows[0].s;
		});
	const checkInvitation = (code: string, who: TIdentity = anon) =>
		as(db, who, async (tx) => {
			const { rows } = await tx.query<{ r: { status: string; wave_id: string | null } }>(
				'select public.check_invitation($1) as r',
				[code]
			);
			return rows[0].r;
		});

	it('get_survey returns the open wave with sections and questions in order, in every language', async () => {
		const s = await getSurvey(f.openSlug);
		expect(Object.keys(s).sort()).toEqual(['questions', 'sections', 'survey', 'wave']);
		expect(s.survey).toMatchObject({
			slug: f.openSlug,
			title: { en: `Survey ${f.openSlug}`, es: `Encuesta ${f.openSlug}` },
			intro: { en: 'Tell us', es: 'Díganos' },
			languages: ['en', 'es']
		});
		expect(s.wave).toMatchObject({
			id: f.openWaveId,
			label: 'Fall 2026',
			period: '2026-Q4',
			mode: 'both'
		});
		expect(s.wave.closes_at).not.toBeNull();
		expect(new Date(s.wave.opens_at).getTime()).toBeLessThan(Date.now());
		expect(s.sections.map((x) => x.key)).toEqual(['services', 'profile']);
		expect(s.sections[0]).toEqual({
			key: 'services',
			position: 1,
			title: { en: 'Section services', es: 'Sección services' },
			description: null
		});
		expect(s.questions.map((q) => q.key)).toEqual([
			'q_streets',
			'q_parks',
			'q_parks_why',
			'q_top3',
			'q_contacted',
			'q_contact_sat',
			'q_contact_detail',
			'q_channels',
			'district',
			'zip',
			'age',
			'comment'
		]);
		for (const q of s.questions) {
			expect(Object.keys(q).sort()).toEqual(
				[
					'id',
					'key',
					'section',
					'position',
					'kind',
					'prompt',
					'help',
					'required',
					'options',
					'min',
					'max',
					'max_length',
					'show_if',
					'service_category'
				].sort()
			);
			expect(QUESTION_KINDS).toContain(q.kind);
			expect(q.prompt.en && q.prompt.es).toBeTruthy();
		}
		const byKey = Object.fromEntries(s.questions.map((q) => [q.key, q]));
		expect(byKey.q_streets).toMatchObject({
			section: 'services',
			required: true,
			service_category: 'streets'
		});
		expect(byKey.q_top3.options?.map((o) => o.key)).toEqual(['s1', 's2', 's3', 's4', 's5']);
		expect(byKey.q_top3.options?.[0].label).toEqual({ en: 'Option s1', es: 'Opción s1' });
		expect(byKey.q_contact_sat.show_if).toEqual({
			question: 'q_contacted',
			op: 'eq',
			value: 'yes'
		});
		expect(byKey.age).toMatchObject({ min: 18, max: 120, options: null });
		expect(byKey.comment.max_length).toBe(20);
		expect(byKey.district.section).toBe('profile');
	});

	it('get_survey works the same for an anonymous resident session', async () => {
		const who = await resident(db);
		expect((await getSurvey(f.openSlug, who)).wave.id).toBe(f.openWaveId);
	});

	it('get_survey answers 404 (PT404) for an unknown survey', async () => {
		await expect(getSurvey('no-such-survey')).rejects.toMatchObject({
			code: 'PT404',
			message: 'Survey "no-such-survey" not found',
			detail: 'survey_not_found'
		});
	});

	it('get_survey answers 404 (PT404) with a distinct detail when no wave is open', async () => {
		await expect(getSurvey(f.closedSlug)).rejects.toMatchObject({
			code: 'PT404',
			message: expect.stringContaining('not open'),
			detail: 'no_open_wave'
		});
	});

	it('check_invitation tells ok, used, unknown and closed apart', async () => {
		expect(await checkInvitation(f.codes[3])).toEqual({
			status: 'ok',
			wave_id: f.invitedWaveId,
			survey_slug: f.invitedSlug
		});
		expect(await checkInvitation(f.codes[3].toLowerCase())).toMatchObject({ status: 'ok' });
		expect(await checkInvitation('ZZZZZ-ZZZZZ')).toEqual({
			status: 'unknown',
			wave_id: null,
			survey_slug: null
		});
		expect(await checkInvitation(f.closedCode)).toMatchObject({
			status: 'closed',
			wave_id: f.closedWaveId
		});
		const [r] = await submit(db, await resident(db), [
			{
				id: crypto.randomUUID(),
				wave_id: f.invitedWaveId,
				language: 'en',
				submitted_at: new Date().toISOString(),
				invitation_code: f.codes[3],
				answers: { q_overall: 4 }
			}
		]);
		expect(r.status).toBe('accepted');
		expect(await checkInvitation(f.codes[3])).toMatchObject({
			status: 'used',
			wave_id: f.invitedWaveId
		});
	});

	it('create_invitations: admins mint single-use codes, shown once and stored only hashed', async () => {
		const admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		const codes = await as(db, admin, async (tx) => {
			const { rows } = await tx.query<{ code: string }>(
				`select code from public.create_invitations($1, 3, 'test-batch')`,
				[f.invitedWaveId]
			);
			return rows.map((r) => r.code);
		});
		expect(codes).toHaveLength(3);
		expect(new Set(codes).size).toBe(3);
		for (const code of codes) {
			expect(code).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
			expect(await checkInvitation(code)).toMatchObject({ status: 'ok', wave_id: f.invitedWaveId });
		}
		const { rows } = await db.query<{ n: string }>(
			`select count(*)::text as n from public.invitations where batch = 'test-batch'
			 and code_hash = any (select private.hash_invitation_code(c) from unnest($1::text[]) c)`,
			[codes]
		);
		expect(rows[0].n).toBe('3');
		// Only admins; and only for waves that take invitations.
		const analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		await expect(
			as(db, analyst, (tx) =>
				tx.query('select public.create_invitations($1, 1)', [f.invitedWaveId])
			)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			as(db, anon, (tx) => tx.query('select public.create_invitations($1, 1)', [f.invitedWaveId]))
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			as(db, admin, (tx) => tx.query('select public.create_invitations($1, 1)', [f.openWaveId]))
		).resolves.toBeTruthy(); // mode 'both' takes invitations
		await expect(
			as(db, admin, (tx) =>
				tx.query('select public.create_invitations($1, 1)', [f.recentlyClosedWaveId])
			)
		).rejects.toMatchObject({ code: 'PT404' }); // mode 'open'
	});

	it('create_invitations with a request id: a retry returns the same codes and stores nothing new', async () => {
		const admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		const requestId = crypto.randomUUID();
		const mint = (count: number, batch: string | null = 'mail-1', wave = f.invitedWaveId) =>
			as(db, admin, async (tx) => {
				const { rows } = await tx.query<{ code: string }>(
					'select code from public.create_invitations($1, $2, $3, $4)',
					[wave, count, batch, requestId]
				);
				return rows.map((r) => r.code);
			});
		const stored = async () => {
			const { rows } = await db.query<{ n: string }>(
				'select count(*)::text as n from public.invitations where request_id = $1',
				[requestId]
			);
			return Number(rows[0].n);
		};
		const first = await mint(4);
		expect(first).toHaveLength(4);
		expect(new Set(first).size).toBe(4);
		// The answer was lost; the admin's page retries with the same request id.
		expect(await mint(4)).toEqual(first);
		expect(await stored()).toBe(4);
		for (const code of first)
			expect(await checkInvitation(code)).toMatchObject({ status: 'ok', wave_id: f.invitedWaveId });
		// The same id for a different batch is refused with a clear message, and changes nothing.
		for (const attempt of [
			() => mint(5),
			() => mint(4, 'other'),
			() => mint(4, 'mail-1', f.openWaveId)
		])
			await expect(attempt()).rejects.toMatchObject({
				code: '22023',
				message: expect.stringMatching(/already used for a different batch/)
			});
		expect(await stored()).toBe(4);
		// Another request id gets other codes.
		const other = await as(db, admin, async (tx) => {
			const { rows } = await tx.query<{ code: string }>(
				'select code from public.create_invitations($1, 2, null, $2)',
				[f.invitedWaveId, crypto.randomUUID()]
			);
			return rows.map((r) => r.code);
		});
		expect(other.filter((c) => first.includes(c))).toEqual([]);
		// After 24 hours the codes are not shown again.
		await db.query(
			"update public.invitations set created_at = now() - interval '25 hours' where request_id = $1",
			[requestId]
		);
		await expect(mint(4)).rejects.toMatchObject({
			code: '22023',
			message: expect.stringMatching(/more than 24 hours ago/)
		});
		await expect(
			as(db, admin, (tx) =>
				tx.query('select public.create_invitations($1, 1, $2)', [f.invitedWaveId, 'x'.repeat(121)])
			)
		).rejects.toMatchObject({ code: '22023', message: expect.stringMatching(/p_batch/) });
	});

	it('anon cannot read invitations or their hashes directly', async () => {
		await expect(
			as(db, anon, (tx) => tx.query('select * from public.invitations'))
		).rejects.toMatchObject({ code: '42501' });
		const who = await resident(db);
		const { rows } = await as(db, who, (tx) => tx.query('select * from public.invitations'));
		expect(rows).toEqual([]);
	});
});

/**
 * A plausible valid answer for every question the client would show, then exactly what the
 * client would send (src/lib/survey/logic.ts decides visibility and normalizes).
 */
function completeResponse(def: TSurveyDefinition): Record<string, TAnswerValue> {
	const answers: Record<string, TAnswerValue> = {};
	for (const q of [...def.questions].sort((a, b) => a.position - b.position)) {
		const keys = (q.options ?? []).map((o) => o.key);
		const value: TAnswerValue | undefined = {
			satisfaction5: 4,
			rating5: 4,
			importance_top3: keys.slice(0, 3),
			single: keys[0],
			district: keys[0],
			multi: keys.slice(0, 1),
			text: 'Buses',
			number: q.min ?? q.max ?? 1,
			zip: '64106'
		}[q.kind];
		if (value !== undefined) answers[q.key] = value;
	}
	return answersToSubmit(def, answers);
}

/**
 * The client (src/lib/survey/logic.ts) and the server must agree: whatever the client lets a
 * resident submit, the server accepts — otherwise the response is stuck in the outbox as a
 * permanent rejection. Deterministic pseudo-random answer sets over the fixture survey,
 * including stale answers to hidden questions, blanks and invalid values.
 */
describe.each(ENGINES)('client and server agree on %s', (engine) => {
	let db: TTestDb;
	let f: TFixture;
	let def: TSurveyDefinition;
	beforeAll(async () => {
		db = await openTestDb(engine);
		f = await createFixture(db);
		const { rows } = await as(db, anon, (tx) =>
			tx.query<{ s: TSurveyDefinition }>('select public.get_survey($1) as s', [f.openSlug])
		);
		def = rows[0].s;
	});
	afterAll(async () => {
		await db?.close();
	});

	// [valid values, invalid values] per question; blanks and stale answers count as valid input.
	const pool: Record<string, [TAnswerValue[], TAnswerValue[]]> = {
		q_streets: [
			[1, 4, 5, 9],
			[6, 0]
		],
		q_parks: [[2, 9], [0]],
		q_parks_why: [['Benches', '   '], ['x'.repeat(2001)]],
		q_top3: [
			[['s1'], ['s1', 's2', 's3'], ['s1', '', ''], []],
			[['s2', 's2'], ['s9']]
		],
		q_contacted: [
			['yes', 'no', 'no'],
			['', 'maybe']
		],
		q_contact_sat: [[3, 9], [7]],
		q_contact_detail: [['Slow', ''], []],
		q_channels: [[['web'], ['web', 'phone'], []], [['fax']]],
		district: [['1', '6'], ['7']],
		zip: [['64106', ' 64111 '], ['6410']],
		age: [[18, 120, 44.5], [17]],
		comment: [['Thanks', '  '], ['x'.repeat(21)]]
	};

	it('the server accepts every response the client considers valid', async () => {
		let seed = 20261122;
		const rand = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return Math.floor((seed / 2147483648) * n);
		};
		let clientOk = 0;
		let serverRejected = 0;
		for (let i = 0; i < 80; i++) {
			const raw: Record<string, TAnswerValue> = {};
			for (const [key, [good, bad]] of Object.entries(pool)) {
				const dice = rand(20);
				// ~85% a valid value, ~5% an invalid one, ~10% unanswered.
				if (dice < 17) raw[key] = good[rand(good.length)];
				else if (dice < 18 && bad.length > 0) raw[key] = bad[rand(bad.length)];
			}
			const valid = validateResponse(def, raw).length === 0;
			const sent = answersToSubmit(def, raw);
			const [r] = await submit(db, await resident(db), [
				{
					id: crypto.randomUUID(),
					wave_id: f.openWaveId,
					language: 'en',
					submitted_at: new Date().toISOString(),
					invitation_code: null,
					answers: sent
				}
			]);
			if (valid) {
				clientOk++;
				expect(r, `client-valid answers ${JSON.stringify(sent)}`).toMatchObject({
					status: 'accepted'
				});
			} else if (r.status === 'rejected') {
				serverRejected++;
			}
		}
		// The sample exercises both sides.
		expect(clientOk).toBeGreaterThan(3);
		expect(serverRejected).toBeGreaterThan(10);
	});

	it('a complete response to the fixture survey is accepted', async () => {
		const [r] = await submit(db, await resident(db), [
			{
				id: crypto.randomUUID(),
				wave_id: f.openWaveId,
				language: 'en',
				submitted_at: new Date().toISOString(),
				invitation_code: null,
				answers: completeResponse(def)
			}
		]);
		expect(r, JSON.stringify(r)).toMatchObject({ status: 'accepted' });
	});
});

describe.each(ENGINES)('the demo survey (seed) on %s', (engine) => {
	let db: TTestDb;
	beforeAll(async () => {
		db = await openTestDb(engine, { seed: true });
	});
	afterAll(async () => {
		await db?.close();
	});

	it('loads through get_survey and accepts a complete response built from its definition', async () => {
		const { rows } = await as(db, anon, (tx) =>
			tx.query<{ s: TSurveyDefinition }>(`select public.get_survey('resident-survey') as s`)
		);
		const def = rows[0].s;
		expect(def.questions.length).toBeGreaterThan(10);
		expect(def.sections.length).toBeGreaterThan(0);
		const sectionKeys = new Set(def.sections.map((s) => s.key));
		for (const q of def.questions) expect(sectionKeys.has(q.section), q.key).toBe(true);

		const answers = completeResponse(def);
		const id = crypto.randomUUID();
		const [r] = await submit(db, await resident(db), [
			{
				id,
				wave_id: def.wave.id,
				language: 'es',
				submitted_at: new Date().toISOString(),
				invitation_code: null,
				answers
			}
		]);
		expect(r, JSON.stringify(r)).toMatchObject({ id, status: 'accepted' });
		const { rows: n } = await db.query<{ n: string }>(
			'select count(*)::text as n from public.answers where response_id = $1',
			[id]
		);
		expect(Number(n[0].n)).toBe(Object.keys(answers).length);
	});
});

/**
 * A double submit of the staff form on PostgreSQL 15 with two real connections: the second call
 * with the same request id waits for the first to commit, then returns the same codes.
 */
describe('create_invitations with two concurrent calls (postgres)', () => {
	let db: TTestDb;
	let f: TFixture;
	let first: pg.Client;

	beforeAll(async () => {
		db = await openTestDb('postgres');
		f = await createFixture(db);
		first = new pg.Client({ connectionString: db.url! });
		await first.connect();
	});
	afterAll(async () => {
		await first?.end();
		await db?.close();
	});

	it('mints one batch for one request id', async () => {
		const admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		const requestId = crypto.randomUUID();
		const sql = 'select code from public.create_invitations($1, 3, null, $2)';
		await first.query('begin');
		await first.query(
			`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
			[JSON.stringify({ role: 'authenticated', sub: admin.sub, aud: 'authenticated' })]
		);
		const { rows: a } = await first.query<{ code: string }>(sql, [f.invitedWaveId, requestId]);
		// The second call starts while the first is still open, and has to wait for it.
		let settled = false;
		const second = as(db, admin, async (tx) => {
			const { rows } = await tx.query<{ code: string }>(sql, [f.invitedWaveId, requestId]);
			return rows.map((r) => r.code);
		}).finally(() => (settled = true));
		await new Promise((r) => setTimeout(r, 200));
		expect(settled).toBe(false);
		await first.query('commit');
		expect(await second).toEqual(a.map((r) => r.code));
		const { rows } = await db.query<{ n: string }>(
			'select count(*)::text as n from public.invitations where request_id = $1',
			[requestId]
		);
		expect(rows[0].n).toBe('3');
	});
});
