/**
 * The thank-you screen shows how the city is doing on what the resident rated (issue 3 item 1):
 * the latest published wave's % satisfied beside the target and its status, live when online and
 * from the copy kept on the device when the survey was completed offline.
 */
import type { Page } from '@playwright/test';
import { expect, SLUG, test, waitForServiceWorker } from './helpers/fixtures';
import { publishedFigure } from '../../src/lib/scoring/target-status';
import { completeSurvey, messages } from './helpers/survey-flow';

const m = messages.en;
const WAVE_2025 = '00000000-0000-4000-a500-000000002025'; // latest published wave in the seed

async function anonRpc<T>(fn: string, args: Record<string, unknown>): Promise<T> {
	const key = process.env.E2E_ANON_KEY!;
	const res = await fetch(`${process.env.E2E_SUPABASE_URL}/rest/v1/rpc/${fn}`, {
		method: 'POST',
		headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(args)
	});
	expect(res.status, fn).toBe(200);
	return (await res.json()) as T;
}

/** The published % satisfied per question (by its English prompt), from the public RPCs. */
async function publishedPercents(): Promise<Map<string, string>> {
	const survey = await anonRpc<{ questions: { key: string; prompt: { en: string } }[] }>(
		'get_survey',
		{ p_slug: SLUG }
	);
	const scores = await anonRpc<{ questions: { key: string; percent_satisfied: number | null }[] }>(
		'question_scores',
		{ p_wave_id: WAVE_2025, p_district: null }
	);
	const byKey = new Map(scores.questions.map((q) => [q.key, q.percent_satisfied]));
	return new Map(
		survey.questions.map((q) => {
			const p = byKey.get(q.key);
			// The published figure, to 0.1 point, exactly as /scorecard and /staff show it.
			return [
				q.prompt.en,
				p == null ? '–' : `${(publishedFigure('percent', p)! * 100).toFixed(1)}%`
			];
		})
	);
}

async function scoresTable(page: Page) {
	const section = page.getByRole('region', { name: m.thanks_scores_title });
	await expect(section.getByRole('table')).toBeVisible();
	await expect(section).toContainText(m.thanks_scores_intro.replace('{period}', '2025'));
	return section;
}

async function expectRatedRows(page: Page) {
	const section = await scoresTable(page);
	const percents = await publishedPercents();
	// completeSurvey rates these (page 1): each row is the service, % satisfied, target, status.
	const rated = [
		'Kansas City as a place to live',
		'Overall quality of city services',
		'Police services',
		'Maintenance of streets, sidewalks and infrastructure'
	];
	for (const name of rated) {
		const row = section.getByRole('row', { name: new RegExp(`^${name}`) });
		expect(percents.get(name), name).toMatch(/^\d+\.\d%$/); // published for the seeded 2025 wave
		await expect(row.getByRole('cell').first(), name).toHaveText(percents.get(name)!);
		await expect(row.getByRole('cell').nth(1)).toHaveText(/^(\d+\.\d%|–)$/); // target, if any
		await expect(row.getByRole('cell').nth(2)).toHaveText(
			new RegExp(
				[
					m.thanks_status_met,
					m.thanks_status_not_met,
					m.thanks_status_within_margin,
					m.thanks_no_target
				].join('|')
			)
		);
	}
	// Nothing the resident did not rate.
	await expect(section.getByRole('row', { name: /Fire services/ })).toHaveCount(0);
	return section;
}

test('online: the thank-you screen shows the published score, target and status of each service rated', async ({
	page
}) => {
	await page.goto(`/s/${SLUG}`);
	await completeSurvey(page, 'en');
	const section = await expectRatedRows(page);
	await expect(section.getByText(m.thanks_scores_cached)).toHaveCount(0);
});

test('offline: the results kept when the survey opened are shown after an offline completion', async ({
	page,
	context
}) => {
	// Opening the survey online keeps the latest results on the device (once the page is idle).
	const kept = page.waitForResponse((r) => r.url().endsWith('/rpc/question_scores'));
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await waitForServiceWorker(page);
	expect((await kept).status()).toBe(200);

	await context.setOffline(true);
	await page.reload(); // a fresh start with no network: only the device's copy can answer
	await completeSurvey(page, 'en');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'queued');
	const section = await expectRatedRows(page);
	await expect(section.getByText(m.thanks_scores_cached)).toBeVisible();
	await context.setOffline(false);
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
});
