-- CivicPulse demo seed (DESIGN §8). SAMPLE DATA for a local demo, not official figures.
--
-- The city is "Kansas City, MO" as a worked example: the six goal areas of its plan, a resident
-- survey modelled on the ETC Institute instrument, and synthetic responses whose distributions
-- resemble the published figures in ../shared/data/kc-reference.md (fire/EMS ~74% satisfied,
-- police ~46%, streets ~15-19% and named in the top three by ~70%). Targets, operational actuals,
-- narratives, meetings and comments are invented. Run once on a fresh database after the
-- migrations (the Supabase CLI and supabase/local/migrate.ts both do); it runs as the database
-- owner, so RLS does not apply. Synthetic rows are deterministic (setseed below).
--
-- Staff accounts (email confirmed, password `civicpulse-demo` for all three):
--   admin@civicpulse.local      admin      00000000-0000-4000-a000-000000000001
--   analyst@civicpulse.local    analyst    00000000-0000-4000-a000-000000000002
--   moderator@civicpulse.local  moderator  00000000-0000-4000-a000-000000000003
--
-- Resident survey: slug `resident-survey`, id 00000000-0000-4000-a400-000000000001
--   wave 2024 (closed, results published)  00000000-0000-4000-a500-000000002024
--   wave 2025 (closed, results published)  00000000-0000-4000-a500-000000002025
--   wave 2026 (open now, mode 'both': the plain link works, invitation codes also work)
--                                           00000000-0000-4000-a500-000000002026
--   sections  00000000-0000-4000-a600-00000000000N, pages in this order: 1 place, 5-7 services
--             (16 services in three pages), 8 contact_311, 2 importance, 3 profile, 4 comments
--   questions 00000000-0000-4000-a700-0000000000NN  (NN = the question's position, 01..29):
--     01-03 q1_01..q1_03 rating5 (KC as a place to live / work / raise children), 04 q2_01 overall
--     quality of services, 05-20 q3_01..q3_16 the 16 services (satisfaction5, service_category =
--     the service key), 21 q5_01 contacted 311 (single yes/no), 22 q5_02 311 follow-up
--     (show_if q5_01 = yes), 23 q4_top3 (importance_top3), 24 q6_district (keys '1'..'6'),
--     25 q7_zip, 26 q8_years (number 0..100), 27 q9_age (single), 28 q10_info (multi),
--     29 q11_comment (text, max 1000)
--
-- Demo invitation codes (stored only as private.hash_invitation_code(code); case, spaces and
-- dashes are ignored when checked):
--   2026 wave, unused:  KC26-DEMO-0001  KC26-DEMO-0002  KC26-DEMO-0003  KC26-DEMO-0004  KC26-DEMO-0005
--   2026 wave, already used (shows the single-use rejection):  KC26-USED-0001
--   2025 wave (closed; shows the "survey closed" path):        KC25-DEMO-0001
--
-- Other fixed ids: goal areas 00000000-0000-4000-a100-00000000000N (N = 1..6 in plan order),
-- goals ...-a200-0000000000NN, measures ...-a300-0000000000NN, meetings ...-a800-0000000000NN
-- (01..12 in date order, placed around the day the seed runs: 01-09 ended, 10 live, 11-12
-- scheduled; re-seed to move the schedule), agenda items ...-a900-0000000NN00M,
-- demo resident (anonymous) users ...-ab00-0000000000NN, comments ...-ac00-0000000NN0MM.
-- Synthetic responses have ids derived from md5('civicpulse-demo-response-<year>-<n>') and
-- external_id 'demo-<year>-<n>'.

select setseed(0.42);

-- =============================================================================================
-- People: three staff accounts and a few anonymous residents who comment and vote.

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  raw_app_meta_data, raw_user_meta_data, is_super_admin, is_anonymous, created_at, updated_at
)
select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
  extensions.crypt('civicpulse-demo', extensions.gen_salt('bf')), now(),
  -- GoTrue scans these token columns into Go strings: NULL breaks sign-in, '' does not.
  '', '', '', '',
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('display_name', u.display_name), false, false, now(), now()
from (values
  ('00000000-0000-4000-a000-000000000001'::uuid, 'admin@civicpulse.local', 'Demo Admin'),
  ('00000000-0000-4000-a000-000000000002'::uuid, 'analyst@civicpulse.local', 'Demo Analyst'),
  ('00000000-0000-4000-a000-000000000003'::uuid, 'moderator@civicpulse.local', 'Demo Moderator')
) u (id, email, display_name);

-- Email identities, as GoTrue creates them on sign-up (provider_id = user id for email).
insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id, u.id::text, u.id,
  jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
  'email', now(), now(), now()
from auth.users u
where u.id in ('00000000-0000-4000-a000-000000000001', '00000000-0000-4000-a000-000000000002',
               '00000000-0000-4000-a000-000000000003');

insert into public.staff (user_id, role, display_name) values
  ('00000000-0000-4000-a000-000000000001', 'admin', 'Demo Admin'),
  ('00000000-0000-4000-a000-000000000002', 'analyst', 'Demo Analyst'),
  ('00000000-0000-4000-a000-000000000003', 'moderator', 'Demo Moderator');

-- Anonymous residents (what signInAnonymously creates): authors of demo comments and voters.
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, confirmation_token, recovery_token,
  email_change_token_new, email_change, raw_app_meta_data, raw_user_meta_data, is_super_admin,
  is_anonymous, created_at, updated_at
)
select '00000000-0000-0000-0000-000000000000',
  ('00000000-0000-4000-ab00-0000000000' || lpad(i::text, 2, '0'))::uuid,
  'authenticated', 'authenticated', null, '', '', '', '', '', '{}'::jsonb, '{}'::jsonb, false, true,
  now() - interval '300 days', now() - interval '300 days'
from generate_series(1, 24) i;

-- =============================================================================================
-- Goals framework: the six KC goal areas, goals, measures (after the questions they link to).

insert into public.goal_areas (id, key, name, description, position) values
  ('00000000-0000-4000-a100-000000000001', 'neighborhoods',
   '{"en": "Neighborhoods & Healthy Communities", "es": "Vecindarios y comunidades saludables"}',
   '{"en": "Safe, clean and healthy neighborhoods where residents can thrive.", "es": "Vecindarios seguros, limpios y saludables donde los residentes puedan prosperar."}', 1),
  ('00000000-0000-4000-a100-000000000002', 'finance',
   '{"en": "Finance & Governance", "es": "Finanzas y gobernanza"}',
   '{"en": "Employ best practices in governance and management with an emphasis on accountability, transparency, engagement and resiliency, and be good stewards of the city''s resources.", "es": "Aplicar las mejores prácticas de gobierno y gestión, con énfasis en la rendición de cuentas, la transparencia, la participación y la resiliencia, y administrar bien los recursos de la ciudad."}', 2),
  ('00000000-0000-4000-a100-000000000003', 'infrastructure',
   '{"en": "Infrastructure & Transportation", "es": "Infraestructura y transporte"}',
   '{"en": "Improve the city''s physical infrastructure, with special attention to streets, curbs, sidewalks and water and sewer systems, and strengthen a connected multimodal transportation system.", "es": "Mejorar la infraestructura física de la ciudad, con especial atención a calles, bordillos, aceras y sistemas de agua y alcantarillado, y fortalecer un sistema de transporte multimodal conectado."}', 3),
  ('00000000-0000-4000-a100-000000000004', 'economic_development',
   '{"en": "Economic Development", "es": "Desarrollo económico"}',
   '{"en": "Grow jobs and businesses and make development review predictable.", "es": "Crear empleos y negocios y hacer que la revisión de proyectos de desarrollo sea predecible."}', 4),
  ('00000000-0000-4000-a100-000000000005', 'public_safety',
   '{"en": "Public Safety", "es": "Seguridad pública"}',
   '{"en": "Reduce crime and respond quickly and reliably to emergencies.", "es": "Reducir la delincuencia y responder de forma rápida y confiable a las emergencias."}', 5),
  ('00000000-0000-4000-a100-000000000006', 'customer_service',
   '{"en": "Customer Service & Communication", "es": "Atención al cliente y comunicación"}',
   '{"en": "Be easy to reach, responsive and clear with every resident.", "es": "Ser accesibles, responder a tiempo y comunicarnos con claridad con cada residente."}', 6);

insert into public.goals (id, goal_area_id, key, title, description, position, published) values
  ('00000000-0000-4000-a200-000000000001', '00000000-0000-4000-a100-000000000001', 'nhc_clean_safe',
   '{"en": "Clean, safe and well-kept neighborhoods", "es": "Vecindarios limpios, seguros y bien cuidados"}',
   '{"en": "Respond quickly to code violations, remove dangerous buildings and keep trash service reliable.", "es": "Responder pronto a las infracciones de código, eliminar edificios peligrosos y mantener confiable la recolección de basura."}', 1, true),
  ('00000000-0000-4000-a200-000000000002', '00000000-0000-4000-a100-000000000001', 'nhc_healthy',
   '{"en": "Healthy residents and great parks", "es": "Residentes saludables y parques excelentes"}',
   '{"en": "Parks, recreation and public health services residents value.", "es": "Parques, recreación y servicios de salud pública que los residentes valoran."}', 2, true),
  ('00000000-0000-4000-a200-000000000003', '00000000-0000-4000-a100-000000000002', 'fg_stewardship',
   '{"en": "Good stewards of public money", "es": "Buena administración del dinero público"}',
   '{"en": "Find cost savings and efficiencies and keep healthy reserves.", "es": "Encontrar ahorros y eficiencias y mantener reservas sólidas."}', 1, true),
  ('00000000-0000-4000-a200-000000000004', '00000000-0000-4000-a100-000000000002', 'fg_transparent',
   '{"en": "Transparent, accountable government", "es": "Gobierno transparente y responsable"}',
   '{"en": "Pay vendors on time and publish the city''s data on schedule.", "es": "Pagar a tiempo a los proveedores y publicar los datos de la ciudad según lo previsto."}', 2, true),
  ('00000000-0000-4000-a200-000000000005', '00000000-0000-4000-a100-000000000003', 'it_streets',
   '{"en": "Well-maintained streets, curbs and sidewalks", "es": "Calles, bordillos y aceras bien mantenidos"}',
   '{"en": "Residents name streets their top priority year after year; resurface more lane miles and fix potholes faster.", "es": "Año tras año los residentes dicen que las calles son su máxima prioridad; repavimentar más carriles y reparar baches más rápido."}', 1, true),
  ('00000000-0000-4000-a200-000000000006', '00000000-0000-4000-a100-000000000003', 'it_transport',
   '{"en": "Connected, multimodal transportation", "es": "Transporte multimodal y conectado"}',
   '{"en": "Enhance connectivity through a safe, efficient, convenient and sustainable transportation system.", "es": "Mejorar la conectividad con un sistema de transporte seguro, eficiente, cómodo y sostenible."}', 2, true),
  ('00000000-0000-4000-a200-000000000007', '00000000-0000-4000-a100-000000000003', 'it_water',
   '{"en": "Reliable water, sewer and stormwater systems", "es": "Sistemas confiables de agua, alcantarillado y aguas pluviales"}',
   null, 3, true),
  ('00000000-0000-4000-a200-000000000008', '00000000-0000-4000-a100-000000000004', 'ed_business',
   '{"en": "Grow jobs and small businesses", "es": "Crear empleos y pequeños negocios"}',
   null, 1, true),
  ('00000000-0000-4000-a200-000000000009', '00000000-0000-4000-a100-000000000004', 'ed_development',
   '{"en": "Predictable, timely development review", "es": "Revisión de proyectos predecible y oportuna"}',
   '{"en": "Issue permits faster and make the process clear to applicants.", "es": "Emitir permisos más rápido y explicar el proceso con claridad a los solicitantes."}', 2, true),
  ('00000000-0000-4000-a200-000000000010', '00000000-0000-4000-a100-000000000005', 'ps_crime',
   '{"en": "Reduce violent crime and build trust", "es": "Reducir la violencia y generar confianza"}',
   null, 1, true),
  ('00000000-0000-4000-a200-000000000011', '00000000-0000-4000-a100-000000000005', 'ps_response',
   '{"en": "Fast, reliable emergency response", "es": "Respuesta a emergencias rápida y confiable"}',
   null, 2, true),
  ('00000000-0000-4000-a200-000000000012', '00000000-0000-4000-a100-000000000006', 'csc_311',
   '{"en": "Responsive, easy-to-reach 311", "es": "Un 311 accesible y que responde"}',
   null, 1, true),
  ('00000000-0000-4000-a200-000000000013', '00000000-0000-4000-a100-000000000006', 'csc_communication',
   '{"en": "Clear, accessible communication", "es": "Comunicación clara y accesible"}',
   '{"en": "Keep residents informed in plain language, in English and Spanish.", "es": "Mantener informados a los residentes en lenguaje sencillo, en inglés y en español."}', 2, true),
  -- A draft goal staff are still writing: invisible to the public.
  ('00000000-0000-4000-a200-000000000014', '00000000-0000-4000-a100-000000000002', 'fg_resilience',
   '{"en": "Resilient long-term finances (draft)", "es": "Finanzas resilientes a largo plazo (borrador)"}',
   null, 3, false);

-- =============================================================================================
-- The resident survey (ETC-style instrument), shared by all three waves.

insert into public.surveys (id, slug, title, intro, languages) values (
  '00000000-0000-4000-a400-000000000001', 'resident-survey',
  '{"en": "Kansas City Resident Satisfaction Survey (demo)", "es": "Encuesta de satisfacción de residentes de Kansas City (demostración)"}',
  '{"en": "Tell us how the city is doing. It takes about 8 minutes, your answers are anonymous, and you can skip any question not marked as required. This is a demonstration with sample data, modelled on the annual resident survey.", "es": "Díganos cómo lo está haciendo la ciudad. Toma unos 8 minutos, sus respuestas son anónimas y puede omitir cualquier pregunta que no esté marcada como obligatoria. Esta es una demostración con datos de ejemplo, basada en la encuesta anual a residentes."}',
  array['en', 'es']
);

insert into public.survey_waves (id, survey_id, label, period, mode, opens_at, closes_at, results_published) values
  ('00000000-0000-4000-a500-000000002024', '00000000-0000-4000-a400-000000000001',
   '2024 resident survey', '2024', 'invited', '2024-02-01 14:00+00', '2024-05-31 23:00+00', true),
  ('00000000-0000-4000-a500-000000002025', '00000000-0000-4000-a400-000000000001',
   '2025 resident survey', '2025', 'invited', '2025-02-03 14:00+00', '2025-05-30 23:00+00', true),
  -- Open-ended on purpose so the demo link keeps working; staff close it from the admin area.
  ('00000000-0000-4000-a500-000000002026', '00000000-0000-4000-a400-000000000001',
   '2026 resident survey', '2026', 'both', '2026-01-05 14:00+00', null, false);

insert into public.survey_sections (id, survey_id, key, position, title, description) values
  -- Pages short enough for a phone: at most six rating questions on one screen.
  ('00000000-0000-4000-a600-000000000001', '00000000-0000-4000-a400-000000000001', 'place', 1,
   '{"en": "Kansas City as a place", "es": "Kansas City como lugar"}',
   '{"en": "Choose \"Don''t know\" if you have no opinion.", "es": "Elija \"No sé\" si no tiene opinión."}'),
  ('00000000-0000-4000-a600-000000000005', '00000000-0000-4000-a400-000000000001', 'services_1', 2,
   '{"en": "City services (1 of 3)", "es": "Servicios de la ciudad (1 de 3)"}',
   '{"en": "Rate each service from very satisfied to very dissatisfied. Choose \"Don''t know\" if you have no opinion.", "es": "Califique cada servicio de muy satisfecho a muy insatisfecho. Elija \"No sé\" si no tiene opinión."}'),
  ('00000000-0000-4000-a600-000000000006', '00000000-0000-4000-a400-000000000001', 'services_2', 3,
   '{"en": "City services (2 of 3)", "es": "Servicios de la ciudad (2 de 3)"}',
   '{"en": "Rate each service from very satisfied to very dissatisfied. Choose \"Don''t know\" if you have no opinion.", "es": "Califique cada servicio de muy satisfecho a muy insatisfecho. Elija \"No sé\" si no tiene opinión."}'),
  ('00000000-0000-4000-a600-000000000007', '00000000-0000-4000-a400-000000000001', 'services_3', 4,
   '{"en": "City services (3 of 3)", "es": "Servicios de la ciudad (3 de 3)"}',
   '{"en": "Rate each service from very satisfied to very dissatisfied. Choose \"Don''t know\" if you have no opinion.", "es": "Califique cada servicio de muy satisfecho a muy insatisfecho. Elija \"No sé\" si no tiene opinión."}'),
  ('00000000-0000-4000-a600-000000000008', '00000000-0000-4000-a400-000000000001', 'contact_311', 5,
   '{"en": "Contacting the city", "es": "Comunicarse con la ciudad"}', null),
  ('00000000-0000-4000-a600-000000000002', '00000000-0000-4000-a400-000000000001', 'importance', 6,
   '{"en": "What matters most", "es": "Lo que más importa"}', null),
  ('00000000-0000-4000-a600-000000000003', '00000000-0000-4000-a400-000000000001', 'profile', 7,
   '{"en": "Your neighborhood and you", "es": "Su vecindario y usted"}',
   '{"en": "These answers let us compare council districts. They are never shown for groups smaller than 30 people.", "es": "Estas respuestas nos permiten comparar distritos del concejo. Nunca se muestran para grupos de menos de 30 personas."}'),
  ('00000000-0000-4000-a600-000000000004', '00000000-0000-4000-a400-000000000001', 'comments', 8,
   '{"en": "Comments", "es": "Comentarios"}', null);

-- The 16 major services: option keys of the top-3 question and service_category of the
-- satisfaction items (and so of the survey measures). Numbered like KC's q3_01..q3_16, except
-- that item 12 here is animal control (KC's q3_12 is customer service from city employees).
create temp table seed_services (
  n int primary key, key text not null, en text not null, es text not null,
  p24 float8 not null, p25 float8 not null, dk float8 not null, w float8 not null, off float8[] not null
);
-- p24/p25: % satisfied among opinions in 2024/2025; dk: share answering "don't know";
-- w: weight when drawing the top-3 services; off: council district 1..6 shifts of % satisfied
-- (shapes from kc-reference.md table A5).
insert into seed_services values
  (1, 'police', 'Police services', 'Servicios de policía',
   0.47, 0.45, 0.04, 58, '{0.12,0.12,-0.10,-0.09,-0.08,0.04}'),
  (2, 'fire_ems', 'Fire and emergency medical services (ambulance)', 'Bomberos y servicios médicos de emergencia (ambulancia)',
   0.74, 0.75, 0.07, 14, '{0.05,0.04,0.00,-0.01,-0.07,0.00}'),
  (3, 'streets', 'Maintenance of streets, sidewalks and infrastructure', 'Mantenimiento de calles, aceras e infraestructura',
   0.165, 0.205, 0.005, 110, '{0.02,0.02,0.00,0.03,-0.03,-0.04}'),
  (4, 'trash_recycling', 'Trash collection and curbside recycling', 'Recolección de basura y reciclaje en la acera',
   0.69, 0.66, 0.02, 13, '{0.00,0.05,-0.07,0.03,-0.05,0.02}'),
  (5, 'water', 'Water utilities', 'Servicios de agua',
   0.56, 0.53, 0.02, 11, '{-0.02,0.07,-0.08,0.03,-0.03,0.00}'),
  (6, 'code_enforcement', 'Code enforcement and neighborhood services', 'Cumplimiento de códigos y servicios vecinales',
   0.37, 0.39, 0.06, 17, '{0.02,0.02,-0.07,0.03,-0.06,0.06}'),
  (7, 'parks', 'Parks and recreation', 'Parques y recreación',
   0.61, 0.63, 0.05, 11, '{0.00,0.03,-0.06,0.05,-0.10,0.06}'),
  (8, 'health', 'Health Department services', 'Servicios del Departamento de Salud',
   0.55, 0.55, 0.17, 7.5, '{0,0,0,0,0,0}'),
  (9, 'airport', 'Kansas City International Airport', 'Aeropuerto Internacional de Kansas City',
   0.55, 0.63, 0.07, 6, '{0,0,0,0,0,0}'),
  (10, 'customer_311', '311 customer service', 'Servicio al cliente del 311',
   0.56, 0.61, 0.14, 4.7, '{0.00,-0.03,0.05,-0.03,0.00,0.02}'),
  (11, 'municipal_court', 'Municipal Court', 'Tribunal Municipal',
   0.33, 0.34, 0.37, 3.2, '{0,0,0,0,0,0}'),
  (12, 'animal_control', 'Animal control and the animal shelter', 'Control de animales y refugio de animales',
   0.42, 0.44, 0.13, 4.6, '{0,0,0,0,0,0}'),
  (13, 'communication', 'How well the city communicates with residents', 'Comunicación de la ciudad con los residentes',
   0.38, 0.42, 0.05, 10, '{0,0,0,0,0,0}'),
  (14, 'stormwater', 'Stormwater runoff and flood management', 'Manejo de aguas pluviales e inundaciones',
   0.36, 0.36, 0.09, 9.3, '{0,0,0,0,0,0}'),
  (15, 'transit', 'Public transportation (buses and streetcar)', 'Transporte público (autobuses y tranvía)',
   0.43, 0.44, 0.20, 11, '{-0.07,-0.04,0.07,0.07,0.02,-0.06}'),
  (16, 'planning', 'Planning, zoning and development services', 'Servicios de planificación, zonificación y desarrollo',
   0.26, 0.27, 0.33, 7.3, '{0,0,0,0,0,0}');

-- Questions. Positions are global (1..29) and double as the last digits of each question id.
insert into public.questions (id, survey_id, section_id, key, position, kind, prompt, help, required,
  options, min, max, max_length, show_if, service_category)
select ('00000000-0000-4000-a700-0000000000' || lpad(q.position::text, 2, '0'))::uuid,
  '00000000-0000-4000-a400-000000000001'::uuid,
  ('00000000-0000-4000-a600-00000000000' || q.section)::uuid,
  q.key, q.position, q.kind, q.prompt::jsonb, q.help::jsonb, q.required, q.options::jsonb,
  q.min, q.max, q.max_length, q.show_if::jsonb, q.service_category
from (values
  (1, 'q1_01', 1, 'rating5',
   '{"en": "Kansas City as a place to live", "es": "Kansas City como lugar para vivir"}', null, true, null, null::numeric, null::numeric, null::int, null, null),
  (1, 'q1_02', 2, 'rating5',
   '{"en": "Kansas City as a place to work", "es": "Kansas City como lugar para trabajar"}', null, false, null, null, null, null, null, null),
  (1, 'q1_03', 3, 'rating5',
   '{"en": "Kansas City as a place to raise children", "es": "Kansas City como lugar para criar a los hijos"}', null, false, null, null, null, null, null, null),
  (1, 'q2_01', 4, 'satisfaction5',
   '{"en": "Overall quality of city services", "es": "Calidad general de los servicios de la ciudad"}', null, true, null, null, null, null, null, 'overall'),
  (8, 'q5_01', 21, 'single',
   '{"en": "Have you contacted 311 in the past year?", "es": "¿Se ha comunicado con el 311 en el último año?"}', null, false,
   '[{"key": "yes", "label": {"en": "Yes", "es": "Sí"}}, {"key": "no", "label": {"en": "No", "es": "No"}}]', null, null, null, null, null),
  (8, 'q5_02', 22, 'satisfaction5',
   '{"en": "How satisfied were you with how 311 handled your request?", "es": "¿Qué tan satisfecho quedó con la forma en que el 311 atendió su solicitud?"}',
   '{"en": "Only asked if you contacted 311.", "es": "Solo se pregunta si se comunicó con el 311."}', false, null, null, null, null,
   '{"question": "q5_01", "op": "eq", "value": "yes"}', null),
  (3, 'q6_district', 24, 'district',
   '{"en": "Which council district do you live in?", "es": "¿En qué distrito del concejo vive?"}',
   '{"en": "It is printed on your voter registration card.", "es": "Aparece en su tarjeta de registro de votante."}', false,
   '[{"key": "1", "label": {"en": "District 1", "es": "Distrito 1"}}, {"key": "2", "label": {"en": "District 2", "es": "Distrito 2"}}, {"key": "3", "label": {"en": "District 3", "es": "Distrito 3"}}, {"key": "4", "label": {"en": "District 4", "es": "Distrito 4"}}, {"key": "5", "label": {"en": "District 5", "es": "Distrito 5"}}, {"key": "6", "label": {"en": "District 6", "es": "Distrito 6"}}]',
   null, null, null, null, null),
  (3, 'q7_zip', 25, 'zip',
   '{"en": "What is your home ZIP code?", "es": "¿Cuál es el código postal de su casa?"}', null, false, null, null, null, null, null, null),
  (3, 'q8_years', 26, 'number',
   '{"en": "How many years have you lived in Kansas City?", "es": "¿Cuántos años ha vivido en Kansas City?"}',
   '{"en": "Enter 0 if less than a year.", "es": "Escriba 0 si es menos de un año."}', false, null, 0, 100, null, null, null),
  (3, 'q9_age', 27, 'single',
   '{"en": "What is your age?", "es": "¿Cuál es su edad?"}', null, false,
   '[{"key": "18_34", "label": {"en": "18 to 34", "es": "18 a 34"}}, {"key": "35_44", "label": {"en": "35 to 44", "es": "35 a 44"}}, {"key": "45_54", "label": {"en": "45 to 54", "es": "45 a 54"}}, {"key": "55_64", "label": {"en": "55 to 64", "es": "55 a 64"}}, {"key": "65_plus", "label": {"en": "65 or older", "es": "65 o más"}}, {"key": "no_answer", "label": {"en": "Prefer not to say", "es": "Prefiero no decirlo"}}]',
   null, null, null, null, null),
  (3, 'q10_info', 28, 'multi',
   '{"en": "Where do you get information about the city? Choose all that apply.", "es": "¿Dónde obtiene información sobre la ciudad? Elija todas las que correspondan."}', null, false,
   '[{"key": "website", "label": {"en": "City website", "es": "Sitio web de la ciudad"}}, {"key": "social_media", "label": {"en": "City social media", "es": "Redes sociales de la ciudad"}}, {"key": "news", "label": {"en": "TV, radio or newspaper", "es": "Televisión, radio o periódico"}}, {"key": "utility_bill", "label": {"en": "Inserts in my water bill", "es": "Avisos en mi factura del agua"}}, {"key": "neighborhood", "label": {"en": "Neighborhood association", "es": "Asociación de vecinos"}}, {"key": "council", "label": {"en": "My council member''s newsletter", "es": "Boletín de mi concejal"}}, {"key": "word_of_mouth", "label": {"en": "Friends and neighbors", "es": "Amigos y vecinos"}}, {"key": "other", "label": {"en": "Other", "es": "Otro"}}]',
   null, null, null, null, null),
  (4, 'q11_comment', 29, 'text',
   '{"en": "Is there anything else you would like to tell the city?", "es": "¿Hay algo más que quiera decirle a la ciudad?"}',
   '{"en": "Please do not include names, addresses or phone numbers.", "es": "Por favor no incluya nombres, direcciones ni números de teléfono."}', false, null, null, null, 1000, null, null)
) q (section, key, position, kind, prompt, help, required, options, min, max, max_length, show_if, service_category)
union all
-- The top-3 question lists the 16 services as options.
select '00000000-0000-4000-a700-000000000023', '00000000-0000-4000-a400-000000000001',
  '00000000-0000-4000-a600-000000000002', 'q4_top3', 23, 'importance_top3',
  '{"en": "Which THREE of these services should receive the most emphasis from city leaders over the next two years?", "es": "¿Cuáles TRES de estos servicios deberían recibir más atención de los líderes de la ciudad en los próximos dos años?"}',
  '{"en": "Pick up to three, most important first.", "es": "Elija hasta tres, el más importante primero."}', false,
  (select jsonb_agg(jsonb_build_object('key', s.key, 'label', jsonb_build_object('en', s.en, 'es', s.es)) order by s.n)
   from seed_services s),
  null, null, null, null, null
union all
-- The 16 satisfaction items, positions 5..20, on three pages.
select ('00000000-0000-4000-a700-0000000000' || lpad((4 + s.n)::text, 2, '0'))::uuid,
  '00000000-0000-4000-a400-000000000001',
  -- Three pages of services: 1-6, 7-11, 12-16.
  ('00000000-0000-4000-a600-00000000000' || case when s.n <= 6 then 5 when s.n <= 11 then 6 else 7 end)::uuid,
  'q3_' || lpad(s.n::text, 2, '0'), 4 + s.n, 'satisfaction5',
  jsonb_build_object('en', s.en, 'es', s.es), null, false, null, null, null, null, null, s.key
from seed_services s;

-- Invitation codes (plain codes listed at the top of this file). Hashed exactly like
-- check_invitation / submit_responses hash what a resident types.
insert into public.invitations (id, wave_id, code_hash, batch, used_at) values
  ('00000000-0000-4000-a510-000000000001', '00000000-0000-4000-a500-000000002026',
   private.hash_invitation_code('KC26-DEMO-0001'), 'demo-mailing-1', null),
  ('00000000-0000-4000-a510-000000000002', '00000000-0000-4000-a500-000000002026',
   private.hash_invitation_code('KC26-DEMO-0002'), 'demo-mailing-1', null),
  ('00000000-0000-4000-a510-000000000003', '00000000-0000-4000-a500-000000002026',
   private.hash_invitation_code('KC26-DEMO-0003'), 'demo-mailing-1', null),
  ('00000000-0000-4000-a510-000000000004', '00000000-0000-4000-a500-000000002026',
   private.hash_invitation_code('KC26-DEMO-0004'), 'demo-mailing-1', null),
  ('00000000-0000-4000-a510-000000000005', '00000000-0000-4000-a500-000000002026',
   private.hash_invitation_code('KC26-DEMO-0005'), 'demo-mailing-1', null),
  ('00000000-0000-4000-a510-000000000006', '00000000-0000-4000-a500-000000002026',
   private.hash_invitation_code('KC26-USED-0001'), 'demo-mailing-1', '2026-03-14 18:22+00'),
  ('00000000-0000-4000-a510-000000000007', '00000000-0000-4000-a500-000000002025',
   private.hash_invitation_code('KC25-DEMO-0001'), 'demo-mailing-2025', null);

-- =============================================================================================
-- Measures: survey measures (% satisfied on a question) and operational ones.

insert into public.measures (id, goal_id, key, name, description, unit, direction, kind, question_id,
  source, position, published)
select ('00000000-0000-4000-a300-0000000000' || lpad(m.n::text, 2, '0'))::uuid,
  ('00000000-0000-4000-a200-0000000000' || lpad(m.goal::text, 2, '0'))::uuid,
  m.key, m.name::jsonb, m.description::jsonb, m.unit, m.direction, m.kind,
  (select q.id from public.questions q
   where q.survey_id = '00000000-0000-4000-a400-000000000001' and q.key = m.question_key),
  m.source, m.position, m.published
from (values
  -- Neighborhoods & Healthy Communities
  (1, 1, 'code_cases_5day',
   '{"en": "Code-enforcement cases inspected in 5 days or less", "es": "Casos de cumplimiento de código inspeccionados en 5 días o menos"}',
   '{"en": "Share of new property-maintenance complaints with a first inspection within five days. Borrowed from the Independence, MO performance dashboard (target 75%; 81% in Q1 FY17-18, \"Goal Met\").", "es": "Porcentaje de nuevas quejas de mantenimiento de propiedades con una primera inspección en cinco días. Tomado del tablero de desempeño de Independence, MO (meta 75 %; 81 % en el primer trimestre del año fiscal 17-18, \"Meta cumplida\")."}',
   'percent', 'higher', 'operational', null, 'Neighborhood Services case system (sample data)', 1, true),
  (2, 1, 'sat_code_enforcement',
   '{"en": "Satisfaction with code enforcement", "es": "Satisfacción con el cumplimiento de códigos"}', null,
   'percent', 'higher', 'survey', 'q3_06', 'Resident survey', 2, true),
  (3, 1, 'dangerous_buildings_demolished',
   '{"en": "Dangerous buildings demolished", "es": "Edificios peligrosos demolidos"}', null,
   'count', 'higher', 'operational', null, 'Dangerous Buildings program (sample data)', 3, true),
  (4, 1, 'sat_trash',
   '{"en": "Satisfaction with trash collection and recycling", "es": "Satisfacción con la recolección de basura y el reciclaje"}', null,
   'percent', 'higher', 'survey', 'q3_04', 'Resident survey', 4, true),
  (5, 2, 'sat_parks',
   '{"en": "Satisfaction with parks and recreation", "es": "Satisfacción con parques y recreación"}', null,
   'percent', 'higher', 'survey', 'q3_07', 'Resident survey', 1, true),
  (6, 2, 'sat_health',
   '{"en": "Satisfaction with Health Department services", "es": "Satisfacción con los servicios del Departamento de Salud"}', null,
   'percent', 'higher', 'survey', 'q3_08', 'Resident survey', 2, true),
  (7, 2, 'place_to_live',
   '{"en": "Kansas City rated an excellent or good place to live", "es": "Kansas City calificada como un lugar excelente o bueno para vivir"}', null,
   'percent', 'higher', 'survey', 'q1_01', 'Resident survey', 3, true),
  -- Finance & Governance
  (8, 3, 'fire_overtime_hours',
   '{"en": "Fire Department overtime hours", "es": "Horas extra del Departamento de Bomberos"}',
   '{"en": "Fewer overtime hours at equal coverage means better scheduling, not fewer firefighters on duty.", "es": "Menos horas extra con la misma cobertura significa mejor planificación, no menos bomberos de turno."}',
   'hours', 'lower', 'operational', null, 'Payroll system (sample data)', 1, true),
  (9, 3, 'reserve_pct',
   '{"en": "General Fund reserve as a share of expenditures", "es": "Reserva del Fondo General como porcentaje del gasto"}', null,
   'percent', 'higher', 'operational', null, 'Annual financial report (sample data)', 2, true),
  (10, 4, 'invoices_paid_30',
   '{"en": "Vendor invoices paid within 30 days", "es": "Facturas de proveedores pagadas en 30 días"}', null,
   'percent', 'higher', 'operational', null, 'Accounts payable (sample data)', 1, true),
  (11, 4, 'open_data_on_schedule',
   '{"en": "Open-data datasets updated on schedule", "es": "Conjuntos de datos abiertos actualizados a tiempo"}',
   '{"en": "New measure under review; not yet public.", "es": "Medida nueva en revisión; todavía no es pública."}',
   'percent', 'higher', 'operational', null, 'Open data portal (sample data)', 2, false),
  -- Infrastructure & Transportation
  (12, 5, 'sat_streets',
   '{"en": "Satisfaction with streets, sidewalks and infrastructure", "es": "Satisfacción con calles, aceras e infraestructura"}', null,
   'percent', 'higher', 'survey', 'q3_03', 'Resident survey', 1, true),
  (13, 5, 'potholes_3day',
   '{"en": "Potholes repaired within 3 business days", "es": "Baches reparados en 3 días hábiles"}', null,
   'percent', 'higher', 'operational', null, 'Public Works work orders (sample data)', 2, true),
  (14, 5, 'lane_miles_resurfaced',
   '{"en": "Lane miles resurfaced", "es": "Millas de carril repavimentadas"}', null,
   'lane_miles', 'higher', 'operational', null, 'Public Works (sample data)', 3, true),
  (15, 6, 'sat_transit',
   '{"en": "Satisfaction with public transportation", "es": "Satisfacción con el transporte público"}', null,
   'percent', 'higher', 'survey', 'q3_15', 'Resident survey', 1, true),
  (16, 7, 'sat_water',
   '{"en": "Satisfaction with water utilities", "es": "Satisfacción con los servicios de agua"}', null,
   'percent', 'higher', 'survey', 'q3_05', 'Resident survey', 1, true),
  (17, 7, 'sat_stormwater',
   '{"en": "Satisfaction with stormwater and flood management", "es": "Satisfacción con el manejo de aguas pluviales e inundaciones"}', null,
   'percent', 'higher', 'survey', 'q3_14', 'Resident survey', 2, true),
  -- Economic Development
  (18, 8, 'place_to_work',
   '{"en": "Kansas City rated an excellent or good place to work", "es": "Kansas City calificada como un lugar excelente o bueno para trabajar"}', null,
   'percent', 'higher', 'survey', 'q1_02', 'Resident survey', 1, true),
  (19, 8, 'sat_airport',
   '{"en": "Satisfaction with the airport", "es": "Satisfacción con el aeropuerto"}', null,
   'percent', 'higher', 'survey', 'q3_09', 'Resident survey', 2, true),
  (20, 9, 'sat_planning',
   '{"en": "Satisfaction with planning and development services", "es": "Satisfacción con los servicios de planificación y desarrollo"}', null,
   'percent', 'higher', 'survey', 'q3_16', 'Resident survey', 1, true),
  (21, 9, 'permit_days',
   '{"en": "Median days to issue a commercial building permit", "es": "Mediana de días para emitir un permiso de construcción comercial"}', null,
   'days', 'lower', 'operational', null, 'Permit system (sample data)', 2, true),
  -- Public Safety
  (22, 10, 'sat_police',
   '{"en": "Satisfaction with police services", "es": "Satisfacción con los servicios de policía"}', null,
   'percent', 'higher', 'survey', 'q3_01', 'Resident survey', 1, true),
  (23, 10, 'calls_911_15s',
   '{"en": "911 calls answered within 15 seconds", "es": "Llamadas al 911 contestadas en 15 segundos"}', null,
   'percent', 'higher', 'operational', null, 'Emergency communications center (sample data)', 2, true),
  (24, 11, 'sat_fire_ems',
   '{"en": "Satisfaction with fire and ambulance services", "es": "Satisfacción con bomberos y ambulancias"}', null,
   'percent', 'higher', 'survey', 'q3_02', 'Resident survey', 1, true),
  (25, 11, 'fire_response_90th',
   '{"en": "First fire unit on scene, 90th percentile", "es": "Llegada de la primera unidad de bomberos, percentil 90"}', null,
   'minutes', 'lower', 'operational', null, 'Fire dispatch records (sample data)', 2, true),
  -- Customer Service & Communication
  (26, 12, 'sat_311',
   '{"en": "Satisfaction with 311 customer service", "es": "Satisfacción con el servicio al cliente del 311"}', null,
   'percent', 'higher', 'survey', 'q3_10', 'Resident survey', 1, true),
  (27, 12, 'calls_311_60s',
   '{"en": "311 calls answered within 60 seconds", "es": "Llamadas al 311 contestadas en 60 segundos"}', null,
   'percent', 'higher', 'operational', null, '311 call center (sample data)', 2, true),
  (28, 12, 'sr_closed_on_time',
   '{"en": "311 service requests closed on time", "es": "Solicitudes de servicio del 311 cerradas a tiempo"}',
   '{"en": "Definition of \"on time\" still being agreed with departments; not yet public.", "es": "La definición de \"a tiempo\" aún se está acordando con los departamentos; todavía no es pública."}',
   'percent', 'higher', 'operational', null, '311 case system (sample data)', 3, false),
  (29, 13, 'sat_communication',
   '{"en": "Satisfaction with city communication", "es": "Satisfacción con la comunicación de la ciudad"}', null,
   'percent', 'higher', 'survey', 'q3_13', 'Resident survey', 1, true),
  (30, 13, 'sat_overall',
   '{"en": "Satisfaction with the overall quality of city services", "es": "Satisfacción con la calidad general de los servicios de la ciudad"}', null,
   'percent', 'higher', 'survey', 'q2_01', 'Resident survey', 2, true)
) m (n, goal, key, name, description, unit, direction, kind, question_key, source, position, published);

-- Operational measures: quarterly and annual targets for 2025 and 2026, actuals through
-- 2026-Q3 (2026-Q4 has not happened yet). Some quarters meet the target, some miss it.
create temp table seed_ops (
  key text primary key,
  t25 float8[], a25_target float8, t26 float8[], a26_target float8,
  actual float8[],   -- 2025-Q1..Q4, 2026-Q1..Q3
  a25_actual float8,
  unpublished_q text -- a period whose actual is still under review (not public)
);
insert into seed_ops values
  ('code_cases_5day', '{75,75,75,75}', 75, '{75,75,75,75}', 75, '{71,76,79,74,78,81,73}', 75.0, null),
  ('dangerous_buildings_demolished', '{25,25,25,25}', 100, '{30,30,30,30}', 120, '{18,27,31,22,24,33,29}', 98, null),
  ('fire_overtime_hours', '{45000,45000,45000,45000}', 180000, '{42000,42000,42000,42000}', 168000,
   '{48200,44100,51900,46300,41800,40900,41600}', 190500, null),
  ('reserve_pct', null, 17, null, 17, null, 15.8, null),
  ('invoices_paid_30', '{90,90,90,90}', 90, '{90,90,90,90}', 90, '{84,87,91,92,93,91,94}', 88.5, null),
  ('open_data_on_schedule', '{85,85,85,85}', 85, '{85,85,85,85}', 85, '{62,70,74,79,81,83,86}', 71.3, null),
  ('potholes_3day', '{85,85,85,85}', 85, '{88,88,88,88}', 88, '{66,82,88,79,71,86,90}', 78.8, '2026-Q3'),
  ('lane_miles_resurfaced', '{20,100,120,60}', 300, '{25,110,130,65}', 330, '{12,94,131,58,21,118,126}', 295, null),
  ('permit_days', '{30,30,30,30}', 30, '{28,28,28,28}', 28, '{41,37,33,31,29,27,30}', 35, null),
  ('calls_911_15s', '{90,90,90,90}', 90, '{90,90,90,90}', 90, '{71,68,74,80,84,88,91}', 73.3, null),
  ('fire_response_90th', '{6.5,6.5,6.5,6.5}', 6.5, '{6.5,6.5,6.5,6.5}', 6.5, '{6.9,6.7,6.6,6.8,6.6,6.4,6.3}', 6.75, '2026-Q3'),
  ('calls_311_60s', '{80,80,80,80}', 80, '{80,80,80,80}', 80, '{77,81,83,79,82,78,84}', 80, null),
  ('sr_closed_on_time', '{75,75,75,75}', 75, '{75,75,75,75}', 75, '{69,72,74,73,76,77,74}', 72, null);

-- The table above is written in points, as people say it; percent figures are stored as
-- proportions 0..1 (76 % → 0.76; see src/lib/domain/scorecard.ts).
insert into public.targets (measure_id, period, value, published)
select m.id, t.period, case when m.unit = 'percent' then t.value / 100 else t.value end, true
from seed_ops o
join public.measures m on m.key = o.key
cross join lateral (
  select y.yr || '-Q' || q.q as period,
         (case y.yr when 2025 then o.t25 else o.t26 end)[q.q] as value
  from (values (2025), (2026)) y (yr) cross join generate_series(1, 4) q (q)
  union all select '2025', o.a25_target
  union all select '2026', o.a26_target
) t
where t.value is not null;

insert into public.measure_values (measure_id, period, value, source, published)
select m.id, v.period, case when m.unit = 'percent' then v.value / 100 else v.value end, m.source,
  v.period is distinct from o.unpublished_q
from seed_ops o
join public.measures m on m.key = o.key
cross join lateral (
  select p.period, o.actual[p.i] as value
  from unnest(array['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'])
    with ordinality p (period, i)
  union all select '2025', o.a25_actual
) v
where v.value is not null;

-- Survey measures: annual targets (one survey wave a year) and imported historical scores for
-- 2022-2023 (before the app existed), written in points here and stored as proportions. 2024
-- and 2025 come live from the synthetic responses.
create temp table seed_survey_measures (
  key text primary key, t24 float8, t25 float8, t26 float8, h22 float8, h23 float8, n22 int, n23 int
);
insert into seed_survey_measures values
  ('sat_code_enforcement', 38, 40, 42, 37.9, 36.4, 1920, 1010),
  ('sat_trash', 70, 70, 70, 58.0, 64.2, 1950, 1030),
  ('sat_parks', 60, 60, 62, 61.5, 60.2, 1930, 1005),
  ('sat_health', 55, 58, 58, 54.8, 55.9, 1700, 880),
  ('place_to_live', 75, 76, 78, 75.0, 73.9, 2000, 1040),
  ('sat_streets', 20, 25, 25, 16.1, 14.2, 2010, 1045),
  ('sat_transit', 45, 45, 46, 43.1, 42.0, 1610, 830),
  ('sat_water', 58, 60, 60, 53.7, 55.1, 1960, 1025),
  ('sat_stormwater', 35, 38, 40, 36.2, 35.0, 1830, 950),
  ('place_to_work', 64, 66, 68, 63.8, 62.9, 1850, 960),
  ('sat_airport', 55, 58, 62, 54.3, 51.7, 1880, 975),
  ('sat_planning', 28, 30, 32, 26.3, 25.1, 1350, 700),
  ('sat_police', 50, 50, 52, 47.6, 48.3, 1950, 1015),
  ('sat_fire_ems', 75, 75, 76, 73.9, 74.6, 1870, 975),
  ('sat_311', 58, 60, 62, 58.6, 55.2, 1740, 900),
  ('sat_communication', 40, 45, 45, 39.9, 37.0, 1920, 1000),
  ('sat_overall', 50, 52, 55, 50.6, 48.9, 2000, 1040);

insert into public.targets (measure_id, period, value, published)
select m.id, t.period, t.value / 100, true
from seed_survey_measures s
join public.measures m on m.key = s.key
cross join lateral (values ('2024', s.t24), ('2025', s.t25), ('2026', s.t26)) t (period, value);

insert into public.measure_values (measure_id, period, value, n, margin, source, published)
select m.id, h.period, h.value / 100, h.n,
  round((1.96 * sqrt((h.value / 100) * (1 - h.value / 100) / h.n))::numeric, 3),
  'Imported: resident survey ' || h.period || ' (sample figures shaped like KC FY2021-22)', true
from seed_survey_measures s
join public.measures m on m.key = s.key
cross join lateral (values ('2022', s.h22, s.n22), ('2023', s.h23, s.n23)) h (period, value, n);

-- Narratives: why a target was met or missed, in both languages. One is an unpublished draft.
insert into public.narratives (measure_id, goal_id, period, body, author_id, published)
select (select id from public.measures where key = x.measure_key),
  (select id from public.goals where key = x.goal_key),
  x.period, x.body::jsonb, '00000000-0000-4000-a000-000000000002', x.published
from (values
  ('sat_streets', null, '2025',
   '{"en": "Satisfaction with streets rose about four points after the 2025 resurfacing push, but it remains far below the 25% target and streets are still the service residents most want the city to focus on. The 2026 plan adds 30 lane miles and a sidewalk repair program.", "es": "La satisfacción con las calles subió unos cuatro puntos tras el impulso de repavimentación de 2025, pero sigue muy por debajo de la meta del 25 % y las calles siguen siendo el servicio en el que los residentes más quieren que la ciudad se enfoque. El plan de 2026 agrega 30 millas de carril y un programa de reparación de aceras."}', true),
  (null, 'it_streets', '2025',
   '{"en": "Street maintenance remains the top resident priority (about 7 in 10 name it in their top three). Pothole response met its target only in the third quarter; winter quarters lag because crews shift to snow removal.", "es": "El mantenimiento de calles sigue siendo la principal prioridad de los residentes (unos 7 de cada 10 lo incluyen entre sus tres primeras). La reparación de baches cumplió su meta solo en el tercer trimestre; los trimestres de invierno se retrasan porque las cuadrillas pasan a retirar nieve."}', true),
  ('sat_trash', null, '2025',
   '{"en": "Missed the 70% target. Complaints about missed recycling pickups rose during the hauler contract transition in spring 2025; the new contract adds per-route reporting.", "es": "No se alcanzó la meta del 70 %. Las quejas por recolecciones de reciclaje no realizadas aumentaron durante la transición del contrato de recolección en la primavera de 2025; el nuevo contrato agrega informes por ruta."}', true),
  ('code_cases_5day', null, '2026-Q3',
   '{"en": "Fell to 73% against a 75% target after two inspector positions were vacant for most of the quarter. Both positions have been filled.", "es": "Bajó al 73 % frente a una meta del 75 % porque dos puestos de inspector estuvieron vacantes la mayor parte del trimestre. Ambos puestos ya se cubrieron."}', true),
  ('fire_overtime_hours', null, '2025',
   '{"en": "Overtime ran 6% over target, driven by a heat-wave surge in EMS calls in the third quarter. A new relief-pool schedule brought each 2026 quarter so far under target.", "es": "Las horas extra superaron la meta en un 6 %, por el aumento de llamadas de emergencias médicas durante la ola de calor del tercer trimestre. Un nuevo horario de personal de relevo mantuvo cada trimestre de 2026 por debajo de la meta hasta ahora."}', true),
  ('calls_911_15s', null, '2026-Q3',
   '{"en": "Met the national 90% standard for the first time in this series after the dispatcher hiring class of early 2026 completed training.", "es": "Se cumplió por primera vez en esta serie el estándar nacional del 90 %, después de que terminó su capacitación el grupo de operadores contratado a inicios de 2026."}', true),
  ('sat_police', null, '2025',
   '{"en": "DRAFT: satisfaction dipped slightly and differs widely by district (about 56% in Districts 1, 2 and 6; about 32% in Districts 3-5). Waiting for the department''s response before publishing.", "es": "BORRADOR: la satisfacción bajó ligeramente y varía mucho según el distrito (cerca del 56 % en los distritos 1, 2 y 6; cerca del 32 % en los distritos 3 a 5). Esperando la respuesta del departamento antes de publicar."}', false)
) x (measure_key, goal_key, period, body, published);

-- =============================================================================================
-- Synthetic responses for the two closed waves (source 'import', as if ETC delivered microdata
-- for a mailed random sample). Deterministic: every random() below follows setseed(0.42).

-- Per-item parameters: % satisfied (or excellent/good) in 2024 and 2025, don't-know share,
-- blank share, council-district shifts.
create temp table seed_items (
  qkey text primary key, p24 float8 not null, p25 float8 not null, dk float8 not null,
  skip float8 not null, off float8[] not null
);
insert into seed_items
select 'q3_' || lpad(n::text, 2, '0'), p24, p25, dk, 0.015, off from seed_services;
insert into seed_items values
  ('q1_01', 0.74, 0.77, 0.01, 0, '{0.02,0.05,-0.06,0.04,-0.04,0.03}'),
  ('q1_02', 0.64, 0.66, 0.08, 0.015, '{0,0,0,0,0,0}'),
  ('q1_03', 0.57, 0.60, 0.05, 0.015, '{0.03,0.05,-0.07,-0.02,-0.04,0.05}'),
  ('q2_01', 0.47, 0.53, 0.02, 0, '{-0.02,0.06,-0.07,0.03,-0.02,0.03}'),
  ('q5_02', 0.66, 0.71, 0.02, 0.01, '{0,0,0,0,0,0}');

create temp table seed_resp_draws as
select v.yr, v.wave_id, w.opens_at, w.closes_at, i,
  random() as r_district, random() as r_lang, random() as m1, random() as m2, random() as m3,
  random() as r_time, random() as r_311, random() as r_top, random() as r_zip, random() as r_zip_skip,
  random() as r_years, random() as r_years_skip, random() as r_age, random() as r_comment,
  random() as r_comment_pick
from (values (2024, '00000000-0000-4000-a500-000000002024'::uuid, 812),
             (2025, '00000000-0000-4000-a500-000000002025'::uuid, 768)) v (yr, wave_id, n)
join public.survey_waves w on w.id = v.wave_id
cross join lateral generate_series(1, v.n) i
order by v.yr, i;

create temp table seed_resp as
select d.*,
  overlay(overlay(md5('civicpulse-demo-response-' || d.yr || '-' || d.i) placing '4' from 13)
    placing '8' from 17)::uuid as id,
  x.district,
  case when d.r_lang < case x.district when '3' then 0.10 when '4' then 0.12 when '5' then 0.08 else 0.04 end
    then 'es' else 'en' end as language,
  -- A respondent-level mood (sd about 0.17) so a person's ratings hang together, as real ones do.
  (d.m1 + d.m2 + d.m3) / 3 - 0.5 as mood,
  d.opens_at + d.r_time * (d.closes_at - d.opens_at) as submitted_at,
  case when d.r_311 < 0.35 then 'yes' when d.r_311 < 0.96 then 'no' end as contacted_311,
  case when d.r_top < 0.06 then 0 when d.r_top < 0.09 then 1 when d.r_top < 0.15 then 2 else 3 end as n_picks
from seed_resp_draws d
cross join lateral (
  select case when d.r_district < 0.155 then '1' when d.r_district < 0.31 then '2'
    when d.r_district < 0.455 then '3' when d.r_district < 0.62 then '4'
    when d.r_district < 0.79 then '5' else '6' end as district
) x;

insert into public.responses (id, wave_id, respondent_id, invitation_id, mode, language, district,
  submitted_at, received_at, source, weight, external_id)
select id, wave_id, null, null, 'invited', language, district, submitted_at,
  submitted_at + interval '3 days', 'import', 1, 'demo-' || yr || '-' || lpad(i::text, 4, '0')
from seed_resp
order by yr, i;

-- Satisfaction and rating items (1..5, 9 = don't know).
create temp table seed_answer_draws as
select r.id, r.wave_id, r.yr, r.district, r.mood, r.contacted_311, s.qkey, s.p24, s.p25, s.dk, s.skip,
  s.off, random() as u_skip, random() as u_dk, random() as u_v
from seed_resp r cross join seed_items s
order by r.yr, r.i, s.qkey;

insert into public.answers (response_id, wave_id, question_id, numeric_value)
select d.id, d.wave_id, q.id,
  case
    when d.u_dk < d.dk then 9
    -- Satisfied (4/5): the share of "very" grows with p, as in the KC rows.
    when d.u_v < pp.p then case when d.u_v < pp.p * (0.1 + 0.3 * pp.p) then 5 else 4 end
    -- Not satisfied: neutral share grows with p; dissatisfied : very dissatisfied = 3 : 2.
    when (d.u_v - pp.p) / (1 - pp.p) < 0.25 + 0.6 * pp.p then 3
    when (d.u_v - pp.p) / (1 - pp.p) < 0.25 + 0.6 * pp.p + (0.75 - 0.6 * pp.p) * 0.6 then 2
    else 1
  end
from seed_answer_draws d
join public.questions q on q.survey_id = '00000000-0000-4000-a400-000000000001' and q.key = d.qkey
cross join lateral (
  select least(0.97, greatest(0.03,
    case d.yr when 2024 then d.p24 else d.p25 end + d.off[d.district::int] + 0.4 * d.mood)) as p
) pp
where d.u_skip >= d.skip
  -- show_if: the 311 follow-up exists only for people who contacted 311.
  and (d.qkey <> 'q5_02' or d.contacted_311 = 'yes');

-- Contacted 311 (single).
insert into public.answers (response_id, wave_id, question_id, choice_value)
select id, wave_id, '00000000-0000-4000-a700-000000000021', contacted_311
from seed_resp where contacted_311 is not null;

-- Top-3 importance: weighted sampling without replacement (exponential keys: -ln(u)/w, the
-- smallest keys win), so streets lands in about 70% of top-3 lists like the KC figures.
create temp table seed_top3_draws as
select r.id, r.wave_id, r.n_picks, s.key, -ln(1 - random()) / s.w as k
from seed_resp r cross join seed_services s
where r.n_picks > 0
order by r.yr, r.i, s.n;

insert into public.answers (response_id, wave_id, question_id, choice_values)
select id, wave_id, '00000000-0000-4000-a700-000000000023', array_agg(key order by k)
from (
  select t.*, row_number() over (partition by t.id order by t.k) as rank from seed_top3_draws t
) ranked
where rank <= n_picks
group by id, wave_id;

-- Council district (every imported row is geocoded, so always present).
insert into public.answers (response_id, wave_id, question_id, choice_value)
select id, wave_id, '00000000-0000-4000-a700-000000000024', district from seed_resp;

-- ZIP codes seen most often in each council district of the KC survey rows.
insert into public.answers (response_id, wave_id, question_id, text_value)
select r.id, r.wave_id, '00000000-0000-4000-a700-000000000025',
  (case r.district
     when '1' then array['64119', '64157', '64117', '64118', '64155', '64156']
     when '2' then array['64155', '64151', '64152', '64154', '64118', '64153']
     when '3' then array['64127', '64130', '64129', '64128', '64109', '64133']
     when '4' then array['64111', '64110', '64112', '64116', '64123', '64108']
     when '5' then array['64133', '64138', '64131', '64132', '64134', '64130']
     else array['64114', '64113', '64131', '64134', '64145', '64137']
   end)[1 + floor(r.r_zip * 6)::int]
from seed_resp r where r.r_zip_skip >= 0.04;

-- Years lived in the city (0..100, optional).
insert into public.answers (response_id, wave_id, question_id, numeric_value)
select id, wave_id, '00000000-0000-4000-a700-000000000026', floor(power(r_years, 1.4) * 70)
from seed_resp where r_years_skip >= 0.08;

-- Age band (single).
insert into public.answers (response_id, wave_id, question_id, choice_value)
select id, wave_id, '00000000-0000-4000-a700-000000000027',
  case when r_age < 0.23 then '18_34' when r_age < 0.41 then '35_44' when r_age < 0.58 then '45_54'
    when r_age < 0.76 then '55_64' when r_age < 0.95 then '65_plus' else 'no_answer' end
from seed_resp where r_age < 0.98;

-- Information sources (multi): each option picked independently with its own likelihood.
create temp table seed_info_draws as
select r.id, r.wave_id, o.key, o.n, o.p, random() as u
from seed_resp r
cross join (values ('website', 1, 0.45), ('social_media', 2, 0.36), ('news', 3, 0.52),
                   ('utility_bill', 4, 0.20), ('neighborhood', 5, 0.17), ('council', 6, 0.11),
                   ('word_of_mouth', 7, 0.26), ('other', 8, 0.04)) o (key, n, p)
order by r.yr, r.i, o.n;

insert into public.answers (response_id, wave_id, question_id, choice_values)
select id, wave_id, '00000000-0000-4000-a700-000000000028', array_agg(key order by n)
from seed_info_draws where u < p
group by id, wave_id;

-- Free-text comments from about one respondent in seven, in the respondent's language.
create temp table seed_survey_comments (language text, n int, body text);
insert into seed_survey_comments values
  ('en', 1, 'Please fix the potholes on our street. I have replaced two tires this year.'),
  ('en', 2, 'Trash pickup is reliable, but recycling was missed three times this spring.'),
  ('en', 3, 'The firefighters who came to my mother''s house were wonderful. Thank you.'),
  ('en', 4, 'Sidewalks in my neighborhood are broken and unsafe for wheelchairs and strollers.'),
  ('en', 5, 'I would like to see more police patrols at night near the park.'),
  ('en', 6, '311 answered quickly and the streetlight was fixed within a week.'),
  ('en', 7, 'Bus service on my route is too infrequent to get to work on time.'),
  ('en', 8, 'Property taxes keep going up but I do not see better services.'),
  ('en', 9, 'The new airport terminal is great.'),
  ('en', 10, 'Vacant houses on our block attract dumping. Code enforcement takes months.'),
  ('en', 11, 'Our parks are beautiful. More lighting on trails would help.'),
  ('en', 12, 'The city should post meeting information in plain language and in Spanish.'),
  ('es', 1, 'Por favor reparen los baches de mi calle.'),
  ('es', 2, 'Necesitamos más información de la ciudad en español.'),
  ('es', 3, 'El autobús pasa muy pocas veces por mi barrio.'),
  ('es', 4, 'Los bomberos y la ambulancia llegaron rápido. Muchas gracias.'),
  ('es', 5, 'Hay casas abandonadas en mi cuadra y nadie hace nada.');

insert into public.answers (response_id, wave_id, question_id, text_value)
select r.id, r.wave_id, '00000000-0000-4000-a700-000000000029', c.body
from seed_resp r
join seed_survey_comments c on c.language = r.language
  and c.n = 1 + floor(r.r_comment_pick * (select count(*) from seed_survey_comments c2
                                           where c2.language = r.language))::int
where r.r_comment < 0.14;

-- =============================================================================================
-- Meetings: a year of monthly KCStat-style meetings, one goal area each, rotating, placed
-- around the day the seed runs so the demo always has a past, a live and an upcoming meeting:
-- 01..09 ended (second Tuesday of each past month, 9:00 Central), 10 live right now (comments
-- open, pre-moderated), 11..12 scheduled (11 already takes questions in advance).
-- Meeting starts use the America/Chicago time zone, so the demo shows 9:00 local time.

create temp table seed_meetings as
select k + 10 as nn, k,
  ('00000000-0000-4000-a800-0000000000' || lpad((k + 10)::text, 2, '0'))::uuid as id,
  (((k + 2) % 6 + 6) % 6) + 1 as area,
  d.day,
  case when k = 0 then date_trunc('minute', now()) - interval '25 minutes'
    else (d.day + time '09:00') at time zone 'America/Chicago' end as starts_at
from generate_series(-9, 2) k
cross join lateral (
  select (date_trunc('month', now() at time zone 'America/Chicago')::date
          + make_interval(months => k))::date as m0
) m
cross join lateral (
  -- second Tuesday of the month (isodow 2 = Tuesday)
  select m.m0 + ((2 - extract(isodow from m.m0)::int + 7) % 7) + 7 as day
) d;

insert into public.meetings (id, goal_area_id, title, description, starts_at, ends_at, stream_url,
  recording_url, status, moderation, comments_open, time_zone, location)
select m.id, ga.id,
  jsonb_build_object(
    'en', 'KCStat: ' || (ga.name ->> 'en') || ' — ' || to_char(m.day, 'FMMonth YYYY'),
    'es', 'KCStat: ' || (ga.name ->> 'es') || ' — '
      || (array['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto',
                'septiembre', 'octubre', 'noviembre', 'diciembre'])[extract(month from m.day)::int]
      || ' de ' || extract(year from m.day)::int),
  jsonb_build_object(
    'en', 'Monthly public performance review: city leaders and departments report on '
      || (ga.name ->> 'en') || ' measures against their targets and answer residents'' questions. (Demo meeting with sample data.)',
    'es', 'Revisión pública mensual del desempeño: los líderes de la ciudad y los departamentos informan sobre las medidas de '
      || (ga.name ->> 'es') || ' frente a sus metas y responden las preguntas de los residentes. (Reunión de demostración con datos de ejemplo.)'),
  m.starts_at, m.starts_at + interval '2 hours',
  'https://stream.example.org/kcstat/' || to_char(m.day, 'YYYY-MM'),
  case when m.k < 0 then 'https://stream.example.org/kcstat/' || to_char(m.day, 'YYYY-MM') || '/recording' end,
  case when m.k < 0 then 'ended' when m.k = 0 then 'live' else 'scheduled' end,
  case when m.k = 0 then 'pre' else 'post' end,
  m.k in (0, 1),
  'America/Chicago',
  'City Hall, 414 E 12th St, Kansas City, MO, 26th floor'
from seed_meetings m
join public.goal_areas ga on ga.position = m.area
order by m.nn;

create temp table seed_agenda_templates (area int, pos int, en text, es text, goal_key text);
insert into seed_agenda_templates values
  (1, 1, 'Code enforcement response times', 'Tiempos de respuesta de cumplimiento de códigos', 'nhc_clean_safe'),
  (1, 2, 'Dangerous buildings and vacant properties', 'Edificios peligrosos y propiedades vacías', 'nhc_clean_safe'),
  (1, 3, 'Trash and recycling service', 'Servicio de basura y reciclaje', 'nhc_clean_safe'),
  (1, 4, 'Parks, recreation and public health', 'Parques, recreación y salud pública', 'nhc_healthy'),
  (2, 1, 'Fire overtime and scheduling', 'Horas extra y horarios de bomberos', 'fg_stewardship'),
  (2, 2, 'Reserves and the budget outlook', 'Reservas y perspectivas del presupuesto', 'fg_stewardship'),
  (2, 3, 'Paying vendors on time', 'Pago puntual a proveedores', 'fg_transparent'),
  (2, 4, 'Open data and transparency', 'Datos abiertos y transparencia', 'fg_transparent'),
  (3, 1, 'Resident survey: streets, sidewalks and infrastructure', 'Encuesta a residentes: calles, aceras e infraestructura', 'it_streets'),
  (3, 2, 'Pothole repair and resurfacing', 'Reparación de baches y repavimentación', 'it_streets'),
  (3, 3, 'Transit and the streetcar', 'Transporte público y tranvía', 'it_transport'),
  (3, 4, 'Water, sewer and stormwater', 'Agua, alcantarillado y aguas pluviales', 'it_water'),
  (4, 1, 'Small business growth', 'Crecimiento de pequeños negocios', 'ed_business'),
  (4, 2, 'The airport''s new terminal', 'La nueva terminal del aeropuerto', 'ed_business'),
  (4, 3, 'Commercial permit timelines', 'Plazos de los permisos comerciales', 'ed_development'),
  (4, 4, 'Development review: the applicant''s experience', 'Revisión de proyectos: la experiencia de los solicitantes', 'ed_development'),
  (5, 1, 'Violent crime trends and prevention', 'Tendencias y prevención de delitos violentos', 'ps_crime'),
  (5, 2, 'Answering 911 calls', 'Atención de llamadas al 911', 'ps_crime'),
  (5, 3, 'Fire and EMS response times', 'Tiempos de respuesta de bomberos y ambulancias', 'ps_response'),
  (5, 4, 'Satisfaction with public safety by district', 'Satisfacción con la seguridad pública por distrito', 'ps_crime'),
  (6, 1, '311 call answering and service requests', 'Atención de llamadas y solicitudes del 311', 'csc_311'),
  (6, 2, 'Resident survey: overall satisfaction', 'Encuesta a residentes: satisfacción general', 'csc_communication'),
  (6, 3, 'Communicating in plain language and in Spanish', 'Comunicar en lenguaje sencillo y en español', 'csc_communication'),
  (6, 4, 'Website and social media', 'Sitio web y redes sociales', 'csc_communication');

-- 3 or 4 items per meeting (odd-numbered meetings have 3).
insert into public.agenda_items (id, meeting_id, position, title, description, goal_id)
select ('00000000-0000-4000-a900-0000000' || lpad(m.nn::text, 2, '0') || '00' || t.pos)::uuid,
  m.id, t.pos, jsonb_build_object('en', t.en, 'es', t.es), null,
  (select g.id from public.goals g where g.key = t.goal_key)
from seed_meetings m
join seed_agenda_templates t on t.area = m.area
where t.pos <= case when m.nn % 2 = 1 then 3 else 4 end
order by m.nn, t.pos;

-- Comments on past meetings: four per meeting from a pool per goal area (a goal area that came
-- up twice uses the next four), published, some answered; every other meeting also has spam a
-- moderator hid. agenda = position of the agenda item (null = the meeting in general).
create temp table seed_comment_pool (area int, j int, agenda int, kind text, display_name text, body text);
insert into seed_comment_pool values
  (1, 1, 1, 'question', 'Maria G.', 'How long does it take on average from a complaint to the first inspection?'),
  (1, 2, 2, 'comment', null, 'The vacant house next to mine has been open to the weather for two years.'),
  (1, 3, 3, 'question', 'Dan K.', 'Will recycling pickup go back to every week?'),
  (1, 4, null, 'comment', 'Northland neighbor', 'Thank you for streaming these meetings, I can finally follow along.'),
  (1, 5, 1, 'question', 'Keisha', 'Can residents see the status of a code case online?'),
  (1, 6, 2, 'comment', null, 'Demolitions helped our block a lot. Please keep going on Prospect.'),
  (1, 7, 3, 'question', 'Luis', '¿Cuándo recogen los muebles viejos en mi zona?'),
  (1, 8, null, 'comment', 'Pat R.', 'Parks staff did a great job with the summer programs.'),
  (2, 1, 1, 'question', 'Ana', 'How much did fire overtime cost last year compared with hiring more firefighters?'),
  (2, 2, 2, 'question', null, 'What happens if the reserve falls below the policy level?'),
  (2, 3, 3, 'comment', 'Small business owner', 'Getting paid in 30 days matters a lot to small vendors like me.'),
  (2, 4, null, 'comment', 'Tom', 'Please publish the budget data in a format we can download.'),
  (2, 5, 1, 'question', 'Midtown resident', 'Is overtime going down because of the new schedule or because of fewer calls?'),
  (2, 6, 2, 'comment', null, 'I appreciate seeing targets that were missed, not only the good news.'),
  (2, 7, 3, 'question', 'Maria G.', 'Which departments pay invoices the slowest?'),
  (2, 8, null, 'comment', 'Dan K.', 'Good meeting. More time for resident questions next time, please.'),
  (3, 1, 1, 'question', 'Keisha', 'Why is satisfaction with streets so low even when more miles are resurfaced?'),
  (3, 2, 2, 'comment', null, 'The pothole on my corner was fixed two days after I reported it. Thanks!'),
  (3, 3, 3, 'question', 'Luis', '¿Habrá más autobuses en la ruta de Independence Avenue?'),
  (3, 4, null, 'comment', 'Pat R.', 'Please show the resurfacing plan on a map.'),
  (4, 1, 1, 'question', 'Ana', 'What support is there for businesses owned by immigrants?'),
  (4, 2, 2, 'comment', null, 'The new terminal is much better, but parking prices went up a lot.'),
  (4, 3, 3, 'question', 'Tom', 'Why does a simple tenant-finish permit still take more than a month?'),
  (4, 4, null, 'comment', 'Midtown resident', 'Please put the permit timelines on the public scorecard.'),
  (5, 1, 1, 'question', 'Maria G.', 'Which prevention programs are working, and how do you know?'),
  (5, 2, 2, 'comment', null, 'I waited on hold with 911 last year. Glad to see answer times improving.'),
  (5, 3, 3, 'question', 'Dan K.', 'Are response times slower in the Northland because stations are farther apart?'),
  (5, 4, null, 'comment', 'Keisha', 'Satisfaction with police is very different by district. Please talk about why.'),
  (6, 1, 1, 'question', 'Luis', '¿Puedo llamar al 311 y hablar con alguien en español?'),
  (6, 2, 2, 'comment', null, 'Overall satisfaction going up is good news, but streets are still terrible.'),
  (6, 3, 3, 'question', 'Ana', 'Will the survey results be published in Spanish too?'),
  (6, 4, null, 'comment', 'Pat R.', 'The 311 app works well for reporting illegal dumping.'),
  (6, 5, 1, 'question', 'Tom', 'How many 311 requests are closed without the problem being fixed?'),
  (6, 6, 2, 'comment', null, 'Please share district results for the survey, not only citywide numbers.'),
  (6, 7, 3, 'question', 'Midtown resident', 'Can meeting agendas be posted a week ahead?'),
  (6, 8, null, 'comment', 'Maria G.', 'Thank you for answering questions from people watching online.');

create temp table seed_comments as
select m.id as meeting_id, m.nn, c.j - (occ.o - 1) * 4 as jj, c.agenda, c.kind, c.display_name, c.body,
  'published'::text as status,
  (c.kind = 'question' and c.j % 2 = 1) as answered,
  (c.j - (occ.o - 1) * 4 = 1 and m.nn % 3 = 0) as pinned, null::text as reason,
  m.starts_at + make_interval(mins => (10 + 17 * (c.j - (occ.o - 1) * 4))::int) as created_at
from seed_meetings m
cross join lateral (
  select count(*) as o from seed_meetings m2 where m2.area = m.area and m2.nn <= m.nn
) occ
join seed_comment_pool c on c.area = m.area and c.j between (occ.o - 1) * 4 + 1 and occ.o * 4
where m.k < 0
union all
select m.id, m.nn, 5, null, 'comment', 'Deals4U',
  'Earn $500 a day from home!!! Click the link in my profile.', 'hidden', false, false,
  'Spam', m.starts_at + interval '50 minutes'
from seed_meetings m
where m.k < 0 and m.nn % 2 = 0;

-- The live meeting (10, Infrastructure & Transportation): published, answered, pinned, pending
-- (it is pre-moderated) and hidden comments, posted over the last hour.
insert into seed_comments
select m.id, m.nn, c.jj, c.agenda, c.kind, c.display_name, c.body, c.status, c.answered, c.pinned,
  c.reason, now() - make_interval(mins => c.minutes_ago)
from seed_meetings m
cross join (values
  (1, 2, 'question', 'Maria G.', 'Why did pothole repairs take longer last winter than the winter before?', 'published', true, true, null, 58),
  (2, 2, 'question', null, 'Which streets are on next year''s resurfacing list, and where can I see it?', 'published', false, false, null, 52),
  (3, 1, 'comment', 'Dan K.', 'The sidewalk on Troost near 35th is crumbling. I use a wheelchair and have to ride in the street.', 'published', false, false, null, 47),
  (4, 3, 'question', 'Northland neighbor', 'Is the streetcar extension still on schedule?', 'published', true, false, null, 41),
  (5, null, 'comment', 'Luis', 'Gracias por tener interpretación en español en la reunión.', 'published', false, false, null, 36),
  (6, 2, 'question', 'Keisha', 'How does the city decide which neighborhoods get resurfaced first?', 'published', false, false, null, 30),
  (7, 1, 'question', null, 'Satisfaction with streets is much lower in Districts 5 and 6. Why?', 'published', false, false, null, 24),
  (8, 4, 'comment', 'Pat R.', 'Brush Creek flooded our street again last month. Please prioritize stormwater work.', 'published', false, false, null, 19),
  (9, 4, 'question', 'Ana', 'Will the stormwater fee go up next year?', 'pending', false, false, null, 9),
  (10, 1, 'comment', 'Tom', 'The survey shows streets at 19% satisfied. What is the target for next year?', 'pending', false, false, null, 6),
  (11, 3, 'question', null, '¿Pueden agregar más autobuses en Prospect Avenue?', 'pending', false, false, null, 3),
  (12, null, 'comment', null, 'This meeting is a waste of time, fire all of them.', 'hidden', false, false, 'Not about the agenda; personal attack', 14)
) c (jj, agenda, kind, display_name, body, status, answered, pinned, reason, minutes_ago)
where m.k = 0;

-- Questions sent in advance for the next meeting (11), which already takes comments.
insert into seed_comments
select m.id, m.nn, c.jj, c.agenda, 'question', c.display_name, c.body, 'published', false, false,
  null, now() - make_interval(hours => c.hours_ago)
from seed_meetings m
cross join (values
  (1, 1, 'Small business owner', 'Will you cover the new storefront improvement grants and who qualifies?', 30),
  (2, 3, 'Ana', 'How many commercial permits are waiting for review right now?', 5)
) c (jj, agenda, display_name, body, hours_ago)
where m.k = 1;

insert into public.comments (id, meeting_id, agenda_item_id, author_id, display_name, kind, body,
  status, answered, answer, pinned, moderation_reason, created_at, updated_at)
select ('00000000-0000-4000-ac00-0000000' || lpad(c.nn::text, 2, '0') || '0' || lpad(c.jj::text, 2, '0'))::uuid,
  c.meeting_id,
  case when c.agenda is null then null
    else ('00000000-0000-4000-a900-0000000' || lpad(c.nn::text, 2, '0') || '00' || c.agenda)::uuid end,
  ('00000000-0000-4000-ab00-0000000000' || lpad(((c.nn * 5 + c.jj) % 24 + 1)::text, 2, '0'))::uuid,
  c.display_name, c.kind, c.body, c.status, c.answered,
  -- The moderator's answer text (demo): specific ones for the live meeting, a pointer to the
  -- recording for past ones.
  case when not c.answered then null
    when c.meeting_id = '00000000-0000-4000-a800-000000000010' and c.jj = 1 then
      'Two cold snaps doubled the number of potholes in February; crews now fill 90% within 7 days again. (Demo answer.)'
    when c.meeting_id = '00000000-0000-4000-a800-000000000010' and c.jj = 4 then
      'Yes: construction starts next spring and the line opens in 2028. (Demo answer.)'
    else 'Answered by the department during the meeting; the full answer is in the recording. (Demo answer.)'
  end,
  c.pinned, c.reason, c.created_at, c.created_at
from seed_comments c
order by c.nn, c.jj;

-- Upvotes from the demo residents on published comments (never on their own comment); the
-- trigger keeps comments.vote_count in step.
insert into public.comment_votes (comment_id, voter_id, created_at)
select c.id, u.id, c.created_at + make_interval(mins => v.i)
from public.comments c
cross join lateral (
  select case
    when c.meeting_id = '00000000-0000-4000-a800-000000000010' then
      (array[9, 14, 6, 3, 2, 7, 5, 4])[least(right(c.id::text, 2)::int, 8)]
    else floor(random() * 8)::int
  end as n_votes
) nv
cross join lateral generate_series(1, nv.n_votes) v (i)
join auth.users u on u.id = ('00000000-0000-4000-ab00-0000000000'
  || lpad((((right(c.id::text, 2)::int * 7 + v.i) % 24) + 1)::text, 2, '0'))::uuid
where c.status = 'published' and u.id is distinct from c.author_id
order by c.id, v.i;

-- =============================================================================================
drop table seed_services, seed_ops, seed_survey_measures, seed_items, seed_resp_draws, seed_resp,
  seed_answer_draws, seed_top3_draws, seed_info_draws, seed_survey_comments, seed_meetings,
  seed_agenda_templates, seed_comment_pool, seed_comments;
