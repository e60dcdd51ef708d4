/**
 * The migration runner and the engine adapter, on PGlite and on PostgreSQL 15: what other
 * engineers' tests and `npm run backend` rely on.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES } from '../../tests/tools/test-db';
import { openDb, type Db } from './db';
import { MigrationError, prepareDatabase, resetPgliteDir } from './migrate';

async function tempDir(prefix: string) {
	return mkdtemp(path.join(os.tmpdir(), prefix));
}

describe.each(ENGINES)('database adapter and migrations on %s', (engine) => {
	let db: Db;
	let dropDatabase: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		if (engine === 'pglite') db = await openDb({});
		else {
			const t = await createTestDatabase();
			dropDatabase = t.drop;
			db = await openDb({ databaseUrl: t.url });
		}
	});

	afterAll(async () => {
		await db?.close();
		await dropDatabase?.();
	});

	it('applies bootstrap, then each migration once in name order, then the seed once', async () => {
		const dir = await tempDir('lb-mig-');
		await writeFile(
			path.join(dir, '20260101000200_add_column.sql'),
			'alter table public.widgets add column color text;'
		);
		await writeFile(
			path.join(dir, '20260101000100_create_widgets.sql'),
			'create table public.widgets (id uuid primary key default uuid_generate_v4(), name text not null);'
		);
		const seedFile = path.join(dir, 'seed.sql');
		await writeFile(seedFile, "insert into public.widgets (name, color) values ('seeded', 'red');");

		const first = await prepareDatabase(db, { migrationsDir: dir, seedFile });
		expect(first.applied).toEqual([
			'20260101000100_create_widgets.sql',
			'20260101000200_add_column.sql',
			'seed.sql'
		]);
		// seed.sql sits in the same folder here: not a `<timestamp>_<name>.sql` file, so skipped.
		expect(first.notes).toContain(
			'Skipped seed.sql: migration file names must look like <timestamp>_<name>.sql'
		);
		const again = await prepareDatabase(db, { migrationsDir: dir, seedFile });
		expect(again.applied).toEqual([]);
		const { rows } = await db.query<{ n: string }>(
			'select count(*)::text as n from public.widgets'
		);
		expect(rows[0].n).toBe('1');
		const { rows: versions } = await db.query<{ version: string; name: string }>(
			'select version, name from supabase_migrations.schema_migrations order by version'
		);
		expect(versions).toEqual([
			{ version: '20260101000100', name: 'create_widgets' },
			{ version: '20260101000200', name: 'add_column' }
		]);
		// The platform pieces migrations rely on exist.
		const { rows: roles } = await db.query<{ rolname: string }>(
			`select rolname from pg_roles where rolname in ('anon','authenticated','service_role','authenticator') order by 1`
		);
		expect(roles.map((r) => r.rolname)).toEqual([
			'anon',
			'authenticated',
			'authenticator',
			'service_role'
		]);
		expect(first.superuser).toBe(engine === 'pglite');
	});

	it('names the failing file and leaves no partial migration behind', async () => {
		const dir = await tempDir('lb-bad-');
		await writeFile(
			path.join(dir, '20260201000100_half.sql'),
			'create table public.half_done (id int primary key);\nselect 1/0;'
		);
		const err = await prepareDatabase(db, { migrationsDir: dir, seed: false }).catch((e) => e);
		expect(err).toBeInstanceOf(MigrationError);
		expect(err.message).toMatch(/20260201000100_half\.sql failed \[SQLSTATE 22012\]/);
		expect(err.code).toBe('22012');
		const { rows } = await db.query(`select to_regclass('public.half_done') as t`);
		expect(rows[0].t).toBeNull();
		const { rows: v } = await db.query(
			`select 1 from supabase_migrations.schema_migrations where version = '20260201000100'`
		);
		expect(v).toHaveLength(0);
	});

	it('sends parameters as untyped text so Postgres coerces them, identically on both engines', async () => {
		const { rows } = await db.query<Record<string, unknown>>(
			`select $1::int + 1 as i, $2::bigint as big, $3::numeric as num, $4::jsonb as j,
			        $5::int[] as arr, $6::boolean as flag, $7::date as d, $8::timestamptz as ts, $9::text as n`,
			[
				'41',
				9007199254740993n,
				'1.50',
				{ a: [1, 2] },
				[1, 2],
				true,
				'2026-03-04',
				new Date('2026-01-02T03:04:05.000Z'),
				null
			]
		);
		expect(rows[0]).toEqual({
			i: 42,
			big: '9007199254740993',
			num: '1.50',
			j: { a: [1, 2] },
			arr: [1, 2],
			flag: true,
			d: '2026-03-04',
			ts: new Date('2026-01-02T03:04:05.000Z'),
			n: null
		});
		const bad = await db.query('select $1::int', ['abc']).catch((e) => e);
		expect(bad.code).toBe('22P02');
	});

	it('commits or rolls back transactions as one unit and reports affected rows', async () => {
		await db.exec(
			'create table public.tx_probe (id int primary key); create table public.tx_probe2 (id int);'
		);
		await db.transaction(async (tx) => {
			await tx.query('insert into public.tx_probe values ($1)', [1]);
		});
		const failed = await db
			.transaction(async (tx) => {
				await tx.query('insert into public.tx_probe values ($1)', [2]);
				await tx.query('insert into public.tx_probe values ($1)', [1]);
			})
			.catch((e) => e);
		expect(failed.code).toBe('23505');
		const { rows } = await db.query<{ id: number }>('select id from public.tx_probe order by id');
		expect(rows).toEqual([{ id: 1 }]);
		const r = await db.query('update public.tx_probe set id = id where true');
		expect(r.affectedRows).toBe(1);
	});
});

describe('resetPgliteDir', () => {
	it('recreates a PGlite data folder that survives reopening until reset', async () => {
		const dir = path.join(await tempDir('lb-data-'), 'pglite');
		await mkdir(dir, { recursive: true });
		let db = await openDb({ dataDir: dir });
		await db.exec("create table kept (v text); insert into kept values ('x');");
		await db.close();
		db = await openDb({ dataDir: dir });
		expect((await db.query('select v from kept')).rows).toEqual([{ v: 'x' }]);
		await db.close();
		await resetPgliteDir(dir);
		expect(await readdir(dir)).toEqual([]);
	});

	it('refuses to wipe a folder that is not a Postgres data directory', async () => {
		const dir = await tempDir('lb-notdata-');
		await writeFile(path.join(dir, 'important.txt'), 'keep me');
		await expect(resetPgliteDir(dir)).rejects.toThrow(/no PG_VERSION/);
		expect(existsSync(path.join(dir, 'important.txt'))).toBe(true);
	});
});
