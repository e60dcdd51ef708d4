/**
 * The real sender: `supabase.rpc('submit_responses', { p_responses })`. supabase-js is imported
 * here dynamically, on the first send, never on first paint.
 *
 * Error classification decides whether data could be lost, so it errs towards "transient":
 * network failures, timeouts, 401/403 (a session problem the next try can fix), 408, 429 and 5xx
 * are retried with backoff. Only a request the server understood and refused (another 4xx, or an
 * answer that is not a result array) is permanent — and even then the entry is kept, marked
 * rejected with the server's message, never deleted.
 */
import type { TResponseSubmission, TSubmitResult } from '$domain/survey';
import { SendError, type TSender } from './engine';

const TRANSIENT_STATUS = new Set([0, 401, 403, 408, 425, 429]);

function isResultArray(data: unknown): data is TSubmitResult[] {
	return (
		Array.isArray(data) &&
		data.every(
			(r) =>
				r &&
				typeof r === 'object' &&
				typeof (r as TSubmitResult).id === 'string' &&
				['accepted', 'duplicate', 'rejected'].includes((r as TSubmitResult).status)
		)
	);
}

/** A failed queued send: permanent only when the server understood the request and refused it. */
export function sendErrorFor(error: { message: string }, status: number): SendError {
	const permanent = status >= 400 && status < 500 && !TRANSIENT_STATUS.has(status);
	return new SendError(error.message || `HTTP ${status}`, permanent);
}

export const supabaseSender: TSender = async (items: TResponseSubmission[], options) => {
	let client;
	try {
		const mod = await import('$lib/supabase/client');
		if (options?.handover) {
			// The session of the person who handed the device on, kept with their queued items.
			const { db } = await import('$lib/db/db');
			client = await mod.handoverClient(db, options.handover);
		} else {
			client = await mod.getSupabase();
			await mod.ensureSession(client);
		}
	} catch (err) {
		throw new SendError(
			`Could not connect: ${err instanceof Error ? err.message : String(err)}`,
			false
		);
	}
	const { data, error, status } = await client.rpc('submit_responses', { p_responses: items });
	if (error) throw sendErrorFor(error, status);
	if (!isResultArray(data))
		throw new SendError('The server answered in an unexpected format.', false);
	return data;
};
