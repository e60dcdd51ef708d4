-- RLS on the survey instrument (surveys, survey_waves, survey_sections, questions) and on
-- invitations. The instrument is public (anyone with the link reads it); scheduled waves and
-- invitation codes (even hashed) are staff-only; only admins change any of it.
begin;
select plan(131);

select tests.create_identities();

insert into public.surveys (id, slug, title, intro) values
  (tests.uid('s'), 'test-survey', '{"en": "S", "es": "S"}', '{"en": "I", "es": "I"}'),
  (tests.uid('s_empty'), 'test-survey-empty', '{"en": "E", "es": "E"}', '{"en": "I", "es": "I"}');
insert into public.survey_waves (id, survey_id, label, period, mode, opens_at, closes_at) values
  (tests.uid('w_open'), tests.uid('s'), 'Open', '2026', 'both', now() - interval '1 day', now() + interval '1 day'),
  (tests.uid('w_future'), tests.uid('s'), 'Scheduled', '2027', 'invited', now() + interval '30 days', null);
insert into public.survey_sections (id, survey_id, key, position, title) values
  (tests.uid('sec'), tests.uid('s'), 'main', 1, '{"en": "Main", "es": "Principal"}');
insert into public.questions (id, survey_id, section_id, key, position, kind, prompt, options) values
  (tests.uid('q1'), tests.uid('s'), tests.uid('sec'), 'q1', 1, 'satisfaction5', '{"en": "Q", "es": "P"}', null),
  (tests.uid('q2'), tests.uid('s'), tests.uid('sec'), 'q2', 2, 'single', '{"en": "Q", "es": "P"}',
   '[{"key": "a", "label": {"en": "A", "es": "A"}}, {"key": "b", "label": {"en": "B", "es": "B"}}]');
insert into public.invitations (id, wave_id, code_hash) values
  (tests.uid('inv1'), tests.uid('w_open'), private.hash_invitation_code('TEST-0001')),
  (tests.uid('inv2'), tests.uid('w_open'), private.hash_invitation_code('TEST-0002'));

select * from tests.rls_matrix('surveys',
  $$select 1 from public.surveys where id = any (tests.ids('s', 's_empty'))$$,
  $$insert into public.surveys (slug, title, intro) values ('test-new', '{"en": "N", "es": "N"}', '{"en": "N", "es": "N"}')$$,
  $$update public.surveys set languages = array['en'] where id = tests.uid('s')$$,
  $$delete from public.surveys where id = tests.uid('s_empty')$$,
  '{
    "anon":         ["2", "42501", "42501", "42501"],
    "resident":     ["2", "42501", "0",     "0"],
    "admin":        ["2", "1",     "1",     "1"],
    "analyst":      ["2", "42501", "0",     "0"],
    "moderator":    ["2", "42501", "0",     "0"],
    "service_role": ["2", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('survey_waves',
  $$select 1 from public.survey_waves where id = any (tests.ids('w_open', 'w_future'))$$,
  $$insert into public.survey_waves (survey_id, label, period, mode, opens_at)
    values (tests.uid('s'), 'New', '2028', 'open', now())$$,
  $$update public.survey_waves set closes_at = now() + interval '2 days' where id = tests.uid('w_open')$$,
  $$delete from public.survey_waves where id = tests.uid('w_future')$$,
  '{
    "anon":         ["1", "42501", "42501", "42501"],
    "resident":     ["1", "42501", "0",     "0"],
    "admin":        ["2", "1",     "1",     "1"],
    "analyst":      ["2", "42501", "0",     "0"],
    "moderator":    ["2", "42501", "0",     "0"],
    "service_role": ["2", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('survey_sections',
  $$select 1 from public.survey_sections where id = tests.uid('sec')$$,
  $$insert into public.survey_sections (survey_id, key, position, title) values (tests.uid('s'), 'extra', 2, '{"en": "X", "es": "X"}')$$,
  $$update public.survey_sections set position = 3 where id = tests.uid('sec')$$,
  $$delete from public.survey_sections where id = tests.uid('sec')$$,
  '{
    "anon":         ["1", "42501", "42501", "42501"],
    "resident":     ["1", "42501", "0",     "0"],
    "admin":        ["1", "1",     "1",     "1"],
    "analyst":      ["1", "42501", "0",     "0"],
    "moderator":    ["1", "42501", "0",     "0"],
    "service_role": ["1", "1",     "1",     "1"]
  }'::jsonb);

-- The insert also proves a staff writer may run the CHECK validators (private.is_valid_options).
select * from tests.rls_matrix('questions',
  $$select 1 from public.questions where id = any (tests.ids('q1', 'q2'))$$,
  $$insert into public.questions (survey_id, section_id, key, position, kind, prompt, options, show_if)
    values (tests.uid('s'), tests.uid('sec'), 'q3', 3, 'multi', '{"en": "Q", "es": "P"}',
            '[{"key": "x", "label": {"en": "X", "es": "X"}}]', '{"question": "q2", "op": "eq", "value": "a"}')$$,
  $$update public.questions set required = true where id = tests.uid('q1')$$,
  $$delete from public.questions where id = tests.uid('q1')$$,
  '{
    "anon":         ["2", "42501", "42501", "42501"],
    "resident":     ["2", "42501", "0",     "0"],
    "admin":        ["2", "1",     "1",     "1"],
    "analyst":      ["2", "42501", "0",     "0"],
    "moderator":    ["2", "42501", "0",     "0"],
    "service_role": ["2", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('invitations',
  $$select 1 from public.invitations where id = any (tests.ids('inv1', 'inv2'))$$,
  $$insert into public.invitations (wave_id, code_hash) values (tests.uid('w_open'), extensions.digest('TESTNEW', 'sha256'))$$,
  $$update public.invitations set batch = 'mail-2' where id = tests.uid('inv1')$$,
  $$delete from public.invitations where id = tests.uid('inv2')$$,
  '{
    "anon":         ["42501", "42501", "42501", "42501"],
    "resident":     ["0",     "42501", "0",     "0"],
    "admin":        ["2",     "1",     "1",     "1"],
    "analyst":      ["2",     "42501", "0",     "0"],
    "moderator":    ["0",     "42501", "0",     "0"],
    "service_role": ["2",     "1",     "1",     "1"]
  }'::jsonb);

-- Explicit cases.
select tests.become('anon');
select throws_ok($$select code_hash from public.invitations$$, '42501',
  'permission denied for table invitations', 'anon cannot read invitation hashes');
select is_empty($$select 1 from public.survey_waves where id = tests.uid('w_future')$$,
  'a scheduled wave stays hidden from the public until it opens');
select tests.become('resident');
select throws_ok(
  $$insert into public.questions (survey_id, section_id, key, position, kind, prompt)
    values (tests.uid('s'), tests.uid('sec'), 'q_evil', 9, 'text', '{"en": "Q", "es": "P"}')$$,
  '42501', 'new row violates row-level security policy for table "questions"',
  'a resident cannot add questions');
select tests.become('owner');

-- Instrument rules.
select throws_ok(
  $$insert into public.questions (survey_id, section_id, key, position, kind, prompt)
    values (tests.uid('s'), tests.uid('sec'), 'q_noopts', 9, 'single', '{"en": "Q", "es": "P"}')$$,
  '23514', null, 'a single-choice question needs options');
select throws_ok(
  $$insert into public.questions (survey_id, section_id, key, position, kind, prompt, options)
    values (tests.uid('s'), tests.uid('sec'), 'q_dupopts', 9, 'multi', '{"en": "Q", "es": "P"}',
      '[{"key": "a", "label": {"en": "A", "es": "A"}}, {"key": "a", "label": {"en": "B", "es": "B"}}]')$$,
  '23514', null, 'option keys are distinct');
select throws_ok(
  $$insert into public.questions (survey_id, section_id, key, position, kind, prompt, show_if)
    values (tests.uid('s'), tests.uid('sec'), 'q_badif', 9, 'text', '{"en": "Q", "es": "P"}',
      '{"question": "q2", "op": "like", "value": "a"}')$$,
  '23514', null, 'show_if uses a known operator');
select throws_ok(
  $$insert into public.questions (survey_id, section_id, key, position, kind, prompt, min, max)
    values (tests.uid('s'), tests.uid('sec'), 'q_range', 9, 'number', '{"en": "Q", "es": "P"}', 10, 1)$$,
  '23514', null, 'a number question has min <= max');
select throws_ok(
  $$insert into public.survey_waves (survey_id, label, period, mode, opens_at, closes_at)
    values (tests.uid('s'), 'Bad', '2026', 'sometimes', now(), now() + interval '1 day')$$,
  '23514', null, 'wave mode is invited, open or both');
select throws_ok(
  $$insert into public.survey_waves (survey_id, label, period, mode, opens_at, closes_at)
    values (tests.uid('s'), 'Bad', '2026', 'open', now(), now() - interval '1 day')$$,
  '23514', null, 'a wave closes after it opens');
select is(
  private.hash_invitation_code(' test-0001 '), private.hash_invitation_code('TEST0001'),
  'invitation codes are compared case-, space- and dash-insensitively');
select is(
  (select count(*)::int from public.invitations
   where code_hash = extensions.digest('TEST0001', 'sha256')),
  1, 'codes are stored as sha256 of the normalized code, never in clear');

select * from finish();
rollback;
