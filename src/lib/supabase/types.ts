/**
 * Database types for the typed Supabase client, limited to the RPCs the resident app calls.
 * Shapes come from the shared contract (`$domain/survey`). When `supabase gen types` output is
 * added to this folder (database.types.ts, never edited by hand), switch `Database` to it.
 */
import type { TResponseSubmission, TSubmitResult, TSurveyDefinition } from '$domain/survey';
import type { TCommentPayload } from '$lib/db/db';
import type { TCommentResult } from '$lib/meetings/comment-outbox';
import type { TFeedComment, TFeedPage } from '$lib/meetings/feed';
import type { TCommentRecord } from '$lib/meetings/record';
import type { TMeeting } from '$lib/meetings/schedule';

/** A meeting row (mapped type: supabase-js needs rows assignable to Record<string, unknown>). */
type TMeetingRow = { [K in keyof TMeeting]: TMeeting[K] };

export type TInvitationCheck = {
	status: 'ok' | 'used' | 'unknown' | 'closed';
	wave_id: string | null;
	survey_slug: string | null;
};

export type TModerationAction = 'publish' | 'hide' | 'answer' | 'unanswer' | 'pin' | 'unpin';

export interface Database {
	public: {
		Tables: {
			meetings: {
				Row: TMeetingRow;
				Insert: Partial<TMeetingRow>;
				Update: Partial<TMeetingRow>;
				Relationships: [];
			};
		};
		Views: Record<never, never>;
		Functions: {
			get_survey: { Args: { p_slug: string }; Returns: TSurveyDefinition | null };
			check_invitation: { Args: { p_code: string }; Returns: TInvitationCheck };
			submit_responses: { Args: { p_responses: TResponseSubmission[] }; Returns: TSubmitResult[] };
			meeting_feed: {
				Args: {
					p_meeting_id: string;
					p_after: string | null;
					p_before?: string | null;
					p_limit?: number | null;
				};
				Returns: TFeedPage;
			};
			submit_comments: { Args: { p_comments: TCommentPayload[] }; Returns: TCommentResult[] };
			vote_comment: {
				Args: { p_comment_id: string; p_up: boolean };
				Returns: { comment_id: string; vote_count: number; voted: boolean };
			};
			moderate_comment: {
				Args: { p_comment_id: string; p_action: TModerationAction; p_reason: string | null };
				Returns: TFeedComment;
			};
			answer_comment: {
				Args: { p_comment_id: string; p_answer: string | null };
				Returns: TFeedComment;
			};
			meeting_comment_record: { Args: { p_meeting_id: string }; Returns: TCommentRecord };
		};
		Enums: Record<never, never>;
		CompositeTypes: Record<never, never>;
	};
}
