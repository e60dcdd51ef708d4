/**
 * The "one unit for every proportion" migration (20261206000100) on both engines: rows stored in
 * points before it become proportions exactly once, running it again changes nothing, a figure
 * that cannot be a share stops it with a message that names the row, and from then on the
 * database refuses points where a proportion belongs.
 */
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../local/db';
import { defaultMigrationsDir, prepareDatabase } from '../local/migrate';
import { ENGINES, createTestDatabase, type TEngine } from '../../tests/tools/test-db';

const UNIT_MIGRATION = '20261206000100_store_percent_figures_as_proportions.sql';
const L = (en: string) => JSON.stringify({ en, es: en });

let before: string;

beforeAll(async () => {
	// The migrations as they were before this one.
	before = await mkdtemp(path.join(os.tmpdir(), 'civicpulse-migrations-'));
	for (const f of (await readdir(defaultMigrationsDir)).filter((f) => f.endsWith('.sql')).sort()) {
		if (f >= UNIT_MIGRATION) break;
		await symlink(path.join(defaultMigrationsDir, f), path.join(before, f));
	}
});
afterAll(async () => {
	await rm(before, { recursive: true, force: true });
});

async function open(engine: TEngine): Promise<{ db: Db; close(): Promise<void> }> {
	if (engine === 'pglite') {
		const db = await openDb({});
		return { db, close: () => db.close() };
	}
	const { url, drop } = await createTestDatabase();
	const db = await openDb({ databaseUrl: url });
	return {
		db,
		async close() {
			await db.close();
			await drop();
		}
	};
}

/** A goal with a percent measure and a minutes measure, figures in points as before. */
async function oldStyleRows(db: Db, percentValue = 81) {
	const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
	const [area] = await q(
		`insert into public.goal_areas (key, name) values ('a', $1) returning id`,
		[L('Area')]
	);
	const [goal] = await q(
		`insert into public.goals (goal_area_id, key, title, published) values ($1, 'g', $2, true) returning id`,
		[area.id, L('Goal')]
	);
	const measure = async (key: string, unit: string) =>
		(
			await q(
				`insert into public.measures (goal_id, key, name, unit, direction, kind, published)
				 values ($1, $2, $3, $4, 'higher', 'operational', true) returning id`,
				[goal.id, key, L(key), unit]
			)
		)[0].id as string;
	const pct = await measure('inspected_5day', 'percent');
	const mins = await measure('response_minutes', 'minutes');
	await q(
		`insert into public.targets (measure_id, period, value) values ($1, '2026', 75), ($2, '2026', 6.5)`,
		[pct, mins]
	);
	await q(
		`insert into public.measure_values (measure_id, period, value, n, margin)
		 values ($1, '2026', $3, 900, 2.6), ($2, '2026', 6.3, null, null)`,
		[pct, mins, percentValue]
	);
	return { pct, mins };
}

const figures = async (db: Db) =>
	(
		await db.query<{
			key: string;
			unit: string;
			target: string;
			value: string;
			margin: string | null;
		}>(
			`select m.key, t.unit, t.value::text as target, v.value::text as value, v.margin::text as margin
			 from public.measures m
			 join public.targets t on t.measure_id = m.id
			 join public.measure_values v on v.measure_id = m.id
			 order by m.key`
		)
	).rows;

describe.each(ENGINES)('percent figures become proportions on %s', (engine) => {
	it('converts stored points once, and running the migration again changes nothing', async () => {
		const { db, close } = await open(engine);
		try {
			await prepareDatabase(db, { seed: false, migrationsDir: before });
			await oldStyleRows(db);
			const { applied } = await prepareDatabase(db, { seed: false });
			expect(applied).toContain(UNIT_MIGRATION);
			const converted = [
				{ key: 'inspected_5day', unit: 'percent', target: '0.75', value: '0.81', margin: '0.026' },
				{ key: 'response_minutes', unit: 'minutes', target: '6.5', value: '6.3', margin: null }
			];
			expect(normalise(await figures(db))).toEqual(converted);

			// Again, as a person might run the file by hand: nothing is divided twice.
			const sql = await readFile(path.join(defaultMigrationsDir, UNIT_MIGRATION), 'utf8');
			await db.transaction(async (tx) => {
				await tx.exec(sql);
			});
			expect(normalise(await figures(db))).toEqual(converted);
		} finally {
			await close();
		}
	});

	it('stops on a percent figure that cannot be a share, names it, and changes nothing', async () => {
		const { db, close } = await open(engine);
		try {
			await prepareDatabase(db, { seed: false, migrationsDir: before });
			await oldStyleRows(db, 130);
			await expect(prepareDatabase(db, { seed: false })).rejects.toThrow(
				/inspected_5day 2026 = 130/
			);
			// Still the old rows, in points, and the migration is not recorded as applied.
			const { rows } = await db.query<{ value: string }>(
				`select value::text from public.measure_values order by value`
			);
			expect(rows.map((r) => Number(r.value)).sort((a, b) => a - b)).toEqual([6.3, 130]);
			const { rows: done } = await db.query(
				`select 1 from supabase_migrations.schema_migrations where version = '20261206000100'`
			);
			expect(done).toEqual([]);
		} finally {
			await close();
		}
	});

	it('from then on refuses points where a proportion belongs, with a message saying what to type', async () => {
		const { db, close } = await open(engine);
		try {
			await prepareDatabase(db, { seed: false });
			const { pct, mins } = await (async () => {
				// Fresh schema: insert proportions directly.
				return oldStyleRowsProportions(db);
			})();
			await expect(
				db.query(`insert into public.targets (measure_id, period, value) values ($1, '2027', 76)`, [
					pct
				])
			).rejects.toMatchObject({
				code: '23514',
				message: expect.stringContaining('proportions from 0 to 1')
			});
			await expect(
				db.query(`update public.measure_values set margin = 2.6 where measure_id = $1`, [pct])
			).rejects.toMatchObject({ code: '23514' });
			// A client cannot claim another unit for a row: the unit always follows the measure.
			await db.query(
				`insert into public.targets (measure_id, period, value, unit) values ($1, '2027', 0.8, 'minutes')`,
				[pct]
			);
			const { rows } = await db.query<{ unit: string }>(
				`select unit from public.targets where measure_id = $1 and period = '2027'`,
				[pct]
			);
			expect(rows).toEqual([{ unit: 'percent' }]);
			// Turning the minutes measure (target 6.5) into a percent measure is refused.
			await expect(
				db.query(`update public.measures set unit = 'percent' where id = $1`, [mins])
			).rejects.toMatchObject({ code: '23514' });
			const { rows: still } = await db.query<{ unit: string }>(
				`select unit from public.measures where id = $1`,
				[mins]
			);
			expect(still).toEqual([{ unit: 'minutes' }]);
		} finally {
			await close();
		}
	});
});

async function oldStyleRowsProportions(db: Db) {
	const ids = await (async () => {
		const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
		const [area] = await q(
			`insert into public.goal_areas (key, name) values ('a', $1) returning id`,
			[L('Area')]
		);
		const [goal] = await q(
			`insert into public.goals (goal_area_id, key, title) values ($1, 'g', $2) returning id`,
			[area.id, L('Goal')]
		);
		const m = async (key: string, unit: string) =>
			(
				await q(
					`insert into public.measures (goal_id, key, name, unit, direction, kind)
					 values ($1, $2, $3, $4, 'higher', 'operational') returning id`,
					[goal.id, key, L(key), unit]
				)
			)[0].id as string;
		return {
			pct: await m('inspected_5day', 'percent'),
			mins: await m('response_minutes', 'minutes')
		};
	})();
	await db.query(
		`insert into public.targets (measure_id, period, value) values ($1, '2026', 0.75), ($2, '2026', 6.5)`,
		[ids.pct, ids.mins]
	);
	await db.query(
		`insert into public.measure_values (measure_id, period, value, margin) values ($1, '2026', 0.81, 0.026)`,
		[ids.pct]
	);
	return ids;
}

/** numeric text without trailing zeros ('0.7500' → '0.75'), as both engines may differ in scale. */
function normalise<T extends Record<string, string | null>>(rows: T[]): T[] {
	return rows.map(
		(r) =>
			Object.fromEntries(
				Object.entries(r).map(([k, v]) => [
					k,
					v !== null && /^-?\d+\.\d+$/.test(v) ? v.replace(/0+$/, '').replace(/\.$/, '') : v
				])
			) as T
	);
}
