/**
 * Who may do what, table by table: the intended row-level security of every table in the
 * exposed schema, written down once, independently of the SQL that implements it. The matrix
 * (`rls-matrix.json`, table × role × operation → allowed) is generated from this spec
 * (`npx tsx supabase/tests/security/rls-matrix.ts --write`) and rls-matrix.test.ts attempts every
 * cell on both engines. A new table fails the test until it is described here.
 *
 * Each cell is about one *probe row* per table: a row that is neither public (where the table
 * has a notion of unpublished, hidden or scheduled rows) nor the caller's own. select = the caller
 * sees it, update/delete = the statement changes it, insert = the caller can insert a row like it
 * (with its owner column set to the caller, when the table has one: "insert my own row").
 */

export const RLS_ROLES = ['anon', 'resident', 'member', 'moderator', 'analyst', 'admin'] as const;
export type TRlsRole = (typeof RLS_ROLES)[number];
export const RLS_OPS = ['select', 'insert', 'update', 'delete'] as const;
export type TRlsOp = (typeof RLS_OPS)[number];

/** anon = no session; resident = anonymous sign-in; member = signed in, not staff. */
export const ROLE_MEANING: Record<TRlsRole, string> = {
	anon: 'no session (the anon key only)',
	resident: 'anonymous sign-in (a resident answering a survey or commenting)',
	member: 'signed in with an email, not staff',
	moderator: 'staff: moderator',
	analyst: 'staff: analyst',
	admin: 'staff: admin'
};

const NOBODY: readonly TRlsRole[] = [];
const EVERYONE: readonly TRlsRole[] = RLS_ROLES;
const STAFF: readonly TRlsRole[] = ['moderator', 'analyst', 'admin'];
const ADMIN: readonly TRlsRole[] = ['admin'];
const ANALYSTS: readonly TRlsRole[] = ['analyst', 'admin'];
const MODERATORS: readonly TRlsRole[] = ['moderator', 'admin'];
const SIGNED_IN: readonly TRlsRole[] = ['resident', 'member', 'moderator', 'analyst', 'admin'];

export interface TTableRules {
	/**
	 * SQL run as the table owner inside the check's transaction (rolled back afterwards) on the
	 * seeded demo database; returns one row with `k`, the probe row's key as a jsonb object.
	 */
	probe: string;
	/** Column set to the caller's user id when inserting ("my own row"). */
	owner?: string;
	allow: Record<TRlsOp, readonly TRlsRole[]>;
	why: string;
}

const key = (t: string, where = 'true', order = '1') =>
	`select jsonb_build_object('id', id) as k from public.${t} where ${where} order by ${order} limit 1`;
const L = `'{"en": "Probe", "es": "Sonda"}'`;
const freshSurvey = `insert into public.surveys (slug, title, intro) values ('rls-probe', ${L}, ${L}) returning id`;
/** Two CTEs (s = a fresh survey, sec = its one section) to start a WITH clause. */
const freshSection = `s as (${freshSurvey}),
  sec as (insert into public.survey_sections (survey_id, key, position, title)
    select id, 'probe', 1, ${L} from s returning id, survey_id)`;
const freshMeeting = `insert into public.meetings (title, starts_at) values (${L}, now() + interval '7 days') returning id`;
const unpublish = (t: string) =>
	`update public.${t} set published = false where id = (select id from public.${t} order by id limit 1) returning jsonb_build_object('id', id) as k`;

export const RLS_SPEC: Record<string, TTableRules> = {
	staff: {
		probe: `with u as (
		  insert into auth.users (id, aud, role, email, is_anonymous, created_at, updated_at)
		  values (gen_random_uuid(), 'authenticated', 'authenticated', 'probe-staff@example.test', false, now(), now())
		  returning id)
		insert into public.staff (user_id, role) select id, 'analyst' from u
		returning jsonb_build_object('user_id', user_id) as k`,
		allow: { select: ADMIN, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'Only admins manage staff; everybody else sees at most their own row.'
	},
	staff_invites: {
		probe: `insert into public.staff_invites (id, email, role)
		  values (gen_random_uuid(), 'probe-invite@example.test', 'moderator')
		  returning jsonb_build_object('id', id) as k`,
		allow: { select: ADMIN, insert: NOBODY, update: NOBODY, delete: NOBODY },
		why: 'Admins read pending grants; every write goes through invite_staff / withdraw_staff_invite (normalized email, idempotent id).'
	},
	surveys: {
		probe: `with s as (${freshSurvey}) select jsonb_build_object('id', id) as k from s`,
		allow: { select: EVERYONE, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'Survey definitions are public; admins build them.'
	},
	survey_waves: {
		probe: `insert into public.survey_waves (survey_id, label, period, mode, opens_at)
		  select id, 'Probe wave', '2027-Q1', 'open', now() + interval '30 days' from public.surveys order by id limit 1
		  returning jsonb_build_object('id', id) as k`,
		allow: { select: STAFF, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'A scheduled (not yet open) wave is visible to staff only; admins run waves.'
	},
	survey_sections: {
		probe: `with ${freshSection} select jsonb_build_object('id', id) as k from sec`,
		allow: { select: EVERYONE, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'Part of the public survey definition.'
	},
	questions: {
		probe: `with ${freshSection}
		  insert into public.questions (survey_id, section_id, key, position, kind, prompt)
		  select survey_id, id, 'probe', 1, 'text', ${L} from sec
		  returning jsonb_build_object('id', id) as k`,
		allow: { select: EVERYONE, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'Part of the public survey definition.'
	},
	invitations: {
		probe: key('invitations'),
		allow: { select: ANALYSTS, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'Residents only use check_invitation / submit_responses; codes are stored hashed.'
	},
	responses: {
		probe: key('responses'),
		owner: 'respondent_id',
		allow: { select: ANALYSTS, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'A resident sees only their own response; residents write through submit_responses.'
	},
	answers: {
		probe: `select jsonb_build_object('response_id', response_id, 'question_id', question_id) as k
		  from public.answers order by response_id, question_id limit 1`,
		allow: { select: ANALYSTS, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'Same audience as the response they belong to.'
	},
	goal_areas: {
		probe: key('goal_areas'),
		allow: { select: EVERYONE, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'The public scorecard structure.'
	},
	goals: {
		probe: unpublish('goals'),
		allow: { select: STAFF, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'An unpublished goal is for staff only.'
	},
	measures: {
		probe: unpublish('measures'),
		allow: { select: STAFF, insert: ANALYSTS, update: ANALYSTS, delete: ADMIN },
		why: 'An unpublished measure is for staff only; analysts maintain measures.'
	},
	targets: {
		probe: unpublish('targets'),
		allow: { select: STAFF, insert: ANALYSTS, update: ANALYSTS, delete: ANALYSTS },
		why: 'An unpublished target is for staff only; analysts set targets.'
	},
	measure_values: {
		probe: unpublish('measure_values'),
		allow: { select: STAFF, insert: ANALYSTS, update: ANALYSTS, delete: ANALYSTS },
		why: 'An unpublished actual is for staff only; analysts enter actuals.'
	},
	narratives: {
		probe: unpublish('narratives'),
		allow: { select: STAFF, insert: ANALYSTS, update: ANALYSTS, delete: ANALYSTS },
		why: 'An unpublished narrative is for staff only; analysts write narratives.'
	},
	meetings: {
		probe: `with m as (${freshMeeting}) select jsonb_build_object('id', id) as k from m`,
		allow: { select: EVERYONE, insert: ADMIN, update: MODERATORS, delete: ADMIN },
		why: 'The public schedule; moderators run a meeting (status, comments open).'
	},
	agenda_items: {
		probe: `with m as (${freshMeeting})
		  insert into public.agenda_items (meeting_id, position, title) select id, 1, ${L} from m
		  returning jsonb_build_object('id', id) as k`,
		allow: { select: EVERYONE, insert: ADMIN, update: ADMIN, delete: ADMIN },
		why: 'The public agenda.'
	},
	comments: {
		probe: `update public.comments set status = 'hidden'
		  where id = (select id from public.comments order by id limit 1)
		  returning jsonb_build_object('id', id) as k`,
		owner: 'author_id',
		allow: { select: MODERATORS, insert: MODERATORS, update: MODERATORS, delete: MODERATORS },
		why: 'A hidden comment is seen by its author and moderators; residents post through submit_comments.'
	},
	comment_votes: {
		probe: `with c as (
		  update public.comments set status = 'published'
		  where id = (select id from public.comments order by id limit 1) returning id),
		u as (
		  insert into auth.users (id, aud, role, is_anonymous, created_at, updated_at)
		  values (gen_random_uuid(), 'authenticated', 'authenticated', true, now(), now()) returning id)
		insert into public.comment_votes (comment_id, voter_id) select c.id, u.id from c, u
		returning jsonb_build_object('comment_id', comment_id, 'voter_id', voter_id) as k`,
		owner: 'voter_id',
		allow: { select: MODERATORS, insert: SIGNED_IN, update: NOBODY, delete: NOBODY },
		why: 'One vote per person on a published comment; a vote is private to its voter (and moderators).'
	}
};

export type TRlsMatrix = Record<string, Record<TRlsRole, Record<TRlsOp, boolean>>>;

/** The expectation matrix, generated from the spec (sorted for a stable file). */
export function buildMatrix(spec: Record<string, TTableRules> = RLS_SPEC): TRlsMatrix {
	const out: TRlsMatrix = {};
	for (const table of Object.keys(spec).sort()) {
		const row = {} as Record<TRlsRole, Record<TRlsOp, boolean>>;
		for (const role of RLS_ROLES) {
			row[role] = {} as Record<TRlsOp, boolean>;
			for (const op of RLS_OPS) row[role][op] = spec[table].allow[op].includes(role);
		}
		out[table] = row;
	}
	return out;
}
