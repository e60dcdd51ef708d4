import {
	deployNewVersion,
	expect,
	expectAccessible,
	serviceSelect,
	SLUG,
	test,
	waitForServiceWorker,
	WAVE_2026
} from './helpers/fixtures';
import {
	answerComment,
	answerImportance,
	answerProfile,
	answerServices,
	completeSurvey,
	group,
	messages,
	next,
	startSurvey,
	submit,
	toReview
} from './helpers/survey-flow';

const m = messages.en;

interface TResponseRow {
	id: string;
	wave_id: string;
	language: string;
	district: string | null;
	mode: string;
}

test('a resident completes the survey online, keyboard-friendly and accessible at every step', async ({
	page
}) => {
	test.slow(); // eight pages, each checked with axe-core
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expectAccessible(page, 'home');

	await page.getByRole('link', { name: m.home_survey_title }).click();
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await expectAccessible(page, 'survey intro');
	await startSurvey(page, 'en');
	await expect(
		page.getByText(m.survey_progress.replace('{page}', '1').replace('{total}', '8'))
	).toBeVisible();
	await expectAccessible(page, 'page 1');

	// Required questions left blank: an error summary takes focus and links to each field.
	await page.getByRole('button', { name: m.survey_next, exact: true }).click();
	const summary = page.getByRole('alert').filter({ hasText: m.error_summary_title });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText([
		'Answer this question: Kansas City as a place to live',
		'Answer this question: Overall quality of city services'
	]);
	await expectAccessible(page, 'page 1 with errors');
	await summary.getByRole('link').first().click();
	await expect(
		group(page, 'Kansas City as a place to live').getByLabel(m.scale_rating_5, { exact: true })
	).toBeFocused();

	await answerServices(page, 'en');
	await next(page, 'en');
	await expectAccessible(page, 'importance page');
	await answerImportance(page, 'en');
	await next(page, 'en');
	await answerProfile(page, 'en');
	// An invalid ZIP is caught before moving on.
	await page.getByLabel('What is your home ZIP code?').fill('641');
	await page.getByRole('button', { name: m.survey_next, exact: true }).click();
	await expect(summary.getByRole('link')).toHaveText([/5-digit ZIP code/]);
	await page.getByLabel('What is your home ZIP code?').fill('64106');
	await next(page, 'en');
	await expectAccessible(page, 'comments page');
	await answerComment(page, 'en', 'More buses at night, please.');
	await toReview(page, 'en');
	await expect(
		page.getByText('1. Maintenance of streets, sidewalks and infrastructure; 2. Police services')
	).toBeVisible();
	await expectAccessible(page, 'review');

	const id = await submit(page, 'en');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	await expect(page.getByTestId('sync-status')).toContainText(m.sync_sent);
	// The latest published results (2025 wave) beside the city's targets, for what was rated.
	const results = page.getByRole('table');
	await expect(results.getByRole('row', { name: /^Police services/ })).toContainText('50.0%');
	await expect(results.getByRole('row', { name: /^Maintenance of streets/ })).toContainText(
		'25.0%'
	);
	await expect(results.getByRole('rowheader')).toHaveText([
		'Kansas City as a place to live',
		'Overall quality of city services',
		'Police services',
		'Maintenance of streets, sidewalks and infrastructure',
		'How satisfied were you with how 311 handled your request?'
	]);
	await expectAccessible(page, 'thank you');

	const rows = await serviceSelect<TResponseRow>(
		'responses',
		`id=eq.${id}&select=id,wave_id,language,district,mode`
	);
	expect(rows).toEqual([{ id, wave_id: WAVE_2026, language: 'en', district: '2', mode: 'open' }]);
	const answers = await serviceSelect<{ question_id: string; text_value: string | null }>(
		'answers',
		`response_id=eq.${id}&select=question_id,text_value`
	);
	expect(answers.map((a) => a.text_value)).toContain('More buses at night, please.');
	// rating + 3 satisfaction items + 311 yes + its follow-up + top 3 + district + ZIP + years + comment
	expect(answers).toHaveLength(11);
});

test('offline from the first answer, with a reload mid-survey: stored exactly once after reconnecting', async ({
	page,
	context
}) => {
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await waitForServiceWorker(page);

	await context.setOffline(true);
	await startSurvey(page, 'en');
	await answerServices(page, 'en');
	await next(page, 'en');
	await answerImportance(page, 'en');

	// The tab reloads with no network: the service worker serves the app, IndexedDB the survey
	// and the draft.
	// The resident lands back on the page they were on, with their answers.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: 'What matters most' })).toBeFocused();
	await expect(page.getByLabel(m.top3_choice_1)).toHaveValue('streets');
	await expect(page.getByLabel(m.top3_choice_2)).toHaveValue('police');
	await expectAccessible(page, 'resumed offline');
	await page.getByRole('button', { name: m.survey_back }).click();
	await expect(
		group(page, 'Have you contacted 311 in the past year?').getByLabel('Yes', { exact: true })
	).toBeChecked();
	await next(page, 'en');
	await next(page, 'en');
	await answerProfile(page, 'en');
	await next(page, 'en');
	await answerComment(page, 'en', 'Answered in a tunnel.');
	await toReview(page, 'en');
	const id = await submit(page, 'en');

	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'queued');
	await expect(page.getByTestId('sync-status')).toContainText('1 response waiting to send');
	await expectAccessible(page, 'thank you, queued offline');
	expect(await serviceSelect('responses', `id=eq.${id}&select=id`)).toEqual([]);

	// Still offline after another reload: the queued response survives and is still shown.
	await page.reload();
	await expect(page.getByTestId('sync-status')).toContainText('1 response waiting to send');

	await context.setOffline(false);
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	await expect(page.getByTestId('sync-status')).toContainText(m.sync_sent);
	const rows = await serviceSelect<TResponseRow>(
		'responses',
		`id=eq.${id}&select=id,language,district`
	);
	expect(rows).toEqual([{ id, language: 'en', district: '2' }]);
	const comment = await serviceSelect(
		'answers',
		`response_id=eq.${id}&text_value=eq.Answered%20in%20a%20tunnel.&select=response_id`
	);
	expect(comment).toHaveLength(1);
});

test('two open tabs with a queued response send it once', async ({ page, context }) => {
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await waitForServiceWorker(page);
	await context.setOffline(true);
	const id = await completeSurvey(page, 'en', 'Two tabs.');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'queued');

	const second = await context.newPage();
	await second.goto('/');
	await expect(second.getByTestId('sync-status')).toContainText('1 response waiting to send');

	const sends: string[] = [];
	for (const p of [page, second]) {
		p.on('request', (req) => {
			if (req.url().includes('/rest/v1/rpc/submit_responses')) sends.push(req.postData() ?? '');
		});
	}
	await context.setOffline(false);
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	await expect(second.getByTestId('sync-status')).toContainText(m.sync_sent);
	await expect(page.getByTestId('sync-status')).toContainText(m.sync_sent);

	expect(await serviceSelect('responses', `id=eq.${id}&select=id`)).toHaveLength(1);
	// Web Locks let one tab send; the other found nothing left to send.
	expect(sends).toHaveLength(1);
	await expect(second.getByText(/not accepted/)).toHaveCount(0);
});

test('keyboard only: skip link, radio groups with arrows, and Next without a mouse', async ({
	page
}) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: m.home_title })).toBeVisible();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: m.skip_to_content })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();

	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();

	await page.getByRole('button', { name: m.survey_start }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

	// First question: Tab into the group, Space picks the focused option.
	await page.keyboard.press('Tab');
	await page.keyboard.press('Space');
	await expect(
		group(page, 'Kansas City as a place to live').getByLabel(m.scale_rating_5, { exact: true })
	).toBeChecked();
	// Tab moves group by group; arrows choose within a group.
	for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
	await page.keyboard.press('ArrowDown');
	await expect(
		group(page, 'Overall quality of city services').getByLabel(m.scale_satisfaction_4, {
			exact: true
		})
	).toBeChecked();

	const nextButton = page.getByRole('button', { name: m.survey_next, exact: true });
	for (let i = 0; i < 60; i++) {
		if (await nextButton.evaluate((el) => el === document.activeElement)) break;
		await page.keyboard.press('Tab');
	}
	await expect(nextButton).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(
		page.getByRole('heading', { level: 1, name: 'City services (1 of 3)' })
	).toBeFocused();
});

test('a survey never opened on this device explains that it needs the network once', async ({
	page,
	context
}) => {
	await page.goto('/');
	await waitForServiceWorker(page);
	await context.setOffline(true);
	await page.goto('/s/another-survey');
	await expect(page.getByText(m.survey_offline_unavailable)).toBeVisible();
	await expectAccessible(page, 'offline, survey not cached');
	await context.setOffline(false);
	await page.getByRole('button', { name: m.survey_try_again }).click();
	await expect(page.getByText(m.survey_not_found)).toBeVisible();
});

test('"update available" appears mid-survey and updating keeps every answer', async ({ page }) => {
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await waitForServiceWorker(page);
	await expect(page.getByText(m.pwa_offline_ready)).toBeVisible();
	await startSurvey(page, 'en');
	await answerServices(page, 'en');
	await next(page, 'en');
	await answerImportance(page, 'en');

	await deployNewVersion(page);
	await expect(page.getByText(m.pwa_update_available)).toBeVisible();
	await expectAccessible(page, 'update prompt');
	await Promise.all([
		page.waitForEvent('load'),
		page.getByRole('button', { name: m.pwa_update }).click()
	]);
	await expect(page.getByRole('heading', { level: 1, name: 'What matters most' })).toBeVisible();
	await expect(page.getByLabel(m.top3_choice_1)).toHaveValue('streets');
	await expect(page.getByLabel(m.top3_choice_2)).toHaveValue('police');
	await expect(page.getByText(m.pwa_update_available)).toHaveCount(0);
});

test('a survey link asks for the configuration and the survey once each, before the app code', async ({
	page
}) => {
	// app.html starts both requests while the JavaScript downloads; the app takes them over
	// instead of asking again (a second request would mean the handover broke).
	const asked: string[] = [];
	page.on('request', (r) => {
		const url = new URL(r.url());
		if (url.pathname === '/config.json') asked.push('config');
		if (url.pathname.endsWith('/rpc/get_survey') && r.method() === 'POST')
			asked.push(`get_survey ${r.postData()}`);
	});
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
	expect(asked.sort()).toEqual(['config', `get_survey {"p_slug":"${SLUG}"}`]);
});
