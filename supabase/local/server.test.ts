/**
 * Contract tests of the embedded local backend, driven through the real supabase-js client
 * (plus raw fetch where the wire format itself is the contract), on PGlite and on PostgreSQL 15. Each test names the hosted
 * Supabase behaviour the app relies on (contract §2–§4, checklist §7).
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES } from '../../tests/tools/test-db';
import { openDb, type Db } from './db';
import { isLoopbackHost, startLocalBackend } from './server';
import {
	STAFF_EMAIL,
	STAFF_ID,
	STAFF_PASSWORD,
	startTestBackend,
	type TestBackend
} from './test-fixture';

describe.each(ENGINES)('local backend on %s', (engine) => {
	let db: Db;
	let b: TestBackend;
	let dropDatabase: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		if (engine === 'pglite') {
			db = await openDb({});
		} else {
			// A fresh database on the run's PostgreSQL 15 cluster, as the non-superuser `postgres`.
			const t = await createTestDatabase();
			dropDatabase = t.drop;
			db = await openDb({ databaseUrl: t.url });
		}
		b = await startTestBackend(db);
	});

	afterAll(async () => {
		await b?.stop();
		await db?.close();
		await dropDatabase?.();
	});

	function raw(path: string, init: RequestInit & { key?: string } = {}) {
		const headers = new Headers(init.headers);
		if (!headers.has('apikey')) headers.set('apikey', init.key ?? b.anonKey);
		return fetch(b.url + path, { ...init, headers });
	}

	async function serviceCount(table: string, where = 'true'): Promise<number> {
		const { rows } = await db.query<{ n: string }>(
			`select count(*)::text as n from public.${table} where ${where}`
		);
		return Number(rows[0].n);
	}

	describe('REST reads', () => {
		beforeAll(async () => {
			await db.exec(`insert into public.items (id, title, price, tags, meta) values
				(1, 'alpha', 1.50, '{red,blue}', '{"a":{"b":"deep"}}'),
				(2, 'two words', 2.00, '{blue}', null),
				(3, 'a,b', null, '{}', '{"a":1}'),
				(4, 'Gamma', 10.25, '{green}', null)`);
		});

		it('returns Postgres JSON formats: bigint precision, numeric scale, timestamptz, bytea', async () => {
			const res = await raw('/rest/v1/numbers?select=*');
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
			const text = await res.text();
			expect(text).toContain('"big":9007199254740993');
			expect(text).toContain('"amount":1.500');
			expect(text).toContain('"at":"2026-01-02T03:04:05.123456+00:00"');
			expect(text).toContain('"raw":"\\\\x0102"');
			expect(text).toContain('"d":"2026-03-04"');
		});

		it('supports select lists with aliases, casts and JSON paths', async () => {
			const { data, error } = await b
				.client()
				.from('items')
				.select('id, label:title, price::text, deep:meta->a->>b')
				.eq('id', 1);
			expect(error).toBeNull();
			expect(data).toEqual([{ id: 1, label: 'alpha', price: '1.50', deep: 'deep' }]);
		});

		it('applies horizontal filters like PostgREST', async () => {
			const sb = b.client();
			const ids = async (q: PromiseLike<{ data: { id: number }[] | null; error: unknown }>) => {
				const r = await q;
				expect(r.error).toBeNull();
				return (r.data ?? []).map((x) => x.id).sort();
			};
			const t = () => sb.from('items').select('id').lte('id', 4);
			expect(await ids(t().eq('title', 'alpha'))).toEqual([1]);
			expect(await ids(t().neq('id', 1))).toEqual([2, 3, 4]);
			expect(await ids(t().gt('price', 1.5))).toEqual([2, 4]);
			expect(await ids(t().gte('price', 2))).toEqual([2, 4]);
			expect(await ids(t().lt('price', 2))).toEqual([1]);
			expect(await ids(t().like('title', '*a*'))).toEqual([1, 3, 4]);
			expect(await ids(t().ilike('title', 'g%'))).toEqual([4]);
			// supabase-js sends the space as `+`, which must decode to a space.
			expect(await ids(t().ilike('title', '%two words%'))).toEqual([2]);
			// Quoted in-list values may contain commas.
			expect(await ids(t().in('title', ['a,b', 'Gamma']))).toEqual([3, 4]);
			expect(await ids(t().is('price', null))).toEqual([3]);
			expect(await ids(t().not('price', 'is', null))).toEqual([1, 2, 4]);
			expect(await ids(t().contains('tags', ['blue']))).toEqual([1, 2]);
			expect(await ids(t().containedBy('tags', ['blue', 'green']))).toEqual([2, 3, 4]);
			expect(await ids(t().overlaps('tags', ['red', 'green']))).toEqual([1, 4]);
			expect(await ids(t().or('id.eq.1,and(price.gt.5,title.eq.Gamma)'))).toEqual([1, 4]);
			expect(await ids(t().not('id', 'in', '(1,2)'))).toEqual([3, 4]);
			expect(await ids(t().match({ title: 'alpha', id: 1 }))).toEqual([1]);
			expect(await ids(t().contains('meta', { a: 1 }))).toEqual([3]);
		});

		it('orders, pages with limit/offset and the Range header, and counts', async () => {
			const sb = b.client();
			const page = await sb
				.from('items')
				.select('id', { count: 'exact' })
				.lte('id', 4)
				.order('price', { ascending: false, nullsFirst: true })
				.range(1, 2);
			expect(page.error).toBeNull();
			expect(page.status).toBe(206);
			expect(page.count).toBe(4);
			expect(page.data).toEqual([{ id: 4 }, { id: 2 }]);

			const res = await raw('/rest/v1/items?select=id&id=lte.4&order=id', {
				headers: { Range: '0-1', Prefer: 'count=exact' }
			});
			expect(res.status).toBe(206);
			expect(res.headers.get('content-range')).toBe('0-1/4');
			expect(await res.json()).toEqual([{ id: 1 }, { id: 2 }]);

			const all = await raw('/rest/v1/items?select=id&id=lte.4');
			expect(all.headers.get('content-range')).toBe('0-3/*');

			const none = await raw('/rest/v1/items?select=id&id=eq.999');
			expect(none.headers.get('content-range')).toBe('*/*');
		});

		it('answers HEAD with headers and count but no body', async () => {
			const { data, count, error, status } = await b
				.client()
				.from('items')
				.select('*', { count: 'exact', head: true })
				.lte('id', 4);
			expect(error).toBeNull();
			expect(status).toBe(200);
			expect(count).toBe(4);
			expect(data).toBeNull();
		});

		it('rejects an offset beyond the total with 416 PGRST103', async () => {
			const res = await raw('/rest/v1/items?select=id&id=lte.4&offset=10', {
				headers: { Prefer: 'count=exact' }
			});
			expect(res.status).toBe(416);
			expect(await res.json()).toEqual({
				code: 'PGRST103',
				details: 'An offset of 10 was requested, but there are only 4 rows.',
				hint: null,
				message: 'Requested range not satisfiable'
			});
		});

		it('single() returns an object, or 406 PGRST116 with the exact details text', async () => {
			const sb = b.client();
			const one = await sb.from('items').select('id, title').eq('id', 1).single();
			expect(one.data).toEqual({ id: 1, title: 'alpha' });
			const zero = await sb.from('items').select('id').eq('id', 999).single();
			expect(zero.status).toBe(406);
			expect(zero.error).toMatchObject({
				code: 'PGRST116',
				details: 'The result contains 0 rows',
				hint: null,
				message: 'Cannot coerce the result to a single JSON object'
			});
			const many = await sb.from('items').select('id').lte('id', 2).single();
			expect(many.error?.details).toBe('The result contains 2 rows');
			const maybe = await sb.from('items').select('id').eq('id', 999).maybeSingle();
			expect(maybe.error).toBeNull();
			expect(maybe.data).toBeNull();
		});

		it('caps reads at max_rows = 1000 while counting all rows', async () => {
			const { data, count, error } = await b.client().from('many').select('id', { count: 'exact' });
			expect(error).toBeNull();
			expect(data).toHaveLength(1000);
			expect(count).toBe(1005);
		});

		it('answers embedding without a relationship with 400 PGRST200 instead of ignoring it', async () => {
			const { error, status } = await b.client().from('items').select('id, notes(body)');
			expect(status).toBe(400);
			expect(error).toMatchObject({
				code: 'PGRST200',
				message: "Could not find a relationship between 'items' and 'notes' in the schema cache",
				details:
					"Searched for a foreign key relationship between 'items' and 'notes' in the schema 'public', but no matches were found."
			});
		});

		it('answers unsupported media types, methods and schemas with clear 4xx errors', async () => {
			const csv = await b.client().from('items').select('id').csv();
			expect(csv.status).toBe(406);
			expect(csv.error?.code).toBe('PGRST107');
			const put = await raw('/rest/v1/items?id=eq.1', {
				method: 'PUT',
				headers: { 'content-type': 'application/json' },
				body: '{"id":1}'
			});
			expect(put.status).toBe(405);
			expect((await put.json()).code).toBe('PGRST117');
			const schema = await b.client().schema('private').from('items').select('id');
			expect(schema.status).toBe(406);
			expect(schema.error).toMatchObject({
				code: 'PGRST106',
				message: 'Invalid schema: private'
			});
			const missing = await b.client().from('itemz').select('id');
			expect(missing.status).toBe(404);
			expect(missing.error).toMatchObject({
				code: 'PGRST205',
				message: "Could not find the table 'public.itemz' in the schema cache",
				hint: "Perhaps you meant the table 'public.items'"
			});
		});

		it('maps 42501 to 401 for anon and 403 for signed-in users', async () => {
			const anon = await b.client().from('secrets').select('*');
			expect(anon.status).toBe(401);
			expect(anon.error?.code).toBe('42501');
			expect(anon.error?.details).toBeNull();
			const user = b.client();
			await user.auth.signInWithPassword({ email: STAFF_EMAIL, password: STAFF_PASSWORD });
			const signedIn = await user.from('secrets').select('*');
			expect(signedIn.status).toBe(403);
			expect(signedIn.error?.code).toBe('42501');
			const service = await b.client(b.serviceRoleKey).from('secrets').select('v');
			expect(service.data).toEqual([{ v: 'classified' }]);
		});

		it('runs each request with the PostgREST preamble in a read-only transaction for GET', async () => {
			const res = await raw('/rest/v1/rpc/whoami', { headers: { 'X-Test-Header': 'hello' } });
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({
				user: 'anon',
				sub: null,
				claims_role: 'anon',
				method: 'GET',
				path: '/rpc/whoami',
				x_test: 'hello',
				timeout: '3s',
				read_only: 'on',
				search_path: '"public", "extensions"'
			});
			const post = await b.client().rpc('whoami');
			expect(post.data).toMatchObject({ method: 'POST', read_only: 'on' });
		});

		it('passes quotes, backslashes and SQL-looking text in headers and cookies through as data', async () => {
			// The per-request settings are sent as SQL literals with BEGIN (one round trip): any
			// text must arrive exactly as sent, and never run.
			const tricky = `it's a \\ back'slash'); drop table public.items; --`;
			const res = await raw('/rest/v1/rpc/whoami', {
				headers: { 'X-Test-Header': tricky, cookie: `name=o'brien; note=a\\b` }
			});
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({
				x_test: tricky,
				cookies: { name: "o'brien", note: 'a\\b' }
			});
			expect(await serviceCount('items')).toBeGreaterThan(0);
		});
	});

	describe('REST writes', () => {
		it('inserts with 201 and an empty body by default (return=minimal)', async () => {
			const res = await raw('/rest/v1/items', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ id: 100, title: 'minimal' })
			});
			expect(res.status).toBe(201);
			expect(await res.text()).toBe('');
			expect(res.headers.get('content-range')).toBe('*/*');
			expect(await serviceCount('items', 'id = 100')).toBe(1);
		});

		it('insert().select().single() returns the stored row', async () => {
			const { data, status, error } = await b
				.client()
				.from('items')
				.insert({ id: 101, title: 'repr', price: 3 })
				.select('id, title, price')
				.single();
			expect(error).toBeNull();
			expect(status).toBe(201);
			expect(data).toEqual({ id: 101, title: 'repr', price: 3 });
		});

		it('bulk insert: missing keys become NULL unless defaultToNull is false', async () => {
			const sb = b.client();
			const nul = await sb.from('items').insert([{ id: 102, title: 'x' }, { id: 103 }]);
			expect(nul.status).toBe(400);
			expect(nul.error?.code).toBe('23502');
			expect(await serviceCount('items', 'id in (102, 103)')).toBe(0);
			const def = await sb
				.from('items')
				.insert([{ id: 102, title: 'x' }, { id: 103 }], { defaultToNull: false })
				.select('id, title, tags');
			expect(def.error).toBeNull();
			expect(def.data).toEqual([
				{ id: 102, title: 'x', tags: [] },
				{ id: 103, title: 'untitled', tags: [] }
			]);
		});

		it('rejects unknown columns with PGRST204 and mismatched keys with PGRST102', async () => {
			const res = await raw('/rest/v1/items', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ id: 104, nope: 1 })
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toEqual({
				code: 'PGRST204',
				details: null,
				hint: null,
				message: "Could not find the 'nope' column of 'items' in the schema cache"
			});
			const mismatch = await raw('/rest/v1/items', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify([{ id: 105 }, { id: 106, title: 't' }])
			});
			expect(mismatch.status).toBe(400);
			expect((await mismatch.json()).message).toBe('All object keys must match');
			const bad = await raw('/rest/v1/items', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{oops'
			});
			expect((await bad.json()).code).toBe('PGRST102');
		});

		it('maps a unique violation to 409 23505', async () => {
			const { error, status } = await b.client().from('items').insert({ id: 100, title: 'dup' });
			expect(status).toBe(409);
			expect(error?.code).toBe('23505');
		});

		it('RETURNING rows must pass the SELECT policy (42501, nothing stored)', async () => {
			const sb = b.client();
			const minimal = await sb.from('drop_box').insert({ body: 'hello' });
			expect(minimal.status).toBe(201);
			const before = await serviceCount('drop_box');
			const repr = await sb.from('drop_box').insert({ body: 'see me' }).select();
			expect(repr.status).toBe(401);
			expect(repr.error?.code).toBe('42501');
			expect(repr.error?.message).toMatch(/row-level security policy/);
			expect(await serviceCount('drop_box')).toBe(before);
		});

		it('upsert: merge-duplicates updates only sent columns (200 when all updated), ignore keeps rows', async () => {
			const sb = b.client();
			await db.exec(`insert into public.items (id, title, note) values (200, 'orig', 'kept')`);
			const merged = await sb
				.from('items')
				.upsert({ id: 200, title: 'merged' })
				.select('id, title, note');
			expect(merged.error).toBeNull();
			expect(merged.status).toBe(200);
			expect(merged.data).toEqual([{ id: 200, title: 'merged', note: 'kept' }]);

			const mixed = await sb
				.from('items')
				.upsert([
					{ id: 200, title: 'again' },
					{ id: 201, title: 'new' }
				])
				.select('id');
			expect(mixed.status).toBe(201);

			const ignored = await sb
				.from('items')
				.upsert({ id: 200, title: 'ignored' }, { onConflict: 'id', ignoreDuplicates: true });
			expect(ignored.status).toBe(201);
			const { rows } = await db.query<{ title: string }>(
				'select title from public.items where id = 200'
			);
			expect(rows[0].title).toBe('again');
		});

		it('PATCH and DELETE with filters; 204 by default, 200 with representation', async () => {
			const sb = b.client();
			await db.exec(`insert into public.items (id, title) values (300, 'p'), (301, 'q')`);
			const upd = await sb.from('items').update({ note: 'n1' }).eq('id', 300);
			expect(upd.status).toBe(204);
			const upd2 = await sb
				.from('items')
				.update({ note: 'n2' })
				.in('id', [300, 301])
				.select('id, note');
			expect(upd2.status).toBe(200);
			expect(upd2.data).toEqual([
				{ id: 300, note: 'n2' },
				{ id: 301, note: 'n2' }
			]);
			const none = await sb.from('items').update({ note: 'x' }).eq('id', 999);
			expect(none.status).toBe(204);
			expect(none.error).toBeNull();
			const del = await sb.from('items').delete({ count: 'exact' }).in('id', [300, 301]);
			expect(del.status).toBe(204);
			expect(del.count).toBe(2);
			expect(await serviceCount('items', 'id in (300, 301)')).toBe(0);
		});

		it('refuses unfiltered PATCH/DELETE with 400 21000 (safeupdate)', async () => {
			const sb = b.client(b.serviceRoleKey);
			const upd = await sb.from('items').update({ note: 'all' }).neq('id', -1).limit(0);
			expect(upd.status).toBe(400);
			const res = await raw('/rest/v1/items', {
				method: 'PATCH',
				headers: { 'content-type': 'application/json' },
				body: '{"note":"all"}'
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toEqual({
				code: '21000',
				details: null,
				hint: null,
				message: 'UPDATE requires a WHERE clause'
			});
			const del = await raw('/rest/v1/items', { method: 'DELETE', key: b.serviceRoleKey });
			expect(del.status).toBe(400);
			expect((await del.json()).message).toBe('DELETE requires a WHERE clause');
			expect(await serviceCount('items', "note = 'all'")).toBe(0);
		});

		it('a singular write that does not hit exactly one row is rolled back', async () => {
			await db.exec(`insert into public.items (id, title) values (400, 's'), (401, 's')`);
			const r = await b
				.client()
				.from('items')
				.update({ note: 'single' })
				.in('id', [400, 401])
				.select()
				.single();
			expect(r.status).toBe(406);
			expect(r.error?.code).toBe('PGRST116');
			expect(await serviceCount('items', "note = 'single'")).toBe(0);
		});
	});

	describe('RPC', () => {
		it('calls functions with named args, defaults, and GET for non-volatile ones', async () => {
			const sb = b.client();
			expect((await sb.rpc('add_numbers', { a: 1, b: 2 })).data).toBe(3);
			expect((await sb.rpc('add_numbers', { a: 1 })).data).toBe(11);
			const get = await sb.rpc('add_numbers', { a: 5, b: 5 }, { get: true });
			expect(get.data).toBe(10);
		});

		it('passes the whole body to a single unnamed jsonb parameter', async () => {
			const { data } = await b.client().rpc('echo_json', { any: ['thing', 1] });
			expect(data).toEqual({ any: ['thing', 1] });
		});

		it('shapes set results as arrays that accept select, filters, order and limit', async () => {
			await db.exec(
				`insert into public.items (id, title) values (500, 'rpc') on conflict do nothing`
			);
			const sb = b.client();
			const rows = await sb.rpc('touch_item', { p_id: 500 }).select('id, note');
			expect(rows.data).toEqual([{ id: 500, note: 'touched' }]);
			const titles = await sb.rpc('item_titles').limit(2);
			expect(Array.isArray(titles.data)).toBe(true);
			expect(titles.data).toHaveLength(2);
			expect(typeof (titles.data as unknown[])[0]).toBe('string'); // setof text: bare values
		});

		it('answers named output columns as objects, even a single one (like PostgREST 8.0.1+)', async () => {
			const sb = b.client();
			const codes = await sb.rpc('item_codes').limit(1);
			expect(codes.error).toBeNull();
			expect(codes.data).toEqual([{ code: expect.stringMatching(/^c-\d+$/) }]);
			const plus = await sb.rpc('plus_one', { num: 5 });
			expect(plus.data).toEqual({ num_plus_one: 6 });
		});

		it('answers void functions with 204 and no body', async () => {
			const { data, error, status } = await b.client().rpc('do_nothing');
			expect(error).toBeNull();
			expect(status).toBe(204);
			expect(data).toBeNull();
		});

		it('maps RAISE EXCEPTION (P0001) to 400 with message and hint', async () => {
			const { error, status } = await b.client().rpc('fail_plain');
			expect(status).toBe(400);
			expect(error).toMatchObject({
				code: 'P0001',
				message: 'Survey 7 is closed',
				hint: 'Pick another survey',
				details: null
			});
		});

		it('GET on a volatile function that writes fails with 405 (read-only transaction)', async () => {
			const r = await b.client().rpc('touch_item', { p_id: 500 }, { get: true });
			expect(r.status).toBe(405);
			expect(r.error?.code).toBe('25006');
		});

		it('answers an unknown function with 404 PGRST202 and PostgREST details', async () => {
			const r = await b.client().rpc('add_numbers', { x: 1 });
			expect(r.status).toBe(404);
			expect(r.error).toMatchObject({
				code: 'PGRST202',
				message: 'Could not find the function public.add_numbers(x) in the schema cache',
				details:
					'Searched for the function public.add_numbers with parameters x or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.'
			});
		});
	});

	describe('API keys and JWTs', () => {
		it('maps sb_publishable to anon and sb_secret to service_role', async () => {
			const pub = await b.client(b.publishableKey).rpc('whoami');
			expect(pub.data).toMatchObject({ user: 'anon', claims_role: 'anon' });
			const sec = await b.client(b.secretKey).rpc('whoami');
			expect(sec.data).toMatchObject({ user: 'service_role', claims_role: 'service_role' });
			const secrets = await b.client(b.secretKey).from('secrets').select('id');
			expect(secrets.data).toEqual([{ id: 1 }]);
		});

		it('a user access token wins over the service key', async () => {
			const sb = b.client(b.secretKey);
			const s = await sb.auth.signInWithPassword({ email: STAFF_EMAIL, password: STAFF_PASSWORD });
			expect(s.error).toBeNull();
			const me = await sb.rpc('whoami');
			expect(me.data).toMatchObject({ user: 'authenticated', sub: STAFF_ID, timeout: '8s' });
		});

		it('requires a known API key and a valid JWT', async () => {
			const none = await fetch(`${b.url}/rest/v1/items?select=id`);
			expect(none.status).toBe(401);
			expect((await none.json()).message).toBe('No API key found in request');
			const wrong = await raw('/rest/v1/items?select=id', { key: 'nope' });
			expect(wrong.status).toBe(401);
			expect((await wrong.json()).message).toBe('Invalid API key');
			const badJwt = await raw('/rest/v1/items?select=id', {
				headers: { authorization: 'Bearer a.b.c' }
			});
			expect(badJwt.status).toBe(401);
			expect((await badJwt.json()).code).toBe('PGRST301');
			expect(badJwt.headers.get('www-authenticate')).toMatch(/invalid_token/);
		});
	});

	describe('Auth', () => {
		it('password sign-in returns a session with GoTrue access-token claims', async () => {
			const sb = b.client();
			const { data, error } = await sb.auth.signInWithPassword({
				email: STAFF_EMAIL,
				password: STAFF_PASSWORD
			});
			expect(error).toBeNull();
			const s = data.session!;
			expect(s.token_type).toBe('bearer');
			expect(s.expires_in).toBe(3600);
			expect(data.user).toMatchObject({
				id: STAFF_ID,
				aud: 'authenticated',
				role: 'authenticated',
				email: STAFF_EMAIL,
				phone: '',
				is_anonymous: false,
				user_metadata: { name: 'Sam Staff' }
			});
			expect(data.user!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
			const claims = decodeJwt(s.access_token);
			expect(claims).toMatchObject({
				aud: 'authenticated',
				sub: STAFF_ID,
				email: STAFF_EMAIL,
				phone: '',
				role: 'authenticated',
				aal: 'aal1',
				is_anonymous: false,
				app_metadata: { staff_role: 'analyst' }
			});
			expect(typeof claims.session_id).toBe('string');
			expect(claims.exp! - claims.iat!).toBe(3600);
			expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
			expect(s.expires_at).toBe(claims.exp);
		});

		it('rejects a wrong password with 400 invalid_credentials surfaced as error.code', async () => {
			const { error } = await b
				.client()
				.auth.signInWithPassword({ email: STAFF_EMAIL, password: 'wrong' });
			expect(error?.status).toBe(400);
			expect(error?.code).toBe('invalid_credentials');
			expect(error?.message).toBe('Invalid login credentials');
			const unknown = await b
				.client()
				.auth.signInWithPassword({ email: 'nobody@example.org', password: 'wrong' });
			expect(unknown.error?.code).toBe('invalid_credentials');
		});

		it('sends versioned error bodies with X-Supabase-Api-Version and x-sb-error-code', async () => {
			const body = JSON.stringify({ email: STAFF_EMAIL, password: 'wrong' });
			const v = await raw('/auth/v1/token?grant_type=password', {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
				body
			});
			expect(v.headers.get('x-supabase-api-version')).toBe('2024-01-01');
			expect(v.headers.get('x-sb-error-code')).toBe('invalid_credentials');
			expect(await v.json()).toEqual({
				code: 'invalid_credentials',
				message: 'Invalid login credentials'
			});
			const legacy = await raw('/auth/v1/token?grant_type=password', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body
			});
			expect(await legacy.json()).toEqual({
				code: 400,
				error_code: 'invalid_credentials',
				msg: 'Invalid login credentials'
			});
		});

		it('anonymous sign-in gives an authenticated user with is_anonymous', async () => {
			const sb = b.client();
			const { data, error } = await sb.auth.signInAnonymously({
				options: { data: { lang: 'es' } }
			});
			expect(error).toBeNull();
			expect(data.user).toMatchObject({
				is_anonymous: true,
				email: '',
				app_metadata: {},
				identities: [],
				user_metadata: { lang: 'es' }
			});
			const claims = decodeJwt(data.session!.access_token);
			expect(claims).toMatchObject({ is_anonymous: true, role: 'authenticated' });
			expect(claims.amr).toEqual([{ method: 'anonymous', timestamp: expect.any(Number) }]);
			const note = await sb.from('notes').insert({ body: 'mine' }).select('user_id, body').single();
			expect(note.error).toBeNull();
			expect(note.data).toEqual({ user_id: data.user!.id, body: 'mine' });
			// Another user's RLS hides it.
			const other = b.client();
			await other.auth.signInAnonymously();
			expect((await other.from('notes').select('id')).data).toEqual([]);
		});

		it('rotates refresh tokens, tolerates reuse for 10 s, then revokes the family', async () => {
			const sb = b.client();
			const first = (await sb.auth.signInAnonymously()).data.session!;
			const second = await sb.auth.refreshSession({ refresh_token: first.refresh_token });
			expect(second.error).toBeNull();
			const r2 = second.data.session!.refresh_token;
			expect(r2).not.toBe(first.refresh_token);
			expect(decodeJwt(second.data.session!.access_token).session_id).toBe(
				decodeJwt(first.access_token).session_id
			);
			// A second tab refreshing with the same old token inside the window gets the current token.
			const concurrent = await b
				.client()
				.auth.refreshSession({ refresh_token: first.refresh_token });
			expect(concurrent.error).toBeNull();
			expect(concurrent.data.session!.refresh_token).toBe(r2);
			// Outside the window: treated as token theft.
			await db.query(
				`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`,
				[first.refresh_token]
			);
			const reused = await b.client().auth.refreshSession({ refresh_token: first.refresh_token });
			expect(reused.error?.code).toBe('refresh_token_already_used');
			const after = await b.client().auth.refreshSession({ refresh_token: r2 });
			expect(after.error).not.toBeNull();
			const unknown = await b.client().auth.refreshSession({ refresh_token: 'nonexistent1' });
			expect(unknown.error?.code).toBe('refresh_token_not_found');
		});

		it('getUser, updateUser metadata, and signOut ends the session', async () => {
			const sb = b.client();
			const { data } = await sb.auth.signInWithPassword({
				email: STAFF_EMAIL,
				password: STAFF_PASSWORD
			});
			const session = data.session!;
			const me = await sb.auth.getUser();
			expect(me.data.user?.id).toBe(STAFF_ID);
			const upd = await sb.auth.updateUser({ data: { theme: 'dark' } });
			expect(upd.error).toBeNull();
			expect(upd.data.user?.user_metadata).toEqual({ name: 'Sam Staff', theme: 'dark' });
			await db.exec(
				`update auth.users set raw_user_meta_data = '{"name":"Sam Staff"}' where id = '${STAFF_ID}'`
			);

			expect((await sb.auth.signOut({ scope: 'local' })).error).toBeNull();
			const refresh = await b
				.client()
				.auth.refreshSession({ refresh_token: session.refresh_token });
			expect(refresh.error?.code).toBe('refresh_token_not_found');
			const res = await raw('/auth/v1/user', {
				headers: {
					authorization: `Bearer ${session.access_token}`,
					'X-Supabase-Api-Version': '2024-01-01'
				}
			});
			expect(res.status).toBe(403);
			expect((await res.json()).code).toBe('session_not_found');
			// PostgREST does not check sessions: the token stays valid for data until it expires.
			const rest = await raw('/rest/v1/rpc/whoami', {
				headers: { authorization: `Bearer ${session.access_token}` }
			});
			expect((await rest.json()).sub).toBe(STAFF_ID);
		});

		it('requires a bearer user token on /user', async () => {
			const none = await fetch(`${b.url}/auth/v1/user`, {
				headers: { apikey: b.anonKey, 'X-Supabase-Api-Version': '2024-01-01' }
			});
			// The gateway puts the anon key in Authorization: a token without `sub`.
			expect(none.status).toBe(403);
			expect((await none.json()).code).toBe('bad_jwt');
		});

		it('serves health and settings', async () => {
			expect((await raw('/auth/v1/health')).status).toBe(200);
			const settings = await (await raw('/auth/v1/settings')).json();
			expect(settings.external.anonymous_users).toBe(true);
		});

		it('email sign-up creates a confirmed user and rejects duplicates', async () => {
			const sb = b.client();
			const r = await sb.auth.signUp({ email: 'New.Resident@example.org', password: 'secret123' });
			expect(r.error).toBeNull();
			expect(r.data.user?.email).toBe('new.resident@example.org');
			expect(r.data.session).not.toBeNull();
			const dup = await b
				.client()
				.auth.signUp({ email: 'new.resident@example.org', password: 'x123456' });
			expect(dup.error?.code).toBe('user_already_exists');
			const login = await b
				.client()
				.auth.signInWithPassword({ email: 'new.resident@example.org', password: 'secret123' });
			expect(login.error).toBeNull();
		});
	});

	describe('Gateway', () => {
		it('answers CORS preflights and exposes Content-Range and X-Supabase-Api-Version', async () => {
			const pre = await fetch(`${b.url}/rest/v1/items`, {
				method: 'OPTIONS',
				headers: {
					Origin: 'http://127.0.0.1:5173',
					'Access-Control-Request-Method': 'PATCH',
					'Access-Control-Request-Headers': 'apikey, authorization, prefer'
				}
			});
			expect(pre.status).toBe(204);
			expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
			expect(pre.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
			expect(pre.headers.get('access-control-allow-headers')).toMatch(/prefer/);
			const get = await raw('/rest/v1/items?select=id&limit=1', {
				headers: { Origin: 'http://127.0.0.1:4173' }
			});
			const exposed = get.headers.get('access-control-expose-headers') ?? '';
			expect(exposed).toMatch(/Content-Range/);
			expect(exposed).toMatch(/X-Supabase-Api-Version/);
		});

		it('answers Realtime with a clear 501', async () => {
			const res = await raw('/realtime/v1/api/broadcast', { method: 'POST' });
			expect(res.status).toBe(501);
			expect((await res.json()).message).toMatch(/poll/);
		});

		it('refuses to listen on a non-loopback host unless allowed', async () => {
			expect(isLoopbackHost('127.0.0.1')).toBe(true);
			expect(isLoopbackHost('::1')).toBe(true);
			expect(isLoopbackHost('0.0.0.0')).toBe(false);
			await expect(startLocalBackend({ db, host: '0.0.0.0', port: 0 })).rejects.toThrow(
				/non-loopback/
			);
		});
	});

	describe('More PostgREST details', () => {
		it('accepts the API key as ?apikey= and does not treat it as a filter', async () => {
			const res = await fetch(`${b.url}/rest/v1/numbers?select=id&apikey=${b.anonKey}`);
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual([{ id: 1 }]);
		});

		it('parses logic trees with quoted values, not.and and JSON-path filters', async () => {
			await db.exec(
				`insert into public.items (id, title, meta) values (600, 'x, (y)', '{"ok":true}'), (601, 'z', null)`
			);
			const q = (qs: string) => raw(`/rest/v1/items?select=id&id=gte.600&id=lte.601&${qs}`);
			expect(await (await q('or=(title.eq."x, (y)",id.eq.999)')).json()).toEqual([{ id: 600 }]);
			expect(await (await q('not.and=(id.eq.600,title.like.x*)')).json()).toEqual([{ id: 601 }]);
			expect(await (await q('meta->>ok=eq.true')).json()).toEqual([{ id: 600 }]);
			const bad = await q('id=wat.1');
			expect(bad.status).toBe(400);
			expect((await bad.json()).code).toBe('PGRST100');
		});

		it('echoes count=planned in Preference-Applied with a planner estimate (fidelity.test.ts)', async () => {
			const res = await raw('/rest/v1/many?select=id&limit=1', {
				headers: { Prefer: 'count=planned' }
			});
			expect(res.status).toBe(206);
			expect(res.headers.get('content-range')).toMatch(/^0-0\/\d+$/);
			expect(res.headers.get('preference-applied')).toBe('count=planned');
		});

		it('return=headers-only sets Location for a single-row insert', async () => {
			const res = await raw('/rest/v1/items', {
				method: 'POST',
				headers: { 'content-type': 'application/json', Prefer: 'return=headers-only' },
				body: JSON.stringify({ id: 700, title: 'located' })
			});
			expect(res.status).toBe(201);
			expect(res.headers.get('location')).toBe('/items?id=eq.700');
		});

		it('honours Prefer: timezone for timestamptz output', async () => {
			const res = await raw('/rest/v1/numbers?select=at', {
				headers: { Prefer: 'timezone=America/New_York' }
			});
			expect(await res.json()).toEqual([{ at: '2026-01-01T22:04:05.123456-05:00' }]);
			expect(res.headers.get('preference-applied')).toBe('timezone=America/New_York');
			// An unknown zone is not applied (and not echoed).
			const unknown = await raw('/rest/v1/numbers?select=at', {
				headers: { Prefer: 'timezone=Mars/Olympus' }
			});
			expect(unknown.status).toBe(200);
			expect(unknown.headers.get('preference-applied')).toBeNull();
		});

		it('maps a foreign-key violation to 409 23503', async () => {
			const { error, status } = await b
				.client(b.serviceRoleKey)
				.from('notes')
				.insert({ user_id: '22222222-2222-4222-8222-222222222222', body: 'orphan' });
			expect(status).toBe(409);
			expect(error?.code).toBe('23503');
		});

		it('reads Prefer as a comma-joined list', async () => {
			const res = await raw('/rest/v1/items?select=id,title', {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					Prefer: 'return=representation, count=exact, missing=default'
				},
				body: JSON.stringify([{ id: 800 }])
			});
			expect(res.status).toBe(201);
			expect(res.headers.get('content-range')).toBe('*/1');
			// PostgREST's fixed order (Preferences.hs `prefAppliedHeader`), not the request's.
			expect(res.headers.get('preference-applied')).toBe(
				'missing=default, return=representation, count=exact'
			);
			expect(await res.json()).toEqual([{ id: 800, title: 'untitled' }]);
		});

		it('an empty array insert succeeds without touching the table', async () => {
			const { error, status } = await b.client().from('items').insert([]);
			expect(error).toBeNull();
			expect(status).toBe(201);
		});

		it('refuses Realtime websocket upgrades with 501 instead of hanging', async () => {
			const { default: WebSocket } = await import('ws');
			const ws = new WebSocket(`${b.url.replace('http', 'ws')}/realtime/v1/websocket?vsn=2.0.0`);
			const status = await new Promise<number>((resolve) => {
				ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
				ws.on('error', () => resolve(-1));
			});
			expect(status).toBe(501);
		});
	});
});
