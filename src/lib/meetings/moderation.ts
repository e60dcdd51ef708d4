/**
 * Staff side of the comment feed: the moderator reads `meeting_feed` with their own session
 * (RLS and the function show them pending and hidden comments too) and acts through
 * `moderate_comment`, which the database allows only to admins and moderators. No
 * `ensureSession` here: an expired staff session must not quietly become an anonymous one.
 */
import { getSupabase } from '$lib/supabase/client';
import { unwrap } from '$lib/supabase/rest';
import type { TFeedComment, TFeedPage } from './feed';
import { MEETING_COLUMNS, type TMeeting } from './schedule';

/** What `moderate_comment` can do to a comment. */
export type TModerationAction = 'publish' | 'hide' | 'answer' | 'unanswer' | 'pin' | 'unpin';

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

/**
 * Mark a published comment answered, with the answer everyone will see (null: no text). Sending
 * the same text again changes nothing; `moderate(id, 'unanswer')` takes the answer back.
 */
export async function answerComment(
	commentId: string,
	answer: string | null
): Promise<TFeedComment> {
	const client = await getSupabase();
	return unwrap(await client.rpc('answer_comment', { p_comment_id: commentId, p_answer: answer }));
}

/** What a moderator changes while running a meeting: live / ended, comments open / closed. */
export type TMeetingControl = Partial<
	Pick<TMeeting, 'status' | 'comments_open' | 'comments_open_from' | 'comments_open_until'>
>;

/**
 * "Open comments" means open now: besides the switch, lift a window bound that would keep them
 * closed at this moment (a window an admin set, which has not started or has already ended).
 */
export function openNow(
	m: Pick<TMeeting, 'comments_open_from' | 'comments_open_until'>,
	now: Date = new Date()
): TMeetingControl {
	const change: TMeetingControl = { comments_open: true };
	if (m.comments_open_from && new Date(m.comments_open_from).getTime() > now.getTime())
		change.comments_open_from = null;
	if (m.comments_open_until && new Date(m.comments_open_until).getTime() <= now.getTime())
		change.comments_open_until = null;
	return change;
}

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
