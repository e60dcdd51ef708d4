/** The public record of a meeting's comments as CSV (see record.ts). */
import type { TLanguage } from '$domain/survey';
import { toCsv } from '$lib/import/csv';
import type { TCommentRecord } from './record';

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
