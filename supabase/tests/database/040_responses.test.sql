-- RLS on responses and answers: never readable by anon; a resident reads only their own;
-- admins and analysts read all; only admins (and the service role, for imports) write directly.
-- Residents write exclusively through submit_responses, whose privileges are checked here too.
begin;
select plan(73);

select tests.create_identities();

insert into public.surveys (id, slug, title, intro) values
  (tests.uid('s'), 'test-survey', '{"en": "S", "es": "S"}', '{"en": "I", "es": "I"}');
insert into public.survey_waves (id, survey_id, label, period, mode, opens_at) values
  (tests.uid('w'), tests.uid('s'), 'Open', '2026', 'open', now() - interval '1 day');
insert into public.survey_sections (id, survey_id, key, position, title) values
  (tests.uid('sec'), tests.uid('s'), 'main', 1, '{"en": "Main", "es": "Principal"}');
insert into public.questions (id, survey_id, section_id, key, position, kind, prompt, required) values
  (tests.uid('q1'), tests.uid('s'), tests.uid('sec'), 'q1', 1, 'satisfaction5', '{"en": "Q", "es": "P"}', true),
  (tests.uid('q2'), tests.uid('s'), tests.uid('sec'), 'q2', 2, 'rating5', '{"en": "Q", "es": "P"}', false);
insert into public.responses (id, wave_id, respondent_id, mode, language) values
  (tests.uid('r1'), tests.uid('w'), tests.uid('resident'), 'open', 'en'),
  (tests.uid('r2'), tests.uid('w'), tests.uid('resident2'), 'open', 'es');
insert into public.answers (response_id, wave_id, question_id, numeric_value) values
  (tests.uid('r1'), tests.uid('w'), tests.uid('q1'), 4),
  (tests.uid('r2'), tests.uid('w'), tests.uid('q1'), 2);

select * from tests.rls_matrix('responses',
  $$select 1 from public.responses where id = any (tests.ids('r1', 'r2'))$$,
  $$insert into public.responses (id, wave_id, respondent_id, mode, language)
    values (gen_random_uuid(), tests.uid('w'), tests.uid('analyst'), 'open', 'en')$$,
  $$update public.responses set language = 'es' where id = tests.uid('r1')$$,
  $$delete from public.responses where id = tests.uid('r1')$$,
  '{
    "anon":         ["42501", "42501", "42501", "42501"],
    "resident":     ["1",     "42501", "0",     "0"],
    "resident2":    ["1",     "42501", "0",     "0"],
    "admin":        ["2",     "1",     "1",     "1"],
    "analyst":      ["2",     "42501", "0",     "0"],
    "moderator":    ["0",     "42501", "0",     "0"],
    "service_role": ["2",     "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('answers',
  $$select 1 from public.answers where response_id = any (tests.ids('r1', 'r2'))$$,
  $$insert into public.answers (response_id, wave_id, question_id, numeric_value)
    values (tests.uid('r1'), tests.uid('w'), tests.uid('q2'), 5)$$,
  $$update public.answers set numeric_value = 1 where response_id = tests.uid('r1')$$,
  $$delete from public.answers where response_id = tests.uid('r1')$$,
  '{
    "anon":         ["42501", "42501", "42501", "42501"],
    "resident":     ["1",     "42501", "0",     "0"],
    "resident2":    ["1",     "42501", "0",     "0"],
    "admin":        ["2",     "1",     "1",     "1"],
    "analyst":      ["2",     "42501", "0",     "0"],
    "moderator":    ["0",     "42501", "0",     "0"],
    "service_role": ["2",     "1",     "1",     "1"]
  }'::jsonb);

-- A resident sees exactly their own response, never another's.
select tests.become('resident');
select results_eq(
  $$select id from public.responses where wave_id = tests.uid('w')$$,
  $$values (tests.uid('r1'))$$,
  'a resident reads only their own response');
select is_empty(
  $$select 1 from public.answers where response_id = tests.uid('r2')$$,
  'a resident cannot read another resident''s answers');
select throws_ok(
  $$insert into public.responses (id, wave_id, respondent_id, mode, language)
    values (gen_random_uuid(), tests.uid('w'), auth.uid(), 'open', 'en')$$,
  '42501', 'new row violates row-level security policy for table "responses"',
  'a resident cannot bypass submit_responses with a direct insert');
select is_empty(
  $$update public.answers set numeric_value = 5 where response_id = tests.uid('r1') returning 1$$,
  'a resident cannot change a stored answer, not even their own');
select tests.become('anon');
select throws_ok($$select * from public.answers$$, '42501',
  'permission denied for table answers', 'anon can never read answers');
select tests.become('owner');

-- Function privileges: the definer body of submit_responses is for signed-in users only.
select ok(not has_function_privilege('anon', 'private.submit_responses(jsonb)', 'execute'),
  'anon cannot execute the SECURITY DEFINER body of submit_responses');
select ok(has_function_privilege('authenticated', 'private.submit_responses(jsonb)', 'execute'),
  'signed-in users can execute submit_responses');
select ok(not has_schema_privilege('anon', 'private', 'usage')
          and not has_schema_privilege('authenticated', 'private', 'usage'),
  'the private schema is not usable by API roles');
select ok(not has_function_privilege('anon', 'public.create_invitations(uuid, integer, text, uuid)', 'execute'),
  'anon cannot mint invitations');
select ok(not has_table_privilege('authenticated', 'private.invitation_secret', 'select')
          and not has_table_privilege('anon', 'private.invitation_secret', 'select')
          and not has_table_privilege('service_role', 'private.invitation_secret', 'select'),
  'no API role can read the key that invitation codes are derived from');
select ok((select relrowsecurity from pg_class where oid = 'private.invitation_secret'::regclass),
  'the invitation key table has row-level security');
select is(
  (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'private') and p.prosecdef
     and not exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%')),
  0, 'every SECURITY DEFINER function pins its search_path');

-- submit_responses end to end, as PostgREST would call it.
select tests.become('anon');
select throws_ok(
  $$select public.submit_responses('[]'::jsonb)$$,
  '42501', 'Sign in first: submitting responses needs a signed-in session',
  'anon-key callers are told to sign in');
select tests.become('resident2');
select is(
  (public.submit_responses(jsonb_build_array(jsonb_build_object(
    'id', tests.uid('r1'), 'wave_id', tests.uid('w'), 'language', 'en',
    'submitted_at', now(), 'invitation_code', null, 'answers', jsonb_build_object('q1', 5))))) -> 0 ->> 'status',
  'duplicate',
  'resubmitting a stored id (even someone else''s) is a duplicate and changes nothing');
select tests.become('analyst');
select is(
  (public.submit_responses(jsonb_build_array(jsonb_build_object(
    'id', tests.uid('r_new'), 'wave_id', tests.uid('w'), 'language', 'es',
    'submitted_at', now(), 'invitation_code', null, 'answers', jsonb_build_object('q1', 9, 'q2', 3))))) -> 0,
  jsonb_build_object('id', tests.uid('r_new')::text, 'status', 'accepted', 'reason', null, 'errors', '[]'::jsonb),
  'a signed-in user submits a valid response');
select tests.become('owner');
select results_eq(
  $$select q.key, a.numeric_value from public.answers a join public.questions q on q.id = a.question_id
    where a.response_id = tests.uid('r_new') order by q.position$$,
  $$values ('q1'::text, 9::numeric), ('q2', 3)$$,
  'its answers are stored one row per question');
select is(
  (select respondent_id from public.responses where id = tests.uid('r_new')),
  tests.uid('analyst'), 'respondent_id is the caller (auth.uid()), never taken from the payload');

select * from finish();
rollback;
