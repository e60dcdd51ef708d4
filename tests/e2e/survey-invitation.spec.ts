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

test('an invitation code works once; scanning it again shows a clear "already used" message', async ({
	browser
}) => {
	const code = 'KC26-DEMO-0001';
	const first = await browser.newContext();
	const page = await first.newPage();
	await page.goto(`/s/${SLUG}?code=${code}`);
	await expect(page.getByTestId('invitation-status')).toHaveText(
		m.invitation_valid.replace('{code}', code)
	);
	await expectAccessible(page, 'valid invitation');
	const id = await completeSurvey(page, 'en');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	const rows = await serviceSelect<{ mode: string; invitation_id: string | null }>(
		'responses',
		`id=eq.${id}&select=mode,invitation_id`
	);
	expect(rows).toHaveLength(1);
	expect(rows[0].mode).toBe('invited');
	expect(rows[0].invitation_id).not.toBeNull();
	await first.close();

	// Another household (another browser) scans the same QR code.
	const second = await browser.newContext();
	const again = await second.newPage();
	await again.goto(`/s/${SLUG}?code=${code}`);
	await expect(again.getByTestId('invitation-status')).toHaveText(
		m.invitation_used.replace('{code}', code)
	);
	await expect(again.getByRole('button', { name: m.survey_start })).toHaveCount(0);
	await expect(again.getByRole('link', { name: m.invitation_open_link })).toBeVisible();
	await expectAccessible(again, 'used invitation');
	await second.close();
});

test('a used code entered offline is refused on sync: the response is kept and the reason shown', async ({
	page,
	context
}) => {
	const code = 'KC26-USED-0001'; // already used in the seed
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await waitForServiceWorker(page);

	await context.setOffline(true);
	await page.goto(`/s/${SLUG}?code=${code}`);
	await expect(page.getByTestId('invitation-status')).toHaveText(
		m.invitation_unchecked.replace('{code}', code)
	);
	const id = await completeSurvey(page, 'en');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'queued');

	await context.setOffline(false);
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'rejected');
	await expect(page.getByTestId('receipt-status')).toHaveText(m.thanks_rejected);
	await expect(page.getByTestId('sync-status')).toContainText('1 response was not accepted');
	await expect(page.getByTestId('sync-status')).toContainText(
		'Reason given by the server: This invitation code has already been used'
	);
	await expectAccessible(page, 'rejected response');
	expect(await serviceSelect('responses', `id=eq.${id}&select=id`)).toEqual([]);
	// Kept on the device, not deleted: still listed after a reload.
	await page.reload();
	await expect(page.getByTestId('sync-status')).toContainText('1 response was not accepted');
});
