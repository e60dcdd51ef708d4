/**
 * Writes (with --write) or checks rls-matrix.json, the table × role × operation expectation
 * generated from rls-spec.ts: `npx tsx supabase/tests/security/rls-matrix.ts --write`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMatrix } from './rls-spec';

export const MATRIX_FILE = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'rls-matrix.json'
);

export const renderMatrix = () => JSON.stringify(buildMatrix(), null, '\t') + '\n';

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	if (process.argv.includes('--write')) {
		writeFileSync(MATRIX_FILE, renderMatrix());
		console.log(`wrote ${MATRIX_FILE}`);
	} else if (readFileSync(MATRIX_FILE, 'utf8') !== renderMatrix()) {
		console.error('rls-matrix.json is out of date: run with --write');
		process.exit(1);
	}
}
