/**
 * Admin reads and writes of meetings and agenda items, straight to the tables through RLS
 * (admins write; the database keeps moderators to running meetings). Every write is an upsert
 * by a client-made UUID, so a retried save (double click, lost answer) stores the row once; a
 * whole schedule is one request, so it is stored entirely or not at all. Errors come back as
 * the database's own message for the form to show.
 */
import type { TLocalized } from '$domain/survey';
import { getSupabase, type TClient } from '$lib/supabase/client';
import type { TCommentRecord } from './record';
import { AGENDA_COLUMNS, MEETING_COLUMNS, type TAgendaItem, type TMeeting } from './schedule';

/**
 * What an admin writes; the database fills revision, revised_at, created_at. `status` is left
 * out when editing (moderators may have started or ended the meeting meanwhile): a new row gets
 * 'scheduled', and cancelling or restoring is its own update.
 */
export type TMeetingWrite = Omit<TMeeting, 'revision' | 'revised_at' | 'created_at' | 'status'> & {
	status?: TMeeting['status'];
};
export type TAgendaWrite = TAgendaItem;

export interface TTopicRow {
	id: string;
	name: TLocalized;
	position: number;
	/** goals: their area; measures: their goal. */
	parent_id: string | null;
}

/** The shared client (same session), typed with the generated schema (`$lib/supabase/types`). */
export type TMeetingsClient = TClient;

export async function meetingsClient(): Promise<TMeetingsClient> {
	return getSupabase();
}

/** `retryable`: the request may not have arrived (no answer from the server); send it again. */
export type TResult<T> =
	{ ok: true; value: T } | { ok: false; message: string; retryable: boolean };

async function attempt<T>(
	query: PromiseLike<{ data: T | null; error: { message: string; code?: string } | null }>
): Promise<TResult<T>> {
	try {
		const { data, error } = await query;
		// PostgREST answers a refusal with a code; a failed fetch has none.
		if (error) return { ok: false, message: error.message, retryable: !error.code };
		if (data === null) return { ok: false, message: 'no row was returned', retryable: false };
		return { ok: true, value: data };
	} catch (err) {
		return {
			ok: false,
			message: err instanceof Error ? err.message : String(err),
			retryable: true
		};
	}
}

/** The message a form shows for a failed save. */
export const failureKey = (r: { retryable: boolean }) => (r.retryable ? 'err_network' : 'err_db');

async function rows<T>(
	query: PromiseLike<{ data: T[] | null; error: { message: string } | null }>
): Promise<T[]> {
	const { data, error } = await query;
	if (error) throw new Error(error.message);
	return data ?? [];
}

export interface TTopics {
	areas: TTopicRow[];
	goals: TTopicRow[];
	measures: TTopicRow[];
}

/** Goal areas, goals and measures (names), for the meeting and agenda forms. */
export async function loadTopics(db: TMeetingsClient): Promise<TTopics> {
	const [areas, goals, measures] = await Promise.all([
		rows(db.from('goal_areas').select('id, key, name, position').order('position')),
		rows(db.from('goals').select('id, goal_area_id, title, position').order('position')),
		rows(db.from('measures').select('id, goal_id, name, position').order('position'))
	]);
	return {
		areas: areas.map((a) => ({ id: a.id, name: a.name, position: a.position, parent_id: null })),
		goals: goals.map((g) => ({
			id: g.id,
			name: g.title,
			position: g.position,
			parent_id: g.goal_area_id
		})),
		measures: measures.map((m) => ({
			id: m.id,
			name: m.name,
			position: m.position,
			parent_id: m.goal_id
		}))
	};
}

export const loadMeetings = (db: TMeetingsClient) =>
	rows(db.from('meetings').select(MEETING_COLUMNS).order('starts_at'));

export async function loadMeetingWithAgenda(
	db: TMeetingsClient,
	id: string
): Promise<{ meeting: TMeeting | null; agenda: TAgendaItem[]; comments: number }> {
	const [meetings, agenda, count] = await Promise.all([
		rows(db.from('meetings').select(MEETING_COLUMNS).eq('id', id)),
		rows(db.from('agenda_items').select(AGENDA_COLUMNS).eq('meeting_id', id).order('position')),
		db.from('comments').select('id', { count: 'exact', head: true }).eq('meeting_id', id)
	]);
	if (count.error) throw new Error(count.error.message);
	return { meeting: meetings[0] ?? null, agenda, comments: count.count ?? 0 };
}

export const saveMeeting = (db: TMeetingsClient, row: TMeetingWrite) =>
	attempt<TMeeting>(
		db.from('meetings').upsert(row, { onConflict: 'id' }).select(MEETING_COLUMNS).single()
	);

/** Cancel (comments close too) or restore a meeting. */
export const setMeetingStatus = (
	db: TMeetingsClient,
	id: string,
	status: 'cancelled' | 'scheduled'
) =>
	attempt<TMeeting>(
		db
			.from('meetings')
			.update(status === 'cancelled' ? { status, comments_open: false } : { status })
			.eq('id', id)
			.select(MEETING_COLUMNS)
			.single()
	);

/** A whole schedule in one request: all rows are stored, or none. */
export const saveMeetings = (db: TMeetingsClient, list: TMeetingWrite[]) =>
	attempt<TMeeting[]>(
		db.from('meetings').upsert(list, { onConflict: 'id' }).select(MEETING_COLUMNS)
	);

/** Agenda items of one meeting in one request (new order, edits and additions together). */
export const saveAgenda = (db: TMeetingsClient, items: TAgendaWrite[]) =>
	attempt<TAgendaItem[]>(
		db.from('agenda_items').upsert(items, { onConflict: 'id' }).select(AGENDA_COLUMNS)
	);

export async function deleteAgendaItem(db: TMeetingsClient, id: string): Promise<TResult<null>> {
	try {
		const { error } = await db.from('agenda_items').delete().eq('id', id);
		return error
			? { ok: false, message: error.message, retryable: !error.code }
			: { ok: true, value: null };
	} catch (err) {
		return {
			ok: false,
			message: err instanceof Error ? err.message : String(err),
			retryable: true
		};
	}
}

/** Delete a meeting that has no comments (the database refuses otherwise: cancel it instead). */
export async function deleteMeeting(db: TMeetingsClient, id: string): Promise<TResult<null>> {
	try {
		const { error } = await db.from('meetings').delete().eq('id', id);
		return error
			? { ok: false, message: error.message, retryable: !error.code }
			: { ok: true, value: null };
	} catch (err) {
		return {
			ok: false,
			message: err instanceof Error ? err.message : String(err),
			retryable: true
		};
	}
}

export async function loadRecord(db: TMeetingsClient, meetingId: string): Promise<TCommentRecord> {
	const { data, error } = await db.rpc('meeting_comment_record', { p_meeting_id: meetingId });
	if (error) throw new Error(error.message);
	return data;
}
