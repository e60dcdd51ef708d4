-- The import RPCs (migration 20261206000200): SECURITY DEFINER with a pinned search_path, each
-- documented and granted explicitly; the staging tables are private, under RLS, unreachable by
-- every API role; only the service role and admin/analyst staff may call them (42501 for the
-- rest, with the same message); and a staged import is invisible in public.responses until
-- it is committed.
begin;
select plan(21);

select tests.create_identities();

select is(
  (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname = 'public' and p.proname in ('import_check', 'import_stage', 'import_commit', 'import_discard')
     and p.prosecdef and coalesce(p.proconfig @> array['search_path=""'], false)),
  4, 'the four import RPCs are SECURITY DEFINER with search_path pinned');
select ok(to_regprocedure('public.import_responses(jsonb)') is null,
  'the per-row import_responses (partial writes) is gone');
select ok(obj_description('public.import_check(jsonb)'::regprocedure, 'pg_proc') is not null, 'import_check is documented');
select ok(obj_description('public.import_stage(uuid, uuid, jsonb)'::regprocedure, 'pg_proc') is not null, 'import_stage is documented');
select ok(obj_description('public.import_commit(uuid, integer, boolean, boolean)'::regprocedure, 'pg_proc') is not null, 'import_commit is documented');
select ok(obj_description('public.import_discard(uuid)'::regprocedure, 'pg_proc') is not null, 'import_discard is documented');

select ok((select relrowsecurity from pg_class where oid = 'private.imports'::regclass), 'RLS is on for imports');
select ok((select relrowsecurity from pg_class where oid = 'private.import_rows'::regclass), 'RLS is on for import_rows');
select ok(not has_table_privilege('service_role', 'private.import_rows', 'select')
          and not has_table_privilege('authenticated', 'private.import_rows', 'select')
          and not has_table_privilege('anon', 'private.imports', 'select'),
  'no API role reads the staging tables');
select ok(not has_function_privilege('authenticated', 'private.import_validate(jsonb, uuid)', 'execute'),
  'the private helpers are not callable by API roles');

-- Fixture: a survey with one closed wave.
insert into public.surveys (id, slug, title, intro) values
  (tests.uid('is'), 'import-tap', '{"en": "S", "es": "S"}', '{"en": "I", "es": "I"}');
insert into public.survey_waves (id, survey_id, label, period, mode, opens_at, closes_at) values
  (tests.uid('iw'), tests.uid('is'), 'Old', '2019', 'invited', now() - interval '3000 days', now() - interval '2900 days');
insert into public.survey_sections (id, survey_id, key, position, title) values
  (tests.uid('isec'), tests.uid('is'), 'main', 1, '{"en": "Main", "es": "Principal"}');
insert into public.questions (id, survey_id, section_id, key, position, kind, prompt) values
  (tests.uid('iq'), tests.uid('is'), tests.uid('isec'), 'q_sat', 1, 'satisfaction5', '{"en": "Q", "es": "P"}');

select tests.become('anon');
select throws_ok($$select public.import_check('[]'::jsonb)$$, '42501',
  'Only admins and analysts (or the service role) can import survey responses', 'anon: import_check is refused');
select throws_ok($$select public.import_stage(tests.uid('imp'), tests.uid('iw'), '[]'::jsonb)$$, '42501', null,
  'anon: import_stage is refused');
select tests.become('owner');

select tests.become('moderator');
select throws_ok($$select public.import_commit(tests.uid('imp'), 1)$$, '42501', null, 'moderator: import_commit is refused');
select throws_ok($$select public.import_discard(tests.uid('imp'))$$, '42501', null, 'moderator: import_discard is refused');
select tests.become('owner');

select tests.become('resident');
select throws_ok($$select public.import_check('[]'::jsonb)$$, '42501', null, 'a resident: import is refused');
select tests.become('owner');

-- The analyst stages one row into the closed wave: checked, staged, not yet visible.
select tests.become('analyst');
select is(
  public.import_stage(tests.uid('imp'), tests.uid('iw'), jsonb_build_array(jsonb_build_object(
    'id', tests.uid('resp'), 'wave_id', tests.uid('iw'), 'language', 'en', 'source', 'import',
    'mode', 'invited', 'weight', 1, 'district', null, 'external_id', 'T1', 'answers', '{"q_sat": 4}'::jsonb,
    'submitted_at', '2019-05-01T00:00:00Z'))) -> 0 ->> 'status',
  'new', 'analyst: a row for a closed wave stages as new');
select is((select count(*)::int from public.responses where wave_id = tests.uid('iw')), 0,
  'nothing is written before the commit');
select throws_ok($$select public.import_commit(tests.uid('imp'), 2)$$, '22023', null,
  'a commit with a batch missing is refused');
select is((public.import_commit(tests.uid('imp'), 1) ->> 'new')::int, 1, 'the commit writes the row');
select is((select count(*)::int from public.answers where wave_id = tests.uid('iw')), 1, 'with its answer');
select is((public.import_commit(tests.uid('imp'), 1) ->> 'replayed')::boolean, true,
  'committing again replays the result');
select tests.become('owner');

select * from finish();
rollback;
