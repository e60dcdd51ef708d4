/**
 * Live meeting comments: meeting_feed, submit_comments, vote_comment and moderate_comment, as
 * the meeting page and the moderation queue call them, on PGlite and on PostgreSQL 15. The
 * fixture meetings are made here, not taken from the seed.
 *
 * The feed is polled with a cursor; what attendees rely on: nothing they may see is ever skipped
 * (the two-concurrent-writers test at the bottom, PostgreSQL only), a comment taken down
 * disappears from every screen (tombstones), and a retried post never appears twice.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { as, count, createUser, resident, type TIdentity } from './support';
import type {
	TFeedComment,
	TFeedItem,
	TFeedPage,
	TFeedTombstone
} from '../../src/lib/meetings/feed';

// The wire shapes are the UI's own (src/lib/meetings/feed.ts): these tests hold the SQL to them.
type TComment = TFeedComment;
type TTombstone = TFeedTombstone;
type TItem = TFeedItem;
type TFeed = TFeedPage & { full: boolean };
interface TResult {
	id: string | null;
	status: 'accepted' | 'duplicate' | 'rejected';
	reason: string | null;
	retryable: boolean;
}

const anon: TIdentity = { role: 'anon' };
const L = (en: string) => JSON.stringify({ en, es: en });

interface TMeetings {
	post: string;
	pre: string;
	closed: string;
	ended: string;
	agendaPost: string;
	agendaPre: string;
}

async function createMeetings(db: TTestDb): Promise<TMeetings> {
	const meeting = async (moderation: string, status: string, open: boolean) => {
		const { rows } = await db.query<{ id: string }>(
			`insert into public.meetings (title, starts_at, status, moderation, comments_open)
			 values ($1, now(), $2, $3, $4) returning id`,
			[L(`Meeting ${moderation} ${status}`), status, moderation, open]
		);
		return rows[0].id;
	};
	const agendaItem = async (meetingId: string) => {
		const { rows } = await db.query<{ id: string }>(
			`insert into public.agenda_items (meeting_id, position, title) values ($1, 1, $2) returning id`,
			[meetingId, L('Streets')]
		);
		return rows[0].id;
	};
	const post = await meeting('post', 'live', true);
	const pre = await meeting('pre', 'live', true);
	return {
		post,
		pre,
		closed: await meeting('post', 'scheduled', false),
		ended: await meeting('post', 'ended', true),
		agendaPost: await agendaItem(post),
		agendaPre: await agendaItem(pre)
	};
}

const isTombstone = (item: TItem): item is TTombstone => item.removed === true;

describe.each(ENGINES)('meeting comments on %s', (engine) => {
	let db: TTestDb;
	let m: TMeetings;
	let moderator: TIdentity;

	beforeAll(async () => {
		db = await openTestDb(engine);
		m = await createMeetings(db);
		moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
	});
	afterAll(async () => {
		await db?.close();
	});

	const rpc = <T>(who: TIdentity, sql: string, params: unknown[]) =>
		as(db, who, async (tx) => (await tx.query<{ r: T }>(sql, params)).rows[0].r);
	const submitComments = (who: TIdentity, items: unknown) =>
		rpc<TResult[]>(who, 'select public.submit_comments($1::jsonb) as r', [JSON.stringify(items)]);
	const feed = (who: TIdentity, meetingId: string, after: string | null = null) =>
		rpc<TFeed>(who, 'select public.meeting_feed($1, $2) as r', [meetingId, after]);
	const vote = (who: TIdentity, commentId: string, up = true) =>
		rpc<{ comment_id: string; vote_count: number; voted: boolean }>(
			who,
			'select public.vote_comment($1, $2) as r',
			[commentId, up]
		);
	const moderate = (who: TIdentity, commentId: string, action: string, reason?: string) =>
		rpc<TComment>(who, 'select public.moderate_comment($1, $2, $3) as r', [
			commentId,
			action,
			reason ?? null
		]);
	const comment = (extra: Record<string, unknown> = {}) => ({
		id: randomUUID(),
		meeting_id: m.post,
		agenda_item_id: m.agendaPost,
		kind: 'question',
		body: 'When will the potholes on Main St be fixed?',
		display_name: 'Maria G.',
		...extra
	});
	const stored = (id: string) => count(db, 'select 1 from public.comments where id = $1', [id]);
	const ids = (f: TFeed) => f.items.map((i) => i.id);
	const itemOf = (f: TFeed, id: string) => f.items.find((i) => i.id === id);

	it('accepts a valid comment and shows it in everyone’s feed, marked as mine for its author', async () => {
		const author = await resident(db);
		const item = comment({ body: '  Fix the potholes on Main St  ', display_name: ' Maria G. ' });
		expect(await submitComments(author, [item])).toEqual([
			{ id: item.id, status: 'accepted', reason: null, retryable: false }
		]);

		const mine = await feed(author, m.post);
		expect(mine.meeting).toEqual({
			id: m.post,
			status: 'live',
			comments_open: true,
			moderation: 'post'
		});
		expect(mine.full).toBe(true);
		expect(mine.cursor).toMatch(/^[0-9]+$/);
		const c = itemOf(mine, item.id) as TComment;
		expect(c).toMatchObject({
			id: item.id,
			meeting_id: m.post,
			agenda_item_id: m.agendaPost,
			display_name: 'Maria G.',
			kind: 'question',
			body: 'Fix the potholes on Main St',
			status: 'published',
			answered: false,
			answer: null,
			answered_at: null,
			pinned: false,
			vote_count: 0,
			version: 1,
			mine: true,
			voted: false,
			moderation_reason: null,
			removed: false
		});
		expect(Object.keys(c).sort()).toEqual(
			[
				'agenda_item_id',
				'answer',
				'answered',
				'answered_at',
				'body',
				'created_at',
				'display_name',
				'id',
				'kind',
				'meeting_id',
				'mine',
				'moderation_reason',
				'pinned',
				'removed',
				'status',
				'updated_at',
				'version',
				'vote_count',
				'voted'
			].sort()
		);
		expect(new Date(c.created_at).getTime()).not.toBeNaN();

		for (const who of [anon, await resident(db)]) {
			const theirs = itemOf(await feed(who, m.post), item.id);
			expect(theirs).toMatchObject({ body: 'Fix the potholes on Main St', mine: false });
		}
		const { rows } = await db.query<{ author_id: string; agenda_item_id: string }>(
			'select author_id, agenda_item_id from public.comments where id = $1',
			[item.id]
		);
		expect(rows).toEqual([{ author_id: author.sub, agenda_item_id: m.agendaPost }]);
	});

	it('accepts a comment on the meeting in general, with no name and no kind (a plain comment)', async () => {
		const author = await resident(db);
		const item = { id: randomUUID(), meeting_id: m.post, body: 'Thanks for streaming this' };
		expect((await submitComments(author, [item]))[0].status).toBe('accepted');
		expect(itemOf(await feed(anon, m.post), item.id)).toMatchObject({
			agenda_item_id: null,
			display_name: null,
			kind: 'comment'
		});
		// A blank name is no name; a scheduled meeting with comments open takes comments too.
		const { rows } = await db.query<{ id: string }>(
			`insert into public.meetings (title, starts_at, comments_open) values ($1, now() + interval '7 days', true)
			 returning id`,
			[L('Next month')]
		);
		const advance = comment({ meeting_id: rows[0].id, agenda_item_id: null, display_name: '   ' });
		expect((await submitComments(author, [advance]))[0].status).toBe('accepted');
		expect(itemOf(await feed(anon, rows[0].id), advance.id)).toMatchObject({ display_name: null });
	});

	const invalid: [string, (m: TMeetings) => unknown, RegExp][] = [
		['an item that is not an object', () => 'hello', /JSON object/],
		['an item without id', () => ({ ...comment(), id: undefined }), /"id"/],
		['an id that is not a UUID', () => comment({ id: 'comment-1' }), /"id"/],
		['an item without meeting_id', () => ({ ...comment(), meeting_id: undefined }), /meeting_id/],
		[
			'an unknown meeting',
			() => comment({ meeting_id: randomUUID(), agenda_item_id: null }),
			/^Unknown meeting$/
		],
		[
			'a meeting whose comments are closed',
			(m) => comment({ meeting_id: m.closed, agenda_item_id: null }),
			/^Comments are closed for this meeting$/
		],
		[
			'a meeting that has ended, even with comments left open',
			(m) => comment({ meeting_id: m.ended, agenda_item_id: null }),
			/^Comments are closed for this meeting$/
		],
		[
			'an agenda item of another meeting',
			(m) => comment({ agenda_item_id: m.agendaPre }),
			/agenda item is not part of this meeting/
		],
		['an agenda item that is not a UUID', () => comment({ agenda_item_id: 7 }), /agenda_item_id/],
		[
			'an unknown kind',
			() => comment({ kind: 'complaint' }),
			/"kind" must be "comment" or "question"/
		],
		['a body that is not text', () => comment({ body: 42 }), /"body" must be text/],
		['an empty body', () => comment({ body: '' }), /^The comment is empty$/],
		['a body of white space only', () => comment({ body: ' \n\t  ' }), /^The comment is empty$/],
		[
			'a body over 1000 characters',
			() => comment({ body: 'x'.repeat(1001) }),
			/too long: 1001 characters, at most 1000/
		],
		[
			'a display name over 60 characters',
			() => comment({ display_name: 'n'.repeat(61) }),
			/display name is too long: 61 characters, at most 60/
		],
		['a display name that is not text', () => comment({ display_name: true }), /display_name/],
		[
			'unknown fields',
			() => comment({ author_id: randomUUID(), status: 'published' }),
			/Unknown field\(s\) "author_id", "status"/
		]
	];
	it.each(invalid)('rejects %s with a reason and stores nothing', async (_label, make, reason) => {
		const item = make(m);
		const who = await resident(db);
		const good = comment();
		const results = await submitComments(who, [item, good]);
		expect(results).toHaveLength(2);
		expect(results[0]).toMatchObject({ status: 'rejected', retryable: false });
		expect(results[0].reason).toMatch(reason);
		// The good item of the same batch is still stored.
		expect(results[1]).toMatchObject({ id: good.id, status: 'accepted' });
		const id = (item as { id?: unknown })?.id;
		if (typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) {
			expect(results[0].id).toBe(id);
			expect(await stored(id)).toBe(0);
		}
	});

	it('accepts exactly 1000 characters and counts characters, not bytes', async () => {
		const who = await resident(db);
		const [r] = await submitComments(who, [comment({ body: 'é'.repeat(1000) })]);
		expect(r.status, JSON.stringify(r)).toBe('accepted');
	});

	it('answers "duplicate" on a retry and stores the comment once; another user cannot take the id', async () => {
		const author = await resident(db);
		const item = comment();
		expect((await submitComments(author, [item]))[0].status).toBe('accepted');
		expect(await submitComments(author, [item])).toEqual([
			{
				id: item.id,
				status: 'duplicate',
				reason: 'Already received; nothing was changed',
				retryable: false
			}
		]);
		// A changed payload with the same id is the same comment: nothing changes.
		const [changed] = await submitComments(author, [{ ...item, body: 'Edited' }]);
		expect(changed.status).toBe('duplicate');
		// Twice in one batch.
		const twice = comment();
		expect((await submitComments(author, [twice, twice])).map((r) => r.status)).toEqual([
			'accepted',
			'duplicate'
		]);
		const [stolen] = await submitComments(await resident(db), [{ ...item, body: 'Mine now' }]);
		expect(stolen).toMatchObject({ status: 'rejected' });
		expect(stolen.reason).toMatch(/another comment/);
		const { rows } = await db.query<{ body: string; version: string }>(
			'select body, version::text as version from public.comments where id = $1',
			[item.id]
		);
		expect(rows).toEqual([{ body: item.body, version: '1' }]);
		expect(await stored(twice.id)).toBe(1);
	});

	it('stores a comment once when the same id arrives twice at the same time', async () => {
		const author = await resident(db);
		const item = comment();
		const results = await Promise.all([
			submitComments(author, [item]),
			submitComments(author, [item])
		]);
		expect(results.map((r) => r[0].status).sort()).toEqual(['accepted', 'duplicate']);
		expect(await stored(item.id)).toBe(1);
	});

	it('returns one result per item, in order, for a mixed batch', async () => {
		const author = await resident(db);
		const old = comment();
		await submitComments(author, [old]);
		const good = comment({ kind: 'comment' });
		const bad = comment({ body: '' });
		const closed = comment({ meeting_id: m.closed, agenda_item_id: null });
		const results = await submitComments(author, [old, bad, good, closed]);
		expect(results.map((r) => [r.id, r.status])).toEqual([
			[old.id, 'duplicate'],
			[bad.id, 'rejected'],
			[good.id, 'accepted'],
			[closed.id, 'rejected']
		]);
		expect(await stored(bad.id)).toBe(0);
		expect(await stored(good.id)).toBe(1);
	});

	it('refuses a payload that is not an array, or more than 50 items, as a whole (22023)', async () => {
		const who = await resident(db);
		await expect(submitComments(who, comment())).rejects.toMatchObject({
			code: '22023',
			message: expect.stringContaining('JSON array')
		});
		const many = Array.from({ length: 51 }, () => comment());
		await expect(submitComments(who, many)).rejects.toMatchObject({
			code: '22023',
			message: 'Too many comments in one call: 51 (at most 50)'
		});
		expect(await stored(many[0].id)).toBe(0);
	});

	it('tells callers without a session to sign in (42501), storing nothing', async () => {
		const item = comment();
		await expect(submitComments(anon, [item])).rejects.toMatchObject({
			code: '42501',
			message: 'Sign in first: posting comments needs a signed-in session'
		});
		expect(await stored(item.id)).toBe(0);
	});

	it('cannot be bypassed: residents have no direct write access to comments', async () => {
		const who = await resident(db);
		await expect(
			as(db, who, (tx) =>
				tx.query(
					`insert into public.comments (id, meeting_id, author_id, body, status)
					 values ($1, $2, $3, 'Direct', 'published')`,
					[randomUUID(), m.post, who.sub]
				)
			)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			as(db, anon, (tx) =>
				tx.query(`insert into public.comments (id, meeting_id, body) values ($1, $2, 'x')`, [
					randomUUID(),
					m.post
				])
			)
		).rejects.toMatchObject({ code: '42501' });
	});

	it('limits an author to 20 comments per meeting in 10 minutes, as a retryable rejection', async () => {
		const who = await resident(db);
		const first = Array.from({ length: 20 }, () => comment());
		const results = await submitComments(who, first);
		expect(results.every((r) => r.status === 'accepted')).toBe(true);
		const extra = comment();
		const [r] = await submitComments(who, [extra, first[0]]);
		expect(r).toMatchObject({ id: extra.id, status: 'rejected', retryable: true });
		expect(r.reason).toMatch(/^Rate limit: at most 20 comments per meeting in 10 minutes/);
		expect(await stored(extra.id)).toBe(0);
		// A retry of a stored comment is still a duplicate, and other meetings are not affected.
		expect((await submitComments(who, [first[0]]))[0].status).toBe('duplicate');
		const elsewhere = comment({ meeting_id: m.pre, agenda_item_id: m.agendaPre });
		expect((await submitComments(who, [elsewhere]))[0].status).toBe('accepted');
	});

	it('pre-moderation keeps a comment pending, seen only by its author and moderators, until published', async () => {
		const author = await resident(db);
		const other = await resident(db);
		const item = comment({ meeting_id: m.pre, agenda_item_id: m.agendaPre });
		const before = await feed(other, m.pre);
		expect((await submitComments(author, [item]))[0].status).toBe('accepted');

		expect(itemOf(await feed(author, m.pre), item.id)).toMatchObject({
			status: 'pending',
			mine: true
		});
		expect(ids(await feed(anon, m.pre))).not.toContain(item.id);
		expect(ids(await feed(other, m.pre))).not.toContain(item.id);
		// Not even a tombstone: the queue is not public.
		expect(ids(await feed(other, m.pre, before.cursor))).not.toContain(item.id);
		expect(itemOf(await feed(moderator, m.pre), item.id)).toMatchObject({
			status: 'pending',
			mine: false
		});
		// Nobody can vote on it yet: to others it does not exist, its author is told why.
		await expect(vote(other, item.id)).rejects.toMatchObject({ code: 'PT404' });
		await expect(vote(author, item.id)).rejects.toMatchObject({
			code: '22023',
			message: 'You can vote only on published comments (this one is pending)'
		});

		const published = await moderate(moderator, item.id, 'publish');
		expect(published).toMatchObject({ id: item.id, status: 'published', version: 2 });
		const seen = itemOf(await feed(other, m.pre, before.cursor), item.id);
		expect(seen).toMatchObject({ status: 'published', body: item.body, removed: false });
		expect(ids(await feed(anon, m.pre))).toContain(item.id);
	});

	it('a hidden comment comes as a tombstone to a client with an older cursor, and drops from full feeds', async () => {
		const author = await resident(db);
		const item = comment();
		await submitComments(author, [item]);
		const reader = await feed(anon, m.post);
		const held = itemOf(reader, item.id) as TComment;
		expect(held.status).toBe('published');

		const hidden = await moderate(moderator, item.id, 'hide', 'Personal attack');
		expect(hidden).toMatchObject({
			status: 'hidden',
			moderation_reason: 'Personal attack',
			version: held.version + 1
		});

		const next = await feed(anon, m.post, reader.cursor);
		expect(next.full).toBe(false);
		expect(itemOf(next, item.id)).toEqual({
			id: item.id,
			version: held.version + 1,
			status: 'hidden',
			removed: true
		});
		const residentView = await feed(await resident(db), m.post, reader.cursor);
		expect(itemOf(residentView, item.id)).toMatchObject({ removed: true });
		expect(ids(await feed(anon, m.post))).not.toContain(item.id);
		// The author still sees it, with the reason; moderators see it with the reason too.
		expect(itemOf(await feed(author, m.post, reader.cursor), item.id)).toMatchObject({
			status: 'hidden',
			body: item.body,
			moderation_reason: 'Personal attack',
			removed: false
		});
		expect(itemOf(await feed(moderator, m.post), item.id)).toMatchObject({
			status: 'hidden',
			moderation_reason: 'Personal attack'
		});
		// Published again: it comes back in full, without the reason.
		await moderate(moderator, item.id, 'publish');
		expect(itemOf(await feed(anon, m.post, next.cursor), item.id)).toMatchObject({
			status: 'published',
			moderation_reason: null,
			version: held.version + 2
		});
	});

	it('a deleted comment comes as a tombstone too', async () => {
		const author = await resident(db);
		const item = comment();
		await submitComments(author, [item]);
		const reader = await feed(anon, m.post);
		const version = (itemOf(reader, item.id) as TComment).version;
		await as(db, moderator, (tx) =>
			tx.query('delete from public.comments where id = $1', [item.id])
		);
		expect(itemOf(await feed(anon, m.post, reader.cursor), item.id)).toEqual({
			id: item.id,
			version: version + 1,
			status: 'hidden',
			removed: true
		});
		expect(ids(await feed(anon, m.post))).not.toContain(item.id);
	});

	it('a poll with the previous cursor brings every change since, in created_at order', async () => {
		const author = await resident(db);
		let cursor = (await feed(anon, m.post)).cursor;
		const seen = new Map<string, TComment>();
		const merge = (f: TFeed) => {
			for (const i of f.items) {
				const held = seen.get(i.id);
				if (held && held.version > i.version) continue;
				if (isTombstone(i)) seen.delete(i.id);
				else seen.set(i.id, i);
			}
			cursor = f.cursor;
		};
		const posted: string[] = [];
		for (let round = 0; round < 3; round++) {
			const batch = [comment(), comment()];
			posted.push(...batch.map((c) => c.id));
			await submitComments(author, batch);
			merge(await feed(anon, m.post, cursor));
		}
		await vote(await resident(db), posted[0]);
		merge(await feed(anon, m.post, cursor));
		expect(posted.every((id) => seen.has(id))).toBe(true);
		expect(seen.get(posted[0])?.vote_count).toBe(1);
		// Same as a fresh full feed.
		const full = await feed(anon, m.post);
		for (const id of posted) expect(itemOf(full, id)).toEqual(seen.get(id));
		const order = full.items.map((i) => [(i as TComment).created_at, i.id]);
		expect(order).toEqual(
			// Code-unit order is time order here: "…:50+00:00" < "…:50.06+00:00" < "…:50.1+00:00".
			[...order].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
		);
	});

	it('refuses a malformed cursor (22023 naming p_after) and an unknown meeting (PT404)', async () => {
		for (const bad of ['abc', '-1', '12:34:', '1e5', '99999999999999999999999']) {
			await expect(feed(anon, m.post, bad)).rejects.toMatchObject({
				code: '22023',
				message: expect.stringContaining('p_after')
			});
		}
		await expect(feed(anon, randomUUID())).rejects.toMatchObject({
			code: 'PT404',
			message: 'meeting not found'
		});
	});

	it('answers the full set for a cursor from another database (ahead of this one)', async () => {
		const f = await feed(anon, m.post, '18446744073709551000');
		expect(f.full).toBe(true);
		expect(f.items.length).toBeGreaterThan(0);
		expect(f.items.some(isTombstone)).toBe(false);
	});

	it('counts votes exactly and idempotently; only signed-in users vote, only on published comments', async () => {
		const author = await resident(db);
		const item = comment();
		await submitComments(author, [item]);
		const [v1, v2] = [await resident(db), await resident(db)];
		expect(await vote(v1, item.id)).toEqual({ comment_id: item.id, vote_count: 1, voted: true });
		expect(await vote(v1, item.id)).toEqual({ comment_id: item.id, vote_count: 1, voted: true });
		expect(await vote(v2, item.id)).toEqual({ comment_id: item.id, vote_count: 2, voted: true });
		expect(itemOf(await feed(v1, m.post), item.id)).toMatchObject({ vote_count: 2, voted: true });
		expect(itemOf(await feed(author, m.post), item.id)).toMatchObject({ voted: false });
		expect(await vote(v1, item.id, false)).toEqual({
			comment_id: item.id,
			vote_count: 1,
			voted: false
		});
		expect(await vote(v1, item.id, false)).toEqual({
			comment_id: item.id,
			vote_count: 1,
			voted: false
		});
		expect(
			await count(db, 'select 1 from public.comment_votes where comment_id = $1', [item.id])
		).toBe(1);
		const { rows } = await db.query<{ n: number }>(
			'select vote_count as n from public.comments where id = $1',
			[item.id]
		);
		expect(rows).toEqual([{ n: 1 }]);

		await expect(vote(anon, item.id)).rejects.toMatchObject({
			code: '42501',
			message: 'Sign in first: voting needs a signed-in session'
		});
		await expect(vote(v1, randomUUID())).rejects.toMatchObject({
			code: 'PT404',
			message: 'comment not found'
		});
		await moderate(moderator, item.id, 'hide');
		await expect(vote(v2, item.id)).rejects.toMatchObject({
			code: 'PT404' // hidden: no longer visible to the voter at all
		});
		await expect(vote(author, item.id)).rejects.toMatchObject({
			code: '22023',
			message: 'You can vote only on published comments (this one is hidden)'
		});
	});

	it('lets moderators answer, pin and hide; repeating an action changes nothing', async () => {
		const author = await resident(db);
		const item = comment();
		await submitComments(author, [item]);
		expect(await moderate(moderator, item.id, 'answer')).toMatchObject({
			answered: true,
			version: 2
		});
		expect(await moderate(moderator, item.id, 'answer')).toMatchObject({ version: 2 });
		expect(await moderate(moderator, item.id, 'pin')).toMatchObject({ pinned: true, version: 3 });
		expect(await moderate(moderator, item.id, 'unpin')).toMatchObject({ pinned: false });
		expect(await moderate(moderator, item.id, 'unanswer')).toMatchObject({ answered: false });
		const admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		expect(await moderate(admin, item.id, 'pin')).toMatchObject({ pinned: true, mine: false });
		expect(itemOf(await feed(anon, m.post), item.id)).toMatchObject({ pinned: true });
	});

	it('refuses moderation to everyone but moderators and admins (42501), and bad input (22023, PT404)', async () => {
		const author = await resident(db);
		const item = comment();
		await submitComments(author, [item]);
		const analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		// An anonymous session never counts as staff, even with a staff row.
		const anonymousModerator = await createUser(db, { anonymous: true, staffRole: 'moderator' });
		for (const who of [author, analyst, anonymousModerator]) {
			await expect(moderate(who, item.id, 'hide')).rejects.toMatchObject({
				code: '42501',
				message: 'Only moderators and admins can moderate comments'
			});
		}
		await expect(moderate(anon, item.id, 'hide')).rejects.toMatchObject({ code: '42501' });
		await expect(moderate(moderator, item.id, 'delete')).rejects.toMatchObject({
			code: '22023',
			message:
				'Unknown moderation action "delete": use one of publish, hide, answer, unanswer, pin, unpin'
		});
		await expect(moderate(moderator, item.id, 'hide', 'r'.repeat(501))).rejects.toMatchObject({
			code: '22023',
			message: expect.stringContaining('p_reason is too long')
		});
		await expect(moderate(moderator, randomUUID(), 'hide')).rejects.toMatchObject({
			code: 'PT404',
			message: 'comment not found'
		});
		expect(itemOf(await feed(anon, m.post), item.id)).toMatchObject({
			status: 'published',
			version: 1
		});
	});

	it('nudges Realtime on the meeting topic, and a failing nudge never fails the write', async () => {
		const author = await resident(db);
		const item = comment();
		await submitComments(author, [item]);
		expect(
			await count(
				db,
				`select 1 from realtime.messages where topic = $1 and event = 'changed'
				   and payload ->> 'meeting_id' = $2 and not private`,
				[`meeting:${m.post}`, m.post]
			)
		).toBeGreaterThan(0);

		const broken = comment();
		const rollback = new Error('rollback');
		await expect(
			db.transaction(async (tx) => {
				await tx.exec(
					`create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
					 returns void language plpgsql as $$ begin raise exception 'realtime is down'; end $$`
				);
				await tx.query(
					`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
					[JSON.stringify({ role: 'authenticated', sub: author.sub, is_anonymous: true })]
				);
				const { rows } = await tx.query<{ r: TResult[] }>(
					'select public.submit_comments($1::jsonb) as r',
					[JSON.stringify([broken])]
				);
				expect(rows[0].r[0].status).toBe('accepted');
				await tx.query('reset role');
				expect(await count(tx, 'select 1 from public.comments where id = $1', [broken.id])).toBe(1);
				throw rollback; // undo the broken realtime.send
			})
		).rejects.toBe(rollback);
	});
});

/**
 * The feed cursor trap (DESIGN §5) on PostgreSQL 15 with two real connections: writer A posts
 * first but commits last. A reader that polled in between must still get A on its next poll,
 * although A's created_at is earlier than B's — a `created_at > last seen` poll would skip A
 * forever.
 */
describe('meeting_feed with two concurrent writers (postgres)', () => {
	let db: TTestDb;
	let m: TMeetings;
	let writerA: pg.Client;

	beforeAll(async () => {
		db = await openTestDb('postgres');
		m = await createMeetings(db);
		writerA = new pg.Client({ connectionString: db.url! });
		await writerA.connect();
	});
	afterAll(async () => {
		await writerA?.end();
		await db?.close();
	});

	const submitComments = (who: TIdentity, items: unknown) =>
		as(db, who, async (tx) => {
			const { rows } = await tx.query<{ r: TResult[] }>(
				'select public.submit_comments($1::jsonb) as r',
				[JSON.stringify(items)]
			);
			return rows[0].r;
		});
	const feed = (after: string | null) =>
		as(db, anon, async (tx) => {
			const { rows } = await tx.query<{ r: TFeed }>('select public.meeting_feed($1, $2) as r', [
				m.post,
				after
			]);
			return rows[0].r;
		});

	it('never skips a comment that committed after a later one', async () => {
		const [alice, bob] = [await resident(db), await resident(db)];
		const a = { id: randomUUID(), meeting_id: m.post, kind: 'comment', body: 'A: posted first' };
		const b = { id: randomUUID(), meeting_id: m.post, kind: 'comment', body: 'B: posted second' };

		// Writer A: submits inside an open transaction and does not commit yet.
		await writerA.query('begin');
		await writerA.query(
			`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
			[JSON.stringify({ role: 'authenticated', sub: alice.sub, is_anonymous: true })]
		);
		const { rows: ra } = await writerA.query<{ r: TResult[] }>(
			'select public.submit_comments($1::jsonb) as r',
			[JSON.stringify([a])]
		);
		expect(ra[0].r[0].status).toBe('accepted');
		await new Promise((r) => setTimeout(r, 20)); // B's clock is visibly later

		try {
			// Writer B: submits and commits.
			expect((await submitComments(bob, [b]))[0].status).toBe('accepted');

			// The reader polls: B is there, A (uncommitted) is not.
			const first = await feed(null);
			const seenB = first.items.find((i) => i.id === b.id) as TComment;
			expect(seenB).toBeDefined();
			expect(first.items.find((i) => i.id === a.id)).toBeUndefined();
			const c1 = first.cursor;

			await writerA.query('commit');

			// The next poll with C1 brings A.
			const second = await feed(c1);
			const seenA = second.items.find((i) => i.id === a.id) as TComment;
			expect(seenA, JSON.stringify(second)).toMatchObject({ body: a.body, removed: false });

			// The point of the test: A's timestamp is earlier than B's, so a naive
			// "created_at > the newest one seen" poll would have missed A forever.
			expect(new Date(seenA.created_at).getTime()).toBeLessThan(
				new Date(seenB.created_at).getTime()
			);
			const naive = second.items.filter(
				(i) => !isTombstone(i) && new Date(i.created_at) > new Date(seenB.created_at)
			);
			expect(naive.map((i) => i.id)).not.toContain(a.id);
			// …and so would a poll on updated_at.
			expect(new Date(seenA.updated_at) > new Date(seenB.updated_at)).toBe(false);
		} finally {
			await writerA.query('rollback').catch(() => {}); // no-op after the commit
		}
	});
});
