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
import type { TFeedPage, TFeedQuery } from './feed';

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

export async function fetchFeed(meetingId: string, query: TFeedQuery): Promise<TFeedPage> {
	const args = {
		p_meeting_id: meetingId,
		p_after: query.after,
		p_before: query.before ?? null,
		p_limit: query.limit ?? null
	};
	if (!hasSession()) return callRpc<TFeedPage>('meeting_feed', args);
	return unwrap(await (await signedInClient()).rpc('meeting_feed', args));
}

export const commentSender: TCommentSender = async (items: TCommentPayload[], options) => {
	let client;
	try {
		if (options?.handover) {
			// Written by the person who handed the device on: sent under their kept session.
			const [mod, { db }] = await Promise.all([
				import('$lib/supabase/client'),
				import('$lib/db/db')
			]);
			client = await mod.handoverClient(db, options.handover);
		} else client = await signedInClient();
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

/**
 * Realtime Broadcast nudges where the backend has Realtime (hosted Supabase): the database
 * sends `changed` on the public topic `meeting:<id>` for every comment change. Where it has
 * none (the embedded backend) or the socket fails, the channel is dropped so supabase-js stops
 * retrying, and the poller's timer alone keeps the feed fresh. Loads supabase-js lazily; no
 * session is needed (a public broadcast topic).
 */
export const subscribeNudges = (meetingId: string, nudge: () => void): (() => void) => {
	let stopped = false;
	let remove: (() => void) | null = null;
	void (async () => {
		try {
			const mod = await import('$lib/supabase/client');
			const client = await mod.getSupabase();
			if (stopped) return;
			const channel = client
				.channel(`meeting:${meetingId}`)
				.on('broadcast', { event: 'changed' }, () => nudge());
			remove = () => void client.removeChannel(channel);
			channel.subscribe((status) => {
				if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') remove?.();
			});
		} catch {
			// No Realtime: polling only.
		}
	})();
	return () => {
		stopped = true;
		remove?.();
	};
};
