/// <reference lib="webworker" />
/**
 * CivicPulse service worker (built by SvelteKit, manifest injected by @vite-pwa/sveltekit).
 *
 * - Precaches the app shell and every route chunk, so any page works offline after one visit,
 *   including after a reload. Survey definitions are cached by the app itself in IndexedDB.
 * - Updates wait until the page asks (`SKIP_WAITING`), which it does only after the resident's
 *   draft is saved: an update never discards answers.
 * - Background Sync: when the browser fires our tag, open pages are asked to drain their outbox
 *   (sending needs the resident's session, which lives in the page) and answer whether it is
 *   empty of sendable items. If no page could send, the event fails, so the browser keeps the
 *   sync and retries it later with its own backoff. With no page open there is nobody to send:
 *   the next app start drains the outbox anyway.
 */
import { clientsClaim } from 'workbox-core';
import {
	cleanupOutdatedCaches,
	createHandlerBoundToURL,
	precacheAndRoute
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare let self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Every route of the SPA is served by the precached shell, so deep links work offline.
// /config.json is per deployment and must never be answered with the shell.
registerRoute(
	new NavigationRoute(createHandlerBoundToURL('/'), { denylist: [/^\/config\.json$/] })
);

// Take control of open pages on first install so chunks loaded later in this visit are served
// from the precache when the network drops. Updates still wait for SKIP_WAITING.
clientsClaim();

self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

interface SyncEvent extends ExtendableEvent {
	readonly tag: string;
}

const SYNC_REPLY_TIMEOUT_MS = 60_000;

/** Ask one page to send its outbox; resolves with its answer, or null if it does not answer. */
function askToSend(client: Client): Promise<{ done: boolean } | null> {
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		const timer = setTimeout(() => resolve(null), SYNC_REPLY_TIMEOUT_MS);
		channel.port1.onmessage = (reply: MessageEvent<{ done: boolean }>) => {
			clearTimeout(timer);
			resolve(reply.data);
		};
		client.postMessage({ type: 'SYNC_OUTBOX' }, [channel.port2]);
	});
}

self.addEventListener('sync', (event) => {
	const e = event as SyncEvent;
	if (e.tag !== 'civicpulse-outbox') return;
	e.waitUntil(
		self.clients.matchAll({ type: 'window' }).then(async (clients) => {
			if (clients.length === 0) return;
			const answers = await Promise.all(clients.map(askToSend));
			if (!answers.some((a) => a?.done))
				throw new Error('The outbox could not be sent yet; the browser will retry this sync.');
		})
	);
});
