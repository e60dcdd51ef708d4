/**
 * `npm run survey:import -- --file <csv> --mapping <json> [options]`
 *
 * Dry run by default: reads the CSV, checks every row against the mapping and the survey's
 * questions, then asks the database for its verdict on each row — new, unchanged (already
 * imported, same content), changed (already imported, the file now says something else: what
 * differs is listed) or refused (with the database's reason) — and writes nothing. The dry
 * run applies the same rules as the database, so a dry run that passes is followed by an apply
 * that writes every row.
 *
 * `--apply` writes ALL rows or NONE: the rows are staged on the server in batches
 * (`import_stage`), then written in one transaction (`import_commit`); see
 * `src/lib/import/apply.ts` and migration 20261206000200_stage_and_commit_imports.sql. Nothing
 * is written when a row is refused, or when a respondent changed and `--replace` is not given.
 * Re-running an import is always safe: response ids are UUID v5 of wave + respondent id, and
 * unchanged respondents are left alone.
 *
 * Who may import (the one supported way per role):
 *   service role  --key <service role key>, or $SUPABASE_SERVICE_ROLE_KEY (sb_secret_… keys too)
 *   admin/analyst --email <staff email>, password in $SURVEY_IMPORT_PASSWORD, with the project's
 *                 anon key (--anon-key or $PUBLIC_SUPABASE_ANON_KEY): the CLI signs in like the
 *                 staff area does. A user's access token is not an API key: given as --key it
 *                 is refused with this explanation.
 *
 * Options:
 *   --file <csv>             microdata CSV (required)
 *   --mapping <json>         mapping file (required; see TImportMapping in ./mapping.ts)
 *   --definition <json>      offline dry run: the survey definition from a file (no server is
 *                            asked; new/unchanged/changed are then unknown)
 *   --waves <json>           with --definition: the survey's other waves (array of TWave)
 *   --wave <id|label|period> target wave, overriding the mapping's
 *   --dry-run                report only (the default)
 *   --apply                  write the rows (all or none)
 *   --replace                update respondents whose stored answers differ from the file
 *                            (answers and score aggregates, in the same transaction)
 *   --allow-row-errors       write the valid rows even if some rows have errors or are refused
 *                            (and, without --replace, leave changed respondents as stored)
 *   --batch-size <n>         rows per server call while checking and staging (default 500, ≤ 1000)
 *   --max-errors <n>         problems listed per kind in the report (default 50)
 *   --url <url>              Supabase URL (default $PUBLIC_SUPABASE_URL)
 *   --key <key>              service role key (default $SUPABASE_SERVICE_ROLE_KEY)
 *   --email <address>        sign in as this admin/analyst instead of using a service role key
 *   --anon-key <key>         the anon key for --email (default $PUBLIC_SUPABASE_ANON_KEY)
 *
 * Exit status:
 *   0  done: the dry run found nothing wrong, or every row was written
 *   1  usage, mapping, file, sign-in or server problem (nothing written)
 *   2  rows with errors or refused by the database (nothing written, unless --allow-row-errors:
 *      then the other rows were written)
 *   3  nothing to import: the file has no data rows, or the row filter kept none
 *   4  respondents already imported with different content, without --replace (nothing written)
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	createClient,
	type SupabaseClient,
	type WebSocketLikeConstructor
} from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { TQuestion, TSurveyDefinition, TWave } from '../domain/survey';
import type { Database } from '../supabase/types';
import {
	applyImport,
	checkImport,
	nothingMatched,
	type TCheckedRow,
	type TImportChange,
	type TImportCheckReport
} from './apply';
import { CsvError } from './csv';
import { loadImportSurvey } from './definition';
import { ImportMappingError, parseMapping, type TImportMapping } from './mapping';
import { planImport, type TImportPlan } from './plan';
import { rpcImportServer } from './rpc-writer';

export interface TCliIo {
	out: (line: string) => void;
	err: (line: string) => void;
	env: Record<string, string | undefined>;
}

/** Exit statuses (see the header). */
export const EXIT = { ok: 0, failed: 1, rowErrors: 2, nothing: 3, changed: 4 } as const;

const FLAGS = new Set(['--dry-run', '--apply', '--replace', '--allow-row-errors', '--help']);
const VALUES = new Set([
	'--file',
	'--mapping',
	'--definition',
	'--wave',
	'--waves',
	'--batch-size',
	'--max-errors',
	'--url',
	'--key',
	'--email',
	'--anon-key'
]);

class UsageError extends Error {}

function parseArgs(argv: string[]): Map<string, string | true> {
	const args = new Map<string, string | true>();
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [name, inline] = a.includes('=')
			? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
			: [a, undefined];
		if (FLAGS.has(name)) args.set(name, true);
		else if (VALUES.has(name)) {
			const v = inline ?? argv[++i];
			if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
			args.set(name, v);
		} else throw new UsageError(`unknown option ${a}`);
	}
	return args;
}

function readJson(path: string, what: string): unknown {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (e) {
		throw new UsageError(`cannot read the ${what} ${path}: ${(e as Error).message}`);
	}
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new UsageError(`the ${what} ${path} is not valid JSON: ${(e as Error).message}`);
	}
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function waveOverride(v: string | undefined): TImportMapping['wave'] | undefined {
	if (v === undefined) return undefined;
	if (UUID.test(v)) return { id: v };
	return /^\d{4}(-Q[1-4])?$/.test(v) ? { period: v } : { label: v };
}

/** The `role` claim of a legacy JWT API key, or null for anything else (sb_… keys). */
function jwtRole(key: string): string | null {
	const parts = key.split('.');
	if (parts.length !== 3) return null;
	try {
		const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as {
			role?: unknown;
		};
		return typeof claims.role === 'string' ? claims.role : null;
	} catch {
		return null;
	}
}

function newClient(url: string, key: string): SupabaseClient<Database> {
	// A one-shot script: no session storage, no token refresh timers keeping Node alive.
	// supabase-js builds its Realtime client eagerly and Node 20 has no global WebSocket; the
	// import never opens a socket, but the constructor needs a transport (the `ws` package).
	return createClient<Database>(url, key, {
		auth: { persistSession: false, autoRefreshToken: false },
		// ws's class is structurally wider than the interface realtime-js declares.
		realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor }
	});
}

const STAFF_HELP =
	'to import as an admin or analyst, use --email <address> with the password in SURVEY_IMPORT_PASSWORD (and the anon key in --anon-key or PUBLIC_SUPABASE_ANON_KEY)';

/** A client with import rights: the service role key, or a staff member signed in by password. */
async function connect(
	args: Map<string, string | true>,
	env: TCliIo['env']
): Promise<{ client: SupabaseClient<Database>; who: string }> {
	const url = (args.get('--url') as string | undefined) ?? env.PUBLIC_SUPABASE_URL;
	const email = args.get('--email') as string | undefined;
	if (email !== undefined) {
		if (args.has('--key')) throw new UsageError('give --key or --email, not both');
		const anonKey = (args.get('--anon-key') as string | undefined) ?? env.PUBLIC_SUPABASE_ANON_KEY;
		const password = env.SURVEY_IMPORT_PASSWORD;
		if (!url || !anonKey || !password) {
			throw new UsageError(
				`--email needs ${[
					!url && '--url (or PUBLIC_SUPABASE_URL)',
					!anonKey && '--anon-key (or PUBLIC_SUPABASE_ANON_KEY)',
					!password && 'the password in SURVEY_IMPORT_PASSWORD (never on the command line)'
				]
					.filter(Boolean)
					.join(', ')}`
			);
		}
		const client = newClient(url, anonKey);
		const { error } = await client.auth.signInWithPassword({ email, password });
		if (error) throw new UsageError(`cannot sign in as ${email}: ${error.message}`);
		return { client, who: `staff account ${email}` };
	}
	const key = (args.get('--key') as string | undefined) ?? env.SUPABASE_SERVICE_ROLE_KEY;
	if (!url || !key) {
		throw new UsageError(
			`give --url and --key (or set PUBLIC_SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY) to check against the database or to --apply, or ${STAFF_HELP}; an offline dry run can use --definition <json> instead`
		);
	}
	const role = jwtRole(key);
	if (key.startsWith('sb_publishable_') || role === 'anon') {
		throw new UsageError(
			`--key is the anon (public) key, which may not import: give the service role key, or ${STAFF_HELP}`
		);
	}
	if (role !== null && role !== 'service_role') {
		throw new UsageError(
			`--key looks like a user's access token (role "${role}"), not an API key, and the API would answer "Invalid API key": give the service role key, or ${STAFF_HELP}`
		);
	}
	return { client: newClient(url, key), who: 'service role' };
}

const shown = (v: unknown): string =>
	v === null || v === undefined
		? '(none)'
		: typeof v === 'string'
			? JSON.stringify(v)
			: JSON.stringify(v);

export function describeChanges(changes: TImportChange[], max = 6): string {
	const parts = changes.slice(0, max).map((c) => `${c.key} ${shown(c.stored)} → ${shown(c.file)}`);
	if (changes.length > max) parts.push(`… (${changes.length} differences in all)`);
	return parts.join('; ');
}

function report(plan: TImportPlan, file: string, maxErrors: number, io: TCliIo): void {
	const s = plan.stats;
	io.out(`${basename(file)} → survey "${plan.survey_slug}", wave ${plan.wave_id}`);
	io.out(`  rows read:      ${s.rows_read}`);
	io.out(`  filtered out:   ${s.rows_filtered}`);
	io.out(`  accepted:       ${s.rows_accepted}`);
	io.out(`  with errors:    ${s.rows_rejected}`);
	io.out(`  answers:        ${s.answers}`);
	if (s.unmapped_columns.length) {
		const list = s.unmapped_columns.slice(0, 12).join(', ');
		const more = s.unmapped_columns.length > 12 ? `, … (${s.unmapped_columns.length} in all)` : '';
		io.out(`  ignored columns: ${list}${more}`);
	}
	if (plan.errors.length) {
		io.out(`Errors (${plan.errors.length}):`);
		for (const e of plan.errors.slice(0, maxErrors)) {
			io.out(`  row ${e.row}${e.column ? `, column "${e.column}"` : ''}: ${e.message}`);
		}
		if (plan.errors.length > maxErrors) {
			io.out(`  … and ${plan.errors.length - maxErrors} more (raise --max-errors to see them)`);
		}
	}
}

function listRows(
	title: string,
	rows: TCheckedRow[],
	line: (r: TCheckedRow) => string,
	maxErrors: number,
	io: TCliIo
) {
	if (!rows.length) return;
	io.out(`${title} (${rows.length}):`);
	for (const r of rows.slice(0, maxErrors))
		io.out(`  row ${r.row}, respondent ${JSON.stringify(r.source_id)}: ${line(r)}`);
	if (rows.length > maxErrors)
		io.out(`  … and ${rows.length - maxErrors} more (raise --max-errors to see them)`);
}

function reportVerdicts(check: TImportCheckReport, maxErrors: number, io: TCliIo): void {
	const c = check.counts;
	io.out('Compared with the database:');
	io.out(`  new:            ${c.new}`);
	io.out(`  unchanged:      ${c.unchanged} (already imported, same content)`);
	io.out(`  changed:        ${c.changed} (already imported, the file differs)`);
	io.out(`  refused:        ${c.rejected}`);
	listRows('Refused by the database', check.rejected, (r) => r.reason ?? 'refused', maxErrors, io);
	listRows(
		'Already imported with different content',
		check.changed,
		(r) => describeChanges(r.changes),
		maxErrors,
		io
	);
}

const CHANGED_HELP =
	'pass --replace to update their answers and the scores in one transaction, or --allow-row-errors to leave them as stored and write the rest';

/** Runs the CLI; returns the exit status. Exported for tests. */
export async function main(argv: string[], io: TCliIo): Promise<number> {
	try {
		const args = parseArgs(argv);
		if (args.has('--help')) {
			io.out(
				'usage: npm run survey:import -- --file <csv> --mapping <json> [--wave <id|label|period>] [--apply [--replace] [--allow-row-errors]] [--key <service role key> | --email <staff email>] [--definition <json>]  (all options: src/lib/import/cli.ts)'
			);
			return EXIT.ok;
		}
		const file = args.get('--file') as string | undefined;
		const mappingPath = args.get('--mapping') as string | undefined;
		if (!file || !mappingPath) throw new UsageError('give --file <csv> and --mapping <json>');
		if (args.has('--apply') && args.has('--dry-run')) {
			throw new UsageError('choose --dry-run or --apply, not both');
		}
		const apply = args.has('--apply');
		const replace = args.has('--replace');
		const allow = args.has('--allow-row-errors');
		if (apply && args.has('--definition')) {
			throw new UsageError(
				'--definition is for an offline dry run; --apply checks against the survey as the database has it'
			);
		}
		if (args.has('--waves') && !args.has('--definition')) {
			throw new UsageError(
				'--waves goes with --definition (online, every wave of the survey is read from the database)'
			);
		}
		const num = (name: string, fallback: number, max = Infinity) => {
			const v = args.get(name);
			if (v === undefined) return fallback;
			const n = Number(v);
			if (!Number.isInteger(n) || n < 1 || n > max) {
				throw new UsageError(
					`${name} must be a whole number from 1${max < Infinity ? ` to ${max}` : ''}`
				);
			}
			return n;
		};
		const batchSize = num('--batch-size', 500, 1000);
		const maxErrors = num('--max-errors', 50);
		const mapping = parseMapping(readJson(mappingPath, 'mapping'));
		let csv: string;
		try {
			csv = readFileSync(file, 'utf8');
		} catch (e) {
			throw new UsageError(`cannot read the CSV ${file}: ${(e as Error).message}`);
		}

		const offline = args.has('--definition');
		const conn = offline ? null : await connect(args, io.env);
		let definition: TSurveyDefinition;
		let waves: TWave[];
		// Offline (a saved definition): one version, the definition's own questions.
		let questionsByWave: Record<string, TQuestion[]> | undefined;
		if (offline) {
			definition = readJson(args.get('--definition') as string, 'definition') as TSurveyDefinition;
			waves = args.has('--waves')
				? (readJson(args.get('--waves') as string, 'waves file') as TWave[])
				: [];
		} else {
			({ definition, waves, questionsByWave } = await loadImportSurvey(
				conn!.client,
				mapping.survey
			));
		}

		const plan = planImport(csv, mapping, definition, {
			waves,
			questionsByWave,
			wave: waveOverride(args.get('--wave') as string | undefined)
		});
		io.out(apply ? `Import (as ${conn!.who})` : 'Dry run (nothing written)');
		report(plan, file, maxErrors, io);

		const nothing = nothingMatched(plan);
		if (nothing) {
			io.err(`Nothing to import: ${nothing}. Check the file and the mapping's "filter".`);
			return EXIT.nothing;
		}
		if (plan.rows.length === 0) {
			io.err('Nothing to import: every row has errors (listed above).');
			return EXIT.rowErrors;
		}
		const server = conn ? rpcImportServer(conn.client) : null;

		if (!apply) {
			if (!server) {
				io.out(
					'Offline check (--definition): the database was not asked which respondents are new, unchanged or changed.'
				);
				return plan.errors.length ? EXIT.rowErrors : EXIT.ok;
			}
			const check = await checkImport(plan, server, {
				batchSize,
				onBatch: (done, total) => io.err(`  checked ${done} / ${total}`)
			});
			reportVerdicts(check, maxErrors, io);
			if (plan.errors.length || check.counts.rejected) return EXIT.rowErrors;
			if (check.counts.changed && !replace) {
				io.out(
					`An apply would write nothing: ${check.counts.changed} respondents changed; ${CHANGED_HELP}.`
				);
				return EXIT.changed;
			}
			io.out(
				`An apply would write ${check.counts.new} new${replace ? ` and replace ${check.counts.changed}` : ''}, leaving ${check.counts.unchanged} unchanged.`
			);
			return EXIT.ok;
		}

		if (plan.errors.length && !allow) {
			io.err(
				'Nothing written: fix the errors above, or pass --allow-row-errors to write only the valid rows.'
			);
			return EXIT.rowErrors;
		}
		const result = await applyImport(plan, server!, {
			batchSize,
			allowRowErrors: allow,
			replace,
			onBatch: (done, total) => io.err(`  staged ${done} / ${total}`)
		});
		reportVerdicts(result, maxErrors, io);
		if (result.outcome === 'refused') {
			if (result.refusal === 'rejected') {
				io.err(
					`Nothing written: the database refused ${result.counts.rejected} rows (listed above). Fix them, or pass --allow-row-errors to write only the others.`
				);
				return EXIT.rowErrors;
			}
			io.err(
				`Nothing written: ${result.counts.changed} respondents were already imported with different content (listed above); ${CHANGED_HELP}.`
			);
			return EXIT.changed;
		}
		const c = result.committed!;
		io.out(
			`Written in one transaction: ${c.new} new, ${c.replaced} replaced, ${c.unchanged} already imported (unchanged), ${c.changed_left} changed but left as stored, ${c.rejected} refused${c.replayed ? ' (this import had already been committed; nothing new was written)' : ''}`
		);
		return plan.errors.length || c.rejected || c.changed_left ? EXIT.rowErrors : EXIT.ok;
	} catch (e) {
		if (e instanceof ImportMappingError || e instanceof CsvError || e instanceof UsageError) {
			io.err(e.message);
		} else io.err(`Import failed: ${(e as Error).message}`);
		return EXIT.failed;
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main(process.argv.slice(2), {
		out: (l) => console.log(l),
		err: (l) => console.error(l),
		env: process.env
	}).then((code) => {
		process.exitCode = code;
	});
}
