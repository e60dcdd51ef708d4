/**
 * Time to sync 1,000 queued responses through the embedded backend, with the app's real client
 * sync engine: `SyncEngine` draining the Dexie outbox (`src/lib/sync/outbox.ts`) of each device,
 * in Node on fake-indexeddb, against `startLocalBackend` on PGlite.
 *
 * Shape: the database allows one response per resident per wave, so the 1,000 responses come from
 * DEVICES simulated phones (each an anonymous resident with its own JWT and its own IndexedDB
 * database), each holding one queued response to each of WAVES open waves of the seeded survey.
 * Each device's sender does what `src/lib/sync/transport.ts` does — `supabase.rpc('submit_responses',
 * { p_responses })` with supabase-js, one request per engine batch (50, the engine default) — and
 * classifies errors the same way. Responses are queued with `submitDraft` before the clock starts;
 * the figure is the drain alone.
 *
 * Baseline, same run, same backend: the same number of responses (new ids, other residents)
 * posted straight to the RPC in the same batch sizes with the same supabase-js call, no outbox —
 * so the ratio is the outbox's own overhead (IndexedDB reads, transactions, receipts). A second
 * figure compares that supabase-js call with a bare `fetch` POST to /rest/v1/rpc/submit_responses,
 * and the note gives the outbox's client-side work alone (the same drain against an in-memory
 * server that answers at once).
 *
 * Each kind of pass runs BENCH_SYNC_ROUNDS times (default 3), interleaved with the others in a
 * rotating order, and the median is recorded: the machine is shared and single passes swing ±50%.
 *
 * Correctness is asserted here, not assumed: every device's outbox must be empty, every receipt
 * `sent`, and exactly the expected rows stored for the bench residents; otherwise the suite throws.
 */
import 'fake-indexeddb/auto'; // must precede Dexie: installs indexedDB on globalThis
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { record } from './harness';
import { makeAnswers } from './submit-bench';
import { openDb, type Db } from '../../supabase/local/db';
import { startLocalBackend, type LocalBackend } from '../../supabase/local/server';
import { signJwt } from '../../supabase/local/keys';
import { CivicPulseDb } from '../../src/lib/db/db';
import { SendError, SyncEngine, type TLockManager, type TSender } from '../../src/lib/sync/engine';
import { submitDraft } from '../../src/lib/sync/outbox';
import type {
	TResponseSubmission,
	TSubmitResult,
	TSurveyDefinition
} from '../../src/lib/domain/survey';

const SLUG = 'resident-survey';
const DEVICES = Number(process.env.BENCH_SYNC_DEVICES ?? 20);
const WAVES = Number(process.env.BENCH_SYNC_WAVES ?? 50); // = queued responses per device
const TOTAL = DEVICES * WAVES;
const ROUNDS = Math.max(1, Number(process.env.BENCH_SYNC_ROUNDS ?? 3));
const BATCH = 50; // SyncEngine's default batchSize; the baseline posts the same sizes

function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** In-memory Web Locks (one per device, like `navigator.locks` of one browser profile). */
class MemoryLocks implements TLockManager {
	#tail: Promise<unknown> = Promise.resolve();
	request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
		const run = this.#tail.then(callback);
		this.#tail = run.catch(() => undefined);
		return run;
	}
}

interface Resident {
	id: string;
	token: string;
}

async function makeResidents(db: Db, n: number): Promise<Resident[]> {
	const ids = Array.from({ length: n }, () => randomUUID());
	await db.query(
		`insert into auth.users (id, aud, role, is_anonymous, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
		 select u, 'authenticated', 'authenticated', true, '{}', '{}', now(), now() from unnest($1::uuid[]) u`,
		[`{${ids.join(',')}}`]
	);
	return Promise.all(
		ids.map(async (sub) => ({
			id: sub,
			token: await signJwt({
				sub,
				role: 'authenticated',
				aud: 'authenticated',
				is_anonymous: true,
				session_id: randomUUID(),
				exp: Math.floor(Date.now() / 1000) + 3600
			})
		}))
	);
}

const TRANSIENT_STATUS = new Set([0, 401, 403, 408, 425, 429]);

/**
 * The app's sender (src/lib/sync/transport.ts) minus the runtime-config/session bootstrap, which
 * needs a browser: one supabase-js client per device, signed in as that device's resident.
 */
function supabaseSender(backend: LocalBackend, token: string): TSender {
	const client = createClient(backend.url, backend.anonKey, {
		accessToken: async () => token,
		// Node 20 has no global WebSocket; realtime is never connected here, but the client needs one.
		realtime: { transport: ws as unknown as typeof WebSocket }
	});
	return async (items: TResponseSubmission[]) => {
		const { data, error, status } = await client.rpc('submit_responses', { p_responses: items });
		if (error) {
			const permanent = status >= 400 && status < 500 && !TRANSIENT_STATUS.has(status);
			throw new SendError(error.message || `HTTP ${status}`, permanent);
		}
		if (!Array.isArray(data)) throw new SendError('Unexpected answer from the server.', false);
		return data as TSubmitResult[];
	};
}

/** A bare POST, no client library: the floor for one request. */
function fetchSender(backend: LocalBackend, token: string): TSender {
	return async (items) => {
		const res = await fetch(`${backend.url}/rest/v1/rpc/submit_responses`, {
			method: 'POST',
			headers: {
				apikey: backend.anonKey,
				authorization: `Bearer ${token}`,
				'content-type': 'application/json'
			},
			body: JSON.stringify({ p_responses: items })
		});
		const out = (await res.json()) as TSubmitResult[];
		if (!res.ok) throw new Error(`submit_responses ${res.status}: ${JSON.stringify(out)}`);
		return out;
	};
}

function responsesFor(
	def: TSurveyDefinition,
	waveIds: string[],
	r: () => number
): TResponseSubmission[] {
	return waveIds.map((wave_id) => ({
		id: randomUUID(),
		wave_id,
		language: r() < 0.15 ? 'es' : 'en',
		submitted_at: new Date().toISOString(),
		invitation_code: null,
		answers: makeAnswers(def, r)
	}));
}

function assertAllAccepted(label: string, out: TSubmitResult[], expected: number) {
	const bad = out.find((o) => o.status !== 'accepted');
	if (bad) throw new Error(`${label}: a bench response was not accepted: ${JSON.stringify(bad)}`);
	if (out.length !== expected)
		throw new Error(`${label}: ${out.length} results for ${expected} responses`);
}

async function storedFor(db: Db, residents: Resident[]): Promise<number> {
	const { rows } = await db.query<{ n: number | string }>(
		`select count(*)::int as n from public.responses where respondent_id = any($1::uuid[])`,
		[`{${residents.map((r) => r.id).join(',')}}`]
	);
	return Number(rows[0].n);
}

interface Device {
	dexie: CivicPulseDb;
	engine: SyncEngine;
}

/** Queue WAVES responses on each of DEVICES fresh devices; returns them ready to drain. */
async function queueDevices(
	makeSender: (resident: Resident) => TSender,
	residents: Resident[],
	def: TSurveyDefinition,
	waveIds: string[],
	r: () => number
): Promise<Device[]> {
	const devices: Device[] = [];
	for (const resident of residents) {
		const dexie = new CivicPulseDb(`bench-sync-${randomUUID()}`);
		await dexie.open();
		for (const payload of responsesFor(def, waveIds, r)) {
			await submitDraft(dexie, SLUG, payload, { rated: [], district: null });
		}
		const engine = new SyncEngine({
			db: dexie,
			send: makeSender(resident),
			locks: new MemoryLocks(),
			batchSize: BATCH,
			// No background retry timer in a bench: a retry would be a failure, asserted below.
			setTimer: () => null,
			clearTimer: () => {}
		});
		devices.push({ dexie, engine });
	}
	return devices;
}

async function drainAll(devices: Device[], concurrent: boolean): Promise<number> {
	const t0 = performance.now();
	const reports = concurrent
		? await Promise.all(devices.map((d) => d.engine.drain({ force: true })))
		: await devices.reduce<Promise<Awaited<ReturnType<SyncEngine['drain']>>[]>>(
				async (acc, d) => [...(await acc), await d.engine.drain({ force: true })],
				Promise.resolve([])
			);
	const ms = performance.now() - t0;
	const sent = reports.reduce((n, x) => n + x.sent, 0);
	const problems = reports.filter((x) => x.rejected || x.failed || x.offline);
	if (sent !== TOTAL || problems.length)
		throw new Error(
			`sync: ${sent} of ${TOTAL} sent; reports with rejections/failures: ${JSON.stringify(problems)}`
		);
	return ms;
}

async function assertDrained(devices: Device[]): Promise<void> {
	for (const { dexie } of devices) {
		const left = await dexie.outbox.count();
		const notSent = await dexie.receipts.filter((x) => x.status !== 'sent').count();
		if (left !== 0 || notSent !== 0)
			throw new Error(
				`sync: a device still has ${left} outbox entries, ${notSent} unsent receipts`
			);
	}
}

/** The baseline: the same number of responses, same batches, posted without an outbox. */
async function postDirect(
	send: (resident: Resident) => TSender,
	residents: Resident[],
	def: TSurveyDefinition,
	waveIds: string[],
	r: () => number,
	concurrent: boolean
): Promise<number> {
	const bodies = residents.map(() => responsesFor(def, waveIds, r));
	const senders = residents.map(send);
	const one = async (i: number) => {
		for (let k = 0; k < bodies[i].length; k += BATCH) {
			const chunk = bodies[i].slice(k, k + BATCH);
			assertAllAccepted('baseline', await senders[i](chunk), chunk.length);
		}
	};
	const t0 = performance.now();
	if (concurrent) await Promise.all(residents.map((_, i) => one(i)));
	else for (let i = 0; i < residents.length; i++) await one(i);
	return performance.now() - t0;
}

async function bench(db: Db, backend: LocalBackend) {
	const { rows } = await db.query<{ id: string }>(
		`insert into public.survey_waves (survey_id, label, period, mode, opens_at)
		 select s.id, 'Sync bench wave ' || g, '2026', 'open', now() - interval '1 hour'
		 from public.surveys s, generate_series(1, ${WAVES}) g where s.slug = $1
		 returning id`,
		[SLUG]
	);
	if (rows.length !== WAVES) throw new Error(`survey ${SLUG} not found in the seed`);
	const waveIds = rows.map((x) => x.id);
	const res = await fetch(`${backend.url}/rest/v1/rpc/get_survey`, {
		method: 'POST',
		headers: { apikey: backend.anonKey, 'content-type': 'application/json' },
		body: JSON.stringify({ p_slug: SLUG })
	});
	if (!res.ok) throw new Error(`get_survey failed: ${res.status} ${await res.text()}`);
	const def = (await res.json()) as TSurveyDefinition;
	const r = rng(7);

	// Warm-up (not recorded): JIT, query plans, supabase-js and Dexie code paths.
	const [warm] = await makeResidents(db, 1);
	const warmDevices = await queueDevices(
		(x) => supabaseSender(backend, x.token),
		[warm],
		def,
		waveIds,
		r
	);
	await warmDevices[0].engine.drain({ force: true });
	await assertDrained(warmDevices);
	await warmDevices[0].dexie.delete();
	await postDirect(
		(x) => fetchSender(backend, x.token),
		await makeResidents(db, 1),
		def,
		waveIds,
		r,
		false
	);

	const instant: TSender = async (items) =>
		items.map((x) => ({ id: x.id, status: 'accepted', reason: null }));
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	const spread = (xs: number[]) =>
		`${(Math.min(...xs) / 1000).toFixed(1)}–${(Math.max(...xs) / 1000).toFixed(1)} s`;

	/** One timed pass of each kind; every pass uses new residents (one response per wave each). */
	const passes = {
		sync: async (concurrent: boolean) => {
			const residents = await makeResidents(db, DEVICES);
			const devices = await queueDevices(
				(x) => supabaseSender(backend, x.token),
				residents,
				def,
				waveIds,
				r
			);
			const queued = (await Promise.all(devices.map((d) => d.dexie.outbox.count()))).reduce(
				(a, b) => a + b,
				0
			);
			if (queued !== TOTAL) throw new Error(`sync: ${queued} queued, expected ${TOTAL}`);
			const ms = await drainAll(devices, concurrent);
			await assertDrained(devices);
			const stored = await storedFor(db, residents);
			if (stored !== TOTAL)
				throw new Error(
					`sync: ${stored} responses stored for the bench residents, expected ${TOTAL}`
				);
			await Promise.all(devices.map((d) => d.dexie.delete()));
			return ms;
		},
		rpc: async (concurrent: boolean) => {
			const residents = await makeResidents(db, DEVICES);
			const ms = await postDirect(
				(x) => supabaseSender(backend, x.token),
				residents,
				def,
				waveIds,
				r,
				concurrent
			);
			const stored = await storedFor(db, residents);
			if (stored !== TOTAL)
				throw new Error(`baseline: ${stored} responses stored, expected ${TOTAL}`);
			return ms;
		},
		fetch: async (concurrent: boolean) => {
			const residents = await makeResidents(db, DEVICES);
			return postDirect(
				(x) => fetchSender(backend, x.token),
				residents,
				def,
				waveIds,
				r,
				concurrent
			);
		},
		// The client side alone: the same drain against an in-memory server that answers at once.
		local: async (concurrent: boolean) => {
			const residents = await makeResidents(db, DEVICES);
			const devices = await queueDevices(() => instant, residents, def, waveIds, r);
			const ms = await drainAll(devices, concurrent);
			await assertDrained(devices);
			await Promise.all(devices.map((d) => d.dexie.delete()));
			return ms;
		}
	};

	for (const concurrent of [false, true]) {
		const how = concurrent ? `${DEVICES} devices at once` : `${DEVICES} devices one after another`;
		// The machine is shared, so passes are interleaved (order rotated each round) and the
		// median of ROUNDS is kept: a burst of load elsewhere then hits both sides alike.
		const kinds: (keyof typeof passes)[] = concurrent
			? ['sync', 'rpc', 'local']
			: ['sync', 'rpc', 'fetch', 'local'];
		const times: Record<string, number[]> = { sync: [], rpc: [], fetch: [], local: [] };
		for (let round = 0; round < ROUNDS; round++) {
			const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]);
			for (const kind of order) times[kind].push(await passes[kind](concurrent));
		}
		const syncMs = median(times.sync);
		const baseMs = median(times.rpc);
		record({
			name: `sync ${TOTAL} queued responses (${how})`,
			value: syncMs / 1000,
			unit: 's',
			baseline: { name: 'same batches via supabase.rpc, no outbox', value: baseMs / 1000 },
			note: `median of ${ROUNDS} (sync ${spread(times.sync)}, baseline ${spread(times.rpc)}); ${TOTAL / BATCH} requests of ${BATCH}; every pass: ${TOTAL} stored, outboxes empty; outbox work alone (instant in-memory server, fake-indexeddb) ${(median(times.local) / 1000).toFixed(2)} s`
		});
		record({
			name: `sync throughput (${how})`,
			value: TOTAL / (syncMs / 1000),
			unit: 'responses/s',
			baseline: {
				name: 'same batches via supabase.rpc, no outbox',
				value: TOTAL / (baseMs / 1000)
			}
		});
		if (!concurrent)
			record({
				name: `post ${TOTAL} responses via supabase.rpc, no outbox (${how})`,
				value: baseMs / 1000,
				unit: 's',
				baseline: {
					name: 'bare fetch POST /rest/v1/rpc/submit_responses',
					value: median(times.fetch) / 1000
				},
				note: `median of ${ROUNDS} (fetch ${spread(times.fetch)})`
			});
	}
}

export async function run(): Promise<void> {
	const db = await openDb({});
	try {
		const backend = await startLocalBackend({ port: 0, db, seed: true, quiet: true });
		try {
			await bench(db, backend);
		} finally {
			await backend.stop();
		}
	} finally {
		await db.close();
	}
}
