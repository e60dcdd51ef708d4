import type { TCommitOptions, TImportCommitResult, TImportServer, TImportVerdict } from './apply';
import type { TImportResponse } from './plan';

/** The part of a supabase-js client the adapter uses (structural, so no runtime dependency). */
export interface TRpcCaller {
	rpc(
		fn: string,
		args: Record<string, unknown>
	): PromiseLike<{
		data: unknown;
		error: { code?: string; message: string; hint?: string | null } | null;
	}>;
}

/** The import RPCs (migration 20261206000200_stage_and_commit_imports.sql). */
export const IMPORT_RPCS = {
	check: 'import_check',
	stage: 'import_stage',
	commit: 'import_commit',
	discard: 'import_discard'
} as const;

/** A PostgREST "function not found" answer: the RPC is not deployed (yet). */
export function isMissingFunction(error: { code?: string; message?: string }): boolean {
	return (
		error.code === 'PGRST202' ||
		error.code === '42883' ||
		/could not find the function/i.test(error.message ?? '')
	);
}

/**
 * The production `TImportServer`: the import RPCs through a service-role client (CLI) or a
 * staff session (staff UI). Errors keep the server's message and hint (they say why nothing
 * was written and what to do).
 */
export function rpcImportServer(client: TRpcCaller): TImportServer {
	const call = async <T>(fn: string, args: Record<string, unknown>): Promise<T> => {
		const { data, error } = await client.rpc(fn, args);
		if (error) {
			if (isMissingFunction(error)) {
				throw new Error(
					`the server has no ${fn} function yet: apply the database migrations (20261206000200_stage_and_commit_imports.sql), then run the import again (nothing was written)`
				);
			}
			throw new Error(`${fn}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
		}
		return data as T;
	};
	return {
		check: (rows: TImportResponse[]) => call<TImportVerdict[]>(IMPORT_RPCS.check, { p_rows: rows }),
		stage: (importId: string, waveId: string, rows: TImportResponse[]) =>
			call<TImportVerdict[]>(IMPORT_RPCS.stage, {
				p_import_id: importId,
				p_wave_id: waveId,
				p_rows: rows
			}),
		commit: (importId: string, o: TCommitOptions) =>
			call<TImportCommitResult>(IMPORT_RPCS.commit, {
				p_import_id: importId,
				p_expected_rows: o.expectedRows,
				p_replace: o.replace,
				p_allow_row_errors: o.allowRowErrors
			}),
		discard: (importId: string) => call<boolean>(IMPORT_RPCS.discard, { p_import_id: importId })
	};
}
