import type { Browser, Page } from '@playwright/test';
import {
	expect,
	expectAccessible,
	serviceSelect,
	test,
	waitForServiceWorker
} from './helpers/fixtures';

// Seed (supabase/seed.sql): meeting 10 is live now, pre-moderated, comments open; meeting 11 is
// next month's, post-moderated and already taking questions; 01..09 are past.
const LIVE = '00000000-0000-4000-a800-000000000010';
const NEXT = '00000000-0000-4000-a800-000000000011';
const PASSWORD = 'civicpulse-demo';

const commentsList = (page: Page) => page.getByRole('list', { name: 'Questions and comments' });
const commentCard = (page: Page, text: string) =>
	commentsList(page).getByRole('listitem').filter({ hasText: text });

async function post(page: Page, body: string, opts: { item?: string; name?: string } = {}) {
	if (opts.item) await page.getByLabel('Agenda item').selectOption({ label: opts.item });
	await page.getByLabel('Your question or comment').fill(body);
	if (opts.name) await page.getByLabel('Name to show (optional)').fill(opts.name);
	await page.getByRole('button', { name: 'Post' }).click();
}

async function newAttendee(browser: Browser, baseURL: string) {
	const context = await browser.newContext({ baseURL });
	return { context, page: await context.newPage() };
}

test('the schedule shows the live meeting, what is coming and the archive, accessibly', async ({
	page
}) => {
	await page.goto('/meetings');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Public performance meetings' })
	).toBeVisible();
	const live = page.getByRole('region', { name: 'Live now' });
	await expect(live.getByRole('listitem')).toHaveCount(1);
	await expect(live).toContainText('Live');
	const upcoming = page.getByRole('region', { name: 'Coming up' });
	await expect(upcoming.getByRole('listitem')).toHaveCount(2);
	await expect(upcoming.getByRole('listitem').first()).toContainText('Taking questions');
	await expect(
		page.getByRole('region', { name: 'Past meetings' }).getByRole('listitem')
	).toHaveCount(9);
	await expectAccessible(page, '/meetings');

	await live.getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`/meetings/${LIVE}$`));
	await expect(page.getByRole('heading', { level: 2, name: 'Agenda' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Watch the live stream' })).toHaveAttribute(
		'href',
		/^https:\/\//
	);
	// Published demo comments are there; the form explains pre-moderation.
	await expect(commentsList(page).getByRole('listitem').first()).toBeVisible();
	await expect(page.getByText('A moderator reviews each comment')).toBeVisible();
	await expectAccessible(page, '/meetings/[id] live');

	await page.getByRole('button', { name: 'Español' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Agenda' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'es');
	await expect(page.getByRole('button', { name: 'Publicar' })).toBeVisible();
	await expectAccessible(page, '/meetings/[id] in Spanish');
});

test('a question posted on an agenda item appears live for other attendees, and upvotes count once', async ({
	page,
	browser,
	baseURL
}) => {
	const body = `Which streets are next for resurfacing? ${crypto.randomUUID().slice(0, 8)}`;
	await page.goto(`/meetings/${NEXT}`);
	await page.getByRole('button', { name: 'Post' }).click();
	// Nothing written: a clear, linked error.
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText('Write your question or comment.');
	await expectAccessible(page, '/meetings/[id] form with errors');

	const firstItem = await page.getByLabel('Agenda item').locator('option').nth(1).textContent();
	await post(page, body, { item: firstItem!.trim(), name: 'Jo from Westport' });
	const mine = commentCard(page, body);
	await expect(mine).toContainText('Yours');
	await expect(mine).toContainText('Jo from Westport');
	await expect(mine).toContainText(`On: ${firstItem!.trim()}`);

	// Another attendee sees it without reloading, upvotes it twice (a toggle: up, then down, then up).
	const other = await newAttendee(browser, baseURL!);
	await other.page.goto(`/meetings/${NEXT}`);
	const theirs = commentCard(other.page, body);
	await expect(theirs).toBeVisible();
	await expect(theirs).not.toContainText('Yours');
	await theirs.getByRole('button', { name: /Upvote/ }).click();
	await expect(theirs.getByRole('button', { name: /Remove upvote/ })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await expect(theirs).toContainText('1 upvotes');
	await expect(mine).toContainText('1 upvotes'); // live on the author's screen too

	const stored = await serviceSelect<{ id: string; vote_count: number; status: string }>(
		'comments',
		`select=id,vote_count,status&body=eq.${encodeURIComponent(body)}`
	);
	expect(stored).toHaveLength(1);
	expect(stored[0]).toMatchObject({ vote_count: 1, status: 'published' });
	await other.context.close();
});

test('pre-moderation: the author sees "waiting for review"; a moderator publishes or hides, and everyone sees it', async ({
	page,
	browser,
	baseURL
}) => {
	const tag = crypto.randomUUID().slice(0, 8);
	const good = `How will response times improve? ${tag}`;
	const bad = `Off-topic rant ${tag}`;
	await page.goto(`/meetings/${LIVE}`);
	await post(page, good);
	await expect(commentCard(page, good)).toContainText('Waiting for review');
	await post(page, bad);
	await expect(commentCard(page, bad)).toContainText('Waiting for review');

	const other = await newAttendee(browser, baseURL!);
	await other.page.goto(`/meetings/${LIVE}`);
	await expect(commentsList(other.page).getByRole('listitem').first()).toBeVisible();
	await expect(commentCard(other.page, good)).toHaveCount(0);

	// The moderator's queue.
	const mod = await newAttendee(browser, baseURL!);
	await mod.page.goto('/staff');
	await mod.page.getByLabel('Email address').fill('moderator@civicpulse.local');
	await mod.page.getByLabel('Password').fill(PASSWORD);
	await mod.page.getByRole('button', { name: 'Sign in' }).click();
	await mod.page.getByRole('link', { name: 'Moderation' }).click();
	await expect(mod.page.getByRole('heading', { level: 1, name: 'Moderation' })).toBeVisible();
	await expect(mod.page.getByLabel('Meeting', { exact: true })).toHaveValue(LIVE);
	const queued = mod.page.locator('li').filter({ hasText: good });
	await expect(queued).toBeVisible();
	await expectAccessible(mod.page, '/staff/moderation');
	await queued.getByRole('button', { name: 'Publish' }).click();
	await expect(mod.page.getByText('Saved.')).toBeVisible();

	const rant = mod.page.locator('li').filter({ hasText: bad });
	await rant
		.getByLabel('Reason for hiding (shown to the author)')
		.fill('Please keep to the agenda.');
	await rant.getByRole('button', { name: 'Hide' }).click();
	await expect(mod.page.getByText('Saved.')).toBeVisible();

	// Everyone sees the published one within seconds; the author learns why the other was hidden.
	await expect(commentCard(other.page, good)).toBeVisible();
	await expect(commentCard(other.page, bad)).toHaveCount(0);
	await expect(commentCard(page, good)).not.toContainText('Waiting for review');
	await expect(commentCard(page, bad)).toContainText('Please keep to the agenda.');

	// Answered + pinned show up for attendees.
	await mod.page.getByRole('radio', { name: /^Published/ }).check();
	const published = mod.page.locator('li').filter({ hasText: good });
	await published
		.getByLabel('Answer (optional, shown to everyone)')
		.fill('Resurfacing on your street starts in April.');
	await published.getByRole('button', { name: 'Mark answered' }).click();
	await expect(commentCard(other.page, good)).toContainText('Answered');
	await expect(commentCard(other.page, good)).toContainText('Answer from the city');
	await expect(commentCard(other.page, good)).toContainText(
		'Resurfacing on your street starts in April.'
	);
	await other.context.close();
	await mod.context.close();
});

test('a comment written offline is kept through a reload and sent exactly once on reconnect', async ({
	page,
	context
}) => {
	const body = `Written in the basement ${crypto.randomUUID().slice(0, 8)}`;
	await page.goto(`/meetings/${NEXT}`);
	await expect(page.getByRole('heading', { level: 2, name: 'Agenda' })).toBeVisible();
	await waitForServiceWorker(page);

	await context.setOffline(true);
	await post(page, body);
	await expect(page.getByText('1 comment waiting to send')).toBeVisible();
	await page.reload();
	await expect(page.getByRole('heading', { level: 2, name: 'Agenda' })).toBeVisible();
	await expect(page.getByText('copy saved on this device')).toBeVisible();
	await expect(page.getByText('1 comment waiting to send')).toBeVisible();
	expect(
		await serviceSelect('comments', `select=id&body=eq.${encodeURIComponent(body)}`)
	).toHaveLength(0);

	await context.setOffline(false);
	await expect(commentCard(page, body)).toBeVisible();
	await expect(page.getByText('waiting to send')).toHaveCount(0);
	expect(
		await serviceSelect('comments', `select=id&body=eq.${encodeURIComponent(body)}`)
	).toHaveLength(1);
});
