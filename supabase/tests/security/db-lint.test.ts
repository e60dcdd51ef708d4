/**
 * The database security lint (db-lint.ts) on both engines: the migrated schema has no findings,
 * and each kind of mistake it is meant to catch is caught (made inside a rolled-back transaction).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TTestDb } from '../../../tests/tools/test-db';
import { lintDatabase, type TFinding } from './db-lint';

class Rollback extends Error {
	constructor(readonly findings: TFinding[]) {
		super('rollback');
	}
}

describe.each(ENGINES)('database security lint on %s', (engine) => {
	let db: TTestDb;

	beforeAll(async () => {
		db = await openTestDb(engine);
	});
	afterAll(async () => {
		await db?.close();
	});

	/** Findings after `ddl`, which is rolled back. */
	async function findingsAfter(ddl: string): Promise<TFinding[]> {
		try {
			await db.transaction(async (tx) => {
				await tx.exec(ddl);
				throw new Rollback(await lintDatabase(tx));
			});
		} catch (e) {
			if (e instanceof Rollback) return e.findings;
			throw e;
		}
		throw new Error('unreachable');
	}

	it('finds nothing in the migrated schema', async () => {
		expect(await lintDatabase(db)).toEqual([]);
	});

	it.each([
		[
			'a table without RLS',
			`create table public.lint_probe (id int primary key);`,
			'table in an exposed schema without row-level security'
		],
		[
			'a policy on a table whose RLS is off',
			`create table private.lint_probe (id int primary key);
			 create policy lint_probe_read on private.lint_probe for select using (true);`,
			'policy on a table whose row-level security is off (the policy does nothing)'
		],
		[
			'a SECURITY DEFINER function without a pinned search_path',
			`create function private.lint_probe() returns int language sql security definer as 'select 1';
			 revoke execute on function private.lint_probe() from public;`,
			'SECURITY DEFINER function without search_path pinned to the empty path'
		],
		[
			'a SECURITY DEFINER function in the exposed schema',
			`create function public.lint_probe() returns int language sql security definer set search_path = '' as 'select 1';
			 revoke execute on function public.lint_probe() from public;
			 grant execute on function public.lint_probe() to authenticated;`,
			'SECURITY DEFINER function in an exposed schema that is not on the allowlist'
		],
		[
			'a function anon may execute',
			`create function public.lint_probe() returns int language sql set search_path = '' as 'select 1';
			 revoke execute on function public.lint_probe() from public;
			 grant execute on function public.lint_probe() to anon;`,
			'function executable by anon that is not on the anon allowlist'
		],
		[
			'a function left executable by PUBLIC',
			`create function private.lint_probe() returns int language sql set search_path = '' as 'select 1';`,
			'function executable by PUBLIC (every role, including ones created later)'
		],
		[
			'a private table granted to authenticated',
			`create table private.lint_probe (id int primary key);
			 alter table private.lint_probe enable row level security;
			 grant select on private.lint_probe to authenticated;`,
			'anon or authenticated may use or read a non-exposed app schema directly'
		],
		[
			'a view that bypasses RLS',
			`create view public.lint_probe as select id from public.surveys;`,
			'view in an exposed schema that is not security_invoker (it would bypass RLS)'
		],
		[
			'a table anon may write',
			`grant insert on public.comments to anon;`,
			'anon may write a table in an exposed schema directly (residents write through RPCs)'
		]
	])('catches %s', async (_what, ddl, rule) => {
		const found = await findingsAfter(ddl);
		expect(found.map((f) => f.rule)).toContain(rule);
		expect(found.find((f) => f.rule === rule)?.object).toMatch(/lint_probe|comments/);
	});
});
