-- RLS on public.staff: who can see and change staff roles. Privilege escalation is the risk:
-- a resident (anonymous user) or a non-admin staff member must never grant themselves a role.
begin;
select plan(29);

select tests.create_identities();

-- select / insert / update / delete × identity. Values: visible or affected rows, or SQLSTATE.
select * from tests.rls_matrix('staff',
  $$select 1 from public.staff where user_id = any (tests.ids('admin', 'analyst', 'moderator'))$$,
  $$insert into public.staff (user_id, role) values (tests.uid('resident2'), 'analyst')$$,
  $$update public.staff set display_name = 'Renamed' where user_id = tests.uid('analyst')$$,
  $$delete from public.staff where user_id = tests.uid('moderator')$$,
  '{
    "anon":         ["42501", "42501", "42501", "42501"],
    "resident":     ["0",     "42501", "0",     "0"],
    "admin":        ["3",     "1",     "1",     "1"],
    "analyst":      ["1",     "42501", "0",     "0"],
    "moderator":    ["1",     "42501", "0",     "0"],
    "service_role": ["3",     "1",     "1",     "1"]
  }'::jsonb);

-- Explicit escalation attempts.
select tests.become('resident');
select throws_ok(
  $$insert into public.staff (user_id, role) values (auth.uid(), 'admin')$$,
  '42501', 'new row violates row-level security policy for table "staff"',
  'a resident cannot make themselves admin');
select tests.become('analyst');
select is_empty(
  $$update public.staff set role = 'admin' where user_id = auth.uid() returning user_id$$,
  'an analyst cannot promote themselves (row filtered by USING)');
select results_eq(
  $$select role from public.staff where user_id = auth.uid()$$,
  $$values ('analyst'::text)$$,
  'staff can read their own role (the app shows the staff area from it)');
select tests.become('owner');

-- Role values are a closed list.
select throws_ok(
  $$insert into public.staff (user_id, role) values (tests.uid('resident2'), 'superuser')$$,
  '23514', null, 'staff.role accepts only admin, analyst, moderator');

-- An anonymous session is never staff, even with a staff row (defence in depth).
insert into public.staff (user_id, role) values (tests.uid('resident2'), 'admin');
select tests.become('resident2');
select is_empty(
  $$select 1 from public.staff where user_id <> auth.uid()$$,
  'an anonymous user holding an admin row still gets no admin rights');
select tests.become('owner');

select * from finish();
rollback;
