-- The live comment API (migration 20261201000100): who may execute what, pinned search paths,
-- and the resident / moderator round trip through meeting_feed, submit_comments, vote_comment
-- and moderate_comment. Residents never write comments directly. The whole file runs in one
-- transaction, so every change carries the same transaction id and every cursor taken here
-- overlaps all of them (the cross-transaction guarantee is tested in supabase/tests/meetings.test.ts).
begin;
select plan(45);

select tests.create_identities();

insert into public.meetings (id, title, starts_at, status, moderation, comments_open) values
  (tests.uid('m_post'), '{"en": "KCStat", "es": "KCStat"}', now(), 'live', 'post', true),
  (tests.uid('m_pre'), '{"en": "KCStat pre", "es": "KCStat pre"}', now(), 'live', 'pre', true),
  (tests.uid('m_closed'), '{"en": "Closed", "es": "Cerrada"}', now(), 'ended', 'post', false);
insert into public.agenda_items (id, meeting_id, position, title) values
  (tests.uid('ai_pre'), tests.uid('m_pre'), 1, '{"en": "Streets", "es": "Calles"}');

-- ---------------------------------------------------------------------------------------------
-- Privileges.
select ok(has_function_privilege('anon', 'public.meeting_feed(uuid, text, text, integer)', 'execute'),
  'anon can read a meeting feed');
select ok(has_function_privilege('authenticated', 'public.meeting_feed(uuid, text, text, integer)', 'execute'),
  'signed-in users can read a meeting feed');
select ok(has_function_privilege('anon', 'public.submit_comments(jsonb)', 'execute'),
  'anon may call submit_comments (only to be told to sign in)');
select ok(not has_function_privilege('anon', 'private.submit_comments(jsonb)', 'execute'),
  'anon cannot execute the SECURITY DEFINER body of submit_comments');
select ok(has_function_privilege('authenticated', 'private.submit_comments(jsonb)', 'execute'),
  'signed-in users can execute the body of submit_comments');
select ok(not has_function_privilege('anon', 'private.submit_one_comment(jsonb, uuid)', 'execute')
          and not has_function_privilege('authenticated', 'private.submit_one_comment(jsonb, uuid)', 'execute'),
  'nobody calls submit_one_comment directly (it trusts its p_uid)');
select ok(not has_function_privilege('anon', 'public.moderate_comment(uuid, text, text)', 'execute'),
  'anon cannot execute moderate_comment');
select ok(not has_function_privilege('anon', 'private.moderate_comment(uuid, text, text)', 'execute'),
  'anon cannot execute the body of moderate_comment');
select ok(has_function_privilege('authenticated', 'public.moderate_comment(uuid, text, text)', 'execute'),
  'signed-in users can call moderate_comment (it checks for staff)');
select ok(has_function_privilege('authenticated', 'public.vote_comment(uuid, boolean)', 'execute'),
  'signed-in users can vote');
select ok(not has_table_privilege('authenticated', 'private.comment_deletions', 'select')
          and not has_table_privilege('anon', 'private.comment_deletions', 'select'),
  'deletion tombstones are readable only through meeting_feed');
select is(
  (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'private')
     and p.proname in ('meeting_feed', 'submit_comments', 'submit_one_comment', 'vote_comment',
                       'moderate_comment', 'comment_item', 'comment_result', 'require_user',
                       'stamp_comment_change', 'record_comment_deletion', 'nudge_meeting_feed',
                       'feed_page_key')
     and (p.proacl is null or exists (
       select 1 from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE'))),
  0, 'no comment function is executable by PUBLIC');
select is(
  (select array_agg(n.nspname || '.' || p.proname order by 1)
   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname in ('public', 'private') and p.prosecdef
     and not ('search_path=""' = any (coalesce(p.proconfig, '{}')))),
  null::text[], 'every SECURITY DEFINER function pins an empty search_path');
select is_definer('private', 'meeting_feed', array['uuid', 'text', 'text', 'integer'],
  'the feed body is SECURITY DEFINER (tombstones, votes)');
select isnt_definer('public', 'meeting_feed', array['uuid', 'text', 'text', 'integer'],
  'the exposed meeting_feed runs as the caller');
select isnt_definer('public', 'vote_comment', array['uuid', 'boolean'],
  'vote_comment runs as the caller, under RLS');
select isnt_definer('public', 'submit_comments', array['jsonb'],
  'the exposed submit_comments runs as the caller');

-- ---------------------------------------------------------------------------------------------
-- Writes: signed-in only, never directly.
select tests.become('anon');
select throws_ok(
  format($$select public.submit_comments('[{"id": "%s", "meeting_id": "%s", "body": "Hi"}]')$$,
         tests.uid('c_anon'), tests.uid('m_post')),
  '42501', 'Sign in first: posting comments needs a signed-in session',
  'anon-key callers are told to sign in');
select throws_ok(
  format($$select public.vote_comment('%s')$$, tests.uid('c1')),
  '42501', 'Sign in first: voting needs a signed-in session',
  'anon-key callers cannot vote');

select tests.become('resident');
select throws_ok(
  format($$insert into public.comments (id, meeting_id, author_id, body, status)
           values ('%s', '%s', auth.uid(), 'Direct', 'published')$$, tests.uid('c_direct'), tests.uid('m_post')),
  '42501', 'new row violates row-level security policy for table "comments"',
  'a resident cannot bypass submit_comments with a direct insert');
select is(
  public.submit_comments(jsonb_build_array(jsonb_build_object(
    'id', tests.uid('c1'), 'meeting_id', tests.uid('m_pre'), 'agenda_item_id', tests.uid('ai_pre'),
    'kind', 'question', 'body', 'Which streets are next?', 'display_name', 'Maria'))),
  jsonb_build_array(jsonb_build_object('id', tests.uid('c1')::text, 'status', 'accepted',
                                       'reason', null, 'retryable', false)),
  'a resident posts a question');
select is(
  public.submit_comments(jsonb_build_array(
    jsonb_build_object('id', tests.uid('c1'), 'meeting_id', tests.uid('m_pre'), 'body', 'Again'),
    jsonb_build_object('id', tests.uid('c2'), 'meeting_id', tests.uid('m_closed'), 'body', 'Late'))) ,
  jsonb_build_array(
    jsonb_build_object('id', tests.uid('c1')::text, 'status', 'duplicate',
                       'reason', 'Already received; nothing was changed', 'retryable', false),
    jsonb_build_object('id', tests.uid('c2')::text, 'status', 'rejected',
                       'reason', 'Comments are closed for this meeting', 'retryable', false)),
  'a retry is a duplicate; a closed meeting is rejected with its reason');
select is(
  public.meeting_feed(tests.uid('m_pre')) -> 'items' -> 0 @> jsonb_build_object(
    'id', tests.uid('c1'), 'status', 'pending', 'mine', true, 'removed', false),
  true, 'the author sees their own pending comment');

select tests.become('owner');
select results_eq(
  $$select author_id, status, kind, version from public.comments where id = tests.uid('c1')$$,
  $$values (tests.uid('resident'), 'pending'::text, 'question'::text, 1::bigint)$$,
  'stored once, under the author, pending (the meeting is pre-moderated)');
select tests.become('resident2');
select is(
  public.submit_comments(jsonb_build_array(jsonb_build_object(
    'id', tests.uid('c1'), 'meeting_id', tests.uid('m_pre'), 'body', 'Mine now'))) -> 0 ->> 'status',
  'rejected', 'another user cannot take over a stored comment id');
select tests.become('owner');
select is(
  (select body from public.comments where id = tests.uid('c1')),
  'Which streets are next?', '…and the stored comment is unchanged');

-- ---------------------------------------------------------------------------------------------
-- The feed as others see it; moderation.
select tests.become('resident2');
select is(
  jsonb_path_exists(public.meeting_feed(tests.uid('m_pre')), '$.items[*] ? (@.id == $id)',
                    jsonb_build_object('id', tests.uid('c1'))),
  false, 'others do not see a pending comment');
select is(
  jsonb_path_exists(public.meeting_feed(tests.uid('m_pre'), '1'), '$.items[*] ? (@.id == $id)',
                    jsonb_build_object('id', tests.uid('c1'))),
  false, '…not even as a tombstone: it was never public');
select throws_ok(
  format($$select public.moderate_comment('%s', 'publish')$$, tests.uid('c1')),
  '42501', 'Only moderators and admins can moderate comments',
  'a resident cannot moderate');
select tests.become('analyst');
select throws_ok(
  format($$select public.moderate_comment('%s', 'publish')$$, tests.uid('c1')),
  '42501', 'Only moderators and admins can moderate comments',
  'an analyst cannot moderate');

select tests.become('moderator');
select is(
  public.meeting_feed(tests.uid('m_pre')) -> 'items' -> 0 @> jsonb_build_object(
    'id', tests.uid('c1'), 'status', 'pending', 'mine', false),
  true, 'moderators see the pending queue');
select is(
  public.moderate_comment(tests.uid('c1'), 'publish') @> jsonb_build_object(
    'id', tests.uid('c1'), 'status', 'published', 'version', 2),
  true, 'a moderator publishes it (version 2)');
select throws_ok(
  format($$select public.moderate_comment('%s', 'approve')$$, tests.uid('c1')),
  '22023', 'Unknown moderation action "approve": use one of publish, hide, answer, unanswer, pin, unpin',
  'an unknown action names the valid ones');

select tests.become('resident2');
select is(
  public.meeting_feed(tests.uid('m_pre')) -> 'items' -> 0 @> jsonb_build_object(
    'id', tests.uid('c1'), 'status', 'published', 'body', 'Which streets are next?', 'mine', false,
    'voted', false),
  true, 'once published everyone sees it');
select is(public.vote_comment(tests.uid('c1')),
  jsonb_build_object('comment_id', tests.uid('c1'), 'vote_count', 1, 'voted', true),
  'a resident upvotes it');
select is(public.vote_comment(tests.uid('c1'), true) ->> 'vote_count', '1',
  'voting twice counts once');
select is(public.meeting_feed(tests.uid('m_pre')) -> 'items' -> 0 ->> 'voted', 'true',
  'the feed tells the voter they voted');
select is(public.vote_comment(tests.uid('c1'), false),
  jsonb_build_object('comment_id', tests.uid('c1'), 'vote_count', 0, 'voted', false),
  'withdrawing the vote');
select is(public.vote_comment(tests.uid('c1'), false) ->> 'vote_count', '0',
  'withdrawing again is a no-op');

select tests.become('moderator');
select is(
  public.moderate_comment(tests.uid('c1'), 'hide', 'Off topic') ->> 'moderation_reason',
  'Off topic', 'a moderator hides it with a reason');

select tests.become('resident2');
select is(
  public.meeting_feed(tests.uid('m_pre'), '1') -> 'items' -> 0,
  jsonb_build_object('id', tests.uid('c1'), 'version', 5, 'status', 'hidden', 'removed', true),
  'a client with an older cursor gets a tombstone without the body');
select is(
  jsonb_array_length(public.meeting_feed(tests.uid('m_pre')) -> 'items'), 0,
  'the full feed no longer has it');
select tests.become('resident');
select is(
  public.meeting_feed(tests.uid('m_pre')) -> 'items' -> 0 @> jsonb_build_object(
    'id', tests.uid('c1'), 'status', 'hidden', 'moderation_reason', 'Off topic'),
  true, 'the author still sees it, with the moderator''s reason');

-- Errors of the feed.
select throws_ok(
  format($$select public.meeting_feed('%s', 'yesterday')$$, tests.uid('m_pre')),
  '22023', 'p_after is not a feed cursor: "yesterday"', 'a malformed cursor is refused');
select throws_ok(
  format($$select public.meeting_feed('%s')$$, tests.uid('m_none')),
  'PT404', 'meeting not found', 'an unknown meeting is a 404');

select tests.become('owner');
select * from finish();
rollback;
