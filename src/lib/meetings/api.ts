/**
 * Network calls of the meeting pages. Reading the feed needs no account (plain `fetch`, anon
 * key) until the attendee posts or votes; from then on the feed is read with their session so
 * it includes their own comments waiting for review and which comments they upvoted. supabase-js
 * is imported only then.
 */
import { AUTH_STORAGE_KEY } from '$lib/supabase/config';
import { callRpc, unwrap } from '$lib/supabase/rest';
import { SendError } from '$lib/sync/engine';
import { sendErrorFor } from '$lib/sync/transport';
import type { TCommentPayload } from '$lib/db/db';
import type { TCommentSender } from './comment-outbox';
import type { TFeedPage } from './feed';

/** True when this browser already holds a Supabase session (an earlier post or vote). */
export function hasSession(): boolean {
	try {
		return !!localStorage.getItem(AUTH_STORAGE_KEY);
	} catch {
		return false;
	}
}

async function signedInClient() {
	const mod = await import('$lib/supabase/client');
	const client = await mod.getSupabase();
	await mod.ensureSession(client);
	return client;
}

export async function fetchFeed(meetingId: string, after: string | null): Promise<TFeedPage> {
	const args = { p_meeting_id: meetingId, p_after: after };
	if (!hasSession()) return callRpc<TFeedPage>('meeting_feed', args);
	return unwrap(await (await signedInClient()).rpc('meeting_feed', args));
}

export const commentSender: TCommentSender = async (items: TCommentPayload[]) => {
	let client;
	try {
		client = await signedInClient();
	} catch (err) {
		throw new SendError(
			`Could not connect: ${err instanceof Error ? err.message : String(err)}`,
			false
		);
	}
	const { data, error, status } = await client.rpc('submit_comments', { p_comments: items });
	if (error) throw sendErrorFor(error, status);
	if (!Array.isArray(data))
		throw new SendError('The server answered in an unexpected format.', false);
	return data;
};

export async function voteComment(
	commentId: string,
	up: boolean
): Promise<{ comment_id: string; vote_count: number; voted: boolean }> {
	const client = await signedInClient();
	return unwrap(await client.rpc('vote_comment', { p_comment_id: commentId, p_up: up }));
}
