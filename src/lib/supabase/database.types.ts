export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];

export type Database = {
	// Allows to automatically instantiate createClient with right options
	// instead of createClient<Database, { PostgrestVersion: 'XX' }>(URL, KEY)
	__InternalSupabase: {
		PostgrestVersion: '13';
	};
	public: {
		Tables: {
			agenda_items: {
				Row: {
					created_at: string;
					description: Json | null;
					goal_area_id: string | null;
					goal_id: string | null;
					id: string;
					measure_id: string | null;
					meeting_id: string;
					position: number;
					title: NonNullable<Json>;
					updated_at: string;
				};
				Insert: {
					created_at?: string;
					description?: Json | null;
					goal_area_id?: string | null;
					goal_id?: string | null;
					id?: string;
					measure_id?: string | null;
					meeting_id: string;
					position?: number;
					title: NonNullable<Json>;
					updated_at?: string;
				};
				Update: {
					created_at?: string;
					description?: Json | null;
					goal_area_id?: string | null;
					goal_id?: string | null;
					id?: string;
					measure_id?: string | null;
					meeting_id?: string;
					position?: number;
					title?: NonNullable<Json>;
					updated_at?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'agenda_items_goal_area_id_fkey';
						columns: ['goal_area_id'];
						isOneToOne: false;
						referencedRelation: 'goal_areas';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'agenda_items_goal_id_fkey';
						columns: ['goal_id'];
						isOneToOne: false;
						referencedRelation: 'goals';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'agenda_items_measure_id_fkey';
						columns: ['measure_id'];
						isOneToOne: false;
						referencedRelation: 'measures';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'agenda_items_meeting_id_fkey';
						columns: ['meeting_id'];
						isOneToOne: false;
						referencedRelation: 'meetings';
						referencedColumns: ['id'];
					}
				];
			};
			answers: {
				Row: {
					choice_value: string | null;
					choice_values: string[] | null;
					numeric_value: number | null;
					question_id: string;
					response_id: string;
					text_value: string | null;
					wave_id: string;
				};
				Insert: {
					choice_value?: string | null;
					choice_values?: string[] | null;
					numeric_value?: number | null;
					question_id: string;
					response_id: string;
					text_value?: string | null;
					wave_id: string;
				};
				Update: {
					choice_value?: string | null;
					choice_values?: string[] | null;
					numeric_value?: number | null;
					question_id?: string;
					response_id?: string;
					text_value?: string | null;
					wave_id?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'answers_question_id_fkey';
						columns: ['question_id'];
						isOneToOne: false;
						referencedRelation: 'questions';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'answers_response_same_wave';
						columns: ['response_id', 'wave_id'];
						isOneToOne: false;
						referencedRelation: 'responses';
						referencedColumns: ['id', 'wave_id'];
					}
				];
			};
			comment_votes: {
				Row: {
					comment_id: string;
					created_at: string;
					voter_id: string;
				};
				Insert: {
					comment_id: string;
					created_at?: string;
					voter_id: string;
				};
				Update: {
					comment_id?: string;
					created_at?: string;
					voter_id?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'comment_votes_comment_id_fkey';
						columns: ['comment_id'];
						isOneToOne: false;
						referencedRelation: 'comments';
						referencedColumns: ['id'];
					}
				];
			};
			comments: {
				Row: {
					agenda_item_id: string | null;
					answer: string | null;
					answered: boolean;
					answered_at: string | null;
					author_id: string | null;
					body: string;
					changed_xid: unknown;
					created_at: string;
					display_name: string | null;
					ever_published: boolean;
					id: string;
					kind: string;
					meeting_id: string;
					moderation_reason: string | null;
					pinned: boolean;
					status: string;
					updated_at: string;
					version: number;
					vote_count: number;
				};
				Insert: {
					agenda_item_id?: string | null;
					answer?: string | null;
					answered?: boolean;
					answered_at?: string | null;
					author_id?: string | null;
					body: string;
					changed_xid?: unknown;
					created_at?: string;
					display_name?: string | null;
					ever_published?: boolean;
					id: string;
					kind?: string;
					meeting_id: string;
					moderation_reason?: string | null;
					pinned?: boolean;
					status?: string;
					updated_at?: string;
					version?: number;
					vote_count?: number;
				};
				Update: {
					agenda_item_id?: string | null;
					answer?: string | null;
					answered?: boolean;
					answered_at?: string | null;
					author_id?: string | null;
					body?: string;
					changed_xid?: unknown;
					created_at?: string;
					display_name?: string | null;
					ever_published?: boolean;
					id?: string;
					kind?: string;
					meeting_id?: string;
					moderation_reason?: string | null;
					pinned?: boolean;
					status?: string;
					updated_at?: string;
					version?: number;
					vote_count?: number;
				};
				Relationships: [
					{
						foreignKeyName: 'comments_agenda_item_same_meeting';
						columns: ['agenda_item_id', 'meeting_id'];
						isOneToOne: false;
						referencedRelation: 'agenda_items';
						referencedColumns: ['id', 'meeting_id'];
					},
					{
						foreignKeyName: 'comments_meeting_id_fkey';
						columns: ['meeting_id'];
						isOneToOne: false;
						referencedRelation: 'meetings';
						referencedColumns: ['id'];
					}
				];
			};
			goal_areas: {
				Row: {
					created_at: string;
					description: Json | null;
					id: string;
					key: string;
					name: NonNullable<Json>;
					position: number;
					updated_at: string;
				};
				Insert: {
					created_at?: string;
					description?: Json | null;
					id?: string;
					key: string;
					name: NonNullable<Json>;
					position?: number;
					updated_at?: string;
				};
				Update: {
					created_at?: string;
					description?: Json | null;
					id?: string;
					key?: string;
					name?: NonNullable<Json>;
					position?: number;
					updated_at?: string;
				};
				Relationships: [];
			};
			goals: {
				Row: {
					created_at: string;
					description: Json | null;
					goal_area_id: string;
					id: string;
					key: string;
					position: number;
					published: boolean;
					title: NonNullable<Json>;
					updated_at: string;
				};
				Insert: {
					created_at?: string;
					description?: Json | null;
					goal_area_id: string;
					id?: string;
					key: string;
					position?: number;
					published?: boolean;
					title: NonNullable<Json>;
					updated_at?: string;
				};
				Update: {
					created_at?: string;
					description?: Json | null;
					goal_area_id?: string;
					id?: string;
					key?: string;
					position?: number;
					published?: boolean;
					title?: NonNullable<Json>;
					updated_at?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'goals_goal_area_id_fkey';
						columns: ['goal_area_id'];
						isOneToOne: false;
						referencedRelation: 'goal_areas';
						referencedColumns: ['id'];
					}
				];
			};
			invitations: {
				Row: {
					batch: string | null;
					code_hash: string;
					created_at: string;
					id: string;
					request_attempt: number;
					request_id: string | null;
					request_index: number | null;
					used_at: string | null;
					wave_id: string;
				};
				Insert: {
					batch?: string | null;
					code_hash: string;
					created_at?: string;
					id?: string;
					request_attempt?: number;
					request_id?: string | null;
					request_index?: number | null;
					used_at?: string | null;
					wave_id: string;
				};
				Update: {
					batch?: string | null;
					code_hash?: string;
					created_at?: string;
					id?: string;
					request_attempt?: number;
					request_id?: string | null;
					request_index?: number | null;
					used_at?: string | null;
					wave_id?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'invitations_wave_id_fkey';
						columns: ['wave_id'];
						isOneToOne: false;
						referencedRelation: 'survey_waves';
						referencedColumns: ['id'];
					}
				];
			};
			measure_values: {
				Row: {
					created_at: string;
					id: string;
					margin: number | null;
					measure_id: string;
					n: number | null;
					period: string;
					published: boolean;
					source: string | null;
					unit: string;
					updated_at: string;
					value: number;
				};
				Insert: {
					created_at?: string;
					id?: string;
					margin?: number | null;
					measure_id: string;
					n?: number | null;
					period: string;
					published?: boolean;
					source?: string | null;
					unit: string;
					updated_at?: string;
					value: number;
				};
				Update: {
					created_at?: string;
					id?: string;
					margin?: number | null;
					measure_id?: string;
					n?: number | null;
					period?: string;
					published?: boolean;
					source?: string | null;
					unit?: string;
					updated_at?: string;
					value?: number;
				};
				Relationships: [
					{
						foreignKeyName: 'measure_values_measure_id_fkey';
						columns: ['measure_id'];
						isOneToOne: false;
						referencedRelation: 'measures';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'measure_values_measure_unit_fkey';
						columns: ['measure_id', 'unit'];
						isOneToOne: false;
						referencedRelation: 'measures';
						referencedColumns: ['id', 'unit'];
					}
				];
			};
			measures: {
				Row: {
					created_at: string;
					description: Json | null;
					direction: string;
					goal_id: string;
					id: string;
					key: string;
					kind: string;
					name: NonNullable<Json>;
					position: number;
					published: boolean;
					question_id: string | null;
					source: string | null;
					unit: string;
					updated_at: string;
				};
				Insert: {
					created_at?: string;
					description?: Json | null;
					direction: string;
					goal_id: string;
					id?: string;
					key: string;
					kind: string;
					name: NonNullable<Json>;
					position?: number;
					published?: boolean;
					question_id?: string | null;
					source?: string | null;
					unit: string;
					updated_at?: string;
				};
				Update: {
					created_at?: string;
					description?: Json | null;
					direction?: string;
					goal_id?: string;
					id?: string;
					key?: string;
					kind?: string;
					name?: NonNullable<Json>;
					position?: number;
					published?: boolean;
					question_id?: string | null;
					source?: string | null;
					unit?: string;
					updated_at?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'measures_goal_id_fkey';
						columns: ['goal_id'];
						isOneToOne: false;
						referencedRelation: 'goals';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'measures_question_id_fkey';
						columns: ['question_id'];
						isOneToOne: false;
						referencedRelation: 'questions';
						referencedColumns: ['id'];
					}
				];
			};
			meetings: {
				Row: {
					comments_open: boolean;
					comments_open_from: string | null;
					comments_open_until: string | null;
					created_at: string;
					description: Json | null;
					ends_at: string | null;
					goal_area_id: string | null;
					id: string;
					location: string | null;
					moderation: string;
					recording_url: string | null;
					revised_at: string;
					revision: number;
					starts_at: string;
					status: string;
					stream_url: string | null;
					time_zone: string;
					title: NonNullable<Json>;
					updated_at: string;
				};
				Insert: {
					comments_open?: boolean;
					comments_open_from?: string | null;
					comments_open_until?: string | null;
					created_at?: string;
					description?: Json | null;
					ends_at?: string | null;
					goal_area_id?: string | null;
					id?: string;
					location?: string | null;
					moderation?: string;
					recording_url?: string | null;
					revised_at?: string;
					revision?: number;
					starts_at: string;
					status?: string;
					stream_url?: string | null;
					time_zone?: string;
					title: NonNullable<Json>;
					updated_at?: string;
				};
				Update: {
					comments_open?: boolean;
					comments_open_from?: string | null;
					comments_open_until?: string | null;
					created_at?: string;
					description?: Json | null;
					ends_at?: string | null;
					goal_area_id?: string | null;
					id?: string;
					location?: string | null;
					moderation?: string;
					recording_url?: string | null;
					revised_at?: string;
					revision?: number;
					starts_at?: string;
					status?: string;
					stream_url?: string | null;
					time_zone?: string;
					title?: NonNullable<Json>;
					updated_at?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'meetings_goal_area_id_fkey';
						columns: ['goal_area_id'];
						isOneToOne: false;
						referencedRelation: 'goal_areas';
						referencedColumns: ['id'];
					}
				];
			};
			narratives: {
				Row: {
					author_id: string | null;
					body: NonNullable<Json>;
					created_at: string;
					goal_id: string | null;
					id: string;
					measure_id: string | null;
					period: string;
					published: boolean;
					updated_at: string;
				};
				Insert: {
					author_id?: string | null;
					body: NonNullable<Json>;
					created_at?: string;
					goal_id?: string | null;
					id?: string;
					measure_id?: string | null;
					period: string;
					published?: boolean;
					updated_at?: string;
				};
				Update: {
					author_id?: string | null;
					body?: NonNullable<Json>;
					created_at?: string;
					goal_id?: string | null;
					id?: string;
					measure_id?: string | null;
					period?: string;
					published?: boolean;
					updated_at?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'narratives_goal_id_fkey';
						columns: ['goal_id'];
						isOneToOne: false;
						referencedRelation: 'goals';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'narratives_measure_id_fkey';
						columns: ['measure_id'];
						isOneToOne: false;
						referencedRelation: 'measures';
						referencedColumns: ['id'];
					}
				];
			};
			questions: {
				Row: {
					created_at: string;
					first_version: number;
					help: Json | null;
					id: string;
					key: string;
					kind: string;
					last_version: number | null;
					max: number | null;
					max_length: number | null;
					min: number | null;
					options: Json | null;
					position: number;
					prompt: NonNullable<Json>;
					required: boolean;
					revises_question_id: string | null;
					section_id: string;
					service_category: string | null;
					show_if: Json | null;
					survey_id: string;
					updated_at: string;
				};
				Insert: {
					created_at?: string;
					first_version?: number;
					help?: Json | null;
					id?: string;
					key: string;
					kind: string;
					last_version?: number | null;
					max?: number | null;
					max_length?: number | null;
					min?: number | null;
					options?: Json | null;
					position: number;
					prompt: NonNullable<Json>;
					required?: boolean;
					revises_question_id?: string | null;
					section_id: string;
					service_category?: string | null;
					show_if?: Json | null;
					survey_id: string;
					updated_at?: string;
				};
				Update: {
					created_at?: string;
					first_version?: number;
					help?: Json | null;
					id?: string;
					key?: string;
					kind?: string;
					last_version?: number | null;
					max?: number | null;
					max_length?: number | null;
					min?: number | null;
					options?: Json | null;
					position?: number;
					prompt?: NonNullable<Json>;
					required?: boolean;
					revises_question_id?: string | null;
					section_id?: string;
					service_category?: string | null;
					show_if?: Json | null;
					survey_id?: string;
					updated_at?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'questions_revises_question_id_fkey';
						columns: ['revises_question_id'];
						isOneToOne: false;
						referencedRelation: 'questions';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'questions_section_same_survey';
						columns: ['section_id', 'survey_id'];
						isOneToOne: false;
						referencedRelation: 'survey_sections';
						referencedColumns: ['id', 'survey_id'];
					},
					{
						foreignKeyName: 'questions_survey_id_fkey';
						columns: ['survey_id'];
						isOneToOne: false;
						referencedRelation: 'surveys';
						referencedColumns: ['id'];
					}
				];
			};
			responses: {
				Row: {
					district: string | null;
					external_id: string | null;
					id: string;
					invitation_id: string | null;
					language: string;
					mode: string;
					received_at: string;
					respondent_id: string | null;
					source: string;
					submitted_at: string | null;
					wave_id: string;
					weight: number;
				};
				Insert: {
					district?: string | null;
					external_id?: string | null;
					id: string;
					invitation_id?: string | null;
					language: string;
					mode: string;
					received_at?: string;
					respondent_id?: string | null;
					source?: string;
					submitted_at?: string | null;
					wave_id: string;
					weight?: number;
				};
				Update: {
					district?: string | null;
					external_id?: string | null;
					id?: string;
					invitation_id?: string | null;
					language?: string;
					mode?: string;
					received_at?: string;
					respondent_id?: string | null;
					source?: string;
					submitted_at?: string | null;
					wave_id?: string;
					weight?: number;
				};
				Relationships: [
					{
						foreignKeyName: 'responses_invitation_id_fkey';
						columns: ['invitation_id'];
						isOneToOne: true;
						referencedRelation: 'invitations';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'responses_wave_id_fkey';
						columns: ['wave_id'];
						isOneToOne: false;
						referencedRelation: 'survey_waves';
						referencedColumns: ['id'];
					}
				];
			};
			staff: {
				Row: {
					created_at: string;
					display_name: string | null;
					role: string;
					updated_at: string;
					user_id: string;
				};
				Insert: {
					created_at?: string;
					display_name?: string | null;
					role: string;
					updated_at?: string;
					user_id: string;
				};
				Update: {
					created_at?: string;
					display_name?: string | null;
					role?: string;
					updated_at?: string;
					user_id?: string;
				};
				Relationships: [];
			};
			staff_invites: {
				Row: {
					created_at: string;
					email: string;
					id: string;
					invited_by: string | null;
					role: string;
					updated_at: string;
				};
				Insert: {
					created_at?: string;
					email: string;
					id: string;
					invited_by?: string | null;
					role: string;
					updated_at?: string;
				};
				Update: {
					created_at?: string;
					email?: string;
					id?: string;
					invited_by?: string | null;
					role?: string;
					updated_at?: string;
				};
				Relationships: [];
			};
			survey_sections: {
				Row: {
					created_at: string;
					description: Json | null;
					id: string;
					key: string;
					position: number;
					survey_id: string;
					title: NonNullable<Json>;
					updated_at: string;
				};
				Insert: {
					created_at?: string;
					description?: Json | null;
					id?: string;
					key: string;
					position?: number;
					survey_id: string;
					title: NonNullable<Json>;
					updated_at?: string;
				};
				Update: {
					created_at?: string;
					description?: Json | null;
					id?: string;
					key?: string;
					position?: number;
					survey_id?: string;
					title?: NonNullable<Json>;
					updated_at?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'survey_sections_survey_id_fkey';
						columns: ['survey_id'];
						isOneToOne: false;
						referencedRelation: 'surveys';
						referencedColumns: ['id'];
					}
				];
			};
			survey_waves: {
				Row: {
					closes_at: string | null;
					created_at: string;
					id: string;
					label: string;
					mode: string;
					open_limit_per_hour: number | null;
					opens_at: string;
					period: string;
					results_published: boolean;
					survey_id: string;
					survey_version: number;
					updated_at: string;
				};
				Insert: {
					closes_at?: string | null;
					created_at?: string;
					id?: string;
					label: string;
					mode: string;
					open_limit_per_hour?: number | null;
					opens_at: string;
					period: string;
					results_published?: boolean;
					survey_id: string;
					survey_version: number;
					updated_at?: string;
				};
				Update: {
					closes_at?: string | null;
					created_at?: string;
					id?: string;
					label?: string;
					mode?: string;
					open_limit_per_hour?: number | null;
					opens_at?: string;
					period?: string;
					results_published?: boolean;
					survey_id?: string;
					survey_version?: number;
					updated_at?: string;
				};
				Relationships: [
					{
						foreignKeyName: 'survey_waves_survey_id_fkey';
						columns: ['survey_id'];
						isOneToOne: false;
						referencedRelation: 'surveys';
						referencedColumns: ['id'];
					}
				];
			};
			surveys: {
				Row: {
					created_at: string;
					id: string;
					intro: NonNullable<Json>;
					languages: string[];
					revision: number;
					slug: string;
					title: NonNullable<Json>;
					updated_at: string;
					version: number;
				};
				Insert: {
					created_at?: string;
					id?: string;
					intro: NonNullable<Json>;
					languages?: string[];
					revision?: number;
					slug: string;
					title: NonNullable<Json>;
					updated_at?: string;
					version?: number;
				};
				Update: {
					created_at?: string;
					id?: string;
					intro?: NonNullable<Json>;
					languages?: string[];
					revision?: number;
					slug?: string;
					title?: NonNullable<Json>;
					updated_at?: string;
					version?: number;
				};
				Relationships: [];
			};
			targets: {
				Row: {
					created_at: string;
					id: string;
					measure_id: string;
					period: string;
					published: boolean;
					unit: string;
					updated_at: string;
					value: number;
				};
				Insert: {
					created_at?: string;
					id?: string;
					measure_id: string;
					period: string;
					published?: boolean;
					unit: string;
					updated_at?: string;
					value: number;
				};
				Update: {
					created_at?: string;
					id?: string;
					measure_id?: string;
					period?: string;
					published?: boolean;
					unit?: string;
					updated_at?: string;
					value?: number;
				};
				Relationships: [
					{
						foreignKeyName: 'targets_measure_id_fkey';
						columns: ['measure_id'];
						isOneToOne: false;
						referencedRelation: 'measures';
						referencedColumns: ['id'];
					},
					{
						foreignKeyName: 'targets_measure_unit_fkey';
						columns: ['measure_id', 'unit'];
						isOneToOne: false;
						referencedRelation: 'measures';
						referencedColumns: ['id', 'unit'];
					}
				];
			};
		};
		Views: {
			[_ in never]: never;
		};
		Functions: {
			answer_comment: { Args: { p_answer?: string; p_comment_id: string }; Returns: Json };
			check_invitation: { Args: { p_code: string }; Returns: Json };
			claim_staff_invite: { Args: Record<PropertyKey, never>; Returns: string };
			create_invitations: {
				Args: { p_batch?: string; p_count: number; p_request_id?: string; p_wave_id: string };
				Returns: {
					code: string;
				}[];
			};
			get_survey: { Args: { p_slug: string }; Returns: Json };
			import_check: { Args: { p_rows: Json }; Returns: Json };
			import_commit: {
				Args: {
					p_allow_row_errors?: boolean;
					p_expected_rows: number;
					p_import_id: string;
					p_replace?: boolean;
				};
				Returns: Json;
			};
			import_discard: { Args: { p_import_id: string }; Returns: boolean };
			import_stage: {
				Args: { p_import_id: string; p_rows: Json; p_wave_id: string };
				Returns: Json;
			};
			invite_staff: { Args: { p_email: string; p_id: string; p_role: string }; Returns: Json };
			meeting_comment_record: { Args: { p_meeting_id: string }; Returns: Json };
			meeting_feed: {
				Args: { p_after?: string; p_before?: string; p_limit?: number; p_meeting_id: string };
				Returns: Json;
			};
			meetings_ics: {
				Args: { p_lang?: string; p_meeting_id?: string; p_site?: string };
				Returns: unknown;
			};
			moderate_comment: {
				Args: { p_action: string; p_comment_id: string; p_reason?: string };
				Returns: Json;
			};
			public_scorecard: { Args: { p_district?: string; p_period?: string }; Returns: Json };
			question_scores: {
				Args: { p_district?: string; p_sample?: string; p_wave_id: string };
				Returns: Json;
			};
			remove_staff_access: { Args: { p_user_id: string }; Returns: undefined };
			save_survey: { Args: { p_definition: Json; p_save_id: string }; Returns: Json };
			set_staff_role: { Args: { p_role: string; p_user_id: string }; Returns: undefined };
			staff_accounts: { Args: Record<PropertyKey, never>; Returns: Json };
			staff_scorecard: { Args: { p_district?: string; p_period?: string }; Returns: Json };
			submit_comments: { Args: { p_comments: Json }; Returns: Json };
			submit_responses: { Args: { p_responses: Json }; Returns: Json };
			survey_editor: { Args: { p_survey_id: string }; Returns: Json };
			vote_comment: { Args: { p_comment_id: string; p_up?: boolean }; Returns: Json };
			withdraw_staff_invite: { Args: { p_id: string }; Returns: undefined };
		};
		Enums: {
			[_ in never]: never;
		};
		CompositeTypes: {
			[_ in never]: never;
		};
	};
};

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>;

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, 'public'>];

export type Tables<
	DefaultSchemaTableNameOrOptions extends
		| keyof (DefaultSchema['Tables'] & DefaultSchema['Views'])
		| { schema: keyof DatabaseWithoutInternals },
	TableName extends (DefaultSchemaTableNameOrOptions extends {
		schema: keyof DatabaseWithoutInternals;
	}
		? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables'] &
				DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Views'])
		: never) = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
	? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables'] &
			DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Views'])[TableName] extends {
			Row: infer R;
		}
		? R
		: never
	: DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema['Tables'] & DefaultSchema['Views'])
		? (DefaultSchema['Tables'] & DefaultSchema['Views'])[DefaultSchemaTableNameOrOptions] extends {
				Row: infer R;
			}
			? R
			: never
		: never;

export type TablesInsert<
	DefaultSchemaTableNameOrOptions extends
		keyof DefaultSchema['Tables'] | { schema: keyof DatabaseWithoutInternals },
	TableName extends (DefaultSchemaTableNameOrOptions extends {
		schema: keyof DatabaseWithoutInternals;
	}
		? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables']
		: never) = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
	? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables'][TableName] extends {
			Insert: infer I;
		}
		? I
		: never
	: DefaultSchemaTableNameOrOptions extends keyof DefaultSchema['Tables']
		? DefaultSchema['Tables'][DefaultSchemaTableNameOrOptions] extends {
				Insert: infer I;
			}
			? I
			: never
		: never;

export type TablesUpdate<
	DefaultSchemaTableNameOrOptions extends
		keyof DefaultSchema['Tables'] | { schema: keyof DatabaseWithoutInternals },
	TableName extends (DefaultSchemaTableNameOrOptions extends {
		schema: keyof DatabaseWithoutInternals;
	}
		? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables']
		: never) = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
	? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables'][TableName] extends {
			Update: infer U;
		}
		? U
		: never
	: DefaultSchemaTableNameOrOptions extends keyof DefaultSchema['Tables']
		? DefaultSchema['Tables'][DefaultSchemaTableNameOrOptions] extends {
				Update: infer U;
			}
			? U
			: never
		: never;

export type Enums<
	DefaultSchemaEnumNameOrOptions extends
		keyof DefaultSchema['Enums'] | { schema: keyof DatabaseWithoutInternals },
	EnumName extends (DefaultSchemaEnumNameOrOptions extends {
		schema: keyof DatabaseWithoutInternals;
	}
		? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions['schema']]['Enums']
		: never) = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
	? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions['schema']]['Enums'][EnumName]
	: DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema['Enums']
		? DefaultSchema['Enums'][DefaultSchemaEnumNameOrOptions]
		: never;

export type CompositeTypes<
	PublicCompositeTypeNameOrOptions extends
		keyof DefaultSchema['CompositeTypes'] | { schema: keyof DatabaseWithoutInternals },
	CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
		schema: keyof DatabaseWithoutInternals;
	}
		? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions['schema']]['CompositeTypes']
		: never) = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
	? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions['schema']]['CompositeTypes'][CompositeTypeName]
	: PublicCompositeTypeNameOrOptions extends keyof DefaultSchema['CompositeTypes']
		? DefaultSchema['CompositeTypes'][PublicCompositeTypeNameOrOptions]
		: never;

export const Constants = {
	public: {
		Enums: {}
	}
} as const;
