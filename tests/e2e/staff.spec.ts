import type { Page } from '@playwright/test';
import { expect, expectAccessible, serviceSelect, test } from './helpers/fixtures';

const PASSWORD = 'civicpulse-demo';

async function signIn(page: Page, email: string, password = PASSWORD) {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

const measureRow = (page: Page, key: string) => page.locator(`tr[data-measure="${key}"]`);

test('the sign-in form explains mistakes and refuses a wrong password', async ({ page }) => {
	await page.goto('/staff');
	await expect(page.getByRole('heading', { level: 2, name: 'Sign in' })).toBeVisible();
	await expectAccessible(page, '/staff sign-in');

	await page.getByRole('button', { name: 'Sign in' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText([
		'Enter an email address, like name@example.org',
		'Enter your password'
	]);
	await expect(page.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
	await expectAccessible(page, '/staff sign-in with errors');

	await signIn(page, 'analyst@civicpulse.local', 'not-the-password');
	await expect(page.getByRole('alert')).toContainText('The email address or password is not right');
	await expect(page.getByLabel('Password')).toBeVisible();
});

test('an analyst sets a target and the measure’s status changes', async ({ page }) => {
	await signIn(page, 'analyst@civicpulse.local');
	await expect(page.getByTestId('staff-identity')).toHaveText(
		'Signed in as analyst@civicpulse.local (analyst)'
	);
	await expect(
		page.getByRole('heading', { level: 3, name: 'Customer Service & Communication' })
	).toBeVisible();
	await expectAccessible(page, '/staff goal areas');

	await page.getByRole('link', { name: 'Responsive, easy-to-reach 311' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Responsive, easy-to-reach 311' })
	).toBeVisible();
	// 311 calls answered within 60 s, 2026-Q3 (seed): 84 % against a target of 80 %.
	const row = measureRow(page, 'calls_311_60s');
	await expect(row).toContainText('84.0%');
	await expect(row.getByTestId('status')).toHaveText(/Target met/);
	// Every chart comes with a summary sentence and a data table.
	const trend = page.getByRole('figure', { name: /Trend: 311 calls answered within 60 seconds/ });
	await expect(trend.getByTestId('chart-summary')).toContainText('84.0% in Q3 2026');
	await expect(trend.getByRole('table')).toBeVisible();
	await expectAccessible(page, '/staff goal dashboard');

	// A value the form must refuse first: explained in place, nothing written.
	const form = page.getByRole('form', { name: 'Set a target' });
	await form
		.getByLabel('Measure', { exact: true })
		.selectOption({ label: '311 calls answered within 60 seconds' });
	await form.getByLabel('Year', { exact: true }).fill('2026');
	await form.getByLabel('Quarter', { exact: true }).selectOption('3');
	await form.getByLabel('Target value (percent, 0 to 100)').fill('190');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(form.getByRole('alert')).toBeFocused();
	await expect(form.getByRole('alert')).toContainText('must be between 0 and 100');

	// 0.3 means 0.3 % here: usually a proportion typed by mistake, so the form asks first.
	await form.getByLabel('Target value (percent, 0 to 100)').fill('0.3');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(form.getByRole('alert')).toBeFocused();
	await expect(form.getByRole('alert')).toContainText('If you meant 30 %, type 30');
	await expect(row).not.toContainText('0.3%');

	await form.getByLabel('Target value (percent, 0 to 100)').fill('90');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(form.getByRole('status')).toHaveText('Target for Q3 2026 saved: 90.0%.');
	await expect(row.getByTestId('status')).toHaveText(/Target not met/);
	await expect(row).toContainText('90.0%');

	// Stored once, on the existing (measure, period) row, and saving again changes nothing.
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(form.getByRole('status')).toHaveText('Target for Q3 2026 saved: 90.0%.');
	const [measure] = await serviceSelect<{ id: string }>(
		'measures',
		'select=id&key=eq.calls_311_60s'
	);
	const stored = await serviceSelect<{ value: number }>(
		'targets',
		`select=value&measure_id=eq.${measure.id}&period=eq.2026-Q3`
	);
	// Typed as points (90 %), stored as the proportion every layer uses (0.9).
	expect(stored.map((t) => Number(t.value))).toEqual([0.9]);
	await expectAccessible(page, '/staff goal dashboard after saving');
});

test('a moderator can read the dashboard but is not offered the target form', async ({ page }) => {
	await signIn(page, 'moderator@civicpulse.local');
	await expect(page.getByTestId('staff-identity')).toContainText('(moderator)');
	await page.goto('/staff/goals/ps_response');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Fast, reliable emergency response' })
	).toBeVisible();
	await expect(page.getByRole('form', { name: 'Set a target' })).toHaveCount(0);
});

test('a signed-in account that is not staff gets a clear message and can sign out', async ({
	page
}) => {
	const email = `resident-${Date.now()}@example.org`;
	const res = await fetch(`${process.env.E2E_SUPABASE_URL}/auth/v1/signup`, {
		method: 'POST',
		headers: { apikey: process.env.E2E_ANON_KEY!, 'content-type': 'application/json' },
		body: JSON.stringify({ email, password: PASSWORD })
	});
	expect(res.ok).toBe(true);
	await signIn(page, email);
	await expect(page.getByRole('alert')).toContainText('this account is not on the staff list');
	await expect(page.getByRole('link', { name: 'Manage goals, measures and targets' })).toHaveCount(
		0
	);
	await expectAccessible(page, '/staff not staff');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Sign in' })).toBeVisible();
});

test('the goal dashboard compares districts and plots importance against satisfaction', async ({
	page
}) => {
	await signIn(page, 'analyst@civicpulse.local');
	await expect(page.getByTestId('staff-identity')).toContainText('(analyst)');
	await page.goto('/staff/goals/it_streets?wave=00000000-0000-4000-a500-000000002025');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Well-maintained streets, curbs and sidewalks' })
	).toBeVisible();

	const districts = page.getByRole('figure', {
		name: 'By council district: Satisfaction with streets, sidewalks and infrastructure'
	});
	await expect(districts.getByTestId('chart-summary')).toContainText(/highest in district \d/);
	await expect(districts.getByRole('table').locator('tbody tr')).toHaveCount(6);

	const matrix = page.getByRole('figure', { name: 'Importance and satisfaction' });
	await expect(matrix.getByTestId('chart-summary')).toContainText('Priorities');
	// The goal's own service is marked in the table, and streets are a priority (seed: ~70 % name
	// them in their top three, ~19 % satisfied).
	const streets = matrix.getByRole('row').filter({ hasText: '(this goal)' });
	await expect(streets).toContainText('Priority: important, below-average satisfaction');
	await expect(page.locator('canvas')).not.toHaveCount(0);
	await expectAccessible(page, '/staff dashboard with survey charts');

	// Filters live in the address too: one district highlighted, same page.
	await page.getByLabel('Council district', { exact: true }).selectOption('3');
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page).toHaveURL(/district=3/);
	await expect(matrix.getByTestId('chart-summary')).toContainText('Priorities');
});

test('an import is checked against the database first, written whole on confirmation; a corrected file replaces answers only when asked', async ({
	page
}) => {
	const csv = (streets1: number) =>
		[
			'id,inside,district,q3_01,q3_03',
			`e2e-imp-1,YES,1,4,${streets1}`,
			'e2e-imp-2,YES,2,9,5',
			'e2e-imp-3,NO,3,5,5',
			'e2e-imp-4,YES,4,7,1'
		].join('\n');
	const mapping = {
		survey: 'resident-survey',
		wave: { label: '2024 resident survey' },
		id_column: 'id',
		language: 'en',
		district: { column: 'district', question: 'q6_district' },
		filter: { column: 'inside', equals: 'YES' },
		kind_codes: { satisfaction5: { '9': 9 } },
		columns: { q3_01: 'q3_01', q3_03: 'q3_03' }
	};
	const stored = () => serviceSelect('responses', 'select=id&external_id=like.e2e-imp-*');
	const dryRun = async (text: string, mappingJson: unknown = mapping) => {
		await page.getByLabel('CSV file of responses').setInputFiles({
			name: 'responses.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(text)
		});
		await page.getByLabel('Mapping file (JSON)').setInputFiles({
			name: 'mapping.json',
			mimeType: 'application/json',
			buffer: Buffer.from(JSON.stringify(mappingJson))
		});
		await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
	};

	await signIn(page, 'analyst@civicpulse.local');
	await page.getByRole('link', { name: 'Import and export' }).click();

	// A filter that keeps nothing is said, and nothing can be imported.
	await dryRun(csv(2), { ...mapping, filter: { column: 'inside', equals: 'Yes' } });
	await expect(page.getByTestId('import-nothing')).toHaveText(
		'The row filter ("inside" equals "Yes") kept none of the 4 rows: there is nothing to import. Values found in the file: "YES" (3), "NO" (1).'
	);
	await expect(page.getByRole('button', { name: 'Import 0 responses' })).toBeDisabled();

	await dryRun(csv(2));
	await expect(page.getByTestId('import-stats')).toHaveText(
		'4 rows read: 2 ready to import, 1 skipped by the row filter, 1 with errors.'
	);
	await expect(page.getByTestId('import-compared')).toHaveText(
		'Compared with the database: 2 new, 0 already imported and unchanged, 0 already imported with different answers, 0 refused.'
	);
	const errors = page.getByRole('table', { name: 'Rows and fields with errors' });
	await expect(errors.locator('tbody tr')).toHaveCount(1);
	await expect(errors.locator('tbody tr')).toContainText('q3_01');
	await expect(errors.locator('tbody tr')).toContainText('"7" is not a valid satisfaction5 answer');
	await expectAccessible(page, '/staff/import dry run');
	expect(await stored()).toHaveLength(0); // a dry run writes nothing

	const apply = page.getByRole('button', { name: 'Import 2 responses' });
	await expect(apply).toBeDisabled();
	await page.getByLabel('Import only the 2 valid rows and leave out the rows with errors').check();
	await apply.click();
	await expect(page.getByTestId('import-result')).toHaveText(
		'Import finished, in one transaction: 2 new, 0 replaced, 0 already there and unchanged, 0 kept as stored, 1 left out.'
	);
	expect(await stored()).toHaveLength(2);

	await apply.click();
	await expect(page.getByTestId('import-result')).toHaveText(
		'Import finished, in one transaction: 0 new, 0 replaced, 2 already there and unchanged, 0 kept as stored, 1 left out.'
	);
	expect(await stored()).toHaveLength(2);

	// The corrected file: respondent e2e-imp-1 is satisfied with streets (5), not 2.
	await dryRun(csv(5));
	await expect(page.getByTestId('import-compared')).toHaveText(
		'Compared with the database: 0 new, 1 already imported and unchanged, 1 already imported with different answers, 0 refused.'
	);
	const changed = page.getByRole('table', {
		name: 'Respondents already imported with different answers'
	});
	await expect(changed.locator('tbody tr')).toHaveText([/e2e-imp-1\s*q3_03: 2 → 5/]);
	await expectAccessible(page, '/staff/import with a changed respondent');
	await page.getByLabel('Import only the 2 valid rows and leave out the rows with errors').check();
	await expect(apply).toBeDisabled(); // replace or keep must be chosen
	await page
		.getByLabel('Replace their stored answers with the file’s (their scores follow)')
		.check();
	await apply.click();
	await expect(page.getByTestId('import-result')).toHaveText(
		'Import finished, in one transaction: 0 new, 1 replaced, 1 already there and unchanged, 0 kept as stored, 1 left out.'
	);
	const [imp1] = await serviceSelect<{ id: string }>(
		'responses',
		'select=id&external_id=eq.e2e-imp-1'
	);
	const [streets] = await serviceSelect<{ id: string }>(
		'questions',
		'select=id&key=eq.q3_03&survey_id=eq.' +
			(await serviceSelect<{ id: string }>('surveys', 'select=id&slug=eq.resident-survey'))[0].id
	);
	const answers = await serviceSelect<{ numeric_value: number }>(
		'answers',
		`select=numeric_value&response_id=eq.${imp1.id}&question_id=eq.${streets.id}`
	);
	expect(answers.map((a) => Number(a.numeric_value))).toEqual([5]);
});

test('an admin manages the framework: clear errors, the database’s own refusal, narratives in both languages', async ({
	page
}) => {
	await signIn(page, 'admin@civicpulse.local');
	await page.getByRole('link', { name: 'Manage goals, measures and targets' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Goals, measures and targets' })
	).toBeVisible();
	await expectAccessible(page, '/staff/manage');

	// A measure whose key already exists passes the form's checks but not the database's unique
	// constraint: its message is shown, not swallowed.
	const measureForm = page.getByRole('form', { name: 'Measures' });
	await measureForm
		.getByLabel('Goal', { exact: true })
		.selectOption({ label: 'Responsive, easy-to-reach 311' });
	await measureForm.getByLabel('Key (lowercase letters, digits, _)').fill('calls_311_60s');
	await measureForm.getByLabel('Name in English').fill('Duplicate');
	await measureForm.getByLabel('Name in Spanish').fill('Duplicado');
	await measureForm.getByRole('button', { name: 'Save' }).click();
	await expect(measureForm.getByRole('alert')).toContainText('The database refused the change');
	await expect(measureForm.getByRole('alert')).toBeFocused();

	// Narratives: both languages are required, then saved once per measure and period.
	await page.getByLabel('Measure to work on').selectOption({ label: 'Lane miles resurfaced' });
	await expect(
		page.getByRole('table', { name: 'Targets of “Lane miles resurfaced”' })
	).toContainText('330');
	const narrative = page.getByRole('form', { name: 'Write a narrative' });
	await narrative.getByLabel('Period (year like 2026 or quarter like 2026-Q3)').fill('2026-Q3');
	await narrative.getByLabel('Narrative in English').fill('Paving season ran long.');
	await narrative.getByRole('button', { name: 'Save' }).click();
	await expect(narrative.getByRole('alert').getByRole('link')).toHaveText([
		'Enter narrative in Spanish'
	]);
	await expectAccessible(page, '/staff/manage with errors');
	await narrative
		.getByLabel('Narrative in Spanish')
		.fill('La temporada de pavimentación se alargó.');
	await narrative.getByLabel('Published (visible on the public scorecard)').check();
	await narrative.getByRole('button', { name: 'Save' }).click();
	await expect(narrative.getByRole('status')).toHaveText('Saved. Q3 2026');
	await narrative.getByRole('button', { name: 'Save' }).click();
	await expect(narrative.getByRole('status')).toHaveText('Saved. Q3 2026');

	const [measure] = await serviceSelect<{ id: string }>(
		'measures',
		'select=id&key=eq.lane_miles_resurfaced'
	);
	const rows = await serviceSelect<{ body: { en: string; es: string } }>(
		'narratives',
		`select=body&measure_id=eq.${measure.id}&period=eq.2026-Q3`
	);
	expect(rows).toEqual([
		{ body: { en: 'Paving season ran long.', es: 'La temporada de pavimentación se alargó.' } }
	]);
});

test('operational values and targets come in from CSV, checked first, and a re-import adds nothing', async ({
	page
}) => {
	const csv =
		'measure,period,value,target\ndangerous_buildings_demolished,2026-Q4,35,32\nno_such_measure,2026,1,\n';
	const [measure] = await serviceSelect<{ id: string }>(
		'measures',
		'select=id&key=eq.dangerous_buildings_demolished'
	);
	const rowsFor = (table: string) =>
		serviceSelect<{ value: number }>(
			table,
			`select=value&measure_id=eq.${measure.id}&period=eq.2026-Q4`
		);

	await signIn(page, 'analyst@civicpulse.local');
	await page.getByRole('link', { name: 'Import and export' }).click();
	const form = page.getByRole('form', { name: 'Import operational values and targets from CSV' });
	await form
		.getByLabel(
			'CSV file (columns: measure, period, and value and/or target; percentages in points, 81 for 81 %)'
		)
		.setInputFiles({
			name: 'values.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv)
		});
	await form.getByRole('button', { name: 'Check the file' }).click();
	await expect(form.getByTestId('mi-stats')).toContainText(
		'2 rows read: 1 values and 1 targets ready, 1 rows with errors.'
	);
	await expect(form.getByRole('table')).toContainText('unknown measure "no_such_measure"');
	expect(await rowsFor('measure_values')).toEqual([]);
	await expectAccessible(page, '/staff/import operational check');

	for (let run = 0; run < 2; run++) {
		await form.getByRole('button', { name: 'Save 2 rows' }).click();
		await expect(form.getByTestId('mi-result')).toHaveText('Saved 1 values and 1 targets.');
	}
	expect((await rowsFor('measure_values')).map((r) => Number(r.value))).toEqual([35]);
	expect((await rowsFor('targets')).map((r) => Number(r.value))).toEqual([32]);
});
