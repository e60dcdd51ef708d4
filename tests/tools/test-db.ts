/**
 * Fresh, fully migrated databases for tests, on either engine:
 * - 'pglite': an in-memory PGlite (PostgreSQL 18 in WASM), superuser connection.
 * - 'postgres': a new database on the run's PostgreSQL 15 cluster (tests/tools/vitest-global-setup.ts),
 *   connected as the non-superuser `postgres` role like hosted Supabase. Dropped on close().
 * Both are prepared by the same runner the local backend uses (bootstrap + migrations [+ seed]).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDb, type Db } from '../../supabase/local/db';
import { prepareDatabase } from '../../supabase/local/migrate';

export type TEngine = 'pglite' | 'postgres';
export const ENGINES: TEngine[] = ['pglite', 'postgres'];

function clusterUrl(): string {
	let url = '';
	let why = '';
	try {
		url = inject('pg15Url');
		why = inject('pg15Error');
	} catch {
		// Not running under vitest (e.g. a tsx script): fall back to the environment.
	}
	url ||= process.env.TEST_DATABASE_URL ?? '';
	if (!url) {
		throw new Error(
			`No PostgreSQL 15 test cluster: ${why || 'TEST_DATABASE_URL is not set and vitest global setup did not start one'}`
		);
	}
	return url;
}

/** Create an empty database on the test cluster; returns its URL and a drop function. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
	const base = clusterUrl();
	const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({ connectionString: base });
	await admin.connect();
	try {
		await admin.query(`create database ${name}`);
	} finally {
		await admin.end();
	}
	const u = new URL(base);
	u.pathname = `/${name}`;
	return {
		url: u.toString(),
		async drop() {
			const c = new pg.Client({ connectionString: base });
			await c.connect();
			try {
				// WITH (FORCE) may meet an autovacuum worker on the database, which a non-superuser
				// cannot terminate (42501); it ends on its own within moments, so try again.
				for (let attempt = 1; ; attempt++) {
					try {
						await c.query(`drop database if exists ${name} with (force)`);
						return;
					} catch (e) {
						if ((e as { code?: string }).code !== '42501' || attempt >= 20) throw e;
						await new Promise((r) => setTimeout(r, 250));
					}
				}
			} finally {
				await c.end();
			}
		}
	};
}

/** A prepared database; `url` is set on 'postgres' (open more connections with it). */
export type TTestDb = Db & { readonly url: string | null };

export async function openTestDb(engine: TEngine, opts: { seed?: boolean } = {}): Promise<TTestDb> {
	if (engine === 'pglite') {
		const db = await openDb({});
		try {
			await prepareDatabase(db, { seed: opts.seed ?? false });
		} catch (e) {
			await db.close();
			throw e;
		}
		return Object.assign(db, { url: null });
	}
	const { url, drop } = await createTestDatabase();
	const db = await openDb({ databaseUrl: url });
	try {
		await prepareDatabase(db, { seed: opts.seed ?? false });
	} catch (e) {
		await db.close();
		await drop();
		throw e;
	}
	return {
		engine: db.engine,
		url,
		query: db.query.bind(db),
		exec: db.exec.bind(db),
		transaction: db.transaction.bind(db),
		async close() {
			await db.close();
			await drop();
		}
	};
}
