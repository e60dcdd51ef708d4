/**
 * `npm run survey:import` end to end: offline dry runs (--definition), and online runs against
 * the real embedded backend (supabase/local, PostgREST + GoTrue subset) over a migrated
 * database on BOTH engines, with the Kansas City survey loaded from the fixtures and all its
 * waves closed (historical imports). Real files from ../shared/survey-data/ and damaged copies.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../../supabase/local/server';
import {
	kcDefinition as definition,
	kcOtherWaves as otherWaves,
	loadImportFixture,
	SANDBOX_STAFF_PASSWORD
} from '../../../tests/tools/import-sandbox';
import { ENGINES, openTestDb, type TTestDb } from '../../../tests/tools/test-db';
import { EXIT, main, type TCliIo } from './cli';
import { rpcImportServer } from './rpc-writer';

const fixtures = fileURLToPath(new URL('../../../tests/fixtures/import/', import.meta.url));
const dataDir = fileURLToPath(new URL('../../../../shared/survey-data/', import.meta.url));
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`real-file CLI tests skipped: ${dataDir} is absent`);
const KC_Q1 = join(dataDir, 'kcmo_resident_survey_fy2022_q1_sep2021.csv');

function io(env: TCliIo['env'] = {}) {
	const out: string[] = [];
	const err: string[] = [];
	return {
		out,
		err,
		text: () => [...out, ...err].join('\n'),
		io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }
	};
}

const tmp = mkdtempSync(join(tmpdir(), 'survey-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, text: string) => {
	const path = join(tmp, name);
	writeFileSync(path, text);
	return path;
};
const kcMapping = join(fixtures, 'kcmo-fy2022.mapping.json');
const kcDefinition = join(fixtures, 'kc-resident.definition.json');

/** A small CSV in the KCMO layout: the three top-3 columns, one service and the district. */
const HEAD = 'id,counci,q3_03,q4_01,q4_02,q4_03';
const smallCsv = file('small.csv', `${HEAD}\n1,1,4,3,NA,NA\n2,2,2,3,1,NA\n3,3,9,99,NA,NA\n`);
const smallMapping = file(
	'small.mapping.json',
	JSON.stringify({
		survey: 'kc-resident',
		wave: { label: 'FY2022 Q1' },
		id_column: 'id',
		missing_values: ['', 'NA', '99'],
		district: { column: 'counci', question: 'district' },
		columns: { q3_03: 'q3_03' },
		top3: [
			{
				question: 'q4',
				columns: ['q4_01', 'q4_02', 'q4_03'],
				items: { '1': 'q3_01', '3': 'q3_03' }
			}
		]
	})
);
const offline = (csv: string, mapping = smallMapping) => [
	'--file',
	csv,
	'--mapping',
	mapping,
	'--definition',
	kcDefinition
];

/** Copies the real KCMO Q1 file with some cells changed: (data line index, column, value). */
function damagedQ1(name: string, edits: [number, string, string][]): string {
	const lines = readFileSync(KC_Q1, 'utf8').split('\n');
	const header = lines[0].split(',');
	for (const [line, column, value] of edits) {
		const cells = lines[line].split(',');
		cells[header.indexOf(column)] = value;
		lines[line] = cells.join(',');
	}
	return file(name, lines.join('\n'));
}

describe('survey:import CLI, offline dry run (--definition)', () => {
	it.skipIf(!haveData)(
		'reports the KCMO Q1 file: 1,033 rows read and accepted, no errors',
		async () => {
			const t = io();
			const code = await main(offline(KC_Q1, kcMapping), t.io);
			expect(code).toBe(EXIT.ok);
			expect(t.out).toContain('Dry run (nothing written)');
			expect(t.out).toContain('  rows read:      1033');
			expect(t.out).toContain('  accepted:       1033');
			expect(t.out).toContain('  with errors:    0');
			expect(t.out.at(-1)).toBe(
				'Offline check (--definition): the database was not asked which respondents are new, unchanged or changed.'
			);
		}
	);

	it.skipIf(!haveData)('--wave sends the March 2022 file to the FY2022 Q3 wave', async () => {
		const t = io();
		const code = await main(
			[
				...offline(join(dataDir, 'kcmo_resident_survey_fy2022_q3_mar2022.csv'), kcMapping),
				'--waves',
				join(fixtures, 'kc-resident.waves.json'),
				'--wave',
				'FY2022 Q3'
			],
			t.io
		);
		expect(code).toBe(EXIT.ok);
		expect(t.out).toContain(
			'kcmo_resident_survey_fy2022_q3_mar2022.csv → survey "kc-resident", wave 00000000-0000-4000-a000-00000000f223'
		);
		expect(t.out).toContain('  accepted:       984');
	});

	it('lists row errors with row numbers, quoting each cell as written, and exits 2', async () => {
		const bad = file(
			'bad.csv',
			`${HEAD}\n1,1,4,3,NA,NA\n2,7,6,3,NA,NA\n3,1,99999999999999999999,3,NA,NA\n4,1,${'7'.repeat(5000)},NA,NA,NA\n5,1,5.000,NA,NA,NA\n6,1,+4,NA,NA,NA\n`
		);
		const t = io();
		expect(await main(offline(bad), t.io)).toBe(EXIT.rowErrors);
		expect(t.out).toContain('  with errors:    5');
		expect(t.out.some((l) => l.startsWith('  row 3, column "counci": "7" is not an option'))).toBe(
			true
		);
		expect(t.out).toContain(
			`  row 3, column "q3_03": "6" is not a valid satisfaction5 answer (1–5, or 9 = don't know); map it to null in "codes" if it means no answer`
		);
		expect(t.out).toContain(
			`  row 4, column "q3_03": "99999999999999999999" is not a valid satisfaction5 answer (1–5, or 9 = don't know); map it to null in "codes" if it means no answer`
		);
		expect(t.out).toContain(
			`  row 5, column "q3_03": "777777777777777777777777…" (5000 characters) is not a valid satisfaction5 answer (1–5, or 9 = don't know); map it to null in "codes" if it means no answer`
		);
		expect(
			t.out.filter((l) =>
				/^ {2}row [67], column "q3_03": "(5\.000|\+4)" is not a satisfaction5 code/.test(l)
			)
		).toHaveLength(2);
		expect(t.text()).not.toMatch(/1e\+?20|null is|Infinity/);
	});

	it.skipIf(!haveData)(
		'a respondent id over 200 characters fails the dry run (the database would refuse it)',
		async () => {
			const longId = 'x'.repeat(201);
			const damaged = damagedQ1('long-id.csv', [[20, 'id', longId]]);
			const t = io();
			expect(await main(offline(damaged, kcMapping), t.io)).toBe(EXIT.rowErrors);
			expect(t.out).toContain('  accepted:       1032');
			expect(t.out).toContain(
				`  row 21, column "id": respondent id "${'x'.repeat(24)}…" (201 characters) is longer than 200 characters`
			);
		}
	);

	it('a header-only file and a filter that keeps nothing exit 3 and say why', async () => {
		const headerOnly = io();
		expect(await main(offline(file('header.csv', `${HEAD}\n`)), headerOnly.io)).toBe(EXIT.nothing);
		expect(headerOnly.err.at(-1)).toBe(
			`Nothing to import: the file has a header but no data rows. Check the file and the mapping's "filter".`
		);

		const mapping = JSON.parse(readFileSync(smallMapping, 'utf8'));
		const typo = file(
			'typo.mapping.json',
			JSON.stringify({ ...mapping, filter: { column: 'counci', equals: 'District 1' } })
		);
		const filtered = io();
		expect(await main(offline(smallCsv, typo), filtered.io)).toBe(EXIT.nothing);
		expect(filtered.err.at(-1)).toBe(
			`Nothing to import: the row filter kept none of the 3 rows ("counci" equals "District 1"; values found: "1" (1), "2" (1), "3" (1)). Check the file and the mapping's "filter".`
		);
		expect(filtered.text()).not.toContain('0 new');
	});

	it('explains a broken mapping and exits 1', async () => {
		const broken = file(
			'broken.json',
			JSON.stringify({ survey: 'kc-resident', wave: {}, id_column: 'id', columns: {} })
		);
		const t = io();
		expect(await main(offline(smallCsv, broken), t.io)).toBe(EXIT.failed);
		expect(t.err.join('\n')).toContain('wave: give the wave id, label or period');
	});

	it('needs a server or --definition, and says so', async () => {
		const t = io();
		expect(await main(['--file', smallCsv, '--mapping', smallMapping], t.io)).toBe(EXIT.failed);
		expect(t.err[0]).toContain('give --url and --key');
		expect(t.err[0]).toContain('--email');
	});

	it('rejects unknown options, and --apply with an offline definition', async () => {
		const t = io();
		expect(await main(['--file', smallCsv, '--mapping', smallMapping, '--aply'], t.io)).toBe(1);
		expect(t.err).toEqual(['unknown option --aply']);
		const u = io();
		expect(await main([...offline(smallCsv), '--apply'], u.io)).toBe(1);
		expect(u.err[0]).toContain('--definition is for an offline dry run');
	});

	it('names a missing import function clearly', async () => {
		const server = rpcImportServer({
			rpc: async (fn) => ({
				data: null,
				error: { code: 'PGRST202', message: `Could not find the function public.${fn}` }
			})
		});
		await expect(server.check([])).rejects.toThrow(
			'the server has no import_check function yet: apply the database migrations'
		);
	});
});

describe.each(ENGINES)('survey:import CLI against the embedded backend on %s', (engine) => {
	let db: TTestDb;
	let backend: LocalBackend;
	let env: TCliIo['env'];

	beforeAll(async () => {
		db = await openTestDb(engine);
		await loadImportFixture(db);
		backend = await startLocalBackend({ db, port: 0, skipPrepare: true, quiet: true });
		env = { PUBLIC_SUPABASE_URL: backend.url, SUPABASE_SERVICE_ROLE_KEY: backend.serviceRoleKey };
	}, 120_000);
	afterAll(async () => {
		await backend?.stop();
		await db?.close();
	});

	/** question_scores for q3_03 (streets), read as the service role sees it. */
	const streets = (waveId: string) =>
		db.transaction(async (tx) => {
			await tx.query(
				`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`
			);
			const { rows } = await tx.query<{
				r: { questions: { key: string; n_valid: number; percent_satisfied: number }[] };
			}>(`select public.question_scores($1) as r`, [waveId]);
			return rows[0].r.questions.find((q) => q.key === 'q3_03')!;
		});
	const countWave = async (waveId: string) =>
		Number(
			(
				await db.query<{ n: string }>(
					`select count(*)::text as n from public.responses where wave_id = $1`,
					[waveId]
				)
			).rows[0].n
		);
	const run = async (args: string[], extraEnv: TCliIo['env'] = {}) => {
		const t = io({ ...env, ...extraEnv });
		const code = await main(args, t.io);
		return { code, ...t };
	};
	const q1 = definition.wave.id;

	it('reads a survey whose waves are all closed the staff way (get_survey cannot serve it)', async () => {
		const res = await fetch(`${backend.url}/rest/v1/rpc/get_survey`, {
			method: 'POST',
			headers: { apikey: backend.serviceRoleKey, 'content-type': 'application/json' },
			body: JSON.stringify({ p_slug: 'kc-resident' })
		});
		expect((await res.json()).message).toBe(
			'Survey "kc-resident" is not open for responses right now'
		);
		const r = await run(['--file', smallCsv, '--mapping', smallMapping]);
		expect(r.code, r.text()).toBe(EXIT.ok);
		expect(r.out).toContain('Compared with the database:');
		expect(r.out).toContain('  new:            3');
		expect(r.out.at(-1)).toBe('An apply would write 3 new, leaving 0 unchanged.');
		expect(await countWave(q1)).toBe(0);
	});

	it.skipIf(!haveData)(
		'the real KCMO Q1 file: a damaged copy is refused whole; fix and re-import needs --replace, which updates answers and scores',
		async () => {
			const kc = (csv: string, ...more: string[]) => [
				'--file',
				csv,
				'--mapping',
				kcMapping,
				...more
			];
			// A copy whose respondent id on line 21 is 201 characters: the dry run catches it
			// (exit 2), and an apply writes nothing at all.
			const longId = damagedQ1('q1-long-id.csv', [[20, 'id', 'x'.repeat(201)]]);
			const dry = await run(kc(longId));
			expect(dry.code, dry.text()).toBe(EXIT.rowErrors);
			const refused = await run(kc(longId, '--apply'));
			expect(refused.code).toBe(EXIT.rowErrors);
			expect(refused.err.at(-1)).toBe(
				'Nothing written: fix the errors above, or pass --allow-row-errors to write only the valid rows.'
			);
			expect(await countWave(q1)).toBe(0);

			// First import of a copy with wrong answers: respondents on lines 1 and 2 say 1 (very
			// dissatisfied) about streets.
			const lines = readFileSync(KC_Q1, 'utf8').split('\n');
			const header = lines[0].split(',');
			const cellOf = (line: number, column: string) =>
				lines[line].split(',')[header.indexOf(column)];
			const ids = [cellOf(1, 'id'), cellOf(2, 'id')];
			const right = [cellOf(1, 'q3_03'), cellOf(2, 'q3_03')];
			expect(right).not.toContain('1');
			const wrong = damagedQ1('q1-wrong.csv', [
				[1, 'q3_03', '1'],
				[2, 'q3_03', '1']
			]);
			const first = await run(kc(wrong, '--apply'));
			expect(first.code, first.text()).toBe(EXIT.ok);
			expect(first.out.at(-1)).toBe(
				'Written in one transaction: 1033 new, 0 replaced, 0 already imported (unchanged), 0 changed but left as stored, 0 refused'
			);
			expect(await countWave(q1)).toBe(1033);
			const before = await streets(q1);

			// The corrected (real) file: the dry run names the two changed respondents.
			const check = await run(kc(KC_Q1));
			expect(check.code, check.text()).toBe(EXIT.changed);
			expect(check.out).toContain('  changed:        2 (already imported, the file differs)');
			expect(check.out).toContain('  unchanged:      1031 (already imported, same content)');
			expect(check.out).toContain(`  row 2, respondent "${ids[0]}": q3_03 1 → ${Number(right[0])}`);
			expect(check.out.at(-1)).toContain('An apply would write nothing: 2 respondents changed');

			// Apply without --replace: refused, nothing changes.
			const noReplace = await run(kc(KC_Q1, '--apply'));
			expect(noReplace.code).toBe(EXIT.changed);
			expect(noReplace.err.at(-1)).toContain(
				'Nothing written: 2 respondents were already imported with different content'
			);
			expect(await streets(q1)).toEqual(before);

			// With --replace: the two respondents' answers and the scores follow the file.
			const replaced = await run(kc(KC_Q1, '--apply', '--replace'));
			expect(replaced.code, replaced.text()).toBe(EXIT.ok);
			expect(replaced.out.at(-1)).toBe(
				'Written in one transaction: 0 new, 2 replaced, 1031 already imported (unchanged), 0 changed but left as stored, 0 refused'
			);
			const after = await streets(q1);
			const satisfiedNow = right.filter((v) => v === '4' || v === '5').length;
			expect(after.n_valid).toBe(before.n_valid);
			expect(after.percent_satisfied * after.n_valid).toBeCloseTo(
				before.percent_satisfied * before.n_valid + satisfiedNow,
				6
			);

			// Once more: everything unchanged, nothing written.
			const again = await run(kc(KC_Q1, '--apply'));
			expect(again.code).toBe(EXIT.ok);
			expect(again.out.at(-1)).toBe(
				'Written in one transaction: 0 new, 0 replaced, 1033 already imported (unchanged), 0 changed but left as stored, 0 refused'
			);
		},
		240_000
	);

	it('imports as a staff member with --email; a user token as --key is explained, not "Invalid API key"', async () => {
		const q3 = otherWaves[0].id;
		const args = ['--file', smallCsv, '--mapping', smallMapping, '--wave', 'FY2022 Q3', '--apply'];
		const staffEnv = {
			PUBLIC_SUPABASE_URL: backend.url,
			SUPABASE_SERVICE_ROLE_KEY: undefined,
			PUBLIC_SUPABASE_ANON_KEY: backend.anonKey,
			SURVEY_IMPORT_PASSWORD: SANDBOX_STAFF_PASSWORD
		};
		const asAnalyst = await run([...args, '--email', 'analyst@example.test'], staffEnv);
		expect(asAnalyst.code, asAnalyst.text()).toBe(EXIT.ok);
		expect(asAnalyst.out[0]).toBe('Import (as staff account analyst@example.test)');
		expect(await countWave(q3)).toBe(3);

		const asModerator = await run([...args, '--email', 'moderator@example.test'], staffEnv);
		expect(asModerator.code).toBe(EXIT.failed);
		expect(asModerator.err.at(-1)).toContain(
			'Only admins and analysts (or the service role) can import survey responses'
		);
		const wrongPassword = await run([...args, '--email', 'analyst@example.test'], {
			...staffEnv,
			SURVEY_IMPORT_PASSWORD: 'nope'
		});
		expect(wrongPassword.code).toBe(EXIT.failed);
		expect(wrongPassword.err.at(-1)).toContain('cannot sign in as analyst@example.test');

		// The access token of that session, given as --key, the way the old header suggested.
		const res = await fetch(`${backend.url}/auth/v1/token?grant_type=password`, {
			method: 'POST',
			headers: { apikey: backend.anonKey, 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'analyst@example.test', password: SANDBOX_STAFF_PASSWORD })
		});
		const token = ((await res.json()) as { access_token: string }).access_token;
		const asToken = await run([...args, '--key', token], { SUPABASE_SERVICE_ROLE_KEY: undefined });
		expect(asToken.code).toBe(EXIT.failed);
		expect(asToken.err.at(-1)).toContain(
			`--key looks like a user's access token (role "authenticated"), not an API key`
		);
		expect(asToken.err.at(-1)).toContain('use --email <address>');
		const asAnon = await run([...args, '--key', backend.anonKey]);
		expect(asAnon.err.at(-1)).toContain('--key is the anon (public) key');
	});
});
