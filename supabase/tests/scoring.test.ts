/**
 * question_scores and the aggregates behind it, on PGlite and PostgreSQL 15, against a
 * hand-built fixture whose figures are computed by hand in the comments (DESIGN §6):
 * n = 0, all "don't know", p = 0 and p = 1, weights (Kish n), importance shares of ALL
 * respondents, I-S bands, change significance, and who may see what (published waves only and
 * no cell under 30 people for the public; staff see everything with warnings).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TQuestionScore } from '../../src/lib/domain/scorecard';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { as, createFixture, createUser, submit, validSubmission, type TIdentity } from './support';
import {
	aggregateDrift,
	createSurvey,
	createWave,
	loadResponses,
	scores,
	times,
	type TScoringSurvey
} from './scoring-support';

const anon: TIdentity = { role: 'anon' };
const service: TIdentity = { role: 'service_role' };
const Z = 1.96;

describe.each(ENGINES)('question_scores on %s', (engine) => {
	let db: TTestDb;
	let s: TScoringSurvey;
	let w1: string; // previous wave, published: 100 respondents
	let w2: string; // current wave, published: 50 respondents (40 in district 1, 10 in district 2)
	let w3: string; // newest wave, not published
	let analyst: TIdentity;
	let moderator: TIdentity;
	let resident: TIdentity;

	beforeAll(async () => {
		db = await openTestDb(engine);
		s = await createSurvey(db, [
			{ key: 'q_streets', kind: 'satisfaction5', category: 'streets' },
			{ key: 'q_parks', kind: 'rating5', category: 'parks' },
			{ key: 'q_water', kind: 'satisfaction5' },
			{ key: 'q_dk', kind: 'satisfaction5' },
			{ key: 'q_none', kind: 'satisfaction5' },
			// Options link by question key (q_water), by service category (streets, parks) or not
			// at all (other).
			{ key: 'q_top3', kind: 'importance_top3', options: ['streets', 'parks', 'q_water', 'other'] },
			{ key: 'district', kind: 'district', options: ['1', '2', '3'] }
		]);
		w1 = await createWave(db, s.surveyId, {
			label: '2025',
			period: '2025',
			opensDaysAgo: 400,
			closesDaysAgo: 300,
			published: true
		});
		w2 = await createWave(db, s.surveyId, {
			label: '2026',
			period: '2026',
			opensDaysAgo: 40,
			closesDaysAgo: 10,
			published: true
		});
		w3 = await createWave(db, s.surveyId, { label: '2027', period: '2027', opensDaysAgo: 5 });

		// W1: q_streets 50 × 4, 50 × 2 → p = 0.5 (n 100); q_parks 100 × 5 → p = 1.
		await loadResponses(db, s, w1, [
			...times(50, { district: '1', answers: { q_streets: 4, q_parks: 5 } }),
			...times(50, { district: '1', answers: { q_streets: 2, q_parks: 5 } })
		]);
		// W2, district 1 (40 people): 20 name streets + q_water, 20 name parks.
		//   q_streets: 30 × 5, 10 × 2 in district 1; 10 × 4 in district 2 → overall 40/50 = 0.8,
		//   mean (150 + 20 + 40)/50 = 4.2. q_parks: 25 × 5, 25 × 4 → p = 1. q_water: all 1 → p = 0.
		//   q_dk: everyone 9. q_none: nobody. District 2 names nothing in the top 3.
		await loadResponses(db, s, w2, [
			...times(20, {
				district: '1',
				answers: { q_streets: 5, q_parks: 5, q_water: 1, q_dk: 9, q_top3: ['streets', 'q_water'] }
			}),
			...times(10, {
				district: '1',
				answers: { q_streets: 5, q_parks: 4, q_water: 1, q_dk: 9, q_top3: ['parks'] }
			}),
			...times(10, {
				district: '1',
				answers: { q_streets: 2, q_parks: 4, q_water: 1, q_dk: 9, q_top3: ['parks', 'other'] }
			}),
			...times(5, { district: '2', answers: { q_streets: 4, q_parks: 5, q_water: 1, q_dk: 9 } }),
			...times(5, { district: '2', answers: { q_streets: 4, q_parks: 4, q_water: 1, q_dk: 9 } })
		]);
		await loadResponses(db, s, w3, times(3, { district: '1', answers: { q_streets: 3 } }));

		analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
		resident = await createUser(db, { anonymous: true });
	});
	afterAll(async () => {
		await db?.close();
	});

	const byKey = (r: { questions: TQuestionScore[] }) =>
		Object.fromEntries(r.questions.map((q) => [q.key, q]));

	it("scores the whole wave: % satisfied, mean, margin, don't know and empty items", async () => {
		const r = await scores(db, anon, w2);
		expect(r.wave).toEqual({
			id: w2,
			label: '2026',
			period: '2026',
			mode: 'open',
			results_published: true,
			in_progress: false
		});
		expect(r.sample).toBe('open');
		expect(r.samples).toEqual(['open']);
		expect(r.district).toBeNull();
		expect(r.respondents).toBe(50);
		expect(r.survey_margin).toBeCloseTo(Z * Math.sqrt(0.25 / 50), 12);
		expect(r.questions.map((q) => q.key)).toEqual([
			'q_streets',
			'q_parks',
			'q_water',
			'q_dk',
			'q_none'
		]);
		const q = byKey(r);

		expect(q.q_streets).toMatchObject({
			kind: 'satisfaction5',
			service_category: 'streets',
			n_valid: 50,
			n_dont_know: 0,
			n_effective: 50,
			suppressed: false,
			warning: 'small_sample'
		});
		expect(q.q_streets.prompt).toEqual({ en: 'Prompt q_streets', es: 'Pregunta q_streets' });
		expect(q.q_streets.percent_satisfied).toBeCloseTo(0.8, 12);
		expect(q.q_streets.mean).toBeCloseTo(4.2, 12);
		expect(q.q_streets.margin).toBeCloseTo(Z * Math.sqrt((0.8 * 0.2) / 50), 12);

		// p = 1 and p = 0: the formula's margin is exactly 0.
		expect(q.q_parks).toMatchObject({ n_valid: 50, percent_satisfied: 1, margin: 0, mean: 4.5 });
		expect(q.q_water).toMatchObject({ n_valid: 50, percent_satisfied: 0, margin: 0, mean: 1 });

		// Everyone said "don't know": no valid answer, nothing estimated, nothing suppressed (n
		// valid 0 is not a small cell to hide, it is no data).
		for (const key of ['q_dk', 'q_none']) {
			expect(q[key]).toMatchObject({
				percent_satisfied: null,
				mean: null,
				margin: null,
				n_valid: 0,
				is_rating: null,
				is_band: null,
				warning: null,
				change: null
			});
		}
		expect(q.q_dk.n_dont_know).toBe(50);
		expect(q.q_none.n_dont_know).toBe(0);
	});

	it('computes importance over ALL respondents and the I-S rating and band', async () => {
		const q = byKey(await scores(db, anon, w2));
		// streets: 20 of 50 → 0.4; I-S 0.4 × (1 − 0.8) = 0.08 → medium.
		expect(q.q_streets.importance).toBeCloseTo(0.4, 12);
		expect(q.q_streets.is_rating).toBeCloseTo(0.08, 12);
		expect(q.q_streets.is_band).toBe('medium');
		// parks: 20 of 50; satisfaction 1 → I-S 0.
		expect(q.q_parks.importance).toBeCloseTo(0.4, 12);
		expect(q.q_parks.is_rating).toBe(0);
		expect(q.q_parks.is_band).toBe('medium');
		// q_water (linked by key): 20 of 50, satisfaction 0 → I-S 0.4 → very high priority.
		expect(q.q_water.importance).toBeCloseTo(0.4, 12);
		expect(q.q_water.is_band).toBe('very_high');
		// No option ranks q_dk: no importance at all (not 0).
		expect(q.q_dk.importance).toBeNull();
	});

	it('gives the I-S matrix split at the means of the plotted items', async () => {
		const r = await scores(db, anon, w2);
		expect(r.matrix.mean_importance).toBeCloseTo(0.4, 12);
		expect(r.matrix.mean_satisfaction).toBeCloseTo((0.8 + 1 + 0) / 3, 12);
	});

	it('flags a significant change from the previous wave (two-proportion z-test)', async () => {
		const q = byKey(await scores(db, anon, w2));
		// 0.5 (n 100) → 0.8 (n 50): pooled 0.6, SE √(0.24·(1/100 + 1/50)), z ≈ 3.54.
		const se = Math.sqrt(0.24 * (1 / 100 + 1 / 50));
		expect(q.q_streets.change).toMatchObject({
			wave_id: w1,
			label: '2025',
			n_valid: 100,
			significant: true
		});
		expect(q.q_streets.change!.percent_satisfied).toBeCloseTo(0.5, 12);
		expect(q.q_streets.change!.delta).toBeCloseTo(0.3, 12);
		expect(q.q_streets.change!.z).toBeCloseTo(0.3 / se, 9);
		expect(q.q_streets.change!.p_value).toBeLessThan(0.001);
		// Both waves all satisfied: pooled p = 1, no standard error → z 0, p 1, not significant.
		expect(q.q_parks.change).toMatchObject({ z: 0, p_value: 1, significant: false, delta: 0 });
		// The previous wave had no answer to q_water: nothing to compare.
		expect(q.q_water.change).toBeNull();
		// The oldest wave has no previous wave.
		expect(byKey(await scores(db, anon, w1)).q_streets.change).toBeNull();
	});

	it('withholds district cells under 30 people from the public, not from staff', async () => {
		const d1 = byKey(await scores(db, anon, w2, '1'));
		// District 1: 40 people → shown, with a small-sample warning.
		expect(d1.q_streets).toMatchObject({ n_valid: 40, suppressed: false, warning: 'small_sample' });
		expect(d1.q_streets.percent_satisfied).toBeCloseTo(30 / 40, 12);
		// Importance within the district: 20 of its 40 respondents.
		expect(d1.q_streets.importance).toBeCloseTo(0.5, 12);

		const pub = await scores(db, anon, w2, '2');
		expect(pub.district).toBe('2');
		expect(pub.respondents).toBe(10);
		expect(pub.survey_margin).toBeNull();
		for (const q of pub.questions.filter((x) => x.n_valid > 0)) {
			expect(q).toMatchObject({
				suppressed: true,
				percent_satisfied: null,
				mean: null,
				margin: null,
				importance: null,
				is_rating: null,
				is_band: null,
				n_effective: null,
				change: null,
				warning: null
			});
		}
		for (const who of [analyst, moderator, service]) {
			const staff = byKey(await scores(db, who, w2, '2'));
			expect(staff.q_streets).toMatchObject({
				n_valid: 10,
				suppressed: false,
				warning: 'small_sample',
				percent_satisfied: 1
			});
			expect(staff.q_streets.importance).toBe(0);
		}
	});

	it('shows unpublished waves to staff only, with clear errors for everyone else', async () => {
		for (const who of [anon, resident]) {
			await expect(scores(db, who, w3)).rejects.toMatchObject({
				code: '42501',
				message: expect.stringContaining('not published')
			});
		}
		for (const who of [analyst, moderator, service]) {
			const r = await scores(db, who, w3);
			expect(r.wave.results_published).toBe(false);
			expect(byKey(r).q_streets).toMatchObject({
				n_valid: 3,
				suppressed: false,
				percent_satisfied: 0
			});
		}
		// w3 is still open: staff see its running tally marked in progress, with no change test
		// (a tally is never judged); the public never sees w3 at all.
		const open = await scores(db, analyst, w3);
		expect(open.wave.in_progress).toBe(true);
		expect(byKey(open).q_streets.change).toBeNull();
		await expect(scores(db, anon, randomUUID())).rejects.toMatchObject({ code: 'PT404' });
		await expect(scores(db, analyst, randomUUID())).rejects.toMatchObject({ code: 'PT404' });
	});

	it('compares with the previous closed wave the caller may see', async () => {
		// After w2: a closed but unpublished wave w4, then a published wave w5.
		const w4 = await createWave(db, s.surveyId, {
			label: '2028',
			period: '2028',
			opensDaysAgo: 4,
			closesDaysAgo: 3
		});
		const w5 = await createWave(db, s.surveyId, {
			label: '2029',
			period: '2029',
			opensDaysAgo: 2,
			closesDaysAgo: 1,
			published: true
		});
		await loadResponses(db, s, w4, times(40, { district: '3', answers: { q_streets: 1 } }));
		await loadResponses(db, s, w5, times(40, { district: '3', answers: { q_streets: 5 } }));
		// The public compares the last two published waves (w2 → w5); w4 is hidden from it.
		expect(byKey(await scores(db, anon, w5)).q_streets.change).toMatchObject({ wave_id: w2 });
		// Staff compare with the previous closed wave, published or not (w4); the open w3 never
		// counts as a previous wave.
		expect(byKey(await scores(db, analyst, w5)).q_streets.change).toMatchObject({ wave_id: w4 });
		await db.query('delete from public.survey_waves where id = any($1)', [[w4, w5]]);
	});

	it('honours weights: weighted % and mean, Kish effective n in the margin', async () => {
		const sw = await createSurvey(db, [{ key: 'q_w', kind: 'satisfaction5' }]);
		const w = await createWave(db, sw.surveyId, {
			label: 'W',
			period: '2026',
			opensDaysAgo: 3,
			closesDaysAgo: 2,
			published: true
		});
		// Weights 1, 1, 2, 4 on answers 5, 4, 2, 1: Σw 8, satisfied 2 → p 0.25;
		// mean (5 + 4 + 4 + 4)/8 = 2.125; n_eff 8²/(1 + 1 + 4 + 16) = 64/22.
		await loadResponses(db, sw, w, [
			{ weight: 1, answers: { q_w: 5 } },
			{ weight: 1, answers: { q_w: 4 } },
			{ weight: 2, answers: { q_w: 2 } },
			{ weight: 4, answers: { q_w: 1 } }
		]);
		const q = byKey(await scores(db, analyst, w)).q_w;
		expect(q.n_valid).toBe(4);
		expect(q.percent_satisfied).toBeCloseTo(0.25, 12);
		expect(q.mean).toBeCloseTo(2.125, 12);
		expect(q.n_effective).toBeCloseTo(64 / 22, 12);
		expect(q.margin).toBeCloseTo(Z * Math.sqrt((0.25 * 0.75) / (64 / 22)), 12);
		// Equal weights other than 1: the effective n is exactly the head count.
		const w2b = await createWave(db, sw.surveyId, {
			label: 'W2',
			period: '2027',
			opensDaysAgo: 2,
			closesDaysAgo: 1,
			published: true
		});
		await loadResponses(db, sw, w2b, times(7, { weight: 0.7, answers: { q_w: 4 } }));
		expect(byKey(await scores(db, analyst, w2b)).q_w.n_effective).toBe(7);
		// Public: 4 people is a small cell.
		expect(byKey(await scores(db, anon, w)).q_w.suppressed).toBe(true);
	});

	it('rejects a bad district argument with a clear error', async () => {
		await expect(scores(db, anon, w2, 'x'.repeat(65))).rejects.toMatchObject({ code: '22023' });
		// A district nobody lives in: zero respondents, every cell empty.
		const r = await scores(db, analyst, w2, 'nowhere');
		expect(r.respondents).toBe(0);
		expect(r.questions.every((q) => q.n_valid === 0 && q.percent_satisfied === null)).toBe(true);
	});
});

describe.each(ENGINES)('score aggregates on %s', (engine) => {
	let db: TTestDb;

	beforeAll(async () => {
		db = await openTestDb(engine);
	});
	afterAll(async () => {
		await db?.close();
	});

	it('stay equal to a recomputation through submit, update and delete', async () => {
		const f = await createFixture(db);
		const residents = await Promise.all(
			Array.from({ length: 5 }, () => createUser(db, { anonymous: true }))
		);
		const items = [
			validSubmission(f, { q_streets: 5, q_top3: ['s1', 's2'], district: '1' }),
			validSubmission(f, { q_streets: 4, q_parks: 9, q_top3: ['s1'], district: '2' }),
			validSubmission(f, { q_streets: 2, q_parks: 3, district: '2' }),
			validSubmission(f, { q_streets: 9, q_parks: 5, q_top3: ['s3', 's2', 's1'], district: '1' }),
			validSubmission(f, { q_streets: 1, district: '3' })
		];
		for (let i = 0; i < items.length; i++) {
			const [r] = await submit(db, residents[i], [items[i]]);
			expect(r.status).toBe('accepted');
		}
		expect(await aggregateDrift(db)).toEqual([]);

		const admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		// The fixture's open wave takes both samples; these residents came by the open link.
		const wave = (await scores(db, admin, f.openWaveId, null, 'open')).questions;
		const streets = wave.find((q) => q.key === 'q_streets')!;
		expect(streets).toMatchObject({ n_valid: 4, n_dont_know: 1 });
		expect(streets.percent_satisfied).toBeCloseTo(2 / 4, 12);

		// A retried submission is a duplicate and must not count twice.
		const [dup] = await submit(db, residents[0], [items[0]]);
		expect(dup.status).toBe('duplicate');
		expect(await aggregateDrift(db)).toEqual([]);

		// An admin corrects a weight and a district, edits an answer, deletes a response.
		await as(db, admin, async (tx) => {
			await tx.query(`update public.responses set weight = 2.5, district = '3' where id = $1`, [
				items[1].id
			]);
			await tx.query(`update public.responses set language = 'es' where id = $1`, [items[2].id]);
			await tx.query(
				`update public.answers set numeric_value = 1
				 where response_id = $1 and question_id = (select id from public.questions where key = 'q_streets' and survey_id = (select survey_id from public.survey_waves where id = $2))`,
				[items[0].id, f.openWaveId]
			);
			await tx.query(`delete from public.responses where id = $1`, [items[3].id]);
		});
		expect(await aggregateDrift(db)).toEqual([]);
		const after = (await scores(db, admin, f.openWaveId, null, 'open')).questions.find(
			(q) => q.key === 'q_streets'
		)!;
		// Left: 1 (w 1), 4 (w 2.5), 2 (w 1), 1 (w 1) → satisfied 2.5 of 5.5.
		expect(after.n_valid).toBe(4);
		expect(after.n_dont_know).toBe(0);
		expect(after.percent_satisfied).toBeCloseTo(2.5 / 5.5, 12);
		const d3 = await scores(db, admin, f.openWaveId, '3', 'open');
		expect(d3.respondents).toBe(2);

		// Deleting a single answer, then the whole wave.
		await db.query(`delete from public.answers where response_id = $1 and numeric_value = 1`, [
			items[4].id
		]);
		expect(await aggregateDrift(db)).toEqual([]);
		await db.query('delete from public.survey_waves where id = $1', [f.openWaveId]);
		expect(await aggregateDrift(db)).toEqual([]);
		const { rows } = await db.query(
			'select 1 from private.answer_aggregates where wave_id = $1 union all select 1 from private.respondent_aggregates where wave_id = $1',
			[f.openWaveId]
		);
		expect(rows).toEqual([]);
	});

	it('keeps bulk inserts of many responses consistent', async () => {
		const s = await createSurvey(db, [
			{ key: 'q_a', kind: 'satisfaction5' },
			{ key: 'q_t', kind: 'importance_top3', options: ['q_a', 'x', 'y'] }
		]);
		const w = await createWave(db, s.surveyId, { label: 'B', period: '2026', opensDaysAgo: 1 });
		const rows = Array.from({ length: 300 }, (_, i) => ({
			district: i % 3 === 0 ? null : String(i % 4),
			weight: 0.5 + (i % 5) * 0.25,
			answers: { q_a: (i % 6) + 1 === 6 ? 9 : (i % 6) + 1, q_t: i % 2 ? ['q_a', 'x'] : ['y'] }
		}));
		await loadResponses(db, s, w, rows);
		expect(await aggregateDrift(db)).toEqual([]);
		// The migration's rebuild gives the same state as the triggers.
		await db.query('select private.rebuild_score_aggregates()');
		expect(await aggregateDrift(db)).toEqual([]);
	});

	it('are not readable through the API roles', async () => {
		for (const who of [anon, { role: 'authenticated' as const, sub: randomUUID() }]) {
			await expect(
				as(db, who, (tx) => tx.query('select * from private.answer_aggregates'))
			).rejects.toMatchObject({ code: '42501' });
		}
	});
});
