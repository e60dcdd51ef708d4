/**
 * What was queued under one version of the device database is sent after the app upgrades it:
 * the next app version declares one more version on top of today's (a new table, a new
 * index, an upgrade that rewrites every queued row), opens the same IndexedDB, and its drains
 * send every queued response and comment exactly once. A tab still running the old version
 * when the new one opens keeps working too (Dexie closes and reopens it at the new version).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { TResponseSubmission, TSubmitResult } from '$domain/survey';
import { drainComments, queueComment, type TCommentResult } from '$lib/meetings/comment-outbox';
import { SendError, SyncEngine } from '$lib/sync/engine';
import { submitDraft } from '$lib/sync/outbox';
import { CivicPulseDb, type TCommentPayload } from './db';

/** Today's version of the device database (CivicPulseDb), and the next app version's. */
const CURRENT = 3;
const NEXT = CURRENT + 1;

/** The next app version's database: today's class plus one more version. */
class NextVersionDb extends CivicPulseDb {
	constructor(name: string) {
		super(name);
		this.version(NEXT)
			.stores({
				sync_log: '&id',
				outbox: '&id, status, next_attempt_at, slug, enqueued_at'
			})
			.upgrade(async (tx) => {
				await tx
					.table('outbox')
					.toCollection()
					.modify((e: Record<string, unknown>) => {
						e.schema_version = NEXT;
					});
				await tx
					.table('comment_outbox')
					.toCollection()
					.modify((e: Record<string, unknown>) => {
						e.schema_version = NEXT;
					});
			});
	}
}

const opened: CivicPulseDb[] = [];
afterEach(async () => {
	for (const d of opened.splice(0)) d.close();
});

/**
 * An idempotent server behind a bad network: every third call is lost before it arrives, every
 * fourth is stored but its answer is lost.
 */
function lossyServer() {
	const stored = new Map<string, number>();
	let calls = 0;
	const handle = <T extends { id: string }>(items: T[]) => {
		calls++;
		if (calls % 3 === 0) throw new SendError('Failed to fetch', false);
		const results = items.map((i) => {
			const seen = stored.get(i.id) ?? 0;
			stored.set(i.id, seen + 1);
			return { id: i.id, status: seen ? ('duplicate' as const) : ('accepted' as const) };
		});
		if (calls % 4 === 0) throw new SendError('Failed to fetch', false);
		return results;
	};
	return {
		stored,
		responses: async (items: TResponseSubmission[]): Promise<TSubmitResult[]> =>
			handle(items).map((r) => ({ ...r, reason: null })),
		comments: async (items: TCommentPayload[]): Promise<TCommentResult[]> => handle(items)
	};
}

async function queueUnderCurrentVersion(name: string, responses: number, comments: number) {
	const current = new CivicPulseDb(name);
	opened.push(current);
	const start = Date.parse('2026-12-06T20:00:00Z');
	const ids = { responses: [] as string[], comments: [] as string[] };
	for (let i = 0; i < responses; i++) {
		const payload: TResponseSubmission = {
			id: crypto.randomUUID(),
			wave_id: '00000000-0000-4000-a500-000000002026',
			language: 'en',
			submitted_at: new Date(start + i).toISOString(),
			invitation_code: null,
			answers: { q1_01: 4 }
		};
		await submitDraft(
			current,
			'resident-survey',
			payload,
			{ rated: ['q1_01'], district: null },
			new Date(start + i)
		);
		ids.responses.push(payload.id);
	}
	for (let j = 0; j < comments; j++) {
		const payload: TCommentPayload = {
			id: crypto.randomUUID(),
			meeting_id: '00000000-0000-4000-a800-000000000010',
			agenda_item_id: null,
			kind: 'comment',
			body: `Queued under version ${CURRENT}, number ${j}`,
			display_name: null
		};
		await queueComment(current, payload, new Date(start + j));
		ids.comments.push(payload.id);
	}
	expect(current.verno).toBe(CURRENT);
	return { current, ids };
}

/** Drain until both queues are empty (force: no waiting for backoff in a test). */
async function drainAll(database: CivicPulseDb, server: ReturnType<typeof lossyServer>) {
	const engine = new SyncEngine({ db: database, send: server.responses, setTimer: () => 0 });
	for (let round = 0; round < 50; round++) {
		await engine.drain({ force: true });
		await drainComments(database, server.comments, { force: true });
		const left = (await database.outbox.count()) + (await database.comment_outbox.count());
		if (left === 0) return round;
	}
	throw new Error('The queues did not drain.');
}

describe('the device database upgrade', () => {
	it('sends everything queued under the current version exactly once after the next version opens it', async () => {
		const name = `upgrade-${crypto.randomUUID()}`;
		const { current, ids } = await queueUnderCurrentVersion(name, 120, 30);
		current.close();

		const next = new NextVersionDb(name);
		opened.push(next);
		await next.open();
		expect(next.verno).toBe(NEXT);
		// The upgrade kept every queued row (and ran over them).
		const outbox = await next.outbox.toArray();
		expect(outbox.map((e) => e.id).sort()).toEqual([...ids.responses].sort());
		expect(
			outbox.every((e) => (e as unknown as { schema_version: number }).schema_version === NEXT)
		).toBe(true);
		expect(await next.comment_outbox.count()).toBe(30);

		const server = lossyServer();
		await drainAll(next, server);
		for (const id of [...ids.responses, ...ids.comments]) expect(server.stored.has(id)).toBe(true);
		expect(server.stored.size).toBe(150);
		// Every receipt says sent: the thank-you screen and "my responses" agree with the server.
		const receipts = await next.receipts.toArray();
		expect(receipts).toHaveLength(120);
		expect(receipts.every((r) => r.status === 'sent')).toBe(true);
	});

	it('keeps a tab that still runs the current version sending after another tab upgraded', async () => {
		const name = `upgrade-open-tab-${crypto.randomUUID()}`;
		const { current, ids } = await queueUnderCurrentVersion(name, 40, 10);

		// The new version opens while the old tab's connection is still open (not blocked).
		const next = new NextVersionDb(name);
		opened.push(next);
		await next.open();
		expect(next.verno).toBe(NEXT);

		// The old tab's next drain reopens the database at the installed version and sends.
		const server = lossyServer();
		await drainAll(current, server);
		expect([...server.stored.keys()].sort()).toEqual([...ids.responses, ...ids.comments].sort());
		expect(await next.outbox.count()).toBe(0);
		expect(await next.comment_outbox.count()).toBe(0);
	});
});
