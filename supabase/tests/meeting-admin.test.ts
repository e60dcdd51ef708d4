/**
 * Meetings run without SQL (issue 9): the schedule as an iCalendar feed that subscribed
 * calendars follow (read by a real parser, ical.js, never string matching), who may change a
 * meeting, what may not be deleted, the moderator's answer, the comment window and the public
 * record of comments — on PGlite and on PostgreSQL 15, plus the feed over HTTP through the
 * embedded backend exactly as a calendar app fetches it.
 */
import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { startLocalBackend, type LocalBackend } from '../local/server';
import { meetingsIcs } from '../../src/lib/meetings/calendar';
import { planSchedule } from '../../src/lib/meetings/plan';
import { parseCsv } from '../../src/lib/import/csv';
import type { TCommentRecord } from '../../src/lib/meetings/record';
import { recordCsv } from '../../src/lib/meetings/record-csv';
import type { TMeeting } from '../../src/lib/meetings/schedule';
import type { TFeedComment } from '../../src/lib/meetings/feed';
import { as, createUser, resident, type TIdentity } from './support';

const anon: TIdentity = { role: 'anon' };
const SITE = 'https://city.example.org';
const CHICAGO = new Intl.DateTimeFormat('en-US', {
	timeZone: 'America/Chicago',
	weekday: 'long',
	hour: 'numeric',
	minute: '2-digit'
});

type TEvent = InstanceType<typeof ICAL.Event>;

/** The feed's events by UID, parsed by ical.js. */
function parseFeed(ics: string): { name: string; events: Map<string, TEvent> } {
	const cal = new ICAL.Component(ICAL.parse(ics));
	const events = new Map<string, TEvent>();
	for (const v of cal.getAllSubcomponents('vevent')) {
		const e = new ICAL.Event(v);
		events.set(e.uid, e);
	}
	return { name: String(cal.getFirstPropertyValue('x-wr-calname')), events };
}

const status = (e: TEvent) => e.component.getFirstPropertyValue('status');

describe.each(ENGINES)('meeting administration on %s', (engine) => {
	let db: TTestDb;
	let admin: TIdentity & { sub: string };
	let moderator: TIdentity & { sub: string };
	let analyst: TIdentity & { sub: string };

	beforeAll(async () => {
		db = await openTestDb(engine);
		admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
		analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
	});
	afterAll(async () => {
		await db?.close();
	});

	const one = async <T>(who: TIdentity, sql: string, params: unknown[] = []) =>
		as(db, who, async (tx) => (await tx.query<{ r: T }>(sql, params)).rows[0]?.r as T);
	/** meetings_ics as the API serves it (bytes of the "any" media type), as text. */
	const feed = async (
		who: TIdentity,
		lang = 'en',
		meetingId: string | null = null,
		site: string | null = SITE
	) => {
		const bytes = await one<Uint8Array>(who, 'select public.meetings_ics($1, $2, $3) as r', [
			lang,
			meetingId,
			site
		]);
		return Buffer.from(bytes).toString('utf8');
	};
	type TRow = Omit<TMeeting, 'starts_at' | 'ends_at' | 'revised_at' | 'created_at'> & {
		starts_at: Date;
		ends_at: Date | null;
		revised_at: Date;
		created_at: Date;
	};
	const meetingRow = async (id: string) =>
		(await db.query<TRow>('select * from public.meetings where id = $1', [id])).rows[0];
	/** A meeting as an admin stores it (the staff page's upsert, as SQL). */
	const addMeeting = async (extra: Partial<Record<keyof TMeeting, unknown>> = {}) => {
		const m: Partial<Record<keyof TMeeting, unknown>> = {
			id: randomUUID(),
			title: { en: 'KCStat: Public Safety', es: 'KCStat: Seguridad pública' },
			description: null,
			starts_at: '2026-10-08T23:00:00Z',
			ends_at: '2026-10-09T01:00:00Z',
			time_zone: 'America/Chicago',
			stream_url: null,
			location: null,
			status: 'scheduled',
			moderation: 'post',
			comments_open: false,
			...extra
		};
		await as(db, admin, (tx) =>
			tx.query(
				`insert into public.meetings (id, title, description, starts_at, ends_at, time_zone,
				   stream_url, status, moderation, comments_open, location)
				 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
				[
					m.id,
					JSON.stringify(m.title),
					m.description ? JSON.stringify(m.description) : null,
					m.starts_at,
					m.ends_at,
					m.time_zone,
					m.stream_url,
					m.status,
					m.moderation,
					m.comments_open,
					m.location
				]
			)
		);
		return m.id as string;
	};

	describe('the iCalendar feed', () => {
		let planned: { id: string; starts_at: string; date: string }[];

		beforeAll(async () => {
			// "The second Thursday of each month at 6 PM Central": 1 Nov 2026 and 14 Mar 2027 change
			// the clocks in between.
			const plan = planSchedule({
				from: '2026-09',
				months: 8,
				ordinal: 2,
				weekday: 4,
				time: '18:00',
				durationMinutes: 120,
				timeZone: 'America/Chicago',
				areas: [],
				series: { en: 'KCStat', es: 'KCStat' },
				commentsDaysBefore: null
			});
			planned = [];
			for (const p of plan) {
				const id = await addMeeting({ title: p.title, starts_at: p.starts_at, ends_at: p.ends_at });
				planned.push({ id, starts_at: p.starts_at, date: p.date });
			}
		});

		it('is read by a calendar parser, with each meeting at 6:00 PM Central on both sides of daylight-saving changes', async () => {
			const { name, events } = parseFeed(await feed(anon));
			expect(name).toBe('Public performance meetings');
			for (const p of planned) {
				const e = events.get(p.id);
				expect(e, p.date).toBeDefined();
				expect(e!.startDate.zone.tzid).toBe('UTC');
				expect(e!.startDate.toJSDate().toISOString()).toBe(new Date(p.starts_at).toISOString());
				expect(CHICAGO.format(e!.startDate.toJSDate())).toBe('Thursday 6:00 PM');
				expect(e!.endDate.toJSDate().getTime() - e!.startDate.toJSDate().getTime()).toBe(7_200_000);
				expect(e!.sequence).toBe(0);
				expect(status(e!)).toBe('CONFIRMED');
			}
			// Standard time (UTC-6) in November, daylight time (UTC-5) in October and April.
			const at = (date: string) => events.get(planned.find((p) => p.date === date)!.id)!.startDate;
			expect(at('2026-10-08').toString()).toBe('2026-10-08T23:00:00Z');
			expect(at('2026-11-12').toString()).toBe('2026-11-13T00:00:00Z');
			expect(at('2027-03-11').toString()).toBe('2027-03-12T00:00:00Z');
			expect(at('2027-04-08').toString()).toBe('2027-04-08T23:00:00Z');
		});

		it('keeps a meeting’s UID and raises its SEQUENCE when it changes or is cancelled, so subscribed calendars update', async () => {
			const id = planned[3].id;
			const seq = async () => parseFeed(await feed(anon, 'en', id)).events.get(id)!;
			expect((await seq()).sequence).toBe(0);

			// An admin moves the meeting an hour later.
			const later = new Date(new Date(planned[3].starts_at).getTime() + 3600_000).toISOString();
			const move = () =>
				as(db, admin, (tx) =>
					tx.query('update public.meetings set starts_at = $2 where id = $1', [id, later])
				);
			await move();
			let e = await seq();
			expect(e.uid).toBe(id);
			expect(e.sequence).toBe(1);
			expect(e.startDate.toJSDate().toISOString()).toBe(later);
			// The same save again (a retry) changes nothing a calendar shows: no new SEQUENCE.
			await move();
			expect((await seq()).sequence).toBe(1);
			// Running the meeting (comments, live) does not either.
			await as(db, moderator, (tx) =>
				tx.query(`update public.meetings set comments_open = true, status = 'live' where id = $1`, [
					id
				])
			);
			expect((await seq()).sequence).toBe(1);
			await db.query(`update public.meetings set status = 'scheduled' where id = $1`, [id]);

			await as(db, admin, (tx) =>
				tx.query(
					`update public.meetings set status = 'cancelled', comments_open = false where id = $1`,
					[id]
				)
			);
			e = await seq();
			expect(e.uid).toBe(id);
			expect(e.sequence).toBe(2);
			expect(status(e)).toBe('CANCELLED');
			expect(e.summary).toMatch(/^Cancelled: KCStat/);
			// Still in the whole feed, so calendars learn about the cancellation.
			expect(status(parseFeed(await feed(anon)).events.get(id)!)).toBe('CANCELLED');

			await as(db, admin, (tx) =>
				tx.query(`update public.meetings set status = 'scheduled' where id = $1`, [id])
			);
			e = await seq();
			expect([e.sequence, status(e)]).toEqual([3, 'CONFIRMED']);
			const row = await meetingRow(id);
			expect(row.revision).toBe(3);
			expect(e.component.getFirstPropertyValue('dtstamp')?.toString()).toBe(
				ICAL.Time.fromJSDate(new Date(row.revised_at), true).toString()
			);
		});

		it('and the "add to calendar" file of the meeting page describe the same event', async () => {
			const id = await addMeeting({
				title: { en: 'Streets; sidewalks, \\ more', es: 'Calles; aceras, \\ más' },
				description: { en: 'Line one\nLine two, with commas', es: 'Línea uno\nLínea dos' },
				stream_url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
				location: 'City Hall; 414 E 12th St, Council Chamber \\ 26th floor',
				status: 'scheduled'
			});
			await as(db, admin, (tx) =>
				tx.query(
					`update public.meetings set ends_at = ends_at + interval '30 minutes' where id = $1`,
					[id]
				)
			);
			const row = await meetingRow(id);
			for (const lang of ['en', 'es'] as const) {
				const server = parseFeed(await feed(anon, lang, id)).events.get(id)!;
				const client = parseFeed(
					await meetingsIcs(
						[
							{
								...row,
								starts_at: new Date(row.starts_at).toISOString(),
								ends_at: row.ends_at ? new Date(row.ends_at).toISOString() : null,
								revised_at: new Date(row.revised_at).toISOString(),
								created_at: new Date(row.created_at).toISOString()
							}
						],
						lang,
						SITE
					)
				).events.get(id)!;
				const facts = (e: TEvent) => ({
					uid: e.uid,
					sequence: e.sequence,
					start: e.startDate.toString(),
					end: e.endDate.toString(),
					summary: e.summary,
					description: e.description,
					status: status(e),
					location: e.location,
					url: String(e.component.getFirstPropertyValue('url')),
					stamp: e.component.getFirstPropertyValue('dtstamp')?.toString()
				});
				expect(facts(client)).toEqual(facts(server));
				expect(server.location).toBe('City Hall; 414 E 12th St, Council Chamber \\ 26th floor');
				expect(server.sequence).toBe(1);
			}
		});

		it('folds long lines at 75 octets without splitting a character, and escapes text', async () => {
			const long = 'Año fiscal: señalización, baches; “calles” \\ ' + 'é'.repeat(120) + ' 🚧 fin';
			const id = await addMeeting({
				title: { en: long, es: long },
				description: { en: `${long}\n${long}`, es: long }
			});
			const text = await feed(anon, 'en', id, null);
			const lines = text.split('\r\n');
			expect(lines.at(-1)).toBe('');
			for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
			expect(text.replace(/\r\n/g, '')).not.toContain('\n');
			const e = parseFeed(text).events.get(id)!;
			expect(e.summary).toBe(long);
			expect(e.description).toBe(`${long}\n${long}`);
			expect(e.component.getFirstPropertyValue('url')).toBeNull();
		});

		it('refuses a language or an app address it cannot use, with a clear message', async () => {
			await expect(feed(anon, 'fr')).rejects.toMatchObject({
				code: '22023',
				message: 'p_lang must be "en" or "es", not "fr"'
			});
			await expect(feed(anon, 'en', null, 'javascript:alert(1)')).rejects.toMatchObject({
				code: '22023'
			});
			await expect(feed(anon, 'en', randomUUID())).rejects.toMatchObject({ code: 'PT404' });
		});
	});

	describe('the feed over HTTP, as a calendar app subscribes', () => {
		let backend: LocalBackend;
		let id: string;
		beforeAll(async () => {
			id = await addMeeting({ title: { en: 'HTTP meeting', es: 'Reunión HTTP' } });
			backend = await startLocalBackend({ db, port: 0, skipPrepare: true, quiet: true });
		});
		afterAll(async () => {
			await backend?.stop();
		});

		it.each([
			['text/calendar', 'text/calendar'],
			['*/*', '*/*'],
			['no Accept header', null]
		])('answers text/calendar to Accept: %s', async (_label, accept) => {
			const url = `${backend.url}/rest/v1/rpc/meetings_ics?p_lang=es&p_site=${encodeURIComponent(SITE)}&apikey=${backend.anonKey}`;
			const res = await fetch(url, { headers: accept ? { accept } : {} });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
			const { name, events } = parseFeed(await res.text());
			expect(name).toBe('Reuniones públicas de desempeño');
			expect(events.get(id)?.summary).toBe('Reunión HTTP');
			expect(events.get(id)?.description).toBe(`Preguntas y comentarios: ${SITE}/meetings/${id}`);
		});
	});

	describe('who changes a meeting', () => {
		it('moderators start and end meetings and open comments, but only admins edit, cancel or restore', async () => {
			const id = await addMeeting();
			const update = (who: TIdentity, set: string) =>
				as(db, who, (tx) => tx.query(`update public.meetings set ${set} where id = $1`, [id]));
			await update(
				moderator,
				`status = 'live', comments_open = true, comments_open_until = now() + interval '1 day'`
			);
			await expect(update(moderator, `title = '{"en": "X", "es": "X"}'`)).rejects.toMatchObject({
				code: '42501',
				message:
					'Moderators can start and end a meeting and open or close its comments; other changes need an admin'
			});
			await expect(update(moderator, `status = 'cancelled'`)).rejects.toMatchObject({
				code: '42501',
				message: 'Only admins can cancel a meeting or restore a cancelled one'
			});
			// Analysts and residents cannot touch it at all (RLS: no rows).
			for (const who of [analyst, await resident(db)]) {
				const { rows } = await as(db, who, (tx) =>
					tx.query(
						`update public.meetings set stream_url = 'https://x.example' where id = $1 returning id`,
						[id]
					)
				);
				expect(rows).toEqual([]);
			}
			await update(admin, `time_zone = 'Europe/Madrid', recording_url = 'https://vimeo.com/1'`);
			expect((await meetingRow(id)).time_zone).toBe('Europe/Madrid');
		});

		it('keeps a location to one line of at most 200 characters; a new place raises the SEQUENCE; moderators cannot move it', async () => {
			for (const bad of [' City Hall', 'City Hall\nRoom 1', 'x'.repeat(201), '']) {
				await expect(addMeeting({ location: bad }), JSON.stringify(bad)).rejects.toMatchObject({
					code: '23514',
					message: expect.stringContaining('meetings_location_check')
				});
			}
			const id = await addMeeting({ location: 'City Hall, Council Chamber' });
			const seq = async () => parseFeed(await feed(anon, 'en', id)).events.get(id)!;
			expect((await seq()).location).toBe('City Hall, Council Chamber');
			await as(db, admin, (tx) =>
				tx.query(`update public.meetings set location = 'Plaza Library' where id = $1`, [id])
			);
			const moved = await seq();
			expect([moved.sequence, moved.location]).toEqual([1, 'Plaza Library']);
			await expect(
				as(db, moderator, (tx) =>
					tx.query(`update public.meetings set location = 'Elsewhere' where id = $1`, [id])
				)
			).rejects.toMatchObject({ code: '42501' });
			// Online only: no LOCATION at all.
			await as(db, admin, (tx) =>
				tx.query(`update public.meetings set location = null where id = $1`, [id])
			);
			const online = await seq();
			expect(online.sequence).toBe(2);
			expect(online.component.hasProperty('location')).toBe(false);
		});

		it('accepts only time zones the database knows', async () => {
			await expect(addMeeting({ time_zone: 'Central' })).rejects.toMatchObject({
				code: '22023',
				message: 'Unknown time zone "Central": use an IANA name such as America/Chicago'
			});
		});

		it('keeps meetings and agenda items that have comments (cancel or rename instead)', async () => {
			const id = await addMeeting();
			const item = randomUUID();
			await db.query(
				`insert into public.agenda_items (id, meeting_id, position, title) values ($1, $2, 1, '{"en": "A", "es": "A"}')`,
				[item, id]
			);
			await db.query(
				`insert into public.comments (id, meeting_id, agenda_item_id, body, status) values ($1, $2, $3, 'Hello', 'published')`,
				[randomUUID(), id, item]
			);
			await expect(
				as(db, admin, (tx) => tx.query('delete from public.agenda_items where id = $1', [item]))
			).rejects.toMatchObject({ code: '23503' });
			await expect(
				as(db, admin, (tx) => tx.query('delete from public.meetings where id = $1', [id]))
			).rejects.toMatchObject({
				code: '23503',
				message:
					'This meeting has comments, which are part of the public record: cancel it instead of deleting it'
			});
			const empty = await addMeeting();
			const { rows } = await as(db, admin, (tx) =>
				tx.query('delete from public.meetings where id = $1 returning id', [empty])
			);
			expect(rows).toEqual([{ id: empty }]);
		});

		it('lets an agenda item be about one goal area, goal or measure, not several', async () => {
			const id = await addMeeting();
			const key = `k_${randomUUID().slice(0, 8)}`;
			const { rows } = await db.query<{ area: string; measure: string }>(
				`with a as (insert into public.goal_areas (key, name) values ($1, '{"en": "Area", "es": "Área"}') returning id),
				      g as (insert into public.goals (goal_area_id, key, title)
				            select a.id, $1, '{"en": "Goal", "es": "Meta"}' from a returning id),
				      m as (insert into public.measures (goal_id, key, name, unit, direction, kind)
				            select g.id, $1, '{"en": "Measure", "es": "Medida"}', 'count', 'higher', 'operational' from g returning id)
				 select (select id from a) as area, (select id from m) as measure`,
				[key]
			);
			const add = (cols: string, values: string[]) =>
				as(db, admin, (tx) =>
					tx.query(
						`insert into public.agenda_items (meeting_id, position, title, ${cols})
						 values ($1, 1, '{"en": "A", "es": "A"}', ${values.map((_, i) => `$${i + 2}`).join(', ')})`,
						[id, ...values]
					)
				);
			await add('goal_area_id', [rows[0].area]);
			await add('measure_id', [rows[0].measure]);
			await expect(
				add('goal_area_id, measure_id', [rows[0].area, rows[0].measure])
			).rejects.toMatchObject({
				code: '23514'
			});
		});
	});

	describe('answers, the comment window and the public record', () => {
		let meetingId: string;
		let author: TIdentity & { sub: string };
		const submit = (who: TIdentity, item: Record<string, unknown>) =>
			one<{ status: string; reason: string | null }[]>(
				who,
				'select public.submit_comments($1::jsonb) as r',
				[
					JSON.stringify([
						{
							id: randomUUID(),
							meeting_id: meetingId,
							body: 'A question',
							kind: 'question',
							...item
						}
					])
				]
			).then((r) => r[0]);
		const answer = (who: TIdentity, commentId: string, text: string | null) =>
			one<TFeedComment>(who, 'select public.answer_comment($1, $2) as r', [commentId, text]);

		beforeAll(async () => {
			meetingId = await addMeeting({
				status: 'live',
				comments_open: true,
				starts_at: new Date(Date.now() - 1800_000).toISOString(),
				ends_at: new Date(Date.now() + 3600_000).toISOString()
			});
			author = await resident(db);
		});

		it('shows the moderator’s answer text with the comment, and un-answering clears it', async () => {
			const id = randomUUID();
			expect((await submit(author, { id })).status).toBe('accepted');
			const answered = await answer(moderator, id, '  Resurfacing starts in April.  ');
			expect(answered).toMatchObject({ answered: true, answer: 'Resurfacing starts in April.' });
			expect(answered.answered_at).toBeTruthy();
			const feedItem = async () =>
				(
					await one<{ items: TFeedComment[] }>(anon, 'select public.meeting_feed($1, null) as r', [
						meetingId
					])
				).items.find((c) => c.id === id)!;
			expect(await feedItem()).toMatchObject({
				answered: true,
				answer: 'Resurfacing starts in April.'
			});
			// The same answer again changes nothing (no new version for every screen to fetch).
			const again = await answer(admin, id, 'Resurfacing starts in April.');
			expect(again.version).toBe(answered.version);
			await one(moderator, `select public.moderate_comment($1, 'unanswer') as r`, [id]);
			expect(await feedItem()).toMatchObject({ answered: false, answer: null, answered_at: null });

			await expect(answer(author, id, 'I answer myself')).rejects.toMatchObject({ code: '42501' });
			await expect(answer(analyst, id, 'No')).rejects.toMatchObject({ code: '42501' });
			await expect(answer(moderator, id, 'x'.repeat(2001))).rejects.toMatchObject({
				code: '22023'
			});
		});

		it('takes comments only inside the comment window', async () => {
			const set = (from: string | null, until: string | null) =>
				as(db, admin, (tx) =>
					tx.query(
						'update public.meetings set comments_open_from = $2, comments_open_until = $3 where id = $1',
						[meetingId, from, until]
					)
				);
			const inAnHour = new Date(Date.now() + 3600_000).toISOString();
			const anHourAgo = new Date(Date.now() - 3600_000).toISOString();
			await set(inAnHour, null);
			expect(await submit(author, {})).toMatchObject({
				status: 'rejected',
				reason: expect.stringMatching(
					/^Comments for this meeting open at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/
				)
			});
			await set(null, anHourAgo);
			expect(await submit(author, {})).toMatchObject({
				status: 'rejected',
				reason: expect.stringMatching(/^Comments for this meeting closed at /)
			});
			await set(anHourAgo, inAnHour);
			expect((await submit(author, {})).status).toBe('accepted');
		});

		it('publishes every comment with its state and answer once the meeting is over, and the CSV matches the table', async () => {
			const published = randomUUID();
			const hidden = randomUUID();
			expect((await submit(author, { id: published, display_name: 'Ana' })).status).toBe(
				'accepted'
			);
			expect(
				(await submit(author, { id: hidden, body: 'Spam spam', display_name: 'Spammer' })).status
			).toBe('accepted');
			await answer(moderator, published, 'Yes, next month.');
			await one(moderator, `select public.moderate_comment($1, 'hide', 'Spam') as r`, [hidden]);

			const record = (who: TIdentity) =>
				one<TCommentRecord>(who, 'select public.meeting_comment_record($1) as r', [meetingId]);
			await expect(record(anon)).rejects.toMatchObject({
				code: 'PT409',
				message: 'The record of comments is published once the meeting is over'
			});
			// Staff have it during the meeting, in full.
			const staffCopy = await record(moderator);
			expect(staffCopy.staff).toBe(true);
			expect(staffCopy.comments.find((c) => c.id === hidden)).toMatchObject({
				body: 'Spam spam',
				moderation_reason: 'Spam',
				withheld: false
			});

			await as(db, moderator, (tx) =>
				tx.query(
					`update public.meetings set status = 'ended', comments_open = false where id = $1`,
					[meetingId]
				)
			);
			const pub = await record(anon);
			expect(pub.staff).toBe(false);

			// Every comment of the meeting, as stored, in the CSV a resident downloads.
			const { rows: stored } = await db.query<{
				id: string;
				kind: string;
				status: string;
				display_name: string | null;
				body: string;
				answered: boolean;
				answer: string | null;
				vote_count: number;
				pinned: boolean;
			}>(
				`select id, kind, status, display_name, body, answered, answer, vote_count, pinned
				 from public.comments where meeting_id = $1 order by created_at, id`,
				[meetingId]
			);
			const table = parseCsv(recordCsv(pub, 'en'));
			const rows = table.records.map((r) =>
				Object.fromEntries(table.header.map((h, i) => [h, r[i]]))
			);
			expect(rows.map((r) => r.id)).toEqual(stored.map((s) => s.id));
			for (const [i, s] of stored.entries()) {
				const visible = s.status === 'published';
				expect(rows[i]).toMatchObject({
					kind: s.kind,
					status: s.status,
					withheld: String(!visible),
					display_name: visible ? (s.display_name ?? '') : '',
					body: visible ? s.body : '',
					answered: String(s.answered),
					answer: s.answer ?? '',
					vote_count: String(s.vote_count),
					pinned: String(s.pinned),
					moderation_reason: ''
				});
			}
			expect(rows.find((r) => r.id === published)).toMatchObject({
				answer: 'Yes, next month.',
				display_name: 'Ana'
			});
			expect(rows.find((r) => r.id === hidden)).toMatchObject({
				status: 'hidden',
				body: '',
				display_name: ''
			});
		});
	});
});
