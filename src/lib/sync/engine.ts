/**
 * The outbox drain. Sends pending responses in idempotent batches, one tab at a time, and applies
 * the server's per-item answers through `outbox.ts`.
 *
 * - Offline (or the request fails, times out, 5xx, auth hiccup): entries stay `pending`, their
 *   attempt count goes up and the next try is pushed back with jittered exponential backoff; a
 *   timer retries at the earliest due time. Triggers (enqueue, `online`, Background Sync, "send
 *   now") retry at once regardless of backoff; `visibilitychange` and app start respect it.
 * - The server refuses the whole request (a 4xx that is not about auth or rate limits): the batch
 *   is retried one item at a time so one bad response cannot block the others; an item refused on
 *   its own is marked `rejected` with the server's message and kept, visible.
 * - Two tabs: every drain runs inside the Web Lock `civicpulse-outbox`, so drains never overlap
 *   across tabs; the second tab waits, then finds the entries already gone. Even if they did
 *   overlap (no Web Locks), the server's idempotency by id keeps each response stored once.
 */
import type { TResponseSubmission, TSubmitResult } from '$domain/survey';
import type { CivicPulseDb } from '$lib/db/db';
import { applyResults, dueEntries, markFailed, markRejected, nextRetryAt } from './outbox';

/** A failed send. `permanent` means retrying the same request cannot succeed. */
export class SendError extends Error {
	readonly permanent: boolean;
	constructor(message: string, permanent: boolean) {
		super(message);
		this.name = 'SendError';
		this.permanent = permanent;
	}
}

/**
 * Sends a batch. `handover`: the items belong to someone who answered before the device was
 * handed on, so they go under that person's kept session (see TOutboxEntry).
 */
export type TSender = (
	items: TResponseSubmission[],
	options?: { handover?: string }
) => Promise<TSubmitResult[]>;

export interface TDrainReport {
	sent: number;
	rejected: number;
	failed: number;
	offline: boolean;
}

export type TSyncEvent = { type: 'sending' } | { type: 'done'; report: TDrainReport };

/** The subset of the Web Locks API we use (tests pass an in-memory one). */
export interface TLockManager {
	request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface TEngineOptions {
	db: CivicPulseDb;
	send: TSender;
	locks?: TLockManager | null;
	isOnline?: () => boolean;
	now?: () => number;
	random?: () => number;
	batchSize?: number;
	onEvent?: (event: TSyncEvent) => void;
	/** Schedules the backoff retry; tests pass a no-op and call drain themselves. */
	setTimer?: (fn: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
}

export const LOCK_NAME = 'civicpulse-outbox';

export class SyncEngine {
	#o: Required<Omit<TEngineOptions, 'locks'>> & { locks: TLockManager | null };
	#running: Promise<TDrainReport> | null = null;
	#requested = false;
	#force = false;
	#timer: unknown = null;

	constructor(options: TEngineOptions) {
		this.#o = {
			locks: null,
			isOnline: () => true,
			now: () => Date.now(),
			random: Math.random,
			batchSize: 50,
			onEvent: () => {},
			setTimer: (fn, ms) => setTimeout(fn, ms),
			clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
			...options
		};
	}

	/**
	 * Send what is due. Calls made while a drain is running are coalesced into one more pass, so
	 * an enqueue during a send is never missed. Resolves with what this run achieved.
	 */
	drain(options: { force?: boolean } = {}): Promise<TDrainReport> {
		this.#requested = true;
		this.#force ||= options.force ?? false;
		this.#running ??= this.#loop().finally(() => {
			this.#running = null;
		});
		return this.#running;
	}

	stop(): void {
		if (this.#timer !== null) this.#o.clearTimer(this.#timer);
		this.#timer = null;
	}

	async #loop(): Promise<TDrainReport> {
		const total: TDrainReport = { sent: 0, rejected: 0, failed: 0, offline: false };
		while (this.#requested) {
			this.#requested = false;
			const force = this.#force;
			this.#force = false;
			const once = () => this.#drainOnce(force);
			const report = this.#o.locks ? await this.#o.locks.request(LOCK_NAME, once) : await once();
			total.sent += report.sent;
			total.rejected += report.rejected;
			total.failed += report.failed;
			total.offline ||= report.offline;
		}
		await this.#scheduleRetry();
		this.#o.onEvent({ type: 'done', report: total });
		return total;
	}

	async #drainOnce(force: boolean): Promise<TDrainReport> {
		const { db, send, now, random, batchSize } = this.#o;
		const report: TDrainReport = { sent: 0, rejected: 0, failed: 0, offline: false };
		if (!this.#o.isOnline()) {
			report.offline = true;
			return report;
		}
		let announced = false;
		for (;;) {
			// Re-read inside the lock: another tab may have sent some of these already.
			const due = await dueEntries(db, now(), batchSize, force);
			if (due.length === 0) break;
			// A response of an earlier person on this device goes alone, under their kept session;
			// the others go together under the device's session, as always.
			const handover = due[0].handover;
			const batch = handover ? [due[0]] : due.filter((e) => !e.handover);
			if (!announced) this.#o.onEvent({ type: 'sending' });
			announced = true;
			let results: TSubmitResult[];
			try {
				results = await send(
					batch.map((e) => e.payload),
					handover ? { handover } : undefined
				);
			} catch (err) {
				const error = toSendError(err);
				if (error.permanent && batch.length > 1) {
					// Find the item the server objects to by sending one at a time.
					const stop = await this.#sendOneByOne(batch, report);
					if (stop) break;
					continue;
				}
				if (error.permanent) {
					await markRejected(db, batch[0], error.message);
					report.rejected += 1;
					continue;
				}
				await markFailed(db, batch, error.message, new Date(now()), random);
				report.failed += batch.length;
				break;
			}
			const applied = await applyResults(db, batch, results, new Date(now()), random);
			report.sent += applied.sent.length;
			report.rejected += applied.rejected.length;
			report.failed += applied.missing.length;
			if (applied.missing.length) break; // do not spin on a server that skips items
		}
		return report;
	}

	/** Returns true when a transient failure means we should stop and back off. */
	async #sendOneByOne(batch: Awaited<ReturnType<typeof dueEntries>>, report: TDrainReport) {
		const { db, send, now, random } = this.#o;
		for (let i = 0; i < batch.length; i++) {
			const entry = batch[i];
			try {
				const applied = await applyResults(
					db,
					[entry],
					await send([entry.payload]),
					new Date(now()),
					random
				);
				report.sent += applied.sent.length;
				report.rejected += applied.rejected.length;
				report.failed += applied.missing.length;
			} catch (err) {
				const error = toSendError(err);
				if (error.permanent) {
					await markRejected(db, entry, error.message);
					report.rejected += 1;
				} else {
					const rest = batch.slice(i);
					await markFailed(db, rest, error.message, new Date(now()), random);
					report.failed += rest.length;
					return true;
				}
			}
		}
		return false;
	}

	async #scheduleRetry(): Promise<void> {
		this.stop();
		const at = await nextRetryAt(this.#o.db);
		if (at === null) return;
		const delay = Math.max(1_000, at - this.#o.now());
		this.#timer = this.#o.setTimer(() => {
			this.#timer = null;
			void this.drain();
		}, delay);
	}
}

/** Unknown failures (a thrown TypeError from fetch, say) are transient: never lose data on a guess. */
export function toSendError(err: unknown): SendError {
	if (err instanceof SendError) return err;
	return new SendError(err instanceof Error ? err.message : String(err), false);
}
