import { describe, expect, it } from 'vitest';
import { parseCsv } from '$lib/import/csv';
import { recordIsPublic, type TCommentRecord } from './record';
import { RECORD_HEADERS, recordCsv } from './record-csv';

const record: TCommentRecord = {
	meeting_id: 'm1',
	staff: false,
	comments: [
		{
			id: 'c1',
			created_at: '2026-11-12T18:10:00Z',
			kind: 'question',
			agenda_item_id: 'a1',
			agenda_item: { en: 'Streets, sidewalks', es: 'Calles, aceras' },
			status: 'published',
			withheld: false,
			display_name: 'Maria "G."',
			body: 'Line one\nline two, with a comma',
			moderation_reason: null,
			answered: true,
			answer: 'Next spring.',
			answered_at: '2026-11-12T18:30:00Z',
			pinned: false,
			vote_count: 4
		},
		{
			id: 'c2',
			created_at: '2026-11-12T18:20:00Z',
			kind: 'comment',
			agenda_item_id: null,
			agenda_item: null,
			status: 'hidden',
			withheld: true,
			display_name: null,
			body: null,
			moderation_reason: null,
			answered: false,
			answer: null,
			answered_at: null,
			pinned: false,
			vote_count: 0
		}
	]
};

describe('recordCsv', () => {
	it('writes one row per comment with its state and answer, readable by a CSV parser', () => {
		const table = parseCsv(recordCsv(record, 'es'));
		expect(table.header).toEqual([...RECORD_HEADERS]);
		expect(table.records).toHaveLength(2);
		const row = Object.fromEntries(table.header.map((h, i) => [h, table.records[0][i]]));
		expect(row).toMatchObject({
			id: 'c1',
			kind: 'question',
			agenda_item: 'Calles, aceras',
			display_name: 'Maria "G."',
			body: 'Line one\nline two, with a comma',
			status: 'published',
			withheld: 'false',
			answered: 'true',
			answer: 'Next spring.',
			vote_count: '4'
		});
		const hidden = Object.fromEntries(table.header.map((h, i) => [h, table.records[1][i]]));
		expect(hidden).toMatchObject({ status: 'hidden', withheld: 'true', body: '', answer: '' });
	});
});

describe('recordIsPublic', () => {
	const at = new Date('2026-11-12T21:00:00Z');
	it('is public once the meeting ended, was cancelled or is past its end', () => {
		const base = { starts_at: '2026-11-12T18:00:00Z', ends_at: '2026-11-12T20:00:00Z' };
		expect(recordIsPublic({ ...base, status: 'live' }, at)).toBe(true);
		expect(recordIsPublic({ ...base, status: 'ended' }, new Date('2026-11-12T18:30:00Z'))).toBe(
			true
		);
		expect(recordIsPublic({ ...base, status: 'live' }, new Date('2026-11-12T19:00:00Z'))).toBe(
			false
		);
		expect(recordIsPublic({ ...base, status: 'cancelled' }, new Date('2026-01-01T00:00:00Z'))).toBe(
			true
		);
	});
});
