/**
 * Migration-wide guarantees, checked on both engines from an empty database: the migrations
 * apply from scratch (and again as a no-op), and the security rules hold for every table and
 * function, including ones added later.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../local/migrate';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';

const migrationsDir = path.resolve(import.meta.dirname, '../migrations');

describe('migration files', () => {
	it('are named YYYYMMDDHHMMSS_verb_object.sql and start with a header comment', async () => {
		const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql'));
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) {
			expect(file).toMatch(/^\d{14}_[a-z0-9]+(_[a-z0-9]+)+\.sql$/);
			const sql = await readFile(path.join(migrationsDir, file), 'utf8');
			expect(sql.startsWith('-- '), `${file} header comment`).toBe(true);
		}
	});
});

describe.each(ENGINES)('schema invariants on %s', (engine) => {
	let db: TTestDb;

	beforeAll(async () => {
		db = await openTestDb(engine);
	});
	afterAll(async () => {
		await db?.close();
	});

	it('applies every migration from scratch, and re-running applies nothing', async () => {
		const { rows } = await db.query<{ n: string }>(
			'select count(*)::text as n from supabase_migrations.schema_migrations'
		);
		const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql'));
		expect(Number(rows[0].n)).toBe(files.length);
		const again = await prepareDatabase(db, { seed: false });
		expect(again.applied).toEqual([]);
	});

	it('creates the whole data model', async () => {
		const { rows } = await db.query<{ t: string }>(
			`select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
			 where n.nspname = 'public' and c.relkind = 'r' order by 1`
		);
		expect(rows.map((r) => r.t)).toEqual(
			expect.arrayContaining([
				'agenda_items',
				'answers',
				'comment_votes',
				'comments',
				'goal_areas',
				'goals',
				'invitations',
				'measure_values',
				'measures',
				'meetings',
				'narratives',
				'questions',
				'responses',
				'staff',
				'survey_sections',
				'survey_waves',
				'surveys',
				'targets'
			])
		);
	});

	it('enables RLS, has policies and a comment on every public table', async () => {
		const { rows } = await db.query<{
			t: string;
			rls: boolean;
			policies: string;
			comment: string | null;
		}>(
			`select c.relname as t, c.relrowsecurity as rls,
			        (select count(*)::text from pg_policy p where p.polrelid = c.oid) as policies,
			        obj_description(c.oid, 'pg_class') as comment
			 from pg_class c join pg_namespace n on n.oid = c.relnamespace
			 where n.nspname = 'public' and c.relkind in ('r', 'p')`
		);
		for (const r of rows) {
			expect(r.rls, `${r.t} has RLS`).toBe(true);
			expect(Number(r.policies), `${r.t} has policies`).toBeGreaterThan(0);
			expect(r.comment, `${r.t} has a comment`).toBeTruthy();
		}
	});

	it('grants nothing to PUBLIC and keeps responses, answers, invitations, staff and votes away from anon', async () => {
		const { rows: pub } = await db.query<{ t: string }>(
			`select table_name as t from information_schema.role_table_grants
			 where table_schema = 'public' and grantee = 'PUBLIC'`
		);
		expect(pub).toEqual([]);
		const { rows } = await db.query<{ t: string; p: string }>(
			`select table_name as t, privilege_type as p from information_schema.role_table_grants
			 where table_schema = 'public' and grantee = 'anon'
			   and table_name in ('responses', 'answers', 'invitations', 'staff', 'comment_votes')`
		);
		expect(rows).toEqual([]);
		const { rows: writes } = await db.query<{ t: string; p: string }>(
			`select table_name as t, privilege_type as p from information_schema.role_table_grants
			 where table_schema = 'public' and grantee = 'anon' and privilege_type <> 'SELECT'`
		);
		expect(writes).toEqual([]);
	});

	it('pins search_path on every function and keeps SECURITY DEFINER bodies away from PUBLIC', async () => {
		const { rows } = await db.query<{
			fn: string;
			definer: boolean;
			config: string[] | null;
			public_exec: boolean;
			anon_exec: boolean;
		}>(
			`select n.nspname || '.' || p.proname as fn, p.prosecdef as definer, p.proconfig as config,
			        (p.proacl is null or exists (
			          select 1 from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE'
			        )) as public_exec,
			        has_function_privilege('anon', p.oid, 'execute') as anon_exec
			 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			 where n.nspname in ('public', 'private')`
		);
		expect(rows.length).toBeGreaterThan(5);
		// Small SQL helpers the scorecard calls once per trend point are inlined into their
		// (pinned) callers only when they carry no SET clause. They may go without a pinned
		// search_path because they run with the caller's rights (never SECURITY DEFINER), name
		// only schema-qualified objects and built-in operators, and PUBLIC cannot call them.
		const inlinable = new Set([
			'private.published_figure',
			'private.status_min_n',
			'private.figure_status',
			'private.wave_in_progress',
			'private.wave_sample'
		]);
		for (const r of rows) {
			if (inlinable.has(r.fn)) {
				expect(r.definer, `${r.fn} runs with the caller's rights`).toBe(false);
				expect(r.public_exec, `${r.fn} not executable by PUBLIC`).toBe(false);
				expect(r.anon_exec, `${r.fn} not executable by anon`).toBe(false);
				continue;
			}
			expect(
				r.config?.some((c) => c.startsWith('search_path=')),
				`${r.fn} pins search_path`
			).toBe(true);
			if (r.definer) expect(r.public_exec, `${r.fn} not executable by PUBLIC`).toBe(false);
		}
		const anonCan = Object.fromEntries(rows.map((r) => [r.fn, r.anon_exec]));
		// The definer body of submit_responses is reachable only by signed-in users.
		expect(anonCan['private.submit_responses']).toBe(false);
		expect(anonCan['private.is_staff']).toBe(false);
		expect(anonCan['public.create_invitations']).toBe(false);
		expect(anonCan['public.submit_responses']).toBe(true);
		expect(anonCan['public.get_survey']).toBe(true);
		expect(anonCan['public.check_invitation']).toBe(true);
	});

	it('wraps auth.uid() and is_staff() in (select …) in every policy, so they run once per query', async () => {
		const { rows } = await db.query<{ name: string; expr: string }>(
			`select tablename || '.' || policyname as name, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr
			 from pg_policies where schemaname = 'public'`
		);
		for (const r of rows) {
			const bare = r.expr.replace(/SELECT (auth\.uid\(\)|private\.is_staff\([^)]*\))/g, '');
			expect(bare, r.name).not.toMatch(/auth\.uid\(\)|private\.is_staff\(/);
		}
	});

	// Cascades and joins look rows up by the first foreign-key column.
	it('indexes every foreign key (an index leads with its first column)', async () => {
		const { rows } = await db.query<{ t: string; cols: string }>(
			`select c.conrelid::regclass::text as t, c.conkey::text as cols
			 from pg_constraint c join pg_namespace n on n.oid = c.connamespace
			 where c.contype = 'f' and n.nspname = 'public'
			   and not exists (
			     select 1 from pg_index i
			     where i.indrelid = c.conrelid
			       and i.indkey[0] = c.conkey[1]
			   )`
		);
		expect(rows).toEqual([]);
	});

	it('enforces business rules with CHECK constraints', async () => {
		const bad = [
			`insert into public.goal_areas (key, name) values ('x', '{"en": "X"}')`,
			`insert into public.surveys (slug, title, intro) values ('Bad Slug', '{"en":"a","es":"b"}', '{"en":"a","es":"b"}')`,
			`insert into public.targets (measure_id, period, value) values (gen_random_uuid(), '2026-Q5', 1)`,
			`insert into public.targets (measure_id, period, value) values (gen_random_uuid(), '26', 1)`
		];
		for (const sql of bad) {
			await expect(db.query(sql), sql).rejects.toMatchObject({ code: '23514' });
		}
	});
});
