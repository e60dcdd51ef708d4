/**
 * Figures that used to mislead, on both engines: an open wave's running tally, samples pooled
 * across invited and open-link respondents, a wave published before it closed, a survey
 * measure on a question without a scale, a narrative shown beside another period's figure, and
 * a district view that kept the all-district figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TScorecard, TScorecardMeasure } from '../../src/lib/domain/scorecard';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { createUser, type TIdentity } from './support';
import {
	L,
	createSurvey,
	createWave,
	loadResponses,
	scorecard,
	scores,
	times,
	type TScoringSurvey
} from './scoring-support';

const anon: TIdentity = { role: 'anon' };

const measuresOf = (c: TScorecard): Record<string, TScorecardMeasure> =>
	Object.fromEntries(
		c.goal_areas.flatMap((a) => a.goals.flatMap((g) => g.measures.map((m) => [m.key, m])))
	);

describe.each(ENGINES)('honest figures on %s', (engine) => {
	let db: TTestDb;
	let s: TScoringSurvey;
	let analyst: TIdentity;
	let closed: string;
	let open: string;
	let goalId: string;
	const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

	beforeAll(async () => {
		db = await openTestDb(engine);
		analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		s = await createSurvey(db, [
			{ key: 'q_streets', kind: 'satisfaction5' },
			{ key: 'district', kind: 'district', options: ['1', '2'] }
		]);
		// 2025: closed, published, mode both: 60 invited (30 satisfied) and 40 open-link (all
		// satisfied). 2026: open, one response so far.
		closed = await createWave(db, s.surveyId, {
			label: '2025 survey',
			period: '2025',
			opensDaysAgo: 400,
			closesDaysAgo: 300,
			published: true,
			mode: 'both'
		});
		await loadResponses(db, s, closed, [
			...times(30, { mode: 'invited', district: '1', answers: { q_streets: 5 } }),
			...times(30, { mode: 'invited', district: '2', answers: { q_streets: 1 } }),
			...times(40, { mode: 'open', district: '1', answers: { q_streets: 4 } })
		]);
		open = await createWave(db, s.surveyId, {
			label: '2026 survey',
			period: '2026',
			opensDaysAgo: 10,
			mode: 'both'
		});
		await loadResponses(db, s, open, [{ mode: 'open', answers: { q_streets: 5 } }]);

		const [area] = await q(
			`insert into public.goal_areas (key, name) values ('infra', $1) returning id`,
			[L('Infrastructure')]
		);
		const [goal] = await q(
			`insert into public.goals (goal_area_id, key, title, published) values ($1, 'streets', $2, true) returning id`,
			[area.id, L('Streets')]
		);
		goalId = goal.id;
		const [m] = await q(
			`insert into public.measures (goal_id, key, name, unit, direction, kind, question_id, published)
			 values ($1, 'sat_streets', $2, 'percent', 'higher', 'survey', $3, true) returning id`,
			[goal.id, L('Streets satisfaction'), s.q.q_streets]
		);
		await q(
			`insert into public.targets (measure_id, period, value, published)
			 values ($1, '2025', 0.55, true), ($1, '2026', 0.6, true)`,
			[m.id]
		);
		// A narrative for 2024 only: it must not sit beside the 2025 figure.
		await q(
			`insert into public.narratives (measure_id, period, body, published) values ($1, '2024', $2, true)`,
			[m.id, L('Overtime ran 6 % over target in 2024')]
		);
	});
	afterAll(async () => {
		await db?.close();
	});

	it('never pools the invited and open-link samples of a wave', async () => {
		const invited = await scores(db, anon, closed);
		expect(invited.sample).toBe('invited');
		expect(invited.samples).toEqual(['invited', 'open']);
		expect(invited.respondents).toBe(60);
		expect(invited.questions[0]).toMatchObject({ n_valid: 60, percent_satisfied: 0.5 });
		const openLink = await scores(db, anon, closed, null, 'open');
		expect(openLink.respondents).toBe(40);
		expect(openLink.questions[0]).toMatchObject({ n_valid: 40, percent_satisfied: 1 });
		// The scorecard reports the random sample, and says which one.
		const m = measuresOf(await scorecard(db, anon, 'public_scorecard')).sat_streets;
		expect(m).toMatchObject({ period: '2025', value: 0.5, n: 60 });
		expect(m.trend.at(-1)?.sample).toBe('invited');
		// A sample the wave does not take is a clear error.
		const [onlyOpen] = await q(
			`insert into public.survey_waves (survey_id, label, period, mode, opens_at, closes_at)
			 values ($1, 'open only', '2024', 'open', now() - interval '900 days', now() - interval '800 days')
			 returning id`,
			[s.surveyId]
		);
		await expect(scores(db, analyst, onlyOpen.id, null, 'invited')).rejects.toMatchObject({
			code: '22023',
			message: expect.stringContaining('no "invited" sample')
		});
		await q(`delete from public.survey_waves where id = $1`, [onlyOpen.id]);
	});

	it('shows one response to an open wave to staff as "in progress", and nothing to the public', async () => {
		const staff = measuresOf(await scorecard(db, analyst, 'staff_scorecard')).sat_streets;
		// The figure staff judge is still the closed wave's (0.5 ± 0.127 against 0.55); the tally
		// of the open wave (one open-link response) sits beside it as a head count only.
		expect(staff).toMatchObject({ period: '2025', value: 0.5, status: 'within_margin' });
		expect(staff.in_progress).toEqual({ period: '2026', label: '2026 survey', n: 1 });
		expect(staff.trend.map((p) => p.period)).toEqual(['2025']);
		const tally = await scores(db, analyst, open, null, 'open');
		expect(tally.wave.in_progress).toBe(true);
		expect(tally.questions[0]).toMatchObject({ n_valid: 1, percent_satisfied: 1, change: null });
		expect(tally.questions[0].measure).toMatchObject({ key: 'sat_streets', status: null });

		const pub = measuresOf(await scorecard(db, anon, 'public_scorecard')).sat_streets;
		expect(pub.in_progress).toBeNull();
		expect(pub.period).toBe('2025');
		expect(JSON.stringify(pub)).not.toContain('2026 survey');
		await expect(scores(db, anon, open, null, 'open')).rejects.toMatchObject({ code: '42501' });
	});

	it('refuses to publish results of a wave that has not closed', async () => {
		await expect(
			q(`update public.survey_waves set results_published = true where id = $1`, [open])
		).rejects.toMatchObject({
			code: '23514',
			message: expect.stringContaining('only after it has closed')
		});
		// Nor can a published wave be reopened by moving its closing time into the future.
		await expect(
			q(`update public.survey_waves set closes_at = now() + interval '1 day' where id = $1`, [
				closed
			])
		).rejects.toMatchObject({ code: '23514' });
		const [w] = await q(`select results_published from public.survey_waves where id = $1`, [open]);
		expect(w.results_published).toBe(false);
	});

	it('refuses a survey measure on a question without a satisfaction scale', async () => {
		await expect(
			q(
				`insert into public.measures (goal_id, key, name, unit, direction, kind, question_id)
				 values ($1, 'by_district', $2, 'percent', 'higher', 'survey', $3)`,
				[goalId, L('District'), s.q.district]
			)
		).rejects.toMatchObject({
			code: '23514',
			message: expect.stringContaining('needs a satisfaction or rating scale')
		});
		// Nor can a linked question (of a survey nobody has answered yet, so survey versions
		// allow edits) become another kind.
		const draft = await createSurvey(db, [{ key: 'q_fresh', kind: 'satisfaction5' }]);
		const fresh = { id: draft.q.q_fresh };
		await q(
			`insert into public.measures (goal_id, key, name, unit, direction, kind, question_id)
			 values ($1, 'sat_fresh', $2, 'percent', 'higher', 'survey', $3)`,
			[goalId, L('Fresh'), fresh.id]
		);
		await expect(
			q(`update public.questions set kind = 'number' where id = $1`, [fresh.id])
		).rejects.toMatchObject({
			code: '23514',
			message: expect.stringContaining('must stay a satisfaction or rating question')
		});
	});

	it('shows a narrative only beside a figure of its own period, labelled with it', async () => {
		const m = measuresOf(await scorecard(db, anon, 'public_scorecard')).sat_streets;
		expect(m.period).toBe('2025');
		expect(m.narrative).toBeNull();
		const y24 = measuresOf(await scorecard(db, anon, 'public_scorecard', '2024')).sat_streets;
		expect(y24).toMatchObject({ value: null, narrative_period: '2024' });
		expect(y24.narrative?.en).toContain('Overtime');
	});

	it('follows the district chosen: survey measures read that district’s residents', async () => {
		const d1 = measuresOf(await scorecard(db, analyst, 'staff_scorecard', null, '1')).sat_streets;
		expect(d1).toMatchObject({ value: 1, n: 30 });
		const d2 = await scorecard(db, anon, 'public_scorecard', null, '2');
		expect(d2.district).toBe('2');
		expect(measuresOf(d2).sat_streets).toMatchObject({ value: 0, n: 30, status: 'not_met' });
	});
});
