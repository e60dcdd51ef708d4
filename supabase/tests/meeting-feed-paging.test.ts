/**
 * meeting_feed paging (migration 20261206000800), on PGlite and on PostgreSQL 15: what an
 * attendee of a long meeting relies on when the page shows the newest comments first and loads
 * older ones on demand while polling for changes: every comment they may see arrives exactly
 * once through the pages (no repeats, no gaps, whatever is posted meanwhile), the rest arrives
 * through the polls, and what a page shows obeys the same moderation rules as the full feed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { as, createUser, resident, type TIdentity } from './support';
import type { TFeedPage } from '../../src/lib/meetings/feed';

type TFeed = TFeedPage & { full: boolean; older: string | null };
const anon: TIdentity = { role: 'anon' };

describe.each(ENGINES)('meeting_feed paging on %s', (engine) => {
	let db: TTestDb;
	let meetingId: string;
	let moderator: TIdentity;
	let author: TIdentity & { sub: string };
	let stamp = Date.UTC(2026, 11, 6, 18, 0, 0);

	beforeAll(async () => {
		db = await openTestDb(engine);
		const { rows } = await db.query<{ id: string }>(
			`insert into public.meetings (title, starts_at, status, moderation, comments_open)
			 values ($1, now(), 'live', 'post', true) returning id`,
			[JSON.stringify({ en: 'Paging', es: 'Paginación' })]
		);
		meetingId = rows[0].id;
		moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
		author = await resident(db);
	});
	afterAll(async () => {
		await db?.close();
	});

	const feed = (who: TIdentity, args: { after?: string; before?: string; limit?: number }) =>
		as(db, who, async (tx) => {
			const { rows } = await tx.query<{ r: TFeed }>(
				'select public.meeting_feed($1, $2, $3, $4) as r',
				[meetingId, args.after ?? null, args.before ?? null, args.limit ?? null]
			);
			return rows[0].r;
		});

	/**
	 * Comments stored directly (the write path is tested in meetings.test.ts). Some share a
	 * created_at (same transaction) so the id tie-break of the page key is exercised.
	 */
	async function addComments(n: number, status = 'published', authorId: string | null = null) {
		const ids: string[] = [];
		for (let i = 0; i < n; i++) {
			const id = randomUUID();
			if (i % 3 !== 0) stamp += 1000;
			await db.query(
				`insert into public.comments (id, meeting_id, author_id, body, status, ever_published, created_at)
				 values ($1, $2, $3, $4, $5, $5 = 'published', $6)`,
				[id, meetingId, authorId, `Comment ${i}`, status, new Date(stamp).toISOString()]
			);
			ids.push(id);
		}
		return ids;
	}

	/** First page, then older pages until none is left, posting `during` comments after page 1. */
	async function readAllPages(who: TIdentity, limit: number, during: () => Promise<unknown>) {
		const first = await feed(who, { limit });
		expect(first.full).toBe(true);
		const pages = [first];
		await during();
		let older = first.older;
		while (older) {
			const page = await feed(who, { before: older, limit });
			expect(page.full).toBe(false);
			expect(page.items.length).toBeLessThanOrEqual(limit);
			pages.push(page);
			older = page.older;
		}
		return { first, pages, ids: pages.flatMap((p) => p.items.map((i) => i.id)) };
	}

	it('pages newest first with no repeats or gaps while new comments arrive; polls bring the new ones', async () => {
		const before = await addComments(23);
		let posted: string[] = [];
		const { first, pages, ids } = await readAllPages(anon, 5, async () => {
			posted = await addComments(4);
		});
		expect(first.items).toHaveLength(5);
		expect(pages).toHaveLength(5); // 5+5+5+5+3
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(ids)).toEqual(new Set(before));
		// Newest first, across page boundaries too.
		const created = pages.flatMap((p) =>
			p.items.map((i) => ('created_at' in i ? Date.parse(i.created_at) : NaN))
		);
		expect(created).toEqual([...created].sort((a, b) => b - a));
		expect(pages.at(-1)!.older).toBeNull();

		const poll = await feed(anon, { after: first.cursor });
		expect(poll.full).toBe(false);
		expect(poll.items.map((i) => i.id)).toEqual(expect.arrayContaining(posted));
	});

	it('a page holds only what the caller may see: moderators all, authors their own, others published', async () => {
		const pending = await addComments(2, 'pending', author.sub);
		const hidden = await addComments(1, 'hidden', author.sub);
		const all = async (who: TIdentity) => (await readAllPages(who, 4, async () => {})).ids;
		const [forAnon, forAuthor, forModerator, stranger] = await Promise.all([
			all(anon),
			all(author),
			all(moderator),
			resident(db).then(all)
		]);
		for (const id of [...pending, ...hidden]) {
			expect(forAnon).not.toContain(id);
			expect(stranger).not.toContain(id);
			expect(forAuthor).toContain(id);
			expect(forModerator).toContain(id);
		}
		expect(forModerator).toHaveLength(forAnon.length + 3);
		expect(new Set(forModerator).size).toBe(forModerator.length);
		// Pages carry no tombstones; the same rows as the unpaged full feed.
		const full = await feed(author, {});
		expect(new Set(forAuthor)).toEqual(new Set(full.items.map((i) => i.id)));
		expect((await feed(author, { limit: 500 })).items.some((i) => i.removed)).toBe(false);
	});

	it('refuses malformed page arguments with a clear message', async () => {
		await expect(feed(anon, { limit: 0 })).rejects.toThrow(/p_limit must be between 1 and 500/);
		await expect(feed(anon, { before: 'yesterday', limit: 5 })).rejects.toThrow(
			/p_before is not a page cursor/
		);
		await expect(feed(anon, { before: `1:${randomUUID()}` })).rejects.toThrow(
			/p_before needs p_limit/
		);
		await expect(feed(anon, { after: '1', before: `1:${randomUUID()}`, limit: 5 })).rejects.toThrow(
			/not both/
		);
	});
});
