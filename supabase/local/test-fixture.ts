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

export interface TestBackend extends LocalBackend {
	client(key?: string): SupabaseClient;
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
			return createClient(b.url, key, {
				auth: { persistSession: false, autoRefreshToken: false },
				realtime: { transport: WebSocket as never }
			});
		}
	});
}
