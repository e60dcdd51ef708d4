-- Survey versions: once a wave has responses, its questions cannot change meaning (issue 9).
--
-- Model. Question rows are shared by the versions of their survey, so a question nobody edits
-- stays the same row for years: its scores, the aggregates, trends across waves and the
-- measures linked to it keep working without any mapping. Each row says which versions hold it:
--   questions.first_version .. questions.last_version   (last_version null = still current)
--   surveys.version       the survey's current version (the one the builder edits, and the one
--                         a new wave gets)
--   survey_waves.survey_version   the version a wave fields, fixed once it has a response
-- A version is *answered* when one of its waves has a response (any source). A question that
-- belongs to an answered version is *frozen*: its meaning (key, kind, prompt, options, min/max,
-- show_if, service category) cannot change and it cannot be deleted. Presentation may change in
-- place for every version (page, order, help text, required, text length limit).
--
-- Editing a frozen question (or adding or removing questions while the current version is
-- answered) is done by `save_survey`: it opens version n+1 when needed, moves waves that have no
-- responses yet to it, retires the old row (last_version = n) and inserts a revision (same key,
-- revises_question_id = the old row) that only version n+1 holds. Waves of version n keep the
-- old row, its answers and its aggregates, so their scores do not change.
--
-- Lineage: a question's key is stable within a survey; within one version a key names exactly
-- one row. A revision's trend starts afresh (it is a different question: no change test across
-- the break); measures stay linked to the row they were made for until staff link the revision.
--
-- The database enforces this on every write path (table writes through RLS, save_survey,
-- submit_responses, import_responses), not only in the builder:
--   * questions: a trigger refuses meaning changes and deletes of frozen rows, adding a question
--     to an answered version, and two rows with one key in the same version;
--   * answers: a statement trigger refuses an answer to a question its wave's version does not
--     hold (or of another survey);
--   * survey_waves: a wave with responses keeps its version.
-- Races: builder saves and direct question writes take a per-survey advisory lock exclusively;
-- submit_responses and every answers insert take it shared, so a definition cannot change
-- between validating a response and storing it, and a version cannot become answered in the
-- middle of a save.

-- ---------------------------------------------------------------------------------------------
alter table public.surveys
  add column version integer not null default 1 check (version >= 1),
  add column revision integer not null default 0 check (revision >= 0);
comment on column public.surveys.version is
  'Current version of the instrument: what the builder edits and what a new wave fields. Only goes up.';
comment on column public.surveys.revision is
  'Counts builder saves; save_survey refuses a save based on an older revision (someone else saved meanwhile).';

alter table public.survey_waves add column survey_version integer;
update public.survey_waves set survey_version = 1;
alter table public.survey_waves
  alter column survey_version set not null,
  add constraint survey_waves_survey_version_positive check (survey_version >= 1);
comment on column public.survey_waves.survey_version is
  'The version of its survey this wave fields (defaults to the survey''s current version; fixed once the wave has responses).';
create index survey_waves_survey_version_idx on public.survey_waves (survey_id, survey_version);

alter table public.questions
  add column first_version integer not null default 1 check (first_version >= 1),
  add column last_version integer,
  add column revises_question_id uuid references public.questions (id),
  add constraint questions_version_range check (last_version is null or last_version >= first_version);
comment on column public.questions.first_version is 'First survey version that holds this question.';
comment on column public.questions.last_version is
  'Last survey version that holds this question; null while the current version still does.';
comment on column public.questions.revises_question_id is
  'The earlier row this one revises (same key, changed meaning, later versions).';
create index questions_revises_question_id_idx on public.questions (revises_question_id);

-- A key names one row per version (checked by the trigger below), no longer one row per survey.
alter table public.questions drop constraint questions_survey_key;
create index questions_survey_key_idx on public.questions (survey_id, key);
-- The common case, race-free without the trigger: current questions have distinct keys.
create unique index questions_survey_key_current_idx on public.questions (survey_id, key)
  where last_version is null;

-- ---------------------------------------------------------------------------------------------
-- Helpers

-- Whether version p_version lies in [p_first, p_last] (p_last null = open-ended).
create function private.in_version(p_first integer, p_last integer, p_version integer)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_first <= p_version and (p_last is null or p_version <= p_last)
$$;

-- Serialises definition changes against responses per survey: exclusive for builder saves and
-- question writes, shared for submissions and answer inserts. Transaction-scoped.
create function private.lock_survey(p_survey_id uuid, p_shared boolean) returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  if p_shared then
    perform pg_catalog.pg_advisory_xact_lock_shared(9101, pg_catalog.hashtext(p_survey_id::text));
  else
    perform pg_catalog.pg_advisory_xact_lock(9101, pg_catalog.hashtext(p_survey_id::text));
  end if;
end;
$$;

-- The answered wave with the highest version in [p_first, p_last] (null fields when none).
create function private.answered_wave_in(p_survey_id uuid, p_first integer, p_last integer)
returns public.survey_waves
language sql
stable
security definer
set search_path = ''
as $$
  select w.*
  from public.survey_waves w
  where w.survey_id = p_survey_id
    and w.survey_version >= p_first
    and (p_last is null or w.survey_version <= p_last)
    and exists (select 1 from public.responses r where r.wave_id = w.id)
  order by w.survey_version desc, w.opens_at desc
  limit 1
$$;
comment on function private.answered_wave_in(uuid, integer, integer) is
  'The wave with responses whose survey version is highest within [first, last]; all fields null when there is none.';

-- The fields that make up a question's meaning, for comparisons (jsonb equality ignores key
-- order and compares numbers by value).
create function private.question_meaning(
  p_key text, p_kind text, p_prompt jsonb, p_options jsonb, p_min numeric, p_max numeric,
  p_show_if jsonb, p_service_category text
) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('key', p_key, 'kind', p_kind, 'prompt', p_prompt,
    'options', coalesce(p_options, 'null'::jsonb), 'min', p_min, 'max', p_max,
    'show_if', coalesce(p_show_if, 'null'::jsonb), 'service_category', p_service_category)
$$;

revoke execute on function private.in_version(integer, integer, integer) from public;
revoke execute on function private.lock_survey(uuid, boolean) from public;
revoke execute on function private.answered_wave_in(uuid, integer, integer) from public;
revoke execute on function private.question_meaning(text, text, jsonb, jsonb, numeric, numeric, jsonb, text) from public;

-- ---------------------------------------------------------------------------------------------
-- questions: the frozen-meaning rule, version bounds and one row per key and version.
create function private.questions_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_survey_id uuid := case when tg_op = 'DELETE' then old.survey_id else new.survey_id end;
  v_current integer;
  v_wave public.survey_waves;
  v_other public.questions;
begin
  perform private.lock_survey(v_survey_id, false);

  if tg_op = 'DELETE' then
    -- Deleting the whole survey (its waves and responses go too) is allowed; deleting a page
    -- that holds answered questions, or an answered question alone, is not.
    if not exists (select 1 from public.surveys s where s.id = old.survey_id) then
      return old;
    end if;
    v_wave := private.answered_wave_in(old.survey_id, old.first_version, old.last_version);
    if v_wave.id is not null then
      raise exception using errcode = '55000',
        message = format('Question "%s" cannot be deleted: wave "%s" has responses to it', old.key, v_wave.label),
        hint = 'Remove it from the next version of the survey instead (the survey builder does this when you save), so the answers already given keep their question.';
    end if;
    return old;
  end if;

  select s.version into v_current from public.surveys s where s.id = new.survey_id;
  if new.first_version > v_current then
    raise exception using errcode = '22023',
      message = format('Question "%s" cannot start in version %s: the survey is at version %s', new.key, new.first_version, v_current);
  end if;

  if tg_op = 'UPDATE' then
    if new.survey_id <> old.survey_id or new.revises_question_id is distinct from old.revises_question_id then
      raise exception using errcode = '22023',
        message = format('Question "%s" cannot move to another survey or change what it revises', old.key);
    end if;
    v_wave := private.answered_wave_in(old.survey_id, old.first_version, old.last_version);
    if v_wave.id is not null then
      if private.question_meaning(new.key, new.kind, new.prompt, new.options, new.min, new.max, new.show_if, new.service_category)
         <> private.question_meaning(old.key, old.kind, old.prompt, old.options, old.min, old.max, old.show_if, old.service_category) then
        raise exception using errcode = '55000',
          message = format('Question "%s" has responses in wave "%s": its wording, kind, options, limits, skip logic and service category cannot change', old.key, v_wave.label),
          hint = 'Edit the survey in the survey builder: saving makes a new version for the next wave, and the waves already answered keep this question and their scores.';
      end if;
      if new.first_version <> old.first_version
         or (new.last_version is not null and new.last_version < v_wave.survey_version) then
        raise exception using errcode = '55000',
          message = format('Question "%s" must stay in version %s: wave "%s" has responses to it', old.key, v_wave.survey_version, v_wave.label);
      end if;
    end if;
  end if;

  -- Adding a question to an answered version (a new row, or a row whose range grows) would
  -- change what those respondents were asked.
  if tg_op = 'INSERT' then
    v_wave := private.answered_wave_in(new.survey_id, new.first_version, new.last_version);
  elsif new.first_version < old.first_version then
    v_wave := private.answered_wave_in(new.survey_id, new.first_version, old.first_version - 1);
  elsif old.last_version is not null and (new.last_version is null or new.last_version > old.last_version) then
    v_wave := private.answered_wave_in(new.survey_id, old.last_version + 1, new.last_version);
  else
    v_wave := null;
  end if;
  if v_wave.id is not null then
    raise exception using errcode = '55000',
      message = format('Question "%s" cannot be added to version %s of the survey: wave "%s" has responses', new.key, v_wave.survey_version, v_wave.label),
      hint = 'Add it in the survey builder: saving makes a new version for the next wave.';
  end if;

  select * into v_other from public.questions o
  where o.survey_id = new.survey_id and o.key = new.key and o.id <> new.id
    and o.first_version <= coalesce(new.last_version, 2147483647)
    and new.first_version <= coalesce(o.last_version, 2147483647)
  limit 1;
  if found then
    raise exception using errcode = '23505',
      message = format('Question key "%s" is already used in version %s of this survey', new.key,
                       greatest(new.first_version, v_other.first_version)),
      hint = 'Question keys must be unique within a version of a survey.';
  end if;
  return new;
end;
$$;
revoke execute on function private.questions_guard() from public;
create trigger questions_guard before insert or update or delete on public.questions
  for each row execute function private.questions_guard();

-- survey_waves: a wave starts on its survey's current version and keeps it once answered.
create function private.survey_waves_version() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_current integer;
begin
  select s.version into v_current from public.surveys s where s.id = new.survey_id;
  if tg_op = 'INSERT' then
    new.survey_version := coalesce(new.survey_version, v_current);
  else
    if new.survey_id <> old.survey_id and new.survey_version = old.survey_version then
      new.survey_version := v_current;
    end if;
    if (new.survey_id <> old.survey_id or new.survey_version <> old.survey_version)
       and exists (select 1 from public.responses r where r.wave_id = old.id) then
      raise exception using errcode = '55000',
        message = format('Wave "%s" has responses: it keeps version %s of its survey', old.label, old.survey_version);
    end if;
  end if;
  if new.survey_version > v_current then
    raise exception using errcode = '22023',
      message = format('Wave "%s" cannot use version %s: the survey is at version %s', new.label, new.survey_version, v_current);
  end if;
  return new;
end;
$$;
revoke execute on function private.survey_waves_version() from public;
create trigger survey_waves_version before insert or update on public.survey_waves
  for each row execute function private.survey_waves_version();

-- surveys: versions only go up.
create function private.surveys_version_up() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.version < old.version then
    raise exception using errcode = '22023',
      message = format('Survey "%s" cannot go back from version %s to %s', old.slug, old.version, new.version);
  end if;
  return new;
end;
$$;
revoke execute on function private.surveys_version_up() from public;
create trigger surveys_version_up before update on public.surveys
  for each row execute function private.surveys_version_up();

-- answers: only to questions of the wave's version (every writer: submit, import, staff, seed).
create function private.answers_check_version() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
declare
  v_bad record;
begin
  perform private.lock_survey(s.survey_id, true)
  from (select distinct w.survey_id from new_rows a join public.survey_waves w on w.id = a.wave_id
        order by 1) s;
  select q.key, w.label, w.survey_version into v_bad
  from new_rows a
  join public.survey_waves w on w.id = a.wave_id
  join public.questions q on q.id = a.question_id
  where q.survey_id <> w.survey_id
     or not (q.first_version <= w.survey_version
             and (q.last_version is null or w.survey_version <= q.last_version))
  limit 1;
  if found then
    raise exception using errcode = '23514',
      message = format('Question "%s" is not part of version %s of the survey that wave "%s" uses', v_bad.key, v_bad.survey_version, v_bad.label);
  end if;
  return null;
end;
$$;
revoke execute on function private.answers_check_version() from public;
create trigger answers_check_version_insert after insert on public.answers
  referencing new table as new_rows
  for each statement execute function private.answers_check_version();
create trigger answers_check_version_update after update on public.answers
  referencing new table as new_rows
  for each statement execute function private.answers_check_version();

-- ---------------------------------------------------------------------------------------------
-- get_survey: the definition of the version the open wave fields (sections with at least one of
-- its questions). Same contract as before, plus wave.survey_version.
create or replace function public.get_survey(p_slug text) returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_survey public.surveys;
  v_wave public.survey_waves;
begin
  select * into v_survey from public.surveys s where s.slug = p_slug;
  if not found then
    raise exception using
      errcode = 'PT404',
      message = format('Survey "%s" not found', p_slug),
      detail = 'survey_not_found',
      hint = 'Check the link: the survey slug is the last part of the address, e.g. /s/resident-2026.';
  end if;

  select * into v_wave
  from public.survey_waves w
  -- Inlined (not private.wave_is_open / in_version): this function runs as the caller, who has
  -- no usage on the private schema.
  where w.survey_id = v_survey.id
    and w.opens_at <= now() and (w.closes_at is null or w.closes_at > now())
  order by w.opens_at desc
  limit 1;
  if not found then
    raise exception using
      errcode = 'PT404',
      message = format('Survey "%s" is not open for responses right now', p_slug),
      detail = 'no_open_wave',
      hint = 'The survey has no wave open at this time; it may have closed or not started yet.';
  end if;

  return jsonb_build_object(
    'survey', jsonb_build_object(
      'id', v_survey.id,
      'slug', v_survey.slug,
      'title', v_survey.title,
      'intro', v_survey.intro,
      'languages', to_jsonb(v_survey.languages)
    ),
    'wave', jsonb_build_object(
      'id', v_wave.id,
      'label', v_wave.label,
      'period', v_wave.period,
      'mode', v_wave.mode,
      'opens_at', v_wave.opens_at,
      'closes_at', v_wave.closes_at,
      'survey_version', v_wave.survey_version
    ),
    'sections', coalesce((
      select jsonb_agg(jsonb_build_object(
          'key', s.key,
          'position', s.position,
          'title', s.title,
          'description', s.description
        ) order by s.position, s.key)
      from public.survey_sections s
      where s.survey_id = v_survey.id
        and exists (
          select 1 from public.questions q
          where q.section_id = s.id and q.first_version <= v_wave.survey_version
            and (q.last_version is null or q.last_version >= v_wave.survey_version))
    ), '[]'::jsonb),
    'questions', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', q.id,
          'key', q.key,
          'section', s.key,
          'position', q.position,
          'kind', q.kind,
          'prompt', q.prompt,
          'help', q.help,
          'required', q.required,
          'options', q.options,
          'min', q.min,
          'max', q.max,
          'max_length', q.max_length,
          'show_if', q.show_if,
          'service_category', q.service_category
        ) order by q.position, q.key)
      from public.questions q
      join public.survey_sections s on s.id = q.section_id
      where q.survey_id = v_survey.id
        and q.first_version <= v_wave.survey_version
        and (q.last_version is null or q.last_version >= v_wave.survey_version)
    ), '[]'::jsonb)
  );
end;
$$;
comment on function public.get_survey(text) is
  'The open wave''s survey definition (TSurveyDefinition) in all languages: the questions of the survey version that wave fields. PT404 (HTTP 404) with detail survey_not_found or no_open_wave.';

-- ---------------------------------------------------------------------------------------------
-- submit_responses: validate and store against the questions of the wave's version (the body of
-- 20261122000500 with the version filter and the shared survey lock).
create or replace function private.submit_one_response(p_item jsonb, p_uid uuid) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  c_uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  v_raw_id jsonb := case when jsonb_typeof(p_item) = 'object' then p_item -> 'id' end;
  v_id_text text := case when jsonb_typeof(v_raw_id) = 'string' then v_raw_id #>> '{}' end;
  v_id uuid;
  v_wave public.survey_waves;
  v_survey public.surveys;
  v_language text;
  v_submitted_at timestamptz;
  v_code text;
  v_invitation public.invitations;
  v_mode text;
  v_answers jsonb;
  v_show_ifs jsonb;
  v_errors jsonb := '[]'::jsonb;
  v_question record;
  v_value jsonb;
  v_shown boolean;
  v_message text;
  v_district text;
  v_inserted uuid;
  v_consumed uuid;
  v_key text;
begin
  -- Shape of the envelope.
  if jsonb_typeof(p_item) is distinct from 'object' then
    return private.submit_result(v_id_text, 'rejected',
      'Each item must be a JSON object {id, wave_id, language, submitted_at, invitation_code, answers}');
  end if;
  if v_id_text is null or v_id_text !~ c_uuid then
    return private.submit_result(v_id_text, 'rejected',
      'The item has no valid "id": send a UUID made by the client (it makes retries safe)');
  end if;
  v_id := v_id_text::uuid;

  -- Idempotency first: a stored response answers 'duplicate' on every retry, even if the wave
  -- has closed or the resident's session changed since it was stored.
  if exists (select 1 from public.responses r where r.id = v_id) then
    return private.submit_result(v_id_text, 'duplicate', 'Already received; nothing was changed');
  end if;

  if jsonb_typeof(p_item -> 'wave_id') is distinct from 'string' or (p_item ->> 'wave_id') !~ c_uuid then
    return private.submit_result(v_id_text, 'rejected', 'The item has no valid "wave_id" (a UUID)');
  end if;
  select * into v_wave from public.survey_waves w where w.id = (p_item ->> 'wave_id')::uuid;
  if not found then
    return private.submit_result(v_id_text, 'rejected', 'Unknown survey wave');
  end if;
  -- The definition must not change between these checks and the insert (a builder save takes
  -- this lock exclusively); re-read the wave's version under the lock.
  perform private.lock_survey(v_wave.survey_id, true);
  select * into v_wave from public.survey_waves w where w.id = v_wave.id;
  select * into v_survey from public.surveys s where s.id = v_wave.survey_id;

  v_language := p_item ->> 'language';
  if jsonb_typeof(p_item -> 'language') is distinct from 'string' or not v_language = any (v_survey.languages) then
    return private.submit_result(v_id_text, 'rejected',
      format('"language" must be one of %s', array_to_string(v_survey.languages, ', ')));
  end if;

  if p_item -> 'submitted_at' is not null and p_item -> 'submitted_at' <> 'null'::jsonb then
    begin
      if jsonb_typeof(p_item -> 'submitted_at') <> 'string' then
        raise exception 'not a string';
      end if;
      v_submitted_at := (p_item ->> 'submitted_at')::timestamptz;
      if not isfinite(v_submitted_at) then
        raise exception 'not finite';
      end if;
    exception when others then
      return private.submit_result(v_id_text, 'rejected',
        '"submitted_at" must be an ISO 8601 timestamp such as 2026-11-22T08:15:00Z');
    end;
    -- A client clock ahead of ours is clamped, not rejected.
    v_submitted_at := least(v_submitted_at, now());
  end if;

  -- The wave must be open; a response finished before the close (client clock) may arrive
  -- within the grace window.
  if v_wave.opens_at > now() then
    return private.submit_result(v_id_text, 'rejected', 'This survey wave is not open yet');
  end if;
  if v_wave.closes_at is not null and v_wave.closes_at <= now() and not (
    v_submitted_at is not null
    and v_submitted_at < v_wave.closes_at
    and now() < v_wave.closes_at + private.late_submission_grace()
  ) then
    return private.submit_result(v_id_text, 'rejected', 'This survey wave is closed');
  end if;

  -- Sample: invited (valid unused code for this wave) or open (the public link).
  v_code := case when jsonb_typeof(p_item -> 'invitation_code') = 'string'
                 then nullif(btrim(p_item ->> 'invitation_code'), '') end;
  if p_item -> 'invitation_code' is not null and p_item -> 'invitation_code' <> 'null'::jsonb
     and jsonb_typeof(p_item -> 'invitation_code') <> 'string' then
    return private.submit_result(v_id_text, 'rejected', '"invitation_code" must be a string or null');
  end if;
  if v_code is not null then
    select * into v_invitation from public.invitations i
    where i.code_hash = private.hash_invitation_code(v_code);
    if not found then
      return private.submit_result(v_id_text, 'rejected', 'Unknown invitation code');
    end if;
    if v_invitation.wave_id <> v_wave.id then
      return private.submit_result(v_id_text, 'rejected', 'The invitation code belongs to another survey wave');
    end if;
    if v_invitation.used_at is not null then
      return private.submit_result(v_id_text, 'rejected', 'This invitation code has already been used');
    end if;
    v_mode := 'invited';
  elsif v_wave.mode = 'invited' then
    return private.submit_result(v_id_text, 'rejected',
      'This survey wave is by invitation only: enter the code printed on your invitation');
  else
    v_mode := 'open';
  end if;

  -- Answers: every submitted key must be a question of this survey; every question is checked
  -- in survey order (skip logic only looks back).
  v_answers := p_item -> 'answers';
  if jsonb_typeof(v_answers) is distinct from 'object' then
    return private.submit_result(v_id_text, 'rejected', '"answers" must be an object keyed by question key');
  end if;
  -- null, blank text and empty lists mean "not answered", same as an absent key (as on the
  -- client, which never sends them; an older or foreign client must not be rejected for it).
  select coalesce(jsonb_object_agg(a.key, a.value), '{}'::jsonb) into v_answers
  from jsonb_each(v_answers) a
  where private.is_answered(a.value);
  select coalesce(jsonb_object_agg(q.key, q.show_if), '{}'::jsonb) into v_show_ifs
  from public.questions q where q.survey_id = v_survey.id
      and q.first_version <= v_wave.survey_version
      and (q.last_version is null or q.last_version >= v_wave.survey_version);

  for v_key in
    select k from jsonb_object_keys(v_answers) k
    where not exists (select 1 from public.questions q where q.survey_id = v_survey.id
      and q.first_version <= v_wave.survey_version
      and (q.last_version is null or q.last_version >= v_wave.survey_version) and q.key = k)
    order by k
  loop
    v_errors := v_errors || jsonb_build_array(jsonb_build_object(
      'question', v_key, 'message', 'Unknown question for this survey'));
  end loop;

  for v_question in
    select q.* from public.questions q where q.survey_id = v_survey.id
      and q.first_version <= v_wave.survey_version
      and (q.last_version is null or q.last_version >= v_wave.survey_version) order by q.position, q.key
  loop
    v_value := v_answers -> v_question.key;
    v_shown := private.is_visible(v_question.key, v_show_ifs, v_answers);
    if v_value is null then
      if v_shown and v_question.required then
        v_errors := v_errors || jsonb_build_array(jsonb_build_object(
          'question', v_question.key, 'message', 'An answer is required'));
      end if;
    elsif not v_shown then
      v_errors := v_errors || jsonb_build_array(jsonb_build_object(
        'question', v_question.key,
        'message', format('This question is skipped (its condition on "%s" does not hold) and must not be answered',
                          v_question.show_if ->> 'question')));
    else
      v_message := private.answer_error(v_question.kind, v_question.options, v_question.min,
                                        v_question.max, v_question.max_length, v_value);
      if v_message is not null then
        v_errors := v_errors || jsonb_build_array(jsonb_build_object(
          'question', v_question.key, 'message', v_message));
      elsif v_question.kind = 'district' and v_district is null then
        v_district := v_value #>> '{}';
      end if;
    end if;
  end loop;

  if jsonb_array_length(v_errors) > 0 then
    return private.submit_result(v_id_text, 'rejected',
      format('%s answer%s not valid: %s', jsonb_array_length(v_errors),
             case when jsonb_array_length(v_errors) = 1 then ' is' else 's are' end,
             (select string_agg(case when e ->> 'question' = '' then e ->> 'message'
                                     else (e ->> 'question') || ': ' || (e ->> 'message') end, '; ')
              from jsonb_array_elements(v_errors) e)),
      v_errors);
  end if;

  -- Store. The subtransaction makes the response, its answers and the invitation use one unit.
  begin
    -- on conflict do nothing: a concurrent retry of the same id waits here for the other
    -- transaction and then inserts nothing; we report it as a duplicate below. The same
    -- absorbs the per-resident and per-invitation unique indexes.
    insert into public.responses as r (
      id, wave_id, respondent_id, invitation_id, mode, language, district, submitted_at,
      received_at, source, weight
    ) values (
      v_id, v_wave.id, p_uid, v_invitation.id, v_mode, v_language, v_district, v_submitted_at,
      now(), 'web', 1
    )
    on conflict do nothing
    returning r.id into v_inserted;

    if v_inserted is null then
      if exists (select 1 from public.responses r where r.id = v_id) then
        return private.submit_result(v_id_text, 'duplicate', 'Already received; nothing was changed');
      elsif v_invitation.id is not null
        and exists (select 1 from public.responses r where r.invitation_id = v_invitation.id) then
        return private.submit_result(v_id_text, 'rejected', 'This invitation code has already been used');
      else
        return private.submit_result(v_id_text, 'rejected',
          'You have already responded to this survey wave (one response per person)');
      end if;
    end if;

    if v_invitation.id is not null then
      update public.invitations i set used_at = now()
      where i.id = v_invitation.id and i.used_at is null
      returning i.id into v_consumed;
      if v_consumed is null then
        raise exception using errcode = 'CP001', message = 'invitation already used';
      end if;
    end if;

    insert into public.answers (response_id, wave_id, question_id,
                                numeric_value, choice_value, choice_values, text_value)
    select v_id, v_wave.id, q.id,
      case when q.kind in ('satisfaction5', 'rating5', 'number') then (v_answers -> q.key)::numeric end,
      case when q.kind in ('single', 'district') then v_answers ->> q.key end,
      case when q.kind in ('importance_top3', 'multi') then array(
        select e.value from jsonb_array_elements_text(v_answers -> q.key) with ordinality e(value, n)
        order by e.n) end,
      case when q.kind in ('text', 'zip') then btrim(v_answers ->> q.key) end
    from public.questions q
    where q.survey_id = v_survey.id
      and q.first_version <= v_wave.survey_version
      and (q.last_version is null or q.last_version >= v_wave.survey_version) and v_answers ? q.key;
  exception
    when sqlstate 'CP001' then
      return private.submit_result(v_id_text, 'rejected', 'This invitation code has already been used');
    -- Transient conflicts abort the whole call so the client simply retries the batch.
    when serialization_failure or deadlock_detected or lock_not_available then
      raise;
    when others then
      return private.submit_result(v_id_text, 'rejected',
        format('The response could not be stored: %s', sqlerrm));
  end;

  return private.submit_result(v_id_text, 'accepted', null);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- Builder saves: one call stores a whole survey definition (idempotent by the client's save id).

create table private.survey_saves (
  save_id uuid primary key,
  survey_id uuid not null references public.surveys (id) on delete cascade,
  result jsonb not null,
  created_at timestamptz not null default now()
);
comment on table private.survey_saves is
  'Results of save_survey calls by client save id, so a retried save answers the first result and changes nothing.';
create index survey_saves_survey_id_idx on private.survey_saves (survey_id);
alter table private.survey_saves enable row level security;
revoke all on private.survey_saves from public, anon, authenticated, service_role;

-- A {en, es} text with both languages filled, or (when p_optional) null. Raises a clear 22023.
create function private.require_localized(p_value jsonb, p_what text, p_optional boolean)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_value is null or p_value = 'null'::jsonb then
    if p_optional then
      return null;
    end if;
    raise exception using errcode = '22023', message = format('%s is missing: give it in English and Spanish', p_what);
  end if;
  if jsonb_typeof(p_value) <> 'object'
     or coalesce(jsonb_typeof(p_value -> 'en'), '') <> 'string'
     or coalesce(jsonb_typeof(p_value -> 'es'), '') <> 'string'
     or btrim(p_value ->> 'en') = '' or btrim(p_value ->> 'es') = '' then
    raise exception using errcode = '22023',
      message = format('%s needs both an English and a Spanish text', p_what);
  end if;
  return jsonb_build_object('en', p_value ->> 'en', 'es', p_value ->> 'es');
end;
$$;
revoke execute on function private.require_localized(jsonb, text, boolean) from public;

create function public.save_survey(p_save_id uuid, p_definition jsonb) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  c_uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  v_s jsonb := case when jsonb_typeof(p_definition) = 'object' then p_definition -> 'survey' end;
  v_result jsonb;
  v_survey_id uuid;
  v_survey public.surveys;
  v_new boolean;
  v_slug text;
  v_languages text[];
  v_current integer;
  v_target integer;
  v_bump boolean := false;
  v_incoming jsonb := '[]'::jsonb;
  v_sec jsonb;
  v_q jsonb;
  v_n integer := 0;
  v_sn integer := 0;
  v_count integer;
  v_row public.questions;
  v_ids uuid[] := '{}';
  v_section_ids uuid[] := '{}';
  v_revised jsonb := '[]'::jsonb;
  v_added integer := 0;
  v_removed integer := 0;
  v_changed integer := 0;
  v_moved jsonb := '[]'::jsonb;
  v_new_id uuid;
  v_bad record;
  v_what text;
begin
  if not (private.is_staff(array['admin']) or coalesce(auth.jwt() ->> 'role', '') = 'service_role') then
    raise exception using errcode = '42501', message = 'Only admins can edit surveys';
  end if;
  if p_save_id is null then
    raise exception using errcode = '22023',
      message = 'save_survey needs "p_save_id": a UUID made by the client for this save (it makes a retry safe)';
  end if;
  if jsonb_typeof(v_s) is distinct from 'object'
     or jsonb_typeof(p_definition -> 'sections') is distinct from 'array' then
    raise exception using errcode = '22023',
      message = '"p_definition" must be {base_revision, survey: {id, slug, title, intro, languages}, sections: [{id, key, title, description, questions: […]}]}';
  end if;
  if coalesce(jsonb_typeof(v_s -> 'id'), '') <> 'string' or (v_s ->> 'id') !~ c_uuid then
    raise exception using errcode = '22023', message = '"survey.id" must be a UUID made by the client';
  end if;
  v_survey_id := (v_s ->> 'id')::uuid;

  perform private.lock_survey(v_survey_id, false);
  -- A retry of a save that was stored: the first answer, nothing changed.
  select x.result into v_result from private.survey_saves x where x.save_id = p_save_id;
  if found then
    return v_result || jsonb_build_object('duplicate', true);
  end if;

  -- The survey itself.
  select * into v_survey from public.surveys s where s.id = v_survey_id for update;
  v_new := not found;
  if not v_new and (p_definition -> 'base_revision') is distinct from to_jsonb(v_survey.revision) then
    raise exception using errcode = 'PT409', detail = 'survey_changed',
      message = format('Someone saved this survey after you opened it (save %s; you started from save %s). Reload it to see their changes.',
                       v_survey.revision, coalesce(p_definition ->> 'base_revision', 'none'));
  end if;
  v_slug := case when jsonb_typeof(v_s -> 'slug') = 'string' then btrim(v_s ->> 'slug') end;
  if v_slug is null or v_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or char_length(v_slug) > 64 then
    raise exception using errcode = '22023',
      message = 'The survey''s short name (its address /s/…) must be 1 to 64 lowercase letters, digits and single dashes';
  end if;
  if exists (select 1 from public.surveys s where s.slug = v_slug and s.id <> v_survey_id) then
    raise exception using errcode = '23505',
      message = format('The address /s/%s is already used by another survey', v_slug),
      hint = 'Choose another short name.';
  end if;
  if jsonb_typeof(v_s -> 'languages') is distinct from 'array'
     or exists (select 1 from jsonb_array_elements(v_s -> 'languages') l
                where l not in ('"en"'::jsonb, '"es"'::jsonb))
     or jsonb_array_length(v_s -> 'languages') = 0 then
    raise exception using errcode = '22023', message = '"languages" must list "en", "es" or both';
  end if;
  v_languages := array(select distinct jsonb_array_elements_text(v_s -> 'languages') order by 1);
  if v_new then
    insert into public.surveys (id, slug, title, intro, languages)
    values (v_survey_id, v_slug, private.require_localized(v_s -> 'title', 'The survey title', false),
            private.require_localized(v_s -> 'intro', 'The survey introduction', false), v_languages)
    returning * into v_survey;
  else
    if v_slug <> v_survey.slug and (
      exists (select 1 from public.survey_waves w join public.invitations i on i.wave_id = w.id
              where w.survey_id = v_survey_id)
      or exists (select 1 from public.survey_waves w join public.responses r on r.wave_id = w.id
                 where w.survey_id = v_survey_id)) then
      raise exception using errcode = '55000',
        message = format('The survey''s address /s/%s cannot change: invitations or responses already use it', v_survey.slug);
    end if;
    update public.surveys s
    set slug = v_slug,
        title = private.require_localized(v_s -> 'title', 'The survey title', false),
        intro = private.require_localized(v_s -> 'intro', 'The survey introduction', false),
        languages = v_languages
    where s.id = v_survey_id
    returning * into v_survey;
  end if;

  -- Flatten the pages into one ordered list; positions follow the reading order.
  for v_sec in select e from jsonb_array_elements(p_definition -> 'sections') e loop
    if jsonb_typeof(v_sec) <> 'object' or coalesce(jsonb_typeof(v_sec -> 'id'), '') <> 'string'
       or (v_sec ->> 'id') !~ c_uuid or coalesce(jsonb_typeof(v_sec -> 'key'), '') <> 'string'
       or jsonb_typeof(v_sec -> 'questions') is distinct from 'array' then
      raise exception using errcode = '22023',
        message = 'Each page must be {id (a UUID), key, title, description, questions: […]}';
    end if;
    v_section_ids := v_section_ids || (v_sec ->> 'id')::uuid;
    for v_q in select e from jsonb_array_elements(v_sec -> 'questions') e loop
      v_what := format('Question "%s"', coalesce(v_q ->> 'key', '?'));
      if jsonb_typeof(v_q) <> 'object' or coalesce(jsonb_typeof(v_q -> 'id'), '') <> 'string'
         or (v_q ->> 'id') !~ c_uuid or coalesce(jsonb_typeof(v_q -> 'key'), '') <> 'string'
         or coalesce(jsonb_typeof(v_q -> 'kind'), '') <> 'string' then
        raise exception using errcode = '22023',
          message = format('%s must have an id (a UUID), a key and a kind', v_what);
      end if;
      if coalesce(jsonb_typeof(v_q -> 'required'), 'boolean') <> 'boolean'
         or coalesce(jsonb_typeof(v_q -> 'min'), 'null') not in ('null', 'number')
         or coalesce(jsonb_typeof(v_q -> 'max'), 'null') not in ('null', 'number')
         or coalesce(jsonb_typeof(v_q -> 'max_length'), 'null') not in ('null', 'number')
         or coalesce(jsonb_typeof(v_q -> 'options'), 'null') not in ('null', 'array')
         or coalesce(jsonb_typeof(v_q -> 'show_if'), 'null') not in ('null', 'object')
         or coalesce(jsonb_typeof(v_q -> 'service_category'), 'null') not in ('null', 'string') then
        raise exception using errcode = '22023',
          message = format('%s: required must be true or false, min/max/max_length numbers, options a list, show_if an object, service_category text', v_what);
      end if;
      if (v_q ->> 'id')::uuid = any (v_ids) then
        raise exception using errcode = '22023', message = format('%s: its id is used twice', v_what);
      end if;
      v_n := v_n + 1;
      v_ids := v_ids || (v_q ->> 'id')::uuid;
      v_incoming := v_incoming || jsonb_build_array(v_q || jsonb_build_object(
        'section_id', v_sec ->> 'id', 'position', v_n,
        'prompt', private.require_localized(v_q -> 'prompt', format('The wording of question "%s"', v_q ->> 'key'), false),
        'help', private.require_localized(v_q -> 'help', format('The help text of question "%s"', v_q ->> 'key'), true)));
    end loop;
  end loop;

  -- Does this save change the meaning or the set of questions of an answered current version?
  v_current := v_survey.version;
  if (private.answered_wave_in(v_survey_id, v_current, v_current)).id is not null then
    v_bump := exists (
        select 1
        from jsonb_array_elements(v_incoming) i
        left join public.questions q on q.id = (i ->> 'id')::uuid and q.survey_id = v_survey_id
          and q.first_version <= v_current and (q.last_version is null or q.last_version >= v_current)
        where q.id is null
           or private.question_meaning(i ->> 'key', i ->> 'kind', i -> 'prompt', nullif(i -> 'options', 'null'),
                (i ->> 'min')::numeric, (i ->> 'max')::numeric, nullif(i -> 'show_if', 'null'), i ->> 'service_category')
              <> private.question_meaning(q.key, q.kind, q.prompt, q.options, q.min, q.max, q.show_if, q.service_category))
      or exists (
        select 1 from public.questions q
        where q.survey_id = v_survey_id and q.first_version <= v_current
          and (q.last_version is null or q.last_version >= v_current) and q.id <> all (v_ids));
  end if;
  v_target := v_current + case when v_bump then 1 else 0 end;
  if v_bump then
    update public.surveys s set version = v_target where s.id = v_survey_id;
    -- Waves that nobody has answered yet are "the next wave": they field the new version.
    with moved as (
      update public.survey_waves w set survey_version = v_target
      where w.survey_id = v_survey_id and w.survey_version = v_current
        and not exists (select 1 from public.responses r where r.wave_id = w.id)
      returning w.label
    )
    select coalesce(jsonb_agg(m.label order by m.label), '[]'::jsonb) into v_moved from moved m;
  end if;

  -- Pages.
  for v_sec in select e from jsonb_array_elements(p_definition -> 'sections') e loop
    v_sn := v_sn + 1;
    insert into public.survey_sections as t (id, survey_id, key, position, title, description)
    values ((v_sec ->> 'id')::uuid, v_survey_id, v_sec ->> 'key', v_sn,
            private.require_localized(v_sec -> 'title', format('The title of page "%s"', v_sec ->> 'key'), false),
            private.require_localized(v_sec -> 'description', format('The description of page "%s"', v_sec ->> 'key'), true))
    on conflict (id) do update
      set key = excluded.key, position = excluded.position, title = excluded.title,
          description = excluded.description
      where t.survey_id = excluded.survey_id;
    get diagnostics v_count = row_count;
    if v_count = 0 then
      raise exception using errcode = '22023',
        message = format('Page "%s" has the id of a page of another survey', v_sec ->> 'key');
    end if;
  end loop;

  -- Questions of the current version that the new definition leaves out: retired when answered
  -- (the answered versions keep them), deleted otherwise.
  for v_row in
    select q.* from public.questions q
    where q.survey_id = v_survey_id and q.first_version <= v_current
      and (q.last_version is null or q.last_version >= v_current) and q.id <> all (v_ids)
  loop
    if (private.answered_wave_in(v_survey_id, v_row.first_version, v_row.last_version)).id is not null then
      update public.questions q set last_version = v_target - 1 where q.id = v_row.id;
    else
      if exists (select 1 from public.measures m where m.question_id = v_row.id) then
        raise exception using errcode = '55000',
          message = format('Question "%s" cannot be removed: a measure of the scorecard is linked to it', v_row.key),
          hint = 'Link the measure to another question, or delete the measure, first.';
      end if;
      delete from public.questions q where q.id = v_row.id;
    end if;
    v_removed := v_removed + 1;
  end loop;

  -- The questions, in reading order.
  for v_q in select e from jsonb_array_elements(v_incoming) e loop
    select * into v_row from public.questions q where q.id = (v_q ->> 'id')::uuid;
    if not found then
      insert into public.questions (id, survey_id, section_id, key, position, kind, prompt, help, required,
        options, min, max, max_length, show_if, service_category, first_version)
      values ((v_q ->> 'id')::uuid, v_survey_id, (v_q ->> 'section_id')::uuid, v_q ->> 'key',
        (v_q ->> 'position')::int, v_q ->> 'kind', v_q -> 'prompt', nullif(v_q -> 'help', 'null'),
        coalesce((v_q ->> 'required')::boolean, false), nullif(v_q -> 'options', 'null'),
        (v_q ->> 'min')::numeric, (v_q ->> 'max')::numeric, (v_q ->> 'max_length')::numeric::int,
        nullif(v_q -> 'show_if', 'null'), v_q ->> 'service_category', v_target);
      v_added := v_added + 1;
    elsif v_row.survey_id <> v_survey_id or not private.in_version(v_row.first_version, v_row.last_version, v_current) then
      raise exception using errcode = '22023',
        message = format('Question "%s" is not part of the current version of this survey: reload the survey and try again', v_q ->> 'key');
    elsif private.question_meaning(v_q ->> 'key', v_q ->> 'kind', v_q -> 'prompt', nullif(v_q -> 'options', 'null'),
            (v_q ->> 'min')::numeric, (v_q ->> 'max')::numeric, nullif(v_q -> 'show_if', 'null'), v_q ->> 'service_category')
          = private.question_meaning(v_row.key, v_row.kind, v_row.prompt, v_row.options, v_row.min, v_row.max,
            v_row.show_if, v_row.service_category) then
      -- Same meaning: presentation changes in place, for every version that holds it.
      update public.questions q
      set section_id = (v_q ->> 'section_id')::uuid, position = (v_q ->> 'position')::int,
          help = nullif(v_q -> 'help', 'null'), required = coalesce((v_q ->> 'required')::boolean, false),
          max_length = (v_q ->> 'max_length')::numeric::int
      where q.id = v_row.id
        and (q.section_id, q.position, q.help, q.required, q.max_length) is distinct from
            ((v_q ->> 'section_id')::uuid, (v_q ->> 'position')::int, nullif(v_q -> 'help', 'null')::public.localized_text,
             coalesce((v_q ->> 'required')::boolean, false), (v_q ->> 'max_length')::numeric::int);
    elsif (private.answered_wave_in(v_survey_id, v_row.first_version, v_row.last_version)).id is null then
      -- Nobody has answered it: it may change in place.
      update public.questions q
      set section_id = (v_q ->> 'section_id')::uuid, key = v_q ->> 'key', position = (v_q ->> 'position')::int,
          kind = v_q ->> 'kind', prompt = v_q -> 'prompt', help = nullif(v_q -> 'help', 'null'),
          required = coalesce((v_q ->> 'required')::boolean, false), options = nullif(v_q -> 'options', 'null'),
          min = (v_q ->> 'min')::numeric, max = (v_q ->> 'max')::numeric,
          max_length = (v_q ->> 'max_length')::numeric::int, show_if = nullif(v_q -> 'show_if', 'null'),
          service_category = v_q ->> 'service_category'
      where q.id = v_row.id;
      v_changed := v_changed + 1;
    else
      -- Answered: the old row stays with the versions already answered; a revision takes over.
      update public.questions q set last_version = v_target - 1 where q.id = v_row.id;
      insert into public.questions (survey_id, section_id, key, position, kind, prompt, help, required,
        options, min, max, max_length, show_if, service_category, first_version, revises_question_id)
      values (v_survey_id, (v_q ->> 'section_id')::uuid, v_q ->> 'key', (v_q ->> 'position')::int,
        v_q ->> 'kind', v_q -> 'prompt', nullif(v_q -> 'help', 'null'),
        coalesce((v_q ->> 'required')::boolean, false), nullif(v_q -> 'options', 'null'),
        (v_q ->> 'min')::numeric, (v_q ->> 'max')::numeric, (v_q ->> 'max_length')::numeric::int,
        nullif(v_q -> 'show_if', 'null'), v_q ->> 'service_category', v_target, v_row.id)
      returning id into v_new_id;
      v_revised := v_revised || jsonb_build_array(jsonb_build_object(
        'key', v_q ->> 'key', 'previous_id', v_row.id, 'id', v_new_id));
    end if;
  end loop;

  -- Rules across questions, re-checked here (the builder checks them before sending).
  select q.key, q.show_if ->> 'question' as ref into v_bad
  from public.questions q
  left join public.questions p on p.survey_id = q.survey_id and p.key = q.show_if ->> 'question'
    and p.first_version <= v_target and (p.last_version is null or p.last_version >= v_target)
  where q.survey_id = v_survey_id and q.show_if is not null
    and q.first_version <= v_target and (q.last_version is null or q.last_version >= v_target)
    and (p.id is null or p.position >= q.position)
  order by q.position
  limit 1;
  if found then
    raise exception using errcode = '22023',
      message = format('Question "%s" is shown depending on "%s", which is not an earlier question of the survey', v_bad.key, v_bad.ref),
      hint = 'Skip logic may only refer to questions asked before it.';
  end if;
  select q.key, o.opt ->> 'key' as item into v_bad
  from public.questions q
  cross join lateral jsonb_array_elements(q.options) o(opt)
  where q.survey_id = v_survey_id and q.kind = 'importance_top3'
    and q.first_version <= v_target and (q.last_version is null or q.last_version >= v_target)
    and not exists (
      select 1 from public.questions s
      where s.survey_id = v_survey_id and s.kind in ('satisfaction5', 'rating5')
        and s.first_version <= v_target and (s.last_version is null or s.last_version >= v_target)
        and (s.service_category = o.opt ->> 'key' or s.key = o.opt ->> 'key'))
  order by q.position
  limit 1;
  if found then
    raise exception using errcode = '22023',
      message = format('Importance item "%s" of question "%s" is not in the service list: no satisfaction or rating question has it as its service category', v_bad.item, v_bad.key);
  end if;

  -- Pages left out and empty are removed; a page still holding questions of earlier versions stays.
  delete from public.survey_sections s
  where s.survey_id = v_survey_id and s.id <> all (v_section_ids)
    and not exists (select 1 from public.questions q where q.section_id = s.id);

  update public.surveys s set revision = s.revision + 1 where s.id = v_survey_id returning * into v_survey;
  v_result := jsonb_build_object(
    'survey_id', v_survey_id, 'version', v_survey.version, 'revision', v_survey.revision,
    'new_version', v_bump, 'added', v_added, 'removed', v_removed, 'changed', v_changed,
    'revised', v_revised, 'waves_moved', v_moved, 'duplicate', false);
  insert into private.survey_saves (save_id, survey_id, result) values (p_save_id, v_survey_id, v_result);
  return v_result;
end;
$$;
comment on function public.save_survey(uuid, jsonb) is
  'Admins: store a whole survey definition (survey, pages, questions) in one transaction, idempotent by p_save_id. When the current version has responses and the save changes a question''s meaning or the set of questions, a new version is opened for the next waves and answered waves keep theirs. PT409 when someone saved since base_revision.';
revoke execute on function public.save_survey(uuid, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.save_survey(uuid, jsonb) to authenticated, service_role;

-- Everything the builder shows about one survey: all rows of all versions (with whether each
-- question is frozen), the waves with their version and responses, and the scorecard links.
create function public.survey_editor(p_survey_id uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_survey public.surveys;
begin
  if not (private.is_staff(array['admin']) or coalesce(auth.jwt() ->> 'role', '') = 'service_role') then
    raise exception using errcode = '42501', message = 'Only admins can edit surveys';
  end if;
  select * into v_survey from public.surveys s where s.id = p_survey_id;
  if not found then
    raise exception using errcode = 'PT404', message = 'No survey with that id', detail = 'survey_not_found';
  end if;
  return jsonb_build_object(
    'survey', jsonb_build_object('id', v_survey.id, 'slug', v_survey.slug, 'title', v_survey.title,
      'intro', v_survey.intro, 'languages', to_jsonb(v_survey.languages), 'version', v_survey.version,
      'revision', v_survey.revision),
    'sections', coalesce((
      select jsonb_agg(jsonb_build_object('id', s.id, 'key', s.key, 'position', s.position,
        'title', s.title, 'description', s.description) order by s.position, s.key)
      from public.survey_sections s where s.survey_id = p_survey_id), '[]'::jsonb),
    'questions', coalesce((
      select jsonb_agg(to_jsonb(q) - 'created_at' - 'updated_at' || jsonb_build_object(
        'frozen', (private.answered_wave_in(p_survey_id, q.first_version, q.last_version)).id is not null)
        order by q.position, q.key, q.first_version)
      from public.questions q where q.survey_id = p_survey_id), '[]'::jsonb),
    'waves', coalesce((
      select jsonb_agg(jsonb_build_object('id', w.id, 'label', w.label, 'period', w.period,
        'mode', w.mode, 'opens_at', w.opens_at, 'closes_at', w.closes_at,
        'results_published', w.results_published, 'survey_version', w.survey_version,
        'responses', coalesce((select a.n from private.respondent_aggregates a
                               where a.wave_id = w.id and a.district = ''), 0))
        order by w.opens_at desc)
      from public.survey_waves w where w.survey_id = p_survey_id), '[]'::jsonb),
    'measures', coalesce((
      select jsonb_agg(jsonb_build_object('id', m.id, 'key', m.key, 'name', m.name,
        'goal_id', m.goal_id, 'question_id', m.question_id, 'published', m.published) order by m.key)
      from public.measures m join public.questions q on q.id = m.question_id
      where q.survey_id = p_survey_id), '[]'::jsonb),
    'goals', coalesce((
      select jsonb_agg(jsonb_build_object('id', g.id, 'key', g.key, 'title', g.title)
        order by a.position, g.position, g.key)
      from public.goals g join public.goal_areas a on a.id = g.goal_area_id), '[]'::jsonb)
  );
end;
$$;
comment on function public.survey_editor(uuid) is
  'Admins: a survey with every page and question row of every version (frozen = answered), its waves (version, responses) and the measures linked to its questions, for the survey builder.';
revoke execute on function public.survey_editor(uuid) from public, anon, authenticated, service_role;
grant execute on function public.survey_editor(uuid) to authenticated, service_role;
