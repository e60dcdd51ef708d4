/**
 * The device's own database (IndexedDB via Dexie): one class, one instance, typed tables.
 *
 * Everything a resident writes lands here first (DESIGN §5): the draft is saved on every answer,
 * and submitting moves it to the outbox in one transaction. The outbox is the only copy of an
 * unsent response, so rows leave it only when the server has acknowledged them (see
 * `$lib/sync/outbox`). Schema versions only go up; an upgrade must never drop the outbox.
 */
import Dexie, { type EntityTable } from 'dexie';
import type {
	TFieldError,
	TLanguage,
	TResponseSubmission,
	TSurveyDefinition
} from '$domain/survey';
import type { TAnswers } from '$lib/survey/logic';

/** A survey in progress. One per survey slug on this device. */
export interface TDraft {
	slug: string;
	id: string; // the response's client UUID, fixed when the draft starts (idempotency key)
	wave_id: string;
	language: TLanguage;
	invitation_code: string | null;
	answers: TAnswers;
	/** -1 = intro, 0..n-1 = section pages, n = review. Restored on resume. */
	page: number;
	started_at: string;
	updated_at: string;
}

export type TOutboxStatus = 'pending' | 'rejected';

/** A submitted response waiting for the server's acknowledgement, or permanently rejected. */
export interface TOutboxEntry {
	id: string; // = payload.id
	slug: string;
	payload: TResponseSubmission;
	status: TOutboxStatus;
	attempts: number;
	/** Epoch ms before which a retry is not attempted (backoff). */
	next_attempt_at: number;
	enqueued_at: string;
	last_error: string | null; // last transient failure, for diagnostics
	reason: string | null; // the server's reason when rejected
	errors: TFieldError[] | null;
	/**
	 * Set once the device was handed to another household member ("answer again for someone
	 * else") while this response was still queued: the hand-over (a `handovers` row) whose kept
	 * session it is sent under, alone, never under the next person's (the database allows one
	 * response per anonymous user and wave). Absent = the device's current session.
	 */
	handover?: string;
}

/** What this device remembers about a response after submit, including after it was sent. */
export interface TReceipt {
	id: string;
	slug: string;
	wave_id: string;
	submitted_at: string;
	status: 'queued' | 'sent' | 'rejected';
	sent_at: string | null;
	/** Question keys of the services the resident rated (for the thank-you screen). */
	rated: string[];
	district: string | null;
}

/** The last survey definition fetched for a slug, so the survey opens offline. */
export interface TCachedDefinition {
	slug: string;
	definition: TSurveyDefinition;
	fetched_at: string;
}

/** Small read-through cache of public results (thank-you screen), keyed by request. */
export interface TCacheEntry {
	key: string;
	value: unknown;
	fetched_at: string;
}

/** A meeting comment a resident posted, waiting for the server (same rules as the outbox). */
export interface TCommentPayload {
	id: string; // client UUID: the idempotency key of submit_comments
	meeting_id: string;
	agenda_item_id: string | null;
	kind: 'comment' | 'question';
	body: string;
	display_name: string | null;
}

export interface TCommentOutboxEntry {
	id: string; // = payload.id
	meeting_id: string;
	payload: TCommentPayload;
	status: TOutboxStatus;
	attempts: number;
	next_attempt_at: number;
	enqueued_at: string;
	last_error: string | null;
	reason: string | null;
	/**
	 * Set when the device was handed to the next person while this comment was queued: it is sent
	 * under that hand-over's session (the author's), never under the next person's. Absent = the
	 * device's current session.
	 */
	handover?: string;
}

/**
 * The session of a person who handed the device on with items still queued ("answer again for
 * someone else"): supabase-js storage entries (key → value), used only to send those items under
 * the identity that wrote them. Deleted once nothing queued refers to it.
 */
export interface THandover {
	id: string;
	storage: Record<string, string>;
	created_at: string;
}

export class CivicPulseDb extends Dexie {
	drafts!: EntityTable<TDraft, 'slug'>;
	outbox!: EntityTable<TOutboxEntry, 'id'>;
	receipts!: EntityTable<TReceipt, 'id'>;
	definitions!: EntityTable<TCachedDefinition, 'slug'>;
	cache!: EntityTable<TCacheEntry, 'key'>;
	comment_outbox!: EntityTable<TCommentOutboxEntry, 'id'>;
	handovers!: EntityTable<THandover, 'id'>;

	constructor(name = 'civicpulse') {
		super(name);
		// Version 1. Add new versions below with `.upgrade()`; never edit or remove this one.
		this.version(1).stores({
			drafts: '&slug, id',
			outbox: '&id, status, next_attempt_at, slug',
			receipts: '&id, slug, wave_id',
			definitions: '&slug',
			cache: '&key'
		});
		// Version 2: meeting comments written offline. Only adds a table; v1 data is untouched.
		this.version(2)
			.stores({ comment_outbox: '&id, status, meeting_id' })
			.upgrade(() => {
				// Nothing to migrate: the new table starts empty and every v1 table is kept as is.
			});
		// Version 3: sessions of people who handed the device on with items queued. Only adds a
		// table.
		this.version(3)
			.stores({ handovers: '&id' })
			.upgrade(() => {
				// Nothing to migrate: the new table starts empty.
			});
	}
}

/** The app's single database instance. */
export const db = new CivicPulseDb();
