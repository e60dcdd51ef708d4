import { expect, expectAccessible, serviceSelect, SLUG, test } from './helpers/fixtures';
import {
	answerServices,
	completeSurvey,
	group,
	messages,
	next,
	startSurvey
} from './helpers/survey-flow';

const es = messages.es;

test('a Spanish-speaking resident completes the survey in Spanish; the response records es', async ({
	page
}) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'Cambiar a español' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'es');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(es.home_title);
	await expect(page.getByRole('link', { name: es.home_survey_title })).toBeVisible();
	// The switch back to English is itself marked as English.
	await expect(page.getByRole('button', { name: 'Switch to English' })).toHaveAttribute(
		'lang',
		'en'
	);
	await expectAccessible(page, 'home (es)');

	await page.getByRole('link', { name: es.home_survey_title }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Encuesta de satisfacción de residentes de Kansas City (demostración)'
	);
	await expectAccessible(page, 'intro (es)');
	const id = await completeSurvey(page, 'es', 'Más autobuses por la noche.');
	await expect(page.getByTestId('receipt-status')).toHaveText(es.thanks_sent);
	await expectAccessible(page, 'thank you (es)');

	const rows = await serviceSelect<{ language: string }>(
		'responses',
		`id=eq.${id}&select=language`
	);
	expect(rows).toEqual([{ language: 'es' }]);
});

test('switching language mid-survey keeps every answer and re-labels the page', async ({
	page
}) => {
	await page.goto(`/s/${SLUG}`);
	await startSurvey(page, 'en');
	await answerServices(page, 'en');
	await page.getByRole('button', { name: 'Cambiar a español' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'es');
	await expect(
		group(page, '¿Se ha comunicado con el 311 en el último año?').getByLabel('Sí', { exact: true })
	).toBeChecked();
	await expect(
		group(
			page,
			'¿Qué tan satisfecho quedó con la forma en que el 311 atendió su solicitud?'
		).getByLabel(es.scale_satisfaction_4, { exact: true })
	).toBeChecked();
	await expectAccessible(page, '311 page after switching to Spanish');
	await page.getByRole('button', { name: es.survey_back }).click();
	await page.getByRole('button', { name: es.survey_back }).click();
	await page.getByRole('button', { name: es.survey_back }).click();
	await expect(
		group(page, 'Servicios de policía').getByLabel(es.scale_satisfaction_5, { exact: true })
	).toBeChecked();
	await page.getByRole('button', { name: es.survey_back }).click();
	await expect(
		group(page, 'Kansas City como lugar para vivir').getByLabel(es.scale_rating_5, { exact: true })
	).toBeChecked();
	for (let i = 0; i < 4; i++) await next(page, 'es');
	await next(page, 'es');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lo que más importa');
});
