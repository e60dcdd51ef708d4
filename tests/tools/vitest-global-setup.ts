/**
 * Vitest global setup: one throwaway PostgreSQL 15 cluster for the whole run, so database tests
 * can run on both engines (PGlite in-process and a real PG 15) without Docker.
 *
 * Tests read the URL with `inject('pg15Url')` (or `process.env.TEST_DATABASE_URL`); see
 * tests/tools/test-db.ts, which creates a fresh database per call. When TEST_DATABASE_URL is
 * already set (e.g. a CI service container), that server is used and nothing is started; the
 * role in the URL needs CREATEDB. When PG 15 is not installed the URL is '' and postgres-engine
 * tests fail with the reason in `pg15Error` — they are never silently skipped.
 */
import type { TestProject } from 'vitest/node';
import { startPg15 } from './pg15';

declare module 'vitest' {
	export interface ProvidedContext {
		pg15Url: string;
		pg15Error: string;
	}
}

export default async function setup(project: TestProject) {
	const external = process.env.TEST_DATABASE_URL;
	if (external) {
		project.provide('pg15Url', external);
		project.provide('pg15Error', '');
		return;
	}
	try {
		const cluster = await startPg15();
		process.env.TEST_DATABASE_URL = cluster.url;
		project.provide('pg15Url', cluster.url);
		project.provide('pg15Error', '');
		return async () => {
			delete process.env.TEST_DATABASE_URL;
			await cluster.stop();
		};
	} catch (e) {
		project.provide('pg15Url', '');
		project.provide('pg15Error', e instanceof Error ? e.message : String(e));
	}
}
