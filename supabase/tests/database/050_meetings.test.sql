-- RLS on meetings, agenda_items, comments and comment_votes (baseline; the resident write
-- paths submit_comments / vote_comment arrive with their own migration). Published comments are
-- public; authors read their own pending or hidden ones; moderators and admins read and manage
-- all; a user sees and manages only their own votes, and only on published comments.
begin;
select plan(115);

select tests.create_identities();

insert into public.meetings (id, title, starts_at, comments_open) values
  (tests.uid('m1'), '{"en": "KCStat", "es": "KCStat"}', now(), true),
  (tests.uid('m_empty'), '{"en": "Later", "es": "Después"}', now() + interval '30 days', false);
insert into public.agenda_items (id, meeting_id, position, title) values
  (tests.uid('ai1'), tests.uid('m1'), 1, '{"en": "Streets", "es": "Calles"}'),
  (tests.uid('ai2'), tests.uid('m1'), 2, '{"en": "Parks", "es": "Parques"}');
insert into public.comments (id, meeting_id, agenda_item_id, author_id, body, status) values
  (tests.uid('c_pub'), tests.uid('m1'), tests.uid('ai1'), tests.uid('resident2'), 'Potholes on Main St', 'published'),
  (tests.uid('c_pub2'), tests.uid('m1'), null, tests.uid('resident2'), 'When will the park reopen?', 'published'),
  (tests.uid('c_pending'), tests.uid('m1'), null, tests.uid('resident2'), 'Awaiting review', 'pending'),
  (tests.uid('c_hidden'), tests.uid('m1'), null, tests.uid('resident2'), 'Off topic', 'hidden'),
  (tests.uid('c_mine'), tests.uid('m1'), null, tests.uid('resident'), 'My pending question', 'pending');
insert into public.comment_votes (comment_id, voter_id) values
  (tests.uid('c_pub'), tests.uid('resident2')),
  (tests.uid('c_pub'), tests.uid('moderator'));

select * from tests.rls_matrix('meetings',
  $$select 1 from public.meetings where id = any (tests.ids('m1', 'm_empty'))$$,
  $$insert into public.meetings (title, starts_at) values ('{"en": "New", "es": "Nueva"}', now())$$,
  $$update public.meetings set comments_open = false where id = tests.uid('m1')$$,
  $$delete from public.meetings where id = tests.uid('m_empty')$$,
  '{
    "anon":         ["2", "42501", "42501", "42501"],
    "resident":     ["2", "42501", "0",     "0"],
    "admin":        ["2", "1",     "1",     "1"],
    "analyst":      ["2", "42501", "0",     "0"],
    "moderator":    ["2", "42501", "1",     "0"],
    "service_role": ["2", "1",     "1",     "1"]
  }'::jsonb);

select * from tests.rls_matrix('agenda_items',
  $$select 1 from public.agenda_items where id = any (tests.ids('ai1', 'ai2'))$$,
  $$insert into public.agenda_items (meeting_id, position, title) values (tests.uid('m1'), 3, '{"en": "X", "es": "X"}')$$,
  $$update public.agenda_items set position = 9 where id = tests.uid('ai2')$$,
  $$delete from public.agenda_items where id = tests.uid('ai2')$$,
  '{
    "anon":         ["2", "42501", "42501", "42501"],
    "resident":     ["2", "42501", "0",     "0"],
    "admin":        ["2", "1",     "1",     "1"],
    "analyst":      ["2", "42501", "0",     "0"],
    "moderator":    ["2", "42501", "0",     "0"],
    "service_role": ["2", "1",     "1",     "1"]
  }'::jsonb);

-- Direct comment inserts are for staff (an official answer under their own id); residents use
-- submit_comments. The service role has no auth.uid(), so its row has no author.
select * from tests.rls_matrix('comments',
  $$select 1 from public.comments where id = any (tests.ids('c_pub', 'c_pub2', 'c_pending', 'c_hidden', 'c_mine'))$$,
  $$insert into public.comments (id, meeting_id, author_id, body, status)
    values (gen_random_uuid(), tests.uid('m1'), auth.uid(), 'Answer from the city', 'published')$$,
  $$update public.comments set pinned = true where id = tests.uid('c_pub')$$,
  $$delete from public.comments where id = tests.uid('c_hidden')$$,
  '{
    "anon":         ["2", "42501", "42501", "42501"],
    "resident":     ["3", "42501", "0",     "0"],
    "resident2":    ["4", "42501", "0",     "0"],
    "admin":        ["5", "1",     "1",     "1"],
    "analyst":      ["2", "42501", "0",     "0"],
    "moderator":    ["5", "1",     "1",     "1"],
    "service_role": ["5", "1",     "1",     "1"]
  }'::jsonb);

-- Votes have no update at all (42501 for everyone but the service role).
select * from tests.rls_matrix('comment_votes',
  $$select 1 from public.comment_votes where comment_id = any (tests.ids('c_pub', 'c_pub2'))$$,
  $$insert into public.comment_votes (comment_id, voter_id) values (tests.uid('c_pub2'), coalesce(auth.uid(), tests.uid('resident')))$$,
  $$update public.comment_votes set created_at = now() where comment_id = tests.uid('c_pub')$$,
  $$delete from public.comment_votes where comment_id = tests.uid('c_pub')$$,
  '{
    "anon":         ["42501", "42501", "42501", "42501"],
    "resident":     ["0",     "1",     "42501", "0"],
    "resident2":    ["1",     "1",     "42501", "1"],
    "admin":        ["2",     "1",     "42501", "0"],
    "analyst":      ["0",     "1",     "42501", "0"],
    "moderator":    ["2",     "1",     "42501", "1"],
    "service_role": ["2",     "1",     "2",     "2"]
  }'::jsonb);

-- Explicit cases.
select tests.become('anon');
select results_eq(
  $$select id from public.comments where meeting_id = tests.uid('m1') order by body$$,
  $$values (tests.uid('c_pub')), (tests.uid('c_pub2'))$$,
  'anon sees published comments only');
select tests.become('resident');
select results_eq(
  $$select id from public.comments where status <> 'published' and meeting_id = tests.uid('m1')$$,
  $$values (tests.uid('c_mine'))$$,
  'a resident sees their own pending comment, not other people''s');
select throws_ok(
  $$insert into public.comment_votes (comment_id, voter_id) values (tests.uid('c_pending'), auth.uid())$$,
  '42501', 'new row violates row-level security policy for table "comment_votes"',
  'nobody can vote on a comment that is not published');
select throws_ok(
  $$insert into public.comment_votes (comment_id, voter_id) values (tests.uid('c_pub2'), tests.uid('resident2'))$$,
  '42501', 'new row violates row-level security policy for table "comment_votes"',
  'a user cannot vote in someone else''s name');
select is_empty(
  $$update public.comments set status = 'published' where id = tests.uid('c_mine') returning id$$,
  'an author cannot publish their own pending comment');
-- vote_count follows votes even though voters cannot update comments (definer trigger).
insert into public.comment_votes (comment_id, voter_id) values (tests.uid('c_pub2'), auth.uid());
select tests.become('owner');
select results_eq(
  $$select vote_count, version from public.comments where id = tests.uid('c_pub2')$$,
  $$values (1, 2::bigint)$$,
  'a vote increments vote_count and the comment''s change version');
delete from public.comment_votes where comment_id = tests.uid('c_pub2');
select results_eq(
  $$select vote_count from public.comments where id = tests.uid('c_pub2')$$,
  $$values (0)$$,
  'removing the vote decrements vote_count');
select tests.become('moderator');
select isnt_empty(
  $$update public.comments set status = 'hidden', moderation_reason = 'spam' where id = tests.uid('c_pub') returning id$$,
  'a moderator can hide a comment');
select tests.become('owner');

-- Business rules.
select throws_ok(
  $$insert into public.comments (id, meeting_id, body) values (gen_random_uuid(), tests.uid('m1'), repeat('x', 1001))$$,
  '23514', null, 'a comment is at most 1000 characters');
select throws_ok(
  $$insert into public.comments (id, meeting_id, body) values (gen_random_uuid(), tests.uid('m1'), '   ')$$,
  '23514', null, 'a comment is not blank');
select throws_ok(
  $$insert into public.comments (id, meeting_id, agenda_item_id, body)
    values (gen_random_uuid(), tests.uid('m_empty'), tests.uid('ai1'), 'wrong meeting')$$,
  '23503', null, 'a comment''s agenda item belongs to the same meeting');

select * from finish();
rollback;
