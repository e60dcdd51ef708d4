import { describe, expect, it } from 'vitest';
import { monthLabel, nthWeekday, planSchedule, type TScheduleRule } from './plan';
import { utcToZoned, zonedToUtc } from './zoned';

const AREAS = [
	{ id: 'a1', name: { en: 'Public Safety', es: 'Seguridad pública' } },
	{ id: 'a2', name: { en: 'Finance', es: 'Finanzas' } },
	{ id: 'a3', name: { en: 'Infrastructure', es: 'Infraestructura' } }
];

const rule = (over: Partial<TScheduleRule> = {}): TScheduleRule => ({
	from: '2026-09',
	months: 12,
	ordinal: 2,
	weekday: 4, // Thursday
	time: '18:00',
	durationMinutes: 120,
	timeZone: 'America/Chicago',
	areas: AREAS,
	series: { en: 'KCStat', es: 'KCStat' },
	commentsDaysBefore: 7,
	...over
});

describe('nthWeekday', () => {
	it('finds the second Thursday, the first Monday and the last Friday of a month', () => {
		expect(nthWeekday(2026, 11, 2, 4)).toBe(12); // 2026-11-12
		expect(nthWeekday(2026, 6, 1, 1)).toBe(1); // 2026-06-01 is a Monday
		expect(nthWeekday(2026, 7, -1, 5)).toBe(31); // 2026-07-31 is a Friday
		expect(nthWeekday(2027, 2, -1, 0)).toBe(28); // 2027-02-28 is a Sunday
	});
});

describe('planSchedule: "the second Thursday of each month at 6 PM Central, goal areas in turn"', () => {
	const plan = planSchedule(rule());

	it('makes one meeting per month on the second Thursday, across the year boundary', () => {
		expect(plan.map((p) => p.date)).toEqual([
			'2026-09-10',
			'2026-10-08',
			'2026-11-12',
			'2026-12-10',
			'2027-01-14',
			'2027-02-11',
			'2027-03-11',
			'2027-04-08',
			'2027-05-13',
			'2027-06-10',
			'2027-07-08',
			'2027-08-12'
		]);
	});

	it('keeps 6:00 PM local on both sides of the daylight-saving changes', () => {
		// CDT (UTC-5) until 1 Nov 2026, CST (UTC-6) until 14 Mar 2027, then CDT again.
		expect(plan[1].starts_at).toBe('2026-10-08T23:00:00.000Z');
		expect(plan[2].starts_at).toBe('2026-11-13T00:00:00.000Z');
		expect(plan[6].starts_at).toBe('2027-03-12T00:00:00.000Z');
		expect(plan[7].starts_at).toBe('2027-04-08T23:00:00.000Z');
		for (const p of plan) {
			expect(utcToZoned(p.starts_at, 'America/Chicago')).toEqual({ date: p.date, time: '18:00' });
			expect(new Date(p.ends_at).getTime() - new Date(p.starts_at).getTime()).toBe(7_200_000);
		}
	});

	it('takes the goal areas in turn and titles each meeting in both languages', () => {
		expect(plan.map((p) => p.goal_area_id)).toEqual([
			'a1',
			'a2',
			'a3',
			'a1',
			'a2',
			'a3',
			'a1',
			'a2',
			'a3',
			'a1',
			'a2',
			'a3'
		]);
		expect(plan[2].title).toEqual({
			en: 'KCStat: Infrastructure — November 2026',
			es: 'KCStat: Infraestructura — noviembre de 2026'
		});
	});

	it('opens comments a week before and closes them when the meeting ends', () => {
		expect(plan[0]).toMatchObject({
			comments_open: true,
			comments_open_from: '2026-09-03T23:00:00.000Z',
			comments_open_until: plan[0].ends_at
		});
		const closed = planSchedule(rule({ commentsDaysBefore: null }));
		expect(closed[0]).toMatchObject({
			comments_open: false,
			comments_open_from: null,
			comments_open_until: null
		});
	});
});

describe('zonedToUtc', () => {
	it('moves a time skipped by spring-forward to after the gap, and rejects impossible dates', () => {
		expect(zonedToUtc('2026-03-08', '02:30', 'America/Chicago')?.toISOString()).toBe(
			'2026-03-08T08:30:00.000Z'
		);
		expect(zonedToUtc('2026-02-31', '10:00', 'America/Chicago')).toBeNull();
		expect(zonedToUtc('2026-02-10', '10:00', 'Mars/Olympus')).toBeNull();
		expect(zonedToUtc('2026-07-01', '09:00', 'Europe/Madrid')?.toISOString()).toBe(
			'2026-07-01T07:00:00.000Z'
		);
	});
	it('labels months in both languages', () => {
		expect(monthLabel('2027-03-11', 'en')).toBe('March 2027');
		expect(monthLabel('2027-03-11', 'es')).toBe('marzo de 2027');
	});
});
