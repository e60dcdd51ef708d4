/**
 * The staff area's client and the row shapes its pages read. The client is the shared one, typed
 * with the generated schema (`$lib/supabase/types`); the interfaces below are the columns staff
 * pages select, so a query that selects fewer columns than a page needs fails to compile.
 */
import type { TLocalized } from '$domain/survey';
import { getSupabase, type TClient } from '$lib/supabase/client';

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

/** The shared client (one auth session for the whole app), typed by `$lib/supabase/types`. */
export type TStaffClient = TClient;

export async function staffClient(): Promise<TStaffClient> {
	return getSupabase();
}
