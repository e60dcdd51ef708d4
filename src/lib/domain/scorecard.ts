/**
 * The results contract shared by the database (`question_scores`, `public_scorecard`,
 * `staff_scorecard` in supabase/migrations) and the clients (thank-you
 * screen, /scorecard, /staff). Pure types: no Svelte, no Supabase. Keys are the database's.
 *
 * ONE UNIT FOR EVERY PROPORTION. Every proportion is a fraction from 0 to 1, everywhere it is
 * stored, returned or passed around: % satisfied, importance, margins of error, and every
 * figure of a measure whose unit is `percent` (values, margins, targets, imported history,
 * operational actuals). 76 % is 0.76; a margin of 2.9 points is 0.029. The database enforces it
 * (`targets.unit` / `measure_values.unit` follow the measure, and a CHECK keeps percent figures
 * in 0..1). Points ("76 %") exist only at the edges where people read or type: the formatters
 * in `$lib/staff/format` and the staff forms and CSV imports, which convert on the way in.
 *
 * Figures a viewer may not see (small cells in public views) are absent and flagged
 * `suppressed`, never zero-filled. Scorecard figures are published figures: rounded to the
 * precision shown (percent to 0.1 point, other units to 2 decimals; `publishedFigure` in
 * `$lib/scoring`), and the status is decided on exactly those numbers.
 */
import type { TLocalized, TQuestionKind } from './survey';

export type TBand = 'very_high' | 'high' | 'medium';
/**
 * met / not_met / within_margin: the published value against its target (DESIGN §6).
 * no_target, no_data: nothing to compare. too_few: fewer than 30 people, too few to judge
 * (staff only; the public never sees such a figure).
 */
export type TTargetStatus =
	'met' | 'not_met' | 'within_margin' | 'no_target' | 'no_data' | 'too_few';

/** The sample a survey figure comes from; invited (random) and open-link are never pooled. */
export type TSample = 'invited' | 'open';

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
	change: TChange | null; // vs the previous closed wave of the same sample, when both are visible
	/** The survey measure this question is the scale of (the first visible one), if any. */
	measure: TQuestionMeasure | null;
}

/** A question's survey measure, its target for the wave's period and the published status. */
export interface TQuestionMeasure {
	key: string;
	goal_key: string;
	direction: 'higher' | 'lower';
	target: number | null; // published figure (proportion 0..1)
	target_period: string | null;
	/** Status of the published % satisfied against the target; null while the wave is open. */
	status: TTargetStatus | null;
}

/**
 * What `question_scores(p_wave_id uuid, p_district text default null, p_sample text default
 * null)` returns. One sample only: the wave's own (invited for a wave of mode `both`), or the
 * one asked for.
 */
export interface TQuestionScores {
	wave: {
		id: string;
		label: string;
		period: string;
		mode: 'invited' | 'open' | 'both';
		results_published: boolean;
		/** Not closed yet: a running tally, never judged (no status, no change test). */
		in_progress: boolean;
	};
	district: string | null;
	sample: TSample;
	samples: TSample[]; // the samples this wave takes
	respondents: number; // responses in the wave (and district)
	survey_margin: number | null; // conservative 1.96·√(0.25/n)
	questions: TQuestionScore[];
	/** Mean importance and mean satisfaction over service items: the I-S matrix split lines. */
	matrix: { mean_importance: number | null; mean_satisfaction: number | null };
}

/** One closed period of a measure, as published: value, margin and target rounded. */
export interface TTrendPoint {
	period: string;
	value: number | null;
	margin: number | null;
	n: number | null;
	target: number | null;
	status: TTargetStatus;
	sample: TSample | null; // survey wave points; null for stored values
}

/** The running tally of a wave that has not closed (staff only): never a result. */
export interface TInProgress {
	period: string;
	label: string;
	n: number;
}

export interface TScorecardMeasure {
	id: string;
	key: string;
	name: TLocalized;
	description: TLocalized | null;
	unit: string; // 'percent': value, margin and target are proportions 0..1
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
	warning: 'small_sample' | null; // 30 ≤ n < 100
	in_progress: TInProgress | null; // staff only
	trend: TTrendPoint[]; // closed periods, oldest first
	narrative: TLocalized | null; // only the narrative of `period` (the value's own period)
	narrative_period: string | null;
	published: boolean; // always true in public_scorecard
}

export interface TScorecardGoal {
	id: string;
	key: string;
	title: TLocalized;
	description: TLocalized | null;
	narrative: TLocalized | null;
	narrative_period: string | null;
	measures: TScorecardMeasure[];
}

export interface TScorecardArea {
	id: string;
	key: string;
	name: TLocalized;
	description: TLocalized | null;
	goals: TScorecardGoal[];
}

/**
 * What `public_scorecard(p_period text default null, p_district text default null)` and
 * `staff_scorecard(p_period, p_district)` return.
 */
export interface TScorecard {
	period: string | null; // null = latest available per measure
	district: string | null; // survey measures only; stored values have no district breakdown
	generated_at: string;
	goal_areas: TScorecardArea[];
}
