/**
 * An admin switches on, for one open-link wave, the limit of open-link responses per network per
 * hour (the ballot stuffing defence), in English or Spanish, with a clear error for a bad value.
 */
import { expect, expectAccessible, serviceSelect, serviceWrite, test } from './helpers/fixtures';

const LABEL = `E2E limited wave ${Date.now()}`;

test.afterEach(async () => {
	await serviceWrite('DELETE', 'survey_waves', `label=eq.${encodeURIComponent(LABEL)}`);
});

test('an admin limits open-link responses per network for a wave', async ({ page }) => {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill('admin@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('link', { name: 'Survey waves' }).click();

	await page.getByLabel('Label', { exact: true }).fill(LABEL);
	await page.getByLabel('Period (year like 2027 or quarter like 2027-Q1)').fill('2025');
	await page.getByLabel('Who can answer').selectOption('open');
	await page.getByLabel('Opens').fill('2025-12-01T09:00');
	const limit = page.getByLabel('Open-link responses per network per hour (optional)');
	await expect(limit).toHaveAccessibleDescription(/Stops one device or script/);

	await limit.fill('0');
	await page.getByRole('button', { name: 'Save' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText([/^Enter a whole number from 1 to 100000/]);
	await expectAccessible(page, 'survey waves with a bad limit');

	await limit.fill('20');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Saved “${LABEL}”.` })).toBeFocused();
	expect(
		await serviceSelect(
			'survey_waves',
			`label=eq.${encodeURIComponent(LABEL)}&select=open_limit_per_hour`
		)
	).toEqual([{ open_limit_per_hour: 20 }]);
	const row = page
		.getByRole('table', { name: 'Waves of every survey' })
		.getByRole('row', { name: new RegExp(`^${LABEL}`) });
	await expect(row).toContainText('at most 20 open-link responses per network per hour');

	// Editing it again shows the saved limit; emptying it switches the limit off.
	await page.getByLabel('Wave to edit').selectOption({ label: LABEL });
	await expect(limit).toHaveValue('20');
	await limit.fill('');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Saved “${LABEL}”.` })).toBeFocused();
	expect(
		await serviceSelect(
			'survey_waves',
			`label=eq.${encodeURIComponent(LABEL)}&select=open_limit_per_hour`
		)
	).toEqual([{ open_limit_per_hour: null }]);
});
