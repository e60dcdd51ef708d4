/**
 * A throwaway backend for trying `npm run survey:import` by hand: an in-memory PGlite (or
 * `DATABASE_URL`), fully migrated, with the Kansas City fixture survey loaded from
 * tests/fixtures/import (questions, and the FY2022 Q1 and Q3 waves, both long closed — the
 * historical-import case) and an analyst account. Prints the environment to export, then serves
 * until stopped (Ctrl-C). Nothing is kept.
 *
 *   npx tsx tests/tools/import-sandbox.ts [--port 54329]
 *
 * `loadImportFixture` is also what the CLI's end-to-end tests load (src/lib/import/cli.test.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../supabase/local/db';
import { openDb } from '../../supabase/local/db';
import { prepareDatabase } from '../../supabase/local/migrate';
import { startLocalBackend } from '../../supabase/local/server';
import type { TSurveyDefinition, TWave } from '../../src/lib/domain/survey';

const fixtures = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
export const kcDefinition = JSON.parse(
	readFileSync(`${fixtures}kc-resident.definition.json`, 'utf8')
) as TSurveyDefinition;
export const kcOtherWaves = JSON.parse(
	readFileSync(`${fixtures}kc-resident.waves.json`, 'utf8')
) as TWave[];

export const SANDBOX_STAFF_PASSWORD = 'analyst-import-password';
const ANALYST_ID = '22222222-2222-4222-8222-222222222222';
const MODERATOR_ID = '33333333-3333-4333-8333-333333333333';

/**
 * Loads the fixture survey (kc-resident: its questions and both FY2022 waves, closed) and two
 * staff accounts, analyst@example.test and moderator@example.test (password
 * SANDBOX_STAFF_PASSWORD), into a migrated database.
 */
export async function loadImportFixture(db: Db): Promise<void> {
	const s = kcDefinition.survey;
	await db.query(
		`insert into public.surveys (id, slug, title, intro, languages) values ($1, $2, $3, $4, $5)`,
		[s.id, s.slug, JSON.stringify(s.title), JSON.stringify(s.intro), s.languages]
	);
	const {
		rows: [section]
	} = await db.query<{ id: string }>(
		`insert into public.survey_sections (survey_id, key, position, title) values ($1, 'main', 1, $2) returning id`,
		[s.id, JSON.stringify({ en: 'Main', es: 'Principal' })]
	);
	for (const q of kcDefinition.questions) {
		await db.query(
			`insert into public.questions (id, survey_id, section_id, key, position, kind, prompt, options, min, max, max_length)
			 values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
			[
				q.id,
				s.id,
				section.id,
				q.key,
				q.position,
				q.kind,
				JSON.stringify(q.prompt),
				q.options ? JSON.stringify(q.options) : null,
				q.min,
				q.max,
				q.max_length
			]
		);
	}
	for (const w of [kcDefinition.wave, ...kcOtherWaves]) {
		await db.query(
			`insert into public.survey_waves (id, survey_id, label, period, mode, opens_at, closes_at)
			 values ($1, $2, $3, $4, $5, $6, $7)`,
			[w.id, s.id, w.label, w.period, w.mode, w.opens_at, w.closes_at]
		);
	}
	await db.query(
		`insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
		   raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
		 select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
		   extensions.crypt($1, extensions.gen_salt('bf')), now(), '{"provider":"email"}', '{}', now(), now()
		 from (values ($2::uuid, 'analyst@example.test'), ($3::uuid, 'moderator@example.test')) u(id, email)`,
		[SANDBOX_STAFF_PASSWORD, ANALYST_ID, MODERATOR_ID]
	);
	await db.query(
		`insert into public.staff (user_id, role) values ($1, 'analyst'), ($2, 'moderator')`,
		[ANALYST_ID, MODERATOR_ID]
	);
}

async function sandbox(argv: string[]): Promise<void> {
	const i = argv.indexOf('--port');
	const port = i >= 0 ? Number(argv[i + 1]) : 0;
	const db = await openDb({ databaseUrl: process.env.DATABASE_URL || undefined });
	await prepareDatabase(db, { seed: false });
	await loadImportFixture(db);
	const backend = await startLocalBackend({ db, port, skipPrepare: true, quiet: true });
	console.log(`export PUBLIC_SUPABASE_URL=${backend.url}`);
	console.log(`export SUPABASE_SERVICE_ROLE_KEY=${backend.serviceRoleKey}`);
	console.log(`export PUBLIC_SUPABASE_ANON_KEY=${backend.anonKey}`);
	console.log(
		`# staff: --email analyst@example.test with SURVEY_IMPORT_PASSWORD=${SANDBOX_STAFF_PASSWORD}`
	);
	const stop = async () => {
		await backend.stop();
		await db.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	sandbox(process.argv.slice(2)).catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
