/**
 * An admin prints invitations for a mailing: codes minted once (a lost answer retried gives the
 * same codes, none added twice), a CSV list for the mail merge, a QR code sheet, and a code that
 * opens the survey ready to use.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, serviceSelect, SLUG, test, WAVE_2026 } from './helpers/fixtures';

async function signInAsAdmin(page: Page) {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill('admin@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('staff-identity')).toContainText('admin');
}

const codesOfBatch = async (batch: string) =>
	(await serviceSelect('invitations', `batch=eq.${encodeURIComponent(batch)}&select=id`)).length;

test('an admin creates invitation codes, downloads the list and prints QR codes that open the survey', async ({
	page
}) => {
	await signInAsAdmin(page);
	await page.getByRole('link', { name: 'Invitations' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Invitation codes' })).toBeVisible();
	const before = Number(await page.getByTestId(`inv-codes-${WAVE_2026}`).textContent());
	await expectAccessible(page, 'invitations');

	// Mistakes are explained before anything is sent.
	await page.getByLabel('Number of codes').fill('0');
	await page.getByRole('button', { name: 'Create codes' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText([
		'Enter a whole number of codes from 1 to 1000'
	]);
	await expectAccessible(page, 'invitations with errors');

	// The first answer is lost on the way back (the server did create the codes).
	const batch = `e2e-mail-${Date.now()}`;
	await page.getByLabel('Survey wave', { exact: true }).selectOption(WAVE_2026);
	await page.getByLabel('Number of codes').fill('3');
	await page.getByLabel('Batch label (optional)').fill(batch);
	await page.route('**/rest/v1/rpc/create_invitations', async (route) => {
		await route.fetch(); // reaches the database...
		await route.abort('connectionreset'); // ...but the page never hears back
	});
	await page.getByRole('button', { name: 'Create codes' }).click();
	await expect(summary).toBeFocused();
	await expect(summary).toContainText('the same codes will come back');
	expect(await codesOfBatch(batch)).toBe(3);

	// The admin presses the button again: the same three codes, none added.
	await page.unroute('**/rest/v1/rpc/create_invitations');
	await page.getByRole('button', { name: 'Create codes' }).click();
	const created = page.getByRole('heading', {
		level: 2,
		name: /^3 codes for 2026 resident survey/
	});
	await expect(created).toBeFocused();
	expect(await codesOfBatch(batch)).toBe(3);
	await expect(page.getByTestId(`inv-codes-${WAVE_2026}`)).toHaveText(String(before + 3));

	const sheet = page.getByRole('list', { name: 'QR code sheet' });
	const cards = sheet.getByRole('listitem');
	await expect(cards).toHaveCount(3);
	const codes = await sheet.locator('.code').allTextContents();
	expect(codes.every((c) => /^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/.test(c))).toBe(true);
	const origin = new URL(page.url()).origin;
	for (const [i, code] of codes.entries()) {
		const url = `${origin}/s/${SLUG}?code=${code}`;
		const qr = cards.nth(i).getByRole('img', { name: `QR code that opens ${url}` });
		await expect(qr).toBeVisible();
		expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(
			true
		);
	}
	await expectAccessible(page, 'invitations created');

	// The list for the mail merge: one row per code with its link.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download the list (CSV)' }).click()
	]);
	expect(download.suggestedFilename()).toBe(`invitations-2026-${batch}.csv`);
	const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
	expect(csv.split('\r\n')).toEqual([
		'code,url,wave,batch',
		...codes.map((c) => `${c},${origin}/s/${SLUG}?code=${c},2026 resident survey,${batch}`)
	]);

	// Printing shows the sheet alone.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: 'Create codes' })).toBeHidden();
	await expect(page.getByRole('navigation').first()).toBeHidden();
	await expect(cards.first()).toBeVisible();
	await page.emulateMedia({ media: 'screen' });

	// A household scans the first code: the survey opens with the code checked.
	await page.goto(`/s/${SLUG}?code=${codes[0]}`);
	await expect(page.getByTestId('invitation-status')).toHaveText(
		`Your invitation code ${codes[0]} is valid. Thank you for taking part.`
	);
});

test('only admins are offered invitations, and the page says so to others', async ({ page }) => {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill('analyst@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('staff-identity')).toContainText('analyst');
	await expect(page.getByRole('link', { name: 'Invitations' })).toHaveCount(0);
	await page.goto('/staff/invitations');
	await expect(page.getByRole('alert')).toHaveText('Only admins can create invitation codes.');
});
