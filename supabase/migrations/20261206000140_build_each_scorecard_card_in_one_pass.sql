-- The scorecard's per-measure card in fewer calls (issue 8's speed budget: public_scorecard and
-- staff_scorecard within 10 % of the functions before "scorecard truth"; `npm run bench -- --only
-- scores`). Same output as 20261206000130's measure_card:
-- - the trend's last point already carries its target and that target's period, so the card no
--   longer looks the target up a second time when the measure has a value;
-- - each point's sort key is computed once, not once per aggregate;
-- - operational measures skip the question-key lookup.
-- v_target.value is the published figure (rounded as shown) in both branches.

create or replace function private.measure_card(
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
  v_last_target_period text;
  v_question_key text;
  v_narrative record;
begin
  -- Trend: closed points only, each as published with its own target and status.
  select coalesce(jsonb_agg(jsonb_build_object(
      'period', x.period, 'value', x.value, 'margin', x.margin, 'n', x.n,
      'target', x.target, 'sample', x.sample,
      'status', private.figure_status(x.value, x.margin, x.target, p_measure.direction, x.n)
    ) order by x.sort_key) filter (where not x.in_progress), '[]'::jsonb),
    (array_agg(jsonb_build_object('period', x.period, 'label', x.label, 'n', x.n)
       order by x.sort_key desc) filter (where x.in_progress))[1],
    (array_agg(x.target_period order by x.sort_key desc) filter (where not x.in_progress))[1]
  into v_trend, v_progress, v_last_target_period
  from (
    select p.period, p.in_progress, p.sample, p.label, p.n,
      private.period_sort_key(p.period) as sort_key,
      private.published_figure(p.value::numeric, p_measure.unit) as value,
      private.published_figure(p.margin::numeric, p_measure.unit) as margin,
      private.published_figure(t.value, p_measure.unit) as target,
      t.period as target_period
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
  -- With a value, that target was already looked up for the trend's last point.
  if v_last.period is not null then
    select v_last_target_period as period, v_last.target as value into v_target;
  else
    v_target_period := coalesce(p_period, (
      select t.period from public.targets t
      where t.measure_id = p_measure.id and (p_all or t.published)
      order by private.period_sort_key(t.period) desc limit 1));
    select t.period, private.published_figure(t.value, p_measure.unit) as value into v_target
    from private.target_for(p_measure.id, v_target_period, p_all) t;
  end if;

  if p_measure.question_id is not null then
    select q.key into v_question_key from public.questions q where q.id = p_measure.question_id;
  end if;

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
    'target', v_target.value,
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
