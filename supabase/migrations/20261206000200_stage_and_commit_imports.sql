-- Imports an analyst can trust: check, stage, then commit a whole file in one transaction.
--
-- Replaces import_responses(p_rows jsonb) (20261122001300), which stored each valid row of a
-- batch on its own (a file could land 19 rows of 20), answered 'duplicate' for a respondent
-- already imported even when the file now said something else (a corrected file was never
-- applied), and was called once per batch of 500, so a failure in batch 3 left batches 1–2
-- written.
--
-- The design (src/lib/import/apply.ts is the client):
--   import_check(p_rows)                   read-only: one verdict per row, nothing stored.
--   import_stage(p_import_id, p_wave_id, p_rows)
--                                          validates a batch (≤ 1,000 rows) and keeps it in
--                                          private.import_rows under the client-made import id.
--                                          Re-sending a batch replaces its staged rows.
--   import_commit(p_import_id, p_expected_rows, p_replace, p_allow_row_errors)
--                                          ONE transaction: re-checks every staged row against
--                                          the data as it is now, then writes all of them or
--                                          none. Idempotent: committing again answers the
--                                          stored result and writes nothing.
--   import_discard(p_import_id)            drops an uncommitted import (also done after 2 days).
-- Nothing reaches public.responses / public.answers before import_commit, and import_commit is
-- a single statement from the caller's side, so "all or nothing" holds for a file of any
-- number of batches, while each call stays small enough for an API statement timeout.
--
-- Verdicts (one {id, status, reason, errors, existing_id, changes} per row, in order):
--   new        no stored response has this id or (wave, external_id);
--   unchanged  the stored response says exactly what the row says (re-importing a file);
--   changed    a stored response of this respondent differs; `changes` lists each field or
--              question key with the stored value and the file's value;
--   rejected   the row breaks a rule of the database; `reason` says which.
-- The row rules are those of the tables and of submit_responses' answer checks
-- (private.answer_error), plus what only an import may set: closed (historical) waves are
-- allowed; source 'import' or 'paper'; mode, weight in (0, 1000), district of 1–64 characters,
-- external_id (the source file's respondent id) of 1–200 characters; text answers at most
-- 4,000 characters (the answers table); `required` and skip logic are not enforced (historical
-- questionnaires keep their real item non-response).
--
-- import_commit refuses (raises; nothing written) when: rows were rejected and
-- p_allow_row_errors is false; respondents changed and neither p_replace nor
-- p_allow_row_errors is set; the staged row count is not p_expected_rows (a batch is missing);
-- two staged rows share a respondent id; or the survey's questions changed after staging.
-- With p_replace, each changed respondent keeps its response id: its answers are deleted, its
-- response row updated and the new answers inserted, in that order, inside the same
-- transaction, so the score aggregates (maintained by the triggers of 20261122001000) move
-- from the old answers to the new ones exactly. With p_allow_row_errors (and no p_replace),
-- rejected rows are left out and changed respondents are left as they are.
--
-- Trust boundary: the service role (the CLI) and admin/analyst staff only; an import can be
-- staged, committed or discarded only by whoever started it. The staging tables live in
-- `private`, with RLS on and no policies: only these SECURITY DEFINER functions touch them.

drop function public.import_responses(jsonb);
drop function private.import_one_response(jsonb);

create table private.imports (
  id uuid primary key,
  wave_id uuid not null references public.survey_waves (id) on delete cascade,
  -- auth.uid() of the staff member; null for the service role.
  created_by uuid references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  -- private.import_questions_hash of the wave's survey when the import was started.
  questions_hash text not null,
  committed_at timestamptz,
  result jsonb
);
comment on table private.imports is
  'One staged CSV import (client-made id) into one wave; committed_at/result once import_commit ran. Removed after 2 days.';

create table private.import_rows (
  import_id uuid not null references private.imports (id) on delete cascade,
  -- The row's "id" as sent (text: a malformed id is kept, rejected, to be reported).
  row_key text not null,
  external_id text,
  ok boolean not null,
  reason text,
  errors jsonb not null default '[]'::jsonb,
  -- Normalised response columns and answers (private.import_validate), when ok.
  response jsonb,
  answers jsonb,
  -- Set by import_commit: the verdict as of the commit, and the response id written to (the
  -- stored response's own id when the respondent was already imported).
  status text,
  target_id uuid,
  primary key (import_id, row_key)
);
comment on table private.import_rows is
  'Rows of a staged import, validated; written to responses/answers only by import_commit.';

alter table private.imports enable row level security;
alter table private.import_rows enable row level security;
revoke all on private.imports, private.import_rows from public, anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Helpers

-- Only the service role and admin/analyst staff import. Returns the caller's user id (null for
-- the service role).
create function private.require_importer() returns uuid
language plpgsql
stable
set search_path = ''
as $$
begin
  if coalesce(auth.jwt() ->> 'role', '') = 'service_role' then
    return null;
  end if;
  if private.is_staff(array['admin', 'analyst']) then
    return auth.uid();
  end if;
  raise exception using errcode = '42501',
    message = 'Only admins and analysts (or the service role) can import survey responses',
    hint = 'Sign in with an admin or analyst staff account, or run the CLI with the service role key.';
end;
$$;

create function private.require_rows(p_rows jsonb) returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception using errcode = '22023',
      message = '"p_rows" must be a JSON array of responses',
      detail = format('Got %s.', coalesce(jsonb_typeof(p_rows), 'nothing'));
  end if;
  if jsonb_array_length(p_rows) > 1000 then
    raise exception using errcode = '22023',
      message = format('Too many rows in one call: %s (at most 1000)', jsonb_array_length(p_rows)),
      hint = 'Send the import in batches (the importer uses 500).';
  end if;
end;
$$;

-- A fingerprint of what the row checks depend on: every question's key, kind, options and
-- limits. import_commit refuses when it moved since the import was started.
create function private.import_questions_hash(p_survey_id uuid) returns text
language sql
stable
set search_path = ''
as $$
  select md5(coalesce(string_agg(
    concat_ws('|', q.id, q.key, q.kind, q.options::text, q.min::text, q.max::text, q.max_length::text,
              q.first_version::text, q.last_version::text),
    E'\n' order by q.key, q.id), ''))
  from public.questions q
  where q.survey_id = p_survey_id
$$;

-- A stored response's answers in the import's own shape: {question key: value}.
create function private.import_stored_answers(p_response_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(q.key, case
      when a.numeric_value is not null then to_jsonb(a.numeric_value)
      when a.choice_value is not null then to_jsonb(a.choice_value)
      when a.choice_values is not null then to_jsonb(a.choice_values)
      else to_jsonb(a.text_value) end), '{}'::jsonb)
  from public.answers a
  join public.questions q on q.id = a.question_id
  where a.response_id = p_response_id
$$;

-- Checks one row against the database's rules, without reading or writing any response.
-- p_wave_id: the import's wave (the row must be for it), or null to take the row's own.
-- Returns {id, ok, reason, errors, response, answers}: response/answers normalised as they
-- would be stored (external_id, district and text answers trimmed; blank answers dropped; the
-- district taken from a district question when the row has none).
create function private.import_validate(p_item jsonb, p_wave_id uuid) returns jsonb
language plpgsql
stable
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
begin
  if jsonb_typeof(p_item) is distinct from 'object' then
    return jsonb_build_object('id', null, 'ok', false, 'reason', 'Each row must be a JSON object');
  end if;
  begin
    v_id := v_id_text::uuid;
  exception when others then
    v_id := null;
  end;
  if v_id is null then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason', '"id" must be a UUID');
  end if;

  begin
    v_wave_id := (p_item ->> 'wave_id')::uuid;
  exception when others then
    v_wave_id := null;
  end;
  if p_wave_id is not null and v_wave_id is distinct from p_wave_id then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason',
      format('"wave_id" must be the import''s wave %s', p_wave_id));
  end if;
  select * into v_wave from public.survey_waves w where w.id = v_wave_id;
  if not found then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason', '"wave_id" is not a known survey wave');
  end if;
  select * into v_survey from public.surveys s where s.id = v_wave.survey_id;

  if p_item -> 'external_id' is not null and p_item -> 'external_id' <> 'null'::jsonb then
    if jsonb_typeof(p_item -> 'external_id') <> 'string'
       or char_length(btrim(p_item ->> 'external_id')) not between 1 and 200 then
      return jsonb_build_object('id', v_id_text, 'ok', false, 'reason',
        format('"external_id" must be the respondent id from the source file: text of 1 to 200 characters (got %s)',
               case when jsonb_typeof(p_item -> 'external_id') = 'string'
                    then char_length(btrim(p_item ->> 'external_id')) || ' characters'
                    else jsonb_typeof(p_item -> 'external_id') end));
    end if;
    v_external_id := btrim(p_item ->> 'external_id');
  end if;

  v_language := p_item ->> 'language';
  if jsonb_typeof(p_item -> 'language') is distinct from 'string'
     or not v_language = any (v_survey.languages) then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason',
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
      return jsonb_build_object('id', v_id_text, 'ok', false, 'reason',
        '"submitted_at" must be an ISO 8601 timestamp such as 2024-05-01T00:00:00Z, or null');
    end;
  end if;

  v_source := coalesce(p_item ->> 'source', 'import');
  if v_source not in ('import', 'paper') then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason', '"source" must be "import" or "paper"');
  end if;

  v_mode := coalesce(p_item ->> 'mode', case when v_wave.mode = 'invited' then 'invited' else 'open' end);
  if v_mode not in ('invited', 'open') then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason', '"mode" must be "invited" or "open"');
  end if;
  if v_wave.mode <> 'both' and v_mode <> v_wave.mode then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason',
      format('"mode" is "%s" but this wave''s sample is "%s"', v_mode, v_wave.mode));
  end if;

  if p_item -> 'weight' is null or p_item -> 'weight' = 'null'::jsonb then
    v_weight := 1;
  elsif jsonb_typeof(p_item -> 'weight') <> 'number'
        or (p_item -> 'weight')::numeric <= 0 or (p_item -> 'weight')::numeric >= 1000 then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason',
      '"weight" must be a number greater than 0 and below 1000 (1 when the data are unweighted)');
  else
    v_weight := (p_item -> 'weight')::numeric;
  end if;

  if p_item -> 'district' is not null and p_item -> 'district' <> 'null'::jsonb then
    if jsonb_typeof(p_item -> 'district') <> 'string'
       or char_length(btrim(p_item ->> 'district')) not between 1 and 64 then
      return jsonb_build_object('id', v_id_text, 'ok', false, 'reason',
        '"district" must be text of 1 to 64 characters, or null');
    end if;
    v_district := btrim(p_item ->> 'district');
  end if;

  v_answers := p_item -> 'answers';
  if jsonb_typeof(v_answers) is distinct from 'object' then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'reason',
      '"answers" must be an object keyed by question key');
  end if;
  select coalesce(jsonb_object_agg(a.key, a.value), '{}'::jsonb) into v_answers
  from jsonb_each(v_answers) a
  where private.is_answered(a.value);

  for v_key in
    select k from jsonb_object_keys(v_answers) k
    where not exists (
      select 1 from public.questions q
      where q.survey_id = v_survey.id and q.key = k
        and private.in_version(q.first_version, q.last_version, v_wave.survey_version))
    order by k
  loop
    v_errors := v_errors || jsonb_build_array(jsonb_build_object(
      'question', v_key, 'message', 'Unknown question for this survey'));
  end loop;

  for v_question in
    -- The questions of the version this wave fields (20261206000125_create_survey_versions).
    select q.* from public.questions q
    where q.survey_id = v_survey.id and v_answers ? q.key
      and private.in_version(q.first_version, q.last_version, v_wave.survey_version)
    order by q.position, q.key
  loop
    v_value := v_answers -> v_question.key;
    v_message := private.answer_error(v_question.kind, v_question.options, v_question.min,
                                      v_question.max, v_question.max_length, v_value);
    if v_message is null and v_question.kind in ('text', 'zip')
       and char_length(btrim(v_value #>> '{}')) > 4000 then
      v_message := 'The text is longer than 4000 characters';
    end if;
    if v_message is not null then
      v_errors := v_errors || jsonb_build_array(jsonb_build_object(
        'question', v_question.key, 'message', v_message));
    else
      if v_question.kind in ('text', 'zip') then
        v_answers := jsonb_set(v_answers, array[v_question.key], to_jsonb(btrim(v_value #>> '{}')));
      end if;
      if v_question.kind = 'district' and v_district is null then
        v_district := v_value #>> '{}';
      end if;
    end if;
  end loop;

  if jsonb_array_length(v_errors) > 0 then
    return jsonb_build_object('id', v_id_text, 'ok', false, 'errors', v_errors, 'reason',
      format('%s answer%s not valid: %s', jsonb_array_length(v_errors),
             case when jsonb_array_length(v_errors) = 1 then ' is' else 's are' end,
             (select string_agg((e ->> 'question') || ': ' || (e ->> 'message'), '; ')
              from jsonb_array_elements(v_errors) e)));
  end if;

  return jsonb_build_object(
    'id', v_id_text, 'ok', true, 'reason', null,
    'response', jsonb_build_object(
      'id', v_id, 'wave_id', v_wave.id, 'external_id', v_external_id, 'language', v_language,
      'submitted_at', v_submitted_at, 'source', v_source, 'mode', v_mode, 'weight', v_weight,
      'district', v_district),
    'answers', v_answers);
end;
$$;

-- Compares a validated row with what is stored for its respondent (by response id, else by
-- wave + external_id). Returns {status: new|unchanged|changed|rejected, reason, existing_id,
-- changes: [{key, stored, file}]}.
create function private.import_classify(p_response jsonb, p_answers jsonb) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_id uuid := (p_response ->> 'id')::uuid;
  v_wave_id uuid := (p_response ->> 'wave_id')::uuid;
  v_external_id text := p_response ->> 'external_id';
  v_by_id public.responses;
  v_old public.responses;
  v_stored jsonb;
  v_changes jsonb := '[]'::jsonb;
begin
  select * into v_by_id from public.responses r where r.id = v_id;
  if v_by_id.id is not null and v_by_id.wave_id <> v_wave_id then
    return jsonb_build_object('status', 'rejected', 'reason',
      format('Response id %s is already used in another wave', v_id));
  end if;
  if v_external_id is not null then
    select * into v_old from public.responses r
    where r.wave_id = v_wave_id and r.external_id = v_external_id;
  end if;
  if v_by_id.id is not null and v_old.id is not null and v_old.id <> v_by_id.id then
    return jsonb_build_object('status', 'rejected', 'reason',
      format('Response id %s belongs to another respondent of this wave than "%s"', v_id, v_external_id));
  end if;
  if v_old.id is null then
    v_old := v_by_id;
  end if;
  if v_old.id is null then
    return jsonb_build_object('status', 'new', 'reason', null, 'existing_id', null, 'changes', '[]'::jsonb);
  end if;
  if v_old.source = 'web' then
    return jsonb_build_object('status', 'rejected', 'reason',
      format('Response %s was submitted through the survey, not imported; an import cannot change it', v_old.id));
  end if;
  v_stored := private.import_stored_answers(v_old.id);

  select coalesce(jsonb_agg(jsonb_build_object('key', f.key, 'stored', f.stored, 'file', f.file)
                            order by f.ord, f.key), '[]'::jsonb)
  into v_changes
  from (
    select 0 as ord, x.key, x.stored, x.file
    from (values
      ('external_id', to_jsonb(v_old.external_id), p_response -> 'external_id'),
      ('language', to_jsonb(v_old.language), p_response -> 'language'),
      ('mode', to_jsonb(v_old.mode), p_response -> 'mode'),
      ('source', to_jsonb(v_old.source), p_response -> 'source'),
      ('weight', to_jsonb(v_old.weight), p_response -> 'weight'),
      ('district', to_jsonb(v_old.district), p_response -> 'district')
    ) as x(key, stored, file)
    where coalesce(x.stored, 'null'::jsonb) is distinct from coalesce(x.file, 'null'::jsonb)
    union all
    select 0, 'submitted_at', to_jsonb(v_old.submitted_at), p_response -> 'submitted_at'
    where v_old.submitted_at is distinct from (p_response ->> 'submitted_at')::timestamptz
    union all
    select 1, k.key, v_stored -> k.key, p_answers -> k.key
    from (
      select s.key from jsonb_object_keys(v_stored) s(key)
      union
      select a.key from jsonb_object_keys(p_answers) a(key)
    ) k
    where (v_stored -> k.key) is distinct from (p_answers -> k.key)
  ) f;

  return jsonb_build_object(
    'status', case when jsonb_array_length(v_changes) = 0 then 'unchanged' else 'changed' end,
    'reason', null, 'existing_id', v_old.id, 'changes', v_changes);
end;
$$;

-- One verdict for the client: {id, status, reason, errors, existing_id, changes}.
create function private.import_verdict(p_checked jsonb) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_class jsonb;
begin
  if not (p_checked ->> 'ok')::boolean then
    return jsonb_build_object('id', p_checked -> 'id', 'status', 'rejected',
      'reason', p_checked -> 'reason', 'errors', coalesce(p_checked -> 'errors', '[]'::jsonb),
      'existing_id', null, 'changes', '[]'::jsonb);
  end if;
  v_class := private.import_classify(p_checked -> 'response', p_checked -> 'answers');
  return jsonb_build_object('id', p_checked -> 'id', 'status', v_class -> 'status',
    'reason', v_class -> 'reason', 'errors', '[]'::jsonb,
    'existing_id', v_class -> 'existing_id', 'changes', coalesce(v_class -> 'changes', '[]'::jsonb));
end;
$$;

-- The caller's uncommitted or committed import, locked; raises unless it is theirs.
create function private.import_for_caller(p_import_id uuid, p_uid uuid) returns private.imports
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_import private.imports;
begin
  select * into v_import from private.imports i where i.id = p_import_id for update;
  if found and v_import.created_by is distinct from p_uid then
    raise exception using errcode = '42501',
      message = format('Import %s was started by someone else', p_import_id);
  end if;
  return v_import;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- API

create function public.import_check(p_rows jsonb) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  v_results jsonb := '[]'::jsonb;
  v_item jsonb;
begin
  perform private.require_importer();
  perform private.require_rows(p_rows);
  for v_item in
    select e.value from jsonb_array_elements(p_rows) with ordinality e(value, n) order by e.n
  loop
    v_results := v_results || jsonb_build_array(
      private.import_verdict(private.import_validate(v_item, null)));
  end loop;
  return v_results;
end;
$$;
comment on function public.import_check(jsonb) is
  'Service role or admin/analyst staff: the dry run of an import. One {id, status: new|unchanged|changed|rejected, reason, errors, existing_id, changes} per row (TImportResponse items, at most 1000); writes nothing.';

create function public.import_stage(p_import_id uuid, p_wave_id uuid, p_rows jsonb) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
set jit = off
as $$
declare
  v_uid uuid := private.require_importer();
  v_import private.imports;
  v_wave public.survey_waves;
  v_results jsonb := '[]'::jsonb;
  v_item jsonb;
  v_n bigint;
  v_checked jsonb;
  v_key text;
begin
  perform private.require_rows(p_rows);
  if p_import_id is null then
    raise exception using errcode = '22023', message = '"p_import_id" is required (a UUID made by the client)';
  end if;
  select * into v_wave from public.survey_waves w where w.id = p_wave_id;
  if not found then
    raise exception using errcode = 'PT404', message = format('Survey wave %s not found', p_wave_id);
  end if;
  -- Abandoned imports (and committed results kept for replays) go after 2 days.
  delete from private.imports i where i.created_at < now() - interval '2 days';

  insert into private.imports (id, wave_id, created_by, questions_hash)
  values (p_import_id, v_wave.id, v_uid, private.import_questions_hash(v_wave.survey_id))
  on conflict (id) do nothing;
  v_import := private.import_for_caller(p_import_id, v_uid);
  if v_import.committed_at is not null then
    raise exception using errcode = '22023',
      message = format('Import %s is already committed; start a new import', p_import_id);
  end if;
  if v_import.wave_id <> v_wave.id then
    raise exception using errcode = '22023',
      message = format('Import %s is for wave %s, not %s', p_import_id, v_import.wave_id, v_wave.id);
  end if;

  for v_item, v_n in
    select e.value, e.n from jsonb_array_elements(p_rows) with ordinality e(value, n) order by e.n
  loop
    v_checked := private.import_validate(v_item, v_wave.id);
    v_results := v_results || jsonb_build_array(private.import_verdict(v_checked));
    v_key := coalesce(v_checked ->> 'id', format('(row without an id, position %s)', v_n));
    insert into private.import_rows as r (import_id, row_key, external_id, ok, reason,
                                         errors, response, answers)
    values (p_import_id, v_key, v_checked -> 'response' ->> 'external_id', (v_checked ->> 'ok')::boolean,
            v_checked ->> 'reason', coalesce(v_checked -> 'errors', '[]'::jsonb),
            v_checked -> 'response', v_checked -> 'answers')
    on conflict (import_id, row_key) do update
      set external_id = excluded.external_id, ok = excluded.ok, reason = excluded.reason,
          errors = excluded.errors, response = excluded.response, answers = excluded.answers;
  end loop;
  return v_results;
end;
$$;
comment on function public.import_stage(uuid, uuid, jsonb) is
  'Service role or admin/analyst staff: validate one batch (at most 1000 rows) of import p_import_id (client-made UUID) into wave p_wave_id and keep it staged; nothing is written to responses until import_commit. Same verdicts as import_check; re-sending a batch replaces its rows.';

create function public.import_commit(
  p_import_id uuid,
  p_expected_rows integer,
  p_replace boolean default false,
  p_allow_row_errors boolean default false
) returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
set jit = off
as $$
declare
  v_uid uuid := private.require_importer();
  v_import private.imports;
  v_survey_id uuid;
  v_version integer;
  v_staged bigint;
  v_rejected bigint;
  v_new bigint;
  v_unchanged bigint;
  v_changed bigint;
  v_repeat text;
  v_result jsonb;
begin
  v_import := private.import_for_caller(p_import_id, v_uid);
  if v_import.id is null then
    raise exception using errcode = 'PT404',
      message = format('Import %s is not staged: unknown, discarded, or older than 2 days', p_import_id),
      hint = 'Run the import again; respondents already written show as unchanged.';
  end if;
  if v_import.committed_at is not null then
    return v_import.result || jsonb_build_object('replayed', true);
  end if;

  -- Imports into one wave commit one at a time, so the checks below see every earlier commit.
  perform pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('import_commit:' || v_import.wave_id::text, 0));

  select w.survey_id, w.survey_version into v_survey_id, v_version
  from public.survey_waves w where w.id = v_import.wave_id;
  -- The survey's definition cannot change under this commit (builder saves lock it exclusively).
  perform private.lock_survey(v_survey_id, true);
  if private.import_questions_hash(v_survey_id) <> v_import.questions_hash then
    raise exception using errcode = '22023',
      message = 'The survey''s questions changed after this import was checked; nothing was written',
      hint = 'Run the import again so every row is checked against the questions as they are now.';
  end if;

  select count(*) into v_staged from private.import_rows r where r.import_id = p_import_id;
  if p_expected_rows is null or v_staged <> p_expected_rows then
    raise exception using errcode = '22023',
      message = format('Import %s has %s staged rows, not the %s expected; nothing was written',
                       p_import_id, v_staged, coalesce(p_expected_rows::text, '(none given)')),
      hint = 'A batch is missing or was sent twice with different rows: run the import again.';
  end if;

  select r.external_id into v_repeat from private.import_rows r
  where r.import_id = p_import_id and r.ok and r.external_id is not null
  group by r.external_id having count(*) > 1 limit 1;
  if found then
    raise exception using errcode = '22023',
      message = format('Respondent "%s" appears more than once in this import; nothing was written', v_repeat);
  end if;

  -- Every valid row is classified again now, under the lock: the data may have moved since
  -- the rows were staged.
  update private.import_rows r
  set status = c.v ->> 'status',
      target_id = coalesce((c.v ->> 'existing_id')::uuid, (r.response ->> 'id')::uuid)
  from (
    select x.row_key, private.import_classify(x.response, x.answers) as v
    from private.import_rows x
    where x.import_id = p_import_id and x.ok
  ) c
  where r.import_id = p_import_id and r.row_key = c.row_key;

  select count(*) filter (where not r.ok or r.status = 'rejected'),
         count(*) filter (where r.status = 'new'),
         count(*) filter (where r.status = 'unchanged'),
         count(*) filter (where r.status = 'changed')
  into v_rejected, v_new, v_unchanged, v_changed
  from private.import_rows r where r.import_id = p_import_id;

  if v_rejected > 0 and not coalesce(p_allow_row_errors, false) then
    raise exception using errcode = '22023',
      message = format('%s of %s rows were refused; nothing was written', v_rejected, v_staged),
      hint = 'Fix the rows (import_check names each problem), or allow row errors to write only the valid rows.';
  end if;
  if v_changed > 0 and not coalesce(p_replace, false) and not coalesce(p_allow_row_errors, false) then
    raise exception using errcode = '22023',
      message = format('%s respondents were already imported with different answers; nothing was written', v_changed),
      hint = 'Replace them (their answers and scores are updated in the same transaction), or allow row errors to leave them as they are.';
  end if;

  insert into public.responses (id, wave_id, respondent_id, invitation_id, mode, language, district,
                                submitted_at, received_at, source, weight, external_id)
  select c.target_id, v_import.wave_id, null, null, c.response ->> 'mode', c.response ->> 'language',
         c.response ->> 'district', (c.response ->> 'submitted_at')::timestamptz, now(),
         c.response ->> 'source', (c.response ->> 'weight')::numeric, c.response ->> 'external_id'
  from private.import_rows c
  where c.import_id = p_import_id and c.status = 'new'
  order by c.target_id;

  if coalesce(p_replace, false) then
    -- Old answers out while the response still has its old weight and district (the aggregate
    -- triggers read them), then the response row, then the new answers below.
    delete from public.answers a
    using private.import_rows c
    where c.import_id = p_import_id and c.status = 'changed' and a.response_id = c.target_id;
    update public.responses p
    set mode = c.response ->> 'mode', language = c.response ->> 'language',
        district = c.response ->> 'district',
        submitted_at = (c.response ->> 'submitted_at')::timestamptz,
        source = c.response ->> 'source', weight = (c.response ->> 'weight')::numeric,
        external_id = c.response ->> 'external_id'
    from private.import_rows c
    where c.import_id = p_import_id and c.status = 'changed' and p.id = c.target_id;
  end if;

  insert into public.answers (response_id, wave_id, question_id,
                              numeric_value, choice_value, choice_values, text_value)
  select c.target_id, v_import.wave_id, q.id,
    case when q.kind in ('satisfaction5', 'rating5', 'number') then (a.value)::numeric end,
    case when q.kind in ('single', 'district') then a.value #>> '{}' end,
    case when q.kind in ('importance_top3', 'multi') then array(
      select e.value from jsonb_array_elements_text(a.value) with ordinality e(value, n)
      order by e.n) end,
    case when q.kind in ('text', 'zip') then a.value #>> '{}' end
  from private.import_rows c
  cross join lateral jsonb_each(c.answers) a(key, value)
  join public.questions q on q.survey_id = v_survey_id and q.key = a.key
    and private.in_version(q.first_version, q.last_version, v_version)
  where c.import_id = p_import_id
    and (c.status = 'new' or (c.status = 'changed' and coalesce(p_replace, false)))
  order by c.target_id, q.id;

  v_result := jsonb_build_object(
    'import_id', p_import_id, 'wave_id', v_import.wave_id, 'rows', v_staged,
    'new', v_new, 'unchanged', v_unchanged,
    'replaced', case when coalesce(p_replace, false) then v_changed else 0 end,
    'changed_left', case when coalesce(p_replace, false) then 0 else v_changed end,
    'rejected', v_rejected, 'committed_at', now(), 'replayed', false);
  update private.imports i set committed_at = now(), result = v_result where i.id = p_import_id;
  delete from private.import_rows r where r.import_id = p_import_id;
  return v_result;
end;
$$;
comment on function public.import_commit(uuid, integer, boolean, boolean) is
  'Service role or admin/analyst staff: write every staged row of import p_import_id in one transaction, or none (raises 22023 with the reason). p_replace updates changed respondents (answers and aggregates); p_allow_row_errors leaves out rejected rows and, without p_replace, changed respondents. Idempotent: a committed import answers its result again. Returns {import_id, wave_id, rows, new, unchanged, replaced, changed_left, rejected, committed_at, replayed}.';

create function public.import_discard(p_import_id uuid) returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_importer();
  v_import private.imports;
begin
  v_import := private.import_for_caller(p_import_id, v_uid);
  if v_import.id is null or v_import.committed_at is not null then
    return false;
  end if;
  delete from private.imports i where i.id = p_import_id;
  return true;
end;
$$;
comment on function public.import_discard(uuid) is
  'Service role or admin/analyst staff: drop an uncommitted import of one''s own (true), or do nothing (false: unknown or already committed).';

revoke execute on function private.require_importer() from public;
revoke execute on function private.require_rows(jsonb) from public;
revoke execute on function private.import_questions_hash(uuid) from public;
revoke execute on function private.import_stored_answers(uuid) from public;
revoke execute on function private.import_validate(jsonb, uuid) from public;
revoke execute on function private.import_classify(jsonb, jsonb) from public;
revoke execute on function private.import_verdict(jsonb) from public;
revoke execute on function private.import_for_caller(uuid, uuid) from public;
revoke execute on function public.import_check(jsonb) from public, anon, authenticated, service_role;
revoke execute on function public.import_stage(uuid, uuid, jsonb) from public, anon, authenticated, service_role;
revoke execute on function public.import_commit(uuid, integer, boolean, boolean) from public, anon, authenticated, service_role;
revoke execute on function public.import_discard(uuid) from public, anon, authenticated, service_role;
-- anon too, so a caller without a session gets the clear 42501 message rather than a bare denial.
grant execute on function public.import_check(jsonb) to anon, authenticated, service_role;
grant execute on function public.import_stage(uuid, uuid, jsonb) to anon, authenticated, service_role;
grant execute on function public.import_commit(uuid, integer, boolean, boolean) to anon, authenticated, service_role;
grant execute on function public.import_discard(uuid) to anon, authenticated, service_role;
