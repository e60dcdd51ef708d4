-- Survey data model (DESIGN §3 "Surveys"): surveys → survey_waves, survey_sections → questions,
-- invitations (hashed, single use), responses (client UUID) → answers (one row per question).
--
-- The instrument (surveys, sections, questions) belongs to the survey and is shared by all its
-- waves, so trends across waves compare the same question rows; a question's `key` is stable.
-- Residents never write these tables directly: `submit_responses` (a SECURITY DEFINER function,
-- next migration) validates every answer and is the only resident write path. Responses and
-- answers are never readable by anon; a resident reads only their own.

-- ---------------------------------------------------------------------------------------------
-- Validators used by CHECK constraints. Pure functions; a CHECK calls them by OID, so the
-- writer needs EXECUTE (granted below) but not usage on the private schema.

-- Options: a non-empty array of {key, label: {en, es}} with distinct, simple keys.
create function private.is_valid_options(p_options jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  -- case, not and: jsonb_array_elements must never see a non-array. coalesce: a null result
  -- would make the CHECK pass.
  select coalesce(case when jsonb_typeof(p_options) <> 'array' then false
    when jsonb_array_length(p_options) = 0 then false
    else not exists (
        select 1
        from jsonb_array_elements(p_options) o
        where jsonb_typeof(o) <> 'object'
          or coalesce(jsonb_typeof(o -> 'key'), '') <> 'string'
          or (o ->> 'key') !~ '^[A-Za-z0-9_.-]{1,64}$'
          or coalesce(jsonb_typeof(o -> 'label'), '') <> 'object'
          or coalesce(jsonb_typeof(o -> 'label' -> 'en'), '') <> 'string'
          or coalesce(jsonb_typeof(o -> 'label' -> 'es'), '') <> 'string'
          or length(btrim(o -> 'label' ->> 'en')) = 0
          or length(btrim(o -> 'label' ->> 'es')) = 0
      )
      and (select count(distinct o ->> 'key') from jsonb_array_elements(p_options) o)
        = jsonb_array_length(p_options)
  end, false)
$$;
comment on function private.is_valid_options(jsonb) is
  'CHECK helper: options are a non-empty array of {key, label:{en,es}} with distinct keys.';

-- Skip logic: {question, op, value?} as documented by TShowIf in src/lib/domain/survey.ts.
create function private.is_valid_show_if(p_show_if jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(jsonb_typeof(p_show_if) = 'object'
    and coalesce(jsonb_typeof(p_show_if -> 'question'), '') = 'string'
    and (p_show_if ->> 'question') ~ '^[a-z][a-z0-9_]{0,63}$'
    and case p_show_if ->> 'op'
      when 'answered' then not (p_show_if ? 'value') or p_show_if -> 'value' = 'null'::jsonb
      when 'eq' then coalesce(jsonb_typeof(p_show_if -> 'value') in ('string', 'number'), false)
      when 'neq' then coalesce(jsonb_typeof(p_show_if -> 'value') in ('string', 'number'), false)
      when 'gte' then coalesce(jsonb_typeof(p_show_if -> 'value') = 'number', false)
      when 'lte' then coalesce(jsonb_typeof(p_show_if -> 'value') = 'number', false)
      when 'in' then case when jsonb_typeof(p_show_if -> 'value') = 'array'
        then jsonb_array_length(p_show_if -> 'value') > 0 else false end
      else false
    end, false)
$$;
comment on function private.is_valid_show_if(jsonb) is
  'CHECK helper: show_if is {question, op: eq|neq|in|answered|gte|lte, value?} with a value fit for op.';

-- Invitation codes are stored only as sha256 of the normalized code (upper case, letters and
-- digits only), so a leaked table does not leak usable codes and "ab-12 cd" = "AB12CD".
create function private.hash_invitation_code(p_code text) returns bytea
language sql
immutable
set search_path = ''
as $$
  select extensions.digest(
    convert_to(upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g')), 'UTF8'),
    'sha256'
  )
$$;
comment on function private.hash_invitation_code(text) is
  'sha256 of the normalized invitation code (upper case, [A-Z0-9] only); what invitations.code_hash stores.';

revoke execute on function private.is_valid_options(jsonb) from public;
revoke execute on function private.is_valid_show_if(jsonb) from public;
revoke execute on function private.hash_invitation_code(text) from public;
grant execute on function private.is_valid_options(jsonb) to authenticated, service_role;
grant execute on function private.is_valid_show_if(jsonb) to authenticated, service_role;
grant execute on function private.hash_invitation_code(text) to service_role;

-- ---------------------------------------------------------------------------------------------
create table public.surveys (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 64),
  title public.localized_text not null,
  intro public.localized_text not null,
  languages text[] not null default array['en', 'es']
    check (cardinality(languages) > 0 and languages <@ array['en', 'es']),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.surveys is
  'A survey instrument (e.g. the annual resident satisfaction survey), addressed by slug in links.';
create trigger surveys_touch_updated_at before update on public.surveys
  for each row execute function private.touch_updated_at();

create table public.survey_waves (
  id uuid primary key default gen_random_uuid(),
  survey_id uuid not null references public.surveys (id) on delete cascade,
  label text not null check (char_length(btrim(label)) between 1 and 120),
  period public.period_text not null,
  -- invited = random-sample households with codes; open = anyone with the link. Responses record
  -- which sample they belong to (responses.mode) so the two are never pooled silently.
  mode text not null check (mode in ('invited', 'open', 'both')),
  opens_at timestamptz not null,
  closes_at timestamptz,
  -- Whether question scores of this wave may be shown to the public (question_scores for anon).
  results_published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint survey_waves_closes_after_opens check (closes_at is null or closes_at > opens_at),
  constraint survey_waves_id_survey_key unique (id, survey_id)
);
comment on table public.survey_waves is
  'One fielding of a survey (label, period, mode invited/open/both, opens_at..closes_at). Open = now() within the window.';
create index survey_waves_survey_id_idx on public.survey_waves (survey_id, opens_at desc);
create trigger survey_waves_touch_updated_at before update on public.survey_waves
  for each row execute function private.touch_updated_at();

create table public.survey_sections (
  id uuid primary key default gen_random_uuid(),
  survey_id uuid not null references public.surveys (id) on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
  position integer not null default 0,
  title public.localized_text not null,
  description public.localized_text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint survey_sections_survey_key unique (survey_id, key),
  constraint survey_sections_id_survey_key unique (id, survey_id)
);
comment on table public.survey_sections is
  'A titled group of questions (rendered as a fieldset); order by position.';
create trigger survey_sections_touch_updated_at before update on public.survey_sections
  for each row execute function private.touch_updated_at();

create table public.questions (
  id uuid primary key default gen_random_uuid(),
  survey_id uuid not null references public.surveys (id) on delete cascade,
  section_id uuid not null,
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
  position integer not null,
  kind text not null check (kind in (
    'satisfaction5', 'rating5', 'importance_top3', 'single', 'multi', 'text', 'number', 'district', 'zip'
  )),
  prompt public.localized_text not null,
  help public.localized_text,
  required boolean not null default false,
  options jsonb,
  min numeric,
  max numeric,
  max_length integer,
  show_if jsonb,
  service_category text check (service_category is null or service_category ~ '^[a-z][a-z0-9_]{0,63}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint questions_survey_key unique (survey_id, key),
  constraint questions_section_same_survey foreign key (section_id, survey_id)
    references public.survey_sections (id, survey_id) on delete cascade,
  constraint questions_options_by_kind check (
    (kind in ('single', 'multi', 'district', 'importance_top3')) = (options is not null)
  ),
  constraint questions_options_shape check (options is null or private.is_valid_options(options)),
  constraint questions_top3_needs_three check (
    case when kind <> 'importance_top3' or jsonb_typeof(options) is distinct from 'array' then true
      else jsonb_array_length(options) >= 3 end
  ),
  constraint questions_min_max_only_number check (kind = 'number' or (min is null and max is null)),
  constraint questions_min_le_max check (min is null or max is null or min <= max),
  constraint questions_max_length_only_text check (kind = 'text' or max_length is null),
  constraint questions_max_length_range check (max_length is null or max_length between 1 and 4000),
  constraint questions_show_if_shape check (show_if is null or private.is_valid_show_if(show_if)),
  constraint questions_show_if_not_self check (show_if is null or show_if ->> 'question' <> key)
);
comment on table public.questions is
  'A survey question: stable key, kind, prompt/help/options in every language, required, show_if skip logic, service category.';
comment on column public.questions.max_length is 'text: maximum characters (null = 4000).';
comment on column public.questions.show_if is
  'Skip logic {question, op, value}; the question is shown only when it holds for an earlier answer. A missing answer never satisfies any op.';
create index questions_section_id_idx on public.questions (section_id, survey_id);
create index questions_survey_position_idx on public.questions (survey_id, position);
create trigger questions_touch_updated_at before update on public.questions
  for each row execute function private.touch_updated_at();

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  wave_id uuid not null references public.survey_waves (id) on delete cascade,
  code_hash bytea not null unique check (octet_length(code_hash) = 32),
  -- Free label for the mailing batch (e.g. 'district-3-mail-1'); never the household address.
  batch text check (batch is null or char_length(batch) <= 120),
  used_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table public.invitations is
  'Per-household invitation codes for invited waves, stored as sha256 (private.hash_invitation_code); single use (used_at).';
create index invitations_wave_id_idx on public.invitations (wave_id);

create table public.responses (
  -- Made by the client before it goes offline: the idempotency key of submit_responses.
  id uuid primary key,
  wave_id uuid not null references public.survey_waves (id) on delete cascade,
  respondent_id uuid references auth.users (id) on delete set null,
  invitation_id uuid unique references public.invitations (id) on delete set null,
  -- Which sample the response belongs to; invited and open samples are reported separately.
  mode text not null check (mode in ('invited', 'open')),
  language text not null check (language in ('en', 'es')),
  district text check (district is null or char_length(district) <= 64),
  submitted_at timestamptz,
  received_at timestamptz not null default now(),
  source text not null default 'web' check (source in ('web', 'import', 'paper')),
  weight numeric not null default 1 check (weight > 0 and weight < 1000),
  -- Imports: the row id in the source file, so re-importing the same file doubles nothing.
  external_id text check (external_id is null or char_length(external_id) <= 200),
  constraint responses_id_wave_key unique (id, wave_id),
  constraint responses_web_invited_has_invitation check (
    source <> 'web' or (mode = 'invited') = (invitation_id is not null)
  ),
  constraint responses_web_has_respondent check (source <> 'web' or respondent_id is not null)
);
comment on table public.responses is
  'One completed questionnaire (client UUID id), with wave, sample mode, respondent, language, district, weight and source.';
-- One response per resident per wave (web); the index also serves the "my responses" policy.
create unique index responses_one_per_resident_idx on public.responses (respondent_id, wave_id)
  where respondent_id is not null;
create unique index responses_external_id_idx on public.responses (wave_id, external_id)
  where external_id is not null;
create index responses_wave_district_idx on public.responses (wave_id, district);

create table public.answers (
  response_id uuid not null,
  wave_id uuid not null,
  question_id uuid not null references public.questions (id) on delete cascade,
  -- Exactly one value column is set, by question kind:
  --   satisfaction5, rating5, number → numeric_value; single, district → choice_value;
  --   importance_top3 (ranked), multi → choice_values; text, zip → text_value.
  numeric_value numeric,
  choice_value text,
  choice_values text[],
  text_value text,
  primary key (response_id, question_id),
  constraint answers_response_same_wave foreign key (response_id, wave_id)
    references public.responses (id, wave_id) on delete cascade,
  constraint answers_exactly_one_value check (
    num_nonnulls(numeric_value, choice_value, choice_values, text_value) = 1
  ),
  constraint answers_choice_values_nonempty check (
    choice_values is null or cardinality(choice_values) > 0
  ),
  constraint answers_text_length check (text_value is null or char_length(text_value) <= 4000)
);
comment on table public.answers is
  'One answer per (response, question); wave_id is denormalized (FK-checked) for per-wave aggregates.';
create index answers_question_wave_idx on public.answers (question_id, wave_id);
create index answers_wave_id_idx on public.answers (wave_id);

-- ---------------------------------------------------------------------------------------------
-- Grants: the instrument is public (anyone holding the link sees it); results are not.
alter table public.surveys enable row level security;
alter table public.survey_waves enable row level security;
alter table public.survey_sections enable row level security;
alter table public.questions enable row level security;
alter table public.invitations enable row level security;
alter table public.responses enable row level security;
alter table public.answers enable row level security;

-- Explicit revoke first: a self-hosted or legacy project may still auto-grant new tables to the
-- API roles (contract §1.3); after this, the grants below are the whole truth.
revoke all on public.surveys, public.survey_waves, public.survey_sections, public.questions,
  public.invitations, public.responses, public.answers from anon, authenticated, service_role;
grant select on public.surveys, public.survey_waves, public.survey_sections, public.questions to anon;
grant select, insert, update, delete
  on public.surveys, public.survey_waves, public.survey_sections, public.questions,
     public.invitations, public.responses, public.answers
  to authenticated, service_role;

-- surveys
create policy surveys_select_anon on public.surveys for select to anon using (true);
create policy surveys_select_authenticated on public.surveys for select to authenticated using (true);
create policy surveys_insert_admin on public.surveys for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy surveys_update_admin on public.surveys for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy surveys_delete_admin on public.surveys for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- survey_waves: scheduled (future) waves are visible to staff only.
create policy survey_waves_select_anon on public.survey_waves for select to anon
  using (opens_at <= now());
create policy survey_waves_select_authenticated on public.survey_waves for select to authenticated
  using (opens_at <= now() or (select private.is_staff()));
create policy survey_waves_insert_admin on public.survey_waves for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy survey_waves_update_admin on public.survey_waves for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy survey_waves_delete_admin on public.survey_waves for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- survey_sections
create policy survey_sections_select_anon on public.survey_sections for select to anon using (true);
create policy survey_sections_select_authenticated on public.survey_sections for select to authenticated
  using (true);
create policy survey_sections_insert_admin on public.survey_sections for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy survey_sections_update_admin on public.survey_sections for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy survey_sections_delete_admin on public.survey_sections for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- questions
create policy questions_select_anon on public.questions for select to anon using (true);
create policy questions_select_authenticated on public.questions for select to authenticated using (true);
create policy questions_insert_admin on public.questions for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy questions_update_admin on public.questions for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy questions_delete_admin on public.questions for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- invitations: residents only ever use check_invitation / submit_responses.
create policy invitations_select_staff on public.invitations for select to authenticated
  using ((select private.is_staff(array['admin', 'analyst'])));
create policy invitations_insert_admin on public.invitations for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy invitations_update_admin on public.invitations for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy invitations_delete_admin on public.invitations for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- responses: a resident sees only their own; admin and analyst see all. Writes by residents go
-- through submit_responses only; admins may correct or remove rows (e.g. imports).
create policy responses_select_own_or_staff on public.responses for select to authenticated
  using (
    respondent_id = (select auth.uid())
    or (select private.is_staff(array['admin', 'analyst']))
  );
create policy responses_insert_admin on public.responses for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy responses_update_admin on public.responses for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy responses_delete_admin on public.responses for delete to authenticated
  using ((select private.is_staff(array['admin'])));

-- answers: same audience as their response.
create policy answers_select_own_or_staff on public.answers for select to authenticated
  using (
    (select private.is_staff(array['admin', 'analyst']))
    or exists (
      select 1 from public.responses r
      where r.id = answers.response_id and r.respondent_id = (select auth.uid())
    )
  );
create policy answers_insert_admin on public.answers for insert to authenticated
  with check ((select private.is_staff(array['admin'])));
create policy answers_update_admin on public.answers for update to authenticated
  using ((select private.is_staff(array['admin'])))
  with check ((select private.is_staff(array['admin'])));
create policy answers_delete_admin on public.answers for delete to authenticated
  using ((select private.is_staff(array['admin'])));
