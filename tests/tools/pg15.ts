/**
 * A throwaway PostgreSQL 15 cluster for tests (Debian's /usr/lib/postgresql/15/bin).
 *
 * Shape, chosen to behave like hosted Supabase (contract §1.1, §1.7):
 * - initdb's bootstrap superuser is `supabase_admin`; tests and migrations connect as `postgres`,
 *   which is NOT a superuser (`nosuperuser createdb createrole login bypassrls`) and owns each
 *   test database. Statements that only a superuser may run (event triggers, altering
 *   auth.users as a non-owner, untrusted extensions) therefore fail here as they would on hosted.
 * - The API roles (anon, authenticated, service_role, authenticator) are created once per cluster
 *   by the superuser, because in PG 15 only a superuser may create a BYPASSRLS role. bootstrap.sql
 *   then finds them and only adjusts their settings, which CREATEROLE allows. `postgres` is made a
 *   member of the three API roles, as on hosted, so tests can `set local role authenticated`.
 * - fsync/synchronous_commit/full_page_writes are off: the cluster is disposable.
 *
 * Postgres binaries refuse to run as root, so as root everything runs via `runuser -u postgres`;
 * as any other user they run directly.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
export const PG15_BIN = process.env.PG15_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Pg15Cluster {
	/** `postgres` (non-superuser) on the cluster's `civicpulse` database. */
	url: string;
	/** The superuser `supabase_admin` on the same database. */
	adminUrl: string;
	port: number;
	/** Build a URL for another database / user on this cluster. */
	urlFor(database: string, user?: 'postgres' | 'supabase_admin'): string;
	/** Create an empty database owned by `postgres`; returns its `postgres` URL. */
	createDatabase(name: string): Promise<string>;
	stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Run a PG binary as the cluster owner. */
async function pgBin(bin: string, args: string[], opts: { cwd?: string } = {}) {
	const file = path.join(PG15_BIN, bin);
	if (isRoot()) return run('runuser', ['-u', 'postgres', '--', file, ...args], opts);
	return run(file, args, opts);
}

function pgBinSync(bin: string, args: string[]) {
	const file = path.join(PG15_BIN, bin);
	if (isRoot())
		execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'ignore' });
	else execFileSync(file, args, { stdio: 'ignore' });
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

async function ownByPostgres(dir: string) {
	if (!isRoot()) return;
	const { stdout } = await run('id', ['-u', 'postgres']);
	const { stdout: gid } = await run('id', ['-g', 'postgres']);
	await chown(dir, Number(stdout.trim()), Number(gid.trim()));
}

export async function startPg15(): Promise<Pg15Cluster> {
	if (!existsSync(path.join(PG15_BIN, 'initdb'))) {
		throw new Error(
			`PostgreSQL 15 not found in ${PG15_BIN} (apt-get install postgresql-15, or set PG15_BIN)`
		);
	}
	const dir = await mkdtemp(path.join(os.tmpdir(), 'civicpulse-pg15-'));
	await ownByPostgres(dir);
	const dataDir = path.join(dir, 'data');
	const port = await freePort();

	await pgBin('initdb', [
		'-D',
		dataDir,
		'-U',
		'supabase_admin',
		'--auth=trust',
		'-E',
		'UTF8',
		'--locale=C',
		'--no-sync'
	]);
	const serverOpts = [
		`-p ${port}`,
		"-c listen_addresses='127.0.0.1'",
		`-c unix_socket_directories='${dir}'`,
		'-c fsync=off',
		'-c synchronous_commit=off',
		'-c full_page_writes=off',
		'-c max_connections=200',
		"-c timezone='UTC'"
	].join(' ');
	await pgBin('pg_ctl', [
		'-D',
		dataDir,
		'-o',
		serverOpts,
		'-l',
		path.join(dir, 'server.log'),
		'-w',
		'start'
	]);

	let stopped = false;
	const stopSync = () => {
		if (stopped) return;
		stopped = true;
		try {
			pgBinSync('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
		} catch {
			/* already gone */
		}
	};
	// A crashed or interrupted test run must not leave a postmaster behind.
	process.once('exit', stopSync);

	const urlFor = (database: string, user: 'postgres' | 'supabase_admin' = 'postgres') =>
		`postgres://${user}@127.0.0.1:${port}/${database}`;

	const admin = new pg.Client({ connectionString: urlFor('postgres', 'supabase_admin') });
	try {
		await admin.connect();
		await admin.query(`
			create role postgres nosuperuser createdb createrole login replication bypassrls;
			create role anon nologin noinherit;
			create role authenticated nologin noinherit;
			create role service_role nologin noinherit bypassrls;
			create role authenticator login noinherit;
			grant anon, authenticated, service_role to postgres;
			alter role postgres set search_path = "$user", public, extensions;
		`);
		await admin.query('create database civicpulse owner postgres');
	} catch (e) {
		stopSync();
		await rm(dir, { recursive: true, force: true });
		throw e;
	} finally {
		await admin.end().catch(() => {});
	}

	const createDatabase = async (name: string) => {
		if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Bad database name ${name}`);
		const c = new pg.Client({ connectionString: urlFor('postgres', 'supabase_admin') });
		await c.connect();
		try {
			await c.query(`create database ${name} owner postgres`);
		} finally {
			await c.end();
		}
		return urlFor(name);
	};

	return {
		url: urlFor('civicpulse'),
		adminUrl: urlFor('civicpulse', 'supabase_admin'),
		port,
		urlFor,
		createDatabase,
		async stop() {
			if (!stopped) {
				stopped = true;
				process.removeListener('exit', stopSync);
				await pgBin('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() =>
					pgBin('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {})
				);
			}
			await rm(dir, { recursive: true, force: true });
		}
	};
}
