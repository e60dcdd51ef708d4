/**
 * An admin runs the survey calendar: adds a wave (a lost answer retried adds it once), closes an
 * open wave, and publishes its results only once it has closed.
 */
import { expect, expectAccessible, serviceSelect, serviceWrite, test } from './helpers/fixtures';

const LABEL = `E2E pilot wave ${Date.now()}`;

// The wave opens before the seeded 2026 wave, so the survey link keeps using that one, and it is
// removed afterwards, so later tests see the seeded calendar.
test.afterEach(async () => {
	await serviceWrite('DELETE', 'survey_waves', `label=eq.${encodeURIComponent(LABEL)}`);
});

test('an admin adds a wave, closes it and then publishes its results', async ({ page }) => {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill('admin@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('link', { name: 'Survey waves' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Survey waves' })).toBeVisible();
	const list = page.getByRole('table', { name: 'Waves of every survey' });
	await expect(list.getByRole('row', { name: /^2026 resident survey/ })).toContainText('Open now');
	await expectAccessible(page, 'survey waves');

	// Publishing results of a wave that is still open is refused before anything is sent.
	await page.getByLabel('Label', { exact: true }).fill(LABEL);
	await page.getByLabel('Period (year like 2027 or quarter like 2027-Q1)').fill('2025');
	await page.getByLabel('Who can answer').selectOption('open');
	await page.getByLabel('Opens').fill('2025-12-01T09:00');
	await page.getByRole('checkbox', { name: /Results published/ }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText([/^Results can be published only after/]);
	await expectAccessible(page, 'survey waves with errors');
	expect(await serviceSelect('survey_waves', `label=eq.${encodeURIComponent(LABEL)}`)).toEqual([]);

	// Saved without results; the first answer is lost on its way back, the retry adds nothing.
	await page.getByRole('checkbox', { name: /Results published/ }).uncheck();
	await page.route('**/rest/v1/survey_waves*', async (route) => {
		if (route.request().method() !== 'POST') return route.continue();
		await route.fetch();
		await route.abort('connectionreset');
	});
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(summary).toBeFocused();
	await page.unroute('**/rest/v1/survey_waves*');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Saved “${LABEL}”.` })).toBeFocused();
	const rows = await serviceSelect<{ mode: string; closes_at: string | null }>(
		'survey_waves',
		`label=eq.${encodeURIComponent(LABEL)}&select=mode,closes_at,results_published`
	);
	expect(rows).toEqual([{ mode: 'open', closes_at: null, results_published: false }]);
	const row = list.getByRole('row', { name: new RegExp(`^${LABEL}`) });
	await expect(row).toContainText('Open now');
	await expect(row).toContainText('Not published');

	// Close it now: residents can no longer answer it.
	await row.getByRole('button', { name: `Close “${LABEL}” now` }).click();
	await expect(
		page.getByRole('status').filter({ hasText: 'residents can no longer answer it' })
	).toBeFocused();
	await expect(row).toContainText('Closed');
	await expect(row.getByRole('button')).toHaveCount(0);

	// Now its results may be published.
	await page.getByLabel('Wave to edit').selectOption({ label: LABEL });
	await expect(page.getByLabel('Label', { exact: true })).toHaveValue(LABEL);
	await page.getByRole('checkbox', { name: /Results published/ }).check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(row).toContainText('Published');
	const [stored] = await serviceSelect<{ closes_at: string; results_published: boolean }>(
		'survey_waves',
		`label=eq.${encodeURIComponent(LABEL)}&select=closes_at,results_published`
	);
	expect(stored.results_published).toBe(true);
	expect(new Date(stored.closes_at).getTime()).toBeLessThan(Date.now());
	await expectAccessible(page, 'survey waves after publishing');
});

test('only admins manage waves', async ({ page }) => {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill('moderator@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('staff-identity')).toContainText('moderator');
	await expect(page.getByRole('link', { name: 'Survey waves' })).toHaveCount(0);
	await page.goto('/staff/waves');
	await expect(page.getByRole('alert')).toHaveText('Only admins can manage survey waves.');
});
