import type { TImportResponse, TImportWriteResult, TImportWriter } from './plan';

/** The part of a supabase-js client the writer uses (structural, so no runtime dependency). */
export interface TRpcCaller {
	rpc(
		fn: string,
		args: Record<string, unknown>
	): PromiseLike<{ data: unknown; error: { code?: string; message: string } | null }>;
}

/** Name of the import RPC the writer calls: `import_responses(p_rows jsonb)`. */
export const IMPORT_RPC = 'import_responses';

/** A PostgREST "function not found" answer: the RPC is not deployed (yet). */
export function isMissingFunction(error: { code?: string; message?: string }): boolean {
	return (
		error.code === 'PGRST202' ||
		error.code === '42883' ||
		/could not find the function/i.test(error.message ?? '')
	);
}

/**
 * The production writer for `applyImport`: one `import_responses(p_rows)` call per batch, with
 * a service-role client (CLI) or a staff session (staff UI). The RPC must answer one
 * `{ id, status, reason }` per row, in order, and be idempotent by id. A batch that fails on the
 * network can simply be retried (or the whole import re-run): rows already stored come back
 * `duplicate` and are not changed.
 */
export function rpcImportWriter(client: TRpcCaller): TImportWriter {
	return async (batch: TImportResponse[]): Promise<TImportWriteResult[]> => {
		const { data, error } = await client.rpc(IMPORT_RPC, { p_rows: batch });
		if (error) {
			if (isMissingFunction(error)) {
				throw new Error(
					`the server has no ${IMPORT_RPC}(p_rows jsonb) function yet: apply the migration that adds it, then run the import again (nothing was written)`
				);
			}
			throw new Error(`${IMPORT_RPC} failed: ${error.message}`);
		}
		return data as TImportWriteResult[];
	};
}
