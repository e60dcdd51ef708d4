/**
 * Helpers for the scoring tests (question_scores, scorecards, import_responses, aggregates):
 * a small survey built here (not from the seed) and a bulk loader that writes responses and
 * answers directly as the owner, so hand-computed fixtures of hundreds of answers stay fast.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../local/db';
import { as, type TIdentity } from './support';
import type { TQuestionScores, TScorecard } from '../../src/lib/domain/scorecard';

export const L = (en: string, es: string = en) => JSON.stringify({ en, es });
export const opts = (...keys: string[]) =>
	JSON.stringify(keys.map((k) => ({ key: k, label: { en: `Option ${k}`, es: `Opción ${k}` } })));

export interface TScoringSurvey {
	surveyId: string;
	sectionId: string;
	/** question key → id */
	q: Record<string, string>;
}

export interface TQuestionSpec {
	key: string;
	kind: string;
	category?: string;
	options?: string[];
	required?: boolean;
}

/** A survey with the given questions (positions in order, 10 apart). */
export async function createSurvey(
	db: Db,
	questions: TQuestionSpec[],
	slug = `scoring-${randomUUID().slice(0, 8)}`
): Promise<TScoringSurvey> {
	const {
		rows: [s]
	} = await db.query<{ id: string }>(
		`insert into public.surveys (slug, title, intro) values ($1, $2, $3) returning id`,
		[slug, L('Scoring survey'), L('Intro')]
	);
	const {
		rows: [sec]
	} = await db.query<{ id: string }>(
		`insert into public.survey_sections (survey_id, key, position, title) values ($1, 'main', 1, $2) returning id`,
		[s.id, L('Main')]
	);
	const q: Record<string, string> = {};
	let position = 10;
	for (const spec of questions) {
		const {
			rows: [row]
		} = await db.query<{ id: string }>(
			`insert into public.questions (survey_id, section_id, position, key, kind, prompt, options,
			   service_category, required)
			 values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) returning id`,
			[
				s.id,
				sec.id,
				position,
				spec.key,
				spec.kind,
				L(`Prompt ${spec.key}`, `Pregunta ${spec.key}`),
				spec.options ? opts(...spec.options) : null,
				spec.category ?? null,
				spec.required ?? false
			]
		);
		q[spec.key] = row.id;
		position += 10;
	}
	return { surveyId: s.id, sectionId: sec.id, q };
}

/** A wave of the survey; `opensDaysAgo` orders waves (larger = older). */
export async function createWave(
	db: Db,
	surveyId: string,
	opts: {
		label: string;
		period: string;
		opensDaysAgo: number;
		closesDaysAgo?: number | null;
		published?: boolean;
		mode?: 'open' | 'invited' | 'both';
	}
): Promise<string> {
	const {
		rows: [w]
	} = await db.query<{ id: string }>(
		`insert into public.survey_waves (survey_id, label, period, mode, opens_at, closes_at, results_published)
		 values ($1, $2, $3, $4, now() - make_interval(days => $5),
		         case when $6::int is null then null else now() - make_interval(days => $6::int) end, $7)
		 returning id`,
		[
			surveyId,
			opts.label,
			opts.period,
			opts.mode ?? 'open',
			opts.opensDaysAgo,
			opts.closesDaysAgo ?? null,
			opts.published ?? false
		]
	);
	return w.id;
}

export interface TRespondent {
	district?: string | null;
	/** The sample the response belongs to (default 'open'; must fit the wave's mode). */
	mode?: 'invited' | 'open';
	weight?: number;
	/** question key → value (number for 5-point items, string for single, string[] for lists) */
	answers: Record<string, number | string | string[]>;
}

/** `count` copies of one respondent (handy for hand-built fixtures). */
export const times = (count: number, r: TRespondent): TRespondent[] =>
	Array.from({ length: count }, () => ({ ...r, answers: { ...r.answers } }));

/**
 * Inserts responses (source 'import') and their answers as the table owner, two statements in
 * one transaction — the same path a bulk load takes, so the aggregate triggers see a batch.
 */
export async function loadResponses(
	db: Db,
	survey: TScoringSurvey,
	waveId: string,
	respondents: TRespondent[]
): Promise<string[]> {
	const items = respondents.map((r) => ({
		id: randomUUID(),
		mode: r.mode ?? 'open',
		district: r.district ?? null,
		weight: r.weight ?? 1,
		answers: Object.entries(r.answers).map(([key, value]) => {
			const qid = survey.q[key];
			if (!qid) throw new Error(`no question ${key}`);
			return {
				q: qid,
				n: typeof value === 'number' ? value : null,
				c: typeof value === 'string' ? value : null,
				cs: Array.isArray(value) ? value : null
			};
		})
	}));
	await db.transaction(async (tx) => {
		await tx.query(
			`insert into public.responses (id, wave_id, mode, language, district, source, weight, external_id)
			 select x.id, $2, x.mode, 'en', x.district, 'import', x.weight, x.id::text
			 from jsonb_to_recordset($1::jsonb) as x(id uuid, mode text, district text, weight numeric)`,
			[JSON.stringify(items), waveId]
		);
		await tx.query(
			`insert into public.answers (response_id, wave_id, question_id, numeric_value, choice_value, choice_values)
			 select x.id, $2, a.q, a.n, a.c,
			        case when a.cs is null then null else array(select jsonb_array_elements_text(a.cs)) end
			 from jsonb_to_recordset($1::jsonb) as x(id uuid, answers jsonb)
			 cross join lateral jsonb_to_recordset(x.answers) as a(q uuid, n numeric, c text, cs jsonb)`,
			[JSON.stringify(items), waveId]
		);
	});
	return items.map((i) => i.id);
}

export async function scores(
	db: Db,
	who: TIdentity,
	waveId: string,
	district: string | null = null,
	sample: 'invited' | 'open' | null = null
): Promise<TQuestionScores> {
	return as(db, who, async (tx) => {
		const { rows } = await tx.query<{ r: TQuestionScores }>(
			'select public.question_scores($1, $2, $3) as r',
			[waveId, district, sample]
		);
		return rows[0].r;
	});
}

export async function scorecard(
	db: Db,
	who: TIdentity,
	fn: 'public_scorecard' | 'staff_scorecard',
	period: string | null = null,
	district: string | null = null
): Promise<TScorecard> {
	return as(db, who, async (tx) => {
		const { rows } = await tx.query<{ r: TScorecard }>(`select public.${fn}($1, $2) as r`, [
			period,
			district
		]);
		return rows[0].r;
	});
}

/**
 * Rows where the trigger-maintained aggregates differ from a recomputation over the answers
 * (zero rows left behind by deletions are equivalent to absent ones). Empty = consistent.
 */
export async function aggregateDrift(db: Db): Promise<unknown[]> {
	return db.transaction(async (tx) => aggregateDriftIn(tx));
}

async function aggregateDriftIn(db: Db): Promise<unknown[]> {
	// No JIT: compiling this small query costs seconds on a loaded PostgreSQL 15.
	await db.query('set local jit = off');
	const { rows } = await db.query(
		`with fresh_a as (
		   select x.wave_id, x.question_id, d.d as district, r.mode as sample, k.k as value_key,
		          count(*)::bigint as n, sum(r.weight) as sum_w, sum(r.weight * r.weight) as sum_w2
		   from public.answers x join public.responses r on r.id = x.response_id
		   cross join lateral private.answer_value_keys(x.numeric_value, x.choice_value, x.choice_values) k(k)
		   cross join lateral private.district_keys(r.district) d(d)
		   group by 1, 2, 3, 4, 5),
		 live_a as (
		   select wave_id, question_id, district, sample, value_key, n, sum_w, sum_w2
		   from private.answer_aggregates where n <> 0 or sum_w <> 0 or sum_w2 <> 0),
		 fresh_r as (
		   select x.wave_id, d.d as district, x.mode as sample, count(*)::bigint as n,
		          sum(x.weight) as sum_w, sum(x.weight * x.weight) as sum_w2
		   from public.responses x cross join lateral private.district_keys(x.district) d(d)
		   group by 1, 2, 3),
		 live_r as (
		   select wave_id, district, sample, n, sum_w, sum_w2 from private.respondent_aggregates
		   where n <> 0 or sum_w <> 0 or sum_w2 <> 0)
		 select 'answers: missing' as what, * from (select * from fresh_a except select * from live_a) m
		 union all
		 select 'answers: extra', * from (select * from live_a except select * from fresh_a) e
		 union all
		 select 'respondents: missing', wave_id, null, district, sample, null, n, sum_w, sum_w2
		   from (select * from fresh_r except select * from live_r) m2
		 union all
		 select 'respondents: extra', wave_id, null, district, sample, null, n, sum_w, sum_w2
		   from (select * from live_r except select * from fresh_r) e2`
	);
	return rows;
}
