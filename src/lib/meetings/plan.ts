/**
 * A year's meeting schedule in one step: "the second Thursday of each month at 6:00 PM Central,
 * goal areas in turn". Pure: the staff page previews the plan, then saves it as rows whose ids
 * were made when the plan was made (a retried save writes the same rows again, not new ones).
 */
import type { TLocalized } from '$domain/survey';
import { zonedToUtc } from './zoned';

/** 1..4: first..fourth; -1: the last such weekday of the month. */
export type TOrdinal = 1 | 2 | 3 | 4 | -1;
/** 0 Sunday … 6 Saturday (Date#getUTCDay). */
export type TWeekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface TScheduleRule {
	/** First month of the schedule, YYYY-MM. */
	from: string;
	/** How many consecutive months (1..24). */
	months: number;
	ordinal: TOrdinal;
	weekday: TWeekday;
	/** Local start time, HH:MM, in `timeZone`. */
	time: string;
	durationMinutes: number;
	timeZone: string;
	/** Goal areas taken in turn, one per meeting (repeats when there are more months). */
	areas: { id: string; name: TLocalized }[];
	/** The series' name, e.g. {en: 'KCStat', es: 'KCStat'}: titles read "KCStat: Public Safety — March 2027". */
	series: TLocalized;
	/** Open comments this many days before the start (null: no window, comments stay closed). */
	commentsDaysBefore: number | null;
}

export interface TPlannedMeeting {
	/** The local date (YYYY-MM-DD in the meeting's zone). */
	date: string;
	starts_at: string;
	ends_at: string;
	goal_area_id: string | null;
	title: TLocalized;
	comments_open: boolean;
	comments_open_from: string | null;
	comments_open_until: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Day of the month of the `ordinal` `weekday` in `year`-`month` (month 1..12). */
export function nthWeekday(
	year: number,
	month: number,
	ordinal: TOrdinal,
	weekday: TWeekday
): number {
	if (ordinal === -1) {
		const last = new Date(Date.UTC(year, month, 0));
		return last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7);
	}
	const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
	return 1 + ((weekday - first + 7) % 7) + (ordinal - 1) * 7;
}

/** "March 2027" / "marzo de 2027" for a YYYY-MM-DD date. */
export function monthLabel(date: string, lang: 'en' | 'es'): string {
	const [y, m] = date.split('-').map(Number);
	return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
		new Date(Date.UTC(y, m - 1, 15))
	);
}

/** Titles of a planned meeting in both languages. */
export function plannedTitle(
	series: TLocalized,
	area: TLocalized | null,
	date: string
): TLocalized {
	const one = (lang: 'en' | 'es') =>
		[
			series[lang].trim(),
			area ? `${area[lang]} — ${monthLabel(date, lang)}` : monthLabel(date, lang)
		]
			.filter(Boolean)
			.join(': ');
	return { en: one('en'), es: one('es') };
}

/** The meetings the rule describes, in date order. Throws on a malformed rule (validate first). */
export function planSchedule(rule: TScheduleRule): TPlannedMeeting[] {
	const m = /^(\d{4})-(\d{2})$/.exec(rule.from);
	if (!m) throw new Error(`"from" must be YYYY-MM, not "${rule.from}"`);
	const out: TPlannedMeeting[] = [];
	for (let i = 0; i < rule.months; i++) {
		const index = Number(m[2]) - 1 + i;
		const year = Number(m[1]) + Math.floor(index / 12);
		const month = (index % 12) + 1;
		const day = nthWeekday(year, month, rule.ordinal, rule.weekday);
		const date = `${year}-${pad(month)}-${pad(day)}`;
		const start = zonedToUtc(date, rule.time, rule.timeZone);
		if (!start) throw new Error(`cannot place ${date} ${rule.time} in ${rule.timeZone}`);
		const end = new Date(start.getTime() + rule.durationMinutes * 60_000);
		const area = rule.areas.length ? rule.areas[i % rule.areas.length] : null;
		const opens =
			rule.commentsDaysBefore === null
				? null
				: new Date(start.getTime() - rule.commentsDaysBefore * 86_400_000);
		out.push({
			date,
			starts_at: start.toISOString(),
			ends_at: end.toISOString(),
			goal_area_id: area?.id ?? null,
			title: plannedTitle(rule.series, area?.name ?? null, date),
			comments_open: opens !== null,
			comments_open_from: opens?.toISOString() ?? null,
			comments_open_until: opens ? end.toISOString() : null
		});
	}
	return out;
}
