-- Live meeting comments (DESIGN §2 "Realtime", §4, §5 "Feed cursor trap"):
--   meeting_feed(p_meeting_id, p_after)   → {meeting, items, cursor, full}        (anyone)
--   submit_comments(p_comments)           → one {id, status, reason, retryable} per item (signed-in)
--   vote_comment(p_comment_id, p_up)      → {comment_id, vote_count, voted}       (signed-in)
--   moderate_comment(p_comment_id, p_action, p_reason) → the comment as a feed item (moderators)
--
-- The feed is read by polling; Realtime (when the project has it) only nudges clients to poll
-- sooner. Correctness rests on the watermark below, never on a broadcast arriving.
--
-- Why not `updated_at > cursor` (or a sequence): a value assigned at write time is not the order
-- of commit. Writer A stamps 10:00:01 and is still open; writer B stamps 10:00:02 and commits; a
-- reader sees B and remembers 10:00:02; A commits; the next poll asks for > 10:00:02 and A is
-- skipped forever. supabase/tests/meetings.test.ts reproduces exactly that on PostgreSQL 15.
--
-- The watermark: every insert or update stamps comments.changed_xid with the writing (top-level)
-- transaction's 64-bit id, pg_current_xact_id(). The feed answers, besides the rows, the cursor
-- xmin(S) of its own snapshot S: the lowest transaction id still running when S was taken
-- (snapshot bounds, pg_snapshot_xmin). Every transaction with an id below xmin(S) had ended
-- before S, so its changes are either visible in S (and were in this page) or never will be
-- (aborted). Hence a row version this page did not contain was written by a transaction with
-- id >= xmin(S): one still running at S, or one that started later. The next call returns every
-- row with changed_xid >= cursor, so nothing is skipped however commits interleave. The price is
-- overlap: rows of transactions that had committed but whose id is >= xmin(S) come again, so
-- clients merge by id keeping the highest version (comments.version). A long-running writer
-- elsewhere in the database only widens the overlap while it runs. xid8 never wraps around.
-- The cursor is taken before (in fact: from the same snapshot as) the rows are read, which is
-- what the argument needs; it is an opaque decimal string for clients.
--
-- What a caller sees: published comments; their own comments in any status (with the
-- moderator's reason on their own hidden ones); moderators and admins see everything. A comment
-- that changed after the cursor and is no longer visible to the caller comes as a tombstone
-- {id, version, status: 'hidden', removed: true} (no body, no author) so clients drop it; a
-- tombstone is sent only for comments that were ever published (comments.ever_published) or were
-- the caller's own, so the pre-moderation queue (never public) does not leak or churn. Deleted
-- comments (moderators may delete; an agenda item's deletion cascades) leave a row in
-- private.comment_deletions so they come as tombstones too.
--
-- Locks: the two `add column` statements have constant defaults, so they only take a brief
-- ACCESS EXCLUSIVE lock and change metadata (no table rewrite); the index build blocks writes to
-- comments while it runs (small table; migrations run in a transaction, so not CONCURRENTLY).
--
-- Errors map to HTTP through PostgREST: PT404 → 404, 22023 → 400, 42501 → 401 for anon (403 for
-- a signed-in user).

-- ---------------------------------------------------------------------------------------------
-- The watermark column and its stamp.

-- Rows that exist when this migration runs get '1': older than any cursor (the feed did not
-- exist before this migration), so they appear in full feeds only, which is right. New rows and
-- updates are stamped by the trigger below; the default is a second line of defence.
alter table public.comments add column changed_xid xid8 not null default '1'::xid8;
alter table public.comments alter column changed_xid set default pg_current_xact_id();
comment on column public.comments.changed_xid is
  'Transaction id (xid8) of the last insert or update; meeting_feed returns rows with changed_xid >= its cursor (a snapshot xmin).';

-- Whether the comment was ever public: only then do other people need a tombstone when it
-- disappears. Existing rows need no backfill: a cursor cannot predate this migration, and the
-- trigger sets the flag in the same update that takes a published comment down.
alter table public.comments add column ever_published boolean not null default false;
comment on column public.comments.ever_published is
  'True once the comment has been published; meeting_feed sends other people a tombstone only for such comments.';

create index comments_meeting_changed_xid_idx on public.comments (meeting_id, changed_xid);

-- Runs after comments_bump_version on update (triggers fire in name order); overrides whatever
-- a direct (staff) write put in these columns.
create function private.stamp_comment_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.changed_xid := pg_catalog.pg_current_xact_id();
  new.ever_published := new.status = 'published'
    or (tg_op = 'UPDATE' and (old.ever_published or old.status = 'published'));
  return new;
end;
$$;
revoke execute on function private.stamp_comment_change() from public;
create trigger comments_stamp_change before insert or update on public.comments
  for each row execute function private.stamp_comment_change();

-- Deleted comments, kept so clients holding one learn that it is gone. Private: read only by
-- meeting_feed (SECURITY DEFINER). No foreign key: the meeting may be deleted in the same
-- statement (a cascade), in which case nothing is recorded at all.
create table private.comment_deletions (
  comment_id uuid primary key,
  meeting_id uuid not null,
  author_id uuid,
  ever_published boolean not null,
  version bigint not null,
  created_at timestamptz not null,
  deleted_xid xid8 not null default pg_current_xact_id()
);
comment on table private.comment_deletions is
  'Tombstones of deleted comments (id, last version + 1, transaction id) for meeting_feed clients holding them.';
create index comment_deletions_meeting_idx on private.comment_deletions (meeting_id, deleted_xid);
alter table private.comment_deletions enable row level security;
revoke all on private.comment_deletions from public, anon, authenticated, service_role;

-- SECURITY DEFINER: the deleting moderator has no rights on the private table.
create function private.record_comment_deletion() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.meetings m where m.id = old.meeting_id) then
    insert into private.comment_deletions as d (comment_id, meeting_id, author_id, ever_published,
                                                version, created_at)
    values (old.id, old.meeting_id, old.author_id, old.ever_published or old.status = 'published',
            old.version + 1, old.created_at)
    on conflict (comment_id) do update
      set meeting_id = excluded.meeting_id, author_id = excluded.author_id,
          ever_published = excluded.ever_published, version = excluded.version,
          created_at = excluded.created_at, deleted_xid = pg_catalog.pg_current_xact_id();
  end if;
  return old;
end;
$$;
revoke execute on function private.record_comment_deletion() from public;
create trigger comments_record_deletion after delete on public.comments
  for each row execute function private.record_comment_deletion();

-- Optional nudge: with Supabase Realtime (hosted, or the local bootstrap's stub), broadcast
-- {meeting_id} on the public topic meeting:<id> after every change, so clients poll at once. The
-- payload carries nothing a poll would not show anyone. It must never make a write fail: it is
-- skipped when realtime.send does not exist and any error is swallowed. SECURITY DEFINER because
-- the writer (a resident through a definer function, or staff directly) may not write
-- realtime.messages. Delivered on commit (Realtime reads the replication stream).
create function private.nudge_meeting_feed() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_meeting_id uuid := case when tg_op = 'DELETE' then old.meeting_id else new.meeting_id end;
begin
  if pg_catalog.to_regprocedure('realtime.send(jsonb, text, text, boolean)') is not null then
    begin
      perform realtime.send(pg_catalog.jsonb_build_object('meeting_id', v_meeting_id), 'changed',
                            'meeting:' || v_meeting_id::text, false);
    exception when others then
      null; -- a lost nudge costs one polling interval; a failed write would lose a comment
    end;
  end if;
  return null;
end;
$$;
revoke execute on function private.nudge_meeting_feed() from public;
create trigger comments_nudge_feed after insert or update or delete on public.comments
  for each row execute function private.nudge_meeting_feed();

-- ---------------------------------------------------------------------------------------------
-- Shared helpers.

-- A comment as a feed item for the given viewer. moderation_reason is shown to moderators and
-- to the author of a hidden comment (so they learn why); null otherwise.
-- Invoker: only called from the definer functions below.
create function private.comment_item(p_comment public.comments, p_uid uuid, p_moderator boolean)
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

-- The API entry points below are SECURITY INVOKER SQL-standard bodies (begin atomic), bound at
-- creation, so callers need no usage on `private`; they check the session first so a caller
-- without one gets a clear "sign in first" (42501 → HTTP 401) instead of a bare
-- "permission denied".
create function private.require_user(p_action text, p_rpc text) returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception using errcode = '42501',
      message = format('Sign in first: %s needs a signed-in session', p_action),
      hint = format('Residents sign in anonymously: call supabase.auth.signInAnonymously() before supabase.rpc(''%s'', …).', p_rpc);
  end if;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- meeting_feed. SECURITY DEFINER: tombstones are about rows the caller may no longer read, and
-- "voted" reads comment_votes, which anon cannot. STABLE: one snapshot for the whole call (the
-- cursor and the rows come from the same snapshot; the cursor is also computed first).
create function private.meeting_feed(p_meeting_id uuid, p_after text) returns jsonb
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
  v_after xid8;
  v_meeting public.meetings;
  v_items jsonb;
begin
  if p_meeting_id is null then
    raise exception using errcode = '22023', message = 'meeting_feed needs "p_meeting_id" (a meeting UUID)';
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

  return jsonb_build_object(
    'meeting', jsonb_build_object(
      'id', v_meeting.id,
      'status', v_meeting.status,
      'comments_open', v_meeting.comments_open,
      'moderation', v_meeting.moderation
    ),
    'items', v_items,
    'cursor', v_cursor::text,
    'full', v_after is null
  );
end;
$$;

create function public.meeting_feed(p_meeting_id uuid, p_after text default null) returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
  select private.meeting_feed(p_meeting_id, p_after);
end;
comment on function public.meeting_feed(uuid, text) is
  'Comments of a meeting visible to the caller that changed since p_after (null: all): {meeting: {id, status, comments_open, moderation}, items: [comment | {id, version, status: hidden, removed: true}], cursor, full}. Items overlap between pages: merge by id, highest version wins.';

-- ---------------------------------------------------------------------------------------------
-- submit_comments.

create function private.comment_result(p_id text, p_status text, p_reason text,
                                       p_retryable boolean default false)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('id', p_id, 'status', p_status, 'reason', p_reason,
                            'retryable', coalesce(p_retryable, false))
$$;

-- At most this many accepted comments per author and meeting in the window (flood control; a
-- rejection for it says retryable: true so an outbox sends the comment again later).
create function private.comment_rate_limit() returns integer
language sql immutable set search_path = '' as $$ select 20 $$;
create function private.comment_rate_window() returns interval
language sql immutable set search_path = '' as $$ select interval '10 minutes' $$;

-- One item; runs inside the caller's transaction. The store happens in a subtransaction so a
-- failure stores nothing of this item while the other items of the batch still commit.
create function private.submit_one_comment(p_item jsonb, p_uid uuid) returns jsonb
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

create function private.submit_comments(p_comments jsonb) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_results jsonb := '[]'::jsonb;
  v_item jsonb;
begin
  perform private.require_user('posting comments', 'submit_comments');
  if p_comments is null or jsonb_typeof(p_comments) <> 'array' then
    raise exception using errcode = '22023',
      message = 'submit_comments expects "p_comments" to be a JSON array of comments',
      detail = format('Got %s.', coalesce(jsonb_typeof(p_comments), 'nothing')),
      hint = 'Send {"p_comments": [{"id": "<uuid>", "meeting_id": "<uuid>", "agenda_item_id": null, "kind": "question", "body": "…", "display_name": null}]}.';
  end if;
  if jsonb_array_length(p_comments) > 50 then
    raise exception using errcode = '22023',
      message = format('Too many comments in one call: %s (at most 50)', jsonb_array_length(p_comments)),
      hint = 'Send the outbox in batches of up to 50.';
  end if;
  for v_item in
    select e.value from jsonb_array_elements(p_comments) with ordinality e(value, n) order by e.n
  loop
    v_results := v_results || jsonb_build_array(private.submit_one_comment(v_item, v_uid));
  end loop;
  return v_results;
end;
$$;

create function public.submit_comments(p_comments jsonb) returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
  select private.require_user('posting comments', 'submit_comments');
  select private.submit_comments(p_comments);
end;
comment on function public.submit_comments(jsonb) is
  'Post meeting comments idempotently by client UUID (at most 50 per call): one {id, status: accepted|duplicate|rejected, reason, retryable} per item, in order.';

-- ---------------------------------------------------------------------------------------------
-- vote_comment. SECURITY INVOKER: RLS already lets a user add and remove their own vote on a
-- published comment, and the vote_count trigger (definer) keeps the count exact.
create function public.vote_comment(p_comment_id uuid, p_up boolean default true) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_status text;
  v_count integer;
begin
  if v_uid is null then
    raise exception using errcode = '42501',
      message = 'Sign in first: voting needs a signed-in session',
      hint = 'Residents sign in anonymously: call supabase.auth.signInAnonymously() before supabase.rpc(''vote_comment'', …).';
  end if;
  select c.status into v_status from public.comments c where c.id = p_comment_id;
  if not found then
    raise exception using errcode = 'PT404', message = 'comment not found',
      detail = format('No comment you can see has id %s.', p_comment_id);
  end if;
  if v_status <> 'published' then
    raise exception using errcode = '22023',
      message = format('You can vote only on published comments (this one is %s)', v_status);
  end if;

  if coalesce(p_up, true) then
    insert into public.comment_votes (comment_id, voter_id) values (p_comment_id, v_uid)
    on conflict (comment_id, voter_id) do nothing;
  else
    delete from public.comment_votes v where v.comment_id = p_comment_id and v.voter_id = v_uid;
  end if;

  select c.vote_count into v_count from public.comments c where c.id = p_comment_id;
  return jsonb_build_object(
    'comment_id', p_comment_id,
    'vote_count', v_count,
    'voted', exists (select 1 from public.comment_votes v
                     where v.comment_id = p_comment_id and v.voter_id = v_uid)
  );
end;
$$;
comment on function public.vote_comment(uuid, boolean) is
  'Upvote (p_up true, default) or withdraw the caller''s vote on a published comment; idempotent. Returns {comment_id, vote_count, voted}.';

-- ---------------------------------------------------------------------------------------------
-- moderate_comment. Moderators could update comments through RLS, but the action vocabulary,
-- the clear errors and the feed-shaped answer live here; SECURITY DEFINER because a plpgsql
-- invoker body could not reach private.is_staff / private.comment_item.
create function private.moderate_comment(p_comment_id uuid, p_action text, p_reason text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  c_actions constant text[] := array['publish', 'hide', 'answer', 'unanswer', 'pin', 'unpin'];
  v_comment public.comments;
  v_status text;
  v_answered boolean;
  v_pinned boolean;
  v_reason text;
begin
  if not private.is_staff(array['admin', 'moderator']) then
    raise exception using errcode = '42501',
      message = 'Only moderators and admins can moderate comments';
  end if;
  if p_action is null or not p_action = any (c_actions) then
    raise exception using errcode = '22023',
      message = format('Unknown moderation action "%s": use one of %s',
                       coalesce(p_action, 'null'), array_to_string(c_actions, ', '));
  end if;
  if char_length(p_reason) > 500 then
    raise exception using errcode = '22023',
      message = format('p_reason is too long: %s characters, at most 500 allowed', char_length(p_reason));
  end if;

  select * into v_comment from public.comments c where c.id = p_comment_id for update;
  if not found then
    raise exception using errcode = 'PT404', message = 'comment not found',
      detail = format('No comment has id %s.', p_comment_id);
  end if;

  v_status := v_comment.status;
  v_answered := v_comment.answered;
  v_pinned := v_comment.pinned;
  v_reason := v_comment.moderation_reason;
  case p_action
    when 'publish' then v_status := 'published'; v_reason := null;
    -- The reason (optional) is shown to the author and to moderators, never to the public.
    when 'hide' then v_status := 'hidden'; v_reason := nullif(btrim(p_reason), '');
    when 'answer' then v_answered := true;
    when 'unanswer' then v_answered := false;
    when 'pin' then v_pinned := true;
    when 'unpin' then v_pinned := false;
  end case;

  -- Repeating an action changes nothing (no version bump, no feed traffic).
  if (v_status, v_answered, v_pinned, v_reason)
     is distinct from (v_comment.status, v_comment.answered, v_comment.pinned, v_comment.moderation_reason) then
    update public.comments c
    set status = v_status, answered = v_answered, pinned = v_pinned, moderation_reason = v_reason
    where c.id = p_comment_id
    returning * into v_comment;
  end if;

  return private.comment_item(v_comment, auth.uid(), true);
end;
$$;

create function public.moderate_comment(p_comment_id uuid, p_action text, p_reason text default null)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
  select private.moderate_comment(p_comment_id, p_action, p_reason);
end;
comment on function public.moderate_comment(uuid, text, text) is
  'Moderators and admins: publish, hide (p_reason ≤ 500 chars, shown to the author), answer, unanswer, pin or unpin a comment. Returns the comment as a feed item.';

-- ---------------------------------------------------------------------------------------------
-- Privileges: nothing for PUBLIC; each body exactly for the roles that reach it.
revoke execute on function private.comment_item(public.comments, uuid, boolean) from public;
revoke execute on function private.require_user(text, text) from public;
revoke execute on function private.meeting_feed(uuid, text) from public;
revoke execute on function private.comment_result(text, text, text, boolean) from public;
revoke execute on function private.comment_rate_limit() from public;
revoke execute on function private.comment_rate_window() from public;
revoke execute on function private.submit_one_comment(jsonb, uuid) from public;
revoke execute on function private.submit_comments(jsonb) from public;
revoke execute on function private.moderate_comment(uuid, text, text) from public;
revoke execute on function public.meeting_feed(uuid, text) from public, anon, authenticated, service_role;
revoke execute on function public.submit_comments(jsonb) from public, anon, authenticated, service_role;
revoke execute on function public.vote_comment(uuid, boolean) from public, anon, authenticated, service_role;
revoke execute on function public.moderate_comment(uuid, text, text) from public, anon, authenticated, service_role;

-- Reading the feed needs no account.
grant execute on function private.meeting_feed(uuid, text) to anon, authenticated, service_role;
grant execute on function public.meeting_feed(uuid, text) to anon, authenticated, service_role;
-- anon may call the write entry points only to be told to sign in; the definer bodies are for
-- signed-in users.
grant execute on function private.require_user(text, text) to anon, authenticated;
grant execute on function private.submit_comments(jsonb) to authenticated;
grant execute on function public.submit_comments(jsonb) to anon, authenticated;
grant execute on function public.vote_comment(uuid, boolean) to anon, authenticated;
grant execute on function private.moderate_comment(uuid, text, text) to authenticated;
grant execute on function public.moderate_comment(uuid, text, text) to authenticated;
