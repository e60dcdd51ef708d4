/**
 * Test fixture for the local backend's contract tests: its own tables, functions, policies and
 * users, independent of the app migrations (the backend is started with an empty migrations
 * folder). Used by server.test.ts on PGlite and on PostgreSQL 15.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { Database } from '../../src/lib/supabase/types';
import type { Db } from './db';
import { startLocalBackend, type LocalBackend } from './server';

export const STAFF_EMAIL = 'staff@example.org';
export const STAFF_PASSWORD = 'correct horse battery';
export const STAFF_ID = '11111111-1111-4111-8111-111111111111';

export const FIXTURE_SQL = `
create table public.items (
  id bigint primary key,
  title text not null default 'untitled',
  price numeric(10,2),
  tags text[] not null default '{}',
  meta jsonb,
  note text,
  created_at timestamptz not null default now()
);
comment on table public.items is 'local backend test fixture';
alter table public.items enable row level security;
grant select, insert, update, delete on public.items to anon, authenticated, service_role;
create policy items_select on public.items for select using (true);
create policy items_insert on public.items for insert with check (true);
create policy items_update on public.items for update using (true);
create policy items_delete on public.items for delete using (true);

-- Write-only inbox: insert allowed, no SELECT policy (RETURNING must then fail with 42501).
create table public.drop_box (id uuid primary key default gen_random_uuid(), body text not null);
alter table public.drop_box enable row level security;
grant select, insert on public.drop_box to anon, authenticated;
grant select, insert, delete on public.drop_box to service_role;
create policy drop_box_insert on public.drop_box for insert to anon, authenticated with check (true);

-- Per-user rows.
create table public.notes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  body text not null
);
alter table public.notes enable row level security;
grant select, insert, update, delete on public.notes to authenticated, service_role;
create policy notes_select on public.notes for select to authenticated using ((select auth.uid()) = user_id);
create policy notes_insert on public.notes for insert to authenticated with check ((select auth.uid()) = user_id);

-- No grants for anon/authenticated at all.
create table public.secrets (id int primary key, v text not null);
alter table public.secrets enable row level security;
grant select on public.secrets to service_role;
insert into public.secrets values (1, 'classified');

create table public.numbers (id int primary key, big bigint, amount numeric(12,3), at timestamptz, raw bytea, d date);
alter table public.numbers enable row level security;
grant select on public.numbers to anon, authenticated;
create policy numbers_select on public.numbers for select using (true);
insert into public.numbers values
  (1, 9007199254740993, 1.500, '2026-01-02T03:04:05.123456Z', '\\x0102', '2026-03-04');

create table public.many (id int primary key);
alter table public.many enable row level security;
grant select on public.many to anon;
create policy many_select on public.many for select using (true);
insert into public.many select g from generate_series(1, 1005) g;

create function public.add_numbers(a int, b int default 10) returns int
  language sql immutable as $$ select a + b $$;
create function public.whoami() returns json language sql stable as $$
  select json_build_object(
    'user', current_user, 'sub', auth.uid(), 'claims_role', auth.role(),
    'method', current_setting('request.method', true), 'path', current_setting('request.path', true),
    'x_test', current_setting('request.headers', true)::json ->> 'x-test-header',
    'cookies', current_setting('request.cookies', true)::json,
    'timeout', current_setting('statement_timeout'),
    'read_only', current_setting('transaction_read_only'),
    'search_path', current_setting('search_path'))
$$;
create function public.fail_plain() returns void language plpgsql as $$
begin raise exception 'Survey % is closed', 7 using hint = 'Pick another survey'; end $$;
create function public.touch_item(p_id bigint) returns setof public.items language sql volatile as $$
  update public.items set note = 'touched' where id = p_id returning * $$;
create function public.echo_json(jsonb) returns jsonb language sql immutable as $$ select $1 $$;
create function public.do_nothing() returns void language sql volatile as $$ select $$;
create function public.item_titles() returns setof text language sql stable as $$
  select title from public.items order by id $$;
create function public.item_codes() returns table (code text) language sql stable as $$
  select 'c-' || id from public.items order by id $$;
create function public.plus_one(num int, out num_plus_one int) language sql immutable as $$
  select num + 1 $$;

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values ('00000000-0000-0000-0000-000000000000', '${STAFF_ID}', 'authenticated', 'authenticated',
  '${STAFF_EMAIL}', extensions.crypt('${STAFF_PASSWORD}', extensions.gen_salt('bf')), now(),
  '{"provider":"email","providers":["email"],"staff_role":"analyst"}', '{"name":"Sam Staff"}', now(), now());
`;

/**
 * Relationships, overloads and planner statistics for the PostgREST fidelity tests
 * (fidelity.test.ts): a small goal framework like the app's, with foreign keys of every
 * cardinality, two keys to the same table (ambiguous), a junction table (many-to-many), a view,
 * RLS on the embedded side, overloaded functions, and tables whose planner estimate is known.
 */
export const FIDELITY_SQL = `
create table public.areas (id int primary key, name text not null);
create table public.people (id int primary key, name text not null);
create table public.goals (
  id int primary key,
  area_id int not null references public.areas (id),
  owner_id int references public.people (id),
  deputy_id int references public.people (id),
  name text not null
);
create table public.measures (
  id int primary key,
  goal_id int not null references public.goals (id),
  key text not null unique,
  name text not null,
  internal boolean not null default false
);
-- One-to-one: the charter's key is the goal's key.
create table public.goal_charters (
  goal_id int primary key references public.goals (id),
  statement text not null
);
create table public.tags (id int primary key, label text not null);
create table public.goal_tags (
  goal_id int not null references public.goals (id),
  tag_id int not null references public.tags (id),
  primary key (goal_id, tag_id)
);
create view public.goal_names with (security_invoker = true) as select id, name from public.goals;
do $$
declare t text;
begin
  foreach t in array array['areas', 'people', 'goals', 'measures', 'goal_charters', 'tags', 'goal_tags'] loop
    execute format('alter table public.%I enable row level security', t);
    execute format('grant select on public.%I to anon, authenticated, service_role', t);
    if t <> 'measures' then
      execute format('create policy %I on public.%I for select using (true)', t || '_read', t);
    end if;
  end loop;
end $$;
grant insert on public.goals to anon, authenticated;
create policy goals_insert on public.goals for insert with check (true);
grant select on public.goal_names to anon, authenticated;
-- Residents (anon) see only public measures; signed-in staff see internal ones too.
create policy measures_public on public.measures for select to anon using (not internal);
create policy measures_staff on public.measures for select to authenticated using (true);

insert into public.areas values (1, 'Safety'), (2, 'Streets'), (3, 'Parks');
insert into public.people values (1, 'Ada'), (2, 'Ben');
insert into public.goals values
  (10, 1, 1, 2, 'Faster response'),
  (11, 1, 2, null, 'Fewer fires'),
  (20, 2, null, null, 'Smooth roads');
insert into public.measures values
  (100, 10, 'resp-time', 'Response time', false),
  (101, 10, 'resp-staff', 'Staffing', true),
  (102, 11, 'fires', 'Structure fires', false),
  (103, 20, 'potholes', 'Potholes filled', false);
insert into public.goal_charters values (10, 'Arrive within 6 minutes');
insert into public.tags values (1, 'equity'), (2, 'budget');
insert into public.goal_tags values (10, 1), (10, 2), (20, 2);

create function public.goals_in_area(p_area int) returns setof public.goals
  language sql stable as $$ select * from public.goals where area_id = p_area order by id $$;

-- Overloads PostgREST cannot choose between, and ones it can.
create function public.overloaded(a int) returns text language sql immutable as $$ select 'one' $$;
create function public.overloaded(a int, b int default 0) returns text
  language sql immutable as $$ select 'two' $$;
create function public.unnamed_default() returns text language sql immutable as $$ select 'none' $$;
create function public.unnamed_default(text default 'x') returns text
  language sql immutable as $$ select $1 $$;
create function public.unnamed_text(text) returns text language sql immutable as $$ select 'got ' || $1 $$;
create function public.later(a int) returns text language sql immutable as $$ select 'first' $$;

create function public.touch_items(p_from bigint, p_to bigint, p_note text) returns setof public.items
  language sql volatile as $$
  update public.items set note = p_note where id between p_from and p_to returning * $$;

-- Planner statistics that differ from the truth: analysed with 50 (and 1200) rows, then rows
-- deleted without a vacuum, so the estimate stays at the analysed count.
create table public.estimates (id int primary key) with (autovacuum_enabled = false);
create table public.bulk (id int primary key) with (autovacuum_enabled = false);
alter table public.estimates enable row level security;
alter table public.bulk enable row level security;
grant select on public.estimates, public.bulk to anon;
grant insert, update, delete on public.estimates to anon;
create policy estimates_read on public.estimates for select using (true);
create policy estimates_write on public.estimates for update using (true);
create policy bulk_read on public.bulk for select using (true);
insert into public.estimates select g from generate_series(1, 50) g;
insert into public.bulk select g from generate_series(1, 1200) g;
analyze public.estimates;
analyze public.bulk;
delete from public.estimates where id > 30;
delete from public.bulk where id > 1100;
`;

export interface TestBackend extends LocalBackend {
	client(key?: string): SupabaseClient<Database>;
}

/** Start the backend on a random loopback port over `db`, with no app migrations, plus the fixture. */
export async function startTestBackend(db: Db): Promise<TestBackend> {
	const emptyMigrations = await mkdtemp(path.join(os.tmpdir(), 'lb-migrations-'));
	const b = await startLocalBackend({
		db,
		port: 0,
		migrationsDir: emptyMigrations,
		seed: false,
		quiet: true
	});
	await db.exec(FIXTURE_SQL);
	await b.reloadSchema();
	return Object.assign(b, {
		client(key: string = b.anonKey) {
			// Node 20 has no global WebSocket; supabase-js builds its Realtime client eagerly.
			return createClient<Database>(b.url, key, {
				auth: { persistSession: false, autoRefreshToken: false },
				realtime: { transport: WebSocket as never }
			});
		}
	});
}
