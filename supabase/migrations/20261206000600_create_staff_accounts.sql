-- Staff accounts run without SQL (issue 9): admins invite colleagues by email with a role,
-- change roles and remove access from /staff/accounts.
--
--   * `staff_invites`: a pending grant keyed by the lowercased email. Nobody gets a role from
--     it until a signed-in, non-anonymous user whose *confirmed* email matches calls
--     `claim_staff_invite()` (the app does so after every sign-in). The confirmation check is
--     the trust boundary: without it, whoever registers an invited address first would get the
--     role. Hosted projects must keep "Confirm email" on (the README's "Staff accounts").
--   * The last admin can never be removed or demoted: a trigger on `staff` refuses it, whoever
--     writes (the RPCs below, a direct table write, the service role, or deleting the auth
--     user, which cascades here).
--   * RPCs for the admin page: `staff_accounts()` (members with their emails, which live in
--     auth.users and are otherwise unreadable, plus pending invites), `invite_staff`,
--     `set_staff_role`, `remove_staff_access`. All SECURITY DEFINER with an empty search_path
--     and an explicit admin check; every write is idempotent (client-generated invite ids, and
--     "set"/"remove" are naturally repeatable).

create table public.staff_invites (
  id uuid primary key,
  email text not null unique
    check (email = lower(btrim(email)) and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'
           and char_length(email) <= 320),
  role text not null check (role in ('admin', 'analyst', 'moderator')),
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.staff_invites is
  'Pending staff grants: the role a colleague gets when they first sign in with this (confirmed) email.';
-- Deleting an inviting admin's auth user sets invited_by to null: indexed for that lookup.
create index staff_invites_invited_by_idx on public.staff_invites (invited_by);
create trigger staff_invites_touch_updated_at before update on public.staff_invites
  for each row execute function private.touch_updated_at();

alter table public.staff_invites enable row level security;
revoke all on public.staff_invites from anon, authenticated, service_role;
-- Admins read invites directly too (the page uses staff_accounts()); writes go through the RPCs
-- so the email is normalized and the id stays idempotent in one place.
grant select on public.staff_invites to authenticated;
grant select, insert, update, delete on public.staff_invites to service_role;
create policy staff_invites_select_admin on public.staff_invites
  for select to authenticated
  using ((select private.is_staff(array['admin'])));

-- The last admin stays. Serialized by a transaction-level advisory lock so two admins removing
-- each other at the same moment cannot both succeed: the second waits, then counts again (each
-- statement of a plpgsql function takes a fresh snapshot under READ COMMITTED).
create function private.keep_an_admin() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.role <> 'admin' or (tg_op = 'UPDATE' and new.role = 'admin') then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('public.staff:admins'));
  if not exists (
    select 1 from public.staff s where s.role = 'admin' and s.user_id <> old.user_id
  ) then
    raise exception using errcode = '23514', message = 'last_admin',
      detail = 'The last admin cannot be removed or given another role.',
      hint = 'Make another colleague an admin first.';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end;
$$;
revoke execute on function private.keep_an_admin() from public;
create trigger staff_keep_an_admin before update of role or delete on public.staff
  for each row execute function private.keep_an_admin();

-- Refuses the caller unless they are an admin (42501, like a denied RLS write). The service
-- role passes too: it is how the first admin of a new project is invited (`npm run
-- staff:invite`, run by whoever holds the project's secret key; never in a browser).
create function private.require_admin() returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.is_staff(array['admin'])
     and coalesce(auth.jwt() ->> 'role', '') <> 'service_role' then
    raise exception using errcode = '42501', message = 'Only admins can manage staff accounts';
  end if;
end;
$$;
-- Only called from the SECURITY DEFINER functions below (as their owner).
revoke execute on function private.require_admin() from public, anon;

-- Members (with email, newest last) and pending invites, for the admin page.
create function public.staff_accounts() returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  return jsonb_build_object(
    'members', coalesce((
      select jsonb_agg(jsonb_build_object(
               'user_id', s.user_id, 'email', u.email, 'role', s.role,
               'display_name', s.display_name, 'created_at', s.created_at)
             order by s.created_at, u.email)
      from public.staff s join auth.users u on u.id = s.user_id), '[]'::jsonb),
    'invites', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', i.id, 'email', i.email, 'role', i.role, 'created_at', i.created_at)
             order by i.created_at, i.email)
      from public.staff_invites i), '[]'::jsonb)
  );
end;
$$;
comment on function public.staff_accounts() is
  'Admins only: staff members with their emails and roles, and pending invites.';
revoke execute on function public.staff_accounts() from public, anon;
grant execute on function public.staff_accounts() to authenticated, service_role;

-- Invite (or re-invite with another role) by email. Idempotent on p_id: repeating the same call
-- changes nothing; an invite for the same email under another id is updated in place (one
-- pending grant per person). An address that already belongs to a staff member is refused:
-- change that member's role instead.
create function public.invite_staff(p_id uuid, p_email text, p_role text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(coalesce(p_email, '')));
  v_row public.staff_invites;
begin
  perform private.require_admin();
  if p_id is null then
    raise exception using errcode = '22023', message = 'invite_id_required';
  end if;
  if v_email !~ '^[^@[:space:]]+@[^@[:space:]]+$' or char_length(v_email) > 320 then
    raise exception using errcode = '22023', message = 'invalid_email',
      detail = 'Enter an email address, like name@example.org.';
  end if;
  if p_role is null or p_role not in ('admin', 'analyst', 'moderator') then
    raise exception using errcode = '22023', message = 'invalid_role';
  end if;
  if exists (
    select 1 from public.staff s join auth.users u on u.id = s.user_id
    where lower(u.email) = v_email
  ) then
    raise exception using errcode = '23505', message = 'already_staff',
      detail = 'This person already has staff access; change their role instead.';
  end if;
  -- Same id for another address: a client bug or a reused id, never silently repurposed.
  if exists (select 1 from public.staff_invites i where i.id = p_id and i.email <> v_email) then
    raise exception using errcode = '23505', message = 'invite_id_conflict';
  end if;
  insert into public.staff_invites as i (id, email, role, invited_by)
  values (p_id, v_email, p_role, auth.uid())
  on conflict (email) do update
    set role = excluded.role, invited_by = excluded.invited_by
    where i.role is distinct from excluded.role
  returning * into v_row;
  if v_row.id is null then
    select * into v_row from public.staff_invites i where i.email = v_email;
  end if;
  return jsonb_build_object('id', v_row.id, 'email', v_row.email, 'role', v_row.role,
                            'created_at', v_row.created_at);
end;
$$;
comment on function public.invite_staff(uuid, text, text) is
  'Admins only: a pending staff grant for an email (lowercased), claimed at that person''s first sign-in.';
revoke execute on function public.invite_staff(uuid, text, text) from public, anon;
grant execute on function public.invite_staff(uuid, text, text) to authenticated, service_role;

-- Withdraw a pending invite (idempotent: withdrawing twice is fine).
create function public.withdraw_staff_invite(p_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  delete from public.staff_invites i where i.id = p_id;
end;
$$;
revoke execute on function public.withdraw_staff_invite(uuid) from public, anon;
grant execute on function public.withdraw_staff_invite(uuid) to authenticated, service_role;

-- Change a member's role. The trigger refuses demoting the last admin.
create function public.set_staff_role(p_user_id uuid, p_role text) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  if p_role is null or p_role not in ('admin', 'analyst', 'moderator') then
    raise exception using errcode = '22023', message = 'invalid_role';
  end if;
  update public.staff s set role = p_role
  where s.user_id = p_user_id and s.role is distinct from p_role;
  if not exists (select 1 from public.staff s where s.user_id = p_user_id) then
    raise exception using errcode = 'PT404', message = 'not_staff';
  end if;
end;
$$;
revoke execute on function public.set_staff_role(uuid, text) from public, anon;
grant execute on function public.set_staff_role(uuid, text) to authenticated, service_role;

-- Remove a member's staff access (their sign-in stays; they become an ordinary account). The
-- trigger refuses removing the last admin. Idempotent: removing someone already gone is fine.
create function public.remove_staff_access(p_user_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  delete from public.staff s where s.user_id = p_user_id;
end;
$$;
revoke execute on function public.remove_staff_access(uuid) from public, anon;
grant execute on function public.remove_staff_access(uuid) to authenticated, service_role;

-- Called by the app after every sign-in: turns a pending invite for the caller's confirmed
-- email into a staff row. Returns the caller's role (null when not staff). Anonymous sessions
-- and unconfirmed emails never claim anything. Idempotent: an existing staff row is kept as is
-- (an admin's later role change wins over an old invite, which is then dropped).
create function public.claim_staff_invite() returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_email text;
  v_invite public.staff_invites;
  v_role text;
begin
  if v_uid is null or coalesce((auth.jwt() ->> 'is_anonymous')::boolean, false) then
    return null;
  end if;
  select lower(u.email) into v_email from auth.users u
  where u.id = v_uid and u.email_confirmed_at is not null and not coalesce(u.is_anonymous, false);
  if v_email is not null then
    delete from public.staff_invites i where i.email = v_email returning * into v_invite;
    if v_invite.id is not null then
      insert into public.staff (user_id, role) values (v_uid, v_invite.role)
      on conflict (user_id) do nothing;
    end if;
  end if;
  select s.role into v_role from public.staff s where s.user_id = v_uid;
  return v_role;
end;
$$;
comment on function public.claim_staff_invite() is
  'After sign-in: applies a pending invite for the caller''s confirmed email; returns the caller''s staff role or null.';
revoke execute on function public.claim_staff_invite() from public, anon;
grant execute on function public.claim_staff_invite() to authenticated;
