/**
 * `npm run test:db`: the pgTAP suite (supabase/tests/database/*.test.sql) against a throwaway
 * PostgreSQL 15 — the Docker-free equivalent of `supabase test db`.
 *
 * 1. start a cluster (tests/tools/pg15.ts: superuser supabase_admin, non-superuser `postgres`);
 * 2. as `postgres`, apply bootstrap + migrations (+ seed.sql when present) with the same runner
 *    the local backend uses, so the suite checks exactly what ships;
 * 3. as the superuser, `create extension pgtap with schema extensions` (pgTAP is untrusted);
 * 4. run pg_prove as `postgres` over the files in name order; exit with its status.
 *
 * Needs the Debian packages postgresql-15, postgresql-15-pgtap and
 * libtap-parser-sourcehandler-pgtap-perl (pg_prove). Extra args go to pg_prove (e.g. -v).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDb } from '../../supabase/local/db';
import { prepareDatabase } from '../../supabase/local/migrate';
import { startPg15 } from './pg15';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const testsDir = path.join(root, 'supabase/tests/database');

async function main(): Promise<number> {
	const files = (await readdir(testsDir))
		.filter((f) => f.endsWith('.test.sql'))
		.sort()
		.map((f) => path.join('supabase/tests/database', f));
	if (files.length === 0) {
		console.error(`No pgTAP files in ${testsDir}`);
		return 1;
	}
	const cluster = await startPg15();
	try {
		const db = await openDb({ databaseUrl: cluster.url });
		try {
			const seed = existsSync(path.join(root, 'supabase/seed.sql'));
			const { applied, notes } = await prepareDatabase(db, { seed });
			console.log(`# applied as non-superuser postgres: ${applied.join(', ')}`);
			for (const note of notes) console.log(`# ${note}`);
		} finally {
			await db.close();
		}
		const admin = new pg.Client({ connectionString: cluster.adminUrl });
		await admin.connect();
		try {
			await admin.query('create extension if not exists pgtap with schema extensions');
		} finally {
			await admin.end();
		}
		const u = new URL(cluster.url);
		const args = [
			'--host',
			u.hostname,
			'--port',
			u.port,
			'--username',
			'postgres',
			'--dbname',
			u.pathname.slice(1),
			'--ext',
			'.sql',
			...process.argv.slice(2),
			...files
		];
		return await new Promise<number>((resolve, reject) => {
			const child = spawn('pg_prove', args, { cwd: root, stdio: 'inherit' });
			child.on('error', (e) =>
				reject(
					new Error(
						`Could not run pg_prove (apt-get install libtap-parser-sourcehandler-pgtap-perl): ${e.message}`
					)
				)
			);
			child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
		});
	} finally {
		await cluster.stop();
	}
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(e instanceof Error ? e.message : e);
		process.exit(1);
	}
);
