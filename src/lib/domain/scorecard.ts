/**
 * The results contract shared by the database (`question_scores`, `public_scorecard`,
 * `staff_scorecard`, `import_responses` in supabase/migrations) and the clients (thank-you
 * screen, /scorecard, /staff). Pure types: no Svelte, no Supabase. Keys are the database's.
 *
 * Proportions are fractions 0..1 (0.135 = 13.5 %), margins too. Figures a viewer may not see
 * (small cells in public views) are absent and flagged `suppressed`, never zero-filled.
 */
import type { TLocalized, TQuestionKind, TAnswerValue, TLanguage } from './survey';

export type TBand = 'very_high' | 'high' | 'medium';
export type TTargetStatus = 'met' | 'not_met' | 'within_margin' | 'no_target' | 'no_data';

/** Change from the previous wave of the same survey (two-proportion z-test at 95 %). */
export interface TChange {
	wave_id: string;
	label: string;
	percent_satisfied: number;
	n_valid: number;
	delta: number; // this − previous, in proportion points
	z: number;
	p_value: number;
	significant: boolean;
}

/** One question's score in one wave (optionally one council district). */
export interface TQuestionScore {
	question_id: string;
	key: string;
	kind: TQuestionKind;
	prompt: TLocalized;
	service_category: string | null;
	n_valid: number; // answers 1..5 (weighted responses still count 1 here)
	n_dont_know: number;
	n_effective: number | null; // Kish effective n when weights differ, else = n_valid
	percent_satisfied: number | null; // (4,5)/(1..5); null when n_valid = 0 or suppressed
	mean: number | null; // 1..5
	margin: number | null; // 1.96·√(p(1−p)/n_eff)
	importance: number | null; // share of ALL respondents naming it in their top 3 (service items)
	is_rating: number | null; // importance × (1 − satisfaction)
	is_band: TBand | null;
	suppressed: boolean; // public view, n_valid < 30
	warning: 'small_sample' | null; // n_valid < 100
	change: TChange | null; // vs the previous wave, when both are visible
}

/** What `question_scores(p_wave_id uuid, p_district text default null)` returns. */
export interface TQuestionScores {
	wave: { id: string; label: string; period: string; results_published: boolean };
	district: string | null;
	respondents: number; // responses in the wave (and district)
	survey_margin: number | null; // conservative 1.96·√(0.25/n)
	questions: TQuestionScore[];
	/** Mean importance and mean satisfaction over service items: the I-S matrix split lines. */
	matrix: { mean_importance: number | null; mean_satisfaction: number | null };
}

export interface TTrendPoint {
	period: string;
	value: number | null;
	margin: number | null;
	n: number | null;
	target: number | null;
}

export interface TScorecardMeasure {
	id: string;
	key: string;
	name: TLocalized;
	description: TLocalized | null;
	unit: string; // 'percent' values are proportions 0..1 for survey measures
	direction: 'higher' | 'lower';
	kind: 'survey' | 'operational';
	question_key: string | null;
	period: string | null; // period of the latest value shown
	value: number | null;
	margin: number | null;
	n: number | null;
	target: number | null;
	target_period: string | null;
	status: TTargetStatus;
	trend: TTrendPoint[]; // oldest first
	narrative: TLocalized | null;
	published: boolean; // always true in public_scorecard
}

export interface TScorecardGoal {
	id: string;
	key: string;
	title: TLocalized;
	description: TLocalized | null;
	narrative: TLocalized | null;
	measures: TScorecardMeasure[];
}

export interface TScorecardArea {
	id: string;
	key: string;
	name: TLocalized;
	description: TLocalized | null;
	goals: TScorecardGoal[];
}

/** What `public_scorecard(p_period text default null)` and `staff_scorecard(p_period)` return. */
export interface TScorecard {
	period: string | null; // null = latest available per measure
	generated_at: string;
	goal_areas: TScorecardArea[];
}

/**
 * One row of `import_responses(p_rows jsonb)` (service role or admin/analyst staff): historical
 * microdata. Idempotent by `id` (derived deterministically from wave + source row id).
 */
export interface TImportRow {
	id: string;
	wave_id: string;
	language: TLanguage;
	submitted_at: string | null;
	source: 'import' | 'paper';
	external_id: string;
	weight: number;
	district: string | null;
	answers: Record<string, TAnswerValue>;
}
