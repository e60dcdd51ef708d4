/**
 * A database security lint, run by db-lint.test.ts on both engines. Each rule is a query that
 * returns one finding per offending object; an empty list means the rule holds.
 */
import type { Db } from '../../local/db';

/** Schemas PostgREST exposes (supabase/config.toml [api] schemas). */
export const EXPOSED_SCHEMAS = ['public'];
/** Schemas the app's migrations own (built-in and Supabase-provided schemas are not ours to lint). */
export const APP_SCHEMAS = ['public', 'private'];

/**
 * Every function anon (no session) may execute, and why. Anything else executable by anon is a
 * finding. Keys are `schema.name(identity arguments)`.
 */
export const ANON_EXECUTABLE: Record<string, string> = {
	'public.get_survey(p_slug text)': 'the public survey definition',
	'public.check_invitation(p_code text)': 'a resident checks the code on their letter',
	'public.submit_responses(p_responses jsonb)':
		'answers "sign in first" (401) instead of a bare permission error',
	'public.submit_comments(p_comments jsonb)': 'answers "sign in first" (401)',
	'public.vote_comment(p_comment_id uuid, p_up boolean)': 'answers "sign in first" (401)',
	'public.meeting_feed(p_meeting_id uuid, p_after text, p_before text, p_limit integer)':
		'the public comment feed',
	'public.meeting_comment_record(p_meeting_id uuid)': 'the public record of a meeting',
	'public.meetings_ics(p_lang text, p_meeting_id uuid, p_site text)': 'the public calendar',
	'public.public_scorecard(p_period text, p_district text)': 'the public scorecard',
	'public.question_scores(p_wave_id uuid, p_district text, p_sample text)':
		'published question scores (staff see all)',
	'public.staff_scorecard(p_period text, p_district text)':
		'refuses anon with a clear 401 "sign in as staff" message',
	'public.import_check(p_rows jsonb)': 'refuses anon with a clear 401 message',
	'public.import_stage(p_import_id uuid, p_wave_id uuid, p_rows jsonb)':
		'refuses anon with a clear 401 message',
	'public.import_commit(p_import_id uuid, p_expected_rows integer, p_replace boolean, p_allow_row_errors boolean)':
		'refuses anon with a clear 401 message',
	'public.import_discard(p_import_id uuid)': 'refuses anon with a clear 401 message',
	'private.require_signed_in()': 'the "sign in first" guard inside submit_responses',
	'private.require_user(p_action text, p_rpc text)':
		'the "sign in first" guard inside the comment RPCs',
	'private.meeting_feed(p_meeting_id uuid, p_after text, p_before text, p_limit integer)':
		'body of public.meeting_feed',
	'private.meeting_comment_record(p_meeting_id uuid)': 'body of public.meeting_comment_record',
	'private.meetings_ics(p_lang text, p_meeting_id uuid, p_site text)': 'body of public.meetings_ics'
};

/**
 * SECURITY DEFINER functions allowed in an exposed schema, and why they cannot be SECURITY
 * INVOKER wrappers around a private definer body. Anything else there is a finding: keep definer
 * bodies in `private` and expose an invoker wrapper.
 */
export const EXPOSED_DEFINERS: Record<string, string> = {
	'public.check_invitation(p_code text)': 'reads invitations, which nobody but staff may read',
	'public.create_invitations(p_wave_id uuid, p_count integer, p_batch text, p_request_id uuid)':
		'writes code hashes with a private secret; checks admin itself',
	'public.import_check(p_rows jsonb)': 'validates against private staging; checks staff itself',
	'public.import_stage(p_import_id uuid, p_wave_id uuid, p_rows jsonb)':
		'writes private staging tables; checks staff itself',
	'public.import_commit(p_import_id uuid, p_expected_rows integer, p_replace boolean, p_allow_row_errors boolean)':
		'writes responses for a whole wave; checks admin itself',
	'public.import_discard(p_import_id uuid)': 'deletes private staging rows; checks staff itself',
	'public.public_scorecard(p_period text, p_district text)':
		'aggregates over rows anon may not read (only published figures leave)',
	'public.question_scores(p_wave_id uuid, p_district text, p_sample text)':
		'aggregates over responses anon may not read',
	'public.staff_scorecard(p_period text, p_district text)': 'checks staff itself',
	'public.save_survey(p_save_id uuid, p_definition jsonb)':
		'locks and rewrites a whole survey definition; checks admin itself',
	'public.survey_editor(p_survey_id uuid)': 'reads private save history; checks admin itself',
	'public.staff_accounts()':
		'reads auth.users emails, which no API role may read; checks admin itself',
	'public.invite_staff(p_id uuid, p_email text, p_role text)':
		'writes staff_invites, which no API role may write; checks admin itself',
	'public.withdraw_staff_invite(p_id uuid)':
		'deletes from staff_invites, which no API role may write; checks admin itself',
	'public.set_staff_role(p_user_id uuid, p_role text)':
		'writes staff under the last-admin lock; checks admin itself',
	'public.remove_staff_access(p_user_id uuid)':
		'deletes from staff under the last-admin lock; checks admin itself',
	'public.claim_staff_invite()':
		"reads the caller's confirmed email in auth.users and turns a pending grant into a role"
};

export interface TFinding {
	rule: string;
	object: string;
}

const list = (xs: string[]) => `array[${xs.map((x) => `'${x}'`).join(', ')}]::text[]`;

export const LINT_RULES: { rule: string; sql: string; params?: () => unknown[] }[] = [
	{
		rule: 'table in an exposed schema without row-level security',
		sql: `select format('%I.%I', n.nspname, c.relname) as object
		  from pg_class c join pg_namespace n on n.oid = c.relnamespace
		  where n.nspname = any (${list(EXPOSED_SCHEMAS)}) and c.relkind in ('r', 'p')
		    and not c.relrowsecurity`
	},
	{
		rule: 'view in an exposed schema that is not security_invoker (it would bypass RLS)',
		sql: `select format('%I.%I', n.nspname, c.relname) as object
		  from pg_class c join pg_namespace n on n.oid = c.relnamespace
		  where n.nspname = any (${list(EXPOSED_SCHEMAS)}) and c.relkind in ('v', 'm')
		    and not coalesce(c.reloptions @> array['security_invoker=true'], false)`
	},
	{
		rule: 'policy on a table whose row-level security is off (the policy does nothing)',
		sql: `select format('%I.%I: %s', n.nspname, c.relname, p.polname) as object
		  from pg_policy p join pg_class c on c.oid = p.polrelid
		  join pg_namespace n on n.oid = c.relnamespace
		  where not c.relrowsecurity`
	},
	{
		rule: 'SECURITY DEFINER function without search_path pinned to the empty path',
		sql: `select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as object
		  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		  where p.prosecdef and n.nspname = any (${list(APP_SCHEMAS)})
		    and not coalesce(p.proconfig @> array['search_path=""'], false)`
	},
	{
		rule: 'SECURITY DEFINER function in an exposed schema that is not on the allowlist',
		sql: `select format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as object
		  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		  where p.prosecdef and n.nspname = any (${list(EXPOSED_SCHEMAS)})
		    and not format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
		      = any ($1::text[])`,
		params: () => [Object.keys(EXPOSED_DEFINERS)]
	},
	{
		rule: 'function executable by anon that is not on the anon allowlist',
		sql: `select format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as object
		  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		  where n.nspname = any (${list(APP_SCHEMAS)})
		    and has_function_privilege('anon', p.oid, 'execute')
		    and not format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
		      = any ($1::text[])`,
		params: () => [Object.keys(ANON_EXECUTABLE)]
	},
	{
		rule: 'function executable by PUBLIC (every role, including ones created later)',
		sql: `select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as object
		  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		  where n.nspname = any (${list(APP_SCHEMAS)}) and p.prokind in ('f', 'p')
		    and (p.proacl is null or exists (
		      select 1 from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE'))`
	},
	{
		rule: 'anon or authenticated may use or read a non-exposed app schema directly',
		sql: `select format('%s on %I', r.rolname, n.nspname) as object
		  from pg_namespace n cross join (values ('anon'), ('authenticated')) r(rolname)
		  where n.nspname = any (${list(APP_SCHEMAS)}) and not n.nspname = any (${list(EXPOSED_SCHEMAS)})
		    and has_schema_privilege(r.rolname, n.oid, 'usage')
		  union all
		  select format('%s on %I.%I', r.rolname, n.nspname, c.relname)
		  from pg_class c join pg_namespace n on n.oid = c.relnamespace
		  cross join (values ('anon'), ('authenticated')) r(rolname)
		  where n.nspname = any (${list(APP_SCHEMAS)}) and not n.nspname = any (${list(EXPOSED_SCHEMAS)})
		    and c.relkind in ('r', 'p', 'v', 'm', 'S')
		    and has_table_privilege(r.rolname, c.oid, 'select, insert, update, delete')`
	},
	{
		rule: 'anon may write a table in an exposed schema directly (residents write through RPCs)',
		sql: `select format('%I.%I', n.nspname, c.relname) as object
		  from pg_class c join pg_namespace n on n.oid = c.relnamespace
		  where n.nspname = any (${list(EXPOSED_SCHEMAS)}) and c.relkind in ('r', 'p', 'v')
		    and has_table_privilege('anon', c.oid, 'insert, update, delete, truncate')`
	}
];

export async function lintDatabase(db: Db): Promise<TFinding[]> {
	const findings: TFinding[] = [];
	for (const { rule, sql, params } of LINT_RULES) {
		const { rows } = await db.query<{ object: string }>(sql, params?.() ?? []);
		for (const r of rows) findings.push({ rule, object: r.object });
	}
	return findings;
}
