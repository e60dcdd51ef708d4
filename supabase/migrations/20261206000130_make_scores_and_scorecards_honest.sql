-- Honest figures in question_scores, public_scorecard and staff_scorecard (contract:
-- src/lib/domain/scorecard.ts; the same rules in TypeScript: $lib/scoring/target-status.ts,
-- checked against these functions by a property test on both engines).
--
-- 1. Figures are compared as they are published. A scorecard shows a percent figure to 0.1
--    point and other figures to 2 decimals, so value, margin and target are rounded to that
--    precision (private.published_figure) before the status is decided: a card that reads
--    "76.0 %, target 76.0 %" is met, and what a reader sees always decides the status.
--    question_scores keeps full precision (the parity tests compare it with $lib/scoring to
--    1e-9); the status it reports beside a target uses the published figures.
-- 2. Status needs enough people. No status is given below n = 30 (the public threshold; the
--    status is 'too_few' for staff, while the public never sees such a figure), and 30 ≤ n < 100
--    carries warning 'small_sample'.
-- 3. A wave that has not closed is "in progress": its running tally is never a trend point,
--    never the latest value, never judged against a target and never public. Staff see it
--    separately as `in_progress` {period, label, n} on the measure card, and question_scores
--    marks the wave `in_progress` and gives no change test and no status for it.
-- 4. Samples are never pooled (previous migration): every figure reads one sample,
--    private.wave_sample(mode) unless question_scores is asked for the other one of a 'both' wave.
-- 5. A change is tested against the previous *closed* wave the caller may see that took the
--    same sample (for the public: the previous published one).
-- 6. A narrative is shown only beside a figure of its own period, and carries its period.
-- 7. Both scorecards take p_district: survey measures then read that council district's cells
--    (same thresholds); stored values (operational actuals, imported history) have no district
--    breakdown and are absent.
-- 8. Survey versions (20261206000125): a wave lists and links only the questions of the version
--    it fielded, so an old wave never shows a revision it never asked, and importance options
--    link within one version.
-- 9. Speed: the per-measure and per-question helpers run one planned query per call, with
--    different arguments each time. PostgreSQL's default plan cache keeps re-planning such
--    queries (custom plans), which costs more than running them; `plan_cache_mode =
--    force_generic_plan` plans each once per session. private.scorecard itself keeps custom
--    plans: its one query benefits from knowing p_all (bench: `npm run bench -- --only scores`,
--    against the functions before this change, interleaved in the same run).

-- ---------------------------------------------------------------------------------------------
-- Publishing precision and status.
--
-- These small helpers are called for every trend point of every measure, so they are written to
-- be inlined by the planner: plain SQL expressions with no SET clause (a SET clause, like a
-- pinned search_path, prevents inlining and costs a function call per row). They reference only
-- built-ins, which resolve in pg_catalog before anything on the search path, and schema-
-- qualified private objects; none is SECURITY DEFINER or callable by the API roles.

create function private.published_figure(p_value numeric, p_unit text) returns numeric
language sql
immutable
parallel safe
as $$
  select round(p_value, case when p_unit = 'percent' then 3 else 2 end)
$$;
comment on function private.published_figure(numeric, text) is
  'A figure as the scorecard publishes it: percent proportions to 3 decimals (0.1 point), other units to 2. Same as $lib/scoring publishedFigure.';

-- Below this many people a survey figure gets no status (and the public never sees it).
create function private.status_min_n() returns integer
language sql
immutable
parallel safe
as $$ select 30 $$;

-- The status of a published figure: 'too_few' under 30 people, else target_status.
create function private.figure_status(
  p_value numeric, p_margin numeric, p_target numeric, p_direction text, p_n bigint
) returns text
language sql
immutable
parallel safe
as $$
  select case
    when p_value is null then 'no_data'
    when p_n is not null and p_n < 30 then 'too_few'
    when p_target is null then 'no_target'
    when p_direction = 'higher' then case
      when round(p_value, 9) >= round(p_target, 9) then 'met'
      when round((p_value::double precision + coalesce(p_margin, 0)::double precision)::numeric, 9)
        >= round(p_target, 9) then 'within_margin'
      else 'not_met' end
    else case
      when round(p_value, 9) <= round(p_target, 9) then 'met'
      when round((p_value::double precision - coalesce(p_margin, 0)::double precision)::numeric, 9)
        <= round(p_target, 9) then 'within_margin'
      else 'not_met' end
  end
$$;
comment on function private.figure_status(numeric, numeric, numeric, text, bigint) is
  'met / within_margin / not_met / no_target / no_data, and too_few under 30 people (status_min_n); inputs are published figures. The rule of private.target_status, inlined; same as $lib/scoring figureStatus.';

-- ---------------------------------------------------------------------------------------------
-- question_scores

drop function public.question_scores(uuid, text);
drop function private.question_scores(uuid, text);
drop function private.satisfaction_cells(uuid, text);
drop function private.importance_links(uuid);

create function private.satisfaction_cells(p_wave_id uuid, p_district text, p_sample text)
returns table (
  question_id uuid, n_valid bigint, n_dont_know bigint, n_eff double precision,
  p_satisfied double precision, mean double precision, margin double precision
)
language plpgsql
stable
rows 40
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
  return query
  with q as (
    select q.id
    from public.survey_waves w
    join public.questions q on q.survey_id = w.survey_id
      and private.in_version(q.first_version, q.last_version, w.survey_version)
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
        and a.sample = p_sample
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
comment on function private.satisfaction_cells(uuid, text, text) is
  'Per 5-point question of the wave''s survey, one sample (invited/open): n valid, n don''t know, Kish n_eff, weighted % satisfied, mean, 95% margin, for one district ('''' = all).';

-- Links importance_top3 options to the 5-point items they rank, within one survey version (the
-- rule of $lib/scoring importanceLinks): an option whose key is a 5-point question's key ranks
-- it; otherwise an option whose key is the service_category of exactly one 5-point question
-- ranks that one. The first link in survey order (importance question position, then option
-- order) wins.
create function private.importance_links(p_survey_id uuid, p_version integer)
returns table (question_id uuid, importance_question_id uuid, option_key text)
language plpgsql
stable
rows 20
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
  return query
  with scaled as (
    select q.id, q.key, q.service_category
    from public.questions q
    where q.survey_id = p_survey_id and q.kind in ('satisfaction5', 'rating5')
      and private.in_version(q.first_version, q.last_version, p_version)
  ),
  opts as (
    select iq.id as iq_id, iq.position, iq.key as iq_key, o.ord, o.opt ->> 'key' as opt_key
    from public.questions iq
    cross join lateral jsonb_array_elements(iq.options) with ordinality o(opt, ord)
    where iq.survey_id = p_survey_id and iq.kind = 'importance_top3'
      and private.in_version(iq.first_version, iq.last_version, p_version)
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

-- Whether a wave is still collecting (not yet closed): its figures are a running tally.
create function private.wave_in_progress(p_closes_at timestamptz) returns boolean
language sql
stable
parallel safe
as $$
  select p_closes_at is null or p_closes_at > now()
$$;

-- The survey measure a question is the scale of, as the caller may see it, with the target for
-- a period: what the thank-you screen and the staff overview show beside a score.
create function private.question_measure(p_question_id uuid, p_period text, p_all boolean)
returns table (measure_id uuid, key text, goal_key text, direction text, target numeric, target_period text)
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
  return query
  select m.id, m.key, g.key, m.direction,
    private.published_figure(t.value, m.unit), t.period
  from public.measures m
  join public.goals g on g.id = m.goal_id
  left join lateral private.target_for(m.id, p_period, p_all) t on true
  where m.question_id = p_question_id and m.kind = 'survey'
    and (p_all or (m.published and g.published))
  order by g.position, m.position, m.key
  limit 1;
end;
$$;

create function private.question_scores(p_wave_id uuid, p_district text, p_sample text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
  v_all boolean := private.sees_all_scores();
  v_min integer;
  v_wave public.survey_waves;
  v_prev public.survey_waves;
  v_prev_visible boolean;
  v_in_progress boolean;
  v_district text := nullif(btrim(p_district), '');
  v_sample text := nullif(btrim(p_sample), '');
  v_samples text[];
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
  v_min := case when v_all then 1 else private.status_min_n() end;

  select * into v_wave from public.survey_waves w where w.id = p_wave_id;
  if not found then
    raise exception using errcode = 'PT404',
      message = format('Survey wave %s not found', p_wave_id),
      detail = 'wave_not_found';
  end if;
  v_in_progress := private.wave_in_progress(v_wave.closes_at);
  if not v_all and (not v_wave.results_published or v_in_progress) then
    raise exception using errcode = '42501',
      message = format('The results of survey wave "%s" are not published yet', v_wave.label),
      detail = 'results_not_published',
      hint = 'Only published waves have public results; staff sign in to see unpublished ones.';
  end if;

  v_samples := case v_wave.mode when 'both' then array['invited', 'open'] else array[v_wave.mode] end;
  if v_sample is null then
    v_sample := private.wave_sample(v_wave.mode);
  elsif not (v_sample = any (v_samples)) then
    raise exception using errcode = '22023',
      message = format('Wave "%s" has no "%s" sample; its samples: %s', v_wave.label, v_sample,
        array_to_string(v_samples, ', ')),
      detail = 'unknown_sample';
  end if;

  -- The previous closed wave of the same survey that took the same sample (by opening time);
  -- its figures are compared only when the caller may see it too.
  select * into v_prev from public.survey_waves w
  where w.survey_id = v_wave.survey_id and w.opens_at < v_wave.opens_at
    and not private.wave_in_progress(w.closes_at)
    and (w.mode = v_sample or w.mode = 'both')
    and (v_all or w.results_published)
  order by w.opens_at desc, w.id
  limit 1;
  v_prev_visible := found and not v_in_progress;

  select * into v_resp from private.respondent_aggregates r
  where r.wave_id = v_wave.id and r.district = v_d and r.sample = v_sample;
  v_resp_neff := case when coalesce(v_resp.n, 0) > 0
    then (v_resp.sum_w * v_resp.sum_w / v_resp.sum_w2)::double precision end;

  -- materialized: each set is tiny (one row per question) and computed once; inlined, the
  -- planner may re-run the grouped aggregate per joined row.
  with cells as materialized (
    select * from private.satisfaction_cells(v_wave.id, v_d, v_sample)
  ),
  prev as materialized (
    select * from private.satisfaction_cells(v_prev.id, v_d, v_sample) where v_prev_visible
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
            and a.district = v_d and a.sample = v_sample and a.value_key = l.option_key
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
        else (t.p_satisfied - t.prev_p) / t.se end as z,
      qm.key as m_key, qm.goal_key as m_goal_key, qm.direction as m_direction,
      qm.target as m_target, qm.target_period as m_target_period
    from tested t
    left join lateral private.question_measure(t.id, v_wave.period, v_all) qm on true
  )
  select jsonb_build_object(
    'wave', jsonb_build_object('id', v_wave.id, 'label', v_wave.label, 'period', v_wave.period,
                               'mode', v_wave.mode,
                               'results_published', v_wave.results_published,
                               'in_progress', v_in_progress),
    'district', v_district,
    'sample', v_sample,
    'samples', to_jsonb(v_samples),
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
      ) end,
      -- The survey measure this question is the scale of, its target for the wave's period and
      -- the status of the published figure (none while the wave is in progress).
      'measure', case when z.m_key is not null then jsonb_build_object(
        'key', z.m_key,
        'goal_key', z.m_goal_key,
        'direction', z.m_direction,
        'target', z.m_target,
        'target_period', z.m_target_period,
        'status', case when v_in_progress then null else private.figure_status(
          case when z.visible then private.published_figure(z.p_satisfied::numeric, 'percent') end,
          private.published_figure(z.margin::numeric, 'percent'),
          z.m_target, z.m_direction, z.n_valid) end
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

create function public.question_scores(
  p_wave_id uuid, p_district text default null, p_sample text default null
) returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select private.question_scores(p_wave_id, p_district, p_sample)
$$;
comment on function public.question_scores(uuid, text, text) is
  'Scores of every satisfaction5/rating5 question of a wave (optionally one district), from one sample (default: the wave''s own; invited for mode both; p_sample open for the open-link sample): n valid, % satisfied (proportion 0..1, don''t know excluded), mean, 95% margin (Kish n), importance, I-S rating and band, change vs the previous closed wave of the same sample (two-proportion z), and the linked survey measure with its target and status. Public: published, closed waves only, cells under n = 30 suppressed. PT404 unknown wave, 42501 unpublished.';

-- ---------------------------------------------------------------------------------------------
-- Scorecards

drop function public.public_scorecard(text);
drop function public.staff_scorecard(text);
drop function private.scorecard(text, boolean);
drop function private.measure_card(public.measures, boolean, text);
drop function private.measure_points(uuid, boolean, date);

-- Every visible point of a measure up to p_until (null = no limit), one per period, plus the
-- in-progress tallies of waves that have not closed (staff only; never a trend point).
create function private.measure_points(
  p_measure_id uuid, p_all boolean, p_until date, p_district text
)
returns table (
  period text, value double precision, margin double precision, n bigint,
  in_progress boolean, sample text, label text
)
language plpgsql
stable
rows 12
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
declare
  v_d text := coalesce(p_district, '');
begin
  return query
  with m as (
    select * from public.measures where id = p_measure_id
  ),
  waves as (
    select w.id, w.period::text as period, w.opens_at, w.label, q.id as question_id,
      private.wave_sample(w.mode) as sample,
      private.wave_in_progress(w.closes_at) as in_progress
    from m
    join public.questions q on q.id = m.question_id
    join public.survey_waves w on w.survey_id = q.survey_id
    where m.kind = 'survey'
      and w.opens_at <= now()
      and (p_all or (w.results_published and not private.wave_in_progress(w.closes_at)))
      and (p_until is null or private.period_end(w.period) <= p_until)
  ),
  wave_sums as (
    select w.id, w.period, w.opens_at, w.label, w.sample, w.in_progress,
      coalesce(sum(a.n) filter (where a.value_key in ('1', '2', '3', '4', '5')), 0) as nv,
      sum(a.sum_w) filter (where a.value_key in ('1', '2', '3', '4', '5')) as sw,
      sum(a.sum_w2) filter (where a.value_key in ('1', '2', '3', '4', '5')) as sw2,
      coalesce(sum(a.sum_w) filter (where a.value_key in ('4', '5')), 0) as swsat
    from waves w
    -- A closed wave reads its own sample. An open wave's tally is only ever reported as a head
    -- count of responses so far (never a value), so it counts every sample.
    left join private.answer_aggregates a
      on a.wave_id = w.id and a.question_id = w.question_id and a.district = v_d
        and (a.sample = w.sample or w.in_progress)
    group by w.id, w.period, w.opens_at, w.label, w.sample, w.in_progress
  ),
  wave_points as (
    -- One closed wave per period (the latest), and the latest in-progress wave per period.
    select distinct on (s.period, s.in_progress) s.period, s.in_progress, s.sample, s.label,
      (s.swsat / s.sw)::double precision as p,
      (s.sw * s.sw / s.sw2)::double precision as n_eff,
      s.nv
    from wave_sums s
    -- Public: a survey figure needs at least 30 people (suppressed points are absent).
    where s.nv >= case when p_all then 1 else private.status_min_n() end
    order by s.period, s.in_progress, s.opens_at desc
  ),
  value_points as (
    select v.period::text as period, v.value::double precision as value,
      v.margin::double precision as margin, v.n::bigint as n
    from m
    join public.measure_values v on v.measure_id = m.id
    where p_district is null
      and (p_all or v.published)
      and (p_until is null or private.period_end(v.period) <= p_until)
      -- Imported survey scores follow the same small-cell rule when their n is known.
      and (p_all or m.kind <> 'survey' or v.n is null or v.n >= private.status_min_n())
  )
  select w.period, w.p, 1.96 * sqrt(w.p * (1 - w.p) / w.n_eff), w.nv::bigint, w.in_progress,
    w.sample, w.label
  from wave_points w
  union all
  select v.period, v.value, v.margin, v.n, false, null::text, null::text
  from value_points v
  where not exists (select 1 from wave_points w where w.period = v.period and not w.in_progress);
end;
$$;
comment on function private.measure_points(uuid, boolean, date, text) is
  'A measure''s points up to a date: closed survey waves'' % satisfied from the wave''s own sample (n ≥ 30 for the public), measure_values (not by district), and staff-only in-progress tallies.';

create function private.measure_card(
  p_measure public.measures, p_all boolean, p_period text, p_district text
)
returns jsonb
language plpgsql
stable
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
  v_until date := private.period_end(p_period);
  v_trend jsonb;
  v_progress jsonb;
  v_last record;
  v_target record;
  v_target_period text;
  v_question_key text;
  v_narrative record;
begin
  -- Trend: closed points only, each as published with its own target and status.
  select coalesce(jsonb_agg(jsonb_build_object(
      'period', x.period, 'value', x.value, 'margin', x.margin, 'n', x.n,
      'target', x.target, 'sample', x.sample,
      'status', private.figure_status(x.value, x.margin, x.target, p_measure.direction, x.n)
    ) order by private.period_sort_key(x.period)) filter (where not x.in_progress), '[]'::jsonb),
    (array_agg(jsonb_build_object('period', x.period, 'label', x.label, 'n', x.n)
       order by private.period_sort_key(x.period) desc) filter (where x.in_progress))[1]
  into v_trend, v_progress
  from (
    select p.period, p.in_progress, p.sample, p.label, p.n,
      private.published_figure(p.value::numeric, p_measure.unit) as value,
      private.published_figure(p.margin::numeric, p_measure.unit) as margin,
      private.published_figure(t.value, p_measure.unit) as target
    from private.measure_points(p_measure.id, p_all, v_until, p_district) p
    left join lateral private.target_for(p_measure.id, p.period, p_all) t on true
    -- A fence: each point's figures are computed once, not once per use in the aggregate.
    offset 0
  ) x;

  -- The latest point is the trend's last (one pass over the points, not two).
  select (e ->> 'period') as period, (e ->> 'value')::numeric as value,
         (e ->> 'margin')::numeric as margin, (e ->> 'n')::bigint as n,
         (e ->> 'target')::numeric as target, e ->> 'status' as status
  into v_last
  from (select v_trend -> -1 as e) x
  where jsonb_array_length(v_trend) > 0;

  -- The target shown: for the latest value's period; without a value, for the period asked
  -- about, else the latest visible target.
  v_target_period := coalesce(v_last.period, p_period, (
    select t.period from public.targets t
    where t.measure_id = p_measure.id and (p_all or t.published)
    order by private.period_sort_key(t.period) desc limit 1));
  select * into v_target from private.target_for(p_measure.id, v_target_period, p_all);

  select q.key into v_question_key from public.questions q where q.id = p_measure.question_id;

  -- A narrative explains the figure of its own period: the latest value's period, or without a
  -- value the period asked about. Never one period's note beside another period's figure.
  select n.body, n.period::text as period into v_narrative
  from public.narratives n
  where n.measure_id = p_measure.id and (p_all or n.published)
    and n.period = coalesce(v_last.period, p_period);

  return jsonb_build_object(
    'id', p_measure.id,
    'key', p_measure.key,
    'name', p_measure.name,
    'description', p_measure.description,
    'unit', p_measure.unit,
    'direction', p_measure.direction,
    'kind', p_measure.kind,
    'question_key', v_question_key,
    'period', v_last.period,
    'value', v_last.value,
    'margin', v_last.margin,
    'n', v_last.n,
    'target', private.published_figure(v_target.value, p_measure.unit),
    'target_period', v_target.period,
    'status', coalesce(v_last.status, private.figure_status(null, null, v_target.value, p_measure.direction, null)),
    'warning', case when v_last.n >= private.status_min_n() and v_last.n < 100 then 'small_sample' end,
    'in_progress', case when p_all then v_progress end,
    'trend', v_trend,
    'narrative', v_narrative.body,
    'narrative_period', v_narrative.period,
    'published', p_measure.published
  );
end;
$$;

create function private.scorecard(p_period text, p_all boolean, p_district text) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  v_period text := nullif(btrim(p_period), '');
  v_district text := nullif(btrim(p_district), '');
  v_until date;
begin
  if v_period is not null and v_period !~ '^[0-9]{4}(-Q[1-4])?$' then
    raise exception using errcode = '22023',
      message = format('"p_period" must be a year such as 2026 or a quarter such as 2026-Q3 (got "%s")', p_period);
  end if;
  if v_district is not null and char_length(v_district) > 64 then
    raise exception using errcode = '22023', message = '"p_district" is at most 64 characters';
  end if;
  v_until := private.period_end(v_period);

  return jsonb_build_object(
    'period', v_period,
    'district', v_district,
    'generated_at', now(),
    'goal_areas', coalesce((
      select jsonb_agg(area.card order by area.position, area.key)
      from (
        select ga.position, ga.key, jsonb_build_object(
          'id', ga.id,
          'key', ga.key,
          'name', ga.name,
          'description', ga.description,
          'goals', coalesce(goals.list, '[]'::jsonb)
        ) as card, goals.list
        from public.goal_areas ga
        cross join lateral (
          select jsonb_agg(jsonb_build_object(
              'id', g.id,
              'key', g.key,
              'title', g.title,
              'description', g.description,
              'narrative', gn.body,
              'narrative_period', gn.period,
              'measures', coalesce((
                select jsonb_agg(private.measure_card(m, p_all, v_period, v_district)
                                 order by m.position, m.key)
                from public.measures m
                where m.goal_id = g.id and (p_all or m.published)
              ), '[]'::jsonb)
            ) order by g.position, g.key) as list
          from public.goals g
          -- A goal's narrative: the one for the period asked, else the latest up to it; it
          -- always carries its own period.
          left join lateral (
            select n.body, n.period::text as period from public.narratives n
            where n.goal_id = g.id and (p_all or n.published)
              and (v_until is null or private.period_end(n.period) <= v_until)
            order by (n.period = v_period) desc nulls last, private.period_sort_key(n.period) desc
            limit 1
          ) gn on true
          where g.goal_area_id = ga.id and (p_all or g.published)
        ) goals
      ) area
      -- The public sees the areas that have something published; staff see every area.
      where p_all or area.list is not null
    ), '[]'::jsonb)
  );
end;
$$;

create function public.public_scorecard(p_period text default null, p_district text default null)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select private.scorecard(p_period, false, p_district)
$$;
comment on function public.public_scorecard(text, text) is
  'The public scorecard (TScorecard): published goal areas → goals → measures with the latest published value ± margin (percent figures are proportions 0..1), n, target, status (met/not_met/within_margin/no_target/no_data), trend and the narrative of the value''s period, up to p_period (a year or quarter; null = latest), optionally for one council district (survey measures only). Survey figures under 30 people and waves that are still open are absent.';

create function public.staff_scorecard(p_period text default null, p_district text default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff_for_scorecard();
  return private.scorecard(p_period, true, p_district);
end;
$$;
comment on function public.staff_scorecard(text, text) is
  'Staff (any role) or the service role: the scorecard including unpublished goals, measures, targets, values, narratives and waves, small cells (status too_few under 30, warning small_sample under 100) and in-progress tallies of open waves (never judged). 42501 for everyone else.';

revoke execute on function private.published_figure(numeric, text) from public;
revoke execute on function private.status_min_n() from public;
revoke execute on function private.figure_status(numeric, numeric, numeric, text, bigint) from public;
revoke execute on function private.satisfaction_cells(uuid, text, text) from public;
revoke execute on function private.wave_in_progress(timestamptz) from public;
revoke execute on function private.importance_links(uuid, integer) from public;
revoke execute on function private.question_measure(uuid, text, boolean) from public;
revoke execute on function private.question_scores(uuid, text, text) from public;
revoke execute on function private.measure_points(uuid, boolean, date, text) from public;
revoke execute on function private.measure_card(public.measures, boolean, text, text) from public;
revoke execute on function private.scorecard(text, boolean, text) from public;
revoke execute on function public.question_scores(uuid, text, text) from public, anon, authenticated, service_role;
revoke execute on function public.public_scorecard(text, text) from public, anon, authenticated, service_role;
revoke execute on function public.staff_scorecard(text, text) from public, anon, authenticated, service_role;
grant execute on function public.question_scores(uuid, text, text) to anon, authenticated, service_role;
grant execute on function public.public_scorecard(text, text) to anon, authenticated, service_role;
-- anon too: a caller without a session gets the clear 42501 message, not a bare denial.
grant execute on function public.staff_scorecard(text, text) to anon, authenticated, service_role;
