/**
 * Wall-clock time in a meeting's own time zone (an IANA name such as America/Chicago). Staff
 * enter "6:00 PM on 12 November" in the city's zone, whatever zone their laptop is in; the
 * database stores the instant (UTC) and the zone. Daylight-saving rules come from the IANA data
 * of the browser (Intl) through @date-fns/tz.
 */
import { TZDate } from '@date-fns/tz';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;

/** True when this browser (and so the form) knows the zone. */
export function isTimeZone(zone: string): boolean {
	if (!zone) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** The zones to offer in a form (canonical IANA names), with `current` kept if it is not one. */
export function timeZoneChoices(current = ''): string[] {
	const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
	const zones = intl.supportedValuesOf?.('timeZone') ?? [];
	const list = zones.includes('UTC') ? [...zones] : [...zones, 'UTC'];
	if (current && !list.includes(current)) list.push(current);
	return list.sort();
}

/** The browser's own zone: the default for a new schedule. */
export function localTimeZone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * The instant at which the wall clock in `zone` shows `date` (YYYY-MM-DD) `time` (HH:MM). A time
 * skipped by a spring-forward change (2:30 AM) moves forward by the gap (3:30 AM daylight time);
 * a time that happens twice in the autumn is the first of the two. null for malformed input.
 */
export function zonedToUtc(date: string, time: string, zone: string): Date | null {
	const d = DATE.exec(date);
	const t = TIME.exec(time);
	if (!d || !t || !isTimeZone(zone)) return null;
	const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number);
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
	const probe = new Date(Date.UTC(year, month - 1, day));
	if (probe.getUTCMonth() !== month - 1) return null; // 31 February
	const at = new TZDate(year, month - 1, day, hour, minute, zone);
	return new Date(at.getTime());
}

/** What the wall clock in `zone` shows at `iso`: the values a date and a time input take. */
export function utcToZoned(iso: string, zone: string): { date: string; time: string } {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone: zone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(new Date(iso));
	const get = (type: Intl.DateTimeFormatPartTypes) =>
		parts.find((p) => p.type === type)?.value ?? '';
	return {
		date: `${get('year')}-${get('month')}-${get('day')}`,
		time: `${get('hour')}:${get('minute')}`
	};
}
