import { describe, expect, it } from 'vitest';
import {
	locationValue,
	meetingTimes,
	topicColumns,
	topicValue,
	validateAgenda,
	validateMeeting,
	validateSchedule,
	windowValue,
	type TMeetingForm,
	type TScheduleForm
} from './admin';

const form = (over: Partial<TMeetingForm> = {}): TMeetingForm => ({
	title_en: 'KCStat: Public Safety',
	title_es: 'KCStat: Seguridad pública',
	description_en: '',
	description_es: '',
	date: '2026-11-12',
	time: '18:00',
	minutes: '120',
	time_zone: 'America/Chicago',
	stream_url: '',
	recording_url: '',
	location: '',
	window_from: '',
	window_until: '',
	...over
});

const plan = (over: Partial<TScheduleForm> = {}): TScheduleForm => ({
	series_en: 'KCStat',
	series_es: 'KCStat',
	from: '2027-01',
	months: '12',
	ordinal: '2',
	weekday: '4',
	time: '18:00',
	minutes: '120',
	time_zone: 'America/Chicago',
	areas: ['a1'],
	days_before: '7',
	stream_url: '',
	location: '',
	...over
});

describe('validateMeeting', () => {
	it('accepts a complete meeting and places it in its own time zone', () => {
		expect(validateMeeting('en', form())).toEqual([]);
		expect(meetingTimes(form())).toEqual({
			starts_at: '2026-11-13T00:00:00.000Z',
			ends_at: '2026-11-13T02:00:00.000Z'
		});
	});

	it('explains every mistake, linked to its field, in the page language', () => {
		const errors = validateMeeting(
			'en',
			form({
				title_es: ' ',
				description_en: 'Only in English',
				date: '12/11/2026',
				minutes: '0',
				time_zone: 'Central',
				stream_url: 'http://example.org/live',
				window_from: '2026-11-12T10:00',
				window_until: '2026-11-12T09:00'
			})
		);
		expect(errors.map((e) => e.field)).toEqual([
			'mt-title-es',
			'mt-description-es',
			'mt-date',
			'mt-minutes',
			'mt-zone',
			'mt-stream',
			'mt-window-from',
			'mt-window-until'
		]);
		expect(errors[0].message).toBe('Enter title (Spanish)');
		expect(errors[5].message).toBe('Stream link (optional) must start with https://');
		const es = validateMeeting('es', form({ title_en: '' }));
		expect(es[0]).toEqual({ field: 'mt-title-en', message: 'Ingrese título (inglés)' });
	});

	it('reads the comment window in the meeting’s zone', () => {
		expect(windowValue('2026-11-05T18:00', 'America/Chicago')).toBe('2026-11-06T00:00:00.000Z');
		expect(
			validateMeeting(
				'en',
				form({ window_from: '2026-11-05T18:00', window_until: '2026-11-12T20:00' })
			)
		).toEqual([]);
		expect(
			validateMeeting(
				'en',
				form({ window_until: '2026-11-12T20:00', window_from: '2026-11-13T08:00' })
			)[0]
		).toEqual({
			field: 'mt-window-until',
			message: 'Comments must close after they open'
		});
	});
});

describe('validateSchedule', () => {
	it('accepts a year of second Thursdays and refuses a rule it cannot place', () => {
		expect(validateSchedule('en', plan())).toEqual([]);
		const errors = validateSchedule(
			'en',
			plan({ from: '2027-13', months: '40', areas: [], days_before: 'x' })
		);
		expect(errors.map((e) => e.field)).toEqual([
			'plan-from',
			'plan-months',
			'plan-areas',
			'plan-days'
		]);
		expect(errors[1].message).toBe('Number of months must be a whole number from 1 to 24');
	});
});

describe('meeting location', () => {
	it('is optional, one line, and at most 200 characters, in both forms', () => {
		expect(validateMeeting('en', form({ location: 'City Hall, 414 E 12th St' }))).toEqual([]);
		const long = 'x'.repeat(201);
		expect(validateMeeting('en', form({ location: long }))).toEqual([
			{ field: 'mt-location', message: expect.stringContaining('200') }
		]);
		expect(validateSchedule('es', plan({ location: long })).map((e) => e.field)).toEqual([
			'plan-location'
		]);
		// What is stored: line breaks and tabs become spaces; empty means online only.
		expect(locationValue('  City Hall,\n\t26th floor  ')).toBe('City Hall, 26th floor');
		expect(locationValue(' \n ')).toBeNull();
	});
});

describe('agenda items', () => {
	it('need both titles and a topic', () => {
		const errors = validateAgenda('en', [
			{ id: 'i1', title_en: 'Streets', title_es: 'Calles', topic: 'measure:m1' },
			{ id: 'i2', title_en: 'Parks', title_es: '', topic: '' }
		]);
		expect(errors).toEqual([
			{ field: 'ai-1-title-es', message: 'Enter item 2: title (Spanish)' },
			{ field: 'ai-1-topic', message: 'Choose what item 2 is about' }
		]);
	});
	it('map the topic choice to one column and back', () => {
		expect(topicColumns('area:a1')).toEqual({
			goal_area_id: 'a1',
			goal_id: null,
			measure_id: null
		});
		expect(topicColumns('measure:m1')).toEqual({
			goal_area_id: null,
			goal_id: null,
			measure_id: 'm1'
		});
		expect(topicValue({ goal_area_id: null, goal_id: 'g1', measure_id: null })).toBe('goal:g1');
	});
});
