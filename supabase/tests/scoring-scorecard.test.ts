/**
 * public_scorecard / staff_scorecard on both engines: honest statuses (met, not met, within the
 * margin, no target, no data), targets by period (quarter, else the year's), trends oldest
 * first with their targets, narratives, and what the public may see (published only, no survey
 * figure from fewer than 30 people) versus staff (everything).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TScorecard, TScorecardMeasure } from '../../src/lib/domain/scorecard';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { createUser, type TIdentity } from './support';
import { publishedFigure } from '../../src/lib/scoring/target-status';
import { L, createSurvey, createWave, loadResponses, scorecard, times } from './scoring-support';

const anon: TIdentity = { role: 'anon' };
const Z = 1.96;

describe.each(ENGINES)('scorecards on %s', (engine) => {
	let db: TTestDb;
	let analyst: TIdentity;
	let moderator: TIdentity;
	let resident: TIdentity;

	beforeAll(async () => {
		db = await openTestDb(engine);
		const s = await createSurvey(db, [
			{ key: 'q_streets', kind: 'satisfaction5' },
			{ key: 'q_small', kind: 'satisfaction5' }
		]);
		const w25 = await createWave(db, s.surveyId, {
			label: '2025',
			period: '2025',
			opensDaysAgo: 400,
			closesDaysAgo: 300,
			published: true
		});
		const w26 = await createWave(db, s.surveyId, {
			label: '2026',
			period: '2026',
			opensDaysAgo: 40,
			closesDaysAgo: 10,
			published: true
		});
		const w27 = await createWave(db, s.surveyId, {
			label: '2027',
			period: '2027',
			opensDaysAgo: 2
		});
		// 2025: 50 of 100 satisfied. 2026: 40 of 50. q_small: 10 people in 2026 (under 30).
		await loadResponses(db, s, w25, [
			...times(50, { answers: { q_streets: 5 } }),
			...times(50, { answers: { q_streets: 1 } })
		]);
		await loadResponses(db, s, w26, [
			...times(40, { answers: { q_streets: 4 } }),
			...times(10, { answers: { q_streets: 2 } }),
			...times(10, { answers: { q_small: 5 } })
		]);
		await loadResponses(db, s, w27, times(5, { answers: { q_streets: 5 } }));

		const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
		const [area] = await q(
			`insert into public.goal_areas (key, name, position) values ('infra', $1, 1) returning id`,
			[L('Infrastructure')]
		);
		const [hiddenArea] = await q(
			`insert into public.goal_areas (key, name, position) values ('draft_area', $1, 2) returning id`,
			[L('Draft area')]
		);
		const [goal] = await q(
			`insert into public.goals (goal_area_id, key, title, published) values ($1, 'streets', $2, true) returning id`,
			[area.id, L('Good streets')]
		);
		await q(
			`insert into public.goals (goal_area_id, key, title, published) values ($1, 'draft_goal', $2, false)`,
			[hiddenArea.id, L('Draft goal')]
		);
		const measure = async (
			key: string,
			kind: 'survey' | 'operational',
			opts: { question?: string; direction?: string; published?: boolean; position: number }
		) => {
			const [m] = await q(
				`insert into public.measures (goal_id, key, name, unit, direction, kind, question_id, published, position)
				 values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
				[
					goal.id,
					key,
					L(`Measure ${key}`),
					kind === 'survey' ? 'percent' : 'count',
					opts.direction ?? 'higher',
					kind,
					opts.question ? s.q[opts.question] : null,
					opts.published ?? true,
					opts.position
				]
			);
			return m.id as string;
		};
		const target = (m: string, period: string, value: number, published = true) =>
			q(
				`insert into public.targets (measure_id, period, value, published) values ($1, $2, $3, $4)`,
				[m, period, value, published]
			);
		const value = (m: string, period: string, v: number, published = true) =>
			q(
				`insert into public.measure_values (measure_id, period, value, published) values ($1, $2, $3, $4)`,
				[m, period, v, published]
			);
		const narrative = (m: string, period: string, text: string, published = true) =>
			q(
				`insert into public.narratives (measure_id, period, body, published) values ($1, $2, $3, $4)`,
				[m, period, L(text), published]
			);

		const sat = await measure('sat_streets', 'survey', { question: 'q_streets', position: 1 });
		await target(sat, '2025', 0.6);
		await target(sat, '2026', 0.85);
		await narrative(sat, '2025', 'Missed in 2025');
		await narrative(sat, '2026', 'Close in 2026');

		const op = await measure('potholes', 'operational', { position: 2 });
		await value(op, '2026-Q1', 70);
		await value(op, '2026-Q2', 80);
		await value(op, '2026-Q3', 90, false);
		await target(op, '2026-Q1', 75);
		await target(op, '2026', 78);
		await target(op, '2026-Q3', 95, false);
		await narrative(op, '2026-Q2', 'Draft explanation', false);

		const lower = await measure('response_minutes', 'operational', {
			direction: 'lower',
			position: 3
		});
		await value(lower, '2026', 10);
		await target(lower, '2026', 8);

		const noTarget = await measure('no_target', 'operational', { position: 4 });
		await value(noTarget, '2026', 3);

		const noData = await measure('no_data', 'operational', { position: 5 });
		await target(noData, '2026', 5);

		await measure('small_cell', 'survey', { question: 'q_small', position: 6 });
		await measure('hidden', 'operational', { published: false, position: 7 });

		analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
		resident = await createUser(db, { anonymous: true });
	});
	afterAll(async () => {
		await db?.close();
	});

	const measures = (c: TScorecard): Record<string, TScorecardMeasure> =>
		Object.fromEntries(
			c.goal_areas.flatMap((a) => a.goals.flatMap((g) => g.measures.map((m) => [m.key, m])))
		);

	it('shows the public only published goals and measures, with honest statuses', async () => {
		const card = await scorecard(db, anon, 'public_scorecard');
		expect(card.period).toBeNull();
		expect(typeof card.generated_at).toBe('string');
		expect(card.goal_areas.map((a) => a.key)).toEqual(['infra']);
		expect(card.goal_areas[0].goals.map((g) => g.key)).toEqual(['streets']);
		const m = measures(card);
		expect(Object.keys(m)).toEqual([
			'sat_streets',
			'potholes',
			'response_minutes',
			'no_target',
			'no_data',
			'small_cell'
		]);
		expect(Object.values(m).every((x) => x.published)).toBe(true);

		// 0.8 ± 1.96·√(0.16/50) ≈ ±0.111 against a target of 0.85: within the margin.
		expect(m.sat_streets).toMatchObject({
			kind: 'survey',
			question_key: 'q_streets',
			period: '2026',
			n: 50,
			target: 0.85,
			target_period: '2026',
			status: 'within_margin',
			narrative: { en: 'Close in 2026', es: 'Close in 2026' }
		});
		// Published figures: rounded to 0.1 point (3 decimals of a proportion) before judging.
		expect(m.sat_streets.value).toBe(0.8);
		expect(m.sat_streets.margin).toBe(publishedFigure('percent', Z * Math.sqrt(0.16 / 50)));
		expect(m.sat_streets.margin).toBe(0.111);
		// The unpublished 2027 wave is not part of the public trend.
		expect(m.sat_streets.trend.map((p) => [p.period, p.target, p.n, p.status])).toEqual([
			['2025', 0.6, 100, 'not_met'],
			['2026', 0.85, 50, 'within_margin']
		]);
		expect(m.sat_streets.warning).toBe('small_sample');
		expect(m.sat_streets.in_progress).toBeNull();

		// Latest published value (2026-Q2, 80) against the year's target (no Q2 target): met.
		expect(m.potholes).toMatchObject({
			period: '2026-Q2',
			value: 80,
			target: 78,
			target_period: '2026',
			status: 'met',
			margin: null,
			narrative: null
		});
		expect(m.potholes.trend).toEqual([
			{
				period: '2026-Q1',
				value: 70,
				margin: null,
				n: null,
				target: 75,
				status: 'not_met',
				sample: null
			},
			{
				period: '2026-Q2',
				value: 80,
				margin: null,
				n: null,
				target: 78,
				status: 'met',
				sample: null
			}
		]);

		expect(m.response_minutes).toMatchObject({ value: 10, target: 8, status: 'not_met' });
		expect(m.no_target).toMatchObject({ value: 3, target: null, status: 'no_target' });
		expect(m.no_data).toMatchObject({ value: null, period: null, target: 5, status: 'no_data' });
		// 10 people: the figure is absent for the public, not shown as 0.
		expect(m.small_cell).toMatchObject({ value: null, n: null, status: 'no_data', trend: [] });
	});

	it('answers for a period: quarter targets, earlier values, and a not-met survey year', async () => {
		const q1 = measures(await scorecard(db, anon, 'public_scorecard', '2026-Q1'));
		expect(q1.potholes).toMatchObject({
			period: '2026-Q1',
			value: 70,
			target: 75,
			target_period: '2026-Q1',
			status: 'not_met'
		});
		// The 2026 wave ends after 2026-Q1: the latest survey figure is 2025's.
		expect(q1.sat_streets.period).toBe('2025');

		const y25 = measures(await scorecard(db, anon, 'public_scorecard', '2025'));
		// 0.5 + 1.96·√(0.25/100) = 0.598 < 0.6: not met, even with the margin.
		expect(y25.sat_streets).toMatchObject({
			period: '2025',
			target: 0.6,
			status: 'not_met',
			narrative: { en: 'Missed in 2025', es: 'Missed in 2025' }
		});
		expect(y25.sat_streets.trend).toHaveLength(1);
		expect(y25.potholes).toMatchObject({ value: null, status: 'no_data', trend: [] });
	});

	it('gives staff everything: unpublished items, values, targets, narratives and small cells', async () => {
		for (const who of [analyst, moderator, { role: 'service_role' as const }]) {
			const card = await scorecard(db, who, 'staff_scorecard');
			expect(card.goal_areas.map((a) => a.key)).toEqual(['infra', 'draft_area']);
			const m = measures(card);
			expect(m.hidden).toMatchObject({ published: false, status: 'no_data' });
			expect(m.potholes).toMatchObject({
				period: '2026-Q3',
				value: 90,
				target: 95,
				target_period: '2026-Q3',
				status: 'not_met'
			});
			// The 2027 wave is still open: a running tally beside the figure, never the figure.
			expect(m.sat_streets).toMatchObject({ period: '2026', status: 'within_margin' });
			expect(m.sat_streets.in_progress).toEqual({ period: '2027', label: '2027', n: 5 });
			expect(m.sat_streets.trend.map((p) => p.period)).toEqual(['2025', '2026']);
			// Under 30 people: staff see the figure, but no status is given.
			expect(m.small_cell).toMatchObject({ n: 10, value: 1, status: 'too_few', warning: null });
		}
		const q2 = measures(await scorecard(db, analyst, 'staff_scorecard', '2026-Q2'));
		expect(q2.potholes.narrative).toEqual({ en: 'Draft explanation', es: 'Draft explanation' });
	});

	it('refuses the staff scorecard to the public and rejects a malformed period', async () => {
		for (const who of [anon, resident]) {
			await expect(scorecard(db, who, 'staff_scorecard')).rejects.toMatchObject({
				code: '42501',
				message: expect.stringContaining('staff')
			});
		}
		await expect(scorecard(db, anon, 'public_scorecard', '2026-Q5')).rejects.toMatchObject({
			code: '22023',
			message: expect.stringContaining('2026-Q3')
		});
	});
});
