/**
 * What the resident sees about sending: how many responses wait on this device, which were
 * rejected (with the server's reason), whether a send is in progress and when the last one went.
 * Fed by a Dexie live query on the outbox (so every tab agrees) and by the engine's events.
 * No Dexie import here: this is in every route's first paint (the layout's status bar).
 */
import type { TOutboxEntry } from '$lib/db/db';
import type { TSyncEvent } from './engine';

export type TSyncActivity = 'idle' | 'sending' | 'retrying' | 'offline';

export class SyncStatus {
	#pending = $state(0);
	#rejected = $state<TOutboxEntry[]>([]);
	#activity = $state<TSyncActivity>('idle');
	#lastSentAt = $state<number | null>(null);

	get pending(): number {
		return this.#pending;
	}
	get rejected(): TOutboxEntry[] {
		return this.#rejected;
	}
	get activity(): TSyncActivity {
		return this.#activity;
	}
	get lastSentAt(): number | null {
		return this.#lastSentAt;
	}
	/** "Sent" is shown after a successful send until something new is queued. */
	get showSent(): boolean {
		return this.#lastSentAt !== null && this.#pending === 0 && this.#activity !== 'sending';
	}

	/**
	 * The outbox changed (any tab): recount. Fed by `watchOutbox` (./watch.ts), kept out of this
	 * module so the status bar can render before Dexie is loaded.
	 */
	applyOutbox(rows: TOutboxEntry[]): void {
		const pending = rows.filter((r) => r.status === 'pending').length;
		// Another tab sent our entries: the count dropping to zero is also "sent".
		if (pending < this.#pending && pending === 0) this.#lastSentAt ??= Date.now();
		if (pending > this.#pending) this.#lastSentAt = null;
		this.#pending = pending;
		this.#rejected = rows.filter((r) => r.status === 'rejected');
	}

	onEvent = (event: TSyncEvent): void => {
		if (event.type === 'sending') {
			this.#activity = 'sending';
			return;
		}
		const { report } = event;
		if (report.sent > 0) this.#lastSentAt = Date.now();
		this.#activity = report.offline ? 'offline' : report.failed > 0 ? 'retrying' : 'idle';
	};

	setOffline(offline: boolean): void {
		if (offline) this.#activity = 'offline';
		else if (this.#activity === 'offline') this.#activity = 'idle';
	}
}

export const syncStatus = new SyncStatus();
