/**
 * The home page's own strings (open surveys and the first-day setup for city staff), kept out of
 * the shared resident dictionaries so the survey's bundle does not carry them.
 */
import type { TLanguage } from '$domain/survey';

const en = {
	surveys_title: 'Take a survey',
	surveys_none: 'No survey is open right now. Thank you for checking.',
	surveys_cached: 'You are offline: these were open when this device last checked.',
	survey_invited: 'By invitation: use the code in your letter.',
	setup_title: 'For city staff: setting up CivicPulse',
	setup_intro:
		'A city runs its whole year from the staff area, without SQL. The first day, in order:',
	setup_deploy:
		'Deploy: host these files on any static host and connect your Supabase project (the README’s “Connecting a real Supabase project”).',
	setup_admin:
		'First administrator: create the first admin account as the README’s “Staff accounts” explains; admins then invite colleagues in Staff → Accounts.',
	setup_goals: 'Goals and targets: Staff → Manage (goal areas, goals, measures, targets).',
	setup_survey:
		'Survey: Staff → Surveys. Write it in English and Spanish, or import the example file /examples/kc-resident-survey.json, and preview it at phone width.',
	setup_wave: 'Wave: Staff → Survey waves. Open it for a period and choose who can answer.',
	setup_invitations:
		'Invitations: Staff → Invitations. Print a QR sheet or download codes for a mailing to a random sample.',
	setup_meetings:
		'Meetings: Staff → Meeting calendar. Plan the year in one step; moderators run each meeting from the moderation page.'
};

const es: Record<keyof typeof en, string> = {
	surveys_title: 'Responda una encuesta',
	surveys_none: 'No hay ninguna encuesta abierta en este momento. Gracias por consultar.',
	surveys_cached:
		'No tiene conexión: estas estaban abiertas la última vez que este dispositivo consultó.',
	survey_invited: 'Por invitación: use el código de su carta.',
	setup_title: 'Para el personal de la ciudad: cómo poner en marcha CivicPulse',
	setup_intro:
		'Una ciudad gestiona todo su año desde el área del personal, sin SQL. El primer día, en orden:',
	setup_deploy:
		'Publicación: aloje estos archivos en cualquier servidor estático y conecte su proyecto de Supabase (sección “Connecting a real Supabase project” del README).',
	setup_admin:
		'Primer administrador: cree la primera cuenta de administración como explica la sección “Staff accounts” del README; después, los administradores invitan a sus colegas en Personal → Cuentas.',
	setup_goals: 'Metas y objetivos: Personal → Gestionar (áreas, metas, medidas, objetivos).',
	setup_survey:
		'Encuesta: Personal → Encuestas. Escríbala en inglés y español, o importe el archivo de ejemplo /examples/kc-resident-survey.json, y véala en tamaño de teléfono.',
	setup_wave:
		'Ola: Personal → Olas de la encuesta. Ábrala para un periodo y elija quién puede responder.',
	setup_invitations:
		'Invitaciones: Personal → Invitaciones. Imprima una hoja de códigos QR o descargue los códigos para un envío a una muestra aleatoria.',
	setup_meetings:
		'Reuniones: Personal → Calendario de reuniones. Planifique el año en un paso; los moderadores conducen cada reunión desde la página de moderación.'
};

export type THomeKey = keyof typeof en;
export const homeMessages: Record<TLanguage, Record<THomeKey, string>> = { en, es };
