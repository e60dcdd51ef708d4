-- Scoring in the database (migrations 20261122001000..1300): the aggregates are private and
-- kept exact by the triggers; question_scores / public_scorecard / staff_scorecard /
-- the import RPCs (import_check, …; 20261206000200) are SECURITY DEFINER with a pinned search_path and explicit grants, and
-- each refuses the callers it must refuse with a clear SQLSTATE.
begin;
select plan(27);

select tests.create_identities();

-- Definer functions pin search_path; every API function has a comment.
select is(
  (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'private') and p.prosecdef
     and p.proname in ('question_scores', 'public_scorecard', 'staff_scorecard', 'import_check',
                       'scorecard', 'sees_all_scores', 'answers_aggregate_insert',
                       'answers_aggregate_delete', 'answers_aggregate_update',
                       'responses_aggregate_insert', 'responses_aggregate_before_delete',
                       'responses_aggregate_update', 'rebuild_score_aggregates',
                       'require_staff_for_scorecard')
     and not coalesce(p.proconfig @> array['search_path=""'], false)),
  0, 'every scoring SECURITY DEFINER function pins search_path');
select ok(obj_description('public.question_scores(uuid, text, text)'::regprocedure, 'pg_proc') is not null,
  'question_scores is documented');
select ok(obj_description('public.public_scorecard(text, text)'::regprocedure, 'pg_proc') is not null,
  'public_scorecard is documented');
select ok(obj_description('public.staff_scorecard(text, text)'::regprocedure, 'pg_proc') is not null,
  'staff_scorecard is documented');
select ok(obj_description('public.import_check(jsonb)'::regprocedure, 'pg_proc') is not null,
  'import_check is documented');

-- Grants.
select ok(has_function_privilege('anon', 'public.question_scores(uuid, text, text)', 'execute'), 'anon may call question_scores');
select ok(has_function_privilege('anon', 'public.public_scorecard(text, text)', 'execute'), 'anon may call public_scorecard');
select ok(not has_function_privilege('anon', 'private.question_scores(uuid, text, text)', 'execute'),
  'anon may not call the private body');
select ok(not has_table_privilege('anon', 'private.answer_aggregates', 'select'), 'anon cannot read answer aggregates');
select ok(not has_table_privilege('authenticated', 'private.answer_aggregates', 'select'),
  'authenticated cannot read answer aggregates');
select ok(not has_table_privilege('service_role', 'private.respondent_aggregates', 'select'),
  'even the service role reads aggregates only through the functions');
select ok((select relrowsecurity from pg_class where oid = 'private.answer_aggregates'::regclass),
  'RLS is on for answer_aggregates');

-- Fixture: one survey, a published and an unpublished wave.
insert into public.surveys (id, slug, title, intro) values
  (tests.uid('s'), 'scoring-tap', '{"en": "S", "es": "S"}', '{"en": "I", "es": "I"}');
insert into public.survey_waves (id, survey_id, label, period, mode, opens_at, closes_at, results_published) values
  (tests.uid('w_pub'), tests.uid('s'), 'Published', '2025', 'open', now() - interval '30 days', now() - interval '20 days', true),
  (tests.uid('w_draft'), tests.uid('s'), 'Draft', '2026', 'open', now() - interval '2 days', null, false);
insert into public.survey_sections (id, survey_id, key, position, title) values
  (tests.uid('sec'), tests.uid('s'), 'main', 1, '{"en": "Main", "es": "Principal"}');
insert into public.questions (id, survey_id, section_id, key, position, kind, prompt) values
  (tests.uid('q'), tests.uid('s'), tests.uid('sec'), 'q_sat', 1, 'satisfaction5', '{"en": "Q", "es": "P"}');
insert into public.responses (id, wave_id, mode, language, district, source, weight)
select tests.uid('r' || i), tests.uid('w_pub'), 'open', 'en', case when i <= 35 then 'A' else 'B' end, 'import', 1
from generate_series(1, 40) i;
insert into public.answers (response_id, wave_id, question_id, numeric_value)
select tests.uid('r' || i), tests.uid('w_pub'), tests.uid('q'), case when i % 4 = 0 then 2 else 5 end
from generate_series(1, 40) i;

select is(
  (select n from private.answer_aggregates where wave_id = tests.uid('w_pub') and district = '' and value_key = '5'),
  30::bigint, 'the insert trigger counted 30 answers of 5');
select is(
  (select n from private.respondent_aggregates where wave_id = tests.uid('w_pub') and district = 'B'),
  5::bigint, 'respondents are counted per district');

delete from public.responses where id = tests.uid('r4');
select is(
  (select n from private.answer_aggregates where wave_id = tests.uid('w_pub') and district = '' and value_key = '2'),
  9::bigint, 'deleting a response takes its answers out of the aggregates');
update public.responses set weight = 3 where id = tests.uid('r1');
select is(
  (select sum_w from private.answer_aggregates where wave_id = tests.uid('w_pub') and district = '' and value_key = '5'),
  32::numeric, 'a corrected weight moves the response''s answers');

-- question_scores as the public.
select tests.become('anon');
select is(
  (public.question_scores(tests.uid('w_pub')) -> 'questions' -> 0 ->> 'n_valid')::int,
  39, 'anon sees a published wave');
select is(
  (public.question_scores(tests.uid('w_pub'), 'B') -> 'questions' -> 0 ->> 'suppressed')::boolean,
  true, 'anon: a district cell of 5 people is suppressed');
select is(
  public.question_scores(tests.uid('w_pub'), 'B') -> 'questions' -> 0 -> 'percent_satisfied',
  'null'::jsonb, 'anon: the suppressed figure is null, not zero');
select throws_ok(
  $$select public.question_scores(tests.uid('w_draft'))$$,
  '42501', null, 'anon: an unpublished wave is refused');
select throws_ok(
  $$select public.question_scores(tests.uid('nope'))$$,
  'PT404', null, 'an unknown wave is PT404');
select throws_ok(
  $$select public.staff_scorecard()$$,
  '42501', 'Only staff can see the staff scorecard', 'anon: staff_scorecard is refused');
select throws_ok(
  $$select public.import_check('[]'::jsonb)$$,
  '42501', null, 'anon: import is refused');
select tests.become('owner');

select tests.become('analyst');
select is(
  (public.question_scores(tests.uid('w_pub'), 'B') -> 'questions' -> 0 ->> 'suppressed')::boolean,
  false, 'analyst: the small district cell is shown');
select lives_ok($$select public.question_scores(tests.uid('w_draft'))$$, 'analyst sees an unpublished wave');
select is(jsonb_typeof(public.staff_scorecard() -> 'goal_areas'), 'array', 'analyst gets the staff scorecard');
select tests.become('owner');

select tests.become('moderator');
select throws_ok(
  $$select public.import_check('[]'::jsonb)$$,
  '42501', null, 'moderator: import is refused');
select tests.become('owner');

select * from finish();
rollback;
