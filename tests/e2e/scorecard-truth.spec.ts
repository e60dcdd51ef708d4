/**
 * Test what people read: on /scorecard and in the staff area, in English and Spanish, every card
 * or row that shows a value, a margin, a target and a status must have a status that follows
 * from those printed numbers (DESIGN §6: met on or beyond the target; within the margin when
 * value ± margin reaches it; else not met). The numbers are parsed from the page text, not
 * taken from the API, so a unit mismatch between layers (a proportion judged against points)
 * shows up here as a contradiction on screen. Plus: the thank-you screen, /scorecard and /staff
 * agree on the figures they share; an open wave is "in progress" for staff and absent for the
 * public; the overview lists what needs attention.
 */
import type { Locator, Page } from '@playwright/test';
import { en } from '../../src/lib/i18n/en';
import { staffMessages } from '../../src/lib/staff/messages';
import { expect, expectAccessible, serviceSelect, SLUG, test, WAVE_2026 } from './helpers/fixtures';
import { completeSurvey } from './helpers/survey-flow';

type Lang = 'en' | 'es';
const PASSWORD = 'civicpulse-demo';

/** The first number in a text as the locale prints it ("41,600 hours", "79,2 %", "± 2.9"). */
function parseFigure(lang: Lang, text: string): number | null {
	const m = /-?\d[\d.,\u00a0\u202f]*/.exec(text.replace(/−/g, '-'));
	if (!m) return null;
	let s = m[0].replace(/[\u00a0\u202f]/g, '').replace(/[.,]$/, '');
	s = lang === 'en' ? s.replace(/,/g, '') : s.replace(/\./g, '').replace(',', '.');
	const n = Number(s);
	return Number.isFinite(n) ? n : null;
}

const STATUS_WORDS = (lang: Lang) => ({
	met: staffMessages[lang].status_met,
	not_met: staffMessages[lang].status_not_met,
	within_margin: staffMessages[lang].status_within_margin
});

/** What the printed numbers say the status must be (inclusive bounds, as DESIGN §6). */
function expectedStatus(
	value: number,
	target: number,
	margin: number,
	direction: 'higher' | 'lower'
): 'met' | 'not_met' | 'within_margin' {
	const eps = 1e-9;
	if (direction === 'higher') {
		if (value >= target - eps) return 'met';
		return value + margin >= target - eps ? 'within_margin' : 'not_met';
	}
	if (value <= target + eps) return 'met';
	return value - margin <= target + eps ? 'within_margin' : 'not_met';
}

interface TRead {
	label: string;
	value: number;
	margin: number;
	target: number;
	direction: 'higher' | 'lower';
	status: 'met' | 'not_met' | 'within_margin';
}

/**
 * Reads one card or row: value, margin (0 when none is printed), target, direction and status,
 * or null when it does not show all of them (no target, no data, too few people).
 */
async function read(lang: Lang, item: Locator, label: string): Promise<TRead | null> {
	const words = STATUS_WORDS(lang);
	const statusText = (await item.getByTestId('status').innerText()).trim();
	const status = (Object.keys(words) as (keyof typeof words)[]).find((k) =>
		statusText.includes(words[k])
	);
	const value = parseFigure(lang, await item.getByTestId('value').innerText());
	const target = parseFigure(lang, await item.getByTestId('target').innerText());
	if (!status || value === null || target === null) return null;
	const marginText = (await item.getByTestId('margin').innerText()).trim();
	const margin = marginText && marginText !== '—' ? (parseFigure(lang, marginText) ?? 0) : 0;
	const directionText = await item.getByTestId('direction').innerText();
	const direction = directionText.includes(staffMessages[lang].direction_lower)
		? 'lower'
		: 'higher';
	return { label, value, margin, target, direction, status };
}

function contradictions(rows: TRead[]): string[] {
	return rows
		.filter((r) => expectedStatus(r.value, r.target, r.margin, r.direction) !== r.status)
		.map(
			(r) =>
				`${r.label}: ${r.value} ± ${r.margin} vs target ${r.target} (${r.direction} is better) reads "${r.status}", the numbers say "${expectedStatus(r.value, r.target, r.margin, r.direction)}"`
		);
}

async function useLanguage(page: Page, lang: Lang) {
	const now = await page.locator('html').getAttribute('lang');
	if (now === lang) return;
	await page
		.getByRole('button', { name: lang === 'es' ? 'Cambiar a español' : 'Switch to English' })
		.click();
	await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

async function signIn(page: Page, email: string) {
	await page.goto('/staff');
	await page.getByLabel(/Email address|Correo electrónico/).fill(email);
	await page.getByLabel(/Password|Contraseña/).fill(PASSWORD);
	await page.getByRole('button', { name: /Sign in|Iniciar sesión/ }).click();
	await expect(page.getByTestId('staff-identity')).toBeVisible();
}

test.afterEach(async ({ page }) => {
	await page.evaluate(() => localStorage.removeItem('civicpulse.lang')).catch(() => {});
});

for (const lang of ['en', 'es'] as const) {
	test(`/scorecard (${lang}): every status follows from the value, margin and target printed beside it`, async ({
		page
	}) => {
		await page.goto('/scorecard');
		await useLanguage(page, lang);
		const cards = page.locator('li.measure');
		await expect(cards.first()).toBeVisible();
		const rows: TRead[] = [];
		for (const item of await cards.all()) {
			// On the public card the direction is in the "kind" line.
			const name = await item.getByRole('heading', { level: 4 }).innerText();
			const kind = await item.locator('.kind').innerText();
			const words = STATUS_WORDS(lang);
			const statusText = await item.getByTestId('status').innerText();
			const status = (Object.keys(words) as (keyof typeof words)[]).find((k) =>
				statusText.includes(words[k])
			);
			const value = parseFigure(
				lang,
				await item.getByTestId('value').locator('strong').innerText()
			);
			const target = parseFigure(lang, await item.getByTestId('target').innerText());
			if (!status || value === null || target === null) continue;
			const marginText = (await item.getByTestId('margin').innerText()).trim();
			rows.push({
				label: name,
				value,
				target,
				margin: marginText ? (parseFigure(lang, marginText) ?? 0) : 0,
				direction: kind.includes(staffMessages[lang].direction_lower) ? 'lower' : 'higher',
				status
			});
		}
		// The demo has survey measures with margins and operational ones without: both are read.
		expect(rows.length).toBeGreaterThanOrEqual(20);
		expect(rows.some((r) => r.margin > 0)).toBe(true);
		expect(rows.some((r) => r.status === 'within_margin')).toBe(true);
		expect(contradictions(rows)).toEqual([]);

		// The summary and the tiles count what the cards say.
		const tally = { met: 0, within_margin: 0, not_met: 0 };
		for (const r of rows) tally[r.status]++;
		const summary = await page.getByTestId('scorecard-summary').innerText();
		expect(parseFigure(lang, summary)).toBe(tally.met);
		for (const tile of await page.locator('.tile').all()) {
			const area = await tile.getAttribute('data-area');
			const statuses = await page
				.locator(`section.area:has(h2#area-${area}) li.measure [data-testid="status"]`)
				.allInnerTexts();
			const met = statuses.filter((s) => s.includes(STATUS_WORDS(lang).met)).length;
			expect(parseFigure(lang, await tile.getByTestId('tile-counts').innerText()), area!).toBe(met);
		}
		await expectAccessible(page, `/scorecard truth (${lang})`);
	});

	test(`/staff (${lang}): the overview and every goal page agree with their own numbers`, async ({
		page
	}) => {
		test.setTimeout(300_000); // thirteen goal pages, each with its charts
		await signIn(page, 'analyst@civicpulse.local');
		await useLanguage(page, lang);
		const attention = page.getByTestId('overview-attention');
		await expect(attention.getByRole('table')).toBeVisible();
		const rows: TRead[] = [];
		for (const row of await attention.locator('tbody tr').all()) {
			const r = await read(lang, row, await row.locator('th').innerText());
			expect(r, 'every row of "needs attention" shows value, target and status').not.toBeNull();
			expect(r!.status).not.toBe('met');
			rows.push(r!);
		}
		expect(rows.length).toBeGreaterThan(0);
		// Missed targets come before those within the margin.
		const order = rows.map((r) => r.status);
		expect(order).toEqual([...order].sort((a, b) => (a === b ? 0 : a === 'not_met' ? -1 : 1)));
		await expectAccessible(page, `/staff overview (${lang})`);

		// Every goal page linked from the overview's goal areas.
		const goals = await page
			.getByTestId('overview-areas')
			.locator('a[href^="/staff/goals/"]')
			.evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		expect(goals.length).toBeGreaterThanOrEqual(10);
		// In-app navigation (as a person clicks), back to the overview after each goal.
		for (const href of goals) {
			await page.getByTestId('overview-areas').locator(`a[href="${href}"]`).click();
			const table = page.getByTestId('measures-table');
			await expect(table).toBeVisible();
			for (const row of await table.locator('tbody tr').all()) {
				const r = await read(lang, row, `${href} ${await row.getAttribute('data-measure')}`);
				if (r) rows.push(r);
			}
			await page.goBack();
			await expect(page.getByTestId('overview-areas')).toBeVisible();
		}
		expect(rows.length).toBeGreaterThanOrEqual(30);
		expect(contradictions(rows)).toEqual([]);
	});
}

test('the thank-you screen, /scorecard and /staff show the same figures for the same service', async ({
	page
}) => {
	await page.goto(`/s/${SLUG}`);
	await completeSurvey(page, 'en');
	const thanks = page.getByRole('region', { name: en.thanks_scores_title, exact: true });
	const police = thanks.getByRole('row', { name: /^Police services/ });
	await expect(police).toBeVisible();
	const [value, target, status] = await police.getByRole('cell').allInnerTexts();

	await page.goto('/scorecard?area=public_safety');
	const card = page.locator('li.measure[data-measure="sat_police"]');
	await expect(card.getByTestId('value').locator('strong')).toHaveText(value);
	await expect(card.getByTestId('target')).toContainText(target);
	await expect(card.getByTestId('status')).toContainText(status);

	await signIn(page, 'analyst@civicpulse.local');
	await page.goto('/staff/goals/ps_crime');
	const row = page.locator('tr[data-measure="sat_police"]');
	await expect(row.getByTestId('value')).toHaveText(value);
	await expect(row.getByTestId('target')).toHaveText(target);
	await expect(row.getByTestId('status')).toContainText(status);
	// The margin the public card prints is the one staff see.
	await page.goto('/scorecard?area=public_safety');
	const margin = await card.getByTestId('margin').innerText();
	await page.goto('/staff/goals/ps_crime');
	await expect(row.getByTestId('margin')).toHaveText(margin);
});

test('a response to the open wave is "in progress" for staff and absent for the public', async ({
	page
}) => {
	// One more response to the open 2026 wave (others may have come from earlier tests).
	await page.goto(`/s/${SLUG}`);
	await completeSurvey(page, 'en');
	// Count once the response is stored (the thank-you screen shows before the send ends).
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	const streets = await serviceSelect<{ response_id: string }>(
		'answers',
		`wave_id=eq.${WAVE_2026}&question_id=eq.00000000-0000-4000-a700-000000000007&numeric_value=in.(1,2,3,4,5)&select=response_id`
	);
	expect(streets.length).toBeGreaterThanOrEqual(1);

	await signIn(page, 'analyst@civicpulse.local');
	await expect(page.getByTestId('overview-in-progress')).toContainText(
		'2026 resident survey is still open'
	);
	await page.goto('/staff/goals/it_streets');
	const row = page.locator('tr[data-measure="sat_streets"]');
	// The figure judged is still the closed 2025 wave's; the tally sits beside it, never judged.
	await expect(row.getByRole('cell').first()).toHaveText('2025');
	await expect(row.getByTestId('in-progress')).toHaveText(
		`In progress: 2026 resident survey, ${streets.length} responses so far. Not judged until the wave closes.`
	);
	await expectAccessible(page, '/staff goal page with a wave in progress');

	// The public never sees the running tally.
	await page.goto('/scorecard?area=infrastructure');
	const card = page.locator('li.measure[data-measure="sat_streets"]');
	await expect(card).toContainText('(2025)');
	await expect(card).not.toContainText('2026 resident survey');
	const trend = await card.locator('table tbody th').allInnerTexts();
	expect(trend).not.toContain('2026');
});
