/**
 * Wires the sync engine into the browser: the real sender, Web Locks, the status object and the
 * triggers (app start, enqueue, `online`, `visibilitychange`, Background Sync via the service
 * worker's message). Call `startSync()` once from the root layout. Import this module with
 * dynamic `import()`: it brings Dexie and the engine, which no route needs for its first paint.
 */
import { db } from '$lib/db/db';
import { SyncEngine } from './engine';
import { syncStatus } from './sync-status.svelte';
import { pruneHandovers } from './outbox';
import { supabaseSender } from './transport';
import { watchOutbox } from './watch';

export const BACKGROUND_SYNC_TAG = 'civicpulse-outbox';

let engine: SyncEngine | null = null;

function getEngine(): SyncEngine {
	engine ??= new SyncEngine({
		db,
		send: supabaseSender,
		locks: typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null,
		isOnline: () => navigator.onLine !== false,
		onEvent: (event) => {
			syncStatus.onEvent(event);
			// A kept session of someone who handed the device on is dropped once all theirs is sent.
			if (event.type === 'done' && (event.report.sent || event.report.rejected))
				void pruneHandovers(db).catch(() => {});
		}
	});
	return engine;
}

/** Start watching and sending. Returns a cleanup function. */
export function startSync(): () => void {
	const e = getEngine();
	const unwatch = watchOutbox(syncStatus, db);
	const onOnline = () => {
		syncStatus.setOffline(false);
		void e.drain({ force: true });
	};
	const onOffline = () => syncStatus.setOffline(true);
	const onVisible = () => {
		if (document.visibilityState === 'visible') void e.drain();
	};
	const onSwMessage = (event: MessageEvent) => {
		if (event.data?.type !== 'SYNC_OUTBOX') return;
		// The service worker's Background Sync event waits for this answer: "done" when nothing
		// sendable is left (sent or refused for good), so the browser retries the sync otherwise.
		const reply = event.ports[0];
		void e
			.drain({ force: true })
			.then((report) => reply?.postMessage({ done: !report.offline && report.failed === 0 }))
			.catch(() => reply?.postMessage({ done: false }));
	};
	window.addEventListener('online', onOnline);
	window.addEventListener('offline', onOffline);
	document.addEventListener('visibilitychange', onVisible);
	navigator.serviceWorker?.addEventListener('message', onSwMessage);
	if (!navigator.onLine) syncStatus.setOffline(true);
	void e.drain();
	return () => {
		unwatch();
		e.stop();
		window.removeEventListener('online', onOnline);
		window.removeEventListener('offline', onOffline);
		document.removeEventListener('visibilitychange', onVisible);
		navigator.serviceWorker?.removeEventListener('message', onSwMessage);
	};
}

/** After a submit: try at once, ask for Background Sync for later, and for persistent storage. */
export function syncAfterEnqueue(): Promise<unknown> {
	void requestPersistence();
	void registerBackgroundSync();
	return getEngine().drain({ force: true });
}

/** "Send now" button. */
export function syncNow(): Promise<unknown> {
	return getEngine().drain({ force: true });
}

let persistAsked = false;
/** Ask the browser not to evict our IndexedDB (queued responses live only there). */
export async function requestPersistence(): Promise<boolean> {
	if (persistAsked || !navigator.storage?.persist) return false;
	persistAsked = true;
	try {
		return (await navigator.storage.persisted()) || (await navigator.storage.persist());
	} catch {
		return false;
	}
}

interface SyncRegistration extends ServiceWorkerRegistration {
	sync?: { register(tag: string): Promise<void> };
}

async function registerBackgroundSync(): Promise<void> {
	try {
		const reg = (await Promise.race([
			navigator.serviceWorker?.ready,
			new Promise((r) => setTimeout(r, 2_000))
		])) as SyncRegistration | undefined;
		await reg?.sync?.register(BACKGROUND_SYNC_TAG);
	} catch {
		// Not supported or not allowed: the other triggers still cover it.
	}
}
