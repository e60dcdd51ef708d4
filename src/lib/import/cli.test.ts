import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type TCliIo } from './cli';
import type { TImportResponse } from './plan';

const fixtures = fileURLToPath(new URL('../../../tests/fixtures/import/', import.meta.url));
const dataDir = fileURLToPath(new URL('../../../../shared/survey-data/', import.meta.url));
const haveData = existsSync(dataDir);
if (!haveData) console.warn(`real-file CLI tests skipped: ${dataDir} is absent`);

function io(env: TCliIo['env'] = {}) {
	const out: string[] = [];
	const err: string[] = [];
	return {
		out,
		err,
		io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }
	};
}

const tmp = mkdtempSync(join(tmpdir(), 'survey-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const kcMapping = join(fixtures, 'kcmo-fy2022.mapping.json');
const kcDefinition = join(fixtures, 'kc-resident.definition.json');
/** A small CSV in the KCMO layout: the three top-3 columns, one service and the district. */
const smallCsv = join(tmp, 'small.csv');
writeFileSync(
	smallCsv,
	'id,counci,q3_03,q4_01,q4_02,q4_03\n1,1,4,3,NA,NA\n2,2,2,3,1,NA\n3,3,9,99,NA,NA\n'
);
const smallMapping = join(tmp, 'small.mapping.json');
writeFileSync(
	smallMapping,
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

describe('survey:import CLI, dry run (offline with --definition)', () => {
	it.skipIf(!haveData)(
		'reports the KCMO Q1 file: 1,033 rows read and accepted, no errors',
		async () => {
			const t = io();
			const code = await main(
				[
					'--file',
					join(dataDir, 'kcmo_resident_survey_fy2022_q1_sep2021.csv'),
					'--mapping',
					kcMapping,
					'--definition',
					kcDefinition
				],
				t.io
			);
			expect(code).toBe(0);
			expect(t.out).toContain('Dry run (nothing written)');
			expect(t.out).toContain('  rows read:      1033');
			expect(t.out).toContain('  accepted:       1033');
			expect(t.out).toContain('  with errors:    0');
		}
	);

	it.skipIf(!haveData)('--wave sends the March 2022 file to the FY2022 Q3 wave', async () => {
		const t = io();
		const code = await main(
			[
				'--file',
				join(dataDir, 'kcmo_resident_survey_fy2022_q3_mar2022.csv'),
				'--mapping',
				kcMapping,
				'--definition',
				kcDefinition,
				'--waves',
				join(fixtures, 'kc-resident.waves.json'),
				'--wave',
				'FY2022 Q3'
			],
			t.io
		);
		expect(code).toBe(0);
		expect(t.out).toContain(
			'kcmo_resident_survey_fy2022_q3_mar2022.csv → survey "kc-resident", wave 00000000-0000-4000-a000-00000000f223'
		);
		expect(t.out).toContain('  accepted:       984');
	});

	it('lists row errors with row numbers and exits 2', async () => {
		const bad = join(tmp, 'bad.csv');
		writeFileSync(bad, 'id,counci,q3_03,q4_01,q4_02,q4_03\n1,1,4,3,NA,NA\n2,7,6,3,NA,NA\n');
		const t = io();
		const code = await main(
			['--file', bad, '--mapping', smallMapping, '--definition', kcDefinition],
			t.io
		);
		expect(code).toBe(2);
		expect(t.out).toContain('  with errors:    1');
		expect(t.out.some((l) => l.startsWith('  row 3, column "counci": "7" is not an option'))).toBe(
			true
		);
		expect(t.out).toContain(
			`  row 3, column "q3_03": 6 is not a valid satisfaction5 answer (1–5, or 9 = don't know); map it to null in "codes" if it means no answer`
		);
	});

	it('explains a broken mapping and exits 1', async () => {
		const broken = join(tmp, 'broken.json');
		writeFileSync(
			broken,
			JSON.stringify({ survey: 'kc-resident', wave: {}, id_column: 'id', columns: {} })
		);
		const t = io();
		expect(
			await main(['--file', smallCsv, '--mapping', broken, '--definition', kcDefinition], t.io)
		).toBe(1);
		expect(t.err.join('\n')).toContain('wave: give the wave id, label or period');
	});

	it('needs a server or --definition, and says so', async () => {
		const t = io();
		expect(await main(['--file', smallCsv, '--mapping', smallMapping], t.io)).toBe(1);
		expect(t.err[0]).toContain('give --url and --key');
	});

	it('rejects unknown options', async () => {
		const t = io();
		expect(await main(['--file', smallCsv, '--mapping', smallMapping, '--aply'], t.io)).toBe(1);
		expect(t.err).toEqual(['unknown option --aply']);
	});
});

/**
 * A stand-in for PostgREST: get_survey returns the fixture definition; import_responses is
 * either missing (PGRST202, as before its migration exists) or an idempotent in-memory store.
 */
describe('survey:import CLI, --apply against a PostgREST stand-in', () => {
	let server: Server;
	let url = '';
	let haveImportRpc = false;
	const store = new Map<string, TImportResponse>();
	const seenAuth: string[] = [];

	beforeAll(async () => {
		const definition = readFileSync(kcDefinition, 'utf8');
		server = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				seenAuth.push(String(req.headers.authorization));
				res.setHeader('content-type', 'application/json');
				if (req.url === '/rest/v1/rpc/get_survey') return res.end(definition);
				if (req.url?.startsWith('/rest/v1/survey_waves')) return res.end('[]');
				if (req.url === '/rest/v1/rpc/import_responses' && haveImportRpc) {
					const rows = JSON.parse(body).p_rows as TImportResponse[];
					return res.end(
						JSON.stringify(
							rows.map((r) => {
								const status = store.has(r.id) ? 'duplicate' : 'accepted';
								if (status === 'accepted') store.set(r.id, r);
								return { id: r.id, status, reason: null };
							})
						)
					);
				}
				res.statusCode = 404;
				res.end(
					JSON.stringify({
						code: 'PGRST202',
						message: `Could not find the function public.${req.url?.split('/').pop()} in the schema cache`,
						details: null,
						hint: null
					})
				);
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((r) => server.close(() => r())));

	const args = () => ['--file', smallCsv, '--mapping', smallMapping, '--apply', '--url', url];

	it('fails clearly when the import RPC does not exist yet', async () => {
		haveImportRpc = false;
		const t = io({ SUPABASE_SERVICE_ROLE_KEY: 'service-key' });
		expect(await main(args(), t.io)).toBe(1);
		expect(t.err.at(-1)).toBe(
			'Import failed: the server has no import_responses(p_rows jsonb) function yet: apply the migration that adds it, then run the import again (nothing was written)'
		);
		expect(seenAuth.at(-1)).toBe('Bearer service-key');
	});

	it('writes once; the same file again changes nothing', async () => {
		haveImportRpc = true;
		const first = io();
		expect(await main([...args(), '--key', 'k'], first.io)).toBe(0);
		expect(first.out.at(-1)).toBe(
			'Written: 3 new, 0 already imported (unchanged), 0 rejected by the server'
		);
		const stored = structuredClone([...store]);
		expect(stored.map(([, r]) => r.answers)).toEqual([
			{ district: '1', q3_03: 4, q4: ['q3_03'] },
			{ district: '2', q3_03: 2, q4: ['q3_03', 'q3_01'] },
			{ district: '3', q3_03: 9 }
		]);
		const again = io();
		expect(await main([...args(), '--key', 'k'], again.io)).toBe(0);
		expect(again.out.at(-1)).toBe(
			'Written: 0 new, 3 already imported (unchanged), 0 rejected by the server'
		);
		expect([...store]).toEqual(stored);
	});
});
