-- Meetings run from /staff without SQL (issue 9, part 2 and the "first use" findings of part 4):
--   * meetings get a time zone (IANA name), a recording link, a comment window and a calendar
--     revision (SEQUENCE) that a trigger bumps whenever what a calendar shows changes;
--   * moderators keep running meetings (start, end, open and close comments) but only admins
--     change the rest, cancel, or restore; a meeting with comments cannot be deleted (it is part
--     of the public record: cancel it instead);
--   * agenda items name a goal area, a goal or a measure (at most one); an item with comments
--     cannot be deleted;
--   * comments carry the moderator's answer text (answer_comment), shown to everyone;
--   * submit_comments honours the comment window;
--   * meetings_ics(): the schedule as an iCalendar feed, served raw as text/calendar through
--     PostgREST's "any" media type handler (a function returning the domain "*/*");
--   * meeting_comment_record(): every comment of a meeting with its moderation state and
--     answer, for the public record once the meeting is over (staff: any time, with reasons).
--
-- Locks: every `add column` has a constant (or stable) default or none, so it only changes
-- metadata under a brief ACCESS EXCLUSIVE lock; no table is rewritten. The new indexes block
-- writes to agenda_items while they build (small table; migrations run in a transaction).

-- ---------------------------------------------------------------------------------------------
-- meetings: new columns.

alter table public.meetings
  add column time_zone text not null default 'UTC'
    check (time_zone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$'),
  add column recording_url text check (recording_url is null or recording_url ~ '^https://'),
  add column comments_open_from timestamptz,
  add column comments_open_until timestamptz,
  add column revision integer not null default 0 check (revision >= 0),
  add column revised_at timestamptz not null default now(),
  add constraint meetings_comment_window_order
    check (comments_open_until is null or comments_open_from is null
           or comments_open_until > comments_open_from);
comment on column public.meetings.time_zone is
  'IANA time zone the meeting is held in (e.g. America/Chicago): how its times are entered and shown.';
comment on column public.meetings.recording_url is 'Link to the recording once the meeting is over (https).';
comment on column public.meetings.comments_open_from is
  'Comments are accepted from this time (null: no lower bound), while comments_open is on and the meeting is scheduled or live.';
comment on column public.meetings.comments_open_until is
  'Comments are accepted until this time (null: no upper bound).';
comment on column public.meetings.revision is
  'Calendar SEQUENCE: bumped by trigger whenever title, description, times, stream link or cancellation change.';
comment on column public.meetings.revised_at is 'When revision last changed (calendar DTSTAMP / LAST-MODIFIED).';

-- The time zone must be one Postgres (and therefore the feed) knows. A trigger, not a CHECK:
-- the list of zones is catalog data, not an immutable expression.
create function private.revise_meeting() returns trigger
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
  elsif (new.title, new.description, new.starts_at, new.ends_at, new.stream_url,
         new.status = 'cancelled')
        is distinct from
        (old.title, old.description, old.starts_at, old.ends_at, old.stream_url,
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
revoke execute on function private.revise_meeting() from public;
create trigger meetings_revise before insert or update on public.meetings
  for each row execute function private.revise_meeting();

-- Moderators run meetings (go live, end, open and close comments, move the comment window);
-- everything else, and cancelling or restoring, is for admins. RLS lets both update the row, so
-- the column rule lives here. SECURITY DEFINER: the body calls private.is_staff by name.
create function private.limit_moderator_meeting_changes() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_theirs constant text[] := array['status', 'comments_open', 'comments_open_from',
                                    'comments_open_until', 'updated_at', 'revision', 'revised_at'];
begin
  if private.is_staff(array['admin']) or not private.is_staff(array['moderator']) then
    return new;
  end if;
  if (new.status = 'cancelled') <> (old.status = 'cancelled') then
    raise exception using errcode = '42501',
      message = 'Only admins can cancel a meeting or restore a cancelled one';
  end if;
  if (to_jsonb(new) - c_theirs) is distinct from (to_jsonb(old) - c_theirs) then
    raise exception using errcode = '42501',
      message = 'Moderators can start and end a meeting and open or close its comments; other changes need an admin';
  end if;
  return new;
end;
$$;
revoke execute on function private.limit_moderator_meeting_changes() from public;
create trigger meetings_limit_moderators before update on public.meetings
  for each row execute function private.limit_moderator_meeting_changes();

-- Comments are part of the public record: a meeting that has any is cancelled, not deleted.
-- SECURITY DEFINER so the check sees every comment whatever the deleting role may read.
create function private.keep_meeting_record() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.comments c where c.meeting_id = old.id) then
    raise exception using errcode = '23503',
      message = 'This meeting has comments, which are part of the public record: cancel it instead of deleting it';
  end if;
  return old;
end;
$$;
revoke execute on function private.keep_meeting_record() from public;
create trigger meetings_keep_record before delete on public.meetings
  for each row execute function private.keep_meeting_record();

-- ---------------------------------------------------------------------------------------------
-- agenda_items: what each item is about, and they keep their comments.

alter table public.agenda_items
  add column goal_area_id uuid references public.goal_areas (id) on delete set null,
  add column measure_id uuid references public.measures (id) on delete set null,
  add constraint agenda_items_one_topic check (num_nonnulls(goal_area_id, goal_id, measure_id) <= 1);
comment on column public.agenda_items.goal_area_id is 'The goal area the item is about (or goal_id, or measure_id).';
comment on column public.agenda_items.measure_id is 'The measure the item is about (or goal_area_id, or goal_id).';
create index agenda_items_goal_area_id_idx on public.agenda_items (goal_area_id);
create index agenda_items_measure_id_idx on public.agenda_items (measure_id);

-- Deleting an item would delete its comments (the foreign key cascades): refuse while it has
-- any. Deleting a whole meeting is refused earlier, by meetings_keep_record.
create function private.keep_agenda_item_comments() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.comments c where c.agenda_item_id = old.id) then
    raise exception using errcode = '23503',
      message = 'This agenda item has comments, which are part of the public record: rename it instead of deleting it';
  end if;
  return old;
end;
$$;
revoke execute on function private.keep_agenda_item_comments() from public;
create trigger agenda_items_keep_comments before delete on public.agenda_items
  for each row execute function private.keep_agenda_item_comments();

-- ---------------------------------------------------------------------------------------------
-- comments: the answer.

alter table public.comments
  add column answer text
    check (answer is null or (char_length(answer) <= 2000 and length(btrim(answer)) > 0)),
  add column answered_at timestamptz;
comment on column public.comments.answer is
  'The city''s answer to the comment (public), set with answer_comment; null when not answered or answered without text.';
comment on column public.comments.answered_at is 'When the comment was marked answered.';

-- An answer belongs to an answered comment: un-answering clears it.
create function private.keep_comment_answer() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not new.answered then
    new.answer := null;
    new.answered_at := null;
  elsif tg_op = 'INSERT' then
    new.answered_at := coalesce(new.answered_at, pg_catalog.now());
  elsif not old.answered then
    new.answered_at := pg_catalog.now();
  else
    new.answered_at := old.answered_at;
  end if;
  return new;
end;
$$;
revoke execute on function private.keep_comment_answer() from public;
create trigger comments_keep_answer before insert or update on public.comments
  for each row execute function private.keep_comment_answer();

-- The feed item gains the answer (same signature; meeting_feed and moderate_comment call it).
create or replace function private.comment_item(p_comment public.comments, p_uid uuid, p_moderator boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_comment.id,
    'meeting_id', p_comment.meeting_id,
    'agenda_item_id', p_comment.agenda_item_id,
    'display_name', p_comment.display_name,
    'kind', p_comment.kind,
    'body', p_comment.body,
    'status', p_comment.status,
    'answered', p_comment.answered,
    'answer', p_comment.answer,
    'answered_at', p_comment.answered_at,
    'pinned', p_comment.pinned,
    'vote_count', p_comment.vote_count,
    'version', p_comment.version,
    'created_at', p_comment.created_at,
    'updated_at', p_comment.updated_at,
    'mine', coalesce(p_comment.author_id = p_uid, false),
    'voted', p_uid is not null and exists (
      select 1 from public.comment_votes v
      where v.comment_id = p_comment.id and v.voter_id = p_uid
    ),
    'moderation_reason', case
      when p_moderator or (p_comment.status = 'hidden' and p_comment.author_id = p_uid)
        then p_comment.moderation_reason
    end,
    'removed', false
  )
$$;

-- answer_comment: mark a published comment answered, with the answer text (optional). Calling
-- it again replaces the text; an identical call changes nothing (no version bump).
create function private.answer_comment(p_comment_id uuid, p_answer text) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_comment public.comments;
  v_answer text := nullif(regexp_replace(coalesce(p_answer, ''), '^[[:space:]]+|[[:space:]]+$', '', 'g'), '');
begin
  if not private.is_staff(array['admin', 'moderator']) then
    raise exception using errcode = '42501', message = 'Only moderators and admins can answer comments';
  end if;
  if char_length(v_answer) > 2000 then
    raise exception using errcode = '22023',
      message = format('The answer is too long: %s characters, at most 2000 allowed', char_length(v_answer));
  end if;
  select * into v_comment from public.comments c where c.id = p_comment_id for update;
  if not found then
    raise exception using errcode = 'PT404', message = 'comment not found',
      detail = format('No comment has id %s.', p_comment_id);
  end if;
  if v_comment.status <> 'published' then
    raise exception using errcode = '22023',
      message = format('Publish the comment before answering it (it is %s)', v_comment.status);
  end if;
  if (v_comment.answered, v_comment.answer) is distinct from (true, v_answer) then
    update public.comments c set answered = true, answer = v_answer
    where c.id = p_comment_id
    returning * into v_comment;
  end if;
  return private.comment_item(v_comment, auth.uid(), true);
end;
$$;

create function public.answer_comment(p_comment_id uuid, p_answer text default null)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
  select private.answer_comment(p_comment_id, p_answer);
end;
comment on function public.answer_comment(uuid, text) is
  'Moderators and admins: mark a published comment answered with the answer text (≤ 2000 chars, shown to everyone; null: no text). Returns the comment as a feed item. moderate_comment(unanswer) clears it.';

revoke execute on function private.answer_comment(uuid, text) from public;
revoke execute on function public.answer_comment(uuid, text) from public, anon, authenticated, service_role;
grant execute on function private.answer_comment(uuid, text) to authenticated;
grant execute on function public.answer_comment(uuid, text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- submit_comments honours the comment window. The body is the one of 20261201000100 with the
-- window check added after the open/closed check (and clearer reasons for each case).
create or replace function private.submit_one_comment(p_item jsonb, p_uid uuid) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  c_uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  c_keys constant text[] := array['id', 'meeting_id', 'agenda_item_id', 'kind', 'body', 'display_name'];
  v_raw_id jsonb := case when jsonb_typeof(p_item) = 'object' then p_item -> 'id' end;
  v_id_text text := case when jsonb_typeof(v_raw_id) = 'string' then v_raw_id #>> '{}' end;
  v_id uuid;
  v_owner uuid;
  v_unknown text;
  v_meeting public.meetings;
  v_agenda_item_id uuid;
  v_kind text;
  v_body text;
  v_display_name text;
  v_recent integer;
  v_inserted uuid;
begin
  if jsonb_typeof(p_item) is distinct from 'object' then
    return private.comment_result(v_id_text, 'rejected',
      'Each item must be a JSON object {id, meeting_id, agenda_item_id, kind, body, display_name}');
  end if;
  if v_id_text is null or v_id_text !~ c_uuid then
    return private.comment_result(v_id_text, 'rejected',
      'The item has no valid "id": send a UUID made by the client (it makes retries safe)');
  end if;
  v_id := v_id_text::uuid;

  -- Idempotency first: a stored comment answers 'duplicate' on every retry, even if comments
  -- have closed since. The id of someone else's comment is never theirs to reuse.
  select c.author_id into v_owner from public.comments c where c.id = v_id;
  if found then
    if v_owner is not distinct from p_uid then
      return private.comment_result(v_id_text, 'duplicate', 'Already received; nothing was changed');
    end if;
    return private.comment_result(v_id_text, 'rejected',
      'This id belongs to another comment: make a new UUID for every comment');
  end if;

  select string_agg(format('"%s"', k), ', ' order by k) into v_unknown
  from jsonb_object_keys(p_item) k where not k = any (c_keys);
  if v_unknown is not null then
    return private.comment_result(v_id_text, 'rejected',
      format('Unknown field(s) %s: a comment has only id, meeting_id, agenda_item_id, kind, body and display_name',
             v_unknown));
  end if;

  if jsonb_typeof(p_item -> 'meeting_id') is distinct from 'string' or (p_item ->> 'meeting_id') !~ c_uuid then
    return private.comment_result(v_id_text, 'rejected', 'The item has no valid "meeting_id" (a UUID)');
  end if;
  select * into v_meeting from public.meetings m where m.id = (p_item ->> 'meeting_id')::uuid;
  if not found then
    return private.comment_result(v_id_text, 'rejected', 'Unknown meeting');
  end if;
  if not v_meeting.comments_open or v_meeting.status not in ('scheduled', 'live') then
    return private.comment_result(v_id_text, 'rejected', 'Comments are closed for this meeting');
  end if;
  if v_meeting.comments_open_from is not null and now() < v_meeting.comments_open_from then
    return private.comment_result(v_id_text, 'rejected',
      format('Comments for this meeting open at %s UTC',
             to_char(v_meeting.comments_open_from at time zone 'UTC', 'YYYY-MM-DD HH24:MI')));
  end if;
  if v_meeting.comments_open_until is not null and now() >= v_meeting.comments_open_until then
    return private.comment_result(v_id_text, 'rejected',
      format('Comments for this meeting closed at %s UTC',
             to_char(v_meeting.comments_open_until at time zone 'UTC', 'YYYY-MM-DD HH24:MI')));
  end if;

  if coalesce(p_item -> 'agenda_item_id', 'null'::jsonb) <> 'null'::jsonb then
    if jsonb_typeof(p_item -> 'agenda_item_id') <> 'string' or (p_item ->> 'agenda_item_id') !~ c_uuid then
      return private.comment_result(v_id_text, 'rejected', '"agenda_item_id" must be a UUID or null');
    end if;
    v_agenda_item_id := (p_item ->> 'agenda_item_id')::uuid;
    if not exists (select 1 from public.agenda_items a
                   where a.id = v_agenda_item_id and a.meeting_id = v_meeting.id) then
      return private.comment_result(v_id_text, 'rejected', 'The agenda item is not part of this meeting');
    end if;
  end if;

  -- kind may be left out (a plain comment).
  if coalesce(p_item -> 'kind', 'null'::jsonb) = 'null'::jsonb then
    v_kind := 'comment';
  elsif jsonb_typeof(p_item -> 'kind') = 'string' and (p_item ->> 'kind') in ('comment', 'question') then
    v_kind := p_item ->> 'kind';
  else
    return private.comment_result(v_id_text, 'rejected', '"kind" must be "comment" or "question"');
  end if;

  -- Lengths count characters (Unicode code points) after trimming white space at both ends.
  if jsonb_typeof(p_item -> 'body') is distinct from 'string' then
    return private.comment_result(v_id_text, 'rejected', '"body" must be text');
  end if;
  v_body := regexp_replace(p_item ->> 'body', '^[[:space:]]+|[[:space:]]+$', '', 'g');
  if v_body = '' then
    return private.comment_result(v_id_text, 'rejected', 'The comment is empty');
  end if;
  if char_length(v_body) > 1000 then
    return private.comment_result(v_id_text, 'rejected',
      format('The comment is too long: %s characters, at most 1000 allowed', char_length(v_body)));
  end if;

  if coalesce(p_item -> 'display_name', 'null'::jsonb) <> 'null'::jsonb then
    if jsonb_typeof(p_item -> 'display_name') <> 'string' then
      return private.comment_result(v_id_text, 'rejected', '"display_name" must be text or null');
    end if;
    -- A blank name means "no name".
    v_display_name := nullif(regexp_replace(p_item ->> 'display_name', '^[[:space:]]+|[[:space:]]+$', '', 'g'), '');
    if char_length(v_display_name) > 60 then
      return private.comment_result(v_id_text, 'rejected',
        format('The display name is too long: %s characters, at most 60 allowed', char_length(v_display_name)));
    end if;
  end if;

  -- Flood control. The advisory lock (per author and meeting, until the end of the transaction)
  -- makes concurrent batches of one author count each other's inserts.
  perform pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('submit_comments:' || p_uid::text || ':' || v_meeting.id::text, 0));
  select count(*) into v_recent from public.comments c
  where c.author_id = p_uid and c.meeting_id = v_meeting.id
    and c.created_at > now() - private.comment_rate_window();
  if v_recent >= private.comment_rate_limit() then
    return private.comment_result(v_id_text, 'rejected',
      format('Rate limit: at most %s comments per meeting in %s minutes; send this one again in a few minutes',
             private.comment_rate_limit(),
             (extract(epoch from private.comment_rate_window()) / 60)::integer),
      true);
  end if;

  begin
    -- on conflict do nothing: a concurrent retry of the same id waits here for the other
    -- transaction and then inserts nothing; it is classified below.
    insert into public.comments as c (id, meeting_id, agenda_item_id, author_id, display_name,
                                      kind, body, status)
    values (v_id, v_meeting.id, v_agenda_item_id, p_uid, v_display_name, v_kind, v_body,
            case when v_meeting.moderation = 'pre' then 'pending' else 'published' end)
    on conflict (id) do nothing
    returning c.id into v_inserted;
  exception
    -- Transient conflicts abort the whole call so the client simply retries the batch.
    when serialization_failure or deadlock_detected or lock_not_available then
      raise;
    when others then
      return private.comment_result(v_id_text, 'rejected',
        format('The comment could not be stored: %s', sqlerrm));
  end;

  if v_inserted is null then
    select c.author_id into v_owner from public.comments c where c.id = v_id;
    if v_owner is not distinct from p_uid then
      return private.comment_result(v_id_text, 'duplicate', 'Already received; nothing was changed');
    end if;
    return private.comment_result(v_id_text, 'rejected',
      'This id belongs to another comment: make a new UUID for every comment');
  end if;

  return private.comment_result(v_id_text, 'accepted', null);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- The iCalendar feed (RFC 5545).
--
-- Served by PostgREST (12+) as the raw body of a function that returns the domain "*/*" (the
-- "any" media type handler): it answers whatever the Accept header says (calendar apps send
-- */*, text/calendar or nothing) with the Content-Type set through response.headers. A calendar
-- app subscribes with GET /rest/v1/rpc/meetings_ics?p_lang=en&apikey=<anon key>; the API gateway
-- takes the key from the query string.
--
-- Times are UTC (DTSTART:20261106T000000Z): every meeting is its own event at an exact instant,
-- so no VTIMEZONE is needed and daylight-saving changes cannot shift it; the meeting's time
-- zone decided that instant when staff entered the local time. Updates reach subscribers
-- through a stable UID (the meeting id) and SEQUENCE (meetings.revision, bumped by trigger);
-- a cancelled meeting stays in the feed with STATUS:CANCELLED.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_type t
                 where t.typname = '*/*' and t.typnamespace = 'public'::regnamespace) then
    create domain public."*/*" as bytea;
    comment on domain public."*/*" is
      'PostgREST "any" media type handler: a function returning this domain answers with its raw bytes and the Content-Type it sets in response.headers.';
  end if;
end;
$$;

-- TEXT value escaping (RFC 5545 §3.3.11).
create function private.ics_text(p_value text) returns text
language sql
immutable
set search_path = ''
as $$
  select replace(replace(replace(replace(replace(coalesce(p_value, ''),
    E'\\', E'\\\\'), ';', E'\\;'), ',', E'\\,'), E'\r\n', E'\\n'), E'\n', E'\\n')
$$;

-- A content line folded at 75 octets (§3.1): continuation lines start with one space and never
-- split a UTF-8 character. STRICT: a null value (an absent property) gives no line at all.
create function private.ics_line(p_line text) returns text
language plpgsql
immutable
strict
set search_path = ''
as $$
declare
  v_out text := '';
  v_octets integer := 0;
  v_char text;
begin
  foreach v_char in array regexp_split_to_array(p_line, '')
  loop
    if v_octets + octet_length(v_char) > 75 then
      v_out := v_out || E'\r\n ';
      v_octets := 1;
    end if;
    v_out := v_out || v_char;
    v_octets := v_octets + octet_length(v_char);
  end loop;
  return v_out || E'\r\n';
end;
$$;

create function private.ics_utc(p_at timestamptz) returns text
language sql
immutable
set search_path = ''
as $$
  select to_char(p_at at time zone 'UTC', 'YYYYMMDD"T"HH24MISS"Z"')
$$;

-- Everything the feed serves, one VEVENT per meeting. DESCRIPTION: the meeting's description,
-- then where to watch and the meeting page (when the app's address is known). The client's
-- "add to calendar" file (src/lib/meetings/calendar.ts) writes the same properties.
create function private.meetings_ics(p_lang text, p_meeting_id uuid, p_site text)
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

create function public.meetings_ics(p_lang text default 'en', p_meeting_id uuid default null,
                                    p_site text default null)
returns public."*/*"
language sql
stable
security invoker
set search_path = ''
begin atomic
  select private.meetings_ics(p_lang, p_meeting_id, p_site);
end;
comment on function public.meetings_ics(text, uuid, text) is
  'The meeting schedule as an iCalendar feed (text/calendar, UTC times, UID = meeting id, SEQUENCE = revision, cancelled meetings STATUS:CANCELLED). p_lang en|es; p_meeting_id: one meeting; p_site: the app origin for links.';

revoke execute on function private.ics_text(text) from public;
revoke execute on function private.ics_line(text) from public;
revoke execute on function private.ics_utc(timestamptz) from public;
revoke execute on function private.meetings_ics(text, uuid, text) from public;
revoke execute on function public.meetings_ics(text, uuid, text) from public, anon, authenticated, service_role;
grant execute on function private.meetings_ics(text, uuid, text) to anon, authenticated, service_role;
grant execute on function public.meetings_ics(text, uuid, text) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- The public record of a meeting's comments. Once the meeting is over (ended, cancelled, or
-- past its end time), anyone gets every comment with its moderation state, answer and votes;
-- the text and name of comments that were never published or were hidden are withheld from the
-- public (a moderator hid them for a reason), and moderators' reasons are for staff only.
-- Moderators and admins get the full record at any time.
create function private.meeting_comment_record(p_meeting_id uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_staff boolean := private.is_staff(array['admin', 'moderator']);
  v_meeting public.meetings;
  v_rows jsonb;
begin
  select * into v_meeting from public.meetings m where m.id = p_meeting_id;
  if not found then
    raise exception using errcode = 'PT404', message = 'meeting not found',
      detail = format('No meeting has id %s.', p_meeting_id);
  end if;
  if not v_staff and v_meeting.status not in ('ended', 'cancelled')
     and coalesce(v_meeting.ends_at, v_meeting.starts_at + interval '2 hours') > now() then
    raise exception using errcode = 'PT409',
      message = 'The record of comments is published once the meeting is over';
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
      'id', c.id,
      'created_at', c.created_at,
      'kind', c.kind,
      'agenda_item_id', c.agenda_item_id,
      'agenda_item', a.title,
      'status', c.status,
      'withheld', not (v_staff or c.status = 'published'),
      'display_name', case when v_staff or c.status = 'published' then c.display_name end,
      'body', case when v_staff or c.status = 'published' then c.body end,
      'moderation_reason', case when v_staff then c.moderation_reason end,
      'answered', c.answered,
      'answer', c.answer,
      'answered_at', c.answered_at,
      'pinned', c.pinned,
      'vote_count', c.vote_count
    ) order by c.created_at, c.id), '[]'::jsonb)
  into v_rows
  from public.comments c
  left join public.agenda_items a on a.id = c.agenda_item_id
  where c.meeting_id = p_meeting_id;

  return jsonb_build_object('meeting_id', v_meeting.id, 'staff', v_staff, 'comments', v_rows);
end;
$$;

create function public.meeting_comment_record(p_meeting_id uuid) returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
  select private.meeting_comment_record(p_meeting_id);
end;
comment on function public.meeting_comment_record(uuid) is
  'Every comment of a meeting with status, answer and votes: {meeting_id, staff, comments: [...]}. Public once the meeting is over (text of unpublished or hidden comments withheld); moderators and admins any time, in full.';

revoke execute on function private.meeting_comment_record(uuid) from public;
revoke execute on function public.meeting_comment_record(uuid) from public, anon, authenticated, service_role;
grant execute on function private.meeting_comment_record(uuid) to anon, authenticated, service_role;
grant execute on function public.meeting_comment_record(uuid) to anon, authenticated, service_role;
