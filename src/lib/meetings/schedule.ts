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
	/** Where it is held in person (one line, at most 200 characters), or null: online only. */
	location: string | null;
	status: TMeetingStatus;
	moderation: 'pre' | 'post';
	comments_open: boolean;
	/** IANA zone the meeting is held in: its times are shown in it. */
	time_zone: string;
	recording_url: string | null;
	/** The comment window (either bound may be open). */
	comments_open_from: string | null;
	comments_open_until: string | null;
	/** Calendar SEQUENCE, bumped by the database on every change a calendar shows. */
	revision: number;
	revised_at: string;
	created_at: string;
}

export interface TAgendaItem {
	id: string;
	meeting_id: string;
	position: number;
	title: TLocalized;
	description: TLocalized | null;
	/** What the item is about: at most one of these. */
	goal_area_id: string | null;
	goal_id: string | null;
	measure_id: string | null;
}

export const AGENDA_COLUMNS =
	'id,meeting_id,position,title,description,goal_area_id,goal_id,measure_id';

/**
 * Whether the meeting takes comments at `now`: the moderators' switch is on, the meeting is not
 * over or cancelled, and `now` is inside the comment window. submit_comments applies the same
 * rule; the page uses it to show or hide the form.
 */
export function acceptsComments(
	m: Pick<TMeeting, 'comments_open' | 'status' | 'comments_open_from' | 'comments_open_until'>,
	now: Date = new Date()
): boolean {
	const t = now.getTime();
	return (
		m.comments_open &&
		(m.status === 'scheduled' || m.status === 'live') &&
		(!m.comments_open_from || new Date(m.comments_open_from).getTime() <= t) &&
		(!m.comments_open_until || new Date(m.comments_open_until).getTime() > t)
	);
}

/** The window has not opened yet (comments are switched on, the meeting is still to come). */
export function commentsOpenLater(
	m: Pick<TMeeting, 'comments_open' | 'status' | 'comments_open_from'>,
	now: Date = new Date()
): boolean {
	return (
		m.comments_open &&
		(m.status === 'scheduled' || m.status === 'live') &&
		!!m.comments_open_from &&
		new Date(m.comments_open_from).getTime() > now.getTime()
	);
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

// v2: meetings carry time_zone, the comment window and the calendar revision; copies saved by
// older versions lack them and are not read.
const PREFIX = 'civicpulse.meetings.v2:';

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
	'id,goal_area_id,title,description,starts_at,ends_at,stream_url,location,status,moderation,comments_open,time_zone,recording_url,comments_open_from,comments_open_until,revision,revised_at,created_at';

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
	/** Names of the goal areas, goals and measures the agenda is about (published ones), by id. */
	topics: Record<string, TLocalized>;
}

const inList = (ids: (string | null)[]) =>
	`in.(${[...new Set(ids.filter((x): x is string => !!x))].map(encodeURIComponent).join(',')})`;

/** null when no such meeting exists. */
export function loadMeeting(id: string): Promise<TLoaded<TMeetingDetail | null>> {
	return cached(`meeting:${id}`, async () => {
		const eq = encodeURIComponent(id);
		const [meetings, agenda] = await Promise.all([
			selectRows<TMeeting>('meetings', `select=${MEETING_COLUMNS}&id=eq.${eq}`),
			selectRows<TAgendaItem>(
				'agenda_items',
				`select=${AGENDA_COLUMNS}&meeting_id=eq.${eq}&order=position.asc`
			)
		]);
		const meeting = meetings[0];
		if (!meeting) return null;
		const areaIds = [meeting.goal_area_id, ...agenda.map((a) => a.goal_area_id)];
		const goalIds = agenda.map((a) => a.goal_id).filter(Boolean);
		const measureIds = agenda.map((a) => a.measure_id).filter(Boolean);
		const none = Promise.resolve([]);
		const [areas, goals, measures] = await Promise.all([
			areaIds.some(Boolean)
				? selectRows<TGoalAreaName>('goal_areas', `select=id,key,name&id=${inList(areaIds)}`)
				: none,
			goalIds.length
				? selectRows<{ id: string; title: TLocalized }>(
						'goals',
						`select=id,title&id=${inList(goalIds)}`
					)
				: none,
			measureIds.length
				? selectRows<{ id: string; name: TLocalized }>(
						'measures',
						`select=id,name&id=${inList(measureIds)}`
					)
				: none
		]);
		const topics: Record<string, TLocalized> = {};
		for (const a of areas) topics[a.id] = a.name;
		for (const g of goals) topics[g.id] = g.title;
		for (const m of measures) topics[m.id] = m.name;
		return {
			meeting,
			agenda,
			area: areas.find((a) => a.id === meeting.goal_area_id) ?? null,
			topics
		};
	});
}

/** The name of what an agenda item is about, when the public may see it. */
export function topicOf(item: TAgendaItem, topics: Record<string, TLocalized>): TLocalized | null {
	const id = item.measure_id ?? item.goal_id ?? item.goal_area_id;
	return (id && topics[id]) || null;
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
