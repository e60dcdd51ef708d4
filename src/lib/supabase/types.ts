/**
 * `Database`: the type every supabase-js client in this repo is created with
 * (`createClient<Database>`).
 *
 * It is the generated schema (./database.types.ts — `npm run types`, never edited by hand;
 * `npm test` fails when it is stale) with one layer on top, kept here and nowhere else: what the
 * generator cannot know. PostgreSQL describes a jsonb column or a jsonb function result only as
 * `Json`, a text column limited by a check constraint only as `string`, and a function argument
 * with a default as optional but never null. Below, each such column and each RPC the app calls
 * through supabase-js is given its wire type from the domain module that owns it. This is the
 * one place those shapes are asserted; callers get typed rows and typed `rpc()` results and
 * need no casts.
 *
 * The layer is checked against the generated types: naming a table, column, function or argument
 * the schema does not have is a compile error, so a migration that renames one breaks
 * `npm run check` here instead of at run time.
 */
import type { TQuestionScores, TSample, TScorecard } from '$domain/scorecard';
import type {
	TLanguage,
	TLocalized,
	TOption,
	TQuestionKind,
	TResponseSubmission,
	TShowIf,
	TSubmitResult
} from '$domain/survey';
import type { TEditorState, TSavePayload, TSaveResult } from '$lib/builder/api';
import type { TCommentPayload } from '$lib/db/db';
import type { TImportCommitResult, TImportVerdict } from '$lib/import/apply';
import type { TImportResponse } from '$lib/import/plan';
import type { TCommentResult } from '$lib/meetings/comment-outbox';
import type { TFeedComment, TFeedPage } from '$lib/meetings/feed';
import type { TModerationAction } from '$lib/meetings/moderation';
import type { TCommentRecord } from '$lib/meetings/record';
import type { TStaffAccounts, TStaffInvite } from '$lib/staff/accounts';
import type { TMeetingStatus } from '$lib/meetings/schedule';
import type { Database as Generated } from './database.types';

export type { Json } from './database.types';

type TPublic = Generated['public'];
type TGenTables = TPublic['Tables'];
type TGenFunctions = TPublic['Functions'];

/** `O` may only name keys `T` has (a misspelt or dropped column/argument is a compile error). */
type KeysOf<T, O> = { [K in keyof O]: K extends keyof T ? unknown : never };

/** `T` with the keys `O` names retyped; optional keys (Insert/Update, defaulted args) stay so. */
type Retype<T, O> = { [K in keyof T]: K extends keyof O ? O[K] : T[K] };

/** `T` with the keys `K` optional (one flat object type, as supabase-js wants rows). */
type Optional<T, K extends keyof T> = Flat<Omit<T, K> & Partial<Pick<T, K>>>;
type Flat<T> = { [K in keyof T]: T[K] };

/**
 * A table with the columns `C` retyped in Row, Insert and Update alike, and the NOT NULL columns
 * `Filled` optional on insert because a BEFORE INSERT trigger fills them (the generator sees only
 * "not null, no default").
 */
type Table<
	T extends keyof TGenTables,
	C extends KeysOf<TGenTables[T]['Row'], C>,
	Filled extends keyof TGenTables[T]['Insert'] = never
> = {
	Row: Retype<TGenTables[T]['Row'], C>;
	Insert: Optional<Retype<TGenTables[T]['Insert'], C>, Filled>;
	Update: Retype<TGenTables[T]['Update'], C>;
	Relationships: TGenTables[T]['Relationships'];
};

/** A function's jsonb result `R`, and arguments `A` typed past the generator (jsonb, nullable). */
type Rpc<
	F extends keyof TGenFunctions,
	R,
	A extends KeysOf<TGenFunctions[F]['Args'], A> = Record<never, never>
> = {
	Args: Retype<TGenFunctions[F]['Args'], A>;
	Returns: R;
};

type TDescribed = { description: TLocalized | null };

/** jsonb columns (localized text, options, conditions) and check-constrained text columns. */
interface TTables {
	agenda_items: Table<'agenda_items', TDescribed & { title: TLocalized }>;
	goal_areas: Table<'goal_areas', TDescribed & { name: TLocalized }>;
	goals: Table<'goals', TDescribed & { title: TLocalized }>;
	measures: Table<
		'measures',
		TDescribed & {
			name: TLocalized;
			direction: 'higher' | 'lower';
			kind: 'survey' | 'operational';
		}
	>;
	meetings: Table<
		'meetings',
		TDescribed & { title: TLocalized; status: TMeetingStatus; moderation: 'pre' | 'post' }
	>;
	narratives: Table<'narratives', { body: TLocalized }>;
	questions: Table<
		'questions',
		{
			kind: TQuestionKind;
			prompt: TLocalized;
			help: TLocalized | null;
			options: TOption[] | null;
			show_if: TShowIf | null;
		}
	>;
	staff: Table<'staff', { role: 'admin' | 'analyst' | 'moderator' }>;
	staff_invites: Table<'staff_invites', { role: 'admin' | 'analyst' | 'moderator' }>;
	survey_sections: Table<'survey_sections', TDescribed & { title: TLocalized }>;
	// survey_version: the survey's current version (*_create_survey_versions.sql).
	survey_waves: Table<'survey_waves', { mode: 'invited' | 'open' | 'both' }, 'survey_version'>;
	surveys: Table<'surveys', { title: TLocalized; intro: TLocalized; languages: TLanguage[] }>;
	// unit: copied from the measure (*_store_percent_figures_as_proportions.sql).
	targets: Table<'targets', Record<never, never>, 'unit'>;
	measure_values: Table<'measure_values', Record<never, never>, 'unit'>;
}

type TScorecardArgs = { p_period: string | null; p_district: string | null };

/** What each jsonb RPC returns (and takes), as the migrations define it. */
interface TFunctions {
	// Resident survey (supabase/migrations/*_create_survey_rpcs.sql).
	submit_responses: Rpc<
		'submit_responses',
		TSubmitResult[],
		{ p_responses: TResponseSubmission[] }
	>;
	// Meetings (*_create_meeting_rpcs.sql, *_extend_meetings_for_admins.sql).
	meeting_feed: Rpc<
		'meeting_feed',
		TFeedPage,
		{ p_after: string | null; p_before?: string | null; p_limit?: number | null }
	>;
	submit_comments: Rpc<'submit_comments', TCommentResult[], { p_comments: TCommentPayload[] }>;
	vote_comment: Rpc<'vote_comment', { comment_id: string; vote_count: number; voted: boolean }>;
	moderate_comment: Rpc<
		'moderate_comment',
		TFeedComment,
		{ p_action: TModerationAction; p_reason: string | null }
	>;
	answer_comment: Rpc<'answer_comment', TFeedComment, { p_answer: string | null }>;
	meeting_comment_record: Rpc<'meeting_comment_record', TCommentRecord>;
	// Scores (*_create_question_scores.sql, *_create_scorecards.sql and their revisions).
	staff_scorecard: Rpc<'staff_scorecard', TScorecard, TScorecardArgs>;
	public_scorecard: Rpc<'public_scorecard', TScorecard, TScorecardArgs>;
	question_scores: Rpc<
		'question_scores',
		TQuestionScores,
		{ p_district: string | null; p_sample: TSample | null }
	>;
	// Invitations (*_idempotent_invitations.sql): returns a table, only the null batch differs.
	create_invitations: Rpc<
		'create_invitations',
		TGenFunctions['create_invitations']['Returns'],
		{ p_batch: string | null }
	>;
	// Imports (*_stage_and_commit_imports.sql).
	import_check: Rpc<'import_check', TImportVerdict[], { p_rows: TImportResponse[] }>;
	import_stage: Rpc<'import_stage', TImportVerdict[], { p_rows: TImportResponse[] }>;
	import_commit: Rpc<'import_commit', TImportCommitResult>;
	// Survey builder (*_create_survey_versions.sql).
	survey_editor: Rpc<'survey_editor', TEditorState>;
	save_survey: Rpc<'save_survey', TSaveResult, { p_definition: TSavePayload }>;
	// Staff accounts (*_create_staff_accounts.sql).
	staff_accounts: Rpc<'staff_accounts', TStaffAccounts>;
	invite_staff: Rpc<'invite_staff', TStaffInvite, { p_role: TStaffRole }>;
	set_staff_role: Rpc<'set_staff_role', undefined, { p_role: TStaffRole }>;
	claim_staff_invite: Rpc<'claim_staff_invite', TStaffRole | null>;
}

type TStaffRole = 'admin' | 'analyst' | 'moderator';

type Overlay<G, O> = { [K in keyof G]: K extends keyof O ? O[K] : G[K] };

export type Database = Overlay<
	Generated,
	{
		public: Overlay<
			TPublic,
			{
				Tables: Overlay<TGenTables, TTables>;
				Functions: Overlay<TGenFunctions, TFunctions>;
			}
		>;
	}
>;

type TTableName = keyof Database['public']['Tables'];

/** A table's row as the app reads it (the generated helpers of the same names, on `Database`). */
export type Tables<T extends TTableName> = Database['public']['Tables'][T]['Row'];
export type TablesInsert<T extends TTableName> = Database['public']['Tables'][T]['Insert'];
export type TablesUpdate<T extends TTableName> = Database['public']['Tables'][T]['Update'];
