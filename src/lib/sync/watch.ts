import { liveQuery } from 'dexie';
import type { CivicPulseDb } from '$lib/db/db';
import type { SyncStatus } from './sync-status.svelte';

/** Follow the outbox of `database` (every tab's writes) into `status`; returns the unsubscribe. */
export function watchOutbox(status: SyncStatus, database: CivicPulseDb): () => void {
	const sub = liveQuery(() => database.outbox.toArray()).subscribe({
		next: (rows) => status.applyOutbox(rows),
		error: () => {
			// IndexedDB unavailable: nothing can be queued either, so nothing to show.
		}
	});
	return () => sub.unsubscribe();
}
