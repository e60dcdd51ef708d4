-- The scorecard functions as they were before 20261206000130 (from
-- 20261122001200_create_scorecards.sql at commit 9dada9b), in a schema of their own, for one
-- purpose only: `npm run bench -- --only scores` times them beside today's functions on the
-- same data in the same run, so "stay within 10 % of today's figures" is a ratio measured on
-- one machine at one time, not a comparison with numbers from another day. Never applied to a
-- real database; not a migration.
create schema if not exists bench_before;

-- Every visible point of a measure up to p_until (null = no limit), one per period.
create function bench_before.measure_points(p_measure_id uuid, p_all boolean, p_until date)
returns table (period text, value double precision, margin double precision, n bigint)
language plpgsql
stable
rows 12
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  with m as (
    select * from public.measures where id = p_measure_id
  ),
  wave_sums as (
    select w.id, w.period::text as period, w.opens_at,
      coalesce(sum(a.n) filter (where a.value_key in ('1', '2', '3', '4', '5')), 0) as nv,
      sum(a.sum_w) filter (where a.value_key in ('1', '2', '3', '4', '5')) as sw,
      sum(a.sum_w2) filter (where a.value_key in ('1', '2', '3', '4', '5')) as sw2,
      coalesce(sum(a.sum_w) filter (where a.value_key in ('4', '5')), 0) as swsat
    from m
    join public.questions q on q.id = m.question_id
    join public.survey_waves w on w.survey_id = q.survey_id
    left join private.answer_aggregates a
      on a.wave_id = w.id and a.question_id = q.id and a.district = ''
    where m.kind = 'survey'
      and (p_all or w.results_published)
      and (p_until is null or private.period_end(w.period) <= p_until)
    group by w.id, w.period, w.opens_at
  ),
  wave_points as (
    select distinct on (s.period) s.period,
      (s.swsat / s.sw)::double precision as p,
      (s.sw * s.sw / s.sw2)::double precision as n_eff,
      s.nv
    from wave_sums s
    -- Public: a survey figure needs at least 30 people (suppressed points are absent).
    where s.nv >= case when p_all then 1 else 30 end
    order by s.period, s.opens_at desc
  ),
  value_points as (
    select v.period::text as period, v.value::double precision as value,
      v.margin::double precision as margin, v.n::bigint as n
    from m
    join public.measure_values v on v.measure_id = m.id
    where (p_all or v.published)
      and (p_until is null or private.period_end(v.period) <= p_until)
      -- Imported survey scores follow the same small-cell rule when their n is known.
      and (p_all or m.kind <> 'survey' or v.n is null or v.n >= 30)
  )
  select w.period, w.p, 1.96 * sqrt(w.p * (1 - w.p) / w.n_eff), w.nv::bigint
  from wave_points w
  union all
  select v.period, v.value, v.margin, v.n
  from value_points v
  where not exists (select 1 from wave_points w where w.period = v.period);
end;
$$;

create function bench_before.measure_card(p_measure public.measures, p_all boolean, p_period text)
returns jsonb
language plpgsql
stable
set search_path = ''
set jit = off
as $$
declare
  v_until date := private.period_end(p_period);
  v_trend jsonb;
  v_last record;
  v_target record;
  v_target_period text;
  v_question_key text;
  v_narrative jsonb;
begin
  select coalesce(jsonb_agg(jsonb_build_object(
      'period', p.period, 'value', p.value, 'margin', p.margin, 'n', p.n,
      'target', (select t.value from private.target_for(p_measure.id, p.period, p_all) t)
    ) order by private.period_sort_key(p.period)), '[]'::jsonb)
  into v_trend
  from bench_before.measure_points(p_measure.id, p_all, v_until) p;

  -- The latest point is the trend's last (one pass over the points, not two).
  select (e ->> 'period') as period, (e ->> 'value')::double precision as value,
         (e ->> 'margin')::double precision as margin, (e ->> 'n')::bigint as n
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

  select n.body into v_narrative
  from public.narratives n
  where n.measure_id = p_measure.id and (p_all or n.published)
    and (n.period = v_last.period or v_until is null or private.period_end(n.period) <= v_until)
  order by (n.period = v_last.period) desc nulls last, private.period_sort_key(n.period) desc
  limit 1;

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
    'target', v_target.value,
    'target_period', v_target.period,
    'status', private.target_status(v_last.value, v_target.value, v_last.margin, p_measure.direction),
    'trend', v_trend,
    'narrative', v_narrative,
    'published', p_measure.published
  );
end;
$$;

create function bench_before.scorecard(p_period text, p_all boolean) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
set jit = off
as $$
declare
  v_period text := nullif(btrim(p_period), '');
  v_until date;
begin
  if v_period is not null and v_period !~ '^[0-9]{4}(-Q[1-4])?$' then
    raise exception using errcode = '22023',
      message = format('"p_period" must be a year such as 2026 or a quarter such as 2026-Q3 (got "%s")', p_period);
  end if;
  v_until := private.period_end(v_period);

  return jsonb_build_object(
    'period', v_period,
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
              'narrative', (
                select n.body from public.narratives n
                where n.goal_id = g.id and (p_all or n.published)
                  and (v_until is null or private.period_end(n.period) <= v_until)
                order by (n.period = v_period) desc nulls last, private.period_sort_key(n.period) desc
                limit 1),
              'measures', coalesce((
                select jsonb_agg(bench_before.measure_card(m, p_all, v_period) order by m.position, m.key)
                from public.measures m
                where m.goal_id = g.id and (p_all or m.published)
              ), '[]'::jsonb)
            ) order by g.position, g.key) as list
          from public.goals g
          where g.goal_area_id = ga.id and (p_all or g.published)
        ) goals
      ) area
      -- The public sees the areas that have something published; staff see every area.
      where p_all or area.list is not null
    ), '[]'::jsonb)
  );
end;
$$;

create function bench_before.public_scorecard(p_period text default null) returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select bench_before.scorecard(p_period, false)
$$;
comment on function bench_before.public_scorecard(text) is
  'The public scorecard (TScorecard): published goal areas → goals → measures with latest value ± margin, n, target, status (met/not_met/within_margin/no_target/no_data), trend and narrative, up to p_period (a year or quarter; null = latest). Survey figures under 30 people are absent.';

create function bench_before.staff_scorecard(p_period text default null) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff_for_scorecard();
  return bench_before.scorecard(p_period, true);
end;
$$;

grant usage on schema bench_before to anon, service_role;
grant execute on all functions in schema bench_before to anon, service_role;
