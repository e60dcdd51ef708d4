/**
 * Meeting comments written on flaky venue Wi-Fi are queued on the device, never lost
 * (DESIGN §1 scene 2, §5). The rules are the survey outbox's (`$lib/sync/outbox`):
 *
 * - Posting writes the comment to Dexie first (`queueComment`), keyed by its client UUID, then
 *   tries to send at once.
 * - An entry leaves the queue only when the server answered `accepted` or `duplicate` for it
 *   (the server is idempotent by id, so a retry after a lost acknowledgement is harmless).
 * - Offline, timeouts, 5xx, 401/403/429: the entry stays `pending`, its attempt count goes up and
 *   the next try waits with jittered exponential backoff; `online`, a new post and the page
 *   becoming visible retry at once.
 * - `rejected` (comments closed, too long, rate limit…): kept with the server's reason and shown,
 *   so the resident can copy the text back into the form; dismissing deletes it.
 * - One tab sends at a time (Web Lock `civicpulse-comments`).
 */
import type { CivicPulseDb, TCommentOutboxEntry, TCommentPayload } from '$lib/db/db';
import { backoffDelay } from '$lib/sync/backoff';
import { SendError } from '$lib/sync/engine';

export interface TCommentResult {
	id: string;
	status: 'accepted' | 'duplicate' | 'rejected';
	reason?: string | null;
	/** A refusal that may pass later (e.g. the rate limit): kept pending and retried with backoff. */
	retryable?: boolean;
}

/**
 * Sends a batch. `handover`: the comments were written by someone who handed the device on
 * (see TCommentOutboxEntry.handover) and go under that person's kept session.
 */
export type TCommentSender = (
	items: TCommentPayload[],
	options?: { handover?: string }
) => Promise<TCommentResult[]>;

export const COMMENT_LOCK = 'civicpulse-comments';
const BATCH = 50;

export async function queueComment(
	database: CivicPulseDb,
	payload: TCommentPayload,
	now: Date = new Date()
): Promise<TCommentOutboxEntry> {
	return database.transaction('rw', database.comment_outbox, async () => {
		const existing = await database.comment_outbox.get(payload.id);
		if (existing) return existing; // double tap: the same comment once
		const entry: TCommentOutboxEntry = {
			id: payload.id,
			meeting_id: payload.meeting_id,
			payload: { ...payload },
			status: 'pending',
			attempts: 0,
			next_attempt_at: now.getTime(),
			enqueued_at: now.toISOString(),
			last_error: null,
			reason: null
		};
		await database.comment_outbox.add(entry);
		return entry;
	});
}

export interface TCommentDrainReport {
	sent: string[];
	rejected: string[];
	failed: number;
	/** Earliest epoch ms a pending entry may be retried, or null when nothing is pending. */
	retryAt: number | null;
}

interface TLocks {
	request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Send what is due (everything when `force`). Safe to call from several tabs at once. */
export async function drainComments(
	database: CivicPulseDb,
	send: TCommentSender,
	options: {
		force?: boolean;
		now?: () => number;
		random?: () => number;
		locks?: TLocks | null;
	} = {}
): Promise<TCommentDrainReport> {
	const now = options.now ?? Date.now;
	const random = options.random ?? Math.random;
	const run = async (): Promise<TCommentDrainReport> => {
		const report: TCommentDrainReport = { sent: [], rejected: [], failed: 0, retryAt: null };
		const table = database.comment_outbox;

		// The three things that can happen to a queued comment.
		const retryLater = async (e: TCommentOutboxEntry, message: string) => {
			const attempts = e.attempts + 1;
			await table.update(e.id, {
				attempts,
				last_error: message,
				next_attempt_at: now() + backoffDelay(attempts, random)
			});
			report.failed += 1;
		};
		const reject = async (e: TCommentOutboxEntry, reason: string) => {
			await table.update(e.id, { status: 'rejected', reason });
			report.rejected.push(e.id);
		};
		/** Apply the server's answer for one comment; returns false when there was none. */
		const settle = async (e: TCommentOutboxEntry, r: TCommentResult | undefined) => {
			if (!r) await retryLater(e, 'The server did not answer for this comment.');
			else if (r.status === 'rejected' && r.retryable)
				await retryLater(e, r.reason ?? 'Not accepted yet.');
			else if (r.status === 'rejected') await reject(e, r.reason ?? 'Rejected by the server.');
			else {
				await table.delete(e.id);
				report.sent.push(e.id);
			}
			return !!r;
		};

		for (;;) {
			// Re-read inside the lock: another tab may have sent some of these already.
			const pending = await table.where('status').equals('pending').toArray();
			const due = pending
				.filter((e) => options.force || e.next_attempt_at <= now())
				.sort((a, b) => a.enqueued_at.localeCompare(b.enqueued_at) || a.id.localeCompare(b.id));
			if (due.length === 0) break;
			// One author per call: the oldest comment's (the device's session, or a hand-over's).
			const handover = due[0].handover;
			const batch = due.filter((e) => e.handover === handover).slice(0, BATCH);
			const as = handover ? { handover } : undefined;
			let results: TCommentResult[];
			try {
				results = await send(
					batch.map((e) => e.payload),
					as
				);
			} catch (err) {
				const permanent = err instanceof SendError && err.permanent;
				const message = err instanceof Error ? err.message : String(err);
				if (permanent && batch.length > 1) {
					// Find the comment the server objects to: retry the batch one by one.
					for (const e of batch) {
						try {
							const [r] = await send([e.payload], as);
							await settle(e, r);
						} catch (one) {
							if (one instanceof SendError && one.permanent) await reject(e, one.message);
							else await retryLater(e, one instanceof Error ? one.message : String(one));
						}
					}
					continue;
				}
				await database.transaction('rw', table, async () => {
					for (const e of batch) await (permanent ? reject(e, message) : retryLater(e, message));
				});
				if (permanent) continue; // that one is settled; go on with the rest
				break;
			}
			const byId = new Map(results.map((r) => [r.id, r]));
			let answeredAll = true;
			await database.transaction('rw', table, async () => {
				for (const e of batch) answeredAll = (await settle(e, byId.get(e.id))) && answeredAll;
			});
			if (!answeredAll) break; // do not spin on a server that skips items
		}
		const left = await table.where('status').equals('pending').toArray();
		report.retryAt = left.length ? Math.min(...left.map((e) => e.next_attempt_at)) : null;
		return report;
	};
	return options.locks ? options.locks.request(COMMENT_LOCK, run) : run();
}

/** Dismiss a rejected comment (the resident has read the reason). Pending ones are never dropped. */
export async function dismissRejected(database: CivicPulseDb, id: string): Promise<void> {
	await database.transaction('rw', database.comment_outbox, async () => {
		const e = await database.comment_outbox.get(id);
		if (e?.status === 'rejected') await database.comment_outbox.delete(id);
	});
}
