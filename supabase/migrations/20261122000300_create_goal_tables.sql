-- Goals framework (DESIGN §3 "Goals"): goal_areas → goals → measures → targets, measure_values,
-- narratives (per measure or per goal and period).
--
-- Publishing: anon sees only rows whose own `published` flag is set AND whose parents are
-- published (a published target of an unpublished measure stays hidden). Staff of any role read
-- everything; admins manage the tree; analysts write measures, targets, values and narratives.

create table public.goal_areas (
  id uuid primary key default gen_random_uuid(),
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
  name public.localized_text not null,
  description public.localized_text,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.goal_areas is
  'Areas of the city''s strategic plan (e.g. Public Safety); each meeting focuses on one.';
create trigger goal_areas_touch_updated_at before update on public.goal_areas
  for each row execute function private.touch_updated_at();

create table public.goals (
  id uuid primary key default gen_random_uuid(),
  goal_area_id uuid not null references public.goal_areas (id) on delete cascade,
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
  title public.localized_text not null,
  description public.localized_text,
  position integer not null default 0,
  published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.goals is 'A goal within a goal area; visible to the public once published.';
create index goals_goal_area_id_idx on public.goals (goal_area_id);
create trigger goals_touch_updated_at before update on public.goals
  for each row execute function private.touch_updated_at();

create table public.measures (
  id uuid primary key default gen_random_uuid(),
  goal_id uuid not null references public.goals (id) on delete cascade,
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
  name public.localized_text not null,
  description public.localized_text,
  -- e.g. 'percent', 'days', 'count', 'usd'; display formatting is the client's job.
  unit text not null check (unit ~ '^[a-z][a-z0-9_]{0,31}$'),
  direction text not null check (direction in ('higher', 'lower')),
  -- survey: % satisfied on a question (question_id); operational: reported actuals.
  kind text not null check (kind in ('survey', 'operational')),
  question_id uuid references public.questions (id) on delete restrict,
  source text check (source is null or char_length(source) <= 300),
  position integer not null default 0,
  published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint measures_question_iff_survey check ((kind = 'survey') = (question_id is not null))
);
comment on table public.measures is
  'A measure tied to a goal: unit, direction (higher/lower is better), kind survey (linked question) or operational, published flag.';
create index measures_goal_id_idx on public.measures (goal_id);
create index measures_question_id_idx on public.measures (question_id);
create trigger measures_touch_updated_at before update on public.measures
  for each row execute function private.touch_updated_at();

create table public.targets (
  id uuid primary key default gen_random_uuid(),
  measure_id uuid not null references public.measures (id) on delete cascade,
  period public.period_text not null,
  value numeric not null,
  published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint targets_measure_period_key unique (measure_id, period)
);
comment on table public.targets is 'The target value of a measure for a period (2026 or 2026-Q3).';
create trigger targets_touch_updated_at before update on public.targets
  for each row execute function private.touch_updated_at();

create table public.measure_values (
  id uuid primary key default gen_random_uuid(),
  measure_id uuid not null references public.measures (id) on delete cascade,
  period public.period_text not null,
  value numeric not null,
  -- For imported historical survey scores: valid n and 95% margin (in the measure's unit).
  n integer check (n is null or n >= 0),
  margin numeric check (margin is null or margin >= 0),
  source text check (source is null or char_length(source) <= 300),
  published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint measure_values_measure_period_key unique (measure_id, period)
);
comment on table public.measure_values is
  'Actual value of a measure for a period: operational actuals and imported historical survey scores.';
create trigger measure_values_touch_updated_at before update on public.measure_values
  for each row execute function private.touch_updated_at();

create table public.narratives (
  id uuid primary key default gen_random_uuid(),
  measure_id uuid references public.measures (id) on delete cascade,
  goal_id uuid references public.goals (id) on delete cascade,
  period public.period_text not null,
  body public.localized_text not null,
  author_id uuid references auth.users (id) on delete set null,
  published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint narratives_one_subject check (num_nonnulls(measure_id, goal_id) = 1),
  constraint narratives_body_length check (
    char_length(body ->> 'en') <= 5000 and char_length(body ->> 'es') <= 5000
  )
);
comment on table public.narratives is
  'Staff explanation for a measure or a goal in a period ("why we missed the target"), in every language.';
create unique index narratives_measure_period_idx on public.narratives (measure_id, period)
  where measure_id is not null;
create unique index narratives_goal_period_idx on public.narratives (goal_id, period)
  where goal_id is not null;
create index narratives_author_id_idx on public.narratives (author_id);
create trigger narratives_touch_updated_at before update on public.narratives
  for each row execute function private.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
alter table public.goal_areas enable row level security;
alter table public.goals enable row level security;
alter table public.measures enable row level security;
alter table public.targets enable row level security;
alter table public.measure_values enable row level security;
alter table public.narratives enable row level security;

-- Explicit revoke first: a self-hosted or legacy project may still auto-grant new tables to the
-- API roles (contract §1.3); after this, the grants below are the whole truth.
revoke all on public.goal_areas, public.goals, public.measures, public.targets,
  public.measure_values, public.narratives from anon, authenticated, service_role;
grant select on public.goal_areas, public.goals, public.measures, public.targets,
  public.measure_values, public.narratives to anon;
grant select, insert, update, delete on public.goal_areas, public.goals, public.measures,
  public.targets, public.measure_values, public.narratives to authenticated, service_role;

-- goal_areas: the plan's areas are public.
create policy goal_areas_select_anon on public.goal_areas for select to anon using (true);
create policy goal_areas_select_authenticated on public.goal_areas for select to authenticated
  using (true);
create policy goal_areas_insert_admin on public.goal_areas for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy goal_areas_update_admin on public.goal_areas for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy goal_areas_delete_admin on public.goal_areas for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- goals
create policy goals_select_anon on public.goals for select to anon using (published);
create policy goals_select_authenticated on public.goals for select to authenticated
  using (published or (select private.is_staff()));
create policy goals_insert_admin on public.goals for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy goals_update_admin on public.goals for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy goals_delete_admin on public.goals for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- measures: public when itself and its goal are published.
create policy measures_select_anon on public.measures for select to anon
  using (published and exists (
    select 1 from public.goals g where g.id = measures.goal_id and g.published
  ));
create policy measures_select_authenticated on public.measures for select to authenticated
  using (
    (select private.is_staff())
    or (published and exists (
      select 1 from public.goals g where g.id = measures.goal_id and g.published
    ))
  );
create policy measures_insert_analyst on public.measures for insert to authenticated
  with check ((select private.is_staff(array['admin', 'analyst'])));
create policy measures_update_analyst on public.measures for update to authenticated
  using ((select private.is_staff(array['admin', 'analyst'])))
  with check ((select private.is_staff(array['admin', 'analyst'])));
create policy measures_delete_admin on public.measures for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- targets, measure_values, narratives share one visibility rule: own flag + published parents.
create policy targets_select_anon on public.targets for select to anon
  using (published and exists (
    select 1 from public.measures m join public.goals g on g.id = m.goal_id
    where m.id = targets.measure_id and m.published and g.published
  ));
create policy targets_select_authenticated on public.targets for select to authenticated
  using (
    (select private.is_staff())
    or (published and exists (
      select 1 from public.measures m join public.goals g on g.id = m.goal_id
      where m.id = targets.measure_id and m.published and g.published
    ))
  );
create policy targets_insert_analyst on public.targets for insert to authenticated
  with check ((select private.is_staff(array['admin', 'analyst'])));
create policy targets_update_analyst on public.targets for update to authenticated
  using ((select private.is_staff(array['admin', 'analyst'])))
  with check ((select private.is_staff(array['admin', 'analyst'])));
create policy targets_delete_analyst on public.targets for delete to authenticated
  using ((select private.is_staff(array['admin', 'analyst'])));

create policy measure_values_select_anon on public.measure_values for select to anon
  using (published and exists (
    select 1 from public.measures m join public.goals g on g.id = m.goal_id
    where m.id = measure_values.measure_id and m.published and g.published
  ));
create policy measure_values_select_authenticated on public.measure_values for select
  to authenticated
  using (
    (select private.is_staff())
    or (published and exists (
      select 1 from public.measures m join public.goals g on g.id = m.goal_id
      where m.id = measure_values.measure_id and m.published and g.published
    ))
  );
create policy measure_values_insert_analyst on public.measure_values for insert to authenticated
  with check ((select private.is_staff(array['admin', 'analyst'])));
create policy measure_values_update_analyst on public.measure_values for update to authenticated
  using ((select private.is_staff(array['admin', 'analyst'])))
  with check ((select private.is_staff(array['admin', 'analyst'])));
create policy measure_values_delete_analyst on public.measure_values for delete to authenticated
  using ((select private.is_staff(array['admin', 'analyst'])));

-- narratives: about a measure (visible when the measure is) or a goal (visible when it is).
create policy narratives_select_anon on public.narratives for select to anon
  using (published and (
    exists (
      select 1 from public.measures m join public.goals g on g.id = m.goal_id
      where m.id = narratives.measure_id and m.published and g.published
    )
    or exists (select 1 from public.goals g where g.id = narratives.goal_id and g.published)
  ));
create policy narratives_select_authenticated on public.narratives for select to authenticated
  using (
    (select private.is_staff())
    or (published and (
      exists (
        select 1 from public.measures m join public.goals g on g.id = m.goal_id
        where m.id = narratives.measure_id and m.published and g.published
      )
      or exists (select 1 from public.goals g where g.id = narratives.goal_id and g.published)
    ))
  );
create policy narratives_insert_analyst on public.narratives for insert to authenticated
  with check ((select private.is_staff(array['admin', 'analyst'])));
create policy narratives_update_analyst on public.narratives for update to authenticated
  using ((select private.is_staff(array['admin', 'analyst'])))
  with check ((select private.is_staff(array['admin', 'analyst'])));
create policy narratives_delete_analyst on public.narratives for delete to authenticated
  using ((select private.is_staff(array['admin', 'analyst'])));
