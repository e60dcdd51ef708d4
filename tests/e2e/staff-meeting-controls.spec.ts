/**
 * A moderator runs a meeting from the moderation page: closes and reopens comments, starts the
 * meeting and ends it; attendees' open pages follow within a poll.
 */
import { expect, expectAccessible, serviceWrite, test } from './helpers/fixtures';

const NEXT = '00000000-0000-4000-a800-000000000011'; // seed: next month, comments open

// Put the seeded meeting back as it was, so later tests see the seeded schedule.
test.afterEach(async () => {
	await serviceWrite('PATCH', 'meetings', `id=eq.${NEXT}`, {
		status: 'scheduled',
		comments_open: true
	});
});

test('a moderator opens and closes comments, starts and ends a meeting, and attendees see it', async ({
	page,
	context
}) => {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill('moderator@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('link', { name: 'Moderation' }).click();
	const meeting = page.getByLabel('Meeting', { exact: true });
	await meeting.selectOption(NEXT);
	const state = page.getByTestId('meeting-state');
	await expect(state).toHaveText('Status: Scheduled. Comments are open.');
	await expectAccessible(page, 'moderation with meeting controls');

	// An attendee has the meeting page open and can comment.
	const attendee = await context.newPage();
	await attendee.goto(`/meetings/${NEXT}`);
	await expect(attendee.getByLabel('Your question or comment')).toBeVisible();

	await page.getByRole('button', { name: 'Close comments' }).click();
	await expect(state).toHaveText('Status: Scheduled. Comments are closed.');
	await expect(page.getByText('Saved. Everyone watching sees it within seconds.')).toBeVisible();
	await expect(attendee.getByText('Comments are closed for this meeting.')).toBeVisible();
	await expect(attendee.getByLabel('Your question or comment')).toHaveCount(0);

	await page.getByRole('button', { name: 'Open comments' }).click();
	await expect(state).toHaveText('Status: Scheduled. Comments are open.');
	await expect(attendee.getByLabel('Your question or comment')).toBeVisible();

	await page.getByRole('button', { name: 'Start the meeting now (live)' }).click();
	await expect(state).toHaveText('Status: Live. Comments are open.');
	await expect(page.getByRole('button', { name: 'Start the meeting now (live)' })).toHaveCount(0);

	await page.getByRole('button', { name: 'End the meeting' }).click();
	await expect(state).toHaveText('Status: Ended. Comments are closed.');
	await expect(page.getByRole('button', { name: /comments$/ })).toHaveCount(0);
	await expect(attendee.getByText('Comments are closed for this meeting.')).toBeVisible();
	await expectAccessible(page, 'moderation after the meeting ended');
});
