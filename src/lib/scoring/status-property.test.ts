/**
 * Status in one place: the database decides every status a screen shows
 * (`private.figure_status` on `private.published_figure`s), and the TypeScript rules the forms
 * use to preview (`figureStatus`, `publishedFigure`) must agree with it exactly. Property-based:
 * thousands of generated cases per engine — both directions, with and without a margin, values
 * exactly on, just around and far from the target, at and around the 0.1-point rounding
 * boundary, and n around the 30-person threshold — each run through SQL and TypeScript.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TTestDb } from '../../../tests/tools/test-db';
import { figureStatus, publishedFigure, type TDirection } from './target-status';

interface TCase {
	unit: 'percent' | 'minutes';
	value: number | null;
	target: number | null;
	margin: number | null;
	direction: TDirection;
	n: number | null;
}

/** A decimal with up to `d` places in [lo, hi], as people and the database write them. */
const decimal = (lo: number, hi: number, d: number) =>
	fc
		.integer({ min: Math.round(lo * 10 ** d), max: Math.round(hi * 10 ** d) })
		.map((k) => k / 10 ** d);

/** Figures around a target: on it, a hair away, half a rounding step away, far away. */
const nearby = (target: number, step: number) =>
	fc
		.oneof(
			fc.constant(0),
			fc.constantFrom(1e-12, -1e-12, step / 2, -step / 2, step, -step),
			fc.double({ min: -3 * step, max: 3 * step, noNaN: true }),
			fc.double({ min: -0.5, max: 0.5, noNaN: true })
		)
		.map((d) => target + d);

const caseArb: fc.Arbitrary<TCase> = fc
	.record({
		unit: fc.constantFrom('percent' as const, 'minutes' as const),
		direction: fc.constantFrom('higher' as const, 'lower' as const),
		hasMargin: fc.boolean(),
		hasTarget: fc.nat(9).map((k) => k > 0),
		hasValue: fc.nat(19).map((k) => k > 0),
		n: fc.oneof(
			fc.constant(null),
			fc.constantFrom(29, 30, 31, 99, 100),
			fc.integer({ min: 1, max: 5000 })
		),
		seed: fc.double({ min: 0, max: 1, noNaN: true })
	})
	.chain((c) => {
		const step = c.unit === 'percent' ? 0.001 : 0.01;
		const target = c.unit === 'percent' ? decimal(0, 1, 4) : decimal(0, 60, 3);
		return target.chain((t) =>
			fc.record({
				unit: fc.constant(c.unit),
				direction: fc.constant(c.direction),
				n: fc.constant(c.n),
				target: fc.constant(c.hasTarget ? t : null),
				value: c.hasValue
					? nearby(t, step).map((v) => (c.unit === 'percent' ? Math.min(1, Math.max(0, v)) : v))
					: fc.constant(null),
				// A margin equal to (or a hair off) the gap to the target is the hard case.
				margin: c.hasMargin
					? fc.oneof(fc.double({ min: 0, max: 0.2, noNaN: true }), decimal(0, 0.1, 3))
					: fc.constant(null)
			})
		);
	});

/** The TypeScript side: publish each figure, then judge the published figures. */
function tsStatus(c: TCase) {
	const value = publishedFigure(c.unit, c.value);
	const target = publishedFigure(c.unit, c.target);
	const margin = publishedFigure(c.unit, c.margin);
	return { value, target, margin, status: figureStatus({ ...c, value, target, margin }) };
}

describe.each(ENGINES)('status in one place: SQL and TypeScript agree on %s', (engine) => {
	let db: TTestDb;
	beforeAll(async () => {
		db = await openTestDb(engine);
	});
	afterAll(async () => {
		await db?.close();
	});

	/** The SQL side, for many cases in one round trip (the same functions the scorecard calls). */
	async function sqlStatuses(cases: TCase[]) {
		const { rows } = await db.query<{
			value: string | null;
			target: string | null;
			margin: string | null;
			status: string;
		}>(
			`select p.value, p.target, p.margin,
			        private.figure_status(p.value, p.margin, p.target, c.direction, c.n) as status
			 from unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::text[], $6::bigint[])
			        with ordinality as c (unit, value, target, margin, direction, n, i)
			 cross join lateral (select
			   private.published_figure(c.value::numeric, c.unit) as value,
			   private.published_figure(c.target::numeric, c.unit) as target,
			   private.published_figure(c.margin::numeric, c.unit) as margin) p
			 order by c.i`,
			[
				cases.map((c) => c.unit),
				cases.map((c) => c.value),
				cases.map((c) => c.target),
				cases.map((c) => c.margin),
				cases.map((c) => c.direction),
				cases.map((c) => c.n)
			]
		);
		return rows.map((r) => ({
			value: r.value === null ? null : Number(r.value),
			target: r.target === null ? null : Number(r.target),
			margin: r.margin === null ? null : Number(r.margin),
			status: r.status
		}));
	}

	it('gives the same published figures and status for thousands of generated cases', async () => {
		const cases = fc.sample(caseArb, { numRuns: 4000, seed: 20261206 });
		const sql = await sqlStatuses(cases);
		const mismatches = cases
			.map((c, i) => ({ case: c, sql: sql[i], ts: tsStatus(c) }))
			.filter((x) => JSON.stringify(x.sql) !== JSON.stringify(x.ts));
		expect(mismatches.slice(0, 5)).toEqual([]);
		// The generator must reach every outcome, or agreement proves little.
		const seen = new Set(sql.map((r) => r.status));
		expect([...seen].sort()).toEqual(
			['met', 'no_data', 'no_target', 'not_met', 'too_few', 'within_margin'].sort()
		);
	});

	it('agrees under shrinking too (fast-check property, fresh cases each run)', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(caseArb, { minLength: 1, maxLength: 50 }), async (cases) => {
				const sql = await sqlStatuses(cases);
				cases.forEach((c, i) => expect(sql[i]).toEqual(tsStatus(c)));
			}),
			{ numRuns: 40 }
		);
	});

	it('rounds ties like the database: half away from zero on the decimal value', async () => {
		const ties = [0.7915, 0.0745, 0.0005, 0.1235, 0.9995, 0.4445];
		const { rows } = await db.query<{ r: string }>(
			`select private.published_figure(x::numeric, 'percent') as r from unnest($1::float8[]) x`,
			[ties]
		);
		expect(rows.map((r) => Number(r.r))).toEqual(ties.map((x) => publishedFigure('percent', x)));
		expect(rows.map((r) => Number(r.r))).toEqual([0.792, 0.075, 0.001, 0.124, 1, 0.445]);
	});
});
