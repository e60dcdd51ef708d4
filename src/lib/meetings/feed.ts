/**
 * The live comment feed of a meeting: cursor-based polling of `meeting_feed` (DESIGN §2: the
 * embedded backend has no Realtime and Realtime does not guarantee delivery, so correctness
 * never depends on it).
 *
 * The server's cursor is a transaction-snapshot watermark and every page overlaps the previous
 * one (rows that were still in flight are sent again), so the client must merge idempotently:
 * by id, keeping the highest `version`. A tombstone (`removed: true`) deletes the comment unless
 * we already hold a newer version of it.
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

export type TFetchFeed = (meetingId: string, after: string | null) => Promise<TFeedPage>;

export interface TPollerOptions {
	meetingId: string;
	fetch: TFetchFeed;
	onPage: (page: TFeedPage, comments: Map<string, TFeedComment>) => void;
	onError: (err: unknown) => void;
	intervalMs?: number;
	setTimer?: (fn: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
}

/**
 * Polls while started: every `intervalMs` (default 4 s), and at once on `refresh()` (after our
 * own post or vote, on `online`, when the tab becomes visible). One request at a time; a refresh
 * requested during a request runs right after it, so nothing is missed.
 */
export class FeedPoller {
	#o: Required<TPollerOptions>;
	#cursor: string | null = null;
	#comments = new Map<string, TFeedComment>();
	#timer: unknown = null;
	#inFlight: Promise<void> | null = null;
	#again = false;
	#running = false;

	constructor(options: TPollerOptions) {
		this.#o = {
			intervalMs: 4_000,
			setTimer: (fn, ms) => setTimeout(fn, ms),
			clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
			...options
		};
	}

	get comments(): ReadonlyMap<string, TFeedComment> {
		return this.#comments;
	}

	start(): void {
		this.#running = true;
		void this.refresh();
	}

	stop(): void {
		this.#running = false;
		if (this.#timer !== null) this.#o.clearTimer(this.#timer);
		this.#timer = null;
	}

	/** Forget the cursor and reload everything (e.g. after signing in: `mine`/`voted` change). */
	reset(): Promise<void> {
		this.#cursor = null;
		this.#comments = new Map();
		return this.refresh();
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

	async #poll(): Promise<void> {
		try {
			const page = await this.#o.fetch(this.#o.meetingId, this.#cursor);
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
