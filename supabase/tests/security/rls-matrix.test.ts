/**
 * The RLS matrix, attempted: for every table in the exposed schema, every kind of caller (no
 * session, anonymous resident, signed-in non-staff, moderator, analyst, admin) and every
 * operation, try it on the table's probe row exactly as PostgREST would run it (transaction-local
 * role + JWT claims) and compare with rls-matrix.json, generated from rls-spec.ts. On both engines.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDbError, type Db } from '../../local/db';
import { ENGINES, openTestDb, type TTestDb } from '../../../tests/tools/test-db';
import { createUser, impersonate, type TIdentity } from '../support';
import { MATRIX_FILE, renderMatrix } from './rls-matrix';
import {
	RLS_OPS,
	RLS_ROLES,
	RLS_SPEC,
	type TRlsMatrix,
	type TRlsOp,
	type TRlsRole
} from './rls-spec';

const committed = JSON.parse(readFileSync(MATRIX_FILE, 'utf8')) as TRlsMatrix;

describe('RLS expectation matrix', () => {
	it('is the one generated from the policy spec (run rls-matrix.ts --write after editing the spec)', () => {
		expect(readFileSync(MATRIX_FILE, 'utf8')).toBe(renderMatrix());
	});
});

class Rollback extends Error {
	constructor(readonly allowed: boolean) {
		super('rollback');
	}
}

const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Attempt one operation on the probe row as `who`; always rolled back. */
async function attempt(db: Db, table: string, op: TRlsOp, who: TIdentity): Promise<boolean> {
	const spec = RLS_SPEC[table];
	const t = `public.${qi(table)}`;
	try {
		await db.transaction(async (tx) => {
			const { rows } = await tx.query<{ k: Record<string, unknown> }>(spec.probe);
			expect(rows, `${table}: the probe finds a row`).toHaveLength(1);
			const k = JSON.stringify(rows[0].k);
			let record: Record<string, unknown> | null = null;
			if (op === 'insert') {
				const got = await tx.query<{ r: Record<string, unknown> }>(
					`select to_jsonb(t) as r from ${t} t where to_jsonb(t) @> $1::jsonb`,
					[k]
				);
				record = got.rows[0].r;
				await tx.query(`delete from ${t} t where to_jsonb(t) @> $1::jsonb`, [k]);
				if (spec.owner && who.sub) record[spec.owner] = who.sub;
			}
			await impersonate(tx, who);
			let allowed: boolean;
			try {
				const sql = {
					select: `select 1 from ${t} t where to_jsonb(t) @> $1::jsonb`,
					insert: `insert into ${t} select * from jsonb_populate_record(null::${t}, $1::jsonb)`,
					update: `update ${t} t set ${qi(Object.keys(rows[0].k)[0])} = t.${qi(Object.keys(rows[0].k)[0])} where to_jsonb(t) @> $1::jsonb`,
					delete: `delete from ${t} t where to_jsonb(t) @> $1::jsonb`
				}[op];
				const res = await tx.query(sql, [op === 'insert' ? JSON.stringify(record) : k]);
				allowed = op === 'select' ? res.rows.length === 1 : (res.affectedRows ?? 0) === 1;
			} catch (e) {
				// Denied: no grant (42501 permission denied) or a policy refusing the new row (42501).
				if (isDbError(e) && e.code === '42501') allowed = false;
				else throw e;
			}
			throw new Rollback(allowed);
		});
	} catch (e) {
		if (e instanceof Rollback) return e.allowed;
		throw e;
	}
	throw new Error('unreachable');
}

describe.each(ENGINES)('RLS matrix on %s', (engine) => {
	let db: TTestDb;
	const who = {} as Record<TRlsRole, TIdentity>;

	beforeAll(async () => {
		db = await openTestDb(engine, { seed: true });
		who.anon = { role: 'anon' };
		who.resident = await createUser(db, { anonymous: true });
		who.member = await createUser(db, { anonymous: false });
		who.moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
		who.analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		who.admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
	});
	afterAll(async () => {
		await db?.close();
	});

	it('describes every table of the exposed schema (and nothing else)', async () => {
		const { rows } = await db.query<{ t: string }>(
			`select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
			 where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f') order by 1`
		);
		expect(rows.map((r) => r.t)).toEqual(Object.keys(committed).sort());
	});

	it.each(Object.keys(committed).sort())(
		'%s: every role and operation as the spec says',
		async (table) => {
			const actual = {} as Record<TRlsRole, Record<TRlsOp, boolean>>;
			for (const role of RLS_ROLES) {
				actual[role] = {} as Record<TRlsOp, boolean>;
				for (const op of RLS_OPS) actual[role][op] = await attempt(db, table, op, who[role]);
			}
			expect(actual).toEqual(committed[table]);
		}
	);
});
