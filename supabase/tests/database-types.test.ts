/**
 * src/lib/supabase/database.types.ts is generated from the migrations (`npm run types`), never
 * edited by hand. This regenerates it in memory from a freshly migrated PostgreSQL 15 database
 * and fails when the committed file differs, so the typed clients can never drift from the schema.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { DATABASE_TYPES_FILE, STALE_MESSAGE, typesFromDatabase } from '../../tests/tools/gen-types';

describe('generated database types', () => {
	let db: TTestDb;

	beforeAll(async () => {
		db = await openTestDb('postgres');
	});
	afterAll(async () => {
		await db?.close();
	});

	it('match the migrated schema (database.types.ts is not stale)', async () => {
		const generated = await typesFromDatabase(db.url!);
		expect(generated).toContain('export type Database = {');
		const committed = await readFile(DATABASE_TYPES_FILE, 'utf8').catch(() => '(missing)');
		expect(committed, STALE_MESSAGE).toBe(generated);
	});
});
