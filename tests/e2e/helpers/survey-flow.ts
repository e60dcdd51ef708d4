/**
 * Filling in the seeded resident survey (supabase/seed.sql, slug resident-survey) like a
 * resident: by visible labels in the current language, keyboard-reachable controls only.
 */
import { expect, type Page } from '@playwright/test';
import { en } from '../../../src/lib/i18n/en';
import { es } from '../../../src/lib/i18n/es';

export type Lang = 'en' | 'es';
export const messages = { en, es } as const;

const content = {
	en: {
		place: 'Kansas City as a place to live',
		overall: 'Overall quality of city services',
		police: 'Police services',
		streets: 'Maintenance of streets, sidewalks and infrastructure',
		contacted311: 'Have you contacted 311 in the past year?',
		how311: 'How satisfied were you with how 311 handled your request?',
		yes: 'Yes',
		district: 'Which council district do you live in?',
		districtOption: 'District 2',
		zip: 'What is your home ZIP code?',
		years: 'How many years have you lived in Kansas City?',
		comment: 'Is there anything else you would like to tell the city?'
	},
	es: {
		place: 'Kansas City como lugar para vivir',
		overall: 'Calidad general de los servicios de la ciudad',
		police: 'Servicios de policía',
		streets: 'Mantenimiento de calles, aceras e infraestructura',
		contacted311: '¿Se ha comunicado con el 311 en el último año?',
		how311: '¿Qué tan satisfecho quedó con la forma en que el 311 atendió su solicitud?',
		yes: 'Sí',
		district: '¿En qué distrito del concejo vive?',
		districtOption: 'Distrito 2',
		zip: '¿Cuál es el código postal de su casa?',
		years: '¿Cuántos años ha vivido en Kansas City?',
		comment: '¿Hay algo más que quiera decirle a la ciudad?'
	}
} as const;

export function group(page: Page, name: string) {
	return page.getByRole('group', {
		name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)
	});
}

export async function startSurvey(page: Page, lang: Lang): Promise<void> {
	const m = messages[lang];
	await page.getByRole('button', { name: m.survey_start }).click();
	await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
}

/**
 * Pages 1 to 5: the place ratings and overall quality (page 1), two of the services (page 2 of
 * the three service pages), then the 311 question and its follow-up (shown only after "Yes").
 * Starts on page 1 and ends on the 311 page.
 */
export async function answerServices(
	page: Page,
	lang: Lang,
	onPage: (step: string) => Promise<void> = async () => {}
): Promise<void> {
	const c = content[lang];
	const m = messages[lang];
	await group(page, c.place).getByLabel(m.scale_rating_5, { exact: true }).check();
	await group(page, c.overall).getByLabel(m.scale_satisfaction_4, { exact: true }).check();
	await onPage('page 1 answered');
	await next(page, lang);
	await group(page, c.police).getByLabel(m.scale_satisfaction_5, { exact: true }).check();
	await group(page, c.streets).getByLabel(m.scale_satisfaction_2, { exact: true }).check();
	await onPage('services page 1');
	await next(page, lang);
	await onPage('services page 2');
	await next(page, lang);
	await onPage('services page 3');
	await next(page, lang);
	await expect(group(page, c.how311)).toHaveCount(0);
	await group(page, c.contacted311).getByLabel(c.yes, { exact: true }).check();
	await group(page, c.how311).getByLabel(m.scale_satisfaction_4, { exact: true }).check();
}

export async function answerImportance(page: Page, lang: Lang): Promise<void> {
	const m = messages[lang];
	await page.getByLabel(m.top3_choice_1).selectOption('streets');
	await page.getByLabel(m.top3_choice_2).selectOption('police');
}

export async function answerProfile(page: Page, lang: Lang): Promise<void> {
	const c = content[lang];
	await group(page, c.district).getByLabel(c.districtOption, { exact: true }).check();
	await page.getByLabel(c.zip).fill('64106');
	await page.getByLabel(c.years).fill('12');
}

export async function answerComment(page: Page, lang: Lang, text: string): Promise<void> {
	await page.getByLabel(content[lang].comment).fill(text);
}

export async function next(page: Page, lang: Lang): Promise<void> {
	await page.getByRole('button', { name: messages[lang].survey_next, exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
}

export async function toReview(page: Page, lang: Lang): Promise<void> {
	await page.getByRole('button', { name: messages[lang].survey_review_answers }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: messages[lang].survey_review_title })
	).toBeFocused();
}

export async function submit(page: Page, lang: Lang): Promise<string> {
	await page.getByRole('button', { name: messages[lang].survey_submit }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: messages[lang].thanks_title })
	).toBeVisible();
	const id = await page.getByTestId('receipt-status').getAttribute('data-response-id');
	expect(id).toMatch(/^[0-9a-f-]{36}$/);
	return id!;
}

/** The whole survey, online or offline, without checks between pages. */
export async function completeSurvey(
	page: Page,
	lang: Lang,
	comment = 'Fix the potholes on Main Street.'
) {
	await startSurvey(page, lang);
	await answerServices(page, lang);
	await next(page, lang);
	await answerImportance(page, lang);
	await next(page, lang);
	await answerProfile(page, lang);
	await next(page, lang);
	await answerComment(page, lang, comment);
	await toReview(page, lang);
	return submit(page, lang);
}
