/**
 * The builder's database calls: `survey_editor` (everything about one survey, every version),
 * `save_survey` (a whole definition in one transaction, idempotent by the client's save id) and
 * scorecard links (a survey measure upserted by its client id, through RLS). Plus the pure
 * conversion of the editor state into the builder's model.
 */
import type { TQuestionScores } from '$domain/scorecard';
import type { TLanguage, TLocalized, TOption, TQuestionKind, TShowIf } from '$domain/survey';
import { getSupabase } from '$lib/supabase/client';
import type { TablesInsert } from '$lib/supabase/types';
import type { TBuilderQuestion, TBuilderSurvey } from './model';

export interface TEditorQuestion {
	id: string;
	survey_id: string;
	section_id: string;
	key: string;
	position: number;
	kind: TQuestionKind;
	prompt: TLocalized;
	help: TLocalized | null;
	required: boolean;
	options: TOption[] | null;
	min: number | string | null;
	max: number | string | null;
	max_length: number | null;
	show_if: TShowIf | null;
	service_category: string | null;
	first_version: number;
	last_version: number | null;
	revises_question_id: string | null;
	frozen: boolean;
}

export interface TEditorWave {
	id: string;
	label: string;
	period: string;
	mode: 'invited' | 'open' | 'both';
	opens_at: string;
	closes_at: string | null;
	results_published: boolean;
	survey_version: number;
	responses: number;
}

export interface TEditorMeasure {
	id: string;
	key: string;
	name: TLocalized;
	goal_id: string;
	question_id: string;
	published: boolean;
}

export interface TEditorState {
	survey: {
		id: string;
		slug: string;
		title: TLocalized;
		intro: TLocalized;
		languages: TLanguage[];
		version: number;
		revision: number;
	};
	sections: {
		id: string;
		key: string;
		position: number;
		title: TLocalized;
		description: TLocalized | null;
	}[];
	questions: TEditorQuestion[];
	waves: TEditorWave[];
	measures: TEditorMeasure[];
	goals: { id: string; key: string; title: TLocalized }[];
}

export interface TSaveResult {
	survey_id: string;
	version: number;
	revision: number;
	new_version: boolean;
	added: number;
	removed: number;
	changed: number;
	revised: { key: string; previous_id: string; id: string }[];
	waves_moved: string[];
	duplicate: boolean;
}

const client = getSupabase;

export type TSavePayload = {
	base_revision: number | null;
	survey: Omit<TBuilderSurvey, 'sections'>;
	sections: TBuilderSurvey['sections'];
};

export async function listSurveys() {
	const db = await client();
	const { data, error } = await db.from('surveys').select('id, slug, title, version').order('slug');
	if (error) throw new Error(error.message);
	return data ?? [];
}

export async function loadEditor(surveyId: string): Promise<TEditorState> {
	const db = await client();
	const { data, error } = await db.rpc('survey_editor', { p_survey_id: surveyId });
	if (error) throw new Error(error.message);
	return data as TEditorState;
}

/**
 * Stores the survey. `saveId` is made once per intended save and kept until it succeeds, so a
 * retry after a lost answer is recognised by the database and changes nothing twice.
 */
export async function saveSurvey(
	saveId: string,
	survey: TBuilderSurvey,
	baseRevision: number | null
): Promise<{ ok: true; result: TSaveResult } | { ok: false; message: string }> {
	try {
		const db = await client();
		const { sections, ...meta } = survey;
		const { data, error } = await db.rpc('save_survey', {
			p_save_id: saveId,
			p_definition: { base_revision: baseRevision, survey: meta, sections }
		});
		if (error) return { ok: false, message: error.message };
		return { ok: true, result: data as TSaveResult };
	} catch (err) {
		return { ok: false, message: err instanceof Error ? err.message : String(err) };
	}
}

/** Links a 5-point question to a goal: a survey measure (% satisfied), upserted by its id. */
export async function linkMeasure(row: TablesInsert<'measures'>) {
	const db = await client();
	const { error } = await db.from('measures').upsert(row, { onConflict: 'id' });
	return error ? { ok: false as const, message: error.message } : { ok: true as const };
}

/** Points an existing survey measure at another question row (the current revision). */
export async function relinkMeasure(measureId: string, questionId: string) {
	const db = await client();
	const { error } = await db
		.from('measures')
		.update({ question_id: questionId })
		.eq('id', measureId);
	return error ? { ok: false as const, message: error.message } : { ok: true as const };
}

export async function waveScores(waveId: string): Promise<TQuestionScores> {
	const db = await client();
	const { data, error } = await db.rpc('question_scores', { p_wave_id: waveId, p_district: null });
	if (error) throw new Error(error.message);
	return data as TQuestionScores;
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

/**
 * The current version as the builder's model: its pages in order, each with the questions the
 * current version holds (pages that hold only retired questions are left out: they belong to
 * earlier versions). Returns the keys of those hidden pages too, which new pages may not reuse.
 */
export function currentSurvey(state: TEditorState): {
	survey: TBuilderSurvey;
	hiddenSectionKeys: string[];
} {
	const current = state.questions.filter((q) => q.last_version === null);
	const bySection = new Map<string, TEditorQuestion[]>();
	for (const q of current) bySection.set(q.section_id, [...(bySection.get(q.section_id) ?? []), q]);
	const used = state.sections.filter(
		(s) => bySection.has(s.id) || !state.questions.some((q) => q.section_id === s.id)
	);
	return {
		survey: {
			id: state.survey.id,
			slug: state.survey.slug,
			title: state.survey.title,
			intro: state.survey.intro,
			languages: state.survey.languages,
			sections: used.map((s) => ({
				id: s.id,
				key: s.key,
				title: s.title,
				description: s.description,
				questions: (bySection.get(s.id) ?? [])
					.sort((a, b) => a.position - b.position || a.key.localeCompare(b.key))
					.map((q): TBuilderQuestion => ({
						id: q.id,
						key: q.key,
						kind: q.kind,
						prompt: q.prompt,
						help: q.help,
						required: q.required,
						options: q.options,
						min: num(q.min),
						max: num(q.max),
						max_length: q.max_length,
						show_if: q.show_if,
						service_category: q.service_category
					}))
			}))
		},
		hiddenSectionKeys: state.sections.filter((s) => !used.includes(s)).map((s) => s.key)
	};
}

/** The answered wave of the current version with the most responses, if any. */
export function answeredWave(state: TEditorState): TEditorWave | null {
	return (
		state.waves
			.filter((w) => w.survey_version === state.survey.version && w.responses > 0)
			.sort((a, b) => b.responses - a.responses)[0] ?? null
	);
}

/** A question's meaning as the database compares it (save_survey, private.question_meaning). */
export function meaningOf(q: TBuilderQuestion): string {
	return JSON.stringify([
		q.key,
		q.kind,
		[q.prompt.en, q.prompt.es],
		(q.options ?? []).map((o) => [o.key, o.label.en, o.label.es]),
		q.min,
		q.max,
		q.show_if ? [q.show_if.question, q.show_if.op, q.show_if.value ?? null] : null,
		q.service_category
	]);
}
