/**
 * Calendars of the meeting schedule.
 *
 * - Subscribing: calendar apps poll `meetings_ics` (a database function PostgREST serves as
 *   text/calendar; there is no app server), so a changed or cancelled meeting updates in every
 *   subscribed calendar. `feedUrl` builds its address.
 * - "Add to calendar" for one meeting: written here with ical-generator from the copy of the
 *   meeting the page already holds, so it works offline too. It carries exactly what the feed
 *   does (UID = meeting id, SEQUENCE = revision, UTC times, STATUS), so the downloaded event and
 *   the subscribed one are the same event to a calendar app; supabase/tests/meeting-admin.test.ts
 *   parses both and compares them.
 *
 * Times are UTC instants: the meeting's time zone chose the instant when staff entered the local
 * time, so a daylight-saving change cannot move a meeting.
 */
import type { TLanguage } from '$domain/survey';
import type { TMeeting } from './schedule';

export const CALENDAR_NAME: Record<TLanguage, string> = {
	en: 'Public performance meetings',
	es: 'Reuniones públicas de desempeño'
};

const CANCELLED: Record<TLanguage, string> = { en: 'Cancelled: ', es: 'Cancelada: ' };
const STREAM: Record<TLanguage, string> = { en: 'Stream: ', es: 'Transmisión: ' };
const PAGE: Record<TLanguage, string> = {
	en: 'Questions and comments: ',
	es: 'Preguntas y comentarios: '
};

export type TCalendarMeeting = Pick<
	TMeeting,
	'id' | 'title' | 'description' | 'starts_at' | 'ends_at' | 'stream_url' | 'status'
> & { location?: string | null; revision?: number; revised_at?: string; created_at?: string };

export const meetingPageUrl = (site: string, id: string) =>
	`${site.replace(/\/+$/, '')}/meetings/${id}`;

/** SUMMARY: the title, marked when cancelled (not every calendar app shows STATUS). */
export function eventSummary(m: TCalendarMeeting, lang: TLanguage): string {
	return (m.status === 'cancelled' ? CANCELLED[lang] : '') + m.title[lang];
}

/** DESCRIPTION: the description, where to watch, and where to ask questions. */
export function eventDescription(
	m: TCalendarMeeting,
	lang: TLanguage,
	site: string | null
): string {
	return [
		m.description?.[lang],
		m.stream_url ? STREAM[lang] + m.stream_url : null,
		site ? PAGE[lang] + meetingPageUrl(site, m.id) : null
	]
		.filter((x): x is string => !!x)
		.join('\n\n');
}

/** An .ics file for the given meetings (one for "add to calendar"), written with ical-generator. */
export async function meetingsIcs(
	meetings: readonly TCalendarMeeting[],
	lang: TLanguage,
	site: string | null
): Promise<string> {
	const { default: ical, ICalEventStatus } = await import('ical-generator');
	const cal = ical({
		name: CALENDAR_NAME[lang],
		prodId: { company: 'CivicPulse', product: 'Meetings', language: lang.toUpperCase() }
	});
	for (const m of meetings) {
		const stamp = new Date(m.revised_at ?? m.starts_at);
		cal.createEvent({
			id: m.id,
			sequence: m.revision ?? 0,
			stamp,
			lastModified: stamp,
			created: m.created_at ? new Date(m.created_at) : null,
			start: new Date(m.starts_at),
			end: m.ends_at ? new Date(m.ends_at) : null,
			summary: eventSummary(m, lang),
			location: m.location || null,
			description: eventDescription(m, lang, site) || null,
			url: site ? meetingPageUrl(site, m.id) : null,
			status: m.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED
		});
	}
	return cal.toString();
}

/**
 * The subscription address of the schedule feed. `apikey` goes in the query string because a
 * calendar app cannot send headers; the key is the public anon key the app itself ships.
 */
export function feedUrl(
	supabaseUrl: string,
	anonKey: string,
	lang: TLanguage,
	site: string | null
): string {
	const q = new URLSearchParams({ p_lang: lang });
	if (site) q.set('p_site', site.replace(/\/+$/, ''));
	q.set('apikey', anonKey);
	return `${supabaseUrl.replace(/\/+$/, '')}/rest/v1/rpc/meetings_ics?${q}`;
}

/** The same address with the webcal: scheme, which opens the "subscribe" dialog of calendar apps. */
export const webcalUrl = (httpsUrl: string) => httpsUrl.replace(/^https?:/, 'webcal:');

/** Save text as a file (the "add to calendar" download). */
export function downloadText(filename: string, text: string, type: string): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
