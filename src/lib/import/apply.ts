import type { TImportPlan, TImportResponse, TPlannedRow } from './plan';

/**
 * The server side of an import, as the database offers it (migration
 * `20261206000200_stage_and_commit_imports.sql`; `rpcImportServer` in ./rpc-writer is the
 * production adapter):
 *
 * - `check`: the dry run — one verdict per row, nothing stored;
 * - `stage`: the same verdicts, and the batch is kept on the server under a client-made import
 *   id; nothing reaches the responses yet;
 * - `commit`: one transaction that writes every staged row or none; committing again answers
 *   the same result and writes nothing;
 * - `discard`: drops an uncommitted import.
 *
 * So "all or nothing" holds across any number of batches: a file of 5,000 rows is staged in
 * batches of 500 (each call small enough for an API statement timeout) and becomes visible in
 * the one commit. Every write is idempotent by client-made ids: response ids are UUID v5 of
 * wave + respondent id, and the import id keys the staging and the commit.
 */
export interface TImportServer {
	check(rows: TImportResponse[]): Promise<TImportVerdict[]>;
	stage(importId: string, waveId: string, rows: TImportResponse[]): Promise<TImportVerdict[]>;
	commit(importId: string, options: TCommitOptions): Promise<TImportCommitResult>;
	discard(importId: string): Promise<boolean>;
}

export type TImportStatus = 'new' | 'unchanged' | 'changed' | 'rejected';

/** One difference between what is stored for a respondent and what the file says. */
export interface TImportChange {
	/** A question key, or a response field (`weight`, `district`, `language`, `mode`, …). */
	key: string;
	stored: unknown;
	file: unknown;
}

/** The server's answer for one row, in the order sent. */
export interface TImportVerdict {
	id: string | null;
	status: TImportStatus;
	reason: string | null;
	errors?: { question: string; message: string }[];
	/** The stored response of this respondent (unchanged / changed). */
	existing_id?: string | null;
	/** What differs (changed). */
	changes?: TImportChange[];
}

export interface TCommitOptions {
	expectedRows: number;
	replace: boolean;
	allowRowErrors: boolean;
}

/** What `import_commit` answers. */
export interface TImportCommitResult {
	import_id: string;
	wave_id: string;
	rows: number;
	new: number;
	unchanged: number;
	replaced: number;
	changed_left: number;
	rejected: number;
	committed_at: string;
	/** true when the import had been committed before (nothing was written this time). */
	replayed: boolean;
}

/** A planned row with the server's verdict on it. */
export interface TCheckedRow {
	row: number;
	source_id: string;
	id: string;
	status: TImportStatus;
	reason: string | null;
	changes: TImportChange[];
}

export interface TImportCheckReport {
	counts: Record<TImportStatus, number>;
	/** Rows the server refused, and respondents whose stored answers differ from the file. */
	rejected: TCheckedRow[];
	changed: TCheckedRow[];
}

export interface TImportApplyReport extends TImportCheckReport {
	import_id: string;
	/**
	 * `written`: committed (see `committed`); `refused`: nothing was written, because rows were
	 * refused (`rejected`) or respondents changed without `replace` (`changed`).
	 */
	outcome: 'written' | 'refused';
	refusal: 'rejected' | 'changed' | null;
	committed: TImportCommitResult | null;
}

/** There is nothing to write: no data rows, or the row filter kept none. */
export class NothingToImportError extends Error {}

export interface TBatchOptions {
	/** Rows per server call (default 500; the server takes at most 1,000). */
	batchSize?: number;
	onBatch?: (done: number, total: number) => void;
}

function batchSizeOf(options: TBatchOptions): number {
	const size = options.batchSize ?? 500;
	if (!Number.isInteger(size) || size < 1 || size > 1000) {
		throw new RangeError('batchSize must be an integer from 1 to 1000');
	}
	return size;
}

/** Sends the rows in batches and pairs each verdict with its planned row. */
async function inBatches(
	rows: TPlannedRow[],
	send: (batch: TImportResponse[]) => Promise<TImportVerdict[]>,
	options: TBatchOptions
): Promise<TImportCheckReport> {
	const size = batchSizeOf(options);
	const report: TImportCheckReport = {
		counts: { new: 0, unchanged: 0, changed: 0, rejected: 0 },
		rejected: [],
		changed: []
	};
	for (let start = 0; start < rows.length; start += size) {
		const chunk = rows.slice(start, start + size);
		const verdicts = await send(chunk.map((r) => r.response));
		if (!Array.isArray(verdicts) || verdicts.length !== chunk.length) {
			throw new Error(
				`the server answered ${Array.isArray(verdicts) ? verdicts.length : 'no'} results for ${chunk.length} rows`
			);
		}
		verdicts.forEach((v, k) => {
			const planned = chunk[k];
			if (v.id !== planned.response.id) {
				throw new Error(
					`the server answered for ${v.id} where ${planned.response.id} was expected`
				);
			}
			report.counts[v.status]++;
			const checked: TCheckedRow = {
				row: planned.row,
				source_id: planned.source_id,
				id: planned.response.id,
				status: v.status,
				reason: v.reason,
				changes: v.changes ?? []
			};
			if (v.status === 'rejected') report.rejected.push(checked);
			else if (v.status === 'changed') report.changed.push(checked);
		});
		options.onBatch?.(Math.min(start + size, rows.length), rows.length);
	}
	return report;
}

function requireRows(plan: TImportPlan): void {
	if (plan.rows.length === 0) {
		throw new NothingToImportError(nothingMatched(plan) ?? 'no row of the file can be imported');
	}
}

/**
 * Why a plan has nothing to import, in words, or null when it has rows (or only errors, which
 * the error list explains). Covers a header-only file and a row filter that kept no row.
 */
export function nothingMatched(plan: TImportPlan): string | null {
	const s = plan.stats;
	if (s.rows_accepted > 0 || s.rows_rejected > 0) return null;
	if (s.rows_read === 0) return 'the file has a header but no data rows';
	const f = plan.filter_summary;
	const seen = f?.values.length
		? `; values found: ${f.values.map((v) => `${JSON.stringify(v.value)} (${v.count})`).join(', ')}`
		: '';
	return `the row filter kept none of the ${s.rows_read} rows${f ? ` (${f.description}${seen})` : ''}`;
}

/**
 * The server half of the dry run: asks the database for its verdict on every planned row
 * (new, unchanged, changed with what differs, or rejected with the reason). Writes nothing.
 */
export async function checkImport(
	plan: TImportPlan,
	server: TImportServer,
	options: TBatchOptions = {}
): Promise<TImportCheckReport> {
	return inBatches(plan.rows, (batch) => server.check(batch), options);
}

/**
 * Applies a plan: stages every row, then commits them in one transaction — or writes nothing.
 *
 * - A plan with row errors is refused unless `allowRowErrors` (rows with errors are never sent).
 * - If the server refuses a row, nothing is written unless `allowRowErrors` (then the others
 *   are written).
 * - A respondent already imported with different content ("changed") is updated only with
 *   `replace`; without it nothing is written, unless `allowRowErrors` (then it is left as
 *   stored and the rest is written).
 * - Unchanged respondents are counted and left alone, so applying the same file again writes
 *   nothing.
 * Refusals are returned (`outcome: 'refused'`), and the staged rows are discarded. Network or
 * server failures throw; nothing is written unless the commit itself went through, and running
 * the same import again is always safe.
 */
export async function applyImport(
	plan: TImportPlan,
	server: TImportServer,
	options: TBatchOptions & {
		allowRowErrors?: boolean;
		replace?: boolean;
		/** Client-made id of this import (default: a random UUID). */
		importId?: string;
	} = {}
): Promise<TImportApplyReport> {
	requireRows(plan);
	if (plan.errors.length && !options.allowRowErrors) {
		throw new Error(
			`the dry run found ${plan.errors.length} error(s) in ${plan.stats.rows_rejected} row(s); fix the file or the mapping, or allow row errors to import only the ${plan.rows.length} valid rows`
		);
	}
	const importId = options.importId ?? crypto.randomUUID();
	const allow = options.allowRowErrors ?? false;
	const replace = options.replace ?? false;
	let staged: TImportCheckReport;
	try {
		staged = await inBatches(
			plan.rows,
			(batch) => server.stage(importId, plan.wave_id, batch),
			options
		);
	} catch (e) {
		await server.discard(importId).catch(() => false);
		throw e;
	}
	const refusal =
		staged.rejected.length && !allow
			? 'rejected'
			: staged.changed.length && !replace && !allow
				? 'changed'
				: null;
	if (refusal) {
		await server.discard(importId).catch(() => false);
		return { ...staged, import_id: importId, outcome: 'refused', refusal, committed: null };
	}
	let committed: TImportCommitResult;
	try {
		committed = await server.commit(importId, {
			expectedRows: plan.rows.length,
			replace,
			allowRowErrors: allow
		});
	} catch (e) {
		// Harmless if the commit did go through (a committed import is never discarded).
		await server.discard(importId).catch(() => false);
		throw e;
	}
	return { ...staged, import_id: importId, outcome: 'written', refusal: null, committed };
}
