/**
 * Checks of the staff meeting forms, before anything is sent, mirroring the database's rules
 * (supabase/migrations/*_extend_meetings_for_admins.sql and *_create_meeting_tables.sql) so most
 * mistakes are explained with a link to the field. The database re-checks everything; its
 * message is shown when it still refuses. `field` is the input's id, for the error summary.
 */
import type { TLanguage, TLocalized } from '$domain/survey';
import { translateAdmin, type TAdminKey } from './admin-messages';
import type { TOrdinal, TScheduleRule, TWeekday } from './plan';
import { isTimeZone, zonedToUtc } from './zoned';

export interface TFieldError {
	field: string;
	message: string;
}

class Checker {
	errors: TFieldError[] = [];
	constructor(readonly lang: TLanguage) {}
	label(key: TAdminKey): string {
		return translateAdmin(this.lang, key);
	}
	add(field: string, key: TAdminKey, params: Record<string, string | number> = {}) {
		if (!this.errors.some((e) => e.field === field))
			this.errors.push({ field, message: translateAdmin(this.lang, key, params) });
	}
	text(field: string, value: string, labelKey: TAdminKey, max: number, required = true) {
		const label = this.label(labelKey);
		if (!value.trim()) {
			if (required) this.add(field, 'err_required', { field: lowerFirst(label) });
		} else if ([...value.trim()].length > max) this.add(field, 'err_length', { field: label, max });
	}
	https(field: string, value: string, labelKey: TAdminKey) {
		const v = value.trim();
		if (v && !/^https:\/\/\S+$/.test(v))
			this.add(field, 'err_https', { field: this.label(labelKey) });
	}
	whole(field: string, value: string, labelKey: TAdminKey, min: number, max: number) {
		const v = value.trim();
		if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
			this.add(field, 'err_whole', { field: this.label(labelKey), min, max });
	}
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;

/** A pair of texts as the database's localized_text: both languages, or null when both are empty. */
/** A location as stored: one line (tabs and line breaks become spaces), trimmed, or null. */
export function locationValue(value: string): string | null {
	return value.replace(/\s+/g, ' ').trim() || null;
}

export function localized(en: string, es: string): TLocalized | null {
	return en.trim() && es.trim() ? { en: en.trim(), es: es.trim() } : null;
}

export interface TMeetingForm {
	title_en: string;
	title_es: string;
	description_en: string;
	description_es: string;
	date: string;
	time: string;
	minutes: string;
	time_zone: string;
	stream_url: string;
	recording_url: string;
	location: string;
	/** datetime-local values (YYYY-MM-DDTHH:MM) in the meeting's zone, or ''. */
	window_from: string;
	window_until: string;
}

/** Errors of the meeting form (ids are `mt-<name>`), in the order of the fields. */
export function validateMeeting(lang: TLanguage, f: TMeetingForm): TFieldError[] {
	const c = new Checker(lang);
	c.text('mt-title-en', f.title_en, 'ma_title_en', 200);
	c.text('mt-title-es', f.title_es, 'ma_title_es', 200);
	c.text('mt-description-en', f.description_en, 'ma_description_en', 2000, false);
	c.text('mt-description-es', f.description_es, 'ma_description_es', 2000, false);
	if (!f.description_en.trim() !== !f.description_es.trim()) {
		const field = f.description_en.trim() ? 'mt-description-es' : 'mt-description-en';
		c.add(field, 'err_both_languages', {
			field: lang === 'es' ? 'la descripción' : 'the description'
		});
	}
	if (!DATE.test(f.date)) c.add('mt-date', 'err_date');
	if (!TIME.test(f.time)) c.add('mt-time', 'err_time');
	c.whole('mt-minutes', f.minutes, 'ma_length', 1, 1440);
	if (!isTimeZone(f.time_zone)) c.add('mt-zone', 'err_zone');
	c.https('mt-stream', f.stream_url, 'ma_stream');
	c.https('mt-recording', f.recording_url, 'ma_recording');
	c.text('mt-location', f.location, 'ma_location', 200, false);
	const from = windowInstant(c, 'mt-window-from', f.window_from, f.time_zone, 'ma_window_from');
	const until = windowInstant(c, 'mt-window-until', f.window_until, f.time_zone, 'ma_window_until');
	if (from && until && until <= from) c.add('mt-window-until', 'err_window');
	if (DATE.test(f.date) && TIME.test(f.time) && isTimeZone(f.time_zone) && !meetingTimes(f))
		c.add('mt-date', 'err_date');
	return c.errors;
}

function windowInstant(
	c: Checker,
	field: string,
	value: string,
	zone: string,
	labelKey: TAdminKey
): Date | null {
	if (!value) return null;
	const [date, time] = value.split('T');
	const at = isTimeZone(zone) ? zonedToUtc(date ?? '', (time ?? '').slice(0, 5), zone) : null;
	if (!at) c.add(field, 'err_datetime', { field: lowerFirst(c.label(labelKey)) });
	return at;
}

/** The instants the form describes (valid forms only). */
export function meetingTimes(
	f: Pick<TMeetingForm, 'date' | 'time' | 'minutes' | 'time_zone'>
): { starts_at: string; ends_at: string } | null {
	const start = zonedToUtc(f.date, f.time, f.time_zone);
	if (!start) return null;
	return {
		starts_at: start.toISOString(),
		ends_at: new Date(start.getTime() + Number(f.minutes) * 60_000).toISOString()
	};
}

/** A datetime-local value in `zone` as an ISO instant, or null when empty or malformed. */
export function windowValue(value: string, zone: string): string | null {
	if (!value) return null;
	const [date, time] = value.split('T');
	return zonedToUtc(date ?? '', (time ?? '').slice(0, 5), zone)?.toISOString() ?? null;
}

export interface TScheduleForm {
	series_en: string;
	series_es: string;
	from: string;
	months: string;
	ordinal: string;
	weekday: string;
	time: string;
	minutes: string;
	time_zone: string;
	/** Goal area ids in turn (already rotated to the first one). */
	areas: string[];
	days_before: string;
	stream_url: string;
	location: string;
}

/** Errors of the schedule form (ids are `plan-<name>`). */
export function validateSchedule(lang: TLanguage, f: TScheduleForm): TFieldError[] {
	const c = new Checker(lang);
	c.text('plan-series-en', f.series_en, 'ma_series_en', 80);
	c.text('plan-series-es', f.series_es, 'ma_series_es', 80);
	if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(f.from.trim())) c.add('plan-from', 'err_month');
	c.whole('plan-months', f.months, 'ma_months', 1, 24);
	if (!['1', '2', '3', '4', '-1'].includes(f.ordinal))
		c.add('plan-ordinal', 'err_choose', { field: lowerFirst(c.label('ma_ordinal')) });
	if (!/^[0-6]$/.test(f.weekday))
		c.add('plan-weekday', 'err_choose', { field: lowerFirst(c.label('ma_weekday')) });
	if (!TIME.test(f.time)) c.add('plan-time', 'err_time');
	c.whole('plan-minutes', f.minutes, 'ma_length', 1, 1440);
	if (!isTimeZone(f.time_zone)) c.add('plan-zone', 'err_zone');
	if (f.areas.length === 0) c.add('plan-areas', 'err_no_areas');
	if (f.days_before.trim()) c.whole('plan-days', f.days_before, 'ma_days_before', 0, 90);
	c.https('plan-stream', f.stream_url, 'ma_stream');
	c.text('plan-location', f.location, 'ma_location', 200, false);
	return c.errors;
}

/** The planner's rule from a valid form. */
export function scheduleRule(f: TScheduleForm, areaNames: Map<string, TLocalized>): TScheduleRule {
	return {
		from: f.from.trim(),
		months: Number(f.months),
		ordinal: Number(f.ordinal) as TOrdinal,
		weekday: Number(f.weekday) as TWeekday,
		time: f.time,
		durationMinutes: Number(f.minutes),
		timeZone: f.time_zone,
		areas: f.areas.map((id) => ({ id, name: areaNames.get(id) ?? { en: '', es: '' } })),
		series: { en: f.series_en.trim(), es: f.series_es.trim() },
		commentsDaysBefore: f.days_before.trim() ? Number(f.days_before) : null
	};
}

export interface TAgendaForm {
	id: string;
	title_en: string;
	title_es: string;
	/** '' or 'area:<id>' | 'goal:<id>' | 'measure:<id>'. */
	topic: string;
}

/** Errors of the agenda form: field ids are `ai-<index>-title-en` and so on (index from 0). */
export function validateAgenda(lang: TLanguage, items: TAgendaForm[]): TFieldError[] {
	const c = new Checker(lang);
	items.forEach((item, i) => {
		const n = i + 1;
		const label = (key: TAdminKey) => translateAdmin(lang, key, { n });
		for (const [field, value, key] of [
			[`ai-${i}-title-en`, item.title_en, 'ma_item_title_en'],
			[`ai-${i}-title-es`, item.title_es, 'ma_item_title_es']
		] as const) {
			if (!value.trim()) c.add(field, 'err_required', { field: lowerFirst(label(key)) });
			else if ([...value.trim()].length > 200)
				c.add(field, 'err_length', { field: label(key), max: 200 });
		}
		if (!/^(area|goal|measure):.+$/.test(item.topic)) c.add(`ai-${i}-topic`, 'err_topic', { n });
	});
	return c.errors;
}

/** The topic select's value as the three columns. */
export function topicColumns(topic: string): {
	goal_area_id: string | null;
	goal_id: string | null;
	measure_id: string | null;
} {
	const [kind, id] = [topic.slice(0, topic.indexOf(':')), topic.slice(topic.indexOf(':') + 1)];
	return {
		goal_area_id: kind === 'area' ? id : null,
		goal_id: kind === 'goal' ? id : null,
		measure_id: kind === 'measure' ? id : null
	};
}

export function topicValue(item: {
	goal_area_id: string | null;
	goal_id: string | null;
	measure_id: string | null;
}): string {
	if (item.measure_id) return `measure:${item.measure_id}`;
	if (item.goal_id) return `goal:${item.goal_id}`;
	if (item.goal_area_id) return `area:${item.goal_area_id}`;
	return '';
}
