-- Invitation batches that a retry can neither duplicate nor lose.
--
-- create_invitations returns the codes once and stores only their hashes. Before this migration
-- a lost answer (the admin's network dropped after the commit) meant a batch nobody could print,
-- and the retry minted a second batch. Now the staff UI sends a client-generated request id:
-- the codes of a request are derived from it with an HMAC under a server secret, so a retry with
-- the same id gets the very same codes back (for 24 hours) and stores nothing new. Without a
-- request id (SQL, scripts) codes stay purely random, as before.

create table private.invitation_secret (
  id boolean primary key default true check (id),
  secret bytea not null default extensions.gen_random_bytes(32) check (octet_length(secret) = 32)
);
comment on table private.invitation_secret is
  'One random key per database for deriving invitation codes from a request id (HMAC-SHA256). Never leaves the database.';
insert into private.invitation_secret default values;
alter table private.invitation_secret enable row level security;
revoke all on private.invitation_secret from public, anon, authenticated, service_role;

alter table public.invitations
  add column request_id uuid,
  add column request_index integer check (request_index >= 0),
  add column request_attempt smallint not null default 0 check (request_attempt >= 0),
  add constraint invitations_request_item_unique unique (request_id, request_index),
  add constraint invitations_request_pair check ((request_id is null) = (request_index is null));
comment on column public.invitations.request_id is
  'The client-generated id of the create_invitations call that minted this code (null for random codes).';
comment on column public.invitations.request_index is
  'Position of the code in its request; with request_attempt it re-derives the same code on a retry.';

-- 10 bytes → 10 characters of an alphabet without look-alikes (no I, L, O, 0, 1), as XXXXX-XXXXX.
create function private.invitation_code(p_bytes bytea) returns text
language sql
immutable
set search_path = ''
as $$
  select substr(c, 1, 5) || '-' || substr(c, 6, 5)
  from (
    select string_agg(
      substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', (get_byte(p_bytes, j) % 31) + 1, 1), '' order by j
    ) as c
    from generate_series(0, 9) j
  ) s
$$;
comment on function private.invitation_code(bytea) is
  'Invitation code text from the first 10 bytes of p_bytes (31-letter alphabet, XXXXX-XXXXX).';

create function private.derived_invitation_code(p_request_id uuid, p_index integer, p_attempt integer)
returns text
language sql
stable
set search_path = ''
as $$
  select private.invitation_code(extensions.hmac(
    convert_to(p_request_id::text || ':' || p_index || ':' || p_attempt, 'UTF8'), s.secret, 'sha256'))
  from private.invitation_secret s
$$;
comment on function private.derived_invitation_code(uuid, integer, integer) is
  'The code for item p_index of request p_request_id (p_attempt > 0 only after a hash collision).';

revoke execute on function private.invitation_code(bytea) from public;
revoke execute on function private.derived_invitation_code(uuid, integer, integer) from public;

drop function public.create_invitations(uuid, integer, text);
create function public.create_invitations(
  p_wave_id uuid,
  p_count integer,
  p_batch text default null,
  p_request_id uuid default null
)
returns table (code text)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_existing integer;
  v_code text;
  v_attempt integer;
  i integer;
begin
  if not private.is_staff(array['admin']) then
    raise exception using errcode = '42501', message = 'Only admins can create invitations';
  end if;
  if p_count is null or p_count < 1 or p_count > 100000 then
    raise exception using errcode = '22023', message = 'p_count must be between 1 and 100000';
  end if;
  if p_batch is not null and char_length(p_batch) > 120 then
    raise exception using errcode = '22023', message = 'p_batch must be at most 120 characters';
  end if;
  if not exists (select 1 from public.survey_waves w where w.id = p_wave_id and w.mode in ('invited', 'both')) then
    raise exception using errcode = 'PT404',
      message = 'No survey wave with that id takes invitations (mode invited or both)';
  end if;

  if p_request_id is null then
    for i in 1 .. p_count loop
      loop
        v_code := private.invitation_code(extensions.gen_random_bytes(10));
        insert into public.invitations (wave_id, code_hash, batch)
        values (p_wave_id, private.hash_invitation_code(v_code), p_batch)
        on conflict (code_hash) do nothing;
        exit when found;
      end loop;
      code := v_code;
      return next;
    end loop;
    return;
  end if;

  -- One call per request id at a time: a double submit waits, then finds the first one's rows.
  perform pg_advisory_xact_lock(hashtextextended('create_invitations:' || p_request_id::text, 0));
  select count(*) into v_existing from public.invitations inv where inv.request_id = p_request_id;
  if v_existing > 0 then
    if v_existing <> p_count or exists (
      select 1 from public.invitations inv
      where inv.request_id = p_request_id
        and (inv.wave_id <> p_wave_id or inv.batch is distinct from p_batch)
    ) then
      raise exception using errcode = '22023',
        message = 'This request id was already used for a different batch of invitations; start a new request';
    end if;
    if exists (
      select 1 from public.invitations inv
      where inv.request_id = p_request_id and inv.created_at < now() - interval '24 hours'
    ) then
      raise exception using errcode = '22023',
        message = 'These invitations were created more than 24 hours ago; their codes are not shown again';
    end if;
    return query
      select private.derived_invitation_code(p_request_id, inv.request_index, inv.request_attempt)
      from public.invitations inv
      where inv.request_id = p_request_id
      order by inv.request_index;
    return;
  end if;

  for i in 0 .. p_count - 1 loop
    v_attempt := 0;
    loop
      v_code := private.derived_invitation_code(p_request_id, i, v_attempt);
      insert into public.invitations (wave_id, code_hash, batch, request_id, request_index, request_attempt)
      values (p_wave_id, private.hash_invitation_code(v_code), p_batch, p_request_id, i, v_attempt)
      on conflict (code_hash) do nothing;
      exit when found;
      v_attempt := v_attempt + 1;
    end loop;
    code := v_code;
    return next;
  end loop;
end;
$$;
comment on function public.create_invitations(uuid, integer, text, uuid) is
  'Admins: mint p_count single-use invitation codes for a wave; only hashes are stored. With p_request_id (client UUID) the call is idempotent: a retry within 24 hours returns the same codes and adds nothing.';
revoke execute on function public.create_invitations(uuid, integer, text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.create_invitations(uuid, integer, text, uuid) to authenticated, service_role;
