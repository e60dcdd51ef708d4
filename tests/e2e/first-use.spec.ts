/**
 * First-use fixes (issue 9): a mistyped address gets a real page in both languages with a way
 * home; a survey that does not exist says so and points to the open ones; one phone can be
 * passed around a household on an open-link wave, each person's answers counted once, even
 * when the first person's are still waiting for a connection, and a meeting comment the first
 * person left queued is posted under their name, not the next person's.
 */
import {
	expect,
	expectAccessible,
	serviceSelect,
	SLUG,
	test,
	waitForServiceWorker
} from './helpers/fixtures';
import { completeSurvey, messages } from './helpers/survey-flow';

const m = messages.en;

test('an unknown address shows "Page not found" with a way home, in English and Spanish', async ({
	page
}) => {
	await page.goto('/no-such-page');
	await expect(page.getByRole('heading', { level: 1, name: m.not_found_title })).toBeVisible();
	await expect(page.getByText(m.not_found_text)).toBeVisible();
	await expect(page).toHaveTitle(`${m.not_found_title} · CivicPulse`);
	await expectAccessible(page, '404 (en)');

	await page.getByRole('button', { name: 'Cambiar a español' }).click();
	const es = messages.es;
	await expect(page.getByRole('heading', { level: 1, name: es.not_found_title })).toBeVisible();
	await expect(page.getByText(es.not_found_text)).toBeVisible();
	await expectAccessible(page, '404 (es)');
	await page.getByRole('link', { name: es.error_home_link }).click();
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.home_title);
});

test('a survey that does not exist says so and links to the surveys open now', async ({ page }) => {
	await page.goto('/s/does-not-exist');
	await expect(
		page.getByRole('heading', { level: 1, name: m.survey_not_found_title })
	).toBeFocused();
	await expect(page.getByText(m.survey_not_found)).toBeVisible();
	await expect(page.getByRole('button', { name: m.survey_try_again })).toHaveCount(0);
	await expectAccessible(page, 'survey not found');
	await page.getByRole('link', { name: m.survey_not_found_home }).click();
	await expect(page.getByTestId('home-surveys')).toContainText(/./);
});

interface TResponseRow {
	id: string;
	respondent_id: string;
}

test('one device, two people: "answer again for someone else" counts both responses', async ({
	page
}) => {
	await page.goto(`/s/${SLUG}`);
	const first = await completeSurvey(page, 'en', 'First person.');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	await expectAccessible(page, 'thank you with answer again');

	await page.getByRole('button', { name: m.thanks_answer_again }).click();
	const second = await completeSurvey(page, 'en', 'Second person.');
	expect(second).not.toBe(first);
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');

	const rows = await serviceSelect<TResponseRow>(
		'responses',
		`id=in.(${first},${second})&select=id,respondent_id`
	);
	expect(rows.map((r) => r.id).sort()).toEqual([first, second].sort());
	// Two anonymous identities: the database's one-response-per-person rule still holds.
	expect(new Set(rows.map((r) => r.respondent_id)).size).toBe(2);
});

test('answering again while offline keeps the first person’s queued response and sends both', async ({
	page,
	context
}) => {
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await waitForServiceWorker(page);
	await context.setOffline(true);
	const first = await completeSurvey(page, 'en', 'First, offline.');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'queued');

	await page.getByRole('button', { name: m.thanks_answer_again }).click();
	const second = await completeSurvey(page, 'en', 'Second, offline.');
	await expect(page.getByTestId('sync-status')).toContainText('2 responses waiting to send');
	expect(await serviceSelect('responses', `id=in.(${first},${second})&select=id`)).toEqual([]);

	await context.setOffline(false);
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	await expect(page.getByTestId('sync-status')).toContainText(m.sync_sent);
	const rows = await serviceSelect<TResponseRow>(
		'responses',
		`id=in.(${first},${second})&select=id,respondent_id`
	);
	expect(rows.map((r) => r.id).sort()).toEqual([first, second].sort());
	expect(new Set(rows.map((r) => r.respondent_id)).size).toBe(2);
});

test('a comment the first person left queued is posted as theirs after the phone is handed on', async ({
	page,
	context
}) => {
	const meeting = '00000000-0000-4000-a800-000000000011'; // seeded: comments open
	const tag = crypto.randomUUID().slice(0, 8);
	const theirs = `From the first person ${tag}`;
	const mine = `From the second person ${tag}`;

	// The first person answers online (their session is made), then, offline, asks a question at
	// the meeting in another tab; it waits on the phone.
	await page.goto(`/s/${SLUG}`);
	await waitForServiceWorker(page);
	const first = await completeSurvey(page, 'en', 'First person, online.');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	const meetingTab = await context.newPage();
	await meetingTab.goto(`/meetings/${meeting}`);
	await expect(meetingTab.getByLabel('Your question or comment')).toBeVisible();
	await context.setOffline(true);
	await meetingTab.getByLabel('Your question or comment').fill(theirs);
	await meetingTab.getByRole('button', { name: 'Post' }).click();
	await expect(meetingTab.getByText('1 comment waiting to send')).toBeVisible();
	await meetingTab.close();

	// Handed on, still offline: the second person answers; then the phone is back online.
	await page.getByRole('button', { name: m.thanks_answer_again }).click();
	const second = await completeSurvey(page, 'en', 'Second person.');
	await context.setOffline(false);
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');

	// The second person opens the meeting: the first person's question goes out, and they ask
	// their own.
	const again = await context.newPage();
	await again.goto(`/meetings/${meeting}`);
	await again.getByLabel('Your question or comment').fill(mine);
	await again.getByRole('button', { name: 'Post' }).click();

	const respondents = new Map(
		(
			await serviceSelect<TResponseRow>(
				'responses',
				`id=in.(${first},${second})&select=id,respondent_id`
			)
		).map((r) => [r.id, r.respondent_id])
	);
	expect(respondents.size).toBe(2);
	const authorOf = async (body: string) => {
		const stored = () =>
			serviceSelect<{ author_id: string }>(
				'comments',
				`select=author_id&body=eq.${encodeURIComponent(body)}`
			);
		// Sending is the page's own work after the click: wait for the database, not the screen.
		await expect
			.poll(async () => (await stored()).length, { message: `"${body}" is stored once` })
			.toBe(1);
		return (await stored())[0].author_id;
	};
	// Each comment's author is the person who wrote it: the same identity as their response.
	expect(await authorOf(theirs)).toBe(respondents.get(first));
	expect(await authorOf(mine)).toBe(respondents.get(second));
	expect(respondents.get(first)).not.toBe(respondents.get(second));
	await expect(again.getByText('waiting to send')).toHaveCount(0);

	// Once nothing of theirs is left to send, the phone forgets the first person's session.
	await expect
		.poll(() =>
			again.evaluate(
				() =>
					new Promise<number>((ok, fail) => {
						const r = indexedDB.open('civicpulse');
						r.onsuccess = () => {
							const count = r.result.transaction('handovers').objectStore('handovers').count();
							count.onsuccess = () => {
								ok(count.result);
								r.result.close();
							};
							count.onerror = () => fail(count.error);
						};
						r.onerror = () => fail(r.error);
					})
			)
		)
		.toBe(0);
});
