-- Where a meeting is held in person (City Hall, a library branch…), beside the stream link:
-- shown on the meeting page and the poster, and written to calendars as LOCATION. A change of
-- place is a change subscribed calendars must see, so it bumps the revision (SEQUENCE) like a
-- change of time.

alter table public.meetings
  add column location text
  constraint meetings_location_check check (
    location is null
    or (location = btrim(location)
        and char_length(location) between 1 and 200
        and location !~ '[[:cntrl:]]'));
comment on column public.meetings.location is
  'Where the meeting is held in person: one line of at most 200 characters, or null (online only).';

create or replace function private.revise_meeting() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (tg_op = 'INSERT' or new.time_zone is distinct from old.time_zone)
     and not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = new.time_zone) then
    raise exception using errcode = '22023',
      message = format('Unknown time zone "%s": use an IANA name such as America/Chicago', new.time_zone);
  end if;
  -- Clients never set the revision; a replayed save (same values) bumps nothing.
  if tg_op = 'INSERT' then
    new.revision := 0;
    new.revised_at := pg_catalog.now();
  elsif (new.title, new.description, new.starts_at, new.ends_at, new.stream_url, new.location,
         new.status = 'cancelled')
        is distinct from
        (old.title, old.description, old.starts_at, old.ends_at, old.stream_url, old.location,
         old.status = 'cancelled') then
    new.revision := old.revision + 1;
    new.revised_at := pg_catalog.now();
  else
    new.revision := old.revision;
    new.revised_at := old.revised_at;
  end if;
  return new;
end;
$$;
comment on column public.meetings.revision is
  'Calendar SEQUENCE: bumped by trigger whenever title, description, times, stream link, location or cancellation change.';

-- The feed, as before, with LOCATION. Replaced in place: its grants stay as they were.
create or replace function private.meetings_ics(p_lang text, p_meeting_id uuid, p_site text)
returns public."*/*"
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_lang text := coalesce(nullif(btrim(p_lang), ''), 'en');
  v_site text := nullif(regexp_replace(btrim(coalesce(p_site, '')), '/+$', ''), '');
  v_ics text;
  v_name text;
  v_events text;
begin
  if v_lang not in ('en', 'es') then
    raise exception using errcode = '22023',
      message = format('p_lang must be "en" or "es", not "%s"', left(p_lang, 20));
  end if;
  if v_site is not null
     and v_site !~ '^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?$'
     and v_site !~ '^http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?$' then
    raise exception using errcode = '22023',
      message = format('p_site must be the app''s origin, such as https://city.example.org, not "%s"', left(p_site, 80));
  end if;
  if p_meeting_id is not null and not exists (select 1 from public.meetings m where m.id = p_meeting_id) then
    raise exception using errcode = 'PT404', message = 'meeting not found',
      detail = format('No meeting has id %s.', p_meeting_id);
  end if;

  v_name := case v_lang when 'es' then 'Reuniones públicas de desempeño' else 'Public performance meetings' end;

  select coalesce(string_agg(
      private.ics_line('BEGIN:VEVENT')
      || private.ics_line('UID:' || m.id::text)
      || private.ics_line('DTSTAMP:' || private.ics_utc(m.revised_at))
      || private.ics_line('CREATED:' || private.ics_utc(m.created_at))
      || private.ics_line('LAST-MODIFIED:' || private.ics_utc(m.revised_at))
      || private.ics_line('SEQUENCE:' || m.revision::text)
      || private.ics_line('DTSTART:' || private.ics_utc(m.starts_at))
      || coalesce(private.ics_line('DTEND:' || private.ics_utc(m.ends_at)), '')
      || private.ics_line('SUMMARY:' || private.ics_text(
           case when m.status = 'cancelled'
             then case v_lang when 'es' then 'Cancelada: ' else 'Cancelled: ' end
             else '' end || (m.title ->> v_lang)))
      || case when m.location is null then ''
              else private.ics_line('LOCATION:' || private.ics_text(m.location)) end
      || private.ics_line('DESCRIPTION:' || private.ics_text(concat_ws(E'\n\n',
           m.description ->> v_lang,
           case when m.stream_url is not null then
             case v_lang when 'es' then 'Transmisión: ' else 'Stream: ' end || m.stream_url end,
           case when v_site is not null then
             case v_lang when 'es' then 'Preguntas y comentarios: ' else 'Questions and comments: ' end
               || v_site || '/meetings/' || m.id::text end)))
      || coalesce(private.ics_line('URL:' || v_site || '/meetings/' || m.id::text), '')
      || private.ics_line('STATUS:' || case when m.status = 'cancelled' then 'CANCELLED' else 'CONFIRMED' end)
      || private.ics_line('END:VEVENT'),
      '' order by m.starts_at, m.id), '')
  into v_events
  from public.meetings m
  where p_meeting_id is null or m.id = p_meeting_id;

  v_ics := private.ics_line('BEGIN:VCALENDAR')
    || private.ics_line('VERSION:2.0')
    || private.ics_line('PRODID:-//CivicPulse//Meetings//' || upper(v_lang))
    || private.ics_line('CALSCALE:GREGORIAN')
    || private.ics_line('NAME:' || private.ics_text(v_name))
    || private.ics_line('X-WR-CALNAME:' || private.ics_text(v_name))
    || private.ics_line('REFRESH-INTERVAL;VALUE=DURATION:PT6H')
    || private.ics_line('X-PUBLISHED-TTL:PT6H')
    || v_events
    || private.ics_line('END:VCALENDAR');

  perform pg_catalog.set_config('response.headers', pg_catalog.jsonb_build_array(
    pg_catalog.jsonb_build_object('Content-Type', 'text/calendar; charset=utf-8'),
    pg_catalog.jsonb_build_object('Content-Disposition',
      format('inline; filename="%s.ics"', case when p_meeting_id is null then 'meetings' else 'meeting-' || p_meeting_id::text end)),
    pg_catalog.jsonb_build_object('Cache-Control', 'public, max-age=300'))::text, true);
  return pg_catalog.convert_to(v_ics, 'UTF8')::public."*/*";
end;
$$;

