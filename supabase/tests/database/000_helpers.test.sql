-- Test helpers for the pgTAP suite (runs first; deliberately COMMITTED, unlike every other file,
-- so the later files can use them). Lives in a `tests` schema that only exists in test
-- databases (npm run test:db or `supabase test db`), never in a migration.
--
-- Identities used throughout (users are created per file, inside its rolled-back transaction):
--   anon          no session (the anon key)               role anon
--   resident      anonymous Supabase user (is_anonymous)  role authenticated
--   resident2     another anonymous user (owns the "other people's" rows)
--   admin / analyst / moderator   signed-in staff         role authenticated + staff row
--   service_role  the secret key                          role service_role (BYPASSRLS)
-- Impersonation is what PostgREST does: transaction-local role + request.jwt.claims.

create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

-- Deterministic user id for a test identity.
create or replace function tests.uid(p_name text) returns uuid
language sql immutable set search_path = '' as $$ select md5('civicpulse-test:' || p_name)::uuid $$;

-- Ids of several named fixtures: `where id = any (tests.ids('a', 'b'))`. Every matrix filters
-- on fixture ids so the counts hold whether or not the demo seed is loaded.
create or replace function tests.ids(variadic p_names text[]) returns uuid[]
language sql immutable set search_path = '' as $$
  select array_agg(tests.uid(n)) from unnest(p_names) n
$$;

create or replace function tests.create_user(p_name text, p_anonymous boolean default false)
returns uuid
language sql set search_path = '' as $$
  insert into auth.users (id, aud, role, email, is_anonymous, created_at, updated_at)
  values (tests.uid(p_name), 'authenticated', 'authenticated',
          case when p_anonymous then null else p_name || '@example.test' end,
          p_anonymous, now(), now())
  on conflict (id) do nothing;
  select tests.uid(p_name);
$$;

-- All standard identities; staff rows for admin, analyst, moderator.
create or replace function tests.create_identities() returns void
language sql set search_path = '' as $$
  select tests.create_user('resident', true);
  select tests.create_user('resident2', true);
  select tests.create_user('admin');
  select tests.create_user('analyst');
  select tests.create_user('moderator');
  insert into public.staff (user_id, role) values
    (tests.uid('admin'), 'admin'), (tests.uid('analyst'), 'analyst'), (tests.uid('moderator'), 'moderator')
  on conflict (user_id) do nothing;
$$;

-- Switch the current transaction to an identity ('owner' = back to the connecting role).
create or replace function tests.become(p_who text) returns void
language plpgsql set search_path = '' as $$
begin
  if p_who = 'owner' then
    execute 'reset role';
    perform set_config('request.jwt.claims', '', true);
  elsif p_who in ('anon', 'service_role') then
    perform set_config('role', p_who, true);
    perform set_config('request.jwt.claims', jsonb_build_object('role', p_who)::text, true);
  else
    perform set_config('role', 'authenticated', true);
    perform set_config('request.jwt.claims', jsonb_build_object(
      'sub', tests.uid(p_who), 'role', 'authenticated', 'aud', 'authenticated',
      'is_anonymous', p_who like 'resident%')::text, true);
  end if;
end;
$$;

-- Run one statement as p_who and undo it. Returns the number of rows it returned or touched
-- ('0' = filtered out by RLS USING, i.e. is_empty), or the SQLSTATE it failed with ('42501' =
-- no grant, or a WITH CHECK violation). The subtransaction also reverts the role switch.
create or replace function tests.attempt(p_who text, p_sql text) returns text
language plpgsql set search_path = '' as $$
declare
  v_rows bigint;
  v_outcome text;
begin
  begin
    perform tests.become(p_who);
    execute p_sql;
    get diagnostics v_rows = row_count;
    v_outcome := v_rows::text;
    raise exception using errcode = 'TSTRB';
  exception
    when sqlstate 'TSTRB' then null;
    when others then v_outcome := sqlstate;
  end;
  return v_outcome;
end;
$$;

-- The select/insert/update/delete × identity matrix of one table, as TAP lines.
-- p_expect: {"anon": ["<select rows>", "<insert>", "<update>", "<delete>"], ...}
-- No pinned search_path: pgTAP's own functions call each other unqualified.
create or replace function tests.rls_matrix(
  p_table text, p_select text, p_insert text, p_update text, p_delete text, p_expect jsonb
) returns setof text
language plpgsql as $$
declare
  v_who text;
  v_ops text[] := array['select', 'insert', 'update', 'delete'];
  v_sql text[] := array[p_select, p_insert, p_update, p_delete];
  i integer;
begin
  for v_who in select jsonb_object_keys(p_expect) loop
    for i in 1 .. 4 loop
      return next extensions.is(
        tests.attempt(v_who, v_sql[i]),
        p_expect -> v_who ->> (i - 1),
        format('%s: %s %s → %s', p_table, v_who, v_ops[i],
          case p_expect -> v_who ->> (i - 1)
            when '42501' then 'denied (42501)'
            when '0' then case when i = 1 then 'sees nothing' else 'no rows (filtered)' end
            else (p_expect -> v_who ->> (i - 1)) || ' row(s)'
          end)
      );
    end loop;
  end loop;
end;
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(2);
select has_function('tests', 'attempt', array['text', 'text'], 'test helpers are installed');
select is(tests.uid('x'), tests.uid('x'), 'test user ids are deterministic');
select * from finish();
rollback;
