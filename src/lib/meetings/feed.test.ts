import { describe, expect, it } from 'vitest';
import { FeedPoller, mergeFeed, sortComments, type TFeedComment, type TFeedPage } from './feed';

const c = (id: string, over: Partial<TFeedComment> = {}): TFeedComment => ({
	id,
	meeting_id: 'm1',
	agenda_item_id: null,
	display_name: null,
	kind: 'question',
	body: `body ${id}`,
	status: 'published',
	answered: false,
	answer: null,
	answered_at: null,
	pinned: false,
	vote_count: 0,
	version: 1,
	mine: false,
	voted: false,
	moderation_reason: null,
	created_at: `2026-12-01T10:00:0${id.slice(-1)}Z`,
	updated_at: `2026-12-01T10:00:0${id.slice(-1)}Z`,
	...over
});

describe('mergeFeed', () => {
	it('adds new comments and replaces a held comment with a newer version', () => {
		const held = mergeFeed(new Map(), [c('a1'), c('a2')]);
		const next = mergeFeed(held, [c('a1', { version: 2, answered: true })]);
		expect(next.get('a1')?.answered).toBe(true);
		expect(next.size).toBe(2);
		expect(held.get('a1')?.answered).toBe(false); // the input map is not changed
	});

	it('ignores an older copy re-sent by the overlap window', () => {
		const held = mergeFeed(new Map(), [c('a1', { version: 3, vote_count: 5 })]);
		const next = mergeFeed(held, [c('a1', { version: 2, vote_count: 4 })]);
		expect(next.get('a1')?.vote_count).toBe(5);
	});

	it('is idempotent: the same page twice gives the same result', () => {
		const page = [c('a1'), c('a2', { version: 2 })];
		const once = mergeFeed(new Map(), page);
		const twice = mergeFeed(once, page);
		expect([...twice.values()]).toEqual([...once.values()]);
	});

	it('removes a comment a moderator hid (tombstone), unless a newer version is held', () => {
		const held = mergeFeed(new Map(), [c('a1', { version: 2 }), c('a2', { version: 5 })]);
		const next = mergeFeed(held, [
			{ id: 'a1', version: 3, status: 'hidden', removed: true },
			{ id: 'a2', version: 4, status: 'hidden', removed: true }
		]);
		expect(next.has('a1')).toBe(false);
		expect(next.has('a2')).toBe(true);
	});
});

describe('sortComments', () => {
	const list = [
		c('a1', { vote_count: 1 }),
		c('a2', { vote_count: 7 }),
		c('a3', { vote_count: 7 }),
		c('a4', { pinned: true })
	];
	it('puts pinned first, then most upvoted with the older first among ties', () => {
		expect(sortComments(list, 'top').map((x) => x.id)).toEqual(['a4', 'a2', 'a3', 'a1']);
	});
	it('puts pinned first, then newest first', () => {
		expect(sortComments(list, 'new').map((x) => x.id)).toEqual(['a4', 'a3', 'a2', 'a1']);
	});
});

describe('FeedPoller', () => {
	const page = (items: TFeedPage['items'], cursor: string): TFeedPage => ({
		meeting: { id: 'm1', status: 'live', comments_open: true, moderation: 'post' },
		items,
		cursor
	});

	it('sends the last cursor on the next poll and merges what comes back', async () => {
		const seen: (string | null)[] = [];
		const pages = [page([c('a1')], 'c1'), page([c('a2')], 'c2')];
		let merged: Map<string, TFeedComment> = new Map();
		const poller = new FeedPoller({
			meetingId: 'm1',
			fetch: async (_id, after) => {
				seen.push(after);
				return pages.shift()!;
			},
			onPage: (_p, m) => (merged = m),
			onError: () => {},
			setTimer: () => 0,
			clearTimer: () => {}
		});
		await poller.refresh();
		await poller.refresh();
		expect(seen).toEqual([null, 'c1']);
		expect([...merged.keys()].sort()).toEqual(['a1', 'a2']);
	});

	it('replaces what it holds when the server sends the full set (e.g. after losing the cursor)', async () => {
		const pages = [page([c('a1'), c('a2')], 'c1'), { ...page([c('a2')], 'c0'), full: true }];
		const poller = new FeedPoller({
			meetingId: 'm1',
			fetch: async () => pages.shift()!,
			onPage: () => {},
			onError: () => {},
			setTimer: () => 0,
			clearTimer: () => {}
		});
		await poller.refresh();
		await poller.refresh();
		expect([...poller.comments.keys()]).toEqual(['a2']);
	});

	it('keeps what it has and the cursor when a poll fails, and reports the error', async () => {
		const seen: (string | null)[] = [];
		let fail = false;
		const errors: unknown[] = [];
		const poller = new FeedPoller({
			meetingId: 'm1',
			fetch: async (_id, after) => {
				seen.push(after);
				if (fail) throw new TypeError('Failed to fetch');
				return page([c('a1')], 'c1');
			},
			onPage: () => {},
			onError: (e) => errors.push(e),
			setTimer: () => 0,
			clearTimer: () => {}
		});
		await poller.refresh();
		fail = true;
		await poller.refresh();
		fail = false;
		await poller.refresh();
		expect(seen).toEqual([null, 'c1', 'c1']);
		expect(errors).toHaveLength(1);
		expect(poller.comments.has('a1')).toBe(true);
	});

	it('runs a refresh requested during a poll right after it, so a change is not missed', async () => {
		let release!: () => void;
		const calls: (string | null)[] = [];
		const poller = new FeedPoller({
			meetingId: 'm1',
			fetch: async (_id, after) => {
				calls.push(after);
				if (calls.length === 1) await new Promise<void>((r) => (release = r));
				return page([], `c${calls.length}`);
			},
			onPage: () => {},
			onError: () => {},
			setTimer: () => 0,
			clearTimer: () => {}
		});
		const first = poller.refresh();
		void poller.refresh(); // while the first is in flight
		release();
		await first;
		await new Promise((r) => setTimeout(r, 0));
		await new Promise((r) => setTimeout(r, 0));
		expect(calls).toEqual([null, 'c1']);
	});
});
