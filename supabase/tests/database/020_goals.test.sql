-- RLS on the goals framework: goal_areas, goals, measures, targets, measure_values, narratives.
-- The public (anon and residents) sees only published rows under published parents; staff of
-- every role read everything; admins manage the tree; analysts write the numbers and words.
begin;
select plan(154);

select tests.create_identities();

-- Fixtures (as the owner). Names → ids via tests.uid(name).
insert into public.goal_areas (id, key, name) values
  (tests.uid('ga'), 'test_area', '{"en": "Area", "es": "Área"}'),
  (tests.uid('ga_empty'), 'test_area_empty', '{"en": "Empty", "es": "Vacía"}');
insert into public.goals (id, goal_area_id, key, title, published) values
  (tests.uid('g_pub'), tests.uid('ga'), 'test_goal_pub', '{"en": "G", "es": "G"}', true),
  (tests.uid('g_draft'), tests.uid('ga'), 'test_goal_draft', '{"en": "D", "es": "D"}', false);
insert into public.measures (id, goal_id, key, name, unit, direction, kind, published) values
  (tests.uid('m_pub'), tests.uid('g_pub'), 'test_m_pub', '{"en": "M", "es": "M"}', 'days', 'lower', 'operational', true),
  (tests.uid('m_draft'), tests.uid('g_pub'), 'test_m_draft', '{"en": "M", "es": "M"}', 'days', 'lower', 'operational', false),
  (tests.uid('m_orphan'), tests.uid('g_draft'), 'test_m_orphan', '{"en": "M", "es": "M"}', 'count', 'higher', 'operational', true);
insert into public.targets (id, measure_id, period, value, published) values
  (tests.uid('t_pub'), tests.uid('m_pub'), '2026', 10, true),
  (tests.uid('t_draft'), tests.uid('m_pub'), '2026-Q1', 12, false),
  (tests.uid('t_on_draft_measure'), tests.uid('m_draft'), '2026', 5, true),
  (tests.uid('t_on_draft_goal'), tests.uid('m_orphan'), '2026', 5, true);
insert into public.measure_values (id, measure_id, period, value, published) values
  (tests.uid('v_pub'), tests.uid('m_pub'), '2026-Q1', 11, true),
  (tests.uid('v_draft'), tests.uid('m_pub'), '2026-Q2', 13, false),
  (tests.uid('v_on_draft_measure'), tests.uid('m_draft'), '2026-Q1', 4, true);
insert into public.narratives (id, measure_id, goal_id, period, body, published) values
  (tests.uid('n_measure'), tests.uid('m_pub'), null, '2026-Q1', '{"en": "Why", "es": "Por qué"}', true),
  (tests.uid('n_goal'), null, tests.uid('g_pub'), '2026', '{"en": "Why", "es": "Por qué"}', true),
  (tests.uid('n_draft'), tests.uid('m_pub'), null, '2026-Q2', '{"en": "Why", "es": "Por qué"}', false),
  (tests.uid('n_draft_goal'), null, tests.uid('g_draft'), '2026', '{"en": "Why", "es": "Por qué"}', true);

select * from tests.rls_matrix('goal_areas',
  $$select 1 from public.goal_areas where id = any (tests.ids('ga', 'ga_empty'))$$,
  $$insert into public.goal_areas (key, name) values ('test_new', '{"en": "N", "es": "N"}')$$,
  $$update public.goal_areas set position = 5 where id = tests.uid('ga')$$,
  $$delete from public.goal_areas where id = tests.uid('ga_empty')$$,
  '{
    "anon":         ["2", "42501", "42501", "42501"],
    "resident":     ["2", "42501", "0",     "0"],
    "admin":        ["2", "1",     "1",     "1"],
    "analyst":      ["2", "42501", "0",     "0"],
    "moderator":    ["2", "42501", "0",     "0"],
    "service_role": ["2", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('goals',
  $$select 1 from public.goals where id = any (tests.ids('g_pub', 'g_draft'))$$,
  $$insert into public.goals (goal_area_id, key, title) values (tests.uid('ga'), 'test_new_goal', '{"en": "N", "es": "N"}')$$,
  $$update public.goals set position = 3 where id = tests.uid('g_pub')$$,
  $$delete from public.goals where id = tests.uid('g_pub')$$,
  '{
    "anon":         ["1", "42501", "42501", "42501"],
    "resident":     ["1", "42501", "0",     "0"],
    "admin":        ["2", "1",     "1",     "1"],
    "analyst":      ["2", "42501", "0",     "0"],
    "moderator":    ["2", "42501", "0",     "0"],
    "service_role": ["2", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('measures',
  $$select 1 from public.measures where id = any (tests.ids('m_pub', 'm_draft', 'm_orphan'))$$,
  $$insert into public.measures (goal_id, key, name, unit, direction, kind)
    values (tests.uid('g_pub'), 'test_m_new', '{"en": "N", "es": "N"}', 'count', 'higher', 'operational')$$,
  $$update public.measures set position = 7 where id = tests.uid('m_pub')$$,
  $$delete from public.measures where id = tests.uid('m_pub')$$,
  '{
    "anon":         ["1", "42501", "42501", "42501"],
    "resident":     ["1", "42501", "0",     "0"],
    "admin":        ["3", "1",     "1",     "1"],
    "analyst":      ["3", "1",     "1",     "0"],
    "moderator":    ["3", "42501", "0",     "0"],
    "service_role": ["3", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('targets',
  $$select 1 from public.targets where id = any (tests.ids('t_pub', 't_draft', 't_on_draft_measure', 't_on_draft_goal'))$$,
  $$insert into public.targets (measure_id, period, value) values (tests.uid('m_pub'), '2027', 9)$$,
  $$update public.targets set value = 99 where id = tests.uid('t_pub')$$,
  $$delete from public.targets where id = tests.uid('t_pub')$$,
  '{
    "anon":         ["1", "42501", "42501", "42501"],
    "resident":     ["1", "42501", "0",     "0"],
    "admin":        ["4", "1",     "1",     "1"],
    "analyst":      ["4", "1",     "1",     "1"],
    "moderator":    ["4", "42501", "0",     "0"],
    "service_role": ["4", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('measure_values',
  $$select 1 from public.measure_values where id = any (tests.ids('v_pub', 'v_draft', 'v_on_draft_measure'))$$,
  $$insert into public.measure_values (measure_id, period, value) values (tests.uid('m_pub'), '2027', 9)$$,
  $$update public.measure_values set value = 99 where id = tests.uid('v_pub')$$,
  $$delete from public.measure_values where id = tests.uid('v_pub')$$,
  '{
    "anon":         ["1", "42501", "42501", "42501"],
    "resident":     ["1", "42501", "0",     "0"],
    "admin":        ["3", "1",     "1",     "1"],
    "analyst":      ["3", "1",     "1",     "1"],
    "moderator":    ["3", "42501", "0",     "0"],
    "service_role": ["3", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('narratives',
  $$select 1 from public.narratives where id = any (tests.ids('n_measure', 'n_goal', 'n_draft', 'n_draft_goal'))$$,
  $$insert into public.narratives (measure_id, period, body) values (tests.uid('m_pub'), '2027', '{"en": "N", "es": "N"}')$$,
  $$update public.narratives set published = false where id = tests.uid('n_goal')$$,
  $$delete from public.narratives where id = tests.uid('n_goal')$$,
  '{
    "anon":         ["2", "42501", "42501", "42501"],
    "resident":     ["2", "42501", "0",     "0"],
    "admin":        ["4", "1",     "1",     "1"],
    "analyst":      ["4", "1",     "1",     "1"],
    "moderator":    ["4", "42501", "0",     "0"],
    "service_role": ["4", "1",     "1",     "1"]
  }'::jsonb);

-- What exactly the public sees.
select tests.become('anon');
select results_eq(
  $$select key from public.measures where id = any (tests.ids('m_pub', 'm_draft', 'm_orphan'))$$,
  $$values ('test_m_pub'::text)$$,
  'anon sees a measure only when it and its goal are published');
select is_empty(
  $$select 1 from public.targets where id = any (tests.ids('t_draft', 't_on_draft_measure', 't_on_draft_goal'))$$,
  'anon never sees a target that is unpublished or under an unpublished measure or goal');
select throws_ok(
  $$update public.goals set published = true$$,
  '42501', 'permission denied for table goals', 'anon cannot write goals at all');
select tests.become('resident');
select throws_ok(
  $$insert into public.targets (measure_id, period, value) values (tests.uid('m_pub'), '2030', 1)$$,
  '42501', 'new row violates row-level security policy for table "targets"',
  'a resident cannot add a target');
select is_empty(
  $$update public.measure_values set value = 0 where id = tests.uid('v_pub') returning id$$,
  'a resident cannot change an actual (row filtered by USING)');
select tests.become('owner');

-- Business rules.
select throws_ok(
  $$insert into public.targets (measure_id, period, value) values (tests.uid('m_pub'), '2026-Q5', 1)$$,
  '23514', null, 'periods are a year or a quarter (2026, 2026-Q3)');
select throws_ok(
  $$insert into public.narratives (measure_id, goal_id, period, body)
    values (tests.uid('m_pub'), tests.uid('g_pub'), '2028', '{"en": "x", "es": "x"}')$$,
  '23514', null, 'a narrative is about a measure or a goal, not both');
select throws_ok(
  $$insert into public.measures (goal_id, key, name, unit, direction, kind)
    values (tests.uid('g_pub'), 'test_bad', '{"en": "x", "es": "x"}', 'percent', 'higher', 'survey')$$,
  '23514', null, 'a survey measure must be linked to a question');
select throws_ok(
  $$insert into public.goal_areas (key, name) values ('test_no_es', '{"en": "Only English"}')$$,
  '23514', null, 'user-visible text must exist in English and Spanish');
select throws_ok(
  $$insert into public.targets (measure_id, period, value) values (tests.uid('m_pub'), '2026', 1)$$,
  '23505', null, 'one target per measure and period');

select * from finish();
rollback;
