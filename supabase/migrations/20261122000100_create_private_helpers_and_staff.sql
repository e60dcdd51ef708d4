-- Foundations shared by every later migration:
--   * the `private` schema (never exposed through the Data API) for helper functions;
--   * two domains for recurring business rules (localized text, reporting periods);
--   * the `staff` table and `private.is_staff(roles)`, which every staff policy calls.
--
-- Security model (see DESIGN §3): residents are Supabase anonymous users (role `authenticated`,
-- JWT claim is_anonymous = true); staff are regular signed-in users with a `staff` row.
-- Nothing is granted by default (new-cloud default privileges): every table below grants
-- explicitly per role, and RLS is enabled in the same migration that creates the table.

create schema if not exists private;
-- No usage for API roles: policies reference private functions by OID, which only needs
-- EXECUTE on the function, so the schema itself stays unreachable from PostgREST.
revoke all on schema private from public;
grant usage on schema private to service_role;

-- A user-visible string in every supported language: {"en": "...", "es": "..."}.
create domain public.localized_text as jsonb
  -- coalesce: a missing key yields null, and a CHECK that evaluates to null passes. A null
  -- value itself is allowed (nullable columns); `not null` is up to each column.
  check (value is null or coalesce(
    jsonb_typeof(value) = 'object'
    and jsonb_typeof(value -> 'en') = 'string'
    and jsonb_typeof(value -> 'es') = 'string'
    and length(btrim(value ->> 'en')) > 0
    and length(btrim(value ->> 'es')) > 0,
    false
  ));
comment on domain public.localized_text is
  'A user-visible string in every language the product ships: {"en": "…", "es": "…"}, both non-empty.';

-- Reporting periods: a year ('2026') or a quarter ('2026-Q3').
create domain public.period_text as text
  check (value ~ '^[0-9]{4}(-Q[1-4])?$');
comment on domain public.period_text is
  'A reporting period: a calendar year such as 2026 or a quarter such as 2026-Q3.';

-- Keeps updated_at honest without trusting clients.
create function private.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
revoke execute on function private.touch_updated_at() from public;

-- Staff accounts. One role per user; admins manage everything, analysts own the numbers
-- (measures, targets, values, narratives) and read all survey data, moderators run comments.
create table public.staff (
  user_id uuid primary key references auth.users (id) on delete cascade,
  role text not null check (role in ('admin', 'analyst', 'moderator')),
  display_name text check (display_name is null or char_length(btrim(display_name)) between 1 and 120),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.staff is
  'City staff: one row per signed-in (non-anonymous) user with a role admin, analyst or moderator.';
create index staff_role_idx on public.staff (role);
create trigger staff_touch_updated_at before update on public.staff
  for each row execute function private.touch_updated_at();

-- True when the caller is staff with one of the given roles (any role when p_roles is null).
-- SECURITY DEFINER so policies on other tables (and on staff itself) can consult staff without
-- recursing into staff's own RLS. Anonymous sessions are never staff, even if a row exists:
-- an anonymous sign-in must not inherit privileges by accident.
create function private.is_staff(p_roles text[] default null) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.staff s
    where s.user_id = auth.uid()
      and (p_roles is null or s.role = any (p_roles))
  )
  and coalesce((auth.jwt() ->> 'is_anonymous')::boolean, false) = false
$$;
comment on function private.is_staff(text[]) is
  'True when the current user is non-anonymous staff holding one of p_roles (any role if null).';
revoke execute on function private.is_staff(text[]) from public, anon;
grant execute on function private.is_staff(text[]) to authenticated, service_role;

alter table public.staff enable row level security;
-- Explicit revoke first: a self-hosted or legacy project may still auto-grant new tables to the
-- API roles (contract §1.3); after this, the grants below are the whole truth.
revoke all on public.staff from anon, authenticated, service_role;
grant select, insert, update, delete on public.staff to authenticated;
grant select, insert, update, delete on public.staff to service_role;

create policy staff_select_own_or_admin on public.staff
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_staff(array['admin'])));
create policy staff_insert_admin on public.staff
  for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy staff_update_admin on public.staff
  for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy staff_delete_admin on public.staff
  for delete to authenticated
  using ((select private.is_staff(array['admin'])));
