/**
 * Staff reads and writes. Writes go straight to the tables through RLS with supabase-js; each is
 * an upsert by a client-generated UUID, so a retried save (double click, flaky network) stores
 * the row once. Database errors are returned as their message so forms can show them verbatim.
 */
import type { TQuestionScores, TSample, TScorecard } from '$domain/scorecard';
import { importSurveyFromRows, type TImportSurvey } from '$lib/import/definition';
import type {
	TAreaRow,
	TFrameworkRows,
	TGoalRow,
	TMeasureRow,
	TNarrativeRow,
	TTargetRow,
	TValueRow
} from './scorecard-build';
import { type TQuestionRow, type TStaffClient, type TSurveyRow, type TWaveRow } from './db';

export interface TStaffFramework extends TFrameworkRows {
	questions: TQuestionRow[];
	waves: TWaveRow[];
}

async function rows<T>(
	query: PromiseLike<{ data: T[] | null; error: { message: string } | null }>
): Promise<T[]> {
	const { data, error } = await query;
	if (error) throw new Error(error.message);
	return data ?? [];
}

/** Every survey wave, newest first. */
const waveRows = (db: TStaffClient) =>
	rows(
		db
			.from('survey_waves')
			.select(
				'id, survey_id, label, period, mode, results_published, opens_at, closes_at, open_limit_per_hour'
			)
			.order('opens_at', { ascending: false })
	);

export type TSurveyName = Pick<TSurveyRow, 'id' | 'slug' | 'title'>;

/** Every survey wave (newest first) and the surveys they belong to. */
export async function loadWaves(
	db: TStaffClient
): Promise<{ waves: TWaveRow[]; surveys: TSurveyName[] }> {
	const [waves, surveys] = await Promise.all([
		waveRows(db),
		rows(db.from('surveys').select('id, slug, title').order('slug'))
	]);
	return { waves, surveys };
}

export async function loadFramework(db: TStaffClient): Promise<TStaffFramework> {
	const [areas, goals, measures, targets, values, narratives, questions, waves] = await Promise.all(
		[
			rows(db.from('goal_areas').select('*').order('position')),
			rows(db.from('goals').select('*').order('position')),
			rows(db.from('measures').select('*').order('position')),
			rows(db.from('targets').select('*')),
			rows(db.from('measure_values').select('*')),
			rows(db.from('narratives').select('*')),
			rows(
				db
					.from('questions')
					.select('id, survey_id, key, position, kind, prompt, options, service_category')
					// The current version's questions (an answered wave's revised rows stay behind).
					.is('last_version', null)
					.order('position')
			),
			waveRows(db)
		]
	);
	const questionKeys = Object.fromEntries(questions.map((q) => [q.id, q.key]));
	return { areas, goals, measures, targets, values, narratives, questions, waves, questionKeys };
}

/** The staff scorecard (`staff_scorecard`), optionally for one council district. */
export async function loadStaffScorecard(
	db: TStaffClient,
	period: string | null,
	district: string | null = null
): Promise<TScorecard> {
	const { data, error } = await db.rpc('staff_scorecard', {
		p_period: period,
		p_district: district
	});
	if (error) throw new Error(error.message);
	return data;
}

export async function questionScores(
	db: TStaffClient,
	waveId: string,
	district: string | null,
	sample?: TSample
): Promise<TQuestionScores> {
	const { data, error } = await db.rpc('question_scores', {
		p_wave_id: waveId,
		p_district: district,
		...(sample ? { p_sample: sample } : {})
	});
	if (error) throw new Error(error.message);
	return data;
}

/** Result of a save: the stored row, or the database's own error message. */
export type TSaveResult<T> = { ok: true; row: T } | { ok: false; message: string };

async function upsert<T>(
	query: PromiseLike<{ data: T | null; error: { message: string; details?: string } | null }>
): Promise<TSaveResult<NonNullable<T>>> {
	try {
		const { data, error } = await query;
		if (error) return { ok: false, message: error.message };
		if (!data) return { ok: false, message: 'no row was returned' };
		return { ok: true, row: data as NonNullable<T> };
	} catch (err) {
		return { ok: false, message: err instanceof Error ? err.message : String(err) };
	}
}

export const saveArea = (db: TStaffClient, row: TAreaRow) =>
	upsert<TAreaRow>(db.from('goal_areas').upsert(row, { onConflict: 'id' }).select().single());
export const saveGoal = (db: TStaffClient, row: TGoalRow) =>
	upsert<TGoalRow>(db.from('goals').upsert(row, { onConflict: 'id' }).select().single());
export const saveMeasure = (db: TStaffClient, row: TMeasureRow) =>
	upsert<TMeasureRow>(db.from('measures').upsert(row, { onConflict: 'id' }).select().single());
export const saveTarget = (db: TStaffClient, row: TTargetRow) =>
	upsert<TTargetRow>(db.from('targets').upsert(row, { onConflict: 'id' }).select().single());
export const saveValue = (db: TStaffClient, row: TValueRow) =>
	upsert<TValueRow>(db.from('measure_values').upsert(row, { onConflict: 'id' }).select().single());
export const saveNarrative = (
	db: TStaffClient,
	row: TNarrativeRow & { author_id: string | null }
) =>
	upsert<TNarrativeRow>(db.from('narratives').upsert(row, { onConflict: 'id' }).select().single());

export const saveWave = (db: TStaffClient, row: TWaveRow) =>
	upsert<TWaveRow>(db.from('survey_waves').upsert(row, { onConflict: 'id' }).select().single());

/** Bulk upserts by id (CSV import): one request per table, all rows or none. */
export async function saveMany(
	db: TStaffClient,
	rows: { targets: TTargetRow[]; values: TValueRow[] }
): Promise<{ ok: true } | { ok: false; message: string }> {
	if (rows.targets.length) {
		const { error } = await db.from('targets').upsert(rows.targets, { onConflict: 'id' });
		if (error) return { ok: false, message: error.message };
	}
	if (rows.values.length) {
		const { error } = await db.from('measure_values').upsert(rows.values, { onConflict: 'id' });
		if (error) return { ok: false, message: error.message };
	}
	return { ok: true };
}

/**
 * Client-made ids for rows that are unique per (subject, period): targets, values, narratives.
 * The id of a row is, in order: the stored row's (editing "the 2026-Q3 target" updates that
 * row), the id this form already saved for that subject and period (the list may not be
 * reloaded yet when the user saves again), else one fresh UUID — kept until a save succeeds, so
 * a retried save after a network failure upserts the same row instead of adding another.
 */
export class PeriodRowIds {
	#saved = new Map<string, string>();
	#fresh: string;
	readonly #uuid: () => string;

	constructor(uuid: () => string = () => crypto.randomUUID()) {
		this.#uuid = uuid;
		this.#fresh = uuid();
	}

	idFor<T extends { id: string; period: string }>(
		existing: readonly T[],
		match: (row: T) => boolean,
		subjectId: string,
		period: string
	): string {
		return (
			existing.find((r) => match(r) && r.period === period)?.id ??
			this.#saved.get(`${subjectId}|${period}`) ??
			this.#fresh
		);
	}

	/** After a successful save: later saves of the same subject and period reuse `id`. */
	remember(subjectId: string, period: string, id: string): void {
		this.#saved.set(`${subjectId}|${period}`, id);
		if (id === this.#fresh) this.#fresh = this.#uuid();
	}
}

/**
 * A survey's definition for the import planner, read from the tables (staff can read every
 * wave, while `get_survey` only serves the open one), with all its waves for wave matching.
 */
export async function loadSurveyForImport(
	db: TStaffClient,
	slug: string
): Promise<TImportSurvey | null> {
	const { data: survey, error } = await db
		.from('surveys')
		.select('*')
		.eq('slug', slug)
		.maybeSingle();
	if (error) throw new Error(error.message);
	if (!survey) return null;
	const [questions, waves] = await Promise.all([
		rows(db.from('questions').select('*').eq('survey_id', survey.id).order('position')),
		rows(db.from('survey_waves').select('*').eq('survey_id', survey.id))
	]);
	// The same conversion as the CLI's (`$lib/import/definition`): every wave, open or closed.
	return importSurveyFromRows(survey, questions, waves);
}

/** Every response and answer of a wave (paged: PostgREST caps a response at max-rows). */
export async function loadWaveMicrodata(db: TStaffClient, waveId: string) {
	const page = 1000;
	const responses: { id: string; district: string | null; weight: number | string }[] = [];
	for (let from = 0; ; from += page) {
		const batch = await rows(
			db
				.from('responses')
				.select('id, district, weight')
				.eq('wave_id', waveId)
				.order('id')
				.range(from, from + page - 1)
		);
		responses.push(...batch);
		if (batch.length < page) break;
	}
	const answers: {
		response_id: string;
		question_id: string;
		numeric_value: number | string | null;
		choice_value: string | null;
		choice_values: string[] | null;
		text_value: string | null;
	}[] = [];
	for (let from = 0; ; from += page) {
		const batch = await rows(
			db
				.from('answers')
				.select('response_id, question_id, numeric_value, choice_value, choice_values, text_value')
				.eq('wave_id', waveId)
				.order('response_id')
				.order('question_id')
				.range(from, from + page - 1)
		);
		answers.push(...batch);
		if (batch.length < page) break;
	}
	return { responses, answers };
}
