/**
 * Anonymous read-only RPCs over plain `fetch` (get_survey, check_invitation, public results).
 * These need no session, so the survey can load and start without downloading supabase-js;
 * requests have the same shape supabase-js would send (POST /rest/v1/rpc/<fn>, apikey header).
 */
import { loadConfig } from './config';
import type { Database } from './types';

/** Names the schema has (a misspelt or dropped function or table is a compile error). */
type TFunctionName = keyof Database['public']['Functions'];
type TTableName = keyof Database['public']['Tables'];

export class RpcError extends Error {
	readonly status: number;
	readonly code: string | null;
	constructor(message: string, status: number, code: string | null) {
		super(message);
		this.name = 'RpcError';
		this.status = status;
		this.code = code;
	}
}

/** A supabase-js answer (`{ data, error, status }`) as its data, or thrown as an `RpcError`. */
export function unwrap<T>(answer: {
	data: T | null;
	error: { message: string; code?: string } | null;
	status: number;
}): T {
	if (answer.error)
		throw new RpcError(answer.error.message, answer.status, answer.error.code ?? null);
	return answer.data as T;
}

export async function callRpc<T>(
	fn: TFunctionName,
	args: Record<string, unknown>,
	signal?: AbortSignal
): Promise<T> {
	const { supabaseUrl, anonKey } = await loadConfig();
	const res = await fetch(`${supabaseUrl}/rest/v1/rpc/${fn}`, {
		method: 'POST',
		headers: {
			apikey: anonKey,
			authorization: `Bearer ${anonKey}`,
			'content-type': 'application/json',
			accept: 'application/json'
		},
		body: JSON.stringify(args),
		signal
	});
	return rpcAnswer<T>(res.status, await res.text());
}

/** An RPC's HTTP answer as its data, or thrown as an `RpcError` with PostgREST's message and code. */
export function rpcAnswer<T>(status: number, text: string): T {
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		body = text;
	}
	if (status < 200 || status > 299) {
		const err = (body && typeof body === 'object' ? body : {}) as {
			message?: string;
			code?: string;
		};
		throw new RpcError(err.message ?? `HTTP ${status}`, status, err.code ?? null);
	}
	return body as T;
}

/** A public table read (`GET /rest/v1/<table>?<query>`), e.g. published waves, measures, targets. */
export async function selectRows<T>(
	table: TTableName,
	query: string,
	signal?: AbortSignal
): Promise<T[]> {
	const { supabaseUrl, anonKey } = await loadConfig();
	const res = await fetch(`${supabaseUrl}/rest/v1/${table}?${query}`, {
		headers: { apikey: anonKey, authorization: `Bearer ${anonKey}`, accept: 'application/json' },
		signal
	});
	if (!res.ok) {
		const err = (await res.json().catch(() => ({}))) as { message?: string; code?: string };
		throw new RpcError(err.message ?? `HTTP ${res.status}`, res.status, err.code ?? null);
	}
	return (await res.json()) as T[];
}
