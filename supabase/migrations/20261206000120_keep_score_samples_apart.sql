-- Never pool samples silently (DESIGN §3): a wave of mode 'both' takes invited households (a
-- random sample, where a margin of error means something) and anyone with the open link (a
-- self-selected sample). Their answers were added up together in the score aggregates, so
-- question_scores and the scorecards reported one pooled figure. From here on the aggregates
-- are kept per sample (responses.mode), and every reader chooses exactly one sample:
--
--   private.answer_aggregates      (wave, question, district, sample, value_key)
--   private.respondent_aggregates  (wave, district, sample)
--
-- sample is 'invited' or 'open'. There is no pooled row, so nothing can read a pooled figure by
-- accident. A wave's reported sample is private.wave_sample(wave): its own mode, and for 'both'
-- the invited random sample; the open-link sample of such a wave is reported separately on
-- request (question_scores p_sample). A response's mode always matches its wave's mode unless
-- the wave is 'both' (submit_responses and import_responses enforce it).
--
-- The trigger functions keep their names and shapes (see 20261122001000): every grouping key
-- gains the response's mode; a corrected mode moves a response like a corrected district.

alter table private.answer_aggregates add column if not exists sample text not null default 'invited';
alter table private.respondent_aggregates add column if not exists sample text not null default 'invited';
alter table private.answer_aggregates alter column sample drop default;
alter table private.respondent_aggregates alter column sample drop default;

alter table private.answer_aggregates drop constraint if exists answer_aggregates_pkey;
alter table private.answer_aggregates
  add constraint answer_aggregates_pkey primary key (wave_id, question_id, district, sample, value_key);
alter table private.respondent_aggregates drop constraint if exists respondent_aggregates_pkey;
alter table private.respondent_aggregates
  add constraint respondent_aggregates_pkey primary key (wave_id, district, sample);

comment on table private.answer_aggregates is
  'Per wave × question × district ('''' = all) × sample (invited/open) × answer value: head count n, Σweight, Σweight². Maintained by triggers on answers/responses. Samples are never pooled.';
comment on table private.respondent_aggregates is
  'Per wave × district ('''' = all) × sample (invited/open): responses n, Σweight, Σweight² (the importance denominator). Maintained by triggers on responses.';

-- The sample a wave's figures are reported from: the open-link sample of an 'open' wave, else
-- the invited random sample ('invited' and 'both').
-- Plain SQL, no SET clause, so the planner inlines it (it is called per wave row).
create or replace function private.wave_sample(p_mode text) returns text
language sql
immutable
parallel safe
as $$
  select case when p_mode = 'open' then 'open' else 'invited' end
$$;
comment on function private.wave_sample(text) is
  'The sample a wave reports by default: open for open-link waves, else the invited random sample.';
revoke execute on function private.wave_sample(text) from public;

-- ---------------------------------------------------------------------------------------------
-- answers

create or replace function private.answers_aggregate_insert() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  insert into private.answer_aggregates as a (wave_id, question_id, district, sample, value_key, n, sum_w, sum_w2)
  select x.wave_id, x.question_id, d.d, r.mode, k.k, count(*), sum(r.weight), sum(r.weight * r.weight)
  from new_rows x
  join public.responses r on r.id = x.response_id
  cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
  cross join lateral private.district_keys(r.district) d(d)
  group by x.wave_id, x.question_id, d.d, r.mode, k.k
  order by x.wave_id, x.question_id, d.d, r.mode, k.k
  on conflict (wave_id, question_id, district, sample, value_key) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;
  return null;
end;
$$;

create or replace function private.answers_aggregate_delete() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  update private.answer_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.sum_w, sum_w2 = a.sum_w2 - g.sum_w2
  from (
    select x.wave_id, x.question_id, d.d as district, r.mode as sample, k.k as value_key,
           count(*) as n, sum(r.weight) as sum_w, sum(r.weight * r.weight) as sum_w2
    from old_rows x
    join public.responses r on r.id = x.response_id
    cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
    cross join lateral private.district_keys(r.district) d(d)
    group by x.wave_id, x.question_id, d.d, r.mode, k.k
  ) g
  where a.wave_id = g.wave_id and a.question_id = g.question_id
    and a.district = g.district and a.sample = g.sample and a.value_key = g.value_key;
  return null;
end;
$$;

create or replace function private.answers_aggregate_update() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  update private.answer_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.sum_w, sum_w2 = a.sum_w2 - g.sum_w2
  from (
    select x.wave_id, x.question_id, d.d as district, r.mode as sample, k.k as value_key,
           count(*) as n, sum(r.weight) as sum_w, sum(r.weight * r.weight) as sum_w2
    from old_rows x
    join public.responses r on r.id = x.response_id
    cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
    cross join lateral private.district_keys(r.district) d(d)
    group by x.wave_id, x.question_id, d.d, r.mode, k.k
  ) g
  where a.wave_id = g.wave_id and a.question_id = g.question_id
    and a.district = g.district and a.sample = g.sample and a.value_key = g.value_key;

  insert into private.answer_aggregates as a (wave_id, question_id, district, sample, value_key, n, sum_w, sum_w2)
  select x.wave_id, x.question_id, d.d, r.mode, k.k, count(*), sum(r.weight), sum(r.weight * r.weight)
  from new_rows x
  join public.responses r on r.id = x.response_id
  cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
  cross join lateral private.district_keys(r.district) d(d)
  group by x.wave_id, x.question_id, d.d, r.mode, k.k
  order by x.wave_id, x.question_id, d.d, r.mode, k.k
  on conflict (wave_id, question_id, district, sample, value_key) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;
  return null;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- responses

create or replace function private.responses_aggregate_insert() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  insert into private.respondent_aggregates as a (wave_id, district, sample, n, sum_w, sum_w2)
  select x.wave_id, d.d, x.mode, count(*), sum(x.weight), sum(x.weight * x.weight)
  from new_rows x
  cross join lateral private.district_keys(x.district) d(d)
  group by x.wave_id, d.d, x.mode
  order by x.wave_id, d.d, x.mode
  on conflict (wave_id, district, sample) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;
  return null;
end;
$$;

create or replace function private.responses_aggregate_before_delete() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  update private.respondent_aggregates a
  set n = a.n - 1, sum_w = a.sum_w - old.weight, sum_w2 = a.sum_w2 - old.weight * old.weight
  where a.wave_id = old.wave_id and a.sample = old.mode
    and a.district in (select private.district_keys(old.district));

  update private.answer_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.n * old.weight, sum_w2 = a.sum_w2 - g.n * old.weight * old.weight
  from (
    select x.question_id, d.d as district, k.k as value_key, count(*) as n
    from public.answers x
    cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
    cross join lateral private.district_keys(old.district) d(d)
    where x.response_id = old.id
    group by x.question_id, d.d, k.k
  ) g
  where a.wave_id = old.wave_id and a.question_id = g.question_id
    and a.district = g.district and a.sample = old.mode and a.value_key = g.value_key;
  return old;
end;
$$;

-- A corrected weight, district or sample moves the response (and its answers) between rows.
create or replace function private.responses_aggregate_update() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  -- Most updates (e.g. a language fix) move nothing: stop before touching any aggregate.
  if not exists (
    select 1 from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or o.mode is distinct from n.mode
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  ) then
    return null;
  end if;

  with m as (
    select o.id, o.wave_id as old_wave, o.district as old_district, o.mode as old_mode,
           o.weight as old_weight, n.wave_id as new_wave, n.district as new_district,
           n.mode as new_mode, n.weight as new_weight
    from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or o.mode is distinct from n.mode
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  )
  update private.respondent_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.sum_w, sum_w2 = a.sum_w2 - g.sum_w2
  from (
    select m.old_wave as wave_id, d.d as district, m.old_mode as sample, count(*) as n,
           sum(m.old_weight) as sum_w, sum(m.old_weight * m.old_weight) as sum_w2
    from m cross join lateral private.district_keys(m.old_district) d(d)
    group by m.old_wave, d.d, m.old_mode
  ) g
  where a.wave_id = g.wave_id and a.district = g.district and a.sample = g.sample;

  with m as (
    select o.id, o.wave_id as old_wave, o.district as old_district, o.mode as old_mode,
           o.weight as old_weight, n.wave_id as new_wave, n.district as new_district,
           n.mode as new_mode, n.weight as new_weight
    from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or o.mode is distinct from n.mode
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  )
  insert into private.respondent_aggregates as a (wave_id, district, sample, n, sum_w, sum_w2)
  select m.new_wave, d.d, m.new_mode, count(*), sum(m.new_weight), sum(m.new_weight * m.new_weight)
  from m cross join lateral private.district_keys(m.new_district) d(d)
  group by m.new_wave, d.d, m.new_mode
  order by m.new_wave, d.d, m.new_mode
  on conflict (wave_id, district, sample) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;

  -- The answers still carry the old wave_id only if the FK allowed the move, i.e. they have
  -- none; so answers are keyed by their own (current) wave_id.
  with m as (
    select o.id, o.wave_id as old_wave, o.district as old_district, o.mode as old_mode,
           o.weight as old_weight, n.wave_id as new_wave, n.district as new_district,
           n.mode as new_mode, n.weight as new_weight
    from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or o.mode is distinct from n.mode
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  )
  update private.answer_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.sum_w, sum_w2 = a.sum_w2 - g.sum_w2
  from (
    select x.wave_id, x.question_id, d.d as district, m.old_mode as sample, k.k as value_key,
           count(*) as n, sum(m.old_weight) as sum_w, sum(m.old_weight * m.old_weight) as sum_w2
    from m
    join public.answers x on x.response_id = m.id
    cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
    cross join lateral private.district_keys(m.old_district) d(d)
    group by x.wave_id, x.question_id, d.d, m.old_mode, k.k
  ) g
  where a.wave_id = g.wave_id and a.question_id = g.question_id
    and a.district = g.district and a.sample = g.sample and a.value_key = g.value_key;

  with m as (
    select o.id, o.wave_id as old_wave, o.district as old_district, o.mode as old_mode,
           o.weight as old_weight, n.wave_id as new_wave, n.district as new_district,
           n.mode as new_mode, n.weight as new_weight
    from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or o.mode is distinct from n.mode
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  )
  insert into private.answer_aggregates as a (wave_id, question_id, district, sample, value_key, n, sum_w, sum_w2)
  select x.wave_id, x.question_id, d.d, m.new_mode, k.k, count(*), sum(m.new_weight),
         sum(m.new_weight * m.new_weight)
  from m
  join public.answers x on x.response_id = m.id
  cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
  cross join lateral private.district_keys(m.new_district) d(d)
  group by x.wave_id, x.question_id, d.d, m.new_mode, k.k
  order by x.wave_id, x.question_id, d.d, m.new_mode, k.k
  on conflict (wave_id, question_id, district, sample, value_key) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;

  return null;
end;
$$;

-- ---------------------------------------------------------------------------------------------
create or replace function private.rebuild_score_aggregates() returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  lock table private.answer_aggregates, private.respondent_aggregates in exclusive mode;
  delete from private.answer_aggregates;
  delete from private.respondent_aggregates;
  insert into private.respondent_aggregates (wave_id, district, sample, n, sum_w, sum_w2)
  select x.wave_id, d.d, x.mode, count(*), sum(x.weight), sum(x.weight * x.weight)
  from public.responses x
  cross join lateral private.district_keys(x.district) d(d)
  group by x.wave_id, d.d, x.mode;
  insert into private.answer_aggregates (wave_id, question_id, district, sample, value_key, n, sum_w, sum_w2)
  select x.wave_id, x.question_id, d.d, r.mode, k.k, count(*), sum(r.weight), sum(r.weight * r.weight)
  from public.answers x
  join public.responses r on r.id = x.response_id
  cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
  cross join lateral private.district_keys(r.district) d(d)
  group by x.wave_id, x.question_id, d.d, r.mode, k.k;
end;
$$;

select private.rebuild_score_aggregates();
