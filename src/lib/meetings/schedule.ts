/**
 * The public meeting schedule (KCStat style: monthly, one goal area each, published a year ahead).
 * Read without supabase-js (plain `fetch`, anon key): the schedule is public, RLS decides what is
 * shown. The last good copy is kept in localStorage so the schedule and a meeting's agenda open
 * offline at a venue with bad Wi-Fi.
 */
import type { TLocalized } from '$domain/survey';
import { selectRows } from '$lib/supabase/rest';

export type TMeetingStatus = 'scheduled' | 'live' | 'ended' | 'cancelled';

export interface TMeeting {
	id: string;
	goal_area_id: string | null;
	title: TLocalized;
	description: TLocalized | null;
	starts_at: string;
	ends_at: string | null;
	stream_url: string | null;
	status: TMeetingStatus;
	moderation: 'pre' | 'post';
	comments_open: boolean;
}

export interface TAgendaItem {
	id: string;
	meeting_id: string;
	position: number;
	title: TLocalized;
	description: TLocalized | null;
}

export interface TGoalAreaName {
	id: string;
	key: string;
	name: TLocalized;
}

export interface TSchedule {
	meetings: TMeeting[];
	areas: TGoalAreaName[];
}

export type TLoaded<T> =
	{ source: 'network'; value: T } | { source: 'cache'; value: T; saved_at: string };

const PREFIX = 'civicpulse.meetings.v1:';

function readCache<T>(key: string, storage: Storage): { saved_at: string; value: T } | null {
	try {
		const raw = storage.getItem(PREFIX + key);
		if (!raw) return null;
		const parsed = JSON.parse(raw) as { saved_at?: unknown; value?: unknown };
		if (typeof parsed.saved_at !== 'string' || !parsed.value) return null;
		return parsed as { saved_at: string; value: T };
	} catch {
		return null;
	}
}

function writeCache(key: string, value: unknown, storage: Storage, now = new Date()): void {
	try {
		storage.setItem(PREFIX + key, JSON.stringify({ saved_at: now.toISOString(), value }));
	} catch {
		// Quota or private mode: the page still works online.
	}
}

/** Network first; on any failure the copy from the last visit, or the error when there is none. */
export async function cached<T>(
	key: string,
	fetcher: () => Promise<T>,
	storage: Storage = localStorage
): Promise<TLoaded<T>> {
	try {
		const value = await fetcher();
		writeCache(key, value, storage);
		return { source: 'network', value };
	} catch (err) {
		const copy = readCache<T>(key, storage);
		if (copy) return { source: 'cache', value: copy.value, saved_at: copy.saved_at };
		throw err;
	}
}

export const MEETING_COLUMNS =
	'id,goal_area_id,title,description,starts_at,ends_at,stream_url,status,moderation,comments_open';

export function loadSchedule(): Promise<TLoaded<TSchedule>> {
	return cached('schedule', async () => {
		const [meetings, areas] = await Promise.all([
			selectRows<TMeeting>('meetings', `select=${MEETING_COLUMNS}&order=starts_at.asc`),
			selectRows<TGoalAreaName>('goal_areas', 'select=id,key,name&order=position.asc')
		]);
		return { meetings, areas };
	});
}

export interface TMeetingDetail {
	meeting: TMeeting;
	agenda: TAgendaItem[];
	area: TGoalAreaName | null;
}

/** null when no such meeting exists. */
export function loadMeeting(id: string): Promise<TLoaded<TMeetingDetail | null>> {
	return cached(`meeting:${id}`, async () => {
		const eq = encodeURIComponent(id);
		const [meetings, agenda] = await Promise.all([
			selectRows<TMeeting>('meetings', `select=${MEETING_COLUMNS}&id=eq.${eq}`),
			selectRows<TAgendaItem>(
				'agenda_items',
				`select=id,meeting_id,position,title,description&meeting_id=eq.${eq}&order=position.asc`
			)
		]);
		const meeting = meetings[0];
		if (!meeting) return null;
		const areas = meeting.goal_area_id
			? await selectRows<TGoalAreaName>(
					'goal_areas',
					`select=id,key,name&id=eq.${encodeURIComponent(meeting.goal_area_id)}`
				)
			: [];
		return { meeting, agenda, area: areas[0] ?? null };
	});
}

export interface TScheduleGroups {
	live: TMeeting[];
	upcoming: TMeeting[];
	past: TMeeting[];
}

/**
 * Live first; then what is still to come (soonest first); then the archive (latest first).
 * A "scheduled" meeting whose end has passed is shown as past: the city may not have closed it.
 */
export function groupMeetings(
	meetings: readonly TMeeting[],
	now: Date = new Date()
): TScheduleGroups {
	const t = now.getTime();
	const endOf = (m: TMeeting) =>
		new Date(m.ends_at ?? new Date(m.starts_at).getTime() + 2 * 3600_000).getTime();
	const live = meetings.filter((m) => m.status === 'live');
	const upcoming = meetings
		.filter((m) => (m.status === 'scheduled' || m.status === 'cancelled') && endOf(m) >= t)
		.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
	const past = meetings
		.filter((m) => m.status === 'ended' || (m.status !== 'live' && endOf(m) < t))
		.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
	return { live, upcoming, past };
}
