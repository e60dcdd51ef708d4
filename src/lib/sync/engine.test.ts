import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TResponseSubmission, TSubmitResult } from '$domain/survey';
import { CivicPulseDb } from '$lib/db/db';
import { newDraft, saveDraft } from '$lib/db/drafts';
import { fixture } from '$lib/survey/test-fixture';
import { backoffDelay } from './backoff';
import { SendError, SyncEngine, type TLockManager } from './engine';
import { handOverQueued, submitDraft } from './outbox';

let db: CivicPulseDb;
let seq = 0;

beforeEach(async () => {
	db = new CivicPulseDb(`test-${++seq}-${crypto.randomUUID()}`);
	await db.open();
});
afterEach(async () => {
	await db.delete();
});

/** A fake `submit_responses`: idempotent by id like the real one, and records every call. */
class FakeServer {
	stored = new Map<string, TResponseSubmission>();
	calls: string[][] = [];
	rejectIds = new Set<string>();
	failNext = 0;
	refuseWholeRequestIfContains: string | null = null;

	send = async (items: TResponseSubmission[]): Promise<TSubmitResult[]> => {
		this.calls.push(items.map((i) => i.id));
		if (this.failNext > 0) {
			this.failNext--;
			throw new SendError('Failed to fetch', false);
		}
		if (
			this.refuseWholeRequestIfContains &&
			items.some((i) => i.id === this.refuseWholeRequestIfContains)
		) {
			throw new SendError('invalid input syntax for type uuid', true);
		}
		return items.map((item) => {
			if (this.rejectIds.has(item.id))
				return { id: item.id, status: 'rejected', reason: 'wave is closed' };
			if (this.stored.has(item.id)) return { id: item.id, status: 'duplicate', reason: null };
			this.stored.set(item.id, item);
			return { id: item.id, status: 'accepted', reason: null };
		});
	};
}

/** In-memory Web Locks: exclusive, FIFO, like `navigator.locks.request(name, cb)`. */
class FakeLocks implements TLockManager {
	#tails = new Map<string, Promise<unknown>>();
	active = 0;
	maxActive = 0;
	request<T>(name: string, callback: () => Promise<T>): Promise<T> {
		const prev = this.#tails.get(name) ?? Promise.resolve();
		const run = prev.then(async () => {
			this.active++;
			this.maxActive = Math.max(this.maxActive, this.active);
			try {
				return await callback();
			} finally {
				this.active--;
			}
		});
		this.#tails.set(
			name,
			run.catch(() => undefined)
		);
		return run;
	}
}

async function queueResponse(
	answers: Record<string, number | string> = { q3_01: 4, q5: 'no', district: '2' }
) {
	const draft = newDraft(fixture, 'en', null);
	draft.answers = answers;
	await saveDraft(db, draft);
	const payload: TResponseSubmission = {
		id: draft.id,
		wave_id: draft.wave_id,
		language: 'en',
		submitted_at: new Date().toISOString(),
		invitation_code: null,
		answers
	};
	await submitDraft(db, draft.slug, payload, { rated: ['q3_01'], district: '2' });
	return draft.id;
}

function engine(
	server: FakeServer,
	extra: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}
) {
	return new SyncEngine({
		db,
		send: server.send,
		setTimer: () => null,
		clearTimer: () => {},
		random: () => 0.5,
		...extra
	});
}

describe('submit', () => {
	it('moves the draft to the outbox and records a receipt in one step', async () => {
		const id = await queueResponse();
		expect(await db.drafts.count()).toBe(0);
		expect((await db.outbox.get(id))?.status).toBe('pending');
		expect((await db.receipts.get(id))?.status).toBe('queued');
	});

	it('leaves the draft in place if queuing fails part-way', async () => {
		const draft = newDraft(fixture, 'en', null);
		await saveDraft(db, draft);
		const payload = {
			id: draft.id,
			wave_id: draft.wave_id,
			language: 'en' as const,
			submitted_at: '',
			invitation_code: null,
			answers: {}
		};
		await db.receipts.add({
			id: draft.id,
			slug: 'x',
			wave_id: 'w',
			submitted_at: '',
			status: 'sent',
			sent_at: null,
			rated: [],
			district: null
		});
		// The receipt already exists, so `add` would not fail, but an outbox row with the same id would:
		await db.outbox.add({
			id: draft.id,
			slug: 'other',
			payload,
			status: 'rejected',
			attempts: 0,
			next_attempt_at: 0,
			enqueued_at: '',
			last_error: null,
			reason: 'x',
			errors: null
		});
		const entry = await submitDraft(db, draft.slug, payload, { rated: [], district: null });
		expect(entry.slug).toBe('other'); // idempotent: the existing entry is returned, nothing duplicated
		expect(await db.drafts.count()).toBe(1);
	});
});

describe('sync engine', () => {
	it('sends queued responses once and removes them only after the server acknowledged them', async () => {
		const a = await queueResponse();
		const b = await queueResponse();
		const server = new FakeServer();
		const report = await engine(server).drain();
		expect(report).toMatchObject({ sent: 2, rejected: 0, failed: 0 });
		expect([...server.stored.keys()].sort()).toEqual([a, b].sort());
		expect(await db.outbox.count()).toBe(0);
		expect((await db.receipts.get(a))?.status).toBe('sent');
	});

	it('keeps everything while offline and backs off after a failed attempt', async () => {
		const id = await queueResponse();
		const server = new FakeServer();
		let online = false;
		let now = Date.now() + 1_000;
		const e = engine(server, { isOnline: () => online, now: () => now });
		expect((await e.drain()).offline).toBe(true);
		expect(server.calls).toHaveLength(0);

		online = true;
		server.failNext = 1;
		expect((await e.drain()).failed).toBe(1);
		const entry = await db.outbox.get(id);
		expect(entry).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Failed to fetch' });
		expect(entry!.next_attempt_at).toBe(now + backoffDelay(1, () => 0.5));

		// Not due yet: a visibility trigger does not resend; an explicit trigger does.
		expect((await e.drain()).sent).toBe(0);
		expect(server.calls).toHaveLength(1);
		now += 10_000;
		expect((await e.drain()).sent).toBe(1);
		expect(await db.outbox.count()).toBe(0);
	});

	it('resends after a lost acknowledgement and the server answers duplicate; stored once', async () => {
		const id = await queueResponse();
		const server = new FakeServer();
		// The server commits but the reply is lost: simulate by storing first, then failing the call.
		server.stored.set(id, (await db.outbox.get(id))!.payload);
		const report = await engine(server).drain({ force: true });
		expect(report.sent).toBe(1);
		expect(server.stored.size).toBe(1);
		expect(await db.outbox.count()).toBe(0);
	});

	it('keeps a rejected response with the server reason and still sends the others', async () => {
		const bad = await queueResponse();
		const good = await queueResponse();
		const server = new FakeServer();
		server.rejectIds.add(bad);
		const report = await engine(server).drain();
		expect(report).toMatchObject({ sent: 1, rejected: 1 });
		expect(await db.outbox.get(bad)).toMatchObject({
			status: 'rejected',
			reason: 'wave is closed'
		});
		expect(await db.outbox.get(good)).toBeUndefined();
		// A rejected entry is never retried automatically.
		await engine(server).drain({ force: true });
		expect(server.calls.flat().filter((x) => x === bad)).toHaveLength(1);
	});

	it('isolates an item the server refuses as a whole request so the rest get through', async () => {
		const poison = await queueResponse();
		const ok1 = await queueResponse();
		const ok2 = await queueResponse();
		const server = new FakeServer();
		server.refuseWholeRequestIfContains = poison;
		const report = await engine(server).drain();
		expect(report).toMatchObject({ sent: 2, rejected: 1 });
		expect(await db.outbox.get(poison)).toMatchObject({
			status: 'rejected',
			reason: 'invalid input syntax for type uuid'
		});
		expect([...server.stored.keys()].sort()).toEqual([ok1, ok2].sort());
	});

	it('retries an item the server did not answer for instead of dropping it', async () => {
		const a = await queueResponse();
		const b = await queueResponse();
		const server = new FakeServer();
		const partial = async (items: TResponseSubmission[]) =>
			(await server.send(items)).filter((r) => r.id === a);
		const report = await engine(server, { send: partial }).drain();
		expect(report).toMatchObject({ sent: 1, failed: 1 });
		expect(await db.outbox.get(b)).toMatchObject({ status: 'pending', attempts: 1 });
	});

	it('sends in batches of the configured size', async () => {
		for (let i = 0; i < 5; i++) await queueResponse();
		const server = new FakeServer();
		await engine(server, { batchSize: 2 }).drain();
		expect(server.calls.map((c) => c.length)).toEqual([2, 2, 1]);
		expect(server.stored.size).toBe(5);
	});

	it('two tabs draining the same outbox send each response exactly once, never concurrently', async () => {
		for (let i = 0; i < 6; i++) await queueResponse();
		const server = new FakeServer();
		const locks = new FakeLocks();
		// Two engines over two connections to the same IndexedDB database, like two tabs.
		const db2 = new CivicPulseDb(db.name);
		await db2.open();
		const tab1 = engine(server, { locks, batchSize: 4 });
		const tab2 = new SyncEngine({
			db: db2,
			send: server.send,
			locks,
			batchSize: 4,
			setTimer: () => null,
			clearTimer: () => {}
		});
		const [r1, r2] = await Promise.all([tab1.drain(), tab2.drain()]);
		db2.close();
		expect(r1.sent + r2.sent).toBe(6);
		expect(server.calls.flat()).toHaveLength(6);
		expect(server.stored.size).toBe(6);
		expect(locks.maxActive).toBe(1);
	});

	it('coalesces a trigger that arrives during a send into one more pass', async () => {
		await queueResponse();
		const server = new FakeServer();
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const slow = async (items: TResponseSubmission[]) => {
			await gate;
			return server.send(items);
		};
		const e = engine(server, { send: slow });
		const first = e.drain();
		await new Promise((r) => setTimeout(r, 20));
		await queueResponse(); // enqueued while the first batch is in flight
		const second = e.drain({ force: true });
		release();
		expect(await first).toBe(await second);
		expect(server.stored.size).toBe(2);
	});

	it('schedules a retry at the backoff time after a failure', async () => {
		await queueResponse();
		const server = new FakeServer();
		server.failNext = 1;
		const timers: number[] = [];
		await engine(server, { now: () => 5_000, setTimer: (_fn, ms) => timers.push(ms) }).drain({
			force: true
		});
		expect(timers).toEqual([backoffDelay(1, () => 0.5)]);
	});
});

describe('backoff', () => {
	it('grows exponentially with jitter between half and the full delay, capped', () => {
		expect(backoffDelay(1, () => 0)).toBe(1_000);
		expect(backoffDelay(1, () => 0.999999)).toBe(2_000);
		expect(backoffDelay(3, () => 0)).toBe(4_000);
		expect(backoffDelay(30, () => 0.999999)).toBe(300_000);
		expect(backoffDelay(30, () => 0)).toBe(150_000);
	});
});

describe('a device handed to the next person ("answer again for someone else")', () => {
	it('sends each earlier person’s queued response alone, under its own identity, and the next person’s under the device session', async () => {
		const first = await queueResponse();
		const second = await queueResponse();
		const marked = await handOverQueued(db, { 'civicpulse-auth': '{"access_token":"a"}' });
		expect(marked).toMatchObject({ responses: 2, comments: 0 });
		const handover = marked.handover!;
		expect((await db.handovers.get(handover))?.storage).toEqual({
			'civicpulse-auth': '{"access_token":"a"}'
		});
		const third = await queueResponse();
		const server = new FakeServer();
		const identities: { ids: string[]; handover?: string }[] = [];
		const report = await engine(server, {
			send: (items, options) => {
				identities.push({
					ids: items.map((i) => i.id),
					handover: options?.handover
				});
				return server.send(items);
			}
		}).drain();
		expect(report).toMatchObject({ sent: 3, rejected: 0, failed: 0 });
		// The earlier person's two go under the session kept for them; the next person's under the
		// device's.
		expect(identities).toEqual(
			expect.arrayContaining([
				{ ids: [first], handover },
				{ ids: [second], handover },
				{ ids: [third], handover: undefined }
			])
		);
		expect(identities).toHaveLength(3);
		expect(await db.outbox.count()).toBe(0);
		for (const id of [first, second, third])
			expect((await db.receipts.get(id))?.status).toBe('sent');
	});

	it('keeps a handed-over response queued through a failed send, still marked as its own', async () => {
		const first = await queueResponse();
		const { handover } = await handOverQueued(db);
		const server = new FakeServer();
		server.failNext = 1;
		await engine(server).drain();
		const entry = await db.outbox.get(first);
		expect(entry).toMatchObject({ status: 'pending', handover, attempts: 1 });
		await engine(server).drain({ force: true });
		expect(server.stored.has(first)).toBe(true);
		expect(await db.outbox.count()).toBe(0);
	});
});
