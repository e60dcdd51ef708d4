/**
 * question_scores, public_scorecard and staff_scorecard latency with 1,000,000 synthetic
 * answers, on
 * PostgreSQL 15 and on PGlite, each beside a baseline measured in the same run on the same
 * engine and data: a naive GROUP BY over the answers table (answers ⋈ responses, the weighted
 * satisfaction figures only — no importance, change or suppression, so it flatters the naive
 * side). The functions read the trigger-maintained aggregates (DESIGN §2 "Scale"), so their
 * cost should not grow with the number of answers.
 *
 * Data: one survey of 28 answered questions per response (24 satisfaction items, 2 rating
 * items, a top-3 importance question linked to 8 of them, a district), two published waves,
 * weights in [0.5, 2], 8 % "don't know". Loaded in bulk statements of 1,250 responses through
 * the aggregate triggers (their throughput is reported too). A goal tree of 6 areas, 12 goals
 * and 36 measures (24 survey, 12 operational with 8 quarters of values and targets) feeds
 * public_scorecard.
 *
 * Budget (issue 8): public_scorecard and staff_scorecard stay within 10 % of the functions as
 * they were before the "scorecard truth" change. Those are loaded from
 * tests/bench/baseline/scorecards-before-20261206.sql into a schema of their own and timed on
 * the same data in the same run, so the budget is a ratio, immune to how busy the machine is.
 *
 * PGlite loads until the answer target or a time budget (BENCH_SCORES_PGLITE_BUDGET_S, default
 * 150 s) is reached and prints the size it used. Sizes: BENCH_SCORES_ANSWERS (default 1e6).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { percentile, record, timeCalls } from './harness';
import { openDb, type Db } from '../../supabase/local/db';
import { prepareDatabase } from '../../supabase/local/migrate';
import { startPg15 } from '../tools/pg15';

const TARGET_ANSWERS = Number(process.env.BENCH_SCORES_ANSWERS ?? 1_000_000);
const PGLITE_BUDGET_MS = Number(process.env.BENCH_SCORES_PGLITE_BUDGET_S ?? 150) * 1000;
const QUESTIONS_PER_RESPONSE = 28;
const CHUNK = 1250;
const CALLS = Number(process.env.BENCH_SCORES_CALLS ?? 20);

const L = (en: string) => JSON.stringify({ en, es: en });
const opts = (keys: string[]) =>
	JSON.stringify(keys.map((k) => ({ key: k, label: { en: k, es: k } })));

interface TSetup {
	surveyId: string;
	waves: string[];
	importanceOptions: string[];
}

async function createSchema(db: Db): Promise<TSetup> {
	const one = async (sql: string, params: unknown[] = []) =>
		(await db.query<{ id: string }>(sql, params)).rows[0].id;
	const surveyId = await one(
		`insert into public.surveys (slug, title, intro) values ('bench-scores', $1, $1) returning id`,
		[L('Bench survey')]
	);
	const section = await one(
		`insert into public.survey_sections (survey_id, key, position, title) values ($1, 'main', 1, $2) returning id`,
		[surveyId, L('Main')]
	);
	const addQ = (
		key: string,
		position: number,
		kind: string,
		options: string | null,
		cat: string | null
	) =>
		one(
			`insert into public.questions (survey_id, section_id, key, position, kind, prompt, options, service_category)
			 values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) returning id`,
			[surveyId, section, key, position, kind, L(key), options, cat]
		);
	const satKeys: string[] = [];
	for (let i = 1; i <= 24; i++) {
		const key = `q_s${String(i).padStart(2, '0')}`;
		satKeys.push(key);
		await addQ(key, i, 'satisfaction5', null, `svc_${i}`);
	}
	await addQ('q_r1', 25, 'rating5', null, null);
	await addQ('q_r2', 26, 'rating5', null, null);
	const importanceOptions = satKeys.slice(0, 8);
	await addQ('q_top3', 27, 'importance_top3', opts(importanceOptions), null);
	await addQ('district', 28, 'district', opts(['1', '2', '3', '4', '5', '6']), null);

	const waves: string[] = [];
	for (const [label, daysAgo] of [
		['2025', 400],
		['2026', 40]
	] as const) {
		waves.push(
			await one(
				`insert into public.survey_waves (survey_id, label, period, mode, opens_at, closes_at, results_published)
				 values ($1, $2, $2::text, 'open', now() - make_interval(days => $3::int), now() - make_interval(days => $3::int - 20), true)
				 returning id`,
				[surveyId, label, daysAgo]
			)
		);
	}

	// Goal tree: 6 areas × 2 goals × (2 survey + 1 operational) measures.
	let s = 0;
	for (let a = 1; a <= 6; a++) {
		const area = await one(
			`insert into public.goal_areas (key, name, position) values ($1, $2, $3) returning id`,
			[`area_${a}`, L(`Area ${a}`), a]
		);
		for (let g = 1; g <= 2; g++) {
			const goal = await one(
				`insert into public.goals (goal_area_id, key, title, published, position) values ($1, $2, $3, true, $4) returning id`,
				[area, `goal_${a}_${g}`, L(`Goal ${a}.${g}`), g]
			);
			for (let k = 0; k < 2; k++) {
				const key = satKeys[s++];
				const m = await one(
					`insert into public.measures (goal_id, key, name, unit, direction, kind, question_id, published, position)
					 values ($1, $2, $3, 'percent', 'higher', 'survey',
					   (select id from public.questions where survey_id = $4 and key = $5), true, $6) returning id`,
					[goal, `m_${key}`, L(`Satisfaction ${key}`), surveyId, key, k]
				);
				await db.query(
					`insert into public.targets (measure_id, period, value, published)
					 values ($1, '2025', 0.55, true), ($1, '2026', 0.6, true)`,
					[m]
				);
			}
			const op = await one(
				`insert into public.measures (goal_id, key, name, unit, direction, kind, published, position)
				 values ($1, $2, $3, 'count', 'lower', 'operational', true, 9) returning id`,
				[goal, `op_${a}_${g}`, L(`Operational ${a}.${g}`)]
			);
			await db.query(
				`insert into public.measure_values (measure_id, period, value, published)
				 select $1, y || '-Q' || q, 40 + (y - 2025) * 4 + q, true
				 from generate_series(2025, 2026) y cross join generate_series(1, 4) q`,
				[op]
			);
			await db.query(
				`insert into public.targets (measure_id, period, value, published)
				 select $1, y || '-Q' || q, 45, true
				 from generate_series(2025, 2026) y cross join generate_series(1, 4) q`,
				[op]
			);
		}
	}
	return { surveyId, waves, importanceOptions };
}

/** One bulk chunk: responses [start, start + count) of `wave`, then their 28 answers each. */
async function loadChunk(db: Db, setup: TSetup, wave: string, start: number, count: number) {
	await db.transaction(async (tx) => {
		await tx.query(
			`insert into public.responses (id, wave_id, mode, language, district, source, weight, external_id)
			 select md5('bench' || i)::uuid, $1, 'open', 'en', (1 + i % 6)::text, 'import',
			        round((0.5 + random() * 1.5)::numeric, 3), 'bench-' || i
			 from generate_series($2::int, $3::int) i`,
			[wave, start, start + count - 1]
		);
		await tx.query(
			`insert into public.answers (response_id, wave_id, question_id, numeric_value, choice_value, choice_values)
			 select md5('bench' || i)::uuid, $1, q.id,
			   case when q.kind in ('satisfaction5', 'rating5') then
			     case when random() < 0.08 then 9 else 1 + floor(random() * 5) end end,
			   case when q.kind = 'district' then (1 + i % 6)::text end,
			   case when q.kind = 'importance_top3' then
			     array[o.k[1 + i % 8], o.k[1 + (i + 3) % 8], o.k[1 + (i + 5) % 8]] end
			 from generate_series($2::int, $3::int) i
			 cross join (select id, kind from public.questions where survey_id = $4) q
			 cross join (select array(select jsonb_array_elements_text($5::jsonb)) as k) o`,
			[wave, start, start + count - 1, setup.surveyId, JSON.stringify(setup.importanceOptions)]
		);
	});
}

async function asRole<T>(
	db: Db,
	role: 'anon' | 'service_role',
	fn: (tx: Db) => Promise<T>
): Promise<T> {
	return db.transaction(async (tx) => {
		await tx.query(
			`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
			[role, JSON.stringify({ role })]
		);
		return fn(tx);
	});
}
const asAnon = <T>(db: Db, fn: (tx: Db) => Promise<T>) => asRole(db, 'anon', fn);
const asService = <T>(db: Db, fn: (tx: Db) => Promise<T>) => asRole(db, 'service_role', fn);

const BEFORE_SQL = readFileSync(
	new URL('./baseline/scorecards-before-20261206.sql', import.meta.url),
	'utf8'
);

const NAIVE_WAVE = `
	select a.question_id,
	  count(*) filter (where a.numeric_value between 1 and 5) as n_valid,
	  count(*) filter (where a.numeric_value = 9) as n_dont_know,
	  sum(r.weight) filter (where a.numeric_value between 4 and 5)
	    / nullif(sum(r.weight) filter (where a.numeric_value between 1 and 5), 0) as p,
	  sum(r.weight * a.numeric_value) filter (where a.numeric_value between 1 and 5)
	    / nullif(sum(r.weight) filter (where a.numeric_value between 1 and 5), 0) as mean,
	  power(sum(r.weight) filter (where a.numeric_value between 1 and 5), 2)
	    / nullif(sum(r.weight * r.weight) filter (where a.numeric_value between 1 and 5), 0) as n_eff
	from public.answers a join public.responses r on r.id = a.response_id
	where a.wave_id = $1 and a.numeric_value is not null
	group by a.question_id`;

const NAIVE_ALL_WAVES = `
	select a.wave_id, a.question_id,
	  count(*) filter (where a.numeric_value between 1 and 5) as n_valid,
	  sum(r.weight) filter (where a.numeric_value between 4 and 5)
	    / nullif(sum(r.weight) filter (where a.numeric_value between 1 and 5), 0) as p
	from public.answers a join public.responses r on r.id = a.response_id
	where a.numeric_value is not null
	group by a.wave_id, a.question_id`;

async function benchEngine(db: Db, label: string, budgetMs: number | null) {
	const setup = await createSchema(db);
	const targetResponses = Math.ceil(TARGET_ANSWERS / QUESTIONS_PER_RESPONSE);
	const t0 = performance.now();
	let loaded = 0;
	let chunkNo = 0;
	while (loaded < targetResponses) {
		if (budgetMs !== null && performance.now() - t0 > budgetMs) break;
		const count = Math.min(CHUNK, targetResponses - loaded);
		// Alternate waves so both hold data whatever size is reached.
		await loadChunk(db, setup, setup.waves[chunkNo % 2], loaded, count);
		loaded += count;
		chunkNo++;
	}
	const loadMs = performance.now() - t0;
	await db.exec('analyze public.answers; analyze public.responses;');
	const {
		rows: [{ n }]
	} = await db.query<{ n: string }>('select count(*)::text as n from public.answers');
	const answers = Number(n);
	const size = `${answers.toLocaleString('en-US')} answers, ${loaded.toLocaleString('en-US')} responses`;
	console.log(`  [${label}] loaded ${size} in ${(loadMs / 1000).toFixed(1)} s`);
	if (answers < TARGET_ANSWERS) {
		console.log(
			`  [${label}] size reduced to ${size}: the ${(budgetMs! / 1000).toFixed(0)} s load budget ran out`
		);
	}
	record({
		name: `${label}: bulk load through the aggregate triggers`,
		value: answers / (loadMs / 1000),
		unit: 'answers/s',
		note: size
	});

	// Write cost of keeping the aggregates: one more bulk chunk into a scratch wave with the
	// aggregate triggers, and the same chunk without them (then removed without them, so the
	// aggregates never saw it).
	const scratch = (
		await db.query<{ id: string }>(
			`insert into public.survey_waves (survey_id, label, period, mode, opens_at)
			 values ($1, 'scratch', '2027', 'open', now()) returning id`,
			[setup.surveyId]
		)
	).rows[0].id;
	const base0 = 10_000_000;
	// Best of 2 each: the machine is shared, one slow run should not decide the figure.
	let withTriggers = Infinity;
	for (let k = 0; k < 2; k++) {
		const t = performance.now();
		await loadChunk(db, setup, scratch, base0 + k * CHUNK, CHUNK);
		withTriggers = Math.min(withTriggers, performance.now() - t);
		await db.query('delete from public.responses where wave_id = $1', [scratch]);
	}
	const triggers = [
		'public.answers answers_aggregate_insert',
		'public.answers answers_aggregate_delete',
		'public.responses responses_aggregate_insert',
		'public.responses responses_aggregate_before_delete'
	];
	for (const tr of triggers) {
		const [table, name] = tr.split(' ');
		await db.exec(`alter table ${table} disable trigger ${name}`);
	}
	try {
		let withoutTriggers = Infinity;
		for (let k = 0; k < 2; k++) {
			const t = performance.now();
			await loadChunk(db, setup, scratch, base0 + (2 + k) * CHUNK, CHUNK);
			withoutTriggers = Math.min(withoutTriggers, performance.now() - t);
			await db.query('delete from public.responses where wave_id = $1', [scratch]);
		}
		record({
			name: `${label}: bulk insert of ${CHUNK.toLocaleString('en-US')} responses (${(CHUNK * QUESTIONS_PER_RESPONSE).toLocaleString('en-US')} answers) with the aggregate triggers`,
			value: withTriggers,
			unit: 'ms',
			baseline: { name: 'the same insert without them', value: withoutTriggers }
		});
	} finally {
		for (const tr of triggers) {
			const [table, name] = tr.split(' ');
			await db.exec(`alter table ${table} enable trigger ${name}`);
		}
	}
	await db.query('delete from public.survey_waves where id = $1', [scratch]);

	const wave = setup.waves[1];
	// Warm-up (plan caches, buffers), then the timed calls.
	await asAnon(db, (tx) => tx.query('select public.question_scores($1)', [wave]));
	await asAnon(db, (tx) => tx.query('select public.public_scorecard(null)'));
	await db.query(NAIVE_WAVE, [wave]);

	const naiveCalls = db.engine === 'pglite' ? 3 : 5;
	const naive = await timeCalls(naiveCalls, () => db.query(NAIVE_WAVE, [wave]));
	const naiveAll = await timeCalls(naiveCalls, () => db.query(NAIVE_ALL_WAVES));

	const qs = await timeCalls(CALLS, () =>
		asAnon(db, (tx) => tx.query('select public.question_scores($1)', [wave]))
	);
	const qsd = await timeCalls(CALLS, (i) =>
		asAnon(db, (tx) =>
			tx.query('select public.question_scores($1, $2)', [wave, String(1 + (i % 6))])
		)
	);
	const card = await timeCalls(CALLS, () =>
		asAnon(db, (tx) => tx.query('select public.public_scorecard(null)'))
	);
	// The same calls to the functions as they were before the "scorecard truth" change,
	// interleaved with today's (alternating which goes first), so a busy machine slows both
	// alike and the ratio stays meaningful.
	await db.exec(BEFORE_SQL);
	const pair = async (now: () => Promise<unknown>, before: () => Promise<unknown>) => {
		await now();
		await before();
		const a: number[] = [];
		const b: number[] = [];
		for (let i = 0; i < CALLS; i++) {
			for (const [fn, into] of i % 2
				? ([
						[before, b],
						[now, a]
					] as const)
				: ([
						[now, a],
						[before, b]
					] as const)) {
				const t = performance.now();
				await fn();
				into.push(performance.now() - t);
			}
		}
		const p50 = (xs: number[]) =>
			percentile(
				[...xs].sort((x, y) => x - y),
				50
			);
		return { now: p50(a), before: p50(b) };
	};
	const publicPair = await pair(
		() => asAnon(db, (tx) => tx.query('select public.public_scorecard(null)')),
		() => asAnon(db, (tx) => tx.query('select bench_before.public_scorecard(null)'))
	);
	const staffPair = await pair(
		() => asService(db, (tx) => tx.query('select public.staff_scorecard(null)')),
		() => asService(db, (tx) => tx.query('select bench_before.staff_scorecard(null)'))
	);
	const staff = await timeCalls(CALLS, () =>
		asService(db, (tx) => tx.query('select public.staff_scorecard(null)'))
	);
	await db.exec('drop schema bench_before cascade');

	const base = { name: `naive GROUP BY over answers, p50 of ${naiveCalls}`, value: naive.p50 };
	record({
		name: `${label}: question_scores(wave) p50`,
		value: qs.p50,
		unit: 'ms',
		baseline: base,
		note: size
	});
	record({
		name: `${label}: question_scores(wave) p95`,
		value: qs.p95,
		unit: 'ms',
		baseline: base
	});
	record({
		name: `${label}: question_scores(wave, district) p50`,
		value: qsd.p50,
		unit: 'ms',
		baseline: base
	});
	record({
		name: `${label}: question_scores(wave, district) p95`,
		value: qsd.p95,
		unit: 'ms',
		baseline: base
	});
	const baseAll = {
		name: `naive GROUP BY over answers of all waves, p50 of ${naiveCalls}`,
		value: naiveAll.p50
	};
	record({
		name: `${label}: public_scorecard p50`,
		value: card.p50,
		unit: 'ms',
		baseline: baseAll
	});
	record({
		name: `${label}: public_scorecard p95`,
		value: card.p95,
		unit: 'ms',
		baseline: baseAll
	});
	// Issue 8's budget: within 10 % of the functions before the change, same data, same run.
	record({
		name: `${label}: public_scorecard p50 vs before the change`,
		value: publicPair.now,
		unit: 'ms',
		baseline: {
			name: `public_scorecard before 20261206, p50 of ${CALLS} interleaved`,
			value: publicPair.before
		},
		budget: { max: publicPair.before * 1.1 }
	});
	record({
		name: `${label}: staff_scorecard p50 vs before the change`,
		value: staffPair.now,
		unit: 'ms',
		baseline: {
			name: `staff_scorecard before 20261206, p50 of ${CALLS} interleaved`,
			value: staffPair.before
		},
		budget: { max: staffPair.before * 1.1 }
	});
	record({
		name: `${label}: staff_scorecard p95`,
		value: staff.p95,
		unit: 'ms',
		baseline: baseAll
	});
}

export async function run(): Promise<void> {
	const cluster = await startPg15();
	try {
		const pgdb = await openDb({ databaseUrl: cluster.url });
		try {
			await prepareDatabase(pgdb, { seed: false });
			await benchEngine(pgdb, 'PostgreSQL 15', null);
		} finally {
			await pgdb.close();
		}
	} finally {
		await cluster.stop();
	}

	const lite = await openDb({});
	try {
		await prepareDatabase(lite, { seed: false });
		await benchEngine(lite, 'PGlite', PGLITE_BUDGET_MS);
	} finally {
		await lite.close();
	}
}
