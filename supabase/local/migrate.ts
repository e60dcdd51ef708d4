/**
 * Migration runner for the embedded local backend and the PostgreSQL 15 test cluster.
 *
 * Order (contract §1): `bootstrap.sql` (what the Supabase image and GoTrue provide), the
 * gateway's own auth tables (`auth-schema.sql`), then every `supabase/migrations/*.sql` not yet
 * applied in file-name order, then `supabase/seed.sql` once. Each file runs in its own
 * transaction, so a failing migration leaves the database exactly as the previous one left it,
 * and the error names the file.
 *
 * Applied migrations are tracked like the Supabase CLI does, in
 * `supabase_migrations.schema_migrations(version, name)`; the seed in
 * `supabase_migrations.seed_files(path, hash)`. That schema is not exposed through the API.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db';

const here = path.dirname(fileURLToPath(import.meta.url));
export const defaultMigrationsDir = path.resolve(here, '../migrations');
export const defaultSeedFile = path.resolve(here, '../seed.sql');

/** Hosted `postgres` role setting (contract §1.2): unqualified extension functions resolve. */
const MIGRATION_SEARCH_PATH = `set local search_path = "$user", public, extensions;`;

export interface PrepareOptions {
	/** Run seed.sql once (default true). */
	seed?: boolean;
	/** Folder of `*.sql` migrations (default `supabase/migrations`). Tests point it elsewhere. */
	migrationsDir?: string;
	/** Seed file (default `supabase/seed.sql`); skipped if absent. */
	seedFile?: string;
	/** SQL run after the seed on every call (test fixtures), in its own transaction. */
	extraSql?: string;
}

export interface PrepareResult {
	/** File names applied by this call: migrations, then `seed.sql` if it ran. */
	applied: string[];
	/** True when connected as a superuser (always on PGlite); hosted `postgres` is not one. */
	superuser: boolean;
	/** Human-readable remarks (e.g. the superuser caveat, a changed seed file). */
	notes: string[];
}

export class MigrationError extends Error {
	readonly file: string;
	readonly code?: string;
	readonly detail?: string;
	readonly hint?: string;
	constructor(file: string, cause: unknown) {
		const e = cause as { message?: string; code?: string; detail?: string; hint?: string };
		const where = e.code ? ` [SQLSTATE ${e.code}]` : '';
		super(`${file} failed${where}: ${e.message ?? String(cause)}`, { cause });
		this.name = 'MigrationError';
		this.file = file;
		this.code = e.code;
		this.detail = e.detail;
		this.hint = e.hint;
	}
}

async function runFile(db: Db, label: string, sql: string, after?: (tx: Db) => Promise<void>) {
	try {
		await db.transaction(async (tx) => {
			await tx.exec(MIGRATION_SEARCH_PATH);
			await tx.exec(sql);
			// The migration may have changed search_path itself; bookkeeping is schema-qualified.
			if (after) await after(tx);
		});
	} catch (e) {
		throw new MigrationError(label, e);
	}
}

export async function prepareDatabase(db: Db, opts: PrepareOptions = {}): Promise<PrepareResult> {
	const notes: string[] = [];
	const bootstrap = await readFile(path.join(here, 'bootstrap.sql'), 'utf8');
	await runFile(db, 'supabase/local/bootstrap.sql', bootstrap);
	const authSchema = await readFile(path.join(here, 'auth-schema.sql'), 'utf8');
	await runFile(db, 'supabase/local/auth-schema.sql', authSchema);
	await runFile(
		db,
		'migration bookkeeping',
		`create schema if not exists supabase_migrations;
		 create table if not exists supabase_migrations.schema_migrations (
		   version text primary key, name text, statements text[], applied_at timestamptz default now());
		 create table if not exists supabase_migrations.seed_files (path text primary key, hash text not null);`
	);

	const { rows: su } = await db.query<{ rolsuper: boolean }>(
		'select rolsuper from pg_catalog.pg_roles where rolname = current_user'
	);
	const superuser = su[0]?.rolsuper === true;
	if (superuser) {
		notes.push(
			'Migrations ran as a superuser; hosted Supabase runs them as a non-superuser `postgres`, ' +
				'so statements needing superuser (e.g. altering auth.users, event triggers) may still fail there.'
		);
	}

	const applied: string[] = [];
	const dir = opts.migrationsDir ?? defaultMigrationsDir;
	const files = existsSync(dir)
		? (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
		: [];
	const { rows: done } = await db.query<{ version: string }>(
		'select version from supabase_migrations.schema_migrations'
	);
	const doneSet = new Set(done.map((r) => r.version));
	for (const file of files) {
		// CLI convention: only `<digits>_<name>.sql` files are migrations; others are skipped.
		const m = /^(\d+)_(.*)\.sql$/.exec(file);
		if (!m) {
			notes.push(`Skipped ${file}: migration file names must look like <timestamp>_<name>.sql`);
			continue;
		}
		const [, version, name] = m;
		if (doneSet.has(version)) continue;
		const sql = await readFile(path.join(dir, file), 'utf8');
		await runFile(db, `supabase/migrations/${file}`, sql, async (tx) => {
			await tx.query(
				'insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)',
				[version, name]
			);
		});
		applied.push(file);
	}

	const seedFile = opts.seedFile ?? defaultSeedFile;
	if (opts.seed !== false && existsSync(seedFile)) {
		const sql = await readFile(seedFile, 'utf8');
		const hash = createHash('sha256').update(sql).digest('hex');
		const key = path.basename(seedFile);
		const { rows } = await db.query<{ hash: string }>(
			'select hash from supabase_migrations.seed_files where path = $1',
			[key]
		);
		if (rows.length === 0) {
			await runFile(db, `supabase/${key}`, sql, async (tx) => {
				await tx.query('insert into supabase_migrations.seed_files (path, hash) values ($1, $2)', [
					key,
					hash
				]);
			});
			applied.push(key);
		} else if (rows[0].hash !== hash) {
			notes.push(`${key} changed since it was applied; run with --reset to re-seed.`);
		}
	}

	if (opts.extraSql) await runFile(db, 'extra SQL', opts.extraSql);
	return { applied, superuser, notes };
}

/**
 * Delete and recreate a PGlite data folder. Refuses to wipe a non-empty folder that is not a
 * Postgres data directory (no PG_VERSION file), so a wrong path cannot destroy unrelated files.
 */
export async function resetPgliteDir(dir: string): Promise<void> {
	const abs = path.resolve(dir);
	if (abs === path.parse(abs).root || abs === process.cwd()) {
		throw new Error(`Refusing to reset ${abs}: not a data folder`);
	}
	if (existsSync(abs)) {
		const entries = await readdir(abs);
		if (entries.length > 0 && !entries.includes('PG_VERSION')) {
			throw new Error(`Refusing to reset ${abs}: it is not empty and has no PG_VERSION file`);
		}
		await rm(abs, { recursive: true, force: true });
	}
	await mkdir(abs, { recursive: true });
}
