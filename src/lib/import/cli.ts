/**
 * `npm run survey:import -- --file <csv> --mapping <json> [options]`
 *
 * Dry run by default: reads the CSV, checks it against the mapping and the survey definition,
 * prints the report and writes nothing. `--apply` writes the accepted rows through the import
 * RPC `import_responses(p_rows jsonb)` (service role key, or a staff access token as `--key`).
 *
 * Options:
 *   --file <csv>            microdata CSV (required)
 *   --mapping <json>        mapping file (required; see TImportMapping in ./mapping.ts)
 *   --definition <json>     survey definition (get_survey output) from a file: works offline
 *   --wave <id|label|period> target wave, overriding the mapping's
 *   --waves <json>          extra waves (array of TWave) the mapping may name by label/period
 *   --dry-run               report only (the default)
 *   --apply                 write the accepted rows
 *   --allow-row-errors      with --apply: write the valid rows even if some rows have errors
 *   --batch-size <n>        rows per RPC call (default 500)
 *   --max-errors <n>        errors listed in the report (default 50)
 *   --url <url>             Supabase URL (default $PUBLIC_SUPABASE_URL)
 *   --key <key>             service role key (default $SUPABASE_SERVICE_ROLE_KEY)
 *
 * Exit status: 0 done and no row errors; 1 usage, mapping, file or server problem;
 * 2 the file has row errors (nothing written unless --allow-row-errors).
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
import type { TSurveyDefinition, TWave } from '../domain/survey';
import { CsvError } from './csv';
import { ImportMappingError, parseMapping, type TImportMapping } from './mapping';
import { applyImport, planImport, type TImportPlan } from './plan';
import { isMissingFunction, rpcImportWriter } from './rpc-writer';

export interface TCliIo {
	out: (line: string) => void;
	err: (line: string) => void;
	env: Record<string, string | undefined>;
}

const FLAGS = new Set(['--dry-run', '--apply', '--allow-row-errors', '--help']);
const VALUES = new Set([
	'--file',
	'--mapping',
	'--definition',
	'--wave',
	'--waves',
	'--batch-size',
	'--max-errors',
	'--url',
	'--key'
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

function connect(args: Map<string, string | true>, env: TCliIo['env']): SupabaseClient {
	const url = (args.get('--url') as string | undefined) ?? env.PUBLIC_SUPABASE_URL;
	const key = (args.get('--key') as string | undefined) ?? env.SUPABASE_SERVICE_ROLE_KEY;
	if (!url || !key) {
		throw new UsageError(
			'give --url and --key (or set PUBLIC_SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY) to load the survey or to --apply; a dry run can use --definition <json> instead'
		);
	}
	// A one-shot script: no session storage, no token refresh timers keeping Node alive.
	// supabase-js builds its Realtime client eagerly and Node 20 has no global WebSocket; the
	// import never opens a socket, but the constructor needs a transport (the `ws` package).
	return createClient(url, key, {
		auth: { persistSession: false, autoRefreshToken: false },
		// ws's class is structurally wider than the interface realtime-js declares.
		realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor }
	});
}

async function loadDefinition(client: SupabaseClient, slug: string): Promise<TSurveyDefinition> {
	const { data, error } = await client.rpc('get_survey', { p_slug: slug });
	if (error) {
		if (isMissingFunction(error)) {
			throw new Error('the server has no get_survey function: apply the database migrations first');
		}
		throw new Error(`get_survey("${slug}") failed: ${error.message}`);
	}
	if (!data) throw new Error(`get_survey("${slug}") returned nothing: is the survey open?`);
	return data as TSurveyDefinition;
}

/** The survey's other waves, so a mapping can name a past wave; best effort (RLS may hide them). */
async function loadWaves(client: SupabaseClient, surveyId: string): Promise<TWave[]> {
	const { data, error } = await client
		.from('survey_waves')
		.select('id,label,period,mode,opens_at,closes_at')
		.eq('survey_id', surveyId);
	return error || !data ? [] : (data as TWave[]);
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
		const shown = s.unmapped_columns.slice(0, 12).join(', ');
		const more = s.unmapped_columns.length > 12 ? `, … (${s.unmapped_columns.length} in all)` : '';
		io.out(`  ignored columns: ${shown}${more}`);
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

/** Runs the CLI; returns the exit status. Exported for tests. */
export async function main(argv: string[], io: TCliIo): Promise<number> {
	try {
		const args = parseArgs(argv);
		if (args.has('--help')) {
			io.out(
				'usage: npm run survey:import -- --file <csv> --mapping <json> [--definition <json>] [--wave <id|label|period>] [--apply]'
			);
			return 0;
		}
		const file = args.get('--file') as string | undefined;
		const mappingPath = args.get('--mapping') as string | undefined;
		if (!file || !mappingPath) throw new UsageError('give --file <csv> and --mapping <json>');
		if (args.has('--apply') && args.has('--dry-run')) {
			throw new UsageError('choose --dry-run or --apply, not both');
		}
		const apply = args.has('--apply');
		const num = (name: string, fallback: number) => {
			const v = args.get(name);
			if (v === undefined) return fallback;
			const n = Number(v);
			if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer`);
			return n;
		};
		const batchSize = num('--batch-size', 500);
		const maxErrors = num('--max-errors', 50);
		const mapping = parseMapping(readJson(mappingPath, 'mapping'));
		let csv: string;
		try {
			csv = readFileSync(file, 'utf8');
		} catch (e) {
			throw new UsageError(`cannot read the CSV ${file}: ${(e as Error).message}`);
		}

		const needServer = apply || !args.has('--definition');
		const client = needServer ? connect(args, io.env) : null;
		const definition = args.has('--definition')
			? (readJson(args.get('--definition') as string, 'definition') as TSurveyDefinition)
			: await loadDefinition(client!, mapping.survey);
		const waves: TWave[] = args.has('--waves')
			? (readJson(args.get('--waves') as string, 'waves file') as TWave[])
			: client
				? await loadWaves(client, definition.survey.id)
				: [];

		const plan = planImport(csv, mapping, definition, {
			waves,
			wave: waveOverride(args.get('--wave') as string | undefined)
		});
		io.out(apply ? 'Import' : 'Dry run (nothing written)');
		report(plan, file, maxErrors, io);
		if (!apply) return plan.errors.length ? 2 : 0;
		if (plan.errors.length && !args.has('--allow-row-errors')) {
			io.err(
				'Nothing written: fix the errors above, or pass --allow-row-errors to write only the valid rows.'
			);
			return 2;
		}

		const writer = rpcImportWriter(client!);
		const result = await applyImport(plan, writer, {
			batchSize,
			allowRowErrors: args.has('--allow-row-errors'),
			onBatch: (done, total) => io.err(`  written ${done} / ${total}`)
		});
		io.out(
			`Written: ${result.accepted} new, ${result.duplicate} already imported (unchanged), ${result.rejected.length} rejected by the server`
		);
		for (const r of result.rejected.slice(0, maxErrors)) io.out(`  row ${r.row}: ${r.reason}`);
		return result.rejected.length || plan.errors.length ? 2 : 0;
	} catch (e) {
		if (e instanceof ImportMappingError || e instanceof CsvError || e instanceof UsageError) {
			io.err(e.message);
		} else io.err(`Import failed: ${(e as Error).message}`);
		return 1;
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
