-- import_responses(p_rows jsonb): historical survey microdata from the CSV importer
-- (src/lib/import: plan.ts builds TImportResponse items, rpc-writer.ts sends batches of up to
-- 500). One {id, status: accepted|duplicate|rejected, reason, errors} per row, in order, the
-- same shape as submit_responses.
--
-- Trust boundary: only the service role (the CLI) and admin/analyst staff (the staff UI) may
-- import. Every answer is re-checked against the stored question definitions with the same
-- helpers submit_responses uses (private.is_answered, private.answer_error). Unlike a resident
-- submission, an import:
--   * may target a closed (historical) wave, and carries source 'import' or 'paper', mode,
--     weight, district and the source file's respondent id (external_id);
--   * does not enforce `required` or skip logic: historical and paper questionnaires were not
--     filled in through our form, and a missing answer is simply "no answer" in the scores;
--     an answer to a question that would have been skipped is kept as given.
-- Idempotent: an existing id, or an existing (wave_id, external_id), answers 'duplicate' and
-- changes nothing, so re-importing the same file (ids are derived from wave + source row id)
-- or retrying a batch after a lost acknowledgement doubles nothing.

create function private.import_one_response(p_item jsonb) returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_id_text text := case when jsonb_typeof(p_item -> 'id') = 'string' then p_item ->> 'id' end;
  v_id uuid;
  v_wave public.survey_waves;
  v_survey public.surveys;
  v_wave_id uuid;
  v_language text;
  v_submitted_at timestamptz;
  v_source text;
  v_mode text;
  v_weight numeric;
  v_district text;
  v_external_id text;
  v_answers jsonb;
  v_errors jsonb := '[]'::jsonb;
  v_question public.questions;
  v_value jsonb;
  v_message text;
  v_key text;
  v_inserted uuid;
  v_existing uuid;
begin
  if jsonb_typeof(p_item) is distinct from 'object' then
    return private.submit_result(null, 'rejected', 'Each row must be a JSON object');
  end if;
  begin
    v_id := v_id_text::uuid;
  exception when others then
    v_id := null;
  end;
  if v_id is null then
    return private.submit_result(v_id_text, 'rejected', '"id" must be a UUID');
  end if;

  -- Idempotency first: a stored row answers duplicate whatever else this copy says.
  if exists (select 1 from public.responses r where r.id = v_id) then
    return private.submit_result(v_id_text, 'duplicate', 'Already imported; nothing was changed');
  end if;

  begin
    v_wave_id := (p_item ->> 'wave_id')::uuid;
  exception when others then
    v_wave_id := null;
  end;
  select * into v_wave from public.survey_waves w where w.id = v_wave_id;
  if not found then
    return private.submit_result(v_id_text, 'rejected', '"wave_id" is not a known survey wave');
  end if;
  select * into v_survey from public.surveys s where s.id = v_wave.survey_id;

  if p_item -> 'external_id' is not null and p_item -> 'external_id' <> 'null'::jsonb then
    if jsonb_typeof(p_item -> 'external_id') <> 'string'
       or char_length(btrim(p_item ->> 'external_id')) not between 1 and 200 then
      return private.submit_result(v_id_text, 'rejected',
        '"external_id" must be the respondent id from the source file: text of 1 to 200 characters');
    end if;
    v_external_id := btrim(p_item ->> 'external_id');
    select r.id into v_existing from public.responses r
    where r.wave_id = v_wave.id and r.external_id = v_external_id;
    if found then
      return private.submit_result(v_id_text, 'duplicate',
        format('Respondent "%s" of this wave was already imported (response %s); nothing was changed',
               v_external_id, v_existing));
    end if;
  end if;

  v_language := p_item ->> 'language';
  if jsonb_typeof(p_item -> 'language') is distinct from 'string'
     or not v_language = any (v_survey.languages) then
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
        '"submitted_at" must be an ISO 8601 timestamp such as 2024-05-01T00:00:00Z, or null');
    end;
  end if;

  v_source := coalesce(p_item ->> 'source', 'import');
  if v_source not in ('import', 'paper') then
    return private.submit_result(v_id_text, 'rejected', '"source" must be "import" or "paper"');
  end if;

  -- Sample: as given, else the wave's own when it has only one.
  v_mode := coalesce(p_item ->> 'mode', case when v_wave.mode = 'invited' then 'invited' else 'open' end);
  if v_mode not in ('invited', 'open') then
    return private.submit_result(v_id_text, 'rejected', '"mode" must be "invited" or "open"');
  end if;
  if v_wave.mode <> 'both' and v_mode <> v_wave.mode then
    return private.submit_result(v_id_text, 'rejected',
      format('"mode" is "%s" but this wave''s sample is "%s"', v_mode, v_wave.mode));
  end if;

  if p_item -> 'weight' is null or p_item -> 'weight' = 'null'::jsonb then
    v_weight := 1;
  elsif jsonb_typeof(p_item -> 'weight') <> 'number'
        or (p_item -> 'weight')::numeric <= 0 or (p_item -> 'weight')::numeric >= 1000 then
    return private.submit_result(v_id_text, 'rejected',
      '"weight" must be a number greater than 0 and below 1000 (1 when the data are unweighted)');
  else
    v_weight := (p_item -> 'weight')::numeric;
  end if;

  if p_item -> 'district' is not null and p_item -> 'district' <> 'null'::jsonb then
    if jsonb_typeof(p_item -> 'district') <> 'string'
       or char_length(btrim(p_item ->> 'district')) not between 1 and 64 then
      return private.submit_result(v_id_text, 'rejected', '"district" must be text of 1 to 64 characters, or null');
    end if;
    v_district := btrim(p_item ->> 'district');
  end if;

  v_answers := p_item -> 'answers';
  if jsonb_typeof(v_answers) is distinct from 'object' then
    return private.submit_result(v_id_text, 'rejected', '"answers" must be an object keyed by question key');
  end if;
  select coalesce(jsonb_object_agg(a.key, a.value), '{}'::jsonb) into v_answers
  from jsonb_each(v_answers) a
  where private.is_answered(a.value);

  for v_key in
    select k from jsonb_object_keys(v_answers) k
    where not exists (select 1 from public.questions q where q.survey_id = v_survey.id and q.key = k)
    order by k
  loop
    v_errors := v_errors || jsonb_build_array(jsonb_build_object(
      'question', v_key, 'message', 'Unknown question for this survey'));
  end loop;

  for v_question in
    select q.* from public.questions q
    where q.survey_id = v_survey.id and v_answers ? q.key
    order by q.position, q.key
  loop
    v_value := v_answers -> v_question.key;
    v_message := private.answer_error(v_question.kind, v_question.options, v_question.min,
                                      v_question.max, v_question.max_length, v_value);
    if v_message is not null then
      v_errors := v_errors || jsonb_build_array(jsonb_build_object(
        'question', v_question.key, 'message', v_message));
    elsif v_question.kind = 'district' and v_district is null then
      v_district := v_value #>> '{}';
    end if;
  end loop;

  if jsonb_array_length(v_errors) > 0 then
    return private.submit_result(v_id_text, 'rejected',
      format('%s answer%s not valid: %s', jsonb_array_length(v_errors),
             case when jsonb_array_length(v_errors) = 1 then ' is' else 's are' end,
             (select string_agg((e ->> 'question') || ': ' || (e ->> 'message'), '; ')
              from jsonb_array_elements(v_errors) e)),
      v_errors);
  end if;

  begin
    insert into public.responses as r (
      id, wave_id, respondent_id, invitation_id, mode, language, district, submitted_at,
      received_at, source, weight, external_id
    ) values (
      v_id, v_wave.id, null, null, v_mode, v_language, v_district, v_submitted_at,
      now(), v_source, v_weight, v_external_id
    )
    on conflict do nothing
    returning r.id into v_inserted;
    if v_inserted is null then
      -- A concurrent import of the same row won the race.
      return private.submit_result(v_id_text, 'duplicate', 'Already imported; nothing was changed');
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
    when serialization_failure or deadlock_detected or lock_not_available then
      raise;
    when others then
      return private.submit_result(v_id_text, 'rejected',
        format('The row could not be stored: %s', sqlerrm));
  end;

  return private.submit_result(v_id_text, 'accepted', null);
end;
$$;

create function public.import_responses(p_rows jsonb) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
set jit = off
as $$
declare
  v_results jsonb := '[]'::jsonb;
  v_item jsonb;
begin
  if not (coalesce(auth.jwt() ->> 'role', '') = 'service_role'
          or private.is_staff(array['admin', 'analyst'])) then
    raise exception using errcode = '42501',
      message = 'Only admins and analysts (or the service role) can import survey responses',
      hint = 'Sign in with an admin or analyst staff account, or run the CLI with the service role key.';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception using errcode = '22023',
      message = 'import_responses expects "p_rows" to be a JSON array of responses',
      detail = format('Got %s.', coalesce(jsonb_typeof(p_rows), 'nothing'));
  end if;
  if jsonb_array_length(p_rows) > 1000 then
    raise exception using errcode = '22023',
      message = format('Too many rows in one call: %s (at most 1000)', jsonb_array_length(p_rows)),
      hint = 'Send the import in batches (the importer uses 500).';
  end if;
  for v_item in
    select e.value from jsonb_array_elements(p_rows) with ordinality e(value, n) order by e.n
  loop
    v_results := v_results || jsonb_build_array(private.import_one_response(v_item));
  end loop;
  return v_results;
end;
$$;
comment on function public.import_responses(jsonb) is
  'Service role or admin/analyst staff: store historical survey responses (TImportRow / TImportResponse items), validated against the questions, idempotent by id and by (wave_id, external_id); one {id, status: accepted|duplicate|rejected, reason, errors} per row. Closed waves allowed.';

revoke execute on function private.import_one_response(jsonb) from public;
revoke execute on function public.import_responses(jsonb) from public, anon, authenticated, service_role;
-- anon too, so a caller without a session gets the clear 42501 message rather than a bare denial.
grant execute on function public.import_responses(jsonb) to anon, authenticated, service_role;
