/**
 * submit_responses throughput and latency through the embedded backend (HTTP → gateway →
 * PostgREST-style transaction → plpgsql validation), on PGlite and on PostgreSQL 15, beside a
 * baseline measured in the same run on the same engine: the same rows inserted directly in SQL
 * (one multi-row INSERT per batch, no validation, no HTTP).
 *
 * Each request is made by a different anonymous resident (JWTs minted with the local secret for
 * users inserted in auth.users), because the database allows one response per resident per wave.
 * A batch of 50 therefore carries one response to each of 50 open waves of the demo survey —
 * the shape of a device that queued answers to many surveys — so every item is fully validated
 * and accepted.
 */
import { randomUUID } from 'node:crypto';
import { record } from './harness';
import { openDb, type Db } from '../../supabase/local/db';
import { startLocalBackend } from '../../supabase/local/server';
import { signJwt } from '../../supabase/local/keys';
import { startPg15 } from '../tools/pg15';
import { isVisible, sortedQuestions } from '../../src/lib/survey/logic';
import type {
	TAnswerValue,
	TQuestion,
	TResponseSubmission,
	TSubmitResult,
	TSurveyDefinition
} from '../../src/lib/domain/survey';

const SLUG = 'resident-survey';
const WAVES = 50;
const CALLS_OF_1 = Number(process.env.BENCH_CALLS_OF_1 ?? 200);
const CALLS_OF_50 = Number(process.env.BENCH_CALLS_OF_50 ?? 20);

/** A deterministic pseudo-random generator so both engines get the same rows. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

function answerFor(q: TQuestion, r: () => number): TAnswerValue | undefined {
	const opts = q.options?.map((o) => o.key) ?? [];
	switch (q.kind) {
		case 'satisfaction5':
		case 'rating5':
			return r() < 0.08 ? 9 : 1 + Math.floor(r() * 5);
		case 'importance_top3': {
			const picks = [...opts].sort(() => r() - 0.5).slice(0, 3);
			return picks;
		}
		case 'single':
		case 'district':
			return opts[Math.floor(r() * opts.length)];
		case 'multi': {
			const picked = opts.filter(() => r() < 0.4);
			return picked.length ? picked : [opts[0]];
		}
		case 'text':
			return q.required || r() < 0.3 ? 'Please fix the potholes on my street.' : undefined;
		case 'number': {
			const min = q.min ?? 0;
			const max = q.max ?? 100;
			return Math.round(min + r() * (max - min));
		}
		case 'zip':
			return String(64100 + Math.floor(r() * 60));
	}
}

export function makeAnswers(def: TSurveyDefinition, r: () => number): Record<string, TAnswerValue> {
	const answers: Record<string, TAnswerValue> = {};
	const questions = sortedQuestions(def);
	for (const q of questions) {
		if (!isVisible(q, questions, answers)) continue;
		const v = answerFor(q, r);
		if (v !== undefined) answers[q.key] = v;
	}
	return answers;
}

interface Fixture {
	def: TSurveyDefinition;
	waveIds: string[];
}

async function prepareFixture(db: Db): Promise<Omit<Fixture, 'def'>> {
	const { rows } = await db.query<{ id: string }>(
		`insert into public.survey_waves (survey_id, label, period, mode, opens_at)
		 select s.id, 'Bench wave ' || g, '2026', 'open', now() - interval '1 hour'
		 from public.surveys s, generate_series(1, ${WAVES}) g where s.slug = $1
		 returning id`,
		[SLUG]
	);
	if (rows.length !== WAVES) throw new Error(`survey ${SLUG} not found in the seed`);
	return { waveIds: rows.map((r) => r.id) };
}

async function makeUsers(db: Db, n: number): Promise<string[]> {
	const ids = Array.from({ length: n }, () => randomUUID());
	await db.query(
		`insert into auth.users (id, aud, role, is_anonymous, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
		 select u, 'authenticated', 'authenticated', true, '{}', '{}', now(), now() from unnest($1::uuid[]) u`,
		[`{${ids.join(',')}}`]
	);
	return Promise.all(
		ids.map((sub) =>
			signJwt({
				sub,
				role: 'authenticated',
				aud: 'authenticated',
				is_anonymous: true,
				session_id: randomUUID(),
				exp: Math.floor(Date.now() / 1000) + 3600
			})
		)
	);
}

function batch(fx: Fixture, size: number, r: () => number): TResponseSubmission[] {
	return Array.from({ length: size }, (_, i) => ({
		id: randomUUID(),
		wave_id: size === 1 ? fx.waveIds[Math.floor(r() * WAVES)] : fx.waveIds[i],
		language: r() < 0.15 ? 'es' : 'en',
		submitted_at: new Date().toISOString(),
		invitation_code: null,
		answers: makeAnswers(fx.def, r)
	}));
}

/** The baseline: the same rows, inserted directly with one statement per batch. */
async function insertDirect(
	db: Db,
	def: TSurveyDefinition,
	items: TResponseSubmission[],
	users: string[]
) {
	const byKey = new Map(def.questions.map((q) => [q.key, q]));
	const responses = items.map((it, i) => ({
		id: it.id,
		wave_id: it.wave_id,
		respondent_id: users[i],
		language: it.language,
		submitted_at: it.submitted_at,
		district:
			(Object.entries(it.answers).find(
				([k]) => byKey.get(k)?.kind === 'district'
			)?.[1] as string) ?? null
	}));
	const answers = items.flatMap((it) =>
		Object.entries(it.answers).map(([k, v]) => {
			const q = byKey.get(k)!;
			return {
				response_id: it.id,
				wave_id: it.wave_id,
				question_id: q.id,
				numeric_value: typeof v === 'number' ? v : null,
				choice_value:
					typeof v === 'string' && (q.kind === 'single' || q.kind === 'district') ? v : null,
				choice_values: Array.isArray(v) ? v : null,
				text_value: typeof v === 'string' && (q.kind === 'text' || q.kind === 'zip') ? v : null
			};
		})
	);
	await db.transaction(async (tx) => {
		await tx.query(
			`insert into public.responses (id, wave_id, respondent_id, mode, language, district, submitted_at, source)
			 select id, wave_id, respondent_id, 'open', language, district, submitted_at, 'web'
			 from jsonb_to_recordset($1::jsonb) as x(id uuid, wave_id uuid, respondent_id uuid, language text, district text, submitted_at timestamptz)`,
			[JSON.stringify(responses)]
		);
		await tx.query(
			`insert into public.answers (response_id, wave_id, question_id, numeric_value, choice_value, choice_values, text_value)
			 select response_id, wave_id, question_id, numeric_value, choice_value, choice_values, text_value
			 from jsonb_to_recordset($1::jsonb) as x(response_id uuid, wave_id uuid, question_id uuid, numeric_value numeric, choice_value text, choice_values text[], text_value text)`,
			[JSON.stringify(answers)]
		);
	});
}

async function benchEngine(engine: 'pglite' | 'postgres', db: Db) {
	const backend = await startLocalBackend({ db, port: 0, seed: true, quiet: true });
	try {
		const fixture = await prepareFixture(db);
		const res = await fetch(`${backend.url}/rest/v1/rpc/get_survey`, {
			method: 'POST',
			headers: { apikey: backend.anonKey, 'content-type': 'application/json' },
			body: JSON.stringify({ p_slug: SLUG })
		});
		if (!res.ok) throw new Error(`get_survey failed: ${res.status} ${await res.text()}`);
		const fx: Fixture = { ...fixture, def: (await res.json()) as TSurveyDefinition };

		for (const size of [1, 50]) {
			const calls = size === 1 ? CALLS_OF_1 : CALLS_OF_50;
			const r = rng(size);
			const tokens = await makeUsers(db, calls);
			const bodies = Array.from({ length: calls }, () => batch(fx, size, r));
			let accepted = 0;
			const started = performance.now();
			const lat: number[] = [];
			for (let i = 0; i < calls; i++) {
				const s = performance.now();
				const resp = await fetch(`${backend.url}/rest/v1/rpc/submit_responses`, {
					method: 'POST',
					headers: {
						apikey: backend.anonKey,
						authorization: `Bearer ${tokens[i]}`,
						'content-type': 'application/json'
					},
					body: JSON.stringify({ p_responses: bodies[i] })
				});
				const out = (await resp.json()) as TSubmitResult[];
				lat.push(performance.now() - s);
				if (!resp.ok) throw new Error(`submit_responses ${resp.status}: ${JSON.stringify(out)}`);
				const bad = out.find((o) => o.status !== 'accepted');
				if (bad) throw new Error(`bench row not accepted: ${JSON.stringify(bad)}`);
				accepted += out.length;
			}
			const total = performance.now() - started;
			lat.sort((a, b) => a - b);

			// Baseline: the same rows again (new ids, other users) straight into the tables.
			const baseUsers = (await makeUsers(db, calls * size)).map(
				(t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()).sub as string
			);
			const baseBodies = bodies.map((b) => b.map((it) => ({ ...it, id: randomUUID() })));
			const b0 = performance.now();
			const blat: number[] = [];
			for (let i = 0; i < calls; i++) {
				const s = performance.now();
				await insertDirect(db, fx.def, baseBodies[i], baseUsers.slice(i * size, (i + 1) * size));
				blat.push(performance.now() - s);
			}
			const btotal = performance.now() - b0;
			blat.sort((a, b) => a - b);
			const p = (a: number[], q: number) => a[Math.min(a.length - 1, Math.ceil(q * a.length) - 1)];

			const label = `${engine}, batch ${size}`;
			record({
				name: `throughput (${label})`,
				value: accepted / (total / 1000),
				unit: 'responses/s',
				baseline: { name: 'direct SQL insert', value: (calls * size) / (btotal / 1000) },
				note: `${accepted} responses in ${calls} requests`
			});
			record({
				name: `latency p50 (${label})`,
				value: p(lat, 0.5),
				unit: 'ms',
				baseline: { name: 'direct SQL insert', value: p(blat, 0.5) }
			});
			record({
				name: `latency p95 (${label})`,
				value: p(lat, 0.95),
				unit: 'ms',
				baseline: { name: 'direct SQL insert', value: p(blat, 0.95) }
			});
		}
	} finally {
		await backend.stop();
	}
}

export async function run(): Promise<void> {
	const lite = await openDb({});
	try {
		await benchEngine('pglite', lite);
	} finally {
		await lite.close();
	}
	const cluster = await startPg15();
	try {
		const pgdb = await openDb({ databaseUrl: cluster.url });
		try {
			await benchEngine('postgres', pgdb);
		} finally {
			await pgdb.close();
		}
	} finally {
		await cluster.stop();
	}
}
