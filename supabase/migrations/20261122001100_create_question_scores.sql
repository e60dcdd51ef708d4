-- question_scores(p_wave_id, p_district): per satisfaction5 / rating5 question of a wave (and
-- optionally one council district) the figures of DESIGN §6, read from the aggregates of the
-- previous migration. The definitions are those of src/lib/scoring (see its index.ts); the
-- parity test src/lib/scoring/sql-parity.test.ts checks both give the same numbers to 1e-9.
--
-- Who sees what (trust boundary; the function is SECURITY DEFINER because nobody outside staff
-- may read answers, yet the public may read published, non-small aggregate figures):
--   * staff of any role and the service role: every wave, every cell, with small-sample warnings;
--   * everyone else (anon, residents): only waves with results_published, and a cell's figures
--     only when its n valid is at least 30 — otherwise the cell is `suppressed` with its figures
--     null (absent, never zero-filled). A district breakdown is therefore shown cell by cell.
--     Importance rests on the respondents in scope, so it needs at least 30 respondents.

-- The set-returning helpers are plpgsql (return query), not SQL functions: with the pinned
-- search_path a SQL function is re-planned on every call; plpgsql caches its plans.

-- Standard normal Φ(z) via erfc, W. J. Cody / Numerical Recipes `erfcc`, exactly as
-- $lib/scoring/stats.ts computes it (so p-values agree to the last bits, not just to 1e-7).
create function private.normal_cdf(p_z double precision) returns double precision
language sql
immutable
parallel safe
set search_path = ''
as $$
  with a as (select abs(p_z) / sqrt(2::double precision) as z, p_z >= 0 as nonneg),
  b as (select a.z, a.nonneg, 1 / (1 + 0.5 * a.z) as t from a),
  c as (
    select b.nonneg, b.t * exp(
      -b.z * b.z - 1.26551223 + b.t * (1.00002368 + b.t * (0.37409196 + b.t * (0.09678418
      + b.t * (-0.18628806 + b.t * (0.27886807 + b.t * (-1.13520398 + b.t * (1.48851587
      + b.t * (-0.82215223 + b.t * 0.17087277))))))))) as r
    from b
  )
  select 1 - 0.5 * case when c.nonneg then c.r else 2 - c.r end from c
$$;
comment on function private.normal_cdf(double precision) is
  'Standard normal CDF (erfc approximation, |error| < 1.2e-7), identical to $lib/scoring normalCdf.';

-- Whether the caller sees everything: staff of any role, or the service role (server tooling).
create function private.sees_all_scores() returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(auth.jwt() ->> 'role', '') = 'service_role' or private.is_staff()
$$;
comment on function private.sees_all_scores() is
  'True for staff (any role) and the service role: they see unpublished waves and small cells.';

-- The satisfaction figures of every satisfaction5 / rating5 question of a wave's survey, for
-- one district ('' = the whole wave). n_eff is (Σw)²/Σw² computed in numeric, so equal weights
-- give exactly n_valid. p, mean: weighted. Everything null (n_eff 0) when n_valid = 0.
create function private.satisfaction_cells(p_wave_id uuid, p_district text)
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
comment on function private.satisfaction_cells(uuid, text) is
  'Per 5-point question of the wave''s survey: n valid, n don''t know, Kish n_eff, weighted % satisfied, mean, 95% margin, for one district ('''' = all).';

-- Links importance_top3 options to the 5-point items they rank (the rule of $lib/scoring
-- importanceLinks): an option whose key is a 5-point question's key ranks it; otherwise an
-- option whose key is the service_category of exactly one 5-point question ranks that one. The
-- first link in survey order (importance question position, then option order) wins.
create function private.importance_links(p_survey_id uuid)
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
  ),
  opts as (
    select iq.id as iq_id, iq.position, iq.key as iq_key, o.ord, o.opt ->> 'key' as opt_key
    from public.questions iq
    cross join lateral jsonb_array_elements(iq.options) with ordinality o(opt, ord)
    where iq.survey_id = p_survey_id and iq.kind = 'importance_top3'
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
comment on function private.importance_links(uuid) is
  'Which importance_top3 option ranks which 5-point question of a survey (same rule as $lib/scoring importanceLinks).';

-- jit = off: the plan is over a few dozen aggregate rows, but the planner's default estimates
-- for set-returning functions can cross jit_above_cost, and compiling then costs seconds.
create function private.question_scores(p_wave_id uuid, p_district text) returns jsonb
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
    select * from private.importance_links(v_wave.survey_id)
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

create function public.question_scores(p_wave_id uuid, p_district text default null) returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select private.question_scores(p_wave_id, p_district)
$$;
comment on function public.question_scores(uuid, text) is
  'Scores of every satisfaction5/rating5 question of a wave (optionally one district): n valid, % satisfied (don''t know excluded), mean, 95% margin (Kish n), importance, I-S rating and band, change vs the previous wave (two-proportion z). Public: published waves only, cells under n = 30 suppressed. PT404 unknown wave, 42501 unpublished.';

revoke execute on function private.normal_cdf(double precision) from public;
revoke execute on function private.sees_all_scores() from public;
revoke execute on function private.satisfaction_cells(uuid, text) from public;
revoke execute on function private.importance_links(uuid) from public;
revoke execute on function private.question_scores(uuid, text) from public;
revoke execute on function public.question_scores(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.question_scores(uuid, text) to anon, authenticated, service_role;
