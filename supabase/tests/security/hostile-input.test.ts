/**
 * Hostile input through the embedded backend's HTTP API (the gateway, PostgREST subset and the
 * app's SQL together), as every kind of caller: no session, an anonymous resident and each staff
 * role. fast-check generates malformed, oversized and deeply nested JSON, NUL and right-to-left
 * text, wrong ids, replays, closed waves and used invitation codes against every RPC and every
 * exposed table (both read from the catalog, so new ones are covered without editing this file).
 *
 * What a resident and the city rely on:
 * - a refusal is a 4xx with a message a person can read; never a 5xx;
 * - a refused write leaves every table exactly as it was (row counts and row versions);
 * - a write succeeds only for a caller the RLS matrix allows (rls-matrix.json).
 *
 * HOSTILE_RUNS scales the number of payloads per (caller, target) pair; the default (12) sends
 * over 5,000 requests per engine, over 10,000 in all.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../local/server';
import { ENGINES, openTestDb, type TTestDb } from '../../../tests/tools/test-db';
import { MATRIX_FILE } from './rls-matrix';
import type { TRlsMatrix, TRlsRole } from './rls-spec';

const matrix = JSON.parse(readFileSync(MATRIX_FILE, 'utf8')) as TRlsMatrix;
const RUNS = Number(process.env.HOSTILE_RUNS ?? 12);

type TCaller = 'anon' | 'resident' | 'moderator' | 'analyst' | 'admin';
const CALLERS: TCaller[] = ['anon', 'resident', 'moderator', 'analyst', 'admin'];

interface TFn {
	name: string;
	args: { name: string; type: string }[];
}
interface TTable {
	name: string;
	columns: { name: string; type: string }[];
}

/** Seed ids the generators aim at: real rows are where rules matter. */
interface TKnown {
	waves: { open: string; closed: string; future: string };
	uuids: string[];
	slugs: string[];
	codes: string[];
	questionKeys: string[];
	meetingOpen: string;
}

const NASTY = [
	'\u0000',
	'a\u0000b',
	'\u202e‮evil.exe\u202c',
	'שלום עולם',
	'مرحبا',
	'<img src=x onerror=alert(1)>',
	'<script>alert(1)</script>',
	"'; drop table public.responses; --",
	'\\',
	'"',
	'%00',
	'\ud800',
	'🏳️‍🌈👨‍👩‍👧',
	'\u200b',
	' ',
	'',
	'null',
	'NaN',
	'-1',
	'1e309',
	'9'.repeat(400)
];

/** Deeply nested JSON, kept as text: JSON.stringify of a real 5,000-level value overflows V8's stack. */
class Deep {
	constructor(readonly depth: number) {}
	text(): string {
		const open: string[] = [];
		const close: string[] = [];
		for (let i = 0; i < this.depth; i++) {
			open.push(i % 2 ? '{"a":' : '[');
			close.push(i % 2 ? '}' : ']');
		}
		return open.join('') + '1' + close.reverse().join('');
	}
}
const deep = (depth: number) => new Deep(depth);

/** JSON.stringify that writes Deep values as their nested text. */
function toJson(v: unknown): string {
	const deeps: Deep[] = [];
	const s = JSON.stringify(v, (_k, x: unknown) => {
		if (x instanceof Deep) {
			deeps.push(x);
			return `\u0001deep${deeps.length - 1}\u0001`;
		}
		return x;
	});
	return s.replace(/"\\u0001deep(\d+)\\u0001"/g, (_m, i: string) => deeps[Number(i)].text());
}

const nastyText = fc.oneof(
	fc.constantFrom(...NASTY),
	fc.string({ unit: 'binary', maxLength: 60 }),
	fc.string({ maxLength: 30 }).map((s) => s + '\u0000' + s),
	fc.integer({ min: 5_000, max: 300_000 }).map((n) => 'x'.repeat(n))
);

function valueArb(type: string, known: TKnown): fc.Arbitrary<unknown> {
	const wrong = fc.oneof(
		nastyText,
		fc.integer(),
		fc.double(),
		fc.boolean(),
		fc.constant(null),
		fc.jsonValue({ maxDepth: 3 }),
		fc.integer({ min: 100, max: 3000 }).map((d) => deep(d))
	);
	const base: Record<string, fc.Arbitrary<unknown>> = {
		uuid: fc.oneof(
			fc.constantFrom(...known.uuids),
			fc.uuid(),
			fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '')
		),
		text: fc.oneof(fc.constantFrom(...known.slugs, ...known.codes), nastyText),
		integer: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, 1e12, 1000000, 1.5)),
		boolean: fc.boolean(),
		jsonb: fc.oneof(
			fc.jsonValue({ maxDepth: 4 }),
			fc.integer({ min: 100, max: 5000 }).map((d) => deep(d))
		)
	};
	return fc.oneof(
		{ weight: 4, arbitrary: base[type] ?? nastyText },
		{ weight: 1, arbitrary: wrong }
	);
}

/** Items shaped like the client's submissions, with every field possibly wrong. */
function responseItemArb(known: TKnown): fc.Arbitrary<unknown> {
	return fc.record(
		{
			id: fc.oneof(fc.uuid(), fc.constantFrom(...known.uuids), nastyText),
			wave_id: fc.oneof(
				fc.constantFrom(known.waves.open, known.waves.closed, known.waves.future),
				fc.uuid(),
				nastyText
			),
			language: fc.oneof(fc.constantFrom('en', 'es', 'fr', 'EN', ''), nastyText),
			submitted_at: fc.oneof(
				fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
				fc.constantFrom('infinity', '-infinity', '2026-13-45', 'yesterday', '0001-01-01 BC'),
				nastyText
			),
			invitation_code: fc.oneof(fc.constantFrom(...known.codes), fc.constant(null), nastyText),
			answers: fc.oneof(
				fc.dictionary(
					fc.oneof(fc.constantFrom(...known.questionKeys), fc.string({ maxLength: 8 })),
					fc.oneof(
						fc.integer({ min: -2, max: 12 }),
						nastyText,
						fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 }),
						fc.jsonValue({ maxDepth: 2 })
					),
					{ maxKeys: 8 }
				),
				fc.jsonValue({ maxDepth: 2 })
			)
		},
		{ requiredKeys: [] }
	);
}

function commentItemArb(known: TKnown): fc.Arbitrary<unknown> {
	return fc.record(
		{
			id: fc.oneof(fc.uuid(), fc.constantFrom(...known.uuids), nastyText),
			meeting_id: fc.oneof(
				fc.constantFrom(known.meetingOpen, ...known.uuids),
				fc.uuid(),
				nastyText
			),
			agenda_item_id: fc.oneof(fc.constant(null), fc.uuid(), fc.constantFrom(...known.uuids)),
			kind: fc.oneof(fc.constantFrom('comment', 'question', 'answer'), nastyText),
			body: nastyText,
			display_name: fc.oneof(fc.constant(null), nastyText)
		},
		{ requiredKeys: [] }
	);
}

/** A raw request body: usually JSON of the arguments, sometimes not JSON at all. */
function bodyArb(args: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
	return fc.oneof(
		{ weight: 8, arbitrary: args.map((a) => toJson(a)) },
		{
			weight: 1,
			arbitrary: args.map((a) => {
				const s = toJson(a);
				return s.slice(0, Math.max(1, s.length >> 1));
			})
		},
		{
			weight: 1,
			arbitrary: fc.constantFrom('', 'null', '[]', '{', '{"a":}', '\u0000', 'x'.repeat(70_000))
		},
		{
			weight: 1,
			arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((d) => '['.repeat(d) + ']'.repeat(d))
		}
	);
}

describe.each(ENGINES)('hostile input over HTTP on %s', (engine) => {
	let db: TTestDb;
	let b: LocalBackend;
	const tokens = {} as Record<TCaller, string | null>;
	let fns: TFn[] = [];
	let tables: TTable[] = [];
	let known: TKnown;
	let sent = 0;

	beforeAll(async () => {
		db = await openTestDb(engine, { seed: true });
		b = await startLocalBackend({ db, port: 0, skipPrepare: true, quiet: true });
		const auth = async (path: string, body: unknown) => {
			const res = await fetch(`${b.url}/auth/v1${path}`, {
				method: 'POST',
				headers: { apikey: b.anonKey, 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
			const j = (await res.json()) as { access_token?: string };
			if (!j.access_token) throw new Error(`sign-in failed: ${JSON.stringify(j)}`);
			return j.access_token;
		};
		tokens.anon = null;
		tokens.resident = await auth('/signup', {});
		for (const role of ['moderator', 'analyst', 'admin'] as const) {
			tokens[role] = await auth('/token?grant_type=password', {
				email: `${role}@civicpulse.local`,
				password: 'civicpulse-demo'
			});
		}
		const { rows: f } = await db.query<{ name: string; args: TFn['args'] }>(
			`select p.proname as name,
			        coalesce((select jsonb_agg(jsonb_build_object('name', a.n, 'type', format_type(a.t, null)) order by a.o)
			          from unnest(p.proargnames[1:p.pronargs], p.proargtypes::oid[]) with ordinality a(n, t, o)), '[]') as args
			 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			 where n.nspname = 'public' and p.prokind = 'f'
			   and (has_function_privilege('anon', p.oid, 'execute') or has_function_privilege('authenticated', p.oid, 'execute'))
			 order by 1`
		);
		fns = f;
		const { rows: t } = await db.query<{ name: string; columns: TTable['columns'] }>(
			`select c.relname as name,
			        (select jsonb_agg(jsonb_build_object('name', a.attname, 'type', format_type(a.atttypid, null)) order by a.attnum)
			         from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
			 from pg_class c join pg_namespace n on n.oid = c.relnamespace
			 where n.nspname = 'public' and c.relkind in ('r', 'v') order by 1`
		);
		tables = t;
		const one = async (sql: string) => (await db.query<{ v: string }>(sql)).rows.map((r) => r.v);
		const [open] = await one(
			`select id::text as v from public.survey_waves where opens_at <= now() and (closes_at is null or closes_at > now()) order by opens_at desc limit 1`
		);
		const [closed] = await one(
			`select id::text as v from public.survey_waves where closes_at < now() - interval '30 days' limit 1`
		);
		const [future] = await one(
			`insert into public.survey_waves (survey_id, label, period, mode, opens_at)
			 select survey_id, 'Next year', '2027-Q4', 'open', now() + interval '300 days'
			 from public.survey_waves where id = '${open}' returning id::text as v`
		);
		const [meetingOpen] = await one(
			`update public.meetings set comments_open = true, status = 'live'
			 where id = (select id from public.meetings order by starts_at desc limit 1) returning id::text as v`
		);
		known = {
			waves: { open, closed, future },
			meetingOpen,
			uuids: [
				...(await one(`select id::text as v from public.meetings order by starts_at desc limit 3`)),
				...(await one(
					`select id::text as v from public.comments order by created_at desc limit 4`
				)),
				...(await one(`select id::text as v from public.responses limit 2`)),
				...(await one(`select id::text as v from public.goals limit 2`)),
				...(await one(`select id::text as v from public.surveys limit 2`)),
				...(await one(`select user_id::text as v from public.staff limit 2`)),
				open,
				closed,
				future
			],
			slugs: await one(`select slug as v from public.surveys`),
			codes: ['KC26-USED-0001', 'KC25-DEMO-0001', 'kc26 used 0001', 'KC99-NOPE-0000'],
			questionKeys: await one(`select distinct key as v from public.questions limit 40`)
		};
	});

	afterAll(async () => {
		await b?.stop();
		await db?.close();
		console.log(`[hostile input on ${engine}] ${sent} requests`);
	});

	/** Row count and newest row version of every exposed table: any write changes it. */
	async function snapshot(): Promise<Record<string, string>> {
		const out: Record<string, string> = {};
		for (const t of tables) {
			const { rows } = await db.query<{ v: string }>(
				`select count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text as v from public."${t.name}"`
			);
			out[t.name] = rows[0].v;
		}
		return out;
	}

	async function send(
		caller: TCaller,
		method: string,
		path: string,
		body: string | undefined,
		extra: Record<string, string> = {}
	): Promise<{ status: number; text: string }> {
		const headers: Record<string, string> = { apikey: b.anonKey, ...extra };
		if (tokens[caller]) headers.authorization = `Bearer ${tokens[caller]}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(b.url + path, { method, headers, body });
		sent++;
		return { status: res.status, text: await res.text() };
	}

	function expectClearRefusalOrSuccess(r: { status: number; text: string }, what: string) {
		expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 300)}`).toBeLessThan(500);
		if (r.status >= 400) {
			let message: unknown;
			try {
				message = (JSON.parse(r.text) as { message?: unknown }).message;
			} catch {
				message = undefined;
			}
			expect(
				typeof message === 'string' && message.trim().length > 0,
				`${what}: a message (${r.text.slice(0, 200)})`
			).toBe(true);
		}
	}

	/** Functions that only read; their tables must be untouched whatever the answer. */
	const READ_ONLY = new Set([
		'get_survey',
		'check_invitation',
		'meeting_feed',
		'meeting_comment_record',
		'meetings_ics',
		'public_scorecard',
		'staff_scorecard',
		'question_scores',
		'survey_editor',
		'import_check'
	]);

	it.each(CALLERS)(
		'every RPC answers 2xx or a clear 4xx to hostile arguments, as %s',
		{ timeout: 900_000 },
		async (caller) => {
			for (const fn of fns) {
				const special =
					fn.name === 'submit_responses'
						? fc.record({
								p_responses: fc.oneof(
									fc.array(responseItemArb(known), { maxLength: 4 }),
									valueArb('jsonb', known)
								)
							})
						: fn.name === 'submit_comments'
							? fc.record({
									p_comments: fc.oneof(
										fc.array(commentItemArb(known), { maxLength: 3 }),
										valueArb('jsonb', known)
									)
								})
							: null;
				const args =
					special ??
					fc.record(Object.fromEntries(fn.args.map((a) => [a.name, valueArb(a.type, known)])), {
						requiredKeys: []
					});
				const withExtra = fc
					.tuple(
						args as fc.Arbitrary<Record<string, unknown>>,
						fc.option(
							fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), {
								maxKeys: 2
							}),
							{ freq: 5 }
						)
					)
					.map(([a, x]) => ({ ...(x ?? {}), ...a }));
				const before = await snapshot();
				let wrote = false;
				await fc.assert(
					fc.asyncProperty(bodyArb(withExtra), fc.boolean(), async (body, asGet) => {
						const r =
							asGet && READ_ONLY.has(fn.name)
								? await send(
										caller,
										'GET',
										`/rest/v1/rpc/${fn.name}?${new URLSearchParams(Object.entries(safeJson(body)).map(([k, v]) => [k, typeof v === 'string' ? v : safeStringify(v)])).toString()}`,
										undefined
									)
								: await send(caller, 'POST', `/rest/v1/rpc/${fn.name}`, body);
						expectClearRefusalOrSuccess(r, `${caller} rpc ${fn.name} ${body.slice(0, 120)}`);
						if (r.status < 300 && /"accepted"|"status":\s*"(published|pending)"/.test(r.text))
							wrote = true;
					}),
					{ numRuns: RUNS, seed: 20261206 }
				);
				if (READ_ONLY.has(fn.name) || !wrote) {
					expect(await snapshot(), `${caller} rpc ${fn.name} left every table as it was`).toEqual(
						before
					);
				}
			}
		}
	);

	it.each(CALLERS)(
		'every exposed table refuses what the RLS matrix denies, clearly, as %s',
		{ timeout: 900_000 },
		async (caller) => {
			const role: TRlsRole = caller;
			for (const t of tables) {
				const colArb = fc.oneof(
					fc.constantFrom(...t.columns.map((c) => c.name)),
					fc.string({ maxLength: 10 })
				);
				const record = fc.dictionary(
					colArb,
					fc.oneof(
						...t.columns.map((c) =>
							valueArb(
								c.type === 'uuid'
									? 'uuid'
									: c.type === 'jsonb' || c.type === 'localized_text'
										? 'jsonb'
										: 'text',
								known
							)
						)
					),
					{ maxKeys: 6 }
				);
				const filter = fc.oneof(
					fc.constantFrom(...known.uuids).map((id) => `id=eq.${id}`),
					fc
						.tuple(colArb, nastyText)
						.map(([c, v]) => `${encodeURIComponent(c)}=eq.${encodeURIComponent(v)}`),
					fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
					fc.constantFrom(
						'select=*,secret(*)',
						'order=nope.desc',
						'limit=-1',
						'or=(id.eq.1',
						'id=in.(1,2'
					)
				);
				for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as const) {
					const op = (
						{ GET: 'select', POST: 'insert', PATCH: 'update', DELETE: 'delete' } as const
					)[method];
					const before = await snapshot();
					let wrote = false;
					await fc.assert(
						fc.asyncProperty(
							bodyArb(fc.oneof(record, fc.array(record, { maxLength: 3 }) as fc.Arbitrary<never>)),
							filter,
							async (body, q) => {
								const r = await send(
									caller,
									method,
									`/rest/v1/${t.name}?${q}`,
									method === 'GET' || method === 'DELETE' ? undefined : body,
									{ prefer: 'return=minimal' }
								);
								expectClearRefusalOrSuccess(
									r,
									`${caller} ${method} ${t.name}?${q} ${body.slice(0, 100)}`
								);
								if (method !== 'GET' && r.status < 300) wrote = true;
							}
						),
						{ numRuns: RUNS, seed: 20261206 }
					);
					const after = await snapshot();
					if (!wrote || method === 'GET' || !matrix[t.name]?.[role]?.[op]) {
						// A 2xx PATCH/DELETE that matched no visible row is allowed; it must change nothing.
						expect(after, `${caller} ${method} ${t.name} changed nothing it may not`).toEqual(
							before
						);
					}
				}
			}
		}
	);

	it('answers an empty object posted to a table like PostgREST (defaults, then RLS), not 503', async () => {
		const r = await send('resident', 'POST', '/rest/v1/agenda_items', '{}');
		expect(r.status).toBe(403);
		expect((JSON.parse(r.text) as { message: string }).message).toMatch(
			/permission denied|row-level security/
		);
	});

	it('refuses NUL in a filter, a column name and a body with a 400 that says so', async () => {
		for (const [method, path, body] of [
			['GET', '/rest/v1/agenda_items?id=eq.%00', undefined],
			['GET', '/rest/v1/meetings?id=eq.a%00b', undefined],
			['GET', '/rest/v1/meetings?select=id%00', undefined],
			['POST', '/rest/v1/rpc/get_survey', JSON.stringify({ p_slug: 'resident\u0000survey' })]
		] as const) {
			const r = await send('resident', method, path, body);
			expect(r.status, `${method} ${path}`).toBe(400);
			// PostgreSQL's own words, as PostgREST passes them on: NUL in text (22021), or a \u0000
			// escape in JSON (22P05, "unsupported Unicode escape sequence" + details).
			const e = JSON.parse(r.text) as { message: string; details: string | null };
			expect(`${e.message} ${e.details}`).toMatch(/0x00|\\u0000/);
		}
	});

	it('answers a URL over the size limit with a JSON 431 and a message', async () => {
		const r = await send('anon', 'GET', `/rest/v1/meetings?id=eq.${'x'.repeat(40_000)}`, undefined);
		expect(r.status).toBe(431);
		expect((JSON.parse(r.text) as { message: string }).message).toMatch(/too long/);
	});

	it('refuses replays, closed waves and used invitation codes per item, storing nothing', async () => {
		const item = (extra: Record<string, unknown>) => ({
			id: crypto.randomUUID(),
			wave_id: known.waves.open,
			language: 'en',
			submitted_at: new Date().toISOString(),
			invitation_code: null,
			answers: {},
			...extra
		});
		const before = await snapshot();
		const r = await send(
			'resident',
			'POST',
			'/rest/v1/rpc/submit_responses',
			JSON.stringify({
				p_responses: [
					item({ wave_id: known.waves.closed }),
					item({ invitation_code: 'KC26-USED-0001' }),
					item({ invitation_code: 'KC25-DEMO-0001' }),
					item({ wave_id: known.waves.future })
				]
			})
		);
		expect(r.status).toBe(200);
		const results = JSON.parse(r.text) as { status: string; reason: string }[];
		expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
		expect(results[0].reason).toMatch(/closed/);
		expect(results[1].reason).toMatch(/already been used/);
		expect(results[2].reason).toMatch(/another survey wave|closed/);
		expect(results[3].reason).toMatch(/not open yet/);
		expect(await snapshot()).toEqual(before);
		// A replay of a stored response is a duplicate and changes nothing.
		const [stored] = (
			await db.query<{ id: string; wave_id: string }>(
				`select id::text, wave_id::text from public.responses limit 1`
			)
		).rows;
		const replay = await send(
			'resident',
			'POST',
			'/rest/v1/rpc/submit_responses',
			JSON.stringify({ p_responses: [item({ id: stored.id, wave_id: stored.wave_id })] })
		);
		expect((JSON.parse(replay.text) as { status: string }[])[0].status).toBe('duplicate');
		expect(await snapshot()).toEqual(before);
	});

	it('sent more than 5,000 generated requests (10,000 over the two engines)', () => {
		expect(sent).toBeGreaterThanOrEqual(RUNS >= 12 ? 5_000 : 0);
	});
});

function safeJson(body: string): Record<string, unknown> {
	try {
		const v = JSON.parse(body) as unknown;
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

function safeStringify(v: unknown): string {
	try {
		return JSON.stringify(v) ?? '';
	} catch {
		return '[[[[';
	}
}
