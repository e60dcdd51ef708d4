import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
	eventDescription,
	feedUrl,
	meetingsIcs,
	webcalUrl,
	type TCalendarMeeting
} from './calendar';

const meeting = (over: Partial<TCalendarMeeting> = {}): TCalendarMeeting => ({
	id: '00000000-0000-4000-a800-000000000042',
	title: { en: 'KCStat: Streets; potholes, sidewalks', es: 'KCStat: Calles; baches, aceras' },
	description: { en: 'Line one\nMore \\ detail, with commas', es: 'Línea uno\nMás detalles' },
	starts_at: '2026-11-13T00:00:00.000Z',
	ends_at: '2026-11-13T02:00:00.000Z',
	stream_url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
	status: 'scheduled',
	revision: 3,
	revised_at: '2026-10-01T12:00:00.000Z',
	created_at: '2026-09-01T12:00:00.000Z',
	...over
});

const events = (ics: string) =>
	new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));

describe('meetingsIcs ("add to calendar")', () => {
	it('writes an event calendar apps match with the feed: UID, SEQUENCE, UTC times, status', async () => {
		const ics = await meetingsIcs([meeting()], 'en', 'https://city.example.org');
		const [e] = events(ics);
		expect(e.uid).toBe('00000000-0000-4000-a800-000000000042');
		expect(e.sequence).toBe(3);
		expect(e.startDate.toJSDate().toISOString()).toBe('2026-11-13T00:00:00.000Z');
		expect(e.endDate.toJSDate().toISOString()).toBe('2026-11-13T02:00:00.000Z');
		expect(e.startDate.zone.tzid).toBe('UTC');
		// 6:00 PM in Kansas City (CST) on the 12th.
		expect(
			new Intl.DateTimeFormat('en-US', {
				timeZone: 'America/Chicago',
				dateStyle: 'medium',
				timeStyle: 'short'
			}).format(e.startDate.toJSDate())
		).toBe('Nov 12, 2026, 6:00 PM');
		expect(e.summary).toBe('KCStat: Streets; potholes, sidewalks');
		expect(e.description).toBe(
			'Line one\nMore \\ detail, with commas\n\nStream: https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nQuestions and comments: https://city.example.org/meetings/00000000-0000-4000-a800-000000000042'
		);
		expect(e.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
		expect(String(e.component.getFirstPropertyValue('url'))).toBe(
			'https://city.example.org/meetings/00000000-0000-4000-a800-000000000042'
		);
	});

	it('marks a cancelled meeting CANCELLED, in Spanish too', async () => {
		const [e] = events(
			await meetingsIcs([meeting({ status: 'cancelled', revision: 4 })], 'es', null)
		);
		expect(e.component.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(e.sequence).toBe(4);
		expect(e.summary).toBe('Cancelada: KCStat: Calles; baches, aceras');
		expect(e.description).toBe(
			'Línea uno\nMás detalles\n\nTransmisión: https://www.youtube.com/watch?v=dQw4w9WgXcQ'
		);
	});
});

describe('feed addresses', () => {
	it('puts the language, the app origin and the public key in the query string', () => {
		const url = new URL(
			feedUrl('https://abc.supabase.co/', 'anon-key', 'es', 'https://city.example.org/')
		);
		expect(url.pathname).toBe('/rest/v1/rpc/meetings_ics');
		expect(Object.fromEntries(url.searchParams)).toEqual({
			p_lang: 'es',
			p_site: 'https://city.example.org',
			apikey: 'anon-key'
		});
		expect(webcalUrl(url.toString())).toMatch(
			/^webcal:\/\/abc\.supabase\.co\/rest\/v1\/rpc\/meetings_ics\?/
		);
	});
	it('leaves out what a meeting does not have', () => {
		expect(eventDescription(meeting({ description: null, stream_url: null }), 'en', null)).toBe('');
	});
});
