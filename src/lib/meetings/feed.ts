/**
 * The live comment feed of a meeting: cursor-based polling of `meeting_feed` (DESIGN §2: the
 * embedded backend has no Realtime and Realtime does not guarantee delivery, so correctness
 * never depends on it).
 *
 * The server's cursor is a transaction-snapshot watermark and every page overlaps the previous
 * one (rows that were still in flight are sent again), so the client must merge idempotently:
 * by id, keeping the highest `version`. A tombstone (`removed: true`) deletes the comment unless
 * we already hold a newer version of it.
 *
 * Long meetings are paged (migration 20261206000800): the first request asks for the newest
 * `pageSize` comments, older ones come on demand with `loadOlder()` (keyset pages that never
 * repeat or skip a comment), and every later poll asks only for the changes since the cursor.
 *
 * On hosted Supabase the database broadcasts a nudge on `meeting:<id>` for every comment change
 * (a trigger calling realtime.send); `subscribe` turns a nudge into an early poll. Nudges only
 * speed things up: the timer keeps polling whether or not they arrive.
 */
export type TCommentKind = 'comment' | 'question';
export type TCommentStatus = 'pending' | 'published' | 'hidden';

export interface TFeedComment {
	id: string;
	meeting_id: string;
	agenda_item_id: string | null;
	display_name: string | null;
	kind: TCommentKind;
	body: string;
	status: TCommentStatus;
	answered: boolean;
	/** The city's answer (public); null when not answered or answered without text. */
	answer: string | null;
	answered_at: string | null;
	pinned: boolean;
	vote_count: number;
	version: number;
	created_at: string;
	updated_at: string;
	mine: boolean;
	voted: boolean;
	moderation_reason: string | null;
	removed?: false;
}

export interface TFeedTombstone {
	id: string;
	version: number;
	status: 'hidden';
	removed: true;
}

export type TFeedItem = TFeedComment | TFeedTombstone;

export interface TFeedPage {
	meeting: { id: string; status: string; comments_open: boolean; moderation: 'pre' | 'post' };
	items: TFeedItem[];
	cursor: string;
	/** true: `items` is the whole visible set (first page, or the server lost our cursor): replace. */
	full?: boolean;
	/** Paged answers: the `p_before` string of the next older page; null when there is none. */
	older?: string | null;
}

export interface TFeedQuery {
	/** Changes since this cursor (a poll). */
	after: string | null;
	/** An older page: the `older` string of the previous page. */
	before?: string | null;
	/** Page size; absent: the whole set. */
	limit?: number;
}

const isTombstone = (item: TFeedItem): item is TFeedTombstone =>
	(item as TFeedTombstone).removed === true;

/** Merge a feed page into what we hold. Returns a new map; `current` is not modified. */
export function mergeFeed(
	current: ReadonlyMap<string, TFeedComment>,
	items: readonly TFeedItem[]
): Map<string, TFeedComment> {
	const next = new Map(current);
	for (const item of items) {
		const held = next.get(item.id);
		if (held && held.version > item.version) continue; // an older copy from the overlap window
		if (isTombstone(item)) next.delete(item.id);
		else next.set(item.id, item);
	}
	return next;
}

export type TSortOrder = 'top' | 'new';

/** Pinned first; then most upvoted (oldest first among ties) or newest first. */
export function sortComments(comments: Iterable<TFeedComment>, order: TSortOrder): TFeedComment[] {
	return [...comments].sort((a, b) => {
		if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
		if (order === 'top' && a.vote_count !== b.vote_count) return b.vote_count - a.vote_count;
		const byTime =
			order === 'top'
				? a.created_at.localeCompare(b.created_at)
				: b.created_at.localeCompare(a.created_at);
		return byTime || a.id.localeCompare(b.id);
	});
}

export type TFetchFeed = (meetingId: string, query: TFeedQuery) => Promise<TFeedPage>;

/** Listen for change nudges; returns the unsubscribe. Absent or failing: polling alone. */
export type TSubscribeNudges = (meetingId: string, nudge: () => void) => () => void;

export interface TPollerOptions {
	meetingId: string;
	fetch: TFetchFeed;
	onPage: (page: TFeedPage, comments: Map<string, TFeedComment>) => void;
	onError: (err: unknown) => void;
	intervalMs?: number;
	/** Comments per page (first request and `loadOlder`). */
	pageSize?: number;
	subscribe?: TSubscribeNudges | null;
	/**
	 * The least time between the start of one poll and a nudged one, plus a random spread: a
	 * busy meeting nudges every attendee several times a second, and a thousand screens must
	 * not each answer every nudge at the same instant.
	 */
	nudgeGapMs?: number;
	nudgeSpreadMs?: number;
	now?: () => number;
	random?: () => number;
	setTimer?: (fn: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
}

/**
 * Polls while started: every `intervalMs` (default 4 s), and at once on `refresh()` (after our
 * own post or vote, on `online`, when the tab becomes visible) or soon after a nudge. One request
 * at a time; a refresh requested during a request runs right after it, so nothing is missed.
 */
export class FeedPoller {
	#o: Required<Omit<TPollerOptions, 'subscribe'>> & { subscribe: TSubscribeNudges | null };
	#cursor: string | null = null;
	#older: string | null = null;
	/** Bumped on every full replace, so an older page fetched before it is dropped. */
	#generation = 0;
	#comments = new Map<string, TFeedComment>();
	#timer: unknown = null;
	#nudgeTimer: unknown = null;
	#lastPollAt = -Infinity;
	#inFlight: Promise<void> | null = null;
	#again = false;
	#running = false;
	#unsubscribe: (() => void) | null = null;

	constructor(options: TPollerOptions) {
		this.#o = {
			intervalMs: 4_000,
			pageSize: 50,
			subscribe: null,
			// In a busy meeting (nudges several times a second) a screen polls every 2–4 s, about
			// what the timer alone costs; in a quiet one a new comment shows at once.
			nudgeGapMs: 2_000,
			nudgeSpreadMs: 2_000,
			now: () => Date.now(),
			random: Math.random,
			setTimer: (fn, ms) => setTimeout(fn, ms),
			clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
			...options
		};
	}

	get comments(): ReadonlyMap<string, TFeedComment> {
		return this.#comments;
	}

	/** True while older comments than those held exist on the server. */
	get hasOlder(): boolean {
		return this.#older !== null;
	}

	start(): void {
		this.#running = true;
		if (this.#o.subscribe && !this.#unsubscribe) {
			try {
				this.#unsubscribe = this.#o.subscribe(this.#o.meetingId, () => this.nudge());
			} catch {
				this.#unsubscribe = null; // no Realtime here: the timer alone keeps the feed fresh
			}
		}
		void this.refresh();
	}

	stop(): void {
		this.#running = false;
		if (this.#timer !== null) this.#o.clearTimer(this.#timer);
		if (this.#nudgeTimer !== null) this.#o.clearTimer(this.#nudgeTimer);
		this.#timer = this.#nudgeTimer = null;
		this.#unsubscribe?.();
		this.#unsubscribe = null;
	}

	/** Forget the cursor and reload everything (e.g. after signing in: `mine`/`voted` change). */
	reset(): Promise<void> {
		this.#cursor = null;
		this.#older = null;
		this.#generation++;
		this.#comments = new Map();
		return this.refresh();
	}

	/**
	 * Something changed on the server: poll now, or, when a poll started less than `nudgeGapMs`
	 * ago, once that gap (plus a random spread) has passed. Nudges arriving meanwhile add nothing.
	 */
	nudge(): void {
		if (!this.#running || this.#nudgeTimer !== null) return;
		const wait = this.#lastPollAt + this.#o.nudgeGapMs - this.#o.now();
		if (wait <= 0) {
			void this.refresh();
			return;
		}
		this.#nudgeTimer = this.#o.setTimer(
			() => {
				this.#nudgeTimer = null;
				void this.refresh();
			},
			wait + Math.floor(this.#o.random() * this.#o.nudgeSpreadMs)
		);
	}

	refresh(): Promise<void> {
		if (this.#inFlight) {
			this.#again = true;
			return this.#inFlight;
		}
		this.#inFlight = this.#poll().finally(() => {
			this.#inFlight = null;
			if (this.#again) {
				this.#again = false;
				void this.refresh();
			} else this.#schedule();
		});
		return this.#inFlight;
	}

	/**
	 * The next older page, merged into what we hold. The poll cursor is left alone: an older
	 * page's cursor would skip changes to comments already held. On failure: reported, nothing
	 * held changes, and calling again retries the same page.
	 */
	async loadOlder(): Promise<void> {
		const before = this.#older;
		if (before === null) return;
		const generation = this.#generation;
		try {
			const page = await this.#o.fetch(this.#o.meetingId, {
				after: null,
				before,
				limit: this.#o.pageSize
			});
			if (generation !== this.#generation) return; // reloaded meanwhile: this page is stale
			this.#comments = mergeFeed(this.#comments, page.items);
			this.#older = page.older ?? null;
			this.#o.onPage(page, this.#comments);
		} catch (err) {
			this.#o.onError(err);
		}
	}

	async #poll(): Promise<void> {
		this.#lastPollAt = this.#o.now();
		try {
			const page = await this.#o.fetch(this.#o.meetingId, {
				after: this.#cursor,
				limit: this.#o.pageSize
			});
			if (page.full) {
				this.#generation++;
				this.#older = page.older ?? null;
			}
			this.#comments = mergeFeed(page.full ? new Map() : this.#comments, page.items);
			this.#cursor = page.cursor;
			this.#o.onPage(page, this.#comments);
		} catch (err) {
			this.#o.onError(err);
		}
	}

	#schedule(): void {
		if (!this.#running) return;
		if (this.#timer !== null) this.#o.clearTimer(this.#timer);
		this.#timer = this.#o.setTimer(() => {
			this.#timer = null;
			void this.refresh();
		}, this.#o.intervalMs);
	}
}
