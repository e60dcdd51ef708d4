-- Score aggregates (DESIGN §2 "Scale", §6): counts the database keeps up to date as answers
-- arrive, so that question_scores / public_scorecard cost grows with questions × districts ×
-- answer values, never with the number of answers.
--
--   private.answer_aggregates      (wave, question, district, value_key) → n, Σw, Σw²
--   private.respondent_aggregates  (wave, district)                      → n, Σw, Σw²
--
-- district '' is the whole wave; a response with a district also counts in its own district
-- row. value_key is the answer as text: '1'..'5' and '9' for satisfaction5 / rating5 (other
-- numbers are not kept: no score reads them), the option key for single / district, and one
-- row per distinct option key for importance_top3 / multi (so an importance option's n is the
-- number of respondents naming it in their top 3). Text answers are never aggregated.
--
-- Sums are numeric, not float: subtracting a deleted response gives back exactly the previous
-- state (no drift after millions of inserts and deletes), and with equal weights the Kish
-- effective n (Σw)²/Σw² comes out as exactly n, as in $lib/scoring.
--
-- Maintenance (all SECURITY DEFINER: whoever may write answers — submit_responses, an admin
-- through RLS, the importer — must not need rights on `private`):
--   * answers  AFTER INSERT / UPDATE / DELETE, statement level with transition tables, so a bulk
--     insert of 1,000 answers is one grouped upsert, not 1,000;
--   * responses AFTER INSERT / UPDATE (statement level): respondent counts, and moving a
--     response's answers when its weight or district is corrected;
--   * responses BEFORE DELETE (row level): the response's answers are removed by the ON DELETE
--     CASCADE of answers after the response row is gone, when their weight and district can no
--     longer be looked up, so the response takes its own contribution out first and the answers
--     trigger skips answers whose response no longer exists.
-- Deletions only ever UPDATE existing aggregate rows (never insert), so deleting a whole wave
-- (whose aggregate rows cascade away at the same time) cannot resurrect a row for a dead wave.
-- Upserts run in key order so two concurrent writers lock shared rows in the same order.
-- jit = off on the trigger functions: they touch a handful of rows per submission, and JIT
-- compilation (triggered by default estimates for transition tables and set-returning
-- functions) would add hundreds of milliseconds to every submit_responses call on PostgreSQL.
-- TRUNCATE is not tracked: after a manual truncate run private.rebuild_score_aggregates().

create table private.answer_aggregates (
  -- Deferred: deleting a wave cascades to its responses, whose delete trigger updates these rows
  -- before the same cascade removes them; an immediate check would see the wave already gone.
  wave_id uuid not null references public.survey_waves (id) on delete cascade
    deferrable initially deferred,
  question_id uuid not null references public.questions (id) on delete cascade
    deferrable initially deferred,
  district text not null,
  value_key text not null,
  n bigint not null default 0,
  sum_w numeric not null default 0,
  sum_w2 numeric not null default 0,
  primary key (wave_id, question_id, district, value_key)
);
comment on table private.answer_aggregates is
  'Per wave × question × district ('''' = all) × answer value: head count n, Σweight, Σweight². Maintained by triggers on answers/responses.';
create index answer_aggregates_question_idx on private.answer_aggregates (question_id);

create table private.respondent_aggregates (
  wave_id uuid not null references public.survey_waves (id) on delete cascade
    deferrable initially deferred,
  district text not null,
  n bigint not null default 0,
  sum_w numeric not null default 0,
  sum_w2 numeric not null default 0,
  primary key (wave_id, district)
);
comment on table private.respondent_aggregates is
  'Per wave × district ('''' = all): responses n, Σweight, Σweight² (the importance denominator). Maintained by triggers on responses.';

-- Not reachable through the Data API (private schema), but RLS on every table all the same:
-- no policies, so only the owner (the SECURITY DEFINER functions below) reads or writes them.
alter table private.answer_aggregates enable row level security;
alter table private.respondent_aggregates enable row level security;
revoke all on private.answer_aggregates, private.respondent_aggregates
  from public, anon, authenticated, service_role;

-- The aggregate keys of one answer row (see the header). Immutable: used inside grouped upserts.
create function private.answer_value_keys(
  p_numeric numeric, p_choice text, p_choices text[]
) returns setof text
language sql
immutable
rows 3
set search_path = ''
as $$
  select trim_scale(p_numeric)::text where p_numeric in (1, 2, 3, 4, 5, 9)
  union all
  select p_choice where p_choice is not null
  union all
  select distinct c from unnest(p_choices) c where c is not null
$$;
comment on function private.answer_value_keys(numeric, text, text[]) is
  'Aggregate keys of one answer: 1..5/9 for 5-point items, the option key(s) for choices; none for text and other numbers.';

-- The district rows a response counts in: '' (all) and its own district when it has one.
create function private.district_keys(p_district text) returns setof text
language sql
immutable
rows 2
set search_path = ''
as $$
  select ''::text
  union all
  select p_district where nullif(p_district, '') is not null
$$;

-- ---------------------------------------------------------------------------------------------
-- answers

create function private.answers_aggregate_insert() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  insert into private.answer_aggregates as a (wave_id, question_id, district, value_key, n, sum_w, sum_w2)
  select x.wave_id, x.question_id, d.d, k.k, count(*), sum(r.weight), sum(r.weight * r.weight)
  from new_rows x
  join public.responses r on r.id = x.response_id
  cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
  cross join lateral private.district_keys(r.district) d(d)
  group by x.wave_id, x.question_id, d.d, k.k
  order by x.wave_id, x.question_id, d.d, k.k
  on conflict (wave_id, question_id, district, value_key) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;
  return null;
end;
$$;

-- Answers whose response is gone were taken out by responses_aggregate_before_delete.
create function private.answers_aggregate_delete() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  update private.answer_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.sum_w, sum_w2 = a.sum_w2 - g.sum_w2
  from (
    select x.wave_id, x.question_id, d.d as district, k.k as value_key,
           count(*) as n, sum(r.weight) as sum_w, sum(r.weight * r.weight) as sum_w2
    from old_rows x
    join public.responses r on r.id = x.response_id
    cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
    cross join lateral private.district_keys(r.district) d(d)
    group by x.wave_id, x.question_id, d.d, k.k
  ) g
  where a.wave_id = g.wave_id and a.question_id = g.question_id
    and a.district = g.district and a.value_key = g.value_key;
  return null;
end;
$$;

create function private.answers_aggregate_update() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  update private.answer_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.sum_w, sum_w2 = a.sum_w2 - g.sum_w2
  from (
    select x.wave_id, x.question_id, d.d as district, k.k as value_key,
           count(*) as n, sum(r.weight) as sum_w, sum(r.weight * r.weight) as sum_w2
    from old_rows x
    join public.responses r on r.id = x.response_id
    cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
    cross join lateral private.district_keys(r.district) d(d)
    group by x.wave_id, x.question_id, d.d, k.k
  ) g
  where a.wave_id = g.wave_id and a.question_id = g.question_id
    and a.district = g.district and a.value_key = g.value_key;

  insert into private.answer_aggregates as a (wave_id, question_id, district, value_key, n, sum_w, sum_w2)
  select x.wave_id, x.question_id, d.d, k.k, count(*), sum(r.weight), sum(r.weight * r.weight)
  from new_rows x
  join public.responses r on r.id = x.response_id
  cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
  cross join lateral private.district_keys(r.district) d(d)
  group by x.wave_id, x.question_id, d.d, k.k
  order by x.wave_id, x.question_id, d.d, k.k
  on conflict (wave_id, question_id, district, value_key) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;
  return null;
end;
$$;

create trigger answers_aggregate_insert after insert on public.answers
  referencing new table as new_rows
  for each statement execute function private.answers_aggregate_insert();
create trigger answers_aggregate_delete after delete on public.answers
  referencing old table as old_rows
  for each statement execute function private.answers_aggregate_delete();
create trigger answers_aggregate_update after update on public.answers
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.answers_aggregate_update();

-- ---------------------------------------------------------------------------------------------
-- responses

create function private.responses_aggregate_insert() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  insert into private.respondent_aggregates as a (wave_id, district, n, sum_w, sum_w2)
  select x.wave_id, d.d, count(*), sum(x.weight), sum(x.weight * x.weight)
  from new_rows x
  cross join lateral private.district_keys(x.district) d(d)
  group by x.wave_id, d.d
  order by x.wave_id, d.d
  on conflict (wave_id, district) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;
  return null;
end;
$$;

create function private.responses_aggregate_before_delete() returns trigger
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
begin
  update private.respondent_aggregates a
  set n = a.n - 1, sum_w = a.sum_w - old.weight, sum_w2 = a.sum_w2 - old.weight * old.weight
  where a.wave_id = old.wave_id and a.district in (select private.district_keys(old.district));

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
    and a.district = g.district and a.value_key = g.value_key;
  return old;
end;
$$;

-- A corrected weight or district moves the response (and its answers) between aggregate rows.
create function private.responses_aggregate_update() returns trigger
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
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  ) then
    return null;
  end if;

  with m as (
    select o.id, o.wave_id as old_wave, o.district as old_district, o.weight as old_weight,
           n.wave_id as new_wave, n.district as new_district, n.weight as new_weight
    from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  )
  update private.respondent_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.sum_w, sum_w2 = a.sum_w2 - g.sum_w2
  from (
    select m.old_wave as wave_id, d.d as district, count(*) as n,
           sum(m.old_weight) as sum_w, sum(m.old_weight * m.old_weight) as sum_w2
    from m cross join lateral private.district_keys(m.old_district) d(d)
    group by m.old_wave, d.d
  ) g
  where a.wave_id = g.wave_id and a.district = g.district;

  with m as (
    select o.id, o.wave_id as old_wave, o.district as old_district, o.weight as old_weight,
           n.wave_id as new_wave, n.district as new_district, n.weight as new_weight
    from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  )
  insert into private.respondent_aggregates as a (wave_id, district, n, sum_w, sum_w2)
  select m.new_wave, d.d, count(*), sum(m.new_weight), sum(m.new_weight * m.new_weight)
  from m cross join lateral private.district_keys(m.new_district) d(d)
  group by m.new_wave, d.d
  order by m.new_wave, d.d
  on conflict (wave_id, district) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;

  -- The answers still carry the old wave_id only if the FK allowed the move, i.e. they have
  -- none; so answers are keyed by their own (current) wave_id.
  with m as (
    select o.id, o.wave_id as old_wave, o.district as old_district, o.weight as old_weight,
           n.wave_id as new_wave, n.district as new_district, n.weight as new_weight
    from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  )
  update private.answer_aggregates a
  set n = a.n - g.n, sum_w = a.sum_w - g.sum_w, sum_w2 = a.sum_w2 - g.sum_w2
  from (
    select x.wave_id, x.question_id, d.d as district, k.k as value_key, count(*) as n,
           sum(m.old_weight) as sum_w, sum(m.old_weight * m.old_weight) as sum_w2
    from m
    join public.answers x on x.response_id = m.id
    cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
    cross join lateral private.district_keys(m.old_district) d(d)
    group by x.wave_id, x.question_id, d.d, k.k
  ) g
  where a.wave_id = g.wave_id and a.question_id = g.question_id
    and a.district = g.district and a.value_key = g.value_key;

  with m as (
    select o.id, o.wave_id as old_wave, o.district as old_district, o.weight as old_weight,
           n.wave_id as new_wave, n.district as new_district, n.weight as new_weight
    from old_rows o join new_rows n on n.id = o.id
    where o.wave_id is distinct from n.wave_id or o.weight is distinct from n.weight
       or nullif(o.district, '') is distinct from nullif(n.district, '')
  )
  insert into private.answer_aggregates as a (wave_id, question_id, district, value_key, n, sum_w, sum_w2)
  select x.wave_id, x.question_id, d.d, k.k, count(*), sum(m.new_weight), sum(m.new_weight * m.new_weight)
  from m
  join public.answers x on x.response_id = m.id
  cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
  cross join lateral private.district_keys(m.new_district) d(d)
  group by x.wave_id, x.question_id, d.d, k.k
  order by x.wave_id, x.question_id, d.d, k.k
  on conflict (wave_id, question_id, district, value_key) do update
    set n = a.n + excluded.n, sum_w = a.sum_w + excluded.sum_w, sum_w2 = a.sum_w2 + excluded.sum_w2;

  return null;
end;
$$;

create trigger responses_aggregate_insert after insert on public.responses
  referencing new table as new_rows
  for each statement execute function private.responses_aggregate_insert();
create trigger responses_aggregate_before_delete before delete on public.responses
  for each row execute function private.responses_aggregate_before_delete();
create trigger responses_aggregate_update after update on public.responses
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.responses_aggregate_update();

-- ---------------------------------------------------------------------------------------------
-- Rebuild from scratch (backfill below; repair after a TRUNCATE or a bulk load with triggers
-- disabled). Locks both aggregate tables for the duration.
create function private.rebuild_score_aggregates() returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  lock table private.answer_aggregates, private.respondent_aggregates in exclusive mode;
  delete from private.answer_aggregates;
  delete from private.respondent_aggregates;
  insert into private.respondent_aggregates (wave_id, district, n, sum_w, sum_w2)
  select x.wave_id, d.d, count(*), sum(x.weight), sum(x.weight * x.weight)
  from public.responses x
  cross join lateral private.district_keys(x.district) d(d)
  group by x.wave_id, d.d;
  insert into private.answer_aggregates (wave_id, question_id, district, value_key, n, sum_w, sum_w2)
  select x.wave_id, x.question_id, d.d, k.k, count(*), sum(r.weight), sum(r.weight * r.weight)
  from public.answers x
  join public.responses r on r.id = x.response_id
  cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
  cross join lateral private.district_keys(r.district) d(d)
  group by x.wave_id, x.question_id, d.d, k.k;
end;
$$;
comment on function private.rebuild_score_aggregates() is
  'Recomputes private.answer_aggregates and private.respondent_aggregates from responses and answers.';

select private.rebuild_score_aggregates();

revoke execute on function private.answer_value_keys(numeric, text, text[]) from public;
revoke execute on function private.district_keys(text) from public;
revoke execute on function private.answers_aggregate_insert() from public;
revoke execute on function private.answers_aggregate_delete() from public;
revoke execute on function private.answers_aggregate_update() from public;
revoke execute on function private.responses_aggregate_insert() from public;
revoke execute on function private.responses_aggregate_before_delete() from public;
revoke execute on function private.responses_aggregate_update() from public;
revoke execute on function private.rebuild_score_aggregates() from public;
grant execute on function private.rebuild_score_aggregates() to service_role;
