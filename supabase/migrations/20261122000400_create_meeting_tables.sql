-- Meetings (DESIGN §3 "Meetings"): meetings → agenda_items; comments (client UUID) and
-- comment_votes. The resident write paths (submit_comments, vote_comment, meeting_feed) come in
-- a later migration as SECURITY DEFINER functions; here only the tables and their baseline RLS:
-- published comments are readable by everyone, authors read their own, moderators (and admins)
-- read and manage all of them.

create table public.meetings (
  id uuid primary key default gen_random_uuid(),
  goal_area_id uuid references public.goal_areas (id) on delete set null,
  title public.localized_text not null,
  description public.localized_text,
  starts_at timestamptz not null,
  ends_at timestamptz,
  stream_url text check (stream_url is null or stream_url ~ '^https://'),
  status text not null default 'scheduled'
    check (status in ('scheduled', 'live', 'ended', 'cancelled')),
  -- pre: comments wait for a moderator; post: published at once, moderators may hide them.
  moderation text not null default 'post' check (moderation in ('pre', 'post')),
  comments_open boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint meetings_ends_after_starts check (ends_at is null or ends_at > starts_at)
);
comment on table public.meetings is
  'A public performance meeting (KCStat style): goal area, schedule, stream, status, comment moderation mode.';
create index meetings_goal_area_id_idx on public.meetings (goal_area_id);
create index meetings_starts_at_idx on public.meetings (starts_at);
create trigger meetings_touch_updated_at before update on public.meetings
  for each row execute function private.touch_updated_at();

create table public.agenda_items (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  position integer not null default 0,
  title public.localized_text not null,
  description public.localized_text,
  goal_id uuid references public.goals (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint agenda_items_id_meeting_key unique (id, meeting_id)
);
comment on table public.agenda_items is 'An item on a meeting''s agenda, optionally about one goal.';
create index agenda_items_meeting_id_idx on public.agenda_items (meeting_id, position);
create index agenda_items_goal_id_idx on public.agenda_items (goal_id);
create trigger agenda_items_touch_updated_at before update on public.agenda_items
  for each row execute function private.touch_updated_at();

create table public.comments (
  -- Made by the client (offline queue): the idempotency key of submit_comments.
  id uuid primary key,
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  agenda_item_id uuid,
  author_id uuid references auth.users (id) on delete set null,
  display_name text check (display_name is null or char_length(btrim(display_name)) between 1 and 60),
  kind text not null default 'comment' check (kind in ('comment', 'question')),
  body text not null check (char_length(body) between 1 and 1000 and length(btrim(body)) > 0),
  status text not null default 'pending' check (status in ('pending', 'published', 'hidden')),
  answered boolean not null default false,
  pinned boolean not null default false,
  vote_count integer not null default 0 check (vote_count >= 0),
  -- Bumped on every change so clients can merge feed pages idempotently by (id, version).
  version bigint not null default 1,
  moderation_reason text check (moderation_reason is null or char_length(moderation_reason) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint comments_agenda_item_same_meeting foreign key (agenda_item_id, meeting_id)
    references public.agenda_items (id, meeting_id) on delete cascade
);
comment on table public.comments is
  'A resident comment or question on a meeting (optionally an agenda item); status pending/published/hidden; version bumps on change.';
create index comments_meeting_id_idx on public.comments (meeting_id, status, created_at);
create index comments_agenda_item_id_idx on public.comments (agenda_item_id, meeting_id);
create index comments_author_id_idx on public.comments (author_id);
create index comments_updated_at_idx on public.comments (meeting_id, updated_at);

create function private.bump_comment_version() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.version := old.version + 1;
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
revoke execute on function private.bump_comment_version() from public;
create trigger comments_bump_version before update on public.comments
  for each row execute function private.bump_comment_version();

create table public.comment_votes (
  comment_id uuid not null references public.comments (id) on delete cascade,
  voter_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (comment_id, voter_id)
);
comment on table public.comment_votes is 'One upvote per (comment, user); comments.vote_count follows by trigger.';
create index comment_votes_voter_id_idx on public.comment_votes (voter_id);

-- Keeps comments.vote_count exact. SECURITY DEFINER because a voter may not update comments.
create function private.sync_comment_vote_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update public.comments set vote_count = vote_count + 1 where id = new.comment_id;
    return new;
  else
    update public.comments set vote_count = greatest(vote_count - 1, 0) where id = old.comment_id;
    return old;
  end if;
end;
$$;
revoke execute on function private.sync_comment_vote_count() from public;
create trigger comment_votes_sync_count after insert or delete on public.comment_votes
  for each row execute function private.sync_comment_vote_count();

-- ---------------------------------------------------------------------------------------------
alter table public.meetings enable row level security;
alter table public.agenda_items enable row level security;
alter table public.comments enable row level security;
alter table public.comment_votes enable row level security;

-- Explicit revoke first: a self-hosted or legacy project may still auto-grant new tables to the
-- API roles (contract §1.3); after this, the grants below are the whole truth.
revoke all on public.meetings, public.agenda_items, public.comments, public.comment_votes
  from anon, authenticated, service_role;
grant select on public.meetings, public.agenda_items, public.comments to anon;
grant select, insert, update, delete on public.meetings, public.agenda_items, public.comments
  to authenticated, service_role;
-- A vote has nothing to update: select, insert and delete only.
grant select, insert, delete on public.comment_votes to authenticated;
grant select, insert, update, delete on public.comment_votes to service_role;

-- meetings: the schedule is public (published a year ahead). Moderators may update a meeting
-- (open/close comments, mark live) but not create or delete one.
create policy meetings_select_anon on public.meetings for select to anon using (true);
create policy meetings_select_authenticated on public.meetings for select to authenticated
  using (true);
create policy meetings_insert_admin on public.meetings for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy meetings_update_admin_moderator on public.meetings for update to authenticated
  using ((select private.is_staff(array['admin', 'moderator'])))
  with check ((select private.is_staff(array['admin', 'moderator'])));
create policy meetings_delete_admin on public.meetings for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- agenda_items
create policy agenda_items_select_anon on public.agenda_items for select to anon using (true);
create policy agenda_items_select_authenticated on public.agenda_items for select to authenticated
  using (true);
create policy agenda_items_insert_admin on public.agenda_items for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy agenda_items_update_admin on public.agenda_items for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy agenda_items_delete_admin on public.agenda_items for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- comments: residents write through submit_comments (later migration); staff moderate here.
create policy comments_select_anon on public.comments for select to anon
  using (status = 'published');
create policy comments_select_authenticated on public.comments for select to authenticated
  using (
    status = 'published'
    or author_id = (select auth.uid())
    or (select private.is_staff(array['admin', 'moderator']))
  );
-- Staff may post (e.g. an official answer) under their own id.
create policy comments_insert_moderator on public.comments for insert to authenticated
  with check (
    (select private.is_staff(array['admin', 'moderator']))
    and author_id = (select auth.uid())
  );
create policy comments_update_moderator on public.comments for update to authenticated
  using ((select private.is_staff(array['admin', 'moderator'])))
  with check ((select private.is_staff(array['admin', 'moderator'])));
create policy comments_delete_moderator on public.comments for delete to authenticated
  using ((select private.is_staff(array['admin', 'moderator'])));

-- comment_votes: a user sees and manages only their own votes, on comments they can see.
create policy comment_votes_select_own_or_moderator on public.comment_votes for select
  to authenticated
  using (
    voter_id = (select auth.uid())
    or (select private.is_staff(array['admin', 'moderator']))
  );
create policy comment_votes_insert_own on public.comment_votes for insert to authenticated
  with check (
    voter_id = (select auth.uid())
    and exists (
      select 1 from public.comments c
      where c.id = comment_votes.comment_id and c.status = 'published'
    )
  );
-- No update policy: a vote has nothing to change (delete it instead).
create policy comment_votes_delete_own on public.comment_votes for delete to authenticated
  using (voter_id = (select auth.uid()));
