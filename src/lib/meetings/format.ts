/** Dates and times of the meeting pages, in the app's current language. */
import { i18n } from '$lib/i18n/i18n.svelte';

const format = (iso: string, options: Intl.DateTimeFormatOptions) =>
	new Intl.DateTimeFormat(i18n.lang, options).format(new Date(iso));

export const when = (iso: string): string =>
	format(iso, {
		weekday: 'long',
		year: 'numeric',
		month: 'long',
		day: 'numeric',
		hour: 'numeric',
		minute: '2-digit'
	});
export const savedOn = (iso: string): string =>
	format(iso, { dateStyle: 'long', timeStyle: 'short' });
export const timeOfDay = (iso: string): string =>
	format(iso, { hour: 'numeric', minute: '2-digit' });
export const dateTime = (iso: string): string =>
	format(iso, { dateStyle: 'medium', timeStyle: 'short' });
