-- meeting_feed gains keyset paging so a meeting with thousands of comments stays fast:
--
--   meeting_feed(p_meeting_id, p_after, p_before, p_limit) → {meeting, items, cursor, full, older}
--
-- * p_after (unchanged): the changes since a cursor, for pollers. Not limited: a poll returns
--   every change since the watermark (a few per poll during a live meeting).
-- * p_limit without p_after/p_before: the first page, the p_limit newest visible comments
--   (items newest first), full = true (replace what you hold), `cursor` for polling and
--   `older` for the next page (null: nothing older).
-- * p_before = an `older` string: the next p_limit visible comments older than it, full = false.
--   Pages are keyed on (created_at, id), which never change, so consecutive pages neither repeat
--   nor skip a comment however many are posted meanwhile; comments committed after the first
--   page (even with an earlier created_at, from a slow transaction) reach the client through the
--   p_after polls, whose watermark was taken before the first page's rows were read. An older
--   page's `cursor` must not replace the poller's: it would skip changes to the rows held.
-- * Neither p_limit nor a cursor: the whole visible set, as before (full = true, older = null).
--
-- Visibility rules are exactly those of 20261201000100 (the same predicate): moderators see
-- everything, others the published comments plus their own; tombstones only on p_after polls.
--
-- The signature changes, so the old functions are dropped and recreated with the same grants
-- (a caller sending only p_meeting_id and p_after, as older clients do, still matches). The
-- dropping takes a brief lock on the two functions only.

create index comments_meeting_created_id_idx on public.comments (meeting_id, created_at, id);

drop function public.meeting_feed(uuid, text);
drop function private.meeting_feed(uuid, text);

-- The page key as text: microseconds since the epoch (exact; timestamptz has microsecond
-- resolution) and the id.
create function private.feed_page_key(p_created_at timestamptz, p_id uuid) returns text
language sql
immutable
set search_path = ''
as $$
  select (extract(epoch from p_created_at) * 1000000)::bigint::text || ':' || p_id::text
$$;

create function private.meeting_feed(p_meeting_id uuid, p_after text, p_before text, p_limit integer)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_snapshot pg_catalog.pg_snapshot := pg_catalog.pg_current_snapshot();
  v_cursor xid8 := pg_catalog.pg_snapshot_xmin(v_snapshot);
  v_uid uuid := auth.uid();
  v_moderator boolean := private.is_staff(array['admin', 'moderator']);
  v_after_text text := nullif(btrim(p_after), '');
  v_before_text text := nullif(btrim(p_before), '');
  v_after xid8;
  v_before_at timestamptz;
  v_before_id uuid;
  v_meeting public.meetings;
  v_items jsonb;
  v_older text;
  v_paged boolean;
begin
  if p_meeting_id is null then
    raise exception using errcode = '22023', message = 'meeting_feed needs "p_meeting_id" (a meeting UUID)';
  end if;
  if p_limit is not null and (p_limit < 1 or p_limit > 500) then
    raise exception using errcode = '22023',
      message = format('p_limit must be between 1 and 500 (got %s)', p_limit);
  end if;
  if v_after_text is not null and v_before_text is not null then
    raise exception using errcode = '22023',
      message = 'Send p_after (changes since a poll) or p_before (an older page), not both';
  end if;
  if v_before_text is not null and p_limit is null then
    raise exception using errcode = '22023', message = 'p_before needs p_limit (the page size)';
  end if;
  select * into v_meeting from public.meetings m where m.id = p_meeting_id;
  if not found then
    raise exception using errcode = 'PT404', message = 'meeting not found',
      detail = format('No meeting has id %s.', p_meeting_id);
  end if;

  if v_after_text is not null then
    if v_after_text !~ '^[0-9]{1,20}$' then
      raise exception using errcode = '22023',
        message = format('p_after is not a feed cursor: "%s"', left(p_after, 40)),
        hint = 'Send the "cursor" string of the previous meeting_feed answer unchanged, or null for the full feed.';
    end if;
    begin
      v_after := v_after_text::xid8;
    exception when others then
      raise exception using errcode = '22023',
        message = format('p_after is not a feed cursor: "%s"', left(p_after, 40)),
        hint = 'Send the "cursor" string of the previous meeting_feed answer unchanged, or null for the full feed.';
    end;
    -- A cursor can never exceed the next transaction id. One that does comes from another
    -- database (e.g. a reset development backend): answer the full set so the client resyncs.
    if v_after > pg_catalog.pg_snapshot_xmax(v_snapshot) then
      v_after := null;
    end if;
  end if;

  if v_before_text is not null then
    if v_before_text !~ '^[0-9]{1,20}:[0-9a-fA-F-]{36}$' then
      raise exception using errcode = '22023',
        message = format('p_before is not a page cursor: "%s"', left(p_before, 60)),
        hint = 'Send the "older" string of the previous meeting_feed answer unchanged.';
    end if;
    begin
      v_before_at := '1970-01-01 00:00:00+00'::timestamptz
        + split_part(v_before_text, ':', 1)::bigint * interval '1 microsecond';
      v_before_id := split_part(v_before_text, ':', 2)::uuid;
    exception when others then
      raise exception using errcode = '22023',
        message = format('p_before is not a page cursor: "%s"', left(p_before, 60)),
        hint = 'Send the "older" string of the previous meeting_feed answer unchanged.';
    end;
  end if;

  -- A page: the visible comments, newest first, below the key; one extra row tells whether an
  -- older page exists. A resync (p_after too new) is paged like a first page when p_limit is set.
  v_paged := p_limit is not null and v_after is null;
  if v_paged then
    with page as (
      select c as comment, c.created_at, c.id
      from public.comments c
      where c.meeting_id = p_meeting_id
        and (v_moderator or c.status = 'published' or coalesce(c.author_id = v_uid, false))
        and (v_before_at is null or (c.created_at, c.id) < (v_before_at, v_before_id))
      order by c.created_at desc, c.id desc
      limit p_limit + 1
    ), numbered as (
      select p.*, row_number() over (order by p.created_at desc, p.id desc) as n
      from page p
    )
    select
      coalesce(jsonb_agg(private.comment_item(n.comment, v_uid, v_moderator)
                         order by n.created_at desc, n.id desc)
               filter (where n.n <= p_limit), '[]'::jsonb),
      case when count(*) > p_limit then
        (select private.feed_page_key(k.created_at, k.id) from numbered k where k.n = p_limit)
      end
    into v_items, v_older
    from numbered n;
  else
    select coalesce(jsonb_agg(x.item order by x.created_at, x.id), '[]'::jsonb) into v_items
    from (
      select c.created_at, c.id,
        case when v.visible then private.comment_item(c, v_uid, v_moderator)
             else jsonb_build_object('id', c.id, 'version', c.version, 'status', 'hidden', 'removed', true)
        end as item
      from public.comments c
      cross join lateral (
        select v_moderator or c.status = 'published' or coalesce(c.author_id = v_uid, false) as visible
      ) v
      where c.meeting_id = p_meeting_id
        and (v_after is null or c.changed_xid >= v_after)
        and (v.visible or (v_after is not null and c.ever_published))
      union all
      select d.created_at, d.comment_id,
        jsonb_build_object('id', d.comment_id, 'version', d.version, 'status', 'hidden', 'removed', true)
      from private.comment_deletions d
      where v_after is not null
        and d.meeting_id = p_meeting_id
        and d.deleted_xid >= v_after
        and (v_moderator or d.ever_published or coalesce(d.author_id = v_uid, false))
    ) x;
  end if;

  return jsonb_build_object(
    'meeting', jsonb_build_object(
      'id', v_meeting.id,
      'status', v_meeting.status,
      'comments_open', v_meeting.comments_open,
      'moderation', v_meeting.moderation
    ),
    'items', v_items,
    'cursor', v_cursor::text,
    'full', v_after is null and v_before_at is null,
    'older', v_older
  );
end;
$$;

create function public.meeting_feed(p_meeting_id uuid, p_after text default null,
                                    p_before text default null, p_limit integer default null)
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
  select private.meeting_feed(p_meeting_id, p_after, p_before, p_limit);
end;
comment on function public.meeting_feed(uuid, text, text, integer) is
  'Comments of a meeting visible to the caller. p_after (a cursor): every change since it, tombstones included. p_limit (1..500) alone: the newest p_limit comments, newest first; with p_before (an "older" string): the next older page. Neither: all. Answer {meeting: {id, status, comments_open, moderation}, items: [comment | {id, version, status: hidden, removed: true}], cursor, full, older}. Items overlap between polls: merge by id, highest version wins.';

revoke execute on function private.feed_page_key(timestamptz, uuid) from public;
revoke execute on function private.meeting_feed(uuid, text, text, integer) from public;
revoke execute on function public.meeting_feed(uuid, text, text, integer) from public, anon, authenticated, service_role;
-- Reading the feed needs no account.
grant execute on function private.meeting_feed(uuid, text, text, integer) to anon, authenticated, service_role;
grant execute on function public.meeting_feed(uuid, text, text, integer) to anon, authenticated, service_role;
