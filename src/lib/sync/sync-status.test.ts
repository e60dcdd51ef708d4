import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CivicPulseDb, type TOutboxEntry } from '$lib/db/db';
import { SyncStatus } from './sync-status.svelte';
import { watchOutbox } from './watch';

let db: CivicPulseDb;
beforeEach(async () => {
	db = new CivicPulseDb(`status-${crypto.randomUUID()}`);
	await db.open();
});
afterEach(() => db.delete());

function entry(
	id: string,
	status: TOutboxEntry['status'],
	reason: string | null = null
): TOutboxEntry {
	return {
		id,
		slug: 's',
		payload: {
			id,
			wave_id: 'w',
			language: 'en',
			submitted_at: '',
			invitation_code: null,
			answers: {}
		},
		status,
		attempts: 0,
		next_attempt_at: 0,
		enqueued_at: new Date().toISOString(),
		last_error: null,
		reason,
		errors: null
	};
}

async function until(check: () => boolean) {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
	expect(check()).toBe(true);
}

it('counts what waits on this device, lists rejections with reasons and says "sent" after the last one goes', async () => {
	const status = new SyncStatus();
	const stop = watchOutbox(status, db);
	await db.outbox.bulkAdd([
		entry('a', 'pending'),
		entry('b', 'pending'),
		entry('c', 'rejected', 'wave is closed')
	]);
	await until(() => status.pending === 2);
	expect(status.rejected.map((r) => r.reason)).toEqual(['wave is closed']);
	expect(status.showSent).toBe(false);

	status.onEvent({ type: 'sending' });
	expect(status.activity).toBe('sending');
	await db.outbox.bulkDelete(['a', 'b']);
	status.onEvent({ type: 'done', report: { sent: 2, rejected: 0, failed: 0, offline: false } });
	await until(() => status.pending === 0);
	expect(status.activity).toBe('idle');
	expect(status.showSent).toBe(true);

	// Something new is queued: "sent" no longer applies.
	await db.outbox.add(entry('d', 'pending'));
	await until(() => status.pending === 1);
	expect(status.showSent).toBe(false);
	status.onEvent({ type: 'done', report: { sent: 0, rejected: 0, failed: 1, offline: false } });
	expect(status.activity).toBe('retrying');
	stop();
});
