/**
 * The outbox state machine. An entry is `pending` until the server acknowledges it:
 *
 *   draft ──submit (one transaction)──▶ pending ──accepted/duplicate──▶ (deleted, receipt "sent")
 *                                         │  ▲
 *                      network/5xx/auth   │  │ retry after backoff, or at once on a trigger
 *                                         ▼  │
 *                                       pending (attempts+1, next_attempt_at later)
 *                                         │
 *                              rejected ──▶ rejected (kept with the server's reason, shown)
 *
 * Nothing is removed before an `accepted` or `duplicate` answer: a crash between the server's
 * commit and our delete is resolved by the retry answering `duplicate` (the server is idempotent
 * by the client UUID).
 */
import type { TFieldError, TResponseSubmission, TSubmitResult } from '$domain/survey';
import type { CivicPulseDb, TOutboxEntry, TReceipt } from '$lib/db/db';
import { backoffDelay } from './backoff';

export interface TSubmitExtras {
	rated: string[];
	district: string | null;
}

/**
 * Move the draft for `slug` to the outbox atomically: the outbox row and the receipt are written
 * and the draft deleted in ONE Dexie transaction, so a response is never both a draft and queued,
 * nor neither. Submitting twice (double tap, two tabs) is harmless: the draft is gone the second
 * time and the outbox is keyed by the response id.
 */
export async function submitDraft(
	database: CivicPulseDb,
	slug: string,
	payload: TResponseSubmission,
	extras: TSubmitExtras,
	now: Date = new Date()
): Promise<TOutboxEntry> {
	return database.transaction(
		'rw',
		database.drafts,
		database.outbox,
		database.receipts,
		async () => {
			const existing = await database.outbox.get(payload.id);
			if (existing) return existing;
			const draft = await database.drafts.get(slug);
			if (draft && draft.id !== payload.id) {
				throw new Error('The draft changed while it was being submitted; nothing was queued.');
			}
			const entry: TOutboxEntry = {
				id: payload.id,
				slug,
				payload: JSON.parse(JSON.stringify(payload)),
				status: 'pending',
				attempts: 0,
				next_attempt_at: now.getTime(),
				enqueued_at: now.toISOString(),
				last_error: null,
				reason: null,
				errors: null
			};
			const receipt: TReceipt = {
				id: payload.id,
				slug,
				wave_id: payload.wave_id,
				submitted_at: payload.submitted_at,
				status: 'queued',
				sent_at: null,
				rated: extras.rated,
				district: extras.district
			};
			await database.outbox.add(entry);
			await database.receipts.put(receipt);
			await database.drafts.delete(slug);
			return entry;
		}
	);
}

/** Pending entries to send now, oldest first. `force` ignores backoff (online event, enqueue, "send now"). */
export async function dueEntries(
	database: CivicPulseDb,
	nowMs: number,
	limit: number,
	force = false
): Promise<TOutboxEntry[]> {
	const pending = await database.outbox.where('status').equals('pending').toArray();
	return pending
		.filter((e) => force || e.next_attempt_at <= nowMs)
		.sort((a, b) => a.enqueued_at.localeCompare(b.enqueued_at) || a.id.localeCompare(b.id))
		.slice(0, limit);
}

/** The earliest time a pending entry may be retried, or null when nothing is pending. */
export async function nextRetryAt(database: CivicPulseDb): Promise<number | null> {
	const pending = await database.outbox.where('status').equals('pending').toArray();
	if (pending.length === 0) return null;
	return Math.min(...pending.map((e) => e.next_attempt_at));
}

export interface TApplied {
	sent: string[];
	rejected: string[];
	missing: string[];
}

/**
 * Apply the server's per-item answers. accepted/duplicate ⇒ delete (the server has it);
 * rejected ⇒ keep with the reason. An item the server did not answer is treated as a transient
 * failure and retried: we only ever delete on an explicit acknowledgement.
 */
export async function applyResults(
	database: CivicPulseDb,
	batch: TOutboxEntry[],
	results: TSubmitResult[],
	now: Date = new Date(),
	random: () => number = Math.random
): Promise<TApplied> {
	const byId = new Map(results.map((r) => [r.id, r]));
	const applied: TApplied = { sent: [], rejected: [], missing: [] };
	await database.transaction('rw', database.outbox, database.receipts, async () => {
		for (const entry of batch) {
			const result = byId.get(entry.id);
			if (!result) {
				applied.missing.push(entry.id);
				continue;
			}
			if (result.status === 'accepted' || result.status === 'duplicate') {
				await database.outbox.delete(entry.id);
				await database.receipts.update(entry.id, { status: 'sent', sent_at: now.toISOString() });
				applied.sent.push(entry.id);
			} else {
				await database.outbox.update(entry.id, {
					status: 'rejected',
					reason: result.reason ?? 'Rejected by the server.',
					errors: (result.errors ?? null) as TFieldError[] | null
				});
				await database.receipts.update(entry.id, { status: 'rejected' });
				applied.rejected.push(entry.id);
			}
		}
	});
	if (applied.missing.length) {
		await markFailed(
			database,
			batch.filter((e) => applied.missing.includes(e.id)),
			'The server did not answer for this response.',
			now,
			random
		);
	}
	return applied;
}

/** A transient failure (offline, timeout, 5xx, auth hiccup): keep, count, push the next try back. */
export async function markFailed(
	database: CivicPulseDb,
	batch: TOutboxEntry[],
	error: string,
	now: Date = new Date(),
	random: () => number = Math.random
): Promise<void> {
	await database.transaction('rw', database.outbox, async () => {
		for (const entry of batch) {
			const current = await database.outbox.get(entry.id);
			if (!current || current.status !== 'pending') continue;
			const attempts = current.attempts + 1;
			await database.outbox.update(entry.id, {
				attempts,
				last_error: error,
				next_attempt_at: now.getTime() + backoffDelay(attempts, random)
			});
		}
	});
}

/** A permanent failure of one item that the server refused as a whole request (e.g. a 400). */
export async function markRejected(
	database: CivicPulseDb,
	entry: TOutboxEntry,
	reason: string
): Promise<void> {
	await database.transaction('rw', database.outbox, database.receipts, async () => {
		await database.outbox.update(entry.id, { status: 'rejected', reason, errors: null });
		await database.receipts.update(entry.id, { status: 'rejected' });
	});
}

/**
 * "Answer again for someone else": every response and comment still queued on this device belongs
 * to the person who used it before, so they are marked to go under that person's session, never
 * under the next person's (the database allows one response per anonymous user and wave, and a
 * comment's author is whoever sends it). `session` is what supabase-js had stored for the device
 * (key → value; empty when that person never had one): it is kept in a `handovers` row, in the
 * same transaction as the marks, and sending signs in anonymously there when it is empty or no
 * longer valid. Nothing is deleted or re-queued: the entries keep their ids (the server stays
 * idempotent) and their backoff. Returns what was marked.
 */
export async function handOverQueued(
	database: CivicPulseDb,
	session: Record<string, string> = {}
): Promise<{ handover: string | null; responses: number; comments: number }> {
	return database.transaction(
		'rw',
		[database.outbox, database.comment_outbox, database.handovers],
		async () => {
			const handover = crypto.randomUUID();
			// Marked earlier = an earlier person's: those keep theirs.
			const responses = await database.outbox
				.where('status')
				.equals('pending')
				.filter((e) => !e.handover)
				.modify({ handover });
			const comments = await database.comment_outbox
				.where('status')
				.equals('pending')
				.filter((e) => !e.handover)
				.modify({ handover });
			if (responses + comments === 0) return { handover: null, responses, comments };
			await database.handovers.add({
				id: handover,
				storage: session,
				created_at: new Date().toISOString()
			});
			return { handover, responses, comments };
		}
	);
}

/**
 * Forget the kept sessions no queued item refers to any more (all sent, or refused for good).
 * Runs in one transaction with the reads, so a hand-over being written cannot lose its session.
 */
export async function pruneHandovers(database: CivicPulseDb): Promise<number> {
	return database.transaction(
		'rw',
		[database.outbox, database.comment_outbox, database.handovers],
		async () => {
			const inUse = new Set<string>();
			for (const table of [database.outbox, database.comment_outbox] as const)
				await table
					.where('status')
					.equals('pending')
					.each((e) => {
						if (e.handover) inUse.add(e.handover);
					});
			return database.handovers.filter((h) => !inUse.has(h.id)).delete();
		}
	);
}
