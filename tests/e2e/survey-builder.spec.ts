/**
 * An admin builds a two-language survey with skip logic and a top-3 question (errors first,
 * reordering by keyboard and by pointer), tries it in the phone preview, saves it (a lost answer
 * retried stores it once), opens a wave, and a resident completes it at phone width; the scores
 * then appear for staff. The builder pages are axe-clean in English and Spanish.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessible, serviceSelect, serviceWrite, test } from './helpers/fixtures';
import { messages } from './helpers/survey-flow';

const STAMP = Date.now();
const SLUG = `e2e-builder-${STAMP}`;
const TITLE = `Neighborhood survey ${STAMP}`;
const WAVE = `E2E builder wave ${STAMP}`;
const m = messages.en;

/** A question's radio/checkbox group by the start of its prompt, on a page or inside a region. */
const group = (root: Page | Locator, name: string) =>
	root.getByRole('group', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });

test.afterAll(async () => {
	// The wave first (its responses go with it), so the survey's questions are no longer answered.
	const [survey] = await serviceSelect<{ id: string }>('surveys', `slug=eq.${SLUG}&select=id`);
	if (!survey) return;
	await serviceWrite('DELETE', 'measures', `key=like.sat_${SLUG.replace(/-/g, '_')}*`);
	await serviceWrite('DELETE', 'survey_waves', `survey_id=eq.${survey.id}`);
	await serviceWrite('DELETE', 'surveys', `id=eq.${survey.id}`);
});

async function signIn(page: Page) {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill('admin@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('staff-identity')).toContainText('administrator');
}

/** The question item (list row) whose summary starts with its key. */
const item = (page: Page, key: string) =>
	page.locator('li[data-qrow]').filter({ has: page.getByText(key, { exact: true }) });

async function addQuestion(
	page: Page,
	pageNo: number,
	kind: string,
	key: string,
	en: string,
	es: string
) {
	await page.getByLabel(`Kind of question to add to page ${pageNo}`).selectOption({ label: kind });
	await page.getByRole('button', { name: `Add a question to page ${pageNo}` }).click();
	const keyInput = page.getByRole('textbox', { name: 'Key', exact: true }).last();
	await expect(keyInput).toBeFocused();
	await keyInput.fill(key);
	const editor = item(page, key);
	await editor.getByLabel('Question (English)').fill(en);
	await editor.getByLabel('Question (Spanish)').fill(es);
	return editor;
}

const keysInOrder = (page: Page) =>
	page.locator('li[data-qrow] .q-summary strong').allTextContents();

test('an admin builds, previews and opens a two-language survey; a resident answers it on a phone; staff see the scores', async ({
	page,
	browser
}) => {
	test.setTimeout(240_000);
	await signIn(page);
	await page.getByRole('link', { name: 'Surveys', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Surveys' })).toBeVisible();
	await expect(page.getByRole('table', { name: 'Every survey' })).toContainText(
		'/s/resident-survey'
	);
	await expectAccessible(page, 'survey list');
	await page.getByRole('link', { name: 'New survey' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'New survey' })).toBeVisible();

	await page.getByLabel('Short name (the address /s/…)').fill(SLUG);
	await page.getByLabel('Title (English)', { exact: true }).fill(TITLE);
	await page
		.getByLabel('Title (Spanish)', { exact: true })
		.fill(`Encuesta del vecindario ${STAMP}`);
	await page
		.getByLabel('Introduction (English)', { exact: true })
		.fill('Two minutes about your street.');
	await page
		.getByLabel('Introduction (Spanish)', { exact: true })
		.fill('Dos minutos sobre su calle.');
	await page.getByLabel('Page title (English)').fill('Services');
	await page.getByLabel('Page title (Spanish)').fill('Servicios');

	const streets = await addQuestion(
		page,
		1,
		'Satisfaction (5 points + don’t know)',
		'q_streets',
		'Street maintenance',
		'Mantenimiento de calles'
	);
	await streets.getByLabel('Service category').fill('streets');
	await streets.getByLabel('An answer is required').check();
	const parks = await addQuestion(
		page,
		1,
		'Satisfaction (5 points + don’t know)',
		'q_parks',
		'Parks',
		'Parques'
	);
	await parks.getByLabel('Service category').fill('parks');
	const police = await addQuestion(
		page,
		1,
		'Rating excellent…poor (5 points + don’t know)',
		'q_police',
		'Police',
		'Policía'
	);
	await police.getByLabel('Service category').fill('police');
	const top3 = await addQuestion(
		page,
		1,
		'Top 3 most important services',
		'q_top3',
		'Which matter most?',
		''
	);
	await top3.getByRole('button', { name: 'Use the service list' }).click();
	await expect(top3.getByLabel('Option 3 key')).toHaveValue('police');

	await page.getByRole('button', { name: 'Add a page' }).click();
	await page.getByLabel('Page title (English)').nth(1).fill('Contact');
	await page.getByLabel('Page title (Spanish)').nth(1).fill('Contacto');
	await addQuestion(
		page,
		2,
		'One choice',
		'q_contacted',
		'Did you call the city this year?',
		'¿Llamó a la ciudad este año?'
	);
	const follow = await addQuestion(
		page,
		2,
		'Satisfaction (5 points + don’t know)',
		'q_follow',
		'How was the call?',
		'¿Cómo fue la llamada?'
	);
	await follow.getByLabel('Ask only when this earlier question…').selectOption('q_contacted');
	await follow.getByLabel('Value').selectOption('yes');

	// Checked before anything is sent: the missing Spanish wording of q_top3.
	let posted = 0;
	page.on('request', (r) => {
		if (r.url().endsWith('/rpc/save_survey')) posted++;
	});
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText(['The wording of q_top3 has no Spanish text']);
	await expectAccessible(page, 'builder with errors');
	expect(posted).toBe(0);
	await summary.getByRole('link').click();
	await expect(top3.getByLabel('Question (Spanish)')).toBeFocused();
	await page.keyboard.type('¿Cuáles importan más?');

	// Reorder by keyboard: parks above streets.
	await page.getByRole('button', { name: 'Move q_parks up' }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('button', { name: 'Move q_parks up' })).toBeDisabled();
	await expect(page.getByText('q_parks is now question 1 of page 1.')).toBeAttached();
	// …and back down by pointer: drag streets' handle above parks.
	await page.getByRole('button', { name: 'Close q_streets' }).click();
	await page.getByRole('button', { name: 'Close q_parks' }).click();
	const handle = page.getByRole('button', { name: 'Drag q_streets to reorder' });
	const target = await item(page, 'q_parks').boundingBox();
	const from = await handle.boundingBox();
	await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
	await page.mouse.down();
	await page.mouse.move(from!.x + 10, target!.y + 5, { steps: 5 });
	await page.mouse.up();
	expect(await keysInOrder(page)).toEqual([
		'q_streets',
		'q_parks',
		'q_police',
		'q_top3',
		'q_contacted',
		'q_follow'
	]);

	// The live preview: the real survey components at phone width, with skip logic.
	const preview = page.getByTestId('preview');
	expect((await preview.boundingBox())!.width).toBeLessThanOrEqual(361);
	await group(preview, 'Street maintenance')
		.getByLabel(m.scale_satisfaction_4, { exact: true })
		.check();
	await preview.getByRole('button', { name: m.survey_next }).click();
	await expect(group(preview, 'Did you call the city this year?')).toBeVisible();
	await expect(group(preview, 'How was the call?')).toHaveCount(0);
	await group(preview, 'Did you call the city this year?')
		.getByLabel('Yes', { exact: true })
		.check();
	await expect(group(preview, 'How was the call?')).toBeVisible();
	await expectAccessible(page, 'builder with preview');

	// Saved; the first answer is lost on its way back and the retry stores the survey once.
	await page.route('**/rest/v1/rpc/save_survey', async (route) => {
		await route.fetch();
		await route.abort('connectionreset');
	});
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(summary).toContainText('Nothing was saved');
	await page.unroute('**/rest/v1/rpc/save_survey');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeFocused();
	await expect(page).toHaveURL(/\/staff\/surveys\/[0-9a-f-]{36}$/);
	const [stored] = await serviceSelect<{ id: string; revision: number; version: number }>(
		'surveys',
		`slug=eq.${SLUG}&select=id,revision,version`
	);
	expect(stored).toMatchObject({ revision: 1, version: 1 });
	const questions = await serviceSelect<{ key: string; show_if: unknown; position: number }>(
		'questions',
		`survey_id=eq.${stored.id}&select=key,show_if,position&order=position`
	);
	expect(questions.map((q) => q.key)).toEqual([
		'q_streets',
		'q_parks',
		'q_police',
		'q_top3',
		'q_contacted',
		'q_follow'
	]);
	expect(questions[5].show_if).toEqual({ question: 'q_contacted', op: 'eq', value: 'yes' });
	await expect(page.getByTestId('version-note')).toContainText(
		'No wave has responses to version 1 yet'
	);

	// Link q_streets to a goal of the scorecard.
	await page.getByRole('button', { name: 'Edit q_streets' }).click();
	await page.getByLabel('Goal for q_streets').selectOption({ index: 1 });
	await page.getByRole('button', { name: 'Link q_streets to this goal' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: 'q_streets now shows beside' })
	).toBeVisible();
	const [measure] = await serviceSelect<{ kind: string; unit: string }>(
		'measures',
		`key=like.sat_${SLUG.replace(/-/g, '_')}_q_streets*&select=kind,unit`
	);
	expect(measure).toEqual({ kind: 'survey', unit: 'percent' });

	// The builder in Spanish.
	await page.getByRole('button', { name: 'Cambiar a español' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Editar encuesta' })).toBeVisible();
	await expectAccessible(page, 'builder in Spanish');
	await page.getByRole('button', { name: 'Switch to English' }).click();

	// Open a wave now.
	await page.getByRole('link', { name: 'Survey waves' }).click();
	await page.getByLabel('Survey', { exact: true }).selectOption({ label: TITLE });
	await page.getByLabel('Label', { exact: true }).fill(WAVE);
	await page.getByLabel('Period (year like 2027 or quarter like 2027-Q1)').fill('2026');
	await page.getByLabel('Who can answer').selectOption('open');
	const opens = new Date(Date.now() - 5 * 60_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	await page
		.getByLabel('Opens')
		.fill(
			`${opens.getFullYear()}-${pad(opens.getMonth() + 1)}-${pad(opens.getDate())}T${pad(opens.getHours())}:${pad(opens.getMinutes())}`
		);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Saved “${WAVE}”.` })).toBeFocused();

	// A resident on a phone (the project's Pixel 5 viewport), in a separate browser context.
	const residentContext = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
	const resident = await residentContext.newPage();
	await resident.goto(`/s/${SLUG}`);
	await expect(resident.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
	expect(resident.viewportSize()!.width).toBeLessThanOrEqual(412);
	await resident.getByRole('button', { name: m.survey_start }).click();
	await group(resident, 'Street maintenance')
		.getByLabel(m.scale_satisfaction_5, { exact: true })
		.check();
	await group(resident, 'Parks').getByLabel(m.scale_satisfaction_2, { exact: true }).check();
	await resident.getByLabel(m.top3_choice_1).selectOption('streets');
	await resident.getByRole('button', { name: m.survey_next, exact: true }).click();
	await group(resident, 'Did you call the city this year?')
		.getByLabel('Yes', { exact: true })
		.check();
	await group(resident, 'How was the call?')
		.getByLabel(m.scale_satisfaction_4, { exact: true })
		.check();
	await resident.getByRole('button', { name: m.survey_review_answers }).click();
	await resident.getByRole('button', { name: m.survey_submit }).click();
	await expect(resident.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	await residentContext.close();

	// Staff see the scores of the wave.
	await page.goto(`/staff/surveys/${stored.id}`);
	const waves = page.getByRole('region', { name: 'Waves and results' });
	await expect(waves.getByRole('row', { name: new RegExp(`^${WAVE}`) })).toContainText('1');
	await page.getByRole('button', { name: `Scores of ${WAVE}` }).click();
	const scores = page.getByRole('table', { name: `Scores of ${WAVE}` });
	await expect(scores.getByRole('row', { name: /^Street maintenance/ })).toContainText('100%');
	await expect(scores.getByRole('row', { name: /^Parks/ })).toContainText('0%');
	await expect(scores.getByRole('row', { name: /^How was the call\?/ })).toContainText('100%');
	await expect(page.getByTestId('version-note')).toContainText(
		`Wave “${WAVE}” has responses to version 1`
	);
	await expectAccessible(page, 'builder with scores');
});

test('the demo survey in the builder: its answered version explained, axe-clean in both languages', async ({
	page
}) => {
	test.setTimeout(180_000);
	await signIn(page);
	await page.goto('/staff/surveys');
	await page
		.getByRole('link', { name: 'Edit “Kansas City Resident Satisfaction Survey (demo)”' })
		.click();
	await expect(page.getByTestId('version-note')).toContainText('has responses to version 1');
	await expect(page.getByRole('region', { name: /^Page \d+: / })).toHaveCount(8);
	await page.getByRole('button', { name: 'Edit q3_03' }).click();
	await expect(page.getByText('Answered in an earlier wave').first()).toBeVisible();
	await expectAccessible(page, 'demo survey in the builder');
	await page.getByRole('button', { name: 'Cambiar a español' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Editar encuesta' })).toBeVisible();
	await expectAccessible(page, 'demo survey in the builder, Spanish');
	await page.goto('/staff/surveys');
	await expect(page.getByRole('heading', { level: 1, name: 'Encuestas' })).toBeVisible();
	await expectAccessible(page, 'survey list, Spanish');
	await page.getByRole('link', { name: 'Nueva encuesta' }).click();
	await expectAccessible(page, 'new survey, Spanish');
	await page.getByRole('button', { name: 'Switch to English' }).click();
});

test('importing the shipped survey file or copying a survey makes a new survey; the server refuses an address already in use', async ({
	page
}) => {
	test.setTimeout(180_000);
	const slug = `shared-${STAMP}`;
	await signIn(page);
	await page.goto('/staff/surveys');
	await page
		.getByLabel('Survey file (.json)')
		.setInputFiles(
			new URL('../../static/examples/kc-resident-survey.json', import.meta.url).pathname
		);
	await page.getByRole('button', { name: 'Import' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'New survey' })).toBeVisible();
	await expect(page.getByRole('region', { name: /^Page \d+: / })).toHaveCount(8);
	await expect(page.getByLabel('Short name (the address /s/…)')).toHaveValue('resident-survey');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toContainText(
		'The address /s/resident-survey is already used by another survey'
	);
	await page.getByLabel('Short name (the address /s/…)').fill(slug);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeFocused();
	const [stored] = await serviceSelect<{ id: string }>('surveys', `slug=eq.${slug}&select=id`);
	const questions = await serviceSelect('questions', `survey_id=eq.${stored.id}&select=id`);
	expect(questions).toHaveLength(29);
	await serviceWrite('DELETE', 'surveys', `id=eq.${stored.id}`);

	// Copying: the same content under a new address, nothing stored until Save.
	await page.goto('/staff/surveys');
	await page
		.getByRole('button', { name: 'Copy “Kansas City Resident Satisfaction Survey (demo)”' })
		.click();
	await expect(page.getByLabel('Short name (the address /s/…)')).toHaveValue(
		'resident-survey-copy'
	);
	await expect(page.getByLabel('Title (English)', { exact: true })).toHaveValue(
		'Kansas City Resident Satisfaction Survey (demo) (copy)'
	);
	await expect(page.getByRole('region', { name: /^Page \d+: / })).toHaveCount(8);
	expect(await serviceSelect('surveys', 'slug=eq.resident-survey-copy&select=id')).toEqual([]);
});

test('only admins edit surveys', async ({ page }) => {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill('analyst@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('staff-identity')).toContainText('analyst');
	await expect(page.getByRole('link', { name: 'Surveys', exact: true })).toHaveCount(0);
	await page.goto('/staff/surveys');
	await expect(page.getByRole('alert')).toHaveText('Only admins can edit surveys.');
});
