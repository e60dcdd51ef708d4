/**
 * SQL / TypeScript parity: the database's `question_scores` and `public_scorecard` (reading the
 * trigger-maintained aggregates) and `$lib/scoring` must give the same numbers on the same
 * data, to 1e-9, on PGlite and on PostgreSQL 15. The dataset is generated (seeded, so any
 * failure reproduces): weighted and unweighted waves, don't-know answers, stray codes, blanks,
 * districts large and small, importance options linked by key, by service category, ambiguously
 * and not at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TQuestionScores, TScorecard } from '../domain/scorecard';
import type { TQuestion } from '../domain/survey';
import { ENGINES, openTestDb, type TTestDb } from '../../../tests/tools/test-db';
import {
	L,
	createSurvey,
	createWave,
	loadResponses,
	scorecard,
	scores,
	type TRespondent,
	type TScoringSurvey
} from '../../../supabase/tests/scoring-support';
import type { TIdentity } from '../../../supabase/tests/support';
import { parityFixture } from './parity-fixture';
import {
	cellVisibility,
	isMatrix,
	kishEffectiveN,
	satisfactionChange,
	scoreQuestions,
	figureStatus,
	publishedFigure,
	surveyMargin,
	type TScoredResponse
} from './index';

const TOL = 1e-9;
const service: TIdentity = { role: 'service_role' };
const anon: TIdentity = { role: 'anon' };

/** Deterministic generator (LCG) so both engines and every run see the same data. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

function expectClose(sql: number | null | undefined, ts: number | null | undefined, what: string) {
	if (ts === null || ts === undefined) {
		expect(sql ?? null, what).toBeNull();
		return;
	}
	expect(sql, what).not.toBeNull();
	expect(Math.abs((sql as number) - ts), `${what}: sql ${sql} vs ts ${ts}`).toBeLessThanOrEqual(
		TOL * Math.max(1, Math.abs(ts))
	);
}

const SCALED = [
	{ key: 'q_streets', kind: 'satisfaction5', category: 'streets' },
	{ key: 'q_parks', kind: 'rating5', category: 'parks' },
	{ key: 'q_water', kind: 'satisfaction5', category: 'utilities' },
	{ key: 'q_sewer', kind: 'satisfaction5', category: 'utilities' },
	{ key: 'q_police', kind: 'satisfaction5' },
	{ key: 'q_rare', kind: 'rating5' }
] as const;
// streets, parks: by category; q_police: by key; utilities: two questions share it → no link;
// library: nothing.
const TOP3_OPTIONS = ['streets', 'parks', 'q_police', 'utilities', 'library'];
const DISTRICTS = ['1', '2', '3'];

function generate(seed: number, n: number, weighted: boolean): TRespondent[] {
	const r = rng(seed);
	const out: TRespondent[] = [];
	for (let i = 0; i < n; i++) {
		const x = r();
		// District 3 is small (about 5 %): its cells fall under the public threshold.
		const district = x < 0.05 ? '3' : x < 0.5 ? '1' : x < 0.93 ? '2' : null;
		const answers: TRespondent['answers'] = {};
		for (const q of SCALED) {
			const u = r();
			if (q.key === 'q_rare' && u < 0.9) continue; // few answers: small cells everywhere
			if (u < 0.07) continue; // blank
			if (u < 0.15)
				answers[q.key] = 9; // don't know
			else if (u < 0.16)
				answers[q.key] = 7; // a stray code: no answer, like blank
			else answers[q.key] = 1 + Math.floor(r() * 5);
		}
		const picks = Math.floor(r() * 4);
		if (picks > 0) {
			const pool = [...TOP3_OPTIONS];
			const chosen: string[] = [];
			for (let k = 0; k < picks; k++) chosen.push(pool.splice(Math.floor(r() * pool.length), 1)[0]);
			answers.q_top3 = chosen;
		}
		if (district) answers.district = district;
		out.push({
			district,
			weight: weighted ? Math.round((0.3 + r() * 2.7) * 1000) / 1000 : 1,
			answers
		});
	}
	return out;
}

/**
 * Compares question_scores (staff and public) with scoreQuestions for every wave (in order, so
 * wave w's change is against wave w − 1) and one district (null = all).
 */
async function checkWaves(
	db: TTestDb,
	questions: TQuestion[],
	waves: { id: string; data: TScoredResponse[] }[],
	district: string | null
) {
	for (let w = 0; w < waves.length; w++) {
		const { id, data } = waves[w];
		const inScope = district === null ? data : data.filter((d) => d.district === district);
		const ts = scoreQuestions(questions, data, { district });
		const staff: TQuestionScores = await scores(db, service, id, district);
		const pub: TQuestionScores = await scores(db, anon, id, district);

		expect(staff.respondents).toBe(inScope.length);
		expectClose(
			staff.survey_margin,
			surveyMargin(kishEffectiveN(inScope.map((d) => d.weight ?? 1))),
			'survey_margin'
		);
		expect(staff.questions.map((q) => q.key)).toEqual(ts.map((t) => t.question_key));

		const prevTs = w > 0 ? scoreQuestions(questions, waves[w - 1].data, { district }) : null;
		ts.forEach((t, i) => {
			const q = staff.questions[i];
			const at = `wave ${w} ${t.question_key}`;
			expect(q.n_valid, at).toBe(t.n_valid);
			expect(q.n_dont_know, at).toBe(t.n_dont_know);
			expectClose(q.n_effective, t.n_eff, `${at} n_eff`);
			expectClose(q.percent_satisfied, t.p_satisfied, `${at} p`);
			expectClose(q.mean, t.mean, `${at} mean`);
			expectClose(q.margin, t.margin, `${at} margin`);
			expectClose(q.importance, t.importance, `${at} importance`);
			expectClose(q.is_rating, t.is_rating, `${at} is_rating`);
			expect(q.is_band, at).toBe(t.is_band);
			expect(q.suppressed, at).toBe(false);

			const change = prevTs ? satisfactionChange(prevTs[i], t) : null;
			if (change === null) expect(q.change, at).toBeNull();
			else {
				expectClose(q.change!.delta, change.difference, `${at} delta`);
				expectClose(q.change!.z, change.z, `${at} z`);
				expectClose(q.change!.p_value, change.p_value, `${at} p_value`);
				expect(q.change!.significant, at).toBe(change.significant);
			}

			// Public view: withheld exactly when the public rule says so, else the same figures.
			const p = pub.questions[i];
			const visible = cellVisibility(t.n_valid, 'public').show;
			if (t.n_valid > 0) expect(p.suppressed, at).toBe(!visible);
			if (visible) expectClose(p.percent_satisfied, t.p_satisfied, `${at} public p`);
			else expect(p.percent_satisfied, at).toBeNull();
		});

		const matrix = isMatrix(
			ts
				.filter((t) => t.importance !== null)
				.map((t) => ({
					key: t.question_key,
					importance: t.importance!,
					p_satisfied: t.p_satisfied
				}))
		);
		expectClose(staff.matrix.mean_importance, matrix.mean_importance, 'mean importance');
		expectClose(staff.matrix.mean_satisfaction, matrix.mean_satisfaction, 'mean satisfaction');
	}
}

describe.each(ENGINES)('SQL and TypeScript scoring agree on %s', (engine) => {
	let db: TTestDb;
	let s: TScoringSurvey;
	let questions: TQuestion[];
	const waves: { id: string; data: TScoredResponse[] }[] = [];

	beforeAll(async () => {
		db = await openTestDb(engine);
		s = await createSurvey(db, [
			...SCALED.map((q) => ({ ...q })),
			{ key: 'q_top3', kind: 'importance_top3', options: TOP3_OPTIONS },
			{ key: 'district', kind: 'district', options: DISTRICTS }
		]);
		const specs = [
			{ label: '2025', period: '2025', opens: 400, seed: 11, n: 420, weighted: false },
			{ label: '2026', period: '2026', opens: 30, seed: 29, n: 380, weighted: true }
		];
		for (const spec of specs) {
			const id = await createWave(db, s.surveyId, {
				label: spec.label,
				period: spec.period,
				opensDaysAgo: spec.opens,
				closesDaysAgo: spec.opens - 10,
				published: true
			});
			const data = generate(spec.seed, spec.n, spec.weighted);
			await loadResponses(db, s, id, data);
			waves.push({
				id,
				data: data.map((d) => ({ answers: d.answers, weight: d.weight, district: d.district }))
			});
		}
		// The definitions exactly as stored (TQuestion is what get_survey returns).
		const { rows } = await db.query<TQuestion>(
			`select q.id, q.key, 'main' as section, q.position, q.kind, q.prompt, q.help, q.required,
			        q.options, null::numeric as min, null::numeric as max, q.max_length, q.show_if,
			        q.service_category
			 from public.questions q where q.survey_id = $1 order by q.position, q.key`,
			[s.surveyId]
		);
		questions = rows;
	});
	afterAll(async () => {
		await db?.close();
	});

	for (const district of [null, ...DISTRICTS]) {
		it(`question_scores, district ${district ?? 'all'}, staff and public`, async () => {
			await checkWaves(db, questions, waves, district);
			// The generator must exercise what it claims to.
			const all = scoreQuestions(questions, waves[1].data, { district });
			if (district === null) {
				expect(all.filter((t) => t.importance !== null).map((t) => t.question_key)).toEqual([
					'q_streets',
					'q_parks',
					'q_police'
				]);
				expect(all.some((t) => t.n_eff !== t.n_valid)).toBe(true);
			}
			if (district === '3') expect(all.every((t) => t.n_valid < 30)).toBe(true);
		});
	}

	it('public_scorecard statuses match figureStatus of the published figures around the margin', async () => {
		const latest = scoreQuestions(questions, waves[1].data);
		const [area] = (
			await db.query<{ id: string }>(
				`insert into public.goal_areas (key, name) values ('parity', $1) returning id`,
				[L('Parity')]
			)
		).rows;
		const [goal] = (
			await db.query<{ id: string }>(
				`insert into public.goals (goal_area_id, key, title, published) values ($1, 'parity_goal', $2, true) returning id`,
				[area.id, L('Parity goal')]
			)
		).rows;
		// Targets at value + k·margin: beyond, on, inside and outside the margin, both directions.
		const ks = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5];
		const expected: Record<string, string> = {};
		let i = 0;
		for (const t of latest.filter((x) => x.p_satisfied !== null && x.n_valid >= 30)) {
			for (const k of ks) {
				for (const direction of ['higher', 'lower'] as const) {
					const key = `m_${i++}`;
					const target = t.p_satisfied! + k * t.margin!;
					const [m] = (
						await db.query<{ id: string }>(
							`insert into public.measures (goal_id, key, name, unit, direction, kind, question_id, published)
							 values ($1, $2, $3, 'percent', $4, 'survey', $5, true) returning id`,
							[goal.id, key, L(key), direction, s.q[t.question_key]]
						)
					).rows;
					await db.query(
						`insert into public.targets (measure_id, period, value, published) values ($1, '2026', $2, true)`,
						[m.id, target]
					);
					// The status of the figures as published (rounded to 0.1 point), n ≥ 30 here.
					expected[key] = figureStatus({
						value: publishedFigure('percent', t.p_satisfied),
						target: publishedFigure('percent', target),
						margin: publishedFigure('percent', t.margin),
						direction,
						n: t.n_valid
					});
				}
			}
		}
		const card: TScorecard = await scorecard(db, anon, 'public_scorecard');
		const got = Object.fromEntries(
			card.goal_areas
				.flatMap((a) => a.goals.flatMap((g) => g.measures))
				.map((m) => [m.key, m.status])
		);
		expect(got).toEqual(expected);
		// Every status occurs, so the comparison means something.
		expect(new Set(Object.values(expected))).toEqual(new Set(['met', 'within_margin', 'not_met']));
	});
});

describe.each(ENGINES)(
	'the shared parity fixture ($lib/scoring/parity-fixture) on %s',
	(engine) => {
		let db: TTestDb;
		let questions: TQuestion[];
		const waves: { id: string; data: TScoredResponse[] }[] = [];

		beforeAll(async () => {
			db = await openTestDb(engine);
			// Unweighted, then weighted: two waves of one survey, so the change is compared too.
			const fixtures = [
				parityFixture({ weighted: false }),
				parityFixture({ weighted: true, seed: 7 })
			];
			questions = fixtures[0].questions;
			const s = await createSurvey(
				db,
				questions.map((q) => ({
					key: q.key,
					kind: q.kind,
					options: q.options?.map((o) => o.key),
					category: q.service_category ?? undefined
				}))
			);
			for (const [i, f] of fixtures.entries()) {
				const id = await createWave(db, s.surveyId, {
					label: `W${i}`,
					period: `${2025 + i}`,
					opensDaysAgo: 100 - i * 50,
					closesDaysAgo: 90 - i * 50,
					published: true
				});
				await loadResponses(
					db,
					s,
					id,
					f.responses.map((r) => ({
						district: r.district,
						weight: r.weight,
						answers: r.answers as TRespondent['answers']
					}))
				);
				waves.push({ id, data: f.responses });
			}
		});
		afterAll(async () => {
			await db?.close();
		});

		for (const district of [null, '1', '2', '3', '4']) {
			it(`agrees for district ${district ?? 'all'}`, async () => {
				await checkWaves(db, questions, waves, district);
			});
		}
	}
);
