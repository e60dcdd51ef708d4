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

export type TCommentSender = (items: TCommentPayload[]) => Promise<TCommentResult[]>;

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
		for (;;) {
			// Re-read inside the lock: another tab may have sent some of these already.
			const pending = await database.comment_outbox.where('status').equals('pending').toArray();
			const batch = pending
				.filter((e) => options.force || e.next_attempt_at <= now())
				.sort((a, b) => a.enqueued_at.localeCompare(b.enqueued_at) || a.id.localeCompare(b.id))
				.slice(0, BATCH);
			if (batch.length === 0) break;
			let results: TCommentResult[];
			try {
				results = await send(batch.map((e) => e.payload));
			} catch (err) {
				const permanent = err instanceof SendError && err.permanent;
				const message = err instanceof Error ? err.message : String(err);
				if (permanent && batch.length > 1) {
					// Find the comment the server objects to: retry the batch one by one.
					for (const e of batch) await sendOne(e);
					continue;
				}
				await database.transaction('rw', database.comment_outbox, async () => {
					for (const e of batch) {
						if (permanent) {
							await database.comment_outbox.update(e.id, { status: 'rejected', reason: message });
							report.rejected.push(e.id);
						} else {
							const attempts = e.attempts + 1;
							await database.comment_outbox.update(e.id, {
								attempts,
								last_error: message,
								next_attempt_at: now() + backoffDelay(attempts, random)
							});
							report.failed += 1;
						}
					}
				});
				if (permanent) continue; // that one is settled; go on with the rest
				break;
			}
			const byId = new Map(results.map((r) => [r.id, r]));
			let missing = 0;
			await database.transaction('rw', database.comment_outbox, async () => {
				for (const e of batch) {
					const r = byId.get(e.id);
					if (!r) {
						missing += 1;
						const attempts = e.attempts + 1;
						await database.comment_outbox.update(e.id, {
							attempts,
							last_error: 'The server did not answer for this comment.',
							next_attempt_at: now() + backoffDelay(attempts, random)
						});
					} else if (r.status === 'rejected' && r.retryable) {
						const attempts = e.attempts + 1;
						await database.comment_outbox.update(e.id, {
							attempts,
							last_error: r.reason ?? 'Not accepted yet.',
							next_attempt_at: now() + backoffDelay(attempts, random)
						});
						report.failed += 1;
					} else if (r.status === 'rejected') {
						await database.comment_outbox.update(e.id, {
							status: 'rejected',
							reason: r.reason ?? 'Rejected by the server.'
						});
						report.rejected.push(e.id);
					} else {
						await database.comment_outbox.delete(e.id);
						report.sent.push(e.id);
					}
				}
			});
			report.failed += missing;
			if (missing) break; // do not spin on a server that skips items
		}
		const left = await database.comment_outbox.where('status').equals('pending').toArray();
		report.retryAt = left.length ? Math.min(...left.map((e) => e.next_attempt_at)) : null;
		return report;

		async function sendOne(e: TCommentOutboxEntry): Promise<void> {
			try {
				const [r] = await send([e.payload]);
				if (r?.status === 'rejected') {
					await database.comment_outbox.update(e.id, {
						status: 'rejected',
						reason: r.reason ?? 'Rejected by the server.'
					});
					report.rejected.push(e.id);
				} else if (r) {
					await database.comment_outbox.delete(e.id);
					report.sent.push(e.id);
				}
			} catch (err) {
				if (err instanceof SendError && err.permanent) {
					await database.comment_outbox.update(e.id, { status: 'rejected', reason: err.message });
					report.rejected.push(e.id);
				} else {
					const attempts = e.attempts + 1;
					await database.comment_outbox.update(e.id, {
						attempts,
						last_error: err instanceof Error ? err.message : String(err),
						next_attempt_at: now() + backoffDelay(attempts, random)
					});
					report.failed += 1;
				}
			}
		}
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
