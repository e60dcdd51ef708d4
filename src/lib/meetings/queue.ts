/**
 * Browser wiring of the comment queue for the meeting page (imported with dynamic `import()`:
 * it brings Dexie). Sends on post, on `online`, when the tab becomes visible, at page start and
 * after the backoff delay; one tab at a time through Web Locks.
 */
import { liveQuery } from 'dexie';
import { db, type TCommentOutboxEntry, type TCommentPayload } from '$lib/db/db';
import { commentSender } from './api';
import { pruneHandovers } from '$lib/sync/outbox';
import { dismissRejected, drainComments, queueComment } from './comment-outbox';

let running: Promise<unknown> | null = null;
let again = false;
let timer: ReturnType<typeof setTimeout> | null = null;
const sentListeners = new Set<() => void>();

function drain(force: boolean): void {
	if (running) {
		again = true;
		return;
	}
	if (navigator.onLine === false) return; // the `online` event retries
	running = drainComments(db, commentSender, {
		force,
		locks: typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null
	})
		.then((report) => {
			if (report.sent.length) for (const fn of sentListeners) fn();
			if (report.sent.length || report.rejected.length) void pruneHandovers(db).catch(() => {});
			if (timer) clearTimeout(timer);
			timer = null;
			if (report.retryAt !== null)
				timer = setTimeout(() => drain(false), Math.max(1_000, report.retryAt - Date.now()));
		})
		.catch(() => {
			// IndexedDB trouble: nothing was removed; the next trigger tries again.
		})
		.finally(() => {
			running = null;
			if (again) {
				again = false;
				drain(true);
			}
		});
}

/** Store the comment on the device first, then try to send it. */
export async function postComment(payload: TCommentPayload): Promise<void> {
	await queueComment(db, payload);
	void navigator.storage?.persist?.().catch(() => false);
	drain(true);
}

export function dismiss(id: string): Promise<void> {
	return dismissRejected(db, id);
}

/** Follow this meeting's queued/rejected comments and keep sending. Returns a cleanup function. */
export function watchQueue(
	meetingId: string,
	onChange: (entries: TCommentOutboxEntry[]) => void,
	{ onSent }: { onSent: () => void }
): () => void {
	const sub = liveQuery(() =>
		db.comment_outbox.where('meeting_id').equals(meetingId).sortBy('enqueued_at')
	).subscribe({ next: onChange, error: () => onChange([]) });
	const onOnline = () => drain(true);
	const onVisible = () => {
		if (document.visibilityState === 'visible') drain(false);
	};
	window.addEventListener('online', onOnline);
	document.addEventListener('visibilitychange', onVisible);
	sentListeners.add(onSent);
	drain(false);
	return () => {
		sub.unsubscribe();
		window.removeEventListener('online', onOnline);
		document.removeEventListener('visibilitychange', onVisible);
		sentListeners.delete(onSent);
	};
}
