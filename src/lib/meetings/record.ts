/**
 * The public record of a meeting's comments, as CSV: every comment with its moderation state,
 * answer and votes (`meeting_comment_record`). The public gets it once the meeting is over, with
 * the text and name of comments that were never published or were hidden withheld; moderators
 * and admins get the full text and the reasons for hiding, at any time. The CSV writer is in
 * record-csv.ts (it brings papaparse, which the meeting page loads only on download).
 */
import type { TLocalized } from '$domain/survey';
import type { TCommentKind, TCommentStatus } from './feed';

export interface TRecordComment {
	id: string;
	created_at: string;
	kind: TCommentKind;
	agenda_item_id: string | null;
	agenda_item: TLocalized | null;
	status: TCommentStatus;
	/** The text and name are withheld from this copy (never published, or hidden). */
	withheld: boolean;
	display_name: string | null;
	body: string | null;
	/** Staff copies only. */
	moderation_reason: string | null;
	answered: boolean;
	answer: string | null;
	answered_at: string | null;
	pinned: boolean;
	vote_count: number;
}

export interface TCommentRecord {
	meeting_id: string;
	/** true: the full staff copy. */
	staff: boolean;
	comments: TRecordComment[];
}

/** Whether the public record is out: the meeting ended, was cancelled, or is past its end. */
export function recordIsPublic(
	m: { status: string; starts_at: string; ends_at: string | null },
	now: Date = new Date()
): boolean {
	if (m.status === 'ended' || m.status === 'cancelled') return true;
	const end = m.ends_at
		? new Date(m.ends_at).getTime()
		: new Date(m.starts_at).getTime() + 2 * 3600_000;
	return end <= now.getTime();
}

export const recordFilename = (title: string, startsAt: string) =>
	`comments-${startsAt.slice(0, 10)}-${title
		.normalize('NFKD')
		.replace(/[^\w\s-]/g, '')
		.trim()
		.replace(/\s+/g, '-')
		.toLowerCase()
		.slice(0, 60)}.csv`;
