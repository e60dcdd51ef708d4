import { describe, expect, it } from 'vitest';
import {
	FeedPoller,
	mergeFeed,
	sortComments,
	type TFeedComment,
	type TFeedPage,
	type TFeedQuery
} from './feed';

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
			fetch: async (_id, { after }) => {
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
			fetch: async (_id, { after }) => {
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
			fetch: async (_id, { after }) => {
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

	it('asks for the newest page first, then older pages on request, without moving the poll cursor', async () => {
		const queries: TFeedQuery[] = [];
		const answers: TFeedPage[] = [
			{ ...page([c('n3'), c('n2')], 'c1'), full: true, older: 'k2' },
			{ ...page([c('n1')], 'c9'), full: false, older: null },
			page([c('n4')], 'c2')
		];
		const poller = new FeedPoller({
			meetingId: 'm1',
			pageSize: 2,
			fetch: async (_id, q) => {
				queries.push(q);
				return answers.shift()!;
			},
			onPage: () => {},
			onError: () => {},
			setTimer: () => 0,
			clearTimer: () => {}
		});
		await poller.refresh();
		expect(poller.hasOlder).toBe(true);
		await poller.loadOlder();
		expect(poller.hasOlder).toBe(false);
		await poller.refresh();
		expect(queries).toEqual([
			{ after: null, limit: 2 },
			{ after: null, before: 'k2', limit: 2 },
			{ after: 'c1', limit: 2 } // the first page's cursor, not the older page's
		]);
		expect([...poller.comments.keys()].sort()).toEqual(['n1', 'n2', 'n3', 'n4']);
	});

	/** A fake clock and timers, so nudges and the polling interval can be stepped through. */
	function fakeTime() {
		let now = 0;
		let timers: { at: number; fn: () => void; id: number }[] = [];
		let next = 1;
		return {
			now: () => now,
			setTimer: (fn: () => void, ms: number) => {
				timers.push({ at: now + ms, fn, id: next });
				return next++;
			},
			clearTimer: (h: unknown) => (timers = timers.filter((t) => t.id !== h)),
			async advance(ms: number) {
				const until = now + ms;
				for (;;) {
					const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
					if (!due) break;
					timers = timers.filter((t) => t !== due);
					now = due.at;
					due.fn();
					for (let i = 0; i < 5; i++) await Promise.resolve();
				}
				now = until;
			}
		};
	}

	const settle = async () => {
		for (let i = 0; i < 5; i++) await Promise.resolve();
	};

	it('polls at once when a Realtime nudge arrives, without waiting for the interval', async () => {
		const time = fakeTime();
		let nudge!: () => void;
		let unsubscribed = false;
		const calls: (string | null)[] = [];
		const poller = new FeedPoller({
			meetingId: 'm1',
			fetch: async (_id, { after }) => {
				calls.push(after);
				return page([c(`a${calls.length}`)], `c${calls.length}`);
			},
			onPage: () => {},
			onError: () => {},
			intervalMs: 4_000,
			nudgeGapMs: 1_000,
			subscribe: (id, fn) => {
				expect(id).toBe('m1');
				nudge = fn;
				return () => (unsubscribed = true);
			},
			...time
		});
		poller.start();
		await settle();
		expect(calls).toEqual([null]);
		await time.advance(1_500);
		nudge();
		await settle();
		expect(calls).toEqual([null, 'c1']); // 1.5 s after the first poll, not 4 s
		expect(poller.comments.has('a2')).toBe(true);
		poller.stop();
		expect(unsubscribed).toBe(true);
	});

	it('answers a burst of nudges with one poll once the gap has passed', async () => {
		const time = fakeTime();
		let nudge!: () => void;
		let calls = 0;
		const poller = new FeedPoller({
			meetingId: 'm1',
			fetch: async () => page([], `c${++calls}`),
			onPage: () => {},
			onError: () => {},
			intervalMs: 60_000,
			nudgeGapMs: 1_000,
			nudgeSpreadMs: 500,
			random: () => 0.5,
			subscribe: (_id, fn) => ((nudge = fn), () => {}),
			...time
		});
		poller.start();
		await settle();
		for (let i = 0; i < 10; i++) nudge(); // right after the first poll
		await time.advance(1_200);
		expect(calls).toBe(1);
		await time.advance(100); // 1,000 ms gap + 250 ms spread
		expect(calls).toBe(2);
		poller.stop();
	});

	it('keeps polling on its interval when Realtime is absent or fails to subscribe', async () => {
		for (const subscribe of [
			null,
			() => {
				throw new Error('no realtime');
			}
		]) {
			const time = fakeTime();
			let calls = 0;
			const poller = new FeedPoller({
				meetingId: 'm1',
				fetch: async () => page([], `c${++calls}`),
				onPage: () => {},
				onError: () => {},
				intervalMs: 4_000,
				subscribe,
				...time
			});
			poller.start();
			await settle();
			await time.advance(12_000);
			expect(calls).toBe(4); // at 0, 4, 8 and 12 s
			poller.stop();
			await time.advance(12_000);
			expect(calls).toBe(4);
		}
	});
});
