/**
 * Engine adapter for the embedded local backend: one small interface over PGlite (in-process
 * PostgreSQL compiled to WASM) and node-postgres (a real PostgreSQL 15 server).
 *
 * Why both: PGlite needs no server and no Docker, so `npm run dev` and unit tests work anywhere;
 * PostgreSQL 15 is the reference engine for pgTAP and for catching PGlite-only quirks.
 *
 * Behaviour that is deliberately identical on both engines:
 * - Parameters are always sent as text (or NULL) with type "unknown", so Postgres coerces them to
 *   the column/parameter type exactly like PostgREST's filter values (`id=eq.abc` on an int ⇒
 *   22P02). JS values are converted first (see `toParam`): booleans/numbers/bigints ⇒ their
 *   text, Date ⇒ ISO 8601, Uint8Array/Buffer ⇒ bytea hex, arrays ⇒ Postgres array literal,
 *   other objects ⇒ JSON text (pass `JSON.stringify(arr)` yourself for a jsonb array).
 * - Result parsing follows node-postgres conventions: int8 and numeric come back as strings
 *   (no silent precision loss), date and timestamp-without-time-zone as strings, timestamptz as
 *   Date, json/jsonb parsed, booleans and 2/4-byte ints and floats as JS values.
 * - Errors are the driver's error objects; both carry the Postgres fields `code` (SQLSTATE),
 *   `message`, `detail`, `hint`.
 */
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import { mkdir } from 'node:fs/promises';
import pg from 'pg';

export interface Db {
	readonly engine: 'pglite' | 'postgres';
	query<T = Record<string, unknown>>(
		sql: string,
		params?: unknown[]
	): Promise<{ rows: T[]; affectedRows?: number }>;
	/** Multi-statement SQL script, no parameters. */
	exec(sql: string): Promise<void>;
	/**
	 * BEGIN/COMMIT (ROLLBACK on throw) on one connection; `tx` must be used inside `fn`.
	 * `preamble`: a parameterless script run first inside the transaction. On PostgreSQL it goes
	 * in the same round trip as BEGIN (the gateway's per-request settings: one trip, not three).
	 */
	transaction<T>(fn: (tx: Db) => Promise<T>, options?: { preamble?: string }): Promise<T>;
	close(): Promise<void>;
}

/** Postgres error fields shared by both drivers' error objects. */
export interface DbError extends Error {
	code?: string;
	detail?: string;
	hint?: string;
}

export function isDbError(e: unknown): e is DbError {
	return e instanceof Error && typeof (e as DbError).code === 'string';
}

export async function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
	if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
	return openPglite(opts.dataDir);
}

// ---------------------------------------------------------------------------------------------
// Parameter conversion (shared)

function arrayLiteral(items: unknown[]): string {
	const parts = items.map((item) => {
		if (item === null || item === undefined) return 'NULL';
		if (Array.isArray(item)) return arrayLiteral(item);
		const text = toParam(item) as string;
		return '"' + text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
	});
	return '{' + parts.join(',') + '}';
}

export function toParam(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
	if (v instanceof Date) return v.toISOString();
	if (v instanceof Uint8Array) return '\\x' + Buffer.from(v).toString('hex');
	if (Array.isArray(v)) return arrayLiteral(v);
	return JSON.stringify(v);
}

function toParams(params: unknown[] | undefined): (string | null)[] {
	const out = (params ?? []).map(toParam);
	for (const p of out) if (p !== null && p.includes('\0')) throw nulError();
	return out;
}

/**
 * PostgreSQL text never holds NUL (U+0000): the server refuses it in a parameter (22021), and in
 * statement text the wire protocol would cut the statement at the NUL (a garbled statement, or a
 * "bind message" protocol error). Both engines refuse it up front with the server's own error,
 * which the API answers as 400.
 */
function nulError(): DbError {
	return Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
		code: '22021',
		hint: 'Text may not contain the NUL character (\\u0000).'
	});
}

function refuseNul(sql: string): string {
	if (sql.includes('\0')) throw nulError();
	return sql;
}

// ---------------------------------------------------------------------------------------------
// PGlite

const identity = (x: string) => x;

async function openPglite(dataDir: string | undefined): Promise<Db> {
	// PGlite creates the data folder itself but not its parents.
	if (dataDir && !dataDir.includes('://')) await mkdir(dataDir, { recursive: true });
	const pglite = await PGlite.create({
		dataDir,
		extensions: { pgcrypto, uuid_ossp },
		parsers: {
			[pgliteTypes.INT8]: identity,
			[pgliteTypes.NUMERIC]: identity,
			[pgliteTypes.DATE]: identity,
			[pgliteTypes.TIMESTAMP]: identity
		}
	});
	type Runner = Pick<PGlite, 'query' | 'exec'>;
	const wrap = (runner: Runner, inTx: boolean): Db => ({
		engine: 'pglite',
		async query<T>(sql: string, params?: unknown[]) {
			const r = await runner.query<T>(refuseNul(sql), toParams(params));
			return { rows: r.rows, affectedRows: r.affectedRows };
		},
		async exec(sql: string) {
			await runner.exec(refuseNul(sql));
		},
		async transaction<T>(fn: (tx: Db) => Promise<T>, options?: { preamble?: string }): Promise<T> {
			if (inTx) throw new Error('Nested transactions are not supported by this adapter');
			// PGlite is a single connection: its transaction() holds a mutex, so other queries and
			// transactions wait until this one ends instead of interleaving inside it.
			return pglite.transaction(async (tx) => {
				if (options?.preamble) await tx.exec(refuseNul(options.preamble));
				return fn(wrap(tx, true));
			});
		},
		async close() {
			if (inTx) throw new Error('close() called inside a transaction');
			await pglite.close();
		}
	});
	return wrap(pglite, false);
}

// ---------------------------------------------------------------------------------------------
// node-postgres

const pgTypes = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		// date / timestamp without time zone stay text: parsing them into a JS Date would apply
		// the Node process's local time zone.
		if (oid === 1082 || oid === 1114) return identity;
		return pg.types.getTypeParser(oid, format ?? 'text');
	}
} as pg.CustomTypesConfig;

async function openPostgres(databaseUrl: string): Promise<Db> {
	const pool = new pg.Pool({ connectionString: databaseUrl, types: pgTypes, max: 10 });
	// An idle client losing its connection must not crash the process.
	pool.on('error', () => {});
	const wrap = (runner: pg.Pool | pg.PoolClient, inTx: boolean): Db => ({
		engine: 'postgres',
		async query<T>(sql: string, params?: unknown[]) {
			const r = await runner.query(refuseNul(sql), toParams(params));
			return { rows: r.rows as T[], affectedRows: r.rowCount ?? undefined };
		},
		async exec(sql: string) {
			// No parameters ⇒ simple query protocol ⇒ multi-statement scripts are allowed.
			await runner.query(refuseNul(sql));
		},
		async transaction<T>(fn: (tx: Db) => Promise<T>, options?: { preamble?: string }): Promise<T> {
			if (inTx) throw new Error('Nested transactions are not supported by this adapter');
			const client = await pool.connect();
			let broken = false;
			try {
				const begin = options?.preamble ? `BEGIN;\n${options.preamble}` : 'BEGIN';
				try {
					// No parameters ⇒ simple query protocol ⇒ BEGIN and the preamble in one trip.
					await client.query(refuseNul(begin));
					const result = await fn(wrap(client, true));
					await client.query('COMMIT');
					return result;
				} catch (e) {
					try {
						await client.query('ROLLBACK');
					} catch {
						broken = true;
					}
					throw e;
				}
			} finally {
				client.release(broken || undefined);
			}
		},
		async close() {
			if (inTx) throw new Error('close() called inside a transaction');
			await pool.end();
		}
	});
	// Fail fast with a clear error if the server is unreachable.
	await pool.query('select 1');
	return wrap(pool, false);
}
