/**
 * "Answer again for someone else" with items still queued: what the first person left on the
 * device (survey responses and meeting comments) is tied to the session kept for them, in one
 * transaction, and that session is forgotten once nothing of theirs is left to send.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CivicPulseDb, type TCommentPayload } from '$lib/db/db';
import { drainComments, queueComment, type TCommentResult } from '$lib/meetings/comment-outbox';
import { handOverQueued, pruneHandovers } from './outbox';

let db: CivicPulseDb;
beforeEach(async () => {
	db = new CivicPulseDb(`handover-${crypto.randomUUID()}`);
	await db.open();
});
afterEach(async () => {
	await db.delete();
});

const comment = (body: string): TCommentPayload => ({
	id: crypto.randomUUID(),
	meeting_id: 'm1',
	agenda_item_id: null,
	kind: 'comment',
	body,
	display_name: null
});

async function queueResponse(): Promise<string> {
	const id = crypto.randomUUID();
	await db.outbox.add({
		id,
		slug: 'resident-survey',
		payload: {
			id,
			wave_id: 'w1',
			language: 'en',
			submitted_at: new Date().toISOString(),
			invitation_code: null,
			answers: { q1_01: 4 }
		},
		status: 'pending',
		attempts: 0,
		next_attempt_at: 0,
		enqueued_at: new Date().toISOString(),
		last_error: null,
		reason: null,
		errors: null
	});
	return id;
}

/** Records which author each call went as; idempotent by id, like submit_comments. */
function recordingSender() {
	const calls: { ids: string[]; handover: string | undefined }[] = [];
	const send = async (
		items: TCommentPayload[],
		options?: { handover?: string }
	): Promise<TCommentResult[]> => {
		calls.push({ ids: items.map((i) => i.id), handover: options?.handover });
		return items.map((i) => ({ id: i.id, status: 'accepted' }));
	};
	return { calls, send };
}

describe('handing the device on with items queued', () => {
	it('ties the first person’s queued responses and comments to their kept session, in one step', async () => {
		const response = await queueResponse();
		const theirs = comment('From the first person');
		await queueComment(db, theirs);
		const session = { 'civicpulse-auth': '{"access_token":"first"}' };

		const marked = await handOverQueued(db, session);

		expect(marked).toMatchObject({ responses: 1, comments: 1 });
		expect(await db.handovers.get(marked.handover!)).toMatchObject({ storage: session });
		expect(await db.outbox.get(response)).toMatchObject({ handover: marked.handover });
		expect(await db.comment_outbox.get(theirs.id)).toMatchObject({ handover: marked.handover });
	});

	it('keeps nothing when nothing is queued', async () => {
		const marked = await handOverQueued(db, { 'civicpulse-auth': '{}' });
		expect(marked).toEqual({ handover: null, responses: 0, comments: 0 });
		expect(await db.handovers.count()).toBe(0);
	});

	it('leaves an earlier person’s items with theirs when the device is handed on again', async () => {
		const first = comment('First person');
		await queueComment(db, first);
		const a = await handOverQueued(db, { 'civicpulse-auth': 'A' });
		const second = comment('Second person');
		await queueComment(db, second);
		const b = await handOverQueued(db, { 'civicpulse-auth': 'B' });

		expect(a.handover).not.toBe(b.handover);
		expect(b).toMatchObject({ comments: 1 });
		expect((await db.comment_outbox.get(first.id))?.handover).toBe(a.handover);
		expect((await db.comment_outbox.get(second.id))?.handover).toBe(b.handover);
	});

	it('sends each author’s comments in calls of their own: hand-overs’ under their session, the rest under the device’s', async () => {
		const first = [comment('A1'), comment('A2')];
		for (const c of first) await queueComment(db, c);
		const a = await handOverQueued(db);
		const next = [comment('B1'), comment('B2')];
		for (const c of next) await queueComment(db, c);
		const server = recordingSender();

		const report = await drainComments(db, server.send, { force: true });

		expect(report.sent).toHaveLength(4);
		// Queued in the same millisecond, so the order of the calls may be either.
		const sorted = (ids: string[]) => [...ids].sort();
		expect(server.calls.map((c) => ({ ...c, ids: sorted(c.ids) }))).toEqual(
			expect.arrayContaining([
				{ ids: sorted(first.map((c) => c.id)), handover: a.handover },
				{ ids: sorted(next.map((c) => c.id)), handover: undefined }
			])
		);
		expect(server.calls).toHaveLength(2);
		expect(await db.comment_outbox.count()).toBe(0);
	});

	it('forgets a kept session only once none of its items is left to send', async () => {
		const queued = comment('Still waiting');
		await queueComment(db, queued);
		const response = await queueResponse();
		const { handover } = await handOverQueued(db, { 'civicpulse-auth': 'A' });

		await db.comment_outbox.delete(queued.id); // the comment was sent
		expect(await pruneHandovers(db)).toBe(0);
		expect(await db.handovers.get(handover!)).toBeDefined();

		await db.outbox.update(response, { status: 'rejected' }); // refused for good
		expect(await pruneHandovers(db)).toBe(1);
		expect(await db.handovers.count()).toBe(0);
	});
});
