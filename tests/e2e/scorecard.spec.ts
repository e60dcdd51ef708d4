import { expect, expectAccessible, test, waitForServiceWorker } from './helpers/fixtures';

/** A measure's card on /scorecard, found by its stable key (seed: supabase/seed.sql). */
/** The goal-area headings (the filter form has its own, hidden, heading). */
const areaHeadings = (page: import('@playwright/test').Page) =>
	page.locator('section.area').getByRole('heading', { level: 2 });

const card = (page: import('@playwright/test').Page, key: string) =>
	page.locator(`li.measure[data-measure="${key}"]`);

test('the public scorecard shows published measures honestly, including targets not met', async ({
	page
}) => {
	await page.goto('/scorecard');
	await expect(page.getByRole('heading', { level: 1, name: 'City scorecard' })).toBeVisible();
	await expect(page.getByTestId('scorecard-summary')).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'Public Safety' })).toBeVisible();
	// Honesty: missed targets are listed in words, not hidden.
	await expect(page.getByText('Target not met').first()).toBeVisible();
	// Drafts stay private: an unpublished measure and an unpublished goal are absent.
	await expect(page.getByText('Open-data datasets updated on schedule')).toHaveCount(0);
	await expect(page.getByText('Resilient long-term finances (draft)')).toHaveCount(0);
	await expectAccessible(page, '/scorecard');
});

test('a shared link opens the same period and goal area', async ({ page }) => {
	await page.goto('/scorecard?period=2026-Q2&area=infrastructure');
	await expect(page.getByLabel('Period', { exact: true })).toHaveValue('2026-Q2');
	await expect(page.getByLabel('Goal area', { exact: true })).toHaveValue('infrastructure');
	await expect(areaHeadings(page)).toHaveText(['Infrastructure & Transportation']);
	// Potholes fixed within 3 days, 2026-Q2 (seed): 86 % against a target of 88 %.
	const potholes = card(page, 'potholes_3day');
	await expect(potholes).toContainText('86.0%');
	await expect(potholes).toContainText('88.0%');
	await expect(potholes.getByTestId('status')).toHaveText(/Target not met/);

	// Changing the filters updates the address, so the view can be shared as is.
	await page.getByLabel('Goal area', { exact: true }).selectOption('public_safety');
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(/\?period=2026-Q2&area=public_safety$/);
	await expect(areaHeadings(page)).toHaveText(['Public Safety']);
	await expectAccessible(page, '/scorecard filtered');
});

test('the scorecard works offline from the last visit, in Spanish too', async ({
	page,
	context
}) => {
	await page.goto('/scorecard?area=public_safety');
	await expect(card(page, 'calls_911_15s')).toBeVisible();
	await waitForServiceWorker(page);

	await context.setOffline(true);
	try {
		await page.reload();
		await expect(page.getByTestId('scorecard-offline')).toBeVisible();
		await expect(card(page, 'calls_911_15s')).toContainText('911 calls answered within 15 seconds');

		await page.getByRole('button', { name: 'Cambiar a español' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'es');
		await expect(
			page.getByRole('heading', { level: 1, name: 'Tablero de resultados de la ciudad' })
		).toBeVisible();
		await expect(card(page, 'calls_911_15s')).toContainText(
			'Llamadas al 911 contestadas en 15 segundos'
		);
		await expect(page.getByTestId('scorecard-offline')).toContainText('No tiene conexión');
		await expectAccessible(page, '/scorecard offline, Spanish');
	} finally {
		await context.setOffline(false);
		await page.evaluate(() => localStorage.removeItem('civicpulse.lang')).catch(() => {});
	}
});
