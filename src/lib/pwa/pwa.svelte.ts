/**
 * Service worker registration and the two prompts ("ready to work offline", "update available").
 * We register ourselves with workbox-window (the plugin's auto-register is off) so that an update
 * is applied only when the resident asks, and only after every pending draft write has finished:
 * the page reloads on the new version with the draft intact in IndexedDB.
 */
import { flushDrafts } from '$lib/db/drafts';
import type { Workbox } from 'workbox-window';

class Pwa {
	#offlineReady = $state(false);
	#needRefresh = $state(false);
	#wb: Workbox | null = null;
	#updating = false;

	get offlineReady(): boolean {
		return this.#offlineReady;
	}
	get needRefresh(): boolean {
		return this.#needRefresh;
	}

	async register(): Promise<void> {
		if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
		const { Workbox } = await import('workbox-window');
		const wb = new Workbox('/service-worker.js', { scope: '/' });
		this.#wb = wb;
		wb.addEventListener('waiting', () => {
			this.#needRefresh = true;
		});
		wb.addEventListener('activated', (event) => {
			if (!event.isUpdate) this.#offlineReady = true;
		});
		wb.addEventListener('controlling', () => {
			// Only reload for an update the resident asked for, never behind their back.
			if (this.#updating) window.location.reload();
		});
		try {
			await wb.register();
		} catch {
			// No service worker (e.g. blocked): the app still works online.
		}
	}

	/** Apply the waiting update after the draft is safely stored. */
	async update(): Promise<void> {
		await flushDrafts();
		this.#updating = true;
		this.#needRefresh = false;
		this.#wb?.messageSkipWaiting();
	}

	dismiss(): void {
		this.#offlineReady = false;
		this.#needRefresh = false;
	}
}

export const pwa = new Pwa();
