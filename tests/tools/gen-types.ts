/**
 * `npm run types`: regenerate src/lib/supabase/database.types.ts from the migrated schema, the
 * Docker-free equivalent of `supabase gen types typescript --local --schema public`.
 *
 * 1. start a throwaway PostgreSQL 15 cluster (tests/tools/pg15.ts), or use TEST_DATABASE_URL /
 *    the `url` argument when a cluster is already running (the vitest stale check does);
 * 2. as the non-superuser `postgres`, apply bootstrap + auth schema + every migration with the
 *    runner the local backend and the tests use (no seed: data does not change types);
 * 3. introspect schema `public` and print the `Database` type with @supabase/postgrest-typegen,
 *    the generator postgres-meta (and so the Supabase CLI) runs, with the CLI's settings:
 *    one-to-one relationship detection on, default schema `public`;
 * 4. format with this repo's prettier config, so `npm run lint` accepts the file as written.
 *
 * `npm run types -- --check` exits 1 when the committed file differs (the test suite runs the
 * same comparison in supabase/tests/database-types.test.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTypescript, introspect, sortGeneratorMetadata } from '@supabase/postgrest-typegen';
import pg from 'pg';
import prettier from 'prettier';
import { openDb } from '../../supabase/local/db';
import { prepareDatabase } from '../../supabase/local/migrate';
import { startPg15 } from './pg15';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATABASE_TYPES_FILE = path.join(root, 'src/lib/supabase/database.types.ts');
export const STALE_MESSAGE =
	'src/lib/supabase/database.types.ts is stale (a migration changed the schema): run `npm run types` and commit the result';

/**
 * PostgREST major the generated types target (`__InternalSupabase.PostgrestVersion`): hosted
 * Supabase runs PostgREST 13, and supabase-js reads this to type 13-only features.
 */
const POSTGREST_VERSION = '13';

async function formatTs(code: string): Promise<string> {
	const options = (await prettier.resolveConfig(DATABASE_TYPES_FILE)) ?? {};
	return prettier.format(code, { ...options, filepath: DATABASE_TYPES_FILE });
}

/** The generator's text for schema `public` of an already migrated database. */
export async function typesFromDatabase(url: string): Promise<string> {
	// introspect() issues its queries concurrently: a one-connection pool queues them, as
	// postgres-meta's own pool (max 1) does.
	const pool = new pg.Pool({ connectionString: url, max: 1 });
	try {
		const metadata = sortGeneratorMetadata(await introspect(pool, { includedSchemas: ['public'] }));
		return await generateTypescript(metadata, {
			detectOneToOneRelationships: true,
			postgrestVersion: POSTGREST_VERSION,
			defaultSchema: 'public',
			format: formatTs
		});
	} finally {
		await pool.end();
	}
}

/** Migrate an empty database at `url` (owned by `postgres`) and generate its types. */
export async function typesFromMigrations(url: string): Promise<string> {
	const db = await openDb({ databaseUrl: url });
	try {
		await prepareDatabase(db, { seed: false });
	} finally {
		await db.close();
	}
	return typesFromDatabase(url);
}

/** Start a throwaway PostgreSQL 15, migrate it and generate the types. */
export async function generateDatabaseTypes(): Promise<string> {
	const cluster = await startPg15();
	try {
		return await typesFromMigrations(cluster.url);
	} finally {
		await cluster.stop();
	}
}

async function main(): Promise<number> {
	const check = process.argv.includes('--check');
	const generated = await generateDatabaseTypes();
	const committed = await readFile(DATABASE_TYPES_FILE, 'utf8').catch(() => '');
	if (check) {
		if (committed !== generated) {
			console.error(STALE_MESSAGE);
			return 1;
		}
		console.log('database.types.ts matches the migrations');
		return 0;
	}
	if (committed === generated) {
		console.log('database.types.ts already up to date');
	} else {
		await writeFile(DATABASE_TYPES_FILE, generated);
		console.log(`wrote ${path.relative(root, DATABASE_TYPES_FILE)}`);
	}
	return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().then(
		(code) => process.exit(code),
		(e) => {
			console.error(e instanceof Error ? e.message : e);
			process.exit(1);
		}
	);
}
