/**
 * The staff area's typed view of the shared Supabase client: the goal-framework tables staff
 * write through RLS, the survey tables they read, and the scoring RPCs. Column names are the
 * database's (supabase/migrations); when generated types land in `$lib/supabase`, this file
 * should shrink to aliases of them.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { TQuestionScores, TSample, TScorecard } from '$domain/scorecard';
import type { TLocalized } from '$domain/survey';
import type { TImportCommitResult, TImportVerdict } from '$lib/import/apply';
import type { TImportResponse } from '$lib/import/plan';
import { getSupabase } from '$lib/supabase/client';
import type {
	TAreaRow,
	TGoalRow,
	TMeasureRow,
	TNarrativeRow,
	TTargetRow,
	TValueRow
} from './scorecard-build';

// Mapped (not interface) types: supabase-js requires rows assignable to Record<string, unknown>.
type Plain<T> = { [K in keyof T]: T[K] };
type Table<Row, Required extends keyof Row = never> = {
	Row: Plain<Row>;
	Insert: Plain<Partial<Row> & Pick<Row, Required>>;
	Update: Plain<Partial<Row>>;
	Relationships: [];
};

export interface TStaffRow {
	user_id: string;
	role: 'admin' | 'analyst' | 'moderator';
	display_name: string | null;
}
export interface TWaveRow {
	id: string;
	survey_id: string;
	label: string;
	period: string;
	mode: 'invited' | 'open' | 'both';
	results_published: boolean;
	opens_at: string;
	closes_at: string | null;
	/** Open-link responses per client network per rolling hour; null = no limit. */
	open_limit_per_hour: number | null;
}
export interface TSurveyRow {
	id: string;
	slug: string;
	title: TLocalized;
	intro: TLocalized;
	languages: ('en' | 'es')[];
}
export interface TQuestionRow {
	id: string;
	survey_id: string;
	key: string;
	position: number;
	kind: string;
	prompt: TLocalized;
	options: { key: string; label: TLocalized }[] | null;
	service_category: string | null;
	required?: boolean;
	min?: number | null;
	max?: number | null;
	max_length?: number | null;
	show_if?: unknown;
	help?: TLocalized | null;
	/** Survey versions this row belongs to (`first_version`..`last_version`, null = current). */
	first_version?: number;
	last_version?: number | null;
}

export interface TStaffDatabase {
	public: {
		Tables: {
			staff: Table<TStaffRow, 'user_id' | 'role'>;
			goal_areas: Table<TAreaRow, 'id' | 'key' | 'name'>;
			goals: Table<TGoalRow, 'id' | 'goal_area_id' | 'key' | 'title'>;
			measures: Table<
				TMeasureRow,
				'id' | 'goal_id' | 'key' | 'name' | 'unit' | 'direction' | 'kind'
			>;
			targets: Table<TTargetRow, 'id' | 'measure_id' | 'period' | 'value'>;
			measure_values: Table<TValueRow, 'id' | 'measure_id' | 'period' | 'value'>;
			narratives: Table<TNarrativeRow & { author_id: string | null }, 'id' | 'period' | 'body'>;
			survey_waves: Table<TWaveRow, 'id'>;
			surveys: Table<TSurveyRow, 'id'>;
			responses: Table<
				{ id: string; wave_id: string; district: string | null; weight: number | string },
				'id'
			>;
			answers: Table<
				{
					response_id: string;
					wave_id: string;
					question_id: string;
					numeric_value: number | string | null;
					choice_value: string | null;
					choice_values: string[] | null;
					text_value: string | null;
				},
				'response_id'
			>;
			questions: Table<TQuestionRow, 'id'>;
			invitations: Table<
				{ id: string; wave_id: string; batch: string | null; used_at: string | null },
				'id'
			>;
		};
		Views: Record<never, never>;
		Functions: {
			staff_scorecard: {
				Args: { p_period: string | null; p_district?: string | null };
				Returns: TScorecard;
			};
			public_scorecard: {
				Args: { p_period: string | null; p_district?: string | null };
				Returns: TScorecard;
			};
			question_scores: {
				Args: { p_wave_id: string; p_district: string | null; p_sample?: TSample | null };
				Returns: TQuestionScores;
			};
			import_check: { Args: { p_rows: TImportResponse[] }; Returns: TImportVerdict[] };
			import_stage: {
				Args: { p_import_id: string; p_wave_id: string; p_rows: TImportResponse[] };
				Returns: TImportVerdict[];
			};
			import_commit: {
				Args: {
					p_import_id: string;
					p_expected_rows: number;
					p_replace: boolean;
					p_allow_row_errors: boolean;
				};
				Returns: TImportCommitResult;
			};
			import_discard: { Args: { p_import_id: string }; Returns: boolean };
			create_invitations: {
				Args: {
					p_wave_id: string;
					p_count: number;
					p_batch: string | null;
					p_request_id: string;
				};
				Returns: { code: string }[];
			};
		};
		Enums: Record<never, never>;
		CompositeTypes: Record<never, never>;
	};
}

export type TStaffClient = SupabaseClient<TStaffDatabase>;

/**
 * The shared client (one auth session for the whole app) seen through the staff schema types.
 * Same object, same session: only the compile-time view differs.
 */
export async function staffClient(): Promise<TStaffClient> {
	return (await getSupabase()) as unknown as TStaffClient;
}
