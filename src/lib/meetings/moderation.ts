/**
 * Staff side of the comment feed: the moderator reads `meeting_feed` with their own session
 * (RLS and the function show them pending and hidden comments too) and acts through
 * `moderate_comment`, which the database allows only to admins and moderators. No
 * `ensureSession` here: an expired staff session must not quietly become an anonymous one.
 */
import { getSupabase } from '$lib/supabase/client';
import { unwrap } from '$lib/supabase/rest';
import type { TModerationAction } from '$lib/supabase/types';
import type { TFeedComment, TFeedPage } from './feed';
import { MEETING_COLUMNS, type TMeeting } from './schedule';

export async function fetchStaffFeed(meetingId: string, after: string | null): Promise<TFeedPage> {
	const client = await getSupabase();
	return unwrap(await client.rpc('meeting_feed', { p_meeting_id: meetingId, p_after: after }));
}

export async function moderate(
	commentId: string,
	action: TModerationAction,
	reason: string | null = null
): Promise<TFeedComment> {
	const client = await getSupabase();
	return unwrap(
		await client.rpc('moderate_comment', {
			p_comment_id: commentId,
			p_action: action,
			p_reason: reason
		})
	);
}

/** What a moderator changes while running a meeting: live / ended, comments open / closed. */
export type TMeetingControl = Partial<Pick<TMeeting, 'status' | 'comments_open'>>;

/**
 * Update the meeting row (RLS: admins and moderators). Absolute values, so a retry is harmless.
 * Attendees' pages follow within one poll: `meeting_feed` carries status and comments_open.
 */
export async function controlMeeting(
	meetingId: string,
	change: TMeetingControl
): Promise<TMeeting> {
	const client = await getSupabase();
	return unwrap(
		await client
			.from('meetings')
			.update(change)
			.eq('id', meetingId)
			.select(MEETING_COLUMNS)
			.single()
	);
}
