import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CivicPulseDb, type TCommentPayload } from '$lib/db/db';
import { SendError } from '$lib/sync/engine';
import {
	dismissRejected,
	drainComments,
	queueComment,
	type TCommentResult
} from './comment-outbox';

let db: CivicPulseDb;
beforeEach(async () => {
	db = new CivicPulseDb(`comments-${crypto.randomUUID()}`);
	await db.open();
});
afterEach(async () => {
	await db.delete();
});

const payload = (body = 'When will my street be repaved?'): TCommentPayload => ({
	id: crypto.randomUUID(),
	meeting_id: 'm1',
	agenda_item_id: null,
	kind: 'question',
	body,
	display_name: null
});

/** Idempotent by id, like submit_comments. */
function fakeServer() {
	const stored = new Map<string, TCommentPayload>();
	const state = { failNext: 0, reject: new Set<string>(), calls: 0, refuseWhole: false };
	const send = async (items: TCommentPayload[]): Promise<TCommentResult[]> => {
		state.calls++;
		if (state.failNext > 0) {
			state.failNext--;
			throw new SendError('Failed to fetch', false);
		}
		if (state.refuseWhole && items.length > 1) throw new SendError('bad request', true);
		return items.map((i) => {
			if (state.reject.has(i.id))
				return { id: i.id, status: 'rejected', reason: 'comments are closed for this meeting' };
			const dup = stored.has(i.id);
			stored.set(i.id, i);
			return { id: i.id, status: dup ? 'duplicate' : 'accepted' };
		});
	};
	return { stored, state, send };
}

describe('comment queue', () => {
	it('keeps a comment written offline until the server has it, then sends it exactly once', async () => {
		const server = fakeServer();
		const p = payload();
		await queueComment(db, p);
		await queueComment(db, p); // double tap
		expect(await db.comment_outbox.count()).toBe(1);

		server.state.failNext = 1; // offline
		const first = await drainComments(db, server.send, { random: () => 0 });
		expect(first.failed).toBe(1);
		const kept = await db.comment_outbox.get(p.id);
		expect(kept?.status).toBe('pending');
		expect(kept?.attempts).toBe(1);
		expect(first.retryAt).toBeGreaterThan(Date.now());

		const second = await drainComments(db, server.send, { force: true });
		expect(second.sent).toEqual([p.id]);
		expect(await db.comment_outbox.count()).toBe(0);
		expect(server.stored.size).toBe(1);
	});

	it('respects backoff unless forced', async () => {
		const server = fakeServer();
		await queueComment(db, payload());
		server.state.failNext = 1;
		await drainComments(db, server.send, { random: () => 0 });
		const calls = server.state.calls;
		await drainComments(db, server.send);
		expect(server.state.calls).toBe(calls); // not due yet
		await drainComments(db, server.send, { force: true });
		expect(server.state.calls).toBe(calls + 1);
	});

	it('keeps a rejected comment with the reason, sends the rest, and deletes it only when dismissed', async () => {
		const server = fakeServer();
		const bad = payload('closed');
		const good = payload('fine');
		server.state.reject.add(bad.id);
		await queueComment(db, bad);
		await queueComment(db, good);
		const report = await drainComments(db, server.send);
		expect(report.sent).toEqual([good.id]);
		expect(report.rejected).toEqual([bad.id]);
		const kept = await db.comment_outbox.get(bad.id);
		expect(kept?.status).toBe('rejected');
		expect(kept?.reason).toMatch(/closed/);
		expect(kept?.payload.body).toBe('closed');
		await dismissRejected(db, bad.id);
		expect(await db.comment_outbox.count()).toBe(0);
	});

	it('keeps a comment the server refuses only for now (rate limit) pending, and retries it later', async () => {
		const p = payload();
		await queueComment(db, p);
		let limited = true;
		const send = async (items: TCommentPayload[]): Promise<TCommentResult[]> =>
			items.map((i) =>
				limited
					? { id: i.id, status: 'rejected', reason: 'Rate limit: try again later', retryable: true }
					: { id: i.id, status: 'accepted' }
			);
		const first = await drainComments(db, send, { random: () => 0 });
		expect(first.rejected).toEqual([]);
		expect((await db.comment_outbox.get(p.id))?.status).toBe('pending');
		limited = false;
		const second = await drainComments(db, send, { force: true });
		expect(second.sent).toEqual([p.id]);
	});

	it('never dismisses a comment that is still waiting to be sent', async () => {
		const p = payload();
		await queueComment(db, p);
		await dismissRejected(db, p.id);
		expect(await db.comment_outbox.get(p.id)).toBeTruthy();
	});

	it('finds the one comment a server refuses as a whole request by sending one at a time', async () => {
		const server = fakeServer();
		server.state.refuseWhole = true;
		const a = payload('a');
		const b = payload('b');
		server.state.reject.add(b.id);
		await queueComment(db, a);
		await queueComment(db, b);
		const report = await drainComments(db, server.send);
		expect(report.sent).toEqual([a.id]);
		expect(report.rejected).toEqual([b.id]);
		expect(server.stored.has(a.id)).toBe(true);
	});

	it('a retry after a lost acknowledgement answers duplicate and stores nothing twice', async () => {
		const server = fakeServer();
		const p = payload();
		await queueComment(db, p);
		// The server stored it but the answer never arrived:
		await server.send([p]);
		const report = await drainComments(db, server.send);
		expect(report.sent).toEqual([p.id]);
		expect(server.stored.size).toBe(1);
		expect(await db.comment_outbox.count()).toBe(0);
	});

	it('upgrading the device database from version 1 to the current one keeps queued survey responses', async () => {
		const name = `upgrade-${crypto.randomUUID()}`;
		const Dexie = (await import('dexie')).default;
		const v1 = new Dexie(name);
		v1.version(1).stores({
			drafts: '&slug, id',
			outbox: '&id, status, next_attempt_at, slug',
			receipts: '&id, slug, wave_id',
			definitions: '&slug',
			cache: '&key'
		});
		await v1.open();
		await v1.table('outbox').add({ id: 'r1', status: 'pending', next_attempt_at: 0, slug: 's' });
		v1.close();
		const v2 = new CivicPulseDb(name);
		await v2.open();
		expect(v2.verno).toBe(3);
		expect((await v2.outbox.get('r1'))?.status).toBe('pending');
		expect(await v2.comment_outbox.count()).toBe(0);
		expect(await v2.handovers.count()).toBe(0);
		await v2.delete();
	});
});
