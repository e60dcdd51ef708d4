-- Resident survey API (DESIGN §4, contract in src/lib/domain/survey.ts):
--   get_survey(p_slug)             → the open wave's definition in all languages (anyone)
--   check_invitation(p_code)       → {status: ok|used|unknown|closed, wave_id, survey_slug} (anyone)
--   submit_responses(p_responses)  → one {id, status, reason, errors} per item (signed-in users)
--   create_invitations(p_wave_id, p_count) → fresh codes, shown once (admins)
--
-- Trust boundary: the client's validation is a convenience; everything is re-checked here
-- against the stored question definitions. submit_responses is idempotent by the client's
-- response UUID so an offline outbox can retry forever: a response that was stored answers
-- 'duplicate' on every later attempt, whatever else changed (wave closed, session renewed).
--
-- Errors map to HTTP through PostgREST: PT404 → 404, 22023 → 400, 42501 → 401 for anon.

-- ---------------------------------------------------------------------------------------------
-- Helpers (private: not reachable through the Data API).

-- A wave accepts responses from opens_at until closes_at (exclusive); null closes_at = open-ended.
create function private.wave_is_open(p_opens_at timestamptz, p_closes_at timestamptz)
returns boolean
language sql
stable
set search_path = ''
as $$
  select p_opens_at <= pg_catalog.now() and (p_closes_at is null or p_closes_at > pg_catalog.now())
$$;

-- Skip logic and "answered" have one definition implemented twice: here and in the client's
-- src/lib/survey/logic.ts (isAnswered, conditionHolds, isVisible). They must agree, or a
-- resident could be shown a question the server then refuses (a permanent outbox rejection);
-- supabase/tests/survey-api.test.ts ("client and server agree") checks it.

-- An answer counts as given unless it is null, a blank string or a list without a non-empty
-- entry. Values that do not count are treated as absent (never stored, never an error).
create function private.is_answered(p_value jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select case jsonb_typeof(p_value)
    when 'string' then btrim(p_value #>> '{}') <> ''
    when 'array' then exists (
      select 1 from jsonb_array_elements(p_value) e where e <> '""'::jsonb
    )
    when 'number' then true
    when 'boolean' then true
    when 'object' then true
    else false
  end
$$;

-- Scalar equality as the client sees it: String(a) === String(b). JSON numbers compare by value
-- (5 = 5.0, as JavaScript's String(5.0) is "5"); a string and a number by text ("3" = 3).
create function private.jsonb_scalar_eq(p_a jsonb, p_b jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select case
    when jsonb_typeof(p_a) = 'number' and jsonb_typeof(p_b) = 'number' then p_a::numeric = p_b::numeric
    -- trim_scale: 5.0 prints as "5", like JavaScript's String(5.0).
    when jsonb_typeof(p_a) = 'number' and jsonb_typeof(p_b) = 'string'
      then (p_b #>> '{}') = trim_scale(p_a::numeric)::text
    when jsonb_typeof(p_a) = 'string' and jsonb_typeof(p_b) = 'number'
      then (p_a #>> '{}') = trim_scale(p_b::numeric)::text
    when jsonb_typeof(p_a) = 'string' and jsonb_typeof(p_b) = 'string' then (p_a #>> '{}') = (p_b #>> '{}')
    else false
  end
$$;

-- One condition (TShowIf) against the submitted answers:
--   answered: the question has an answer · eq: answered, not a list, equal to value ·
--   neq: NOT eq (so a missing answer or a list satisfies neq) · in: answered and the answer,
--   or any key of a list answer, is one of value · gte / lte: a numeric answer compared to value.
create function private.show_if_holds(p_show_if jsonb, p_answers jsonb) returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_answer jsonb := p_answers -> (p_show_if ->> 'question');
  v_value jsonb := p_show_if -> 'value';
  v_given boolean := private.is_answered(v_answer);
begin
  case p_show_if ->> 'op'
    when 'answered' then
      return v_given;
    when 'eq' then
      return v_given and jsonb_typeof(v_answer) <> 'array' and private.jsonb_scalar_eq(v_answer, v_value);
    when 'neq' then
      return not (v_given and jsonb_typeof(v_answer) <> 'array' and private.jsonb_scalar_eq(v_answer, v_value));
    when 'in' then
      if not v_given then
        return false;
      end if;
      return exists (
        select 1
        from jsonb_array_elements(case when jsonb_typeof(v_answer) = 'array' then v_answer
                                       else jsonb_build_array(v_answer) end) e,
             jsonb_array_elements(case when jsonb_typeof(v_value) = 'array' then v_value
                                       else jsonb_build_array(v_value) end) x
        where private.jsonb_scalar_eq(e, x)
      );
    when 'gte', 'lte' then
      if not v_given or jsonb_typeof(v_answer) <> 'number' or jsonb_typeof(v_value) <> 'number' then
        return false;
      end if;
      return case when p_show_if ->> 'op' = 'gte' then v_answer::numeric >= v_value::numeric
                  else v_answer::numeric <= v_value::numeric end;
    else
      return false;
  end case;
end;
$$;

-- Whether a question is shown: its condition holds and, walking up, so do its parents' (an
-- answer to a hidden question cannot unlock anything). A cycle hides the question; a condition
-- on an unknown key ends the walk. p_show_ifs maps every question key of the survey to its
-- show_if (or null).
create function private.is_visible(p_key text, p_show_ifs jsonb, p_answers jsonb) returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text := p_key;
  v_cond jsonb;
  v_seen text[] := '{}';
begin
  loop
    v_cond := p_show_ifs -> v_key;
    if v_cond is null or v_cond = 'null'::jsonb then
      return true;
    end if;
    if v_key = any (v_seen) then
      return false;
    end if;
    v_seen := v_seen || v_key;
    if not private.show_if_holds(v_cond, p_answers) then
      return false;
    end if;
    v_key := v_cond ->> 'question';
    if not (p_show_ifs ? v_key) then
      return true;
    end if;
  end loop;
end;
$$;

-- Checks one answer against its question. Returns null when valid, else a message for the
-- resident / client developer (English; the client maps question keys to localized prompts).
create function private.answer_error(
  p_kind text, p_options jsonb, p_min numeric, p_max numeric, p_max_length integer, p_value jsonb
) returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_keys text[];
  v_n integer;
  v_num numeric;
  v_text text;
  v_bad text;
begin
  if p_options is not null then
    select array_agg(o ->> 'key') into v_keys from jsonb_array_elements(p_options) o;
  end if;

  case p_kind
    when 'satisfaction5', 'rating5' then
      if jsonb_typeof(p_value) <> 'number' then
        return 'Expected a number 1 to 5, or 9 for "don''t know"';
      end if;
      v_num := p_value::numeric;
      if v_num not in (1, 2, 3, 4, 5, 9) then
        return format('Expected a number 1 to 5, or 9 for "don''t know" (got %s)', v_num);
      end if;

    when 'single', 'district' then
      if jsonb_typeof(p_value) <> 'string' then
        return 'Expected one option key (a string)';
      end if;
      if not (p_value #>> '{}') = any (v_keys) then
        return format('Unknown option "%s"', p_value #>> '{}');
      end if;

    when 'importance_top3', 'multi' then
      if jsonb_typeof(p_value) <> 'array' then
        return case when p_kind = 'multi' then 'Expected a list of option keys'
                    else 'Expected a list of 1 to 3 option keys, most important first' end;
      end if;
      v_n := jsonb_array_length(p_value);
      if p_kind = 'importance_top3' and (v_n < 1 or v_n > 3) then
        return format('Pick 1 to 3 items (got %s)', v_n);
      end if;
      if p_kind = 'multi' and v_n < 1 then
        return 'Pick at least one option, or leave the question out';
      end if;
      if exists (select 1 from jsonb_array_elements(p_value) e where jsonb_typeof(e) <> 'string') then
        return 'Each pick must be an option key (a string)';
      end if;
      if (select count(distinct e) from jsonb_array_elements_text(p_value) e) <> v_n then
        return 'Each option can be picked only once';
      end if;
      select e into v_bad from jsonb_array_elements_text(p_value) e where not e = any (v_keys) limit 1;
      if v_bad is not null then
        return format('Unknown option "%s"', v_bad);
      end if;

    when 'text' then
      if jsonb_typeof(p_value) <> 'string' then
        return 'Expected text';
      end if;
      v_text := btrim(p_value #>> '{}');
      if char_length(v_text) = 0 then
        return 'The text is empty; leave the question out instead';
      end if;
      if char_length(v_text) > coalesce(p_max_length, 2000) then
        return format('The text is too long: %s characters, at most %s allowed',
                      char_length(v_text), coalesce(p_max_length, 2000));
      end if;

    when 'number' then
      if jsonb_typeof(p_value) <> 'number' then
        return 'Expected a number';
      end if;
      v_num := p_value::numeric;
      if (p_min is not null and v_num < p_min) or (p_max is not null and v_num > p_max) then
        return format('Expected a number between %s and %s (got %s)',
                      coalesce(p_min::text, '-∞'), coalesce(p_max::text, '∞'), v_num);
      end if;

    when 'zip' then
      if jsonb_typeof(p_value) <> 'string' or (p_value #>> '{}') !~ '^[0-9]{5}$' then
        return 'Expected a 5-digit ZIP code';
      end if;

    else
      return format('Unsupported question kind %s', p_kind);
  end case;
  return null;
end;
$$;

revoke execute on function private.wave_is_open(timestamptz, timestamptz) from public;
revoke execute on function private.jsonb_scalar_eq(jsonb, jsonb) from public;
revoke execute on function private.show_if_holds(jsonb, jsonb) from public;
revoke execute on function private.is_answered(jsonb) from public;
revoke execute on function private.is_visible(text, jsonb, jsonb) from public;
revoke execute on function private.answer_error(text, jsonb, numeric, numeric, integer, jsonb) from public;

-- ---------------------------------------------------------------------------------------------
-- get_survey: SECURITY INVOKER — anon may already read the instrument through RLS.
create function public.get_survey(p_slug text) returns jsonb
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
  -- Inlined (not private.wave_is_open): this function runs as the caller, who has no usage
  -- on the private schema.
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
      'closes_at', v_wave.closes_at
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
    ), '[]'::jsonb)
  );
end;
$$;
comment on function public.get_survey(text) is
  'The open wave''s survey definition (TSurveyDefinition) in all languages. PT404 (HTTP 404) with detail survey_not_found or no_open_wave.';
revoke execute on function public.get_survey(text) from public, anon, authenticated, service_role;
grant execute on function public.get_survey(text) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- check_invitation: SECURITY DEFINER because nobody but staff may read invitations. It reveals
-- only whether a code is usable; codes carry ~49 bits of entropy (create_invitations), so
-- guessing is impractical even without a rate limit here.
create function public.check_invitation(p_code text) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_inv public.invitations;
  v_wave public.survey_waves;
  v_slug text;
begin
  select * into v_inv from public.invitations i
  where i.code_hash = private.hash_invitation_code(p_code);
  if not found then
    return jsonb_build_object('status', 'unknown', 'wave_id', null, 'survey_slug', null);
  end if;
  select * into v_wave from public.survey_waves w where w.id = v_inv.wave_id;
  select s.slug into v_slug from public.surveys s where s.id = v_wave.survey_id;
  return jsonb_build_object(
    'status', case
      when v_inv.used_at is not null then 'used'
      when not private.wave_is_open(v_wave.opens_at, v_wave.closes_at) then 'closed'
      else 'ok'
    end,
    'wave_id', v_wave.id,
    'survey_slug', v_slug
  );
end;
$$;
comment on function public.check_invitation(text) is
  'Whether an invitation code can be used: {status: ok|used|unknown|closed, wave_id, survey_slug}.';
revoke execute on function public.check_invitation(text) from public, anon, authenticated, service_role;
grant execute on function public.check_invitation(text) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- submit_responses.

-- After a wave closes, responses completed offline before the close (by the client's clock)
-- are still accepted for this long. A client clock is noisy, never a reason to lose a
-- resident's answers that were finished in time; the grace window bounds the abuse.
create function private.late_submission_grace() returns interval
language sql immutable set search_path = '' as $$ select interval '72 hours' $$;
revoke execute on function private.late_submission_grace() from public;

-- One item; runs inside the caller's transaction. Every store happens in a subtransaction so
-- a failure stores nothing of this item while the other items of the batch still commit.
create function private.submit_one_response(p_item jsonb, p_uid uuid) returns jsonb
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
  from public.questions q where q.survey_id = v_survey.id;

  for v_key in
    select k from jsonb_object_keys(v_answers) k
    where not exists (select 1 from public.questions q where q.survey_id = v_survey.id and q.key = k)
    order by k
  loop
    v_errors := v_errors || jsonb_build_array(jsonb_build_object(
      'question', v_key, 'message', 'Unknown question for this survey'));
  end loop;

  for v_question in
    select q.* from public.questions q where q.survey_id = v_survey.id order by q.position, q.key
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
    where q.survey_id = v_survey.id and v_answers ? q.key;
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

create function private.submit_result(
  p_id text, p_status text, p_reason text, p_errors jsonb default '[]'::jsonb
) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('id', p_id, 'status', p_status, 'reason', p_reason,
                            'errors', coalesce(p_errors, '[]'::jsonb))
$$;

-- The batch: SECURITY DEFINER, executable by authenticated only; reached through the public
-- wrapper below.
create function private.submit_responses(p_responses jsonb) returns jsonb
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
  if v_uid is null then
    raise exception using errcode = '42501',
      message = 'Sign in first: submitting responses needs a signed-in session',
      hint = 'Residents sign in anonymously: call supabase.auth.signInAnonymously() before supabase.rpc(''submit_responses'', …).';
  end if;
  if p_responses is null or jsonb_typeof(p_responses) <> 'array' then
    raise exception using errcode = '22023',
      message = 'submit_responses expects "p_responses" to be a JSON array of responses',
      detail = format('Got %s.', coalesce(jsonb_typeof(p_responses), 'nothing')),
      hint = 'Send {"p_responses": [{"id": "<uuid>", "wave_id": "<uuid>", "language": "en", "submitted_at": "…", "invitation_code": null, "answers": {…}}]}.';
  end if;
  if jsonb_array_length(p_responses) > 100 then
    raise exception using errcode = '22023',
      message = format('Too many responses in one call: %s (at most 100)', jsonb_array_length(p_responses)),
      hint = 'Send the outbox in batches of up to 100.';
  end if;
  for v_item in
    select e.value from jsonb_array_elements(p_responses) with ordinality e(value, n) order by e.n
  loop
    v_results := v_results || jsonb_build_array(private.submit_one_response(v_item, v_uid));
  end loop;
  return v_results;
end;
$$;

-- The API entry point. SECURITY INVOKER and callable by anon only so that a caller without a
-- session gets the clear "sign in first" error (42501 → HTTP 401) instead of a bare
-- "permission denied"; the definer body stays executable by authenticated only. The body is a
-- SQL-standard (begin atomic) body, bound at creation, so callers need no usage on `private`.
create function private.require_signed_in() returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception using errcode = '42501',
      message = 'Sign in first: submitting responses needs a signed-in session',
      hint = 'Residents sign in anonymously: call supabase.auth.signInAnonymously() before supabase.rpc(''submit_responses'', …).';
  end if;
end;
$$;

create function public.submit_responses(p_responses jsonb) returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
  select private.require_signed_in();
  select private.submit_responses(p_responses);
end;
comment on function public.submit_responses(jsonb) is
  'Store survey responses idempotently by client UUID; returns one {id, status: accepted|duplicate|rejected, reason, errors} per item, in order.';

revoke execute on function private.late_submission_grace() from public;
revoke execute on function private.submit_one_response(jsonb, uuid) from public;
revoke execute on function private.submit_result(text, text, text, jsonb) from public;
revoke execute on function private.submit_responses(jsonb) from public;
revoke execute on function private.require_signed_in() from public;
revoke execute on function public.submit_responses(jsonb) from public, anon, authenticated, service_role;
grant execute on function private.require_signed_in() to anon, authenticated, service_role;
grant execute on function private.submit_responses(jsonb) to authenticated;
grant execute on function public.submit_responses(jsonb) to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- create_invitations: admins mint codes for an invited wave. The plain codes are returned once
-- (for the mailing) and only their hashes are stored. 10 characters from a 31-letter alphabet
-- without look-alikes (no 0/O, 1/I/L): about 49 bits, shown as XXXXX-XXXXX.
create function public.create_invitations(p_wave_id uuid, p_count integer, p_batch text default null)
returns table (code text)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  c_alphabet constant text := 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  v_bytes bytea;
  v_code text;
  i integer;
  j integer;
begin
  if not private.is_staff(array['admin']) then
    raise exception using errcode = '42501', message = 'Only admins can create invitations';
  end if;
  if p_count is null or p_count < 1 or p_count > 100000 then
    raise exception using errcode = '22023', message = 'p_count must be between 1 and 100000';
  end if;
  if not exists (select 1 from public.survey_waves w where w.id = p_wave_id and w.mode in ('invited', 'both')) then
    raise exception using errcode = 'PT404',
      message = 'No survey wave with that id takes invitations (mode invited or both)';
  end if;
  for i in 1 .. p_count loop
    loop
      v_bytes := extensions.gen_random_bytes(10);
      v_code := '';
      for j in 0 .. 9 loop
        v_code := v_code || substr(c_alphabet, (get_byte(v_bytes, j) % length(c_alphabet)) + 1, 1);
      end loop;
      v_code := substr(v_code, 1, 5) || '-' || substr(v_code, 6, 5);
      insert into public.invitations (wave_id, code_hash, batch)
      values (p_wave_id, private.hash_invitation_code(v_code), p_batch)
      on conflict (code_hash) do nothing;
      exit when found;
    end loop;
    code := v_code;
    return next;
  end loop;
end;
$$;
comment on function public.create_invitations(uuid, integer, text) is
  'Admins: mint p_count single-use invitation codes for a wave; the codes are returned once, only hashes are stored.';
revoke execute on function public.create_invitations(uuid, integer, text) from public, anon, authenticated, service_role;
grant execute on function public.create_invitations(uuid, integer, text) to authenticated, service_role;
