/**
 * The public record of a meeting's comments, as CSV: every comment with its moderation state,
 * answer and votes (`meeting_comment_record`). The public gets it once the meeting is over, with
 * the text and name of comments that were never published or were hidden withheld; moderators
 * and admins get the full text and the reasons for hiding, at any time.
 */
import type { TLanguage, TLocalized } from '$domain/survey';
import { toCsv } from '$lib/import/csv';
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

/** The CSV columns (the header row is in English: a stable format for scripts and archives). */
export const RECORD_HEADERS = [
	'id',
	'created_at',
	'kind',
	'agenda_item',
	'display_name',
	'body',
	'status',
	'withheld',
	'answered',
	'answer',
	'answered_at',
	'pinned',
	'vote_count',
	'moderation_reason'
] as const;

/** The record as CSV; agenda item titles in `lang`. Staff-only columns stay empty in public copies. */
export function recordCsv(record: TCommentRecord, lang: TLanguage): string {
	return toCsv(record.comments, [
		{ header: 'id', value: (c) => c.id },
		{ header: 'created_at', value: (c) => c.created_at },
		{ header: 'kind', value: (c) => c.kind },
		{ header: 'agenda_item', value: (c) => c.agenda_item?.[lang] ?? '' },
		{ header: 'display_name', value: (c) => c.display_name },
		{ header: 'body', value: (c) => c.body },
		{ header: 'status', value: (c) => c.status },
		{ header: 'withheld', value: (c) => c.withheld },
		{ header: 'answered', value: (c) => c.answered },
		{ header: 'answer', value: (c) => c.answer },
		{ header: 'answered_at', value: (c) => c.answered_at },
		{ header: 'pinned', value: (c) => c.pinned },
		{ header: 'vote_count', value: (c) => c.vote_count },
		{ header: 'moderation_reason', value: (c) => c.moderation_reason }
	]);
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
