-- Ballot stuffing defence for open-link waves. Anyone with an open link can sign in anonymously
-- again and again and answer once per fresh session; one script on one machine can add
-- thousands of responses an hour (see `npm run bench -- --only stuffing`). A city can switch on,
-- per wave, a limit on open-link responses per client network per rolling hour. The network is
-- the client address the API gateway puts in the request headers; only a keyed hash of it is
-- kept (HMAC with a per-database secret), and only while the limit is on and for an hour.
-- Invited responses (a valid code) and imported rows are never limited. Other defences a city
-- can use at the same time: mode 'invited' (codes only), and Supabase Auth's CAPTCHA and rate
-- limit on anonymous sign-ins (README, "Ballot stuffing").

alter table public.survey_waves
  add column open_limit_per_hour integer
    check (open_limit_per_hour is null or open_limit_per_hour between 1 and 100000);
comment on column public.survey_waves.open_limit_per_hour is
  'At most this many open-link responses per client network per rolling hour (null = no limit). Invited responses are not limited.';

create table private.response_networks (
  response_id uuid primary key,
  wave_id uuid not null,
  network bytea not null,
  received_at timestamptz not null default now()
);
comment on table private.response_networks is
  'Keyed hash of the client network of recent open-link responses to rate-limited waves (kept for one hour).';
create index response_networks_wave_network_idx
  on private.response_networks (wave_id, network, received_at);
alter table private.response_networks enable row level security;
revoke all on private.response_networks from public, anon, authenticated, service_role;

-- The client address of the current API request: X-Real-IP (set by the gateway itself; the
-- embedded gateway overwrites whatever the client sent), else the first X-Forwarded-For entry
-- (what Supabase's own rate-limit examples read). Null outside an API request (SQL, imports).
create function private.client_network() returns text
language sql
stable
set search_path = ''
as $$
  select nullif(btrim(coalesce(
    h ->> 'x-real-ip',
    split_part(h ->> 'x-forwarded-for', ',', 1)
  )), '')
  from (select nullif(current_setting('request.headers', true), '')::json as h) r
$$;
comment on function private.client_network() is
  'Client address of the current API request (x-real-ip, else the first x-forwarded-for entry); null outside a request.';

-- AFTER INSERT on responses (so a row skipped by ON CONFLICT is never counted). SECURITY DEFINER:
-- residents have no rights on the private table. Raising makes submit_one_response report the
-- item as rejected with this message and store nothing of it (its insert runs in a
-- subtransaction, which this error rolls back).
create function private.limit_open_responses() returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_limit integer;
  v_address text;
  v_network bytea;
  v_recent integer;
begin
  if new.mode <> 'open' or new.source <> 'web' then
    return null;
  end if;
  select w.open_limit_per_hour into v_limit from public.survey_waves w where w.id = new.wave_id;
  v_address := private.client_network();
  if v_limit is null or v_address is null then
    return null;
  end if;
  v_network := extensions.hmac(convert_to(new.wave_id::text || '/' || v_address, 'UTF8'),
                               (select s.secret from private.invitation_secret s), 'sha256');
  -- Two submissions from one network at once must not both see room for one more.
  perform pg_advisory_xact_lock(hashtextextended(encode(v_network, 'hex'), 7));
  delete from private.response_networks n
  where n.wave_id = new.wave_id and n.network = v_network and n.received_at < now() - interval '1 hour';
  select count(*) into v_recent from private.response_networks n
  where n.wave_id = new.wave_id and n.network = v_network;
  if v_recent >= v_limit then
    raise exception using errcode = 'P0001',
      message = format('Too many responses to this survey from your network in the last hour (at most %s). Please try again later.', v_limit),
      hint = 'The city limits open-link responses per network for this survey.';
  end if;
  insert into private.response_networks (response_id, wave_id, network) values (new.id, new.wave_id, v_network)
  on conflict (response_id) do nothing;
  return null;
end;
$$;
comment on function private.limit_open_responses() is
  'Refuses an open-link web response when its network has reached the wave''s open_limit_per_hour.';
revoke execute on function private.client_network() from public;
revoke execute on function private.limit_open_responses() from public;

create trigger responses_limit_open_per_network after insert on public.responses
  for each row execute function private.limit_open_responses();
