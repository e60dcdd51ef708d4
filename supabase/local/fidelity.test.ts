/**
 * Contract tests for the PostgREST behaviours the official client libraries' own integration
 * tests rely on (issue 10): `Prefer: handling=strict, max-affected`, `Prefer: tx`, planned and
 * estimated counts, overloaded functions, and resource embedding. Driven through supabase-js
 * where it is the client's behaviour that matters and raw fetch where the wire (status,
 * headers) is the contract; on PGlite and on PostgreSQL 15.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES } from '../../tests/tools/test-db';
import { openDb, type Db } from './db';
import { startLocalBackend, type LocalBackend } from './server';
import {
	FIDELITY_SQL,
	STAFF_EMAIL,
	STAFF_PASSWORD,
	startTestBackend,
	type TestBackend
} from './test-fixture';

describe.each(ENGINES)('PostgREST fidelity on %s', (engine) => {
	let db: Db;
	let b: TestBackend;
	/** The same database behind a backend configured with `db-tx-end = commit-allow-override`. */
	let txb: LocalBackend;
	let dropDatabase: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		if (engine === 'pglite') {
			db = await openDb({});
		} else {
			const t = await createTestDatabase();
			dropDatabase = t.drop;
			db = await openDb({ databaseUrl: t.url });
		}
		b = await startTestBackend(db);
		await db.exec(FIDELITY_SQL);
		await b.reloadSchema();
		txb = await startLocalBackend({
			db,
			port: 0,
			skipPrepare: true,
			quiet: true,
			dbTxEnd: 'commit-allow-override'
		});
	});

	afterAll(async () => {
		await txb?.stop();
		await b?.stop();
		await db?.close();
		await dropDatabase?.();
	});

	function raw(path: string, init: RequestInit & { key?: string; base?: LocalBackend } = {}) {
		const headers = new Headers(init.headers);
		if (!headers.has('apikey')) headers.set('apikey', init.key ?? b.anonKey);
		return fetch((init.base ?? b).url + path, { ...init, headers });
	}

	const json = { 'content-type': 'application/json' };

	async function notes(ids: number[]): Promise<(string | null)[]> {
		const { rows } = await db.query<{ note: string | null }>(
			`select note from public.items where id = any($1::bigint[]) order by id`,
			[ids]
		);
		return rows.map((r) => r.note);
	}

	describe('Prefer: handling=strict, max-affected', () => {
		beforeAll(async () => {
			await db.exec(
				`insert into public.items (id, title) values (900, 'm'), (901, 'm'), (902, 'm')`
			);
		});

		it('refuses an update touching more rows than allowed with 400 PGRST124 and rolls it back', async () => {
			const res = await raw('/rest/v1/items?id=gte.900&id=lte.902', {
				method: 'PATCH',
				headers: { ...json, Prefer: 'handling=strict, max-affected=2' },
				body: JSON.stringify({ note: 'too many' })
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toEqual({
				code: 'PGRST124',
				details: 'The query affects 3 rows',
				hint: null,
				message: 'Query result exceeds max-affected preference constraint'
			});
			expect(await notes([900, 901, 902])).toEqual([null, null, null]);
		});

		it('commits within the limit and echoes handling and max-affected', async () => {
			const res = await raw('/rest/v1/items?id=gte.900&id=lte.902', {
				method: 'PATCH',
				headers: { ...json, Prefer: 'handling=strict, max-affected=3' },
				body: JSON.stringify({ note: 'ok' })
			});
			expect(res.status).toBe(204);
			expect(res.headers.get('preference-applied')).toBe('handling=strict, max-affected=3');
			expect(await notes([900, 901, 902])).toEqual(['ok', 'ok', 'ok']);
		});

		it('ignores max-affected without strict handling (lenient is the default)', async () => {
			for (const prefer of ['max-affected=1', 'handling=lenient, max-affected=1']) {
				const res = await raw('/rest/v1/items?id=gte.900&id=lte.902', {
					method: 'PATCH',
					headers: { ...json, Prefer: prefer },
					body: JSON.stringify({ note: prefer })
				});
				expect(res.status).toBe(204);
				expect(res.headers.get('preference-applied')).toBe(
					prefer.includes('lenient') ? 'handling=lenient' : null
				);
				expect(await notes([900, 901, 902])).toEqual([prefer, prefer, prefer]);
			}
		});

		it('guards deletes the same way (supabase-js sends the header as given)', async () => {
			const sb = b.client(b.serviceRoleKey);
			const del = await sb
				.from('items')
				.delete()
				.in('id', [900, 901, 902])
				.setHeader('Prefer', 'handling=strict, max-affected=1');
			expect(del.status).toBe(400);
			expect(del.error?.code).toBe('PGRST124');
			expect(await notes([900, 901, 902])).toHaveLength(3);
		});

		it('counts the rows a set-returning function returns, and rolls its writes back', async () => {
			const res = await raw('/rest/v1/rpc/touch_items', {
				method: 'POST',
				headers: { ...json, Prefer: 'handling=strict, max-affected=2' },
				body: JSON.stringify({ p_from: 900, p_to: 902, p_note: 'rpc' })
			});
			expect(res.status).toBe(400);
			expect((await res.json()).details).toBe('The query affects 3 rows');
			expect(await notes([900, 901, 902])).not.toContain('rpc');
		});

		it('refuses max-affected on a function that does not return a set with 400 PGRST128', async () => {
			const res = await raw('/rest/v1/rpc/do_nothing', {
				method: 'POST',
				headers: { ...json, Prefer: 'handling=strict, max-affected=1' },
				body: '{}'
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toEqual({
				code: 'PGRST128',
				details: null,
				hint: null,
				message:
					'Function must return SETOF or TABLE when max-affected preference is used with handling=strict'
			});
		});

		it('refuses unknown preferences under strict handling with 400 PGRST122', async () => {
			const res = await raw('/rest/v1/items?select=id&limit=1', {
				headers: { Prefer: 'handling=strict, foo, bar=baz' }
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toEqual({
				code: 'PGRST122',
				details: 'Invalid preferences: foo, bar=baz',
				hint: null,
				message: 'Invalid preferences given with handling=strict'
			});
			const lenient = await raw('/rest/v1/items?select=id&limit=1', {
				headers: { Prefer: 'foo, count=exact' }
			});
			expect(lenient.status).toBe(206);
			expect(lenient.headers.get('preference-applied')).toBe('count=exact');
		});
	});

	describe('Prefer: tx', () => {
		const post = (base: LocalBackend, id: number, prefer: string) =>
			raw('/rest/v1/items?select=id,title', {
				base,
				method: 'POST',
				headers: { ...json, Prefer: prefer },
				body: JSON.stringify({ id, title: 'tx' })
			});
		const stored = async (id: number) =>
			(await db.query('select 1 from public.items where id = $1', [id])).rows.length === 1;

		it('is ignored with Supabase\u2019s default db-tx-end = commit', async () => {
			const res = await post(b, 950, 'tx=rollback, return=representation');
			expect(res.status).toBe(201);
			expect(res.headers.get('preference-applied')).toBe('return=representation');
			expect(await stored(950)).toBe(true);
		});

		it('rolls back with commit-allow-override yet answers as if committed', async () => {
			const res = await post(txb, 951, 'tx=rollback, return=representation');
			expect(res.status).toBe(201);
			expect(res.headers.get('preference-applied')).toBe('return=representation, tx=rollback');
			expect(await res.json()).toEqual([{ id: 951, title: 'tx' }]);
			expect(await stored(951)).toBe(false);
			const commit = await post(txb, 952, 'tx=commit');
			expect(commit.status).toBe(201);
			expect(commit.headers.get('preference-applied')).toBe('tx=commit');
			expect(await stored(952)).toBe(true);
		});

		it('still reports errors of a request that asked to be rolled back', async () => {
			const res = await post(txb, 952, 'tx=rollback');
			expect(res.status).toBe(409);
			expect((await res.json()).code).toBe('23505');
		});
	});

	describe('Prefer: count=planned|estimated', () => {
		it('planned answers the planner\u2019s estimate, 206 when it exceeds the page', async () => {
			const planned = await raw('/rest/v1/estimates?select=id&limit=10', {
				headers: { Prefer: 'count=planned' }
			});
			expect(planned.status).toBe(206);
			// Analysed with 50 rows; 20 deleted since without a vacuum: the estimate stays 50.
			expect(planned.headers.get('content-range')).toBe('0-9/50');
			expect(planned.headers.get('preference-applied')).toBe('count=planned');
			const exact = await raw('/rest/v1/estimates?select=id&limit=10', {
				headers: { Prefer: 'count=exact' }
			});
			expect(exact.headers.get('content-range')).toBe('0-9/30');
			const head = await b.client().from('estimates').select('*', { count: 'planned', head: true });
			expect(head.count).toBe(50);
			expect(head.status).toBe(206);
		});

		it('planned runs EXPLAIN on the filtered query as the request role', async () => {
			const { rows } = await db.query<Record<string, unknown>>(
				`explain (format json) select 1 from public.estimates where id <= 10`
			);
			const plan = Object.values(rows[0])[0] as { Plan: { 'Plan Rows': number } }[];
			const res = await raw('/rest/v1/estimates?select=id&id=lte.10', {
				headers: { Prefer: 'count=planned' }
			});
			const total = Number(res.headers.get('content-range')!.split('/')[1]);
			expect(total).toBe(plan[0].Plan['Plan Rows']);
		});

		it('estimated is exact up to max-rows and the larger of count and estimate above', async () => {
			const small = await b
				.client()
				.from('estimates')
				.select('id', { count: 'estimated' })
				.limit(5);
			expect(small.count).toBe(30);
			expect(small.status).toBe(206);
			// bulk: 1100 rows now, 1200 when analysed; more than max-rows (1000) ⇒ the estimate.
			const big = await b.client().from('bulk').select('id', { count: 'estimated', head: true });
			expect(big.count).toBe(1200);
			const exact = await b.client().from('bulk').select('id', { count: 'exact', head: true });
			expect(exact.count).toBe(1100);
		});

		it('gives no total for planned on writes and RPC, like PostgREST', async () => {
			const upd1 = await raw('/rest/v1/estimates?id=eq.1', {
				method: 'PATCH',
				headers: { ...json, Prefer: 'count=planned' },
				body: JSON.stringify({ id: 1 })
			});
			expect(upd1.status).toBe(204);
			expect(upd1.headers.get('content-range')).toBe('0-0/*');
			const fn = await raw('/rest/v1/rpc/item_titles?limit=2', {
				headers: { Prefer: 'count=planned' }
			});
			expect(fn.status).toBe(200);
			expect(fn.headers.get('content-range')).toBe('0-1/*');
		});
	});

	describe('Overloaded functions', () => {
		it('answers ambiguous overloads with 300 PGRST203 and PostgREST\u2019s wording', async () => {
			const r = await b.client().rpc('overloaded', { a: 1 });
			expect(r.status).toBe(300);
			expect(r.error?.code).toBe('PGRST203');
			expect(r.error?.hint).toBe(
				'Try renaming the parameters or the function itself in the database so function overloading can be resolved'
			);
			expect(r.error?.message).toMatch(
				/^Could not choose the best candidate function between: public\.overloaded\(/
			);
			expect(r.error?.message).toContain('public.overloaded(a => integer)');
			expect(r.error?.message).toContain('public.overloaded(a => integer, b => integer)');
			expect((await b.client().rpc('overloaded', { a: 1, b: 2 })).data).toBe('two');
		});

		it('never leaks Postgres 42725 for unnamed parameters with defaults', async () => {
			const r = await b.client().rpc('unnamed_default');
			expect(r.status).toBe(300);
			expect(r.error?.code).toBe('PGRST203');
			expect(r.error?.message).toContain('public.unnamed_default( => text)');
			expect(r.error?.message).toContain('public.unnamed_default()');
		});

		it('passes the whole body positionally to a single unnamed parameter', async () => {
			const r = await b.client().rpc('unnamed_text', { '': 'hi' });
			expect(r.error).toBeNull();
			expect(r.data).toBe('got {"":"hi"}');
		});

		it('answers 300 PGRST203 when an overload appeared after the schema cache was loaded', async () => {
			await db.exec(
				`create function public.later(a int, b int default 0) returns text language sql immutable as $$ select 'second' $$`
			);
			const r = await b.client().rpc('later', { a: 1 });
			expect(r.status).toBe(300);
			expect(r.error?.code).toBe('PGRST203');
			expect(r.error?.message).toContain('public.later(a => integer, b => integer)');
		});

		it('GET separates arguments from filters by the operator in the value', async () => {
			const get = await raw('/rest/v1/rpc/goals_in_area?p_area=1&id=gt.10&select=id');
			expect(get.status).toBe(200);
			expect(await get.json()).toEqual([{ id: 11 }]);
		});
	});

	describe('Resource embedding', () => {
		it('embeds a many-to-one relationship as an object (select=*,area:areas(*))', async () => {
			const { data, error } = await b
				.client()
				.from('goals')
				.select('*, area:areas(*)')
				.eq('id', 10)
				.single();
			expect(error).toBeNull();
			expect(data).toEqual({
				id: 10,
				area_id: 1,
				owner_id: 1,
				deputy_id: 2,
				name: 'Faster response',
				area: { id: 1, name: 'Safety' }
			});
		});

		it('embeds one-to-many as arrays, applying the embedded table\u2019s RLS for the caller', async () => {
			const anon = await b
				.client()
				.from('goals')
				.select('id, measures(key, name)')
				.in('id', [10, 20])
				.order('id');
			expect(anon.error).toBeNull();
			expect(anon.data).toEqual([
				{ id: 10, measures: [{ key: 'resp-time', name: 'Response time' }] },
				{ id: 20, measures: [{ key: 'potholes', name: 'Potholes filled' }] }
			]);
			const staff = b.client();
			await staff.auth.signInWithPassword({ email: STAFF_EMAIL, password: STAFF_PASSWORD });
			const signedIn = await staff
				.from('goals')
				.select('id, measures(key)')
				.eq('id', 10)
				.order('key', { referencedTable: 'measures' })
				.single();
			expect(signedIn.data).toEqual({
				id: 10,
				measures: [{ key: 'resp-staff' }, { key: 'resp-time' }]
			});
		});

		it('nests embeds and applies embedded filters, order and limit', async () => {
			const { data, error } = await b
				.client()
				.from('areas')
				.select('name, goals(name, measures(key))')
				.order('id')
				.order('name', { referencedTable: 'goals', ascending: false })
				.limit(1, { referencedTable: 'goals' });
			expect(error).toBeNull();
			expect(data).toEqual([
				{ name: 'Safety', goals: [{ name: 'Fewer fires', measures: [{ key: 'fires' }] }] },
				{ name: 'Streets', goals: [{ name: 'Smooth roads', measures: [{ key: 'potholes' }] }] },
				{ name: 'Parks', goals: [] }
			]);
			const filtered = await b
				.client()
				.from('areas')
				.select('id, goals(id)')
				.eq('goals.name', 'Fewer fires')
				.order('id');
			expect(filtered.data).toEqual([
				{ id: 1, goals: [{ id: 11 }] },
				{ id: 2, goals: [] },
				{ id: 3, goals: [] }
			]);
			const logic = await raw(
				'/rest/v1/areas?select=id,goals(id)&goals.or=(id.eq.10,id.eq.20)&order=id'
			);
			expect(await logic.json()).toEqual([
				{ id: 1, goals: [{ id: 10 }] },
				{ id: 2, goals: [{ id: 20 }] },
				{ id: 3, goals: [] }
			]);
		});

		it('!inner keeps only parents with a matching embedded row, also in the count', async () => {
			const { data, count, error } = await b
				.client()
				.from('areas')
				.select('id, goals!inner(id)', { count: 'exact' })
				.eq('goals.name', 'Smooth roads');
			expect(error).toBeNull();
			expect(data).toEqual([{ id: 2, goals: [{ id: 20 }] }]);
			expect(count).toBe(1);
			const emptyEmbed = await raw(
				'/rest/v1/goals?select=id,measures!inner()&measures.key=eq.fires'
			);
			expect(await emptyEmbed.json()).toEqual([{ id: 11 }]);
		});

		it('filters parents on an embed being null or not (rel=is.null)', async () => {
			const sb = b.client();
			const withCharter = await sb
				.from('goals')
				.select('id, goal_charters(statement)')
				.not('goal_charters', 'is', null);
			expect(withCharter.data).toEqual([
				{ id: 10, goal_charters: { statement: 'Arrive within 6 minutes' } }
			]);
			// Without the embed in select, `goal_charters` is just an unknown column (42703).
			const notSelected = await sb.from('goals').select('id').is('goal_charters', null);
			expect(notSelected.status).toBe(400);
			expect(notSelected.error?.code).toBe('42703');
			const without2 = await sb
				.from('goals')
				.select('id, goal_charters()')
				.is('goal_charters', null)
				.order('id');
			expect(without2.data).toEqual([{ id: 11 }, { id: 20 }]);
		});

		it('answers one-to-one as an object from either side', async () => {
			const { data } = await b
				.client()
				.from('goal_charters')
				.select('statement, goals(name)')
				.single();
			expect(data).toEqual({
				statement: 'Arrive within 6 minutes',
				goals: { name: 'Faster response' }
			});
			const other = await b.client().from('goals').select('id, goal_charters(*)').eq('id', 11);
			expect(other.data).toEqual([{ id: 11, goal_charters: null }]);
		});

		it('answers two relationships to one table with 300 PGRST201 until disambiguated', async () => {
			const amb = await raw('/rest/v1/goals?select=id,people(name)');
			expect(amb.status).toBe(300);
			const body = await amb.json();
			expect(body.code).toBe('PGRST201');
			expect(body.message).toBe(
				"Could not embed because more than one relationship was found for 'goals' and 'people'"
			);
			expect(body.details).toHaveLength(2);
			expect(body.details).toEqual(
				expect.arrayContaining([
					{
						cardinality: 'many-to-one',
						embedding: 'goals with people',
						relationship: 'goals_deputy_id_fkey using goals(deputy_id) and people(id)'
					},
					{
						cardinality: 'many-to-one',
						embedding: 'goals with people',
						relationship: 'goals_owner_id_fkey using goals(owner_id) and people(id)'
					}
				])
			);
			expect(body.hint).toMatch(/^Try changing 'people' to one of the following: /);
			expect(body.hint).toContain("'people!goals_owner_id_fkey'");
			expect(body.hint).toContain("'people!goals_deputy_id_fkey'");
			const { data } = await b
				.client()
				.from('goals')
				.select('id, owner:people!owner_id(name), deputy:people!goals_deputy_id_fkey(name)')
				.eq('id', 10)
				.single();
			expect(data).toEqual({ id: 10, owner: { name: 'Ada' }, deputy: { name: 'Ben' } });
			const byColumn = await raw('/rest/v1/goals?select=id,owner_id(name)&id=eq.11');
			expect(await byColumn.json()).toEqual([{ id: 11, owner_id: { name: 'Ben' } }]);
		});

		it('spreads a to-one embed into the parent and orders by an embedded column', async () => {
			const res = await raw(
				'/rest/v1/goals?select=id,...areas(area:name)&order=areas(name).desc,id'
			);
			expect(await res.json()).toEqual([
				{ id: 20, area: 'Streets' },
				{ id: 10, area: 'Safety' },
				{ id: 11, area: 'Safety' }
			]);
			// A to-many spread gives arrays (PostgREST v13+).
			const spreadMany = await raw(
				'/rest/v1/areas?select=id,...goals(goal_names:name)&goals.order=name&id=eq.1'
			);
			expect(await spreadMany.json()).toEqual([
				{ id: 1, goal_names: ['Faster response', 'Fewer fires'] }
			]);
			const toMany = await raw('/rest/v1/areas?select=id,goals(name)&order=goals(name)');
			expect(toMany.status).toBe(400);
			expect(await toMany.json()).toEqual({
				code: 'PGRST118',
				details: "'areas' and 'goals' do not form a many-to-one or one-to-one relationship",
				hint: null,
				message: "A related order on 'goals' is not possible"
			});
		});

		it('embeds in write representations and in set-returning RPC results', async () => {
			const ins = await b
				.client()
				.from('goals')
				.insert({ id: 30, area_id: 3, name: 'Shade trees' })
				.select('id, area:areas(name)')
				.single();
			expect(ins.error).toBeNull();
			expect(ins.data).toEqual({ id: 30, area: { name: 'Parks' } });
			const fn = await b
				.client()
				.rpc('goals_in_area', { p_area: 2 })
				.select('name, area:areas(name), measures(key)');
			expect(fn.data).toEqual([
				{ name: 'Smooth roads', area: { name: 'Streets' }, measures: [{ key: 'potholes' }] }
			]);
		});

		it('answers an unknown relationship with 400 PGRST200 in PostgREST\u2019s words', async () => {
			const { error, status } = await b.client().from('areas').select('id, tags(label)');
			expect(status).toBe(400);
			expect(error).toMatchObject({
				code: 'PGRST200',
				message: "Could not find a relationship between 'areas' and 'tags' in the schema cache",
				details:
					"Searched for a foreign key relationship between 'areas' and 'tags' in the schema 'public', but no matches were found."
			});
			const notEmbedded = await raw('/rest/v1/goals?select=id&measures.key=eq.fires');
			expect(notEmbedded.status).toBe(400);
			expect(await notEmbedded.json()).toEqual({
				code: 'PGRST108',
				details: null,
				hint: "Verify that 'measures' is included in the 'select' query parameter.",
				message: "'measures' is not an embedded resource in this request"
			});
		});

		it('refuses what it does not implement with a clear PostgREST-shaped error', async () => {
			const m2m = await b.client().from('goals').select('id, tags(label)');
			expect(m2m.status).toBe(400);
			expect(m2m.error?.code).toBe('PGRST127');
			expect(m2m.error?.message).toBe('Feature not implemented');
			expect(m2m.error?.details).toMatch(/goal_tags/);
			const viaJunction = await b
				.client()
				.from('goals')
				.select('id, goal_tags(tags(label))')
				.eq('id', 20)
				.single();
			expect(viaJunction.data).toEqual({ id: 20, goal_tags: [{ tags: { label: 'budget' } }] });
			const view = await b.client().from('goal_names').select('id, measures(key)');
			expect(view.status).toBe(400);
			expect(view.error?.code).toBe('PGRST200');
			const agg = await raw('/rest/v1/measures?select=count()');
			expect(agg.status).toBe(400);
			expect(await agg.json()).toEqual({
				code: 'PGRST123',
				details: null,
				hint: null,
				message: 'Use of aggregate functions is not allowed'
			});
		});
	});
});
