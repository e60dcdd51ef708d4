/**
 * The survey contract shared by the database (`get_survey`, `submit_responses` in
 * supabase/migrations) and every client. Pure types and tiny helpers: no Svelte, no Supabase.
 *
 * The database re-checks everything a client sends; these types only describe the shapes.
 * Column and key names are the database's, end to end (no mapping layer).
 */

/** Languages every user-visible string and all survey content exist in. */
export const LANGUAGES = ['en', 'es'] as const;
export type TLanguage = (typeof LANGUAGES)[number];

/** A string in every language, e.g. `{ en: 'Streets', es: 'Calles' }`. */
export type TLocalized = Record<TLanguage, string>;

export const QUESTION_KINDS = [
	'satisfaction5', // 5 very satisfied … 1 very dissatisfied, 9 don't know
	'rating5', // 5 excellent … 1 poor, 9 don't know
	'importance_top3', // up to three distinct, ranked option keys (the service list)
	'single', // one option key
	'multi', // several distinct option keys
	'text', // free text, 1..max_length characters
	'number', // a number within [min, max]
	'district', // one option key: a council district
	'zip' // a 5-digit US ZIP code
] as const;
export type TQuestionKind = (typeof QUESTION_KINDS)[number];

/** "Don't know" on satisfaction5 / rating5 items (ETC Institute coding). */
export const DONT_KNOW = 9;

export interface TOption {
	key: string;
	label: TLocalized;
}

/**
 * Skip logic: the question is shown only when the condition holds for the answer already given
 * to `question` (a question key that comes earlier in the survey).
 * - `eq` / `neq`: the answer equals / differs from `value` (a missing answer is never `eq`).
 * - `in`: the answer (or, for multi / importance_top3, any of its keys) is one of `value`.
 * - `answered`: the question has any answer.
 * - `gte` / `lte`: numeric answer compared with `value`.
 */
export interface TShowIf {
	question: string;
	op: 'eq' | 'neq' | 'in' | 'answered' | 'gte' | 'lte';
	value?: string | number | (string | number)[];
}

export interface TQuestion {
	id: string;
	key: string; // stable across waves, e.g. 'q3_01'
	section: string; // section key
	position: number; // order within the whole survey
	kind: TQuestionKind;
	prompt: TLocalized;
	help: TLocalized | null;
	required: boolean;
	options: TOption[] | null; // single, multi, district, importance_top3
	min: number | null; // number
	max: number | null; // number
	max_length: number | null; // text
	show_if: TShowIf | null;
	service_category: string | null; // links a satisfaction item to the goal framework
}

export interface TSection {
	key: string;
	position: number;
	title: TLocalized;
	description: TLocalized | null;
}

export interface TWave {
	id: string;
	label: string;
	period: string; // e.g. '2026' or '2026-Q3'
	mode: 'invited' | 'open' | 'both';
	opens_at: string;
	closes_at: string | null;
	/** The version of the survey this wave fields (get_survey sends it; older caches lack it). */
	survey_version?: number;
}

/** What `get_survey(p_slug)` returns: the open wave's definition, in all languages. */
export interface TSurveyDefinition {
	survey: {
		id: string;
		slug: string;
		title: TLocalized;
		intro: TLocalized;
		languages: TLanguage[];
	};
	wave: TWave;
	sections: TSection[];
	questions: TQuestion[];
}

/**
 * One answer value per question kind:
 * satisfaction5 / rating5: 1..5 or 9 · importance_top3: 1..3 distinct option keys, ranked ·
 * single / district: an option key · multi: distinct option keys · text: string ·
 * number: number · zip: 5-digit string.
 */
export type TAnswerValue = number | string | string[];

/** One item of the `submit_responses(p_responses jsonb)` array. `id` is made by the client. */
export interface TResponseSubmission {
	id: string;
	wave_id: string;
	language: TLanguage;
	submitted_at: string; // client clock, ISO 8601; the server also records received_at
	invitation_code: string | null;
	answers: Record<string, TAnswerValue>; // keyed by question key; hidden/unanswered keys absent
}

export interface TFieldError {
	question: string; // question key, or '' for the response as a whole
	message: string;
}

/** One result per submitted item, in the same order. */
export interface TSubmitResult {
	id: string;
	status: 'accepted' | 'duplicate' | 'rejected';
	reason: string | null; // human-readable, English; null when accepted
	errors?: TFieldError[]; // per-question problems when rejected
}
