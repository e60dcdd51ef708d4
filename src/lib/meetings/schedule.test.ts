import { describe, expect, it } from 'vitest';
import {
	acceptsComments,
	cached,
	commentsOpenLater,
	groupMeetings,
	type TMeeting
} from './schedule';
import { MemoryStorage } from '$lib/test-storage';

const m = (id: string, status: TMeeting['status'], starts_at: string): TMeeting => ({
	id,
	goal_area_id: null,
	title: { en: id, es: id },
	description: null,
	starts_at,
	ends_at: new Date(new Date(starts_at).getTime() + 2 * 3600_000).toISOString(),
	stream_url: null,
	location: null,
	status,
	moderation: 'post',
	comments_open: false,
	time_zone: 'America/Chicago',
	recording_url: null,
	comments_open_from: null,
	comments_open_until: null,
	revision: 0,
	revised_at: starts_at,
	created_at: starts_at
});

describe('groupMeetings', () => {
	const now = new Date('2026-06-10T12:00:00Z');
	const list = [
		m('jan', 'ended', '2026-01-13T15:00:00Z'),
		m('may', 'ended', '2026-05-12T14:00:00Z'),
		m('jun', 'live', '2026-06-10T11:30:00Z'),
		m('aug', 'scheduled', '2026-08-11T14:00:00Z'),
		m('jul', 'scheduled', '2026-07-14T14:00:00Z'),
		m('stale', 'scheduled', '2026-04-14T14:00:00Z'),
		m('sep', 'cancelled', '2026-09-08T14:00:00Z')
	];
	it('shows the live meeting, then upcoming soonest first, then the archive latest first', () => {
		const g = groupMeetings(list, now);
		expect(g.live.map((x) => x.id)).toEqual(['jun']);
		expect(g.upcoming.map((x) => x.id)).toEqual(['jul', 'aug', 'sep']);
		expect(g.past.map((x) => x.id)).toEqual(['may', 'stale', 'jan']);
	});
	it('puts every meeting in exactly one group', () => {
		const g = groupMeetings(list, now);
		expect(g.live.length + g.upcoming.length + g.past.length).toBe(list.length);
	});
});

describe('cached', () => {
	it('serves the last good copy when the network fails, and the error when there is none', async () => {
		const storage = new MemoryStorage() as unknown as Storage;
		await expect(
			cached('k', () => Promise.reject(new TypeError('offline')), storage)
		).rejects.toThrow('offline');
		const online = await cached('k', async () => ({ n: 1 }), storage);
		expect(online).toEqual({ source: 'network', value: { n: 1 } });
		const offline = await cached('k', () => Promise.reject(new TypeError('offline')), storage);
		expect(offline.source).toBe('cache');
		expect(offline.value).toEqual({ n: 1 });
	});
});

describe('acceptsComments', () => {
	const now = new Date('2026-06-10T12:00:00Z');
	const open = { ...m('x', 'scheduled', '2026-06-11T14:00:00Z'), comments_open: true };
	it('follows the moderators’ switch, the status and the comment window', () => {
		expect(acceptsComments(open, now)).toBe(true);
		expect(acceptsComments({ ...open, comments_open: false }, now)).toBe(false);
		expect(acceptsComments({ ...open, status: 'ended' }, now)).toBe(false);
		expect(acceptsComments({ ...open, status: 'cancelled' }, now)).toBe(false);
		const later = { ...open, comments_open_from: '2026-06-10T13:00:00Z' };
		expect(acceptsComments(later, now)).toBe(false);
		expect(commentsOpenLater(later, now)).toBe(true);
		expect(acceptsComments(later, new Date('2026-06-10T13:00:00Z'))).toBe(true);
		const closing = { ...open, comments_open_until: '2026-06-10T12:00:00Z' };
		expect(acceptsComments(closing, now)).toBe(false);
		expect(acceptsComments(closing, new Date('2026-06-10T11:59:59Z'))).toBe(true);
	});
});
