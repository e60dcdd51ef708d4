-- Meetings run from /staff (migration 20261206000500): per role, who may change which columns
-- of a meeting, answer a comment, read the comment record, and read the calendar feed.
begin;
select plan(23);

select tests.create_identities();

insert into public.meetings (id, title, starts_at, ends_at, status, moderation, comments_open, time_zone) values
  (tests.uid('m_live'), '{"en": "KCStat", "es": "KCStat"}', now() - interval '30 minutes',
   now() + interval '90 minutes', 'live', 'post', true, 'America/Chicago'),
  (tests.uid('m_past'), '{"en": "Past", "es": "Pasada"}', now() - interval '30 days',
   now() - interval '30 days' + interval '2 hours', 'ended', 'post', false, 'America/Chicago');
insert into public.comments (id, meeting_id, author_id, body, status) values
  (tests.uid('c_live'), tests.uid('m_live'), tests.uid('resident'), 'When?', 'published'),
  (tests.uid('c_past'), tests.uid('m_past'), tests.uid('resident'), 'Why?', 'published'),
  (tests.uid('c_past_hidden'), tests.uid('m_past'), tests.uid('resident2'), 'Spam', 'hidden');

-- ---------------------------------------------------------------------------------------------
-- Who changes what on a meeting (0 = RLS filtered it out; 42501 = refused).
select is(tests.attempt(r, format($$update public.meetings set comments_open = false, status = 'live' where id = '%s'$$, tests.uid('m_live'))),
          e, format('%s runs the meeting (status, comments) → %s', r, e))
from (values ('admin', '1'), ('moderator', '1'), ('analyst', '0'), ('resident', '0'), ('anon', '42501')) v (r, e);
select is(tests.attempt(r, format($$update public.meetings set title = '{"en": "X", "es": "X"}' where id = '%s'$$, tests.uid('m_live'))),
          e, format('%s edits the title → %s', r, e))
from (values ('admin', '1'), ('moderator', '42501'), ('analyst', '0'), ('resident', '0')) v (r, e);
select is(tests.attempt(r, format($$update public.meetings set status = 'cancelled' where id = '%s'$$, tests.uid('m_live'))),
          e, format('%s cancels the meeting → %s', r, e))
from (values ('admin', '1'), ('moderator', '42501')) v (r, e);
select is(tests.attempt('admin', format($$delete from public.meetings where id = '%s'$$, tests.uid('m_past'))),
          '23503', 'even an admin cannot delete a meeting that has comments');

-- ---------------------------------------------------------------------------------------------
-- Answers.
select is(tests.attempt(r, format($$select public.answer_comment('%s', 'Next week')$$, tests.uid('c_live'))),
          e, format('%s answers a comment → %s', r, e))
from (values ('admin', '1'), ('moderator', '1'), ('analyst', '42501'), ('resident', '42501'), ('anon', '42501')) v (r, e);

-- ---------------------------------------------------------------------------------------------
-- The public record: after the meeting for everyone, any time for moderators and admins.
select is(tests.attempt(r, format($$select public.meeting_comment_record('%s')$$, tests.uid('m_live'))),
          e, format('%s reads the record of a live meeting → %s', r, e))
from (values ('anon', 'PT409'), ('resident', 'PT409'), ('moderator', '1'), ('admin', '1')) v (r, e);
select tests.become('anon');
select is(
  (select jsonb_agg(jsonb_build_array(c ->> 'status', c ->> 'body', c ->> 'withheld') order by c ->> 'body' nulls first)
   from jsonb_array_elements(public.meeting_comment_record(tests.uid('m_past')) -> 'comments') c),
  '[["hidden", null, "true"], ["published", "Why?", "false"]]'::jsonb,
  'anyone reads every comment of a past meeting, with the text of the hidden one withheld');
select ok(
  convert_from(public.meetings_ics('en', tests.uid('m_past'), null), 'UTF8') like 'BEGIN:VCALENDAR%',
  'anyone reads the calendar feed');
select tests.become('owner');

select * from finish();
rollback;
