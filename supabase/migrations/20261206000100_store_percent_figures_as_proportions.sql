-- One unit for every proportion (see the header of src/lib/domain/scorecard.ts).
--
-- Every figure of a measure whose unit is 'percent' is a proportion from 0 to 1 wherever it is
-- stored or returned: wave scores (already), targets, measure_values (operational actuals and
-- imported historical survey scores) and their margins. 76 % is stored as 0.76 and a margin of
-- 2.9 points as 0.029. Staff forms and CSV imports accept and show points ("76 %") and convert
-- at that edge only. Until now targets and measure_values of percent measures were stored in
-- points (76), while wave scores were proportions (0.79), and the scorecard compared the two as
-- they were; this migration converts the stored rows and makes the database refuse the mix.
--
-- Enforcement: targets and measure_values carry their measure's unit in a `unit` column, kept
-- equal to measures.unit by a composite foreign key (ON UPDATE CASCADE) and filled by a trigger
-- (clients never send it). A CHECK on that column then says, declaratively, that a percent
-- figure lies in [0, 1]. Changing a measure's unit to 'percent' while it holds 76 cascades into
-- its rows and is refused by the same CHECK. The fill trigger raises the same rule first with
-- a message that says what to type instead.
--
-- A 'percent' measure is a share of a whole (satisfied residents, calls answered in time).
-- Ratios that can exceed 100 % or go negative are not 'percent' measures.
--
-- Safe to re-run: the `unit` column doubles as the "converted" mark. Only rows whose unit is
-- still null (rows stored before this migration) are converted, so running the file again
-- changes nothing. A stored percent figure above 100 points cannot be a share; the migration
-- stops and names it rather than store a guess.

alter table public.targets add column if not exists unit text;
alter table public.measure_values add column if not exists unit text;
comment on column public.targets.unit is
  'The measure''s unit, kept equal to measures.unit (composite FK, filled by trigger). percent targets are proportions 0..1.';
comment on column public.measure_values.unit is
  'The measure''s unit, kept equal to measures.unit (composite FK, filled by trigger). percent values and margins are proportions 0..1.';

do $$
declare
  v_bad text;
begin
  select string_agg(format('%s %s = %s', m.key, x.period, x.value), ', ' order by m.key, x.period)
  into v_bad
  from (
    select t.measure_id, t.period, t.value from public.targets t where t.unit is null
    union all
    select v.measure_id, v.period, v.value from public.measure_values v where v.unit is null
    union all
    select v.measure_id, v.period, v.margin from public.measure_values v
    where v.unit is null and v.margin is not null
  ) x
  join public.measures m on m.id = x.measure_id
  where m.unit = 'percent' and (x.value < 0 or x.value > 100);
  if v_bad is not null then
    raise exception using errcode = '23514',
      message = 'Percent figures outside 0..100 points cannot be converted to proportions: ' || v_bad,
      hint = 'Correct these rows (a percent measure is a share of a whole) or change the measure''s unit, then run the migration again.';
  end if;
end;
$$;

update public.targets t
set unit = m.unit,
    value = case when m.unit = 'percent' then t.value / 100 else t.value end
from public.measures m
where m.id = t.measure_id and t.unit is null;

update public.measure_values v
set unit = m.unit,
    value = case when m.unit = 'percent' then v.value / 100 else v.value end,
    margin = case when m.unit = 'percent' then v.margin / 100 else v.margin end
from public.measures m
where m.id = v.measure_id and v.unit is null;

alter table public.targets alter column unit set not null;
alter table public.measure_values alter column unit set not null;

-- The fill trigger: the unit always comes from the measure, and a percent figure outside 0..1
-- is refused with a message a person can act on. SECURITY DEFINER so that the lookup does not
-- depend on the writer's read rights (an analyst's RLS, or the owner during an FK cascade).
create or replace function private.fill_measure_figure_unit() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row jsonb := to_jsonb(new);
  v_value numeric := (v_row ->> 'value')::numeric;
  v_margin numeric := (v_row ->> 'margin')::numeric;
  v_key text;
begin
  select m.unit, m.key into new.unit, v_key from public.measures m where m.id = new.measure_id;
  -- An unknown measure leaves unit null: the foreign key reports it.
  if new.unit = 'percent' and (v_value < 0 or v_value > 1 or v_margin < 0 or v_margin > 1) then
    raise exception using errcode = '23514',
      message = format(
        'Measure "%s" is a percent measure: its %s figures are proportions from 0 to 1, and %s is outside that range',
        v_key, tg_table_name, case when v_value < 0 or v_value > 1 then v_value else v_margin end),
      detail = 'percent_out_of_range',
      hint = 'Store 76 % as 0.76 (the staff forms and CSV imports take 76 and convert it).';
  end if;
  return new;
end;
$$;
comment on function private.fill_measure_figure_unit() is
  'BEFORE INSERT/UPDATE on targets and measure_values: copies measures.unit and refuses percent figures outside 0..1 with a clear message.';
revoke execute on function private.fill_measure_figure_unit() from public;

drop trigger if exists targets_fill_unit on public.targets;
create trigger targets_fill_unit before insert or update on public.targets
  for each row execute function private.fill_measure_figure_unit();
drop trigger if exists measure_values_fill_unit on public.measure_values;
create trigger measure_values_fill_unit before insert or update on public.measure_values
  for each row execute function private.fill_measure_figure_unit();

-- The declarative part: (measure_id, unit) must match the measure, and percent means 0..1.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_constraint where conname = 'measures_id_unit_key') then
    alter table public.measures add constraint measures_id_unit_key unique (id, unit);
  end if;
  if not exists (select 1 from pg_catalog.pg_constraint where conname = 'targets_measure_unit_fkey') then
    alter table public.targets add constraint targets_measure_unit_fkey
      foreign key (measure_id, unit) references public.measures (id, unit)
      on update cascade on delete cascade;
  end if;
  if not exists (select 1 from pg_catalog.pg_constraint where conname = 'measure_values_measure_unit_fkey') then
    alter table public.measure_values add constraint measure_values_measure_unit_fkey
      foreign key (measure_id, unit) references public.measures (id, unit)
      on update cascade on delete cascade;
  end if;
  if not exists (select 1 from pg_catalog.pg_constraint where conname = 'targets_percent_is_proportion') then
    alter table public.targets add constraint targets_percent_is_proportion
      check (unit <> 'percent' or value between 0 and 1);
  end if;
  if not exists (select 1 from pg_catalog.pg_constraint where conname = 'measure_values_percent_is_proportion') then
    alter table public.measure_values add constraint measure_values_percent_is_proportion
      check (unit <> 'percent' or (value between 0 and 1 and (margin is null or margin <= 1)));
  end if;
end;
$$;

comment on table public.targets is
  'The target value of a measure for a period (2026 or 2026-Q3). percent measures: a proportion 0..1 (0.76 = 76 %).';
comment on table public.measure_values is
  'Actual value of a measure for a period: operational actuals and imported historical survey scores. percent measures: value and margin are proportions 0..1.';
