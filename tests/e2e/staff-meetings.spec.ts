/**
 * The meeting calendar run from /staff (issue 9): an admin creates a year's schedule in one step
 * (a lost answer retried stores it once), edits one meeting and its agenda by keyboard, cancels
 * it, and subscribed calendars see each change. Residents get the stream in the page, an "add to
 * calendar" file, a QR poster that scans to the meeting, the comment record after the meeting
 * and a "live now" banner at home. axe-core checks every new page in English and Spanish.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import ICAL from 'ical.js';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { parseCsv } from '../../src/lib/import/csv';
import { expect, expectAccessible, serviceSelect, serviceWrite, test } from './helpers/fixtures';

const LIVE = '00000000-0000-4000-a800-000000000010';
const NEXT = '00000000-0000-4000-a800-000000000011';
// Seed: past meeting 02 has published comments (some answered) and a hidden one.
const PAST = '00000000-0000-4000-a800-000000000002';
const PASSWORD = 'civicpulse-demo';
const CHICAGO = new Intl.DateTimeFormat('en-US', {
	timeZone: 'America/Chicago',
	weekday: 'long',
	hour: 'numeric',
	minute: '2-digit'
});

async function signIn(page: Page, who: 'admin' | 'moderator') {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill(`${who}@civicpulse.local`);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('staff-identity')).toContainText(who);
}

type TEvent = InstanceType<typeof ICAL.Event>;
const parseIcs = (ics: string): Map<string, TEvent> =>
	new Map(
		new ICAL.Component(ICAL.parse(ics))
			.getAllSubcomponents('vevent')
			.map((v) => new ICAL.Event(v))
			.map((e) => [e.uid, e])
	);

/** The subscription address the schedule page offers, fetched the way a calendar app does. */
async function subscribedFeed(page: Page): Promise<Map<string, TEvent>> {
	await page.goto('/meetings');
	const url = await page
		.getByLabel('Calendar address, to paste into your calendar app')
		.inputValue();
	const res = await fetch(url);
	expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
	return parseIcs(await res.text());
}

test.describe('an admin plans the year', () => {
	// Long journeys (several pages, axe-core in two languages) on a shared two-core machine.
	test.slow();

	// Meetings made here are in 2031 (no comments): remove them so later tests see the seed.
	test.afterEach(async () => {
		await serviceWrite('DELETE', 'meetings', 'starts_at=gte.2031-01-01T00:00:00Z');
	});

	test('a year of "second Thursday at 6 PM, goal areas in turn" is created once, even when an answer is lost', async ({
		page
	}) => {
		await signIn(page, 'admin');
		await page.getByRole('link', { name: 'Meeting calendar' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Meeting calendar' })).toBeVisible();
		await expect(page.getByRole('table', { name: 'All meetings' })).toContainText('KCStat');
		await expectAccessible(page, '/staff/meetings');

		// Mistakes first: explained before anything is sent.
		await page.getByLabel('Number of months').fill('40');
		await page.getByRole('button', { name: 'Preview the schedule' }).click();
		const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
		await expect(summary).toBeFocused();
		await expect(summary.getByRole('link')).toHaveText([
			'Enter series name (English)',
			'Enter series name (Spanish)',
			'Number of months must be a whole number from 1 to 24'
		]);
		await expectAccessible(page, '/staff/meetings with errors');

		await page.getByLabel('Series name (English)').fill('E2E Stat');
		await page.getByLabel('Series name (Spanish)').fill('E2E Stat');
		await page.getByLabel('First month').fill('2031-01');
		await page.getByLabel('Number of months').fill('12');
		await page.getByLabel('Which week').selectOption({ label: 'Second' });
		await page.getByLabel('Day of the week').selectOption({ label: 'Thursday' });
		await page.getByLabel('Start time').fill('18:00');
		await page.getByLabel('Length in minutes').fill('90');
		await page.getByLabel('Time zone').selectOption('America/Chicago');
		await page.getByLabel('Open comments this many days before each meeting').fill('7');
		await page.getByLabel('Where it is held (optional)').fill('City Hall, Council Chamber');
		await page.getByRole('button', { name: 'Preview the schedule' }).click();
		const preview = page.getByRole('heading', { level: 2, name: 'Preview: 12 meetings' });
		await expect(preview).toBeFocused();
		const rows = page
			.getByRole('table', { name: 'Meetings that will be created' })
			.locator('tbody tr');
		await expect(rows).toHaveCount(12);
		await expect(rows.first()).toContainText('Jan 9, 2031');
		await expect(rows.first()).toContainText('6:00 PM CST');
		await expect(rows.nth(6)).toContainText('Jul 10, 2031');
		await expect(rows.nth(6)).toContainText('6:00 PM CDT');
		await expectAccessible(page, '/staff/meetings preview');

		// The first answer is lost on the way back (the database did store the schedule).
		await page.route('**/rest/v1/meetings?*', async (route) => {
			if (route.request().method() !== 'POST') return route.fallback();
			await route.fetch();
			await route.abort('connectionreset');
		});
		await page.getByRole('button', { name: 'Create 12 meetings' }).click();
		await expect(summary).toBeFocused();
		await expect(summary).toContainText('Press the button again');
		const stored = () =>
			serviceSelect<{
				id: string;
				starts_at: string;
				time_zone: string;
				goal_area_id: string;
				location: string;
			}>(
				'meetings',
				'select=id,starts_at,time_zone,goal_area_id,location&starts_at=gte.2031-01-01T00:00:00Z&order=starts_at'
			);
		expect(await stored()).toHaveLength(12);

		// Pressed again: the same twelve rows, none added.
		await page.unroute('**/rest/v1/meetings?*');
		await page.getByRole('button', { name: 'Create 12 meetings' }).click();
		await expect(
			page.getByRole('status').filter({ hasText: '12 meetings were created.' })
		).toBeFocused();
		const made = await stored();
		expect(made).toHaveLength(12);
		for (const m of made) {
			expect(m.time_zone).toBe('America/Chicago');
			expect(m.location).toBe('City Hall, Council Chamber');
			expect(CHICAGO.format(new Date(m.starts_at))).toBe('Thursday 6:00 PM');
		}
		// Six goal areas in turn: the seventh meeting is about the first area again.
		expect(new Set(made.slice(0, 6).map((m) => m.goal_area_id)).size).toBe(6);
		expect(made[6].goal_area_id).toBe(made[0].goal_area_id);

		await page.getByRole('button', { name: 'Español' }).click();
		await expect(
			page.getByRole('heading', { level: 1, name: 'Calendario de reuniones' })
		).toBeVisible();
		await expectAccessible(page, '/staff/meetings in Spanish');
	});

	test('one meeting: its agenda reordered by keyboard, a changed time and a cancellation reach subscribed calendars', async ({
		page
	}) => {
		await signIn(page, 'admin');
		await page.goto('/staff/meetings/new');
		await expect(page.getByRole('heading', { level: 1, name: 'New meeting' })).toBeVisible();
		await expectAccessible(page, '/staff/meetings/new');
		await page.getByRole('button', { name: 'Save the meeting' }).click();
		const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
		await expect(summary).toBeFocused();
		await expect(summary.getByRole('link').first()).toHaveText('Enter title (English)');

		await page.getByLabel('Title (English)').fill('Budget town hall');
		await page.getByLabel('Title (Spanish)').fill('Asamblea sobre el presupuesto');
		await page.getByLabel('Date').fill('2031-11-06');
		await page.getByLabel('Start time').fill('18:00');
		await page.getByLabel('Time zone').selectOption('America/Chicago');
		await page.getByLabel('Stream link (optional)').fill('https://vimeo.com/76979871');
		await page.getByLabel('Where it is held (optional)').fill('  Plaza Library,\t4801 Main St ');
		await page.getByRole('button', { name: 'Save the meeting' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeFocused();
		await expect(page).toHaveURL(/\/staff\/meetings\/[0-9a-f-]{36}$/);
		const id = page.url().split('/').pop()!;
		await expect(page.getByTestId('meeting-admin-state')).toContainText('Calendar version 0.');

		// Two agenda items, each about something on the scorecard; then reordered by keyboard.
		for (const [n, en, es, topic] of [
			[1, 'Reserves', 'Reservas', 'Finance & Governance'],
			[2, 'Potholes', 'Baches', 'Infrastructure & Transportation']
		] as const) {
			await page.getByRole('button', { name: 'Add an item' }).click();
			await page.getByLabel(`Item ${n}: title (English)`).fill(en);
			await page.getByLabel(`Item ${n}: title (Spanish)`).fill(es);
			await page.getByLabel(`Item ${n}: about`).selectOption({ label: topic });
		}
		await page.getByRole('button', { name: 'Move item 2 up' }).focus();
		await page.keyboard.press('Enter');
		await expect(page.getByLabel('Item 1: title (English)')).toHaveValue('Potholes');
		await expect(page.getByRole('button', { name: 'Move item 1 down' })).toBeFocused();
		await page.getByRole('button', { name: 'Save the agenda' }).click();
		await expect(
			page.getByRole('status').filter({ hasText: 'The agenda was saved.' })
		).toBeFocused();
		const agenda = await serviceSelect<{
			position: number;
			title: { en: string };
			goal_area_id: string;
		}>('agenda_items', `meeting_id=eq.${id}&select=position,title,goal_area_id&order=position`);
		expect(agenda.map((a) => [a.position, a.title.en])).toEqual([
			[1, 'Potholes'],
			[2, 'Reserves']
		]);
		expect(agenda.every((a) => a.goal_area_id)).toBe(true);
		await expectAccessible(page, '/staff/meetings/[id]');

		let feed = await subscribedFeed(page);
		expect(feed.get(id)?.sequence).toBe(0);
		// Stored as one clean line; calendars and the meeting page show the same place.
		expect(feed.get(id)?.location).toBe('Plaza Library, 4801 Main St');
		expect(CHICAGO.format(feed.get(id)!.startDate.toJSDate())).toBe('Thursday 6:00 PM');

		// An hour later.
		await page.goto(`/staff/meetings/${id}`);
		await page.getByLabel('Start time').fill('19:00');
		await page.getByRole('button', { name: 'Save the meeting' }).click();
		await expect(page.getByTestId('meeting-admin-state')).toContainText('Calendar version 1.');
		feed = await subscribedFeed(page);
		expect(feed.get(id)?.sequence).toBe(1);
		expect(CHICAGO.format(feed.get(id)!.startDate.toJSDate())).toBe('Thursday 7:00 PM');
		await page.goto(`/meetings/${id}`);
		const facts = page.locator('dl.facts');
		await expect(facts.getByText('Where', { exact: true })).toBeVisible();
		await expect(facts.locator('dd', { hasText: 'Plaza Library, 4801 Main St' })).toBeVisible();

		await page.goto(`/staff/meetings/${id}`);
		await page.getByRole('button', { name: 'Cancel this meeting' }).click();
		await expect(
			page.getByRole('status').filter({ hasText: 'The meeting was cancelled.' })
		).toBeFocused();
		await expect(page.getByTestId('meeting-admin-state')).toContainText('Calendar version 2.');
		feed = await subscribedFeed(page);
		expect(feed.get(id)?.sequence).toBe(2);
		expect(feed.get(id)?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
		await expect(page.getByRole('region', { name: 'Coming up' })).toContainText('Budget town hall');

		await page.goto(`/staff/meetings/${id}`);
		await page.getByRole('button', { name: 'Español' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Editar la reunión' })).toBeVisible();
		await expectAccessible(page, '/staff/meetings/[id] in Spanish');
	});
});

test('the stream plays beside the comments from a privacy-respecting player, only once asked', async ({
	page
}) => {
	const [{ stream_url: seeded }] = await serviceSelect<{ stream_url: string }>(
		'meetings',
		`id=eq.${LIVE}&select=stream_url`
	);
	await serviceWrite('PATCH', 'meetings', `id=eq.${LIVE}`, {
		stream_url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ'
	});
	// No request leaves the machine: the player's host answers with a stub page.
	const requested: string[] = [];
	await page.route('https://www.youtube-nocookie.com/**', (route) => {
		requested.push(route.request().url());
		return route.fulfill({
			contentType: 'text/html',
			body: '<!doctype html><title>Player</title>'
		});
	});
	try {
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.goto(`/meetings/${LIVE}`);
		const player = page.getByRole('region', { name: 'Live stream' });
		await expect(player).toContainText(
			'The player loads from www.youtube-nocookie.com only when you press play.'
		);
		await expectAccessible(page, '/meetings/[id] with a player');
		expect(requested).toEqual([]);
		// Beside the comments on a wide screen.
		const playerBox = (await player.boundingBox())!;
		const commentsBox = (await page
			.getByRole('region', { name: 'Questions and comments' })
			.boundingBox())!;
		expect(commentsBox.x).toBeGreaterThan(playerBox.x + playerBox.width - 1);

		await player.getByRole('button', { name: 'Play the stream here' }).click();
		const frame = player.locator('iframe');
		await expect(frame).toHaveAttribute('title', /^Video player: KCStat/);
		await expect(frame).toHaveAttribute(
			'src',
			'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1'
		);
		await expect.poll(() => requested.length).toBeGreaterThan(0);
		await expectAccessible(page, '/meetings/[id] playing');

		await page.getByRole('button', { name: 'Español' }).click();
		await expect(page.getByRole('region', { name: 'Transmisión en vivo' })).toBeVisible();
		await expectAccessible(page, '/meetings/[id] with a player, in Spanish');
	} finally {
		await serviceWrite('PATCH', 'meetings', `id=eq.${LIVE}`, { stream_url: seeded });
	}
});

test('"add to calendar" gives the meeting with the UID and SEQUENCE of the subscribed feed', async ({
	page
}) => {
	await page.goto(`/meetings/${NEXT}`);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Add to my calendar' }).click()
	]);
	const file = parseIcs(await readFile((await download.path())!, 'utf8'));
	const [row] = await serviceSelect<{ revision: number; starts_at: string }>(
		'meetings',
		`id=eq.${NEXT}&select=revision,starts_at`
	);
	const e = file.get(NEXT)!;
	expect(e.sequence).toBe(row.revision);
	expect(e.startDate.toJSDate().getTime()).toBe(new Date(row.starts_at).getTime());
	const fed = (await subscribedFeed(page)).get(NEXT)!;
	expect([fed.sequence, fed.summary, fed.startDate.toString()]).toEqual([
		e.sequence,
		e.summary,
		e.startDate.toString()
	]);
});

test('the printable poster’s QR code decodes to the meeting page', async ({ page }) => {
	await page.goto(`/meetings/${LIVE}`);
	await page.getByRole('link', { name: 'Poster with QR code' }).click();
	await expect(page).toHaveURL(new RegExp(`/meetings/${LIVE}/poster$`));
	const url = `${new URL(page.url()).origin}/meetings/${LIVE}`;
	const qr = page.getByRole('img', { name: `QR code that opens ${url}` });
	await expect(qr).toBeVisible();
	await expect(page.getByText('Scan to watch, ask questions and upvote')).toBeVisible();
	const [{ location }] = await serviceSelect<{ location: string }>(
		'meetings',
		`id=eq.${LIVE}&select=location`
	);
	expect(location).toBeTruthy();
	await expect(page.getByText(location, { exact: true })).toBeVisible();
	await expectAccessible(page, 'poster');

	// Read the code from the rendered pixels, as a phone camera would.
	const png = PNG.sync.read(await qr.screenshot());
	const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
	expect(code?.data).toBe(url);

	// Printed, the poster is alone on the page.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: 'Print the poster' })).toBeHidden();
	await expect(page.getByRole('navigation').first()).toBeHidden();
	await expect(qr).toBeVisible();
	await page.emulateMedia({ media: 'screen' });

	await page.getByRole('button', { name: 'Español' }).click();
	await expect(page.getByText('Escanee para ver, hacer preguntas y votar')).toBeVisible();
	await expectAccessible(page, 'poster in Spanish');
});

test('after a meeting, the comments CSV lists every comment as the database has it', async ({
	page
}) => {
	await page.goto(`/meetings/${PAST}`);
	await expect(page.getByRole('heading', { level: 2, name: 'Record of comments' })).toBeVisible();
	await expectAccessible(page, 'past meeting with the record');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download every comment (CSV)' }).click()
	]);
	const table = parseCsv(await readFile((await download.path())!, 'utf8'));
	const rows = table.records.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]])));
	const stored = await serviceSelect<{
		id: string;
		status: string;
		kind: string;
		body: string;
		display_name: string | null;
		answered: boolean;
		answer: string | null;
		vote_count: number;
	}>(
		'comments',
		`meeting_id=eq.${PAST}&select=id,status,kind,body,display_name,answered,answer,vote_count&order=created_at,id`
	);
	expect(stored.some((c) => c.status === 'hidden')).toBe(true);
	expect(stored.some((c) => c.answered && c.answer)).toBe(true);
	expect(rows.map((r) => r.id)).toEqual(stored.map((c) => c.id));
	for (const [i, c] of stored.entries()) {
		const shown = c.status === 'published';
		expect(rows[i]).toMatchObject({
			status: c.status,
			kind: c.kind,
			body: shown ? c.body : '',
			display_name: shown ? (c.display_name ?? '') : '',
			withheld: String(!shown),
			answered: String(c.answered),
			answer: c.answer ?? '',
			vote_count: String(c.vote_count),
			moderation_reason: ''
		});
	}
});

test('the home page announces the live meeting', async ({ page }) => {
	await page.goto('/');
	const banner = page.getByRole('region', { name: 'Live now' });
	await expect(banner).toBeVisible();
	await expectAccessible(page, 'home with the live banner');
	await page.getByRole('button', { name: 'Español' }).click();
	await expect(page.getByRole('region', { name: 'En vivo ahora' })).toBeVisible();
	await expectAccessible(page, 'home with the live banner, in Spanish');
	await page.getByRole('region', { name: 'En vivo ahora' }).getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`/meetings/${LIVE}$`));
	// The seeded answer is shown with its question.
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Why did pothole repairs take longer' })
	).toContainText('Two cold snaps doubled the number of potholes');
});
