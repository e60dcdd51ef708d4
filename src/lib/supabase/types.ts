/**
 * Database types for the typed Supabase client, limited to the RPCs the resident app calls.
 * Shapes come from the shared contract (`$domain/survey`). When `supabase gen types` output is
 * added to this folder (database.types.ts, never edited by hand), switch `Database` to it.
 */
import type { TResponseSubmission, TSubmitResult, TSurveyDefinition } from '$domain/survey';

export type TInvitationCheck = {
	status: 'ok' | 'used' | 'unknown' | 'closed';
	wave_id: string | null;
	survey_slug: string | null;
};

export interface Database {
	public: {
		Tables: Record<never, never>;
		Views: Record<never, never>;
		Functions: {
			get_survey: { Args: { p_slug: string }; Returns: TSurveyDefinition | null };
			check_invitation: { Args: { p_code: string }; Returns: TInvitationCheck };
			submit_responses: { Args: { p_responses: TResponseSubmission[] }; Returns: TSubmitResult[] };
		};
		Enums: Record<never, never>;
		CompositeTypes: Record<never, never>;
	};
}
