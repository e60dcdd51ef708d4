-- Two rules that kept misleading figures out of reach only in the staff forms, now in the
-- database:
--
-- 1. A wave's results can be published only once the wave has closed. An open wave's figures
--    are a running tally (one response reads "100 % satisfied"), never a result: they are shown
--    to staff as "in progress" and never to the public. A CHECK constraint cannot use now(), so
--    a trigger refuses publishing a wave that has no closing time or closes in the future, and
--    refuses moving the closing time of a published wave into the future.
-- 2. A survey measure shows "% satisfied" on its question, so the question must have a
--    satisfaction scale (satisfaction5 or rating5). A link to, say, the district question used
--    to save and then show "No data" forever. The same rule stops a linked question from being
--    turned into another kind.

create or replace function private.check_wave_results_publishable() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.results_published and (new.closes_at is null or new.closes_at > now()) then
    raise exception using errcode = '23514',
      message = format('The results of wave "%s" can be published only after it has closed', new.label),
      detail = 'wave_not_closed',
      hint = case when new.closes_at is null
        then 'Set a closing time in the past (or close the wave now), then publish.'
        else format('It closes at %s; publish after that.', new.closes_at) end;
  end if;
  return new;
end;
$$;
comment on function private.check_wave_results_publishable() is
  'BEFORE INSERT/UPDATE on survey_waves: results_published needs closes_at <= now().';
revoke execute on function private.check_wave_results_publishable() from public;

drop trigger if exists survey_waves_results_need_closed on public.survey_waves;
create trigger survey_waves_results_need_closed
  before insert or update of results_published, closes_at on public.survey_waves
  for each row execute function private.check_wave_results_publishable();

-- Rows stored before this rule: an open wave cannot keep published results.
update public.survey_waves
set results_published = false
where results_published and (closes_at is null or closes_at > now());

create or replace function private.check_measure_question_scale() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_kind text;
  v_key text;
begin
  if tg_table_name = 'measures' then
    if new.question_id is null then
      return new;
    end if;
    select q.kind, q.key into v_kind, v_key from public.questions q where q.id = new.question_id;
    if v_kind is not null and v_kind not in ('satisfaction5', 'rating5') then
      raise exception using errcode = '23514',
        message = format('Survey measure "%s" cannot use question "%s": it is a %s question, and a survey measure needs a satisfaction or rating scale',
          new.key, v_key, v_kind),
        detail = 'question_has_no_scale',
        hint = 'Link a satisfaction5 or rating5 question.';
    end if;
  elsif new.kind is distinct from old.kind and new.kind not in ('satisfaction5', 'rating5') then
    select m.key into v_key from public.measures m where m.question_id = new.id limit 1;
    if v_key is not null then
      raise exception using errcode = '23514',
        message = format('Question "%s" is the scale of survey measure "%s" and must stay a satisfaction or rating question',
          new.key, v_key),
        detail = 'question_has_no_scale';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.check_measure_question_scale() is
  'Survey measures link satisfaction5/rating5 questions only (on measures insert/update and questions kind changes).';
revoke execute on function private.check_measure_question_scale() from public;

drop trigger if exists measures_question_has_scale on public.measures;
create trigger measures_question_has_scale
  before insert or update of question_id on public.measures
  for each row execute function private.check_measure_question_scale();
drop trigger if exists questions_keep_measure_scale on public.questions;
create trigger questions_keep_measure_scale
  before update of kind on public.questions
  for each row execute function private.check_measure_question_scale();
