-- Scores and imports follow survey versions (issue 9; see 20261206000400_create_survey_versions).
--
-- question_scores and import_responses looked questions up per survey. With versions a survey
-- holds several rows per key (a question and its revision), so both now use the questions of the
-- version a wave fields:
--   * private.satisfaction_cells: only the wave's version's 5-point questions (an old wave does
--     not list a revision it never asked, a new wave does not list a retired question);
--   * private.importance_links(survey, version): links within one version (a key or a service
--     category names one question per version); question_scores passes the wave's version;
--   * private.import_one_response: answers go to the rows of the wave's version (it also takes
--     the survey lock shared, like submit_responses).
-- Each body is the landed one (20261122001100, 20261122001300) with only those filters added.
-- Guard: if another migration changed one of these functions since, this migration stops
-- rather than silently replacing that change; port the version filters into it instead.

do $$
declare
  v_expected constant jsonb := '{
    "private.satisfaction_cells(uuid,text)": "39a53f0614b4515856d030d10ff15492",
    "private.importance_links(uuid)": "b35213670da9a25991ddddb5a72fbfa3",
    "private.question_scores(uuid,text)": "42b1c859c99ce5f2b8025b5711784b38",
    "private.import_one_response(jsonb)": "5dbe8d2098eb4582111f4fe3f781c9f5"
  }';
  v_fn text;
  v_md5 text;
begin
  for v_fn, v_md5 in select key, value #>> '{}' from jsonb_each(v_expected) loop
    if (select md5(p.prosrc) from pg_catalog.pg_proc p where p.oid = v_fn::regprocedure) <> v_md5 then
      raise exception 'survey versions: % changed since 20261206000410 was written; add the version filter of this migration to its new body instead of replacing it', v_fn;
    end if;
  end loop;
end;
$$;

create or replace function private.satisfaction_cells(p_wave_id uuid, p_district text)
returns table (
  question_id uuid, n_valid bigint, n_dont_know bigint, n_eff double precision,
  p_satisfied double precision, mean double precision, margin double precision
)
language plpgsql
stable
rows 40
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  with q as (
    select q.id
    from public.survey_waves w
    join public.questions q on q.survey_id = w.survey_id
      and q.first_version <= w.survey_version
      and (q.last_version is null or q.last_version >= w.survey_version)
    where w.id = p_wave_id and q.kind in ('satisfaction5', 'rating5')
  ),
  s as (
    select q.id,
      coalesce(sum(a.n) filter (where a.value_key in ('1', '2', '3', '4', '5')), 0) as nv,
      coalesce(sum(a.n) filter (where a.value_key = '9'), 0) as ndk,
      sum(a.sum_w) filter (where a.value_key in ('1', '2', '3', '4', '5')) as sw,
      sum(a.sum_w2) filter (where a.value_key in ('1', '2', '3', '4', '5')) as sw2,
      coalesce(sum(a.sum_w) filter (where a.value_key in ('4', '5')), 0) as swsat,
      sum(a.sum_w * a.value_key::numeric) filter (where a.value_key in ('1', '2', '3', '4', '5')) as swv
    from q
    left join private.answer_aggregates a
      on a.wave_id = p_wave_id and a.question_id = q.id and a.district = p_district
    group by q.id
  ),
  f as (
    select s.id, s.nv::bigint as nv, s.ndk::bigint as ndk,
      case when s.nv > 0 then (s.sw * s.sw / s.sw2)::double precision else 0 end as n_eff,
      case when s.nv > 0 then (s.swsat / s.sw)::double precision end as p,
      case when s.nv > 0 then (s.swv / s.sw)::double precision end as mean
    from s
  )
  select f.id, f.nv, f.ndk, f.n_eff, f.p, f.mean,
    case when f.nv > 0 then 1.96 * sqrt(f.p * (1 - f.p) / f.n_eff) end
  from f;
end;
$$;

create function private.importance_links(p_survey_id uuid, p_version integer)
returns table (question_id uuid, importance_question_id uuid, option_key text)
language plpgsql
stable
rows 20
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  with scaled as (
    select q.id, q.key, q.service_category
    from public.questions q
    where q.survey_id = p_survey_id and q.kind in ('satisfaction5', 'rating5')
      and q.first_version <= p_version and (q.last_version is null or q.last_version >= p_version)
  ),
  opts as (
    select iq.id as iq_id, iq.position, iq.key as iq_key, o.ord, o.opt ->> 'key' as opt_key
    from public.questions iq
    cross join lateral jsonb_array_elements(iq.options) with ordinality o(opt, ord)
    where iq.survey_id = p_survey_id and iq.kind = 'importance_top3'
      and iq.first_version <= p_version and (iq.last_version is null or iq.last_version >= p_version)
  ),
  candidates as (
    select o.*, coalesce(
      (select s.id from scaled s where s.key = o.opt_key),
      (select min(s.id::text)::uuid from scaled s where s.service_category = o.opt_key
       having count(*) = 1)
    ) as target
    from opts o
  )
  select distinct on (c.target) c.target, c.iq_id, c.opt_key
  from candidates c
  where c.target is not null
  order by c.target, c.position, c.iq_key, c.ord;
end;
$$;
comment on function private.importance_links(uuid, integer) is
  'Which importance_top3 option ranks which 5-point question within one version of a survey (same rule as $lib/scoring importanceLinks).';
revoke execute on function private.importance_links(uuid, integer) from public;

create or replace function private.question_scores(p_wave_id uuid, p_district text) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  v_all boolean := private.sees_all_scores();
  v_min integer;
  v_wave public.survey_waves;
  v_prev public.survey_waves;
  v_prev_visible boolean;
  v_district text := nullif(btrim(p_district), '');
  v_d text;
  v_resp private.respondent_aggregates;
  v_resp_neff double precision;
  v_result jsonb;
begin
  if p_wave_id is null then
    raise exception using errcode = '22023', message = 'question_scores needs "p_wave_id" (a survey wave id)';
  end if;
  if v_district is not null and char_length(v_district) > 64 then
    raise exception using errcode = '22023', message = '"p_district" is at most 64 characters';
  end if;
  v_d := coalesce(v_district, '');
  -- Public: at least 30 people in a cell (PUBLIC_MIN_N); staff: at least one.
  v_min := case when v_all then 1 else 30 end;

  select * into v_wave from public.survey_waves w where w.id = p_wave_id;
  if not found then
    raise exception using errcode = 'PT404',
      message = format('Survey wave %s not found', p_wave_id),
      detail = 'wave_not_found';
  end if;
  if not v_all and not v_wave.results_published then
    raise exception using errcode = '42501',
      message = format('The results of survey wave "%s" are not published yet', v_wave.label),
      detail = 'results_not_published',
      hint = 'Only published waves have public results; staff sign in to see unpublished ones.';
  end if;

  -- The previous wave of the same survey (by opening time); its figures are compared only when
  -- the caller may see it too.
  select * into v_prev from public.survey_waves w
  where w.survey_id = v_wave.survey_id and w.opens_at < v_wave.opens_at
  order by w.opens_at desc, w.id
  limit 1;
  v_prev_visible := found and (v_all or v_prev.results_published);

  select * into v_resp from private.respondent_aggregates r
  where r.wave_id = v_wave.id and r.district = v_d;
  v_resp_neff := case when coalesce(v_resp.n, 0) > 0
    then (v_resp.sum_w * v_resp.sum_w / v_resp.sum_w2)::double precision end;

  -- materialized: each set is tiny (one row per question) and computed once; inlined, the
  -- planner may re-run the grouped aggregate per joined row.
  with cells as materialized (
    select * from private.satisfaction_cells(v_wave.id, v_d)
  ),
  prev as materialized (
    select * from private.satisfaction_cells(v_prev.id, v_d) where v_prev_visible
  ),
  links as materialized (
    select * from private.importance_links(v_wave.survey_id, v_wave.survey_version)
  ),
  scored as (
    select q.id, q.key, q.kind, q.prompt, q.service_category, q.position,
      c.n_valid, c.n_dont_know, c.n_eff, c.p_satisfied, c.mean, c.margin,
      c.n_valid >= v_min as visible,
      case when l.question_id is not null then
        coalesce((
          select (a.sum_w / nullif(v_resp.sum_w, 0))::double precision
          from private.answer_aggregates a
          where a.wave_id = v_wave.id and a.question_id = l.importance_question_id
            and a.district = v_d and a.value_key = l.option_key
        ), 0)
      end as importance,
      p.n_valid as prev_n, p.n_eff as prev_neff, p.p_satisfied as prev_p
    from cells c
    join public.questions q on q.id = c.question_id
    left join links l on l.question_id = q.id
    left join prev p on p.question_id = q.id
  ),
  rated as (
    select s.*,
      case when s.importance is not null and s.p_satisfied is not null
        then s.importance * (1 - s.p_satisfied) end as is_rating,
      -- Two-proportion z-test (pooled), only when both cells are visible and non-empty.
      case when s.visible and s.n_valid > 0 and s.prev_n >= v_min and s.prev_n > 0 then
        (s.prev_p * s.prev_neff + s.p_satisfied * s.n_eff) / (s.prev_neff + s.n_eff) end as pooled
    from scored s
  ),
  tested as (
    select r.*,
      case when r.pooled is not null then
        sqrt(r.pooled * (1 - r.pooled) * (1 / r.prev_neff + 1 / r.n_eff)) end as se
    from rated r
  ),
  z as (
    select t.*,
      case when t.se is null then null when t.se = 0 then 0::double precision
        else (t.p_satisfied - t.prev_p) / t.se end as z
    from tested t
  )
  select jsonb_build_object(
    'wave', jsonb_build_object('id', v_wave.id, 'label', v_wave.label, 'period', v_wave.period,
                               'results_published', v_wave.results_published),
    'district', v_district,
    'respondents', coalesce(v_resp.n, 0),
    'survey_margin', case when coalesce(v_resp.n, 0) >= v_min
      then 1.96 * sqrt(0.25 / v_resp_neff) end,
    'questions', coalesce(jsonb_agg(jsonb_build_object(
      'question_id', z.id,
      'key', z.key,
      'kind', z.kind,
      'prompt', z.prompt,
      'service_category', z.service_category,
      'n_valid', z.n_valid,
      'n_dont_know', z.n_dont_know,
      'n_effective', case when z.visible or z.n_valid = 0 then z.n_eff end,
      'percent_satisfied', case when z.visible then z.p_satisfied end,
      'mean', case when z.visible then z.mean end,
      'margin', case when z.visible then z.margin end,
      -- Importance is a share of the respondents in scope (not of the item's valid answers):
      -- it is shown whenever that base is large enough, even for an item nobody could rate.
      'importance', case when coalesce(v_resp.n, 0) >= v_min then z.importance end,
      'is_rating', case when z.visible then z.is_rating end,
      'is_band', case when z.visible and z.is_rating is not null then
        case when round(z.is_rating::numeric, 9) >= 0.20 then 'very_high'
             when round(z.is_rating::numeric, 9) >= 0.10 then 'high'
             else 'medium' end end,
      'suppressed', not v_all and z.n_valid < v_min,
      'warning', case when z.n_valid >= v_min and z.n_valid < 100 then 'small_sample' end,
      'change', case when z.z is not null then jsonb_build_object(
        'wave_id', v_prev.id,
        'label', v_prev.label,
        'percent_satisfied', z.prev_p,
        'n_valid', z.prev_n,
        'delta', z.p_satisfied - z.prev_p,
        'z', z.z,
        'p_value', case when z.se = 0 then 1::double precision
          else least(1, 2 * (1 - private.normal_cdf(abs(z.z)))) end,
        'significant', abs(z.z) > 1.96
      ) end
    ) order by z.position, z.key), '[]'::jsonb),
    -- The I-S matrix split lines: unweighted means over the items shown with both figures.
    'matrix', jsonb_build_object(
      'mean_importance', avg(z.importance) filter (
        where z.visible and z.importance is not null and z.p_satisfied is not null),
      'mean_satisfaction', avg(z.p_satisfied) filter (
        where z.visible and z.importance is not null and z.p_satisfied is not null)
    )
  ) into v_result
  from z;
  return v_result;
end;
$$;

create or replace function private.import_one_response(p_item jsonb) returns jsonb
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
  perform private.lock_survey(v_wave.survey_id, true);
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
    where not exists (select 1 from public.questions q where q.survey_id = v_survey.id
      and q.first_version <= v_wave.survey_version
      and (q.last_version is null or q.last_version >= v_wave.survey_version) and q.key = k)
    order by k
  loop
    v_errors := v_errors || jsonb_build_array(jsonb_build_object(
      'question', v_key, 'message', 'Unknown question for this survey'));
  end loop;

  for v_question in
    select q.* from public.questions q
    where q.survey_id = v_survey.id
      and q.first_version <= v_wave.survey_version
      and (q.last_version is null or q.last_version >= v_wave.survey_version) and v_answers ? q.key
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
    where q.survey_id = v_survey.id
      and q.first_version <= v_wave.survey_version
      and (q.last_version is null or q.last_version >= v_wave.survey_version) and v_answers ? q.key;
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
