/**
 * Dates and times of the meeting pages, in the app's current language. Meeting times are shown
 * in the meeting's own time zone, with the zone's short name (6:00 PM CST), so a resident
 * elsewhere reads the city's time and daylight-saving changes are visible.
 */
import { i18n } from '$lib/i18n/i18n.svelte';

const format = (iso: string, options: Intl.DateTimeFormatOptions) => {
	try {
		return new Intl.DateTimeFormat(i18n.lang, options).format(new Date(iso));
	} catch {
		// A zone this browser does not know: the viewer's own zone, still labelled.
		const { timeZone: _unknown, ...rest } = options;
		return new Intl.DateTimeFormat(i18n.lang, { ...rest, timeZoneName: 'short' }).format(
			new Date(iso)
		);
	}
};

const zoned = (zone: string | null | undefined): Intl.DateTimeFormatOptions =>
	zone ? { timeZone: zone, timeZoneName: 'short' } : {};

export const when = (iso: string, zone?: string | null): string =>
	format(iso, {
		weekday: 'long',
		year: 'numeric',
		month: 'long',
		day: 'numeric',
		hour: 'numeric',
		minute: '2-digit',
		...zoned(zone)
	});
export const savedOn = (iso: string): string =>
	format(iso, { dateStyle: 'long', timeStyle: 'short' });
export const timeOfDay = (iso: string): string =>
	format(iso, { hour: 'numeric', minute: '2-digit' });
export const dateTime = (iso: string, zone?: string | null): string =>
	format(iso, {
		year: 'numeric',
		month: 'short',
		day: 'numeric',
		hour: 'numeric',
		minute: '2-digit',
		...zoned(zone)
	});
