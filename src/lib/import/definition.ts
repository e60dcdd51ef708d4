import type { SupabaseClient } from '@supabase/supabase-js';
import type { TLanguage, TLocalized, TQuestion, TSurveyDefinition, TWave } from '../domain/survey';
import type { Database } from '../supabase/types';

/**
 * The survey definition an import is checked against, read the staff way: straight from the
 * `surveys`, `questions` and `survey_waves` tables (RLS lets the service role and staff read
 * every wave), not from `get_survey`, which answers only while a wave is open. Historical
 * imports go into closed waves, so a survey whose waves are all closed must still load.
 * Used by the CLI (`loadImportSurvey`) and by the staff page (`loadSurveyForImport` in
 * `$lib/staff/staff-data`, over the same rows).
 */
export interface TImportSurvey {
	/** `wave` = the survey's latest wave (by opens_at), with the questions of its version. */
	definition: TSurveyDefinition;
	/** Every wave of the survey, newest first. */
	waves: TWave[];
	/**
	 * The questions of each wave's survey version, by wave id: a question edited after a wave was
	 * answered has a row per version under one key (20261206000125_create_survey_versions), and
	 * an import into a past wave is checked against the questions that wave fielded.
	 */
	questionsByWave: Record<string, TQuestion[]>;
}

/** The columns the import reads (a subset of the table rows). */
export interface TImportSurveyRow {
	id: string;
	slug: string;
	title: TLocalized;
	intro: TLocalized;
	languages: TLanguage[];
}
export interface TImportWaveRow {
	id: string;
	label: string;
	period: string;
	mode: TWave['mode'];
	opens_at: string;
	closes_at: string | null;
	/** The survey version the wave fields (absent: 1). */
	survey_version?: number;
}
export interface TImportQuestionRow {
	id: string;
	key: string;
	position: number;
	kind: string;
	prompt: TLocalized;
	help?: TLocalized | null;
	required?: boolean | null;
	options: TQuestion['options'];
	min?: number | string | null;
	max?: number | string | null;
	max_length?: number | null;
	show_if?: unknown;
	service_category: string | null;
	/** The versions that hold this row (absent: every version). */
	first_version?: number;
	last_version?: number | null;
}

/** Builds the import's definition from table rows; null when the survey has no wave at all. */
export function importSurveyFromRows(
	survey: TImportSurveyRow,
	questions: TImportQuestionRow[],
	waveRows: TImportWaveRow[]
): TImportSurvey | null {
	const ordered = [...waveRows].sort((a, b) => Date.parse(b.opens_at) - Date.parse(a.opens_at));
	const waves = ordered.map((w): TWave => ({
		id: w.id,
		label: w.label,
		period: w.period,
		mode: w.mode,
		opens_at: w.opens_at,
		closes_at: w.closes_at
	}));
	if (waves.length === 0) return null;
	const num = (v: number | string | null | undefined) =>
		v === null || v === undefined ? null : Number(v);
	const toQuestion = (q: TImportQuestionRow): TQuestion => ({
		id: q.id,
		key: q.key,
		section: '',
		position: q.position,
		kind: q.kind as TQuestion['kind'],
		prompt: q.prompt,
		help: q.help ?? null,
		required: q.required ?? false,
		options: q.options,
		min: num(q.min),
		max: num(q.max),
		max_length: q.max_length ?? null,
		show_if: (q.show_if ?? null) as TQuestion['show_if'],
		service_category: q.service_category
	});
	const sorted = [...questions].sort((a, b) => a.position - b.position);
	/** The rows version `v` holds (the database's private.in_version). */
	const ofVersion = (v: number) =>
		sorted
			.filter((q) => (q.first_version ?? 1) <= v && (q.last_version ?? Infinity) >= v)
			.map(toQuestion);
	const byVersion = new Map<number, TQuestion[]>();
	const questionsByWave: Record<string, TQuestion[]> = {};
	for (const w of ordered) {
		const v = w.survey_version ?? 1;
		if (!byVersion.has(v)) byVersion.set(v, ofVersion(v));
		questionsByWave[w.id] = byVersion.get(v)!;
	}
	return {
		definition: {
			survey: {
				id: survey.id,
				slug: survey.slug,
				title: survey.title,
				intro: survey.intro,
				languages: survey.languages
			},
			wave: waves[0],
			sections: [],
			questions: questionsByWave[waves[0].id]
		},
		waves,
		questionsByWave
	};
}

/**
 * Loads a survey for an import by slug, through PostgREST with the caller's rights (service
 * role key, or a staff session). Throws with a clear message when the survey is unknown, has
 * no wave, or cannot be read.
 */
export async function loadImportSurvey(
	client: SupabaseClient<Database>,
	slug: string
): Promise<TImportSurvey> {
	const { data: survey, error } = await client
		.from('surveys')
		.select('id,slug,title,intro,languages')
		.eq('slug', slug)
		.maybeSingle();
	if (error) throw new Error(`cannot read survey "${slug}": ${error.message}`);
	if (!survey) {
		throw new Error(
			`survey "${slug}" was not found (or this key may not read it: use the service role key or an admin/analyst account)`
		);
	}
	const s: TImportSurveyRow = survey;
	const [questions, waves] = await Promise.all([
		client.from('questions').select('*').eq('survey_id', s.id),
		client
			.from('survey_waves')
			.select('id,label,period,mode,opens_at,closes_at,survey_version')
			.eq('survey_id', s.id)
	]);
	if (questions.error)
		throw new Error(`cannot read the questions of "${slug}": ${questions.error.message}`);
	if (waves.error) throw new Error(`cannot read the waves of "${slug}": ${waves.error.message}`);
	const result = importSurveyFromRows(s, questions.data ?? [], waves.data ?? []);
	if (!result)
		throw new Error(`survey "${slug}" has no wave to import into: create the wave first`);
	return result;
}
