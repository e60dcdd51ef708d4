/**
 * Load: the embedded backend on PostgreSQL 15 under the two busiest moments of the issue
 * (issue 10 item 7), each held for LOAD_SECONDS (default 120), with the budget "zero errors":
 *
 * - a survey push: 200 residents at once, each as supabase-js does it — signInAnonymously(),
 *   then rpc('submit_responses') with one response — and again with a new resident as soon as
 *   one is done;
 * - a live meeting: 1,000 attendees polling `meeting_feed` as the meeting page does (the newest
 *   page first, then the changes since the cursor every LOAD_POLL_MS, default 4 s, the page's
 *   interval) while attendees post 5 comments a second, in a meeting that already has 5,000.
 *
 * Before those, the feed of the 5,000-comment meeting is timed unpaged (what the page asked
 * for before 20261206000800) and paged. Every latency stands beside an indexed SELECT measured
 * in the same run on the same database (the newest 50 comments of the meeting, straight over a
 * pg connection: the floor no HTTP call can beat). Post-to-visible is, for every post and every
 * attendee, the time from the post's commit (its HTTP answer arriving) to the first poll answer
 * of that attendee that carries it. Memory: peak RSS of the gateway process and peak PSS of all
 * PostgreSQL processes (shared buffers counted once), sampled every 500 ms, beside their idle
 * values after setup.
 *
 * Knobs: LOAD_SECONDS, LOAD_RESIDENTS, LOAD_ATTENDEES, LOAD_POSTS_PER_SECOND, LOAD_POLL_MS,
 * LOAD_GRACE_SECONDS, LOAD_PHASES (e.g. `meeting`; default `feed,survey,meeting`).
 *
 * The gateway runs in its own Node process (`npm run backend` with DATABASE_URL), as it would
 * in use, so the load generators here do not share its event loop. Traffic stays on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createClient } from '@supabase/supabase-js';
import { percentile, record, timeCalls } from './harness';
import { makeAnswers } from './submit-bench';
import { openDb, type Db } from '../../supabase/local/db';
import { startPg15 } from '../tools/pg15';
import type { TSubmitResult, TSurveyDefinition } from '../../src/lib/domain/survey';
import type { TFeedPage } from '../../src/lib/meetings/feed';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 120);
const RESIDENTS = Number(process.env.LOAD_RESIDENTS ?? 200);
const ATTENDEES = Number(process.env.LOAD_ATTENDEES ?? 1000);
const POSTS_PER_SECOND = Number(process.env.LOAD_POSTS_PER_SECOND ?? 5);
const POLL_MS = Number(process.env.LOAD_POLL_MS ?? 4000);
/** Which parts to run (all by default): feed (5,000 comments paged vs unpaged), survey, meeting. */
const PHASES = new Set((process.env.LOAD_PHASES ?? 'feed,survey,meeting').split(','));
const GRACE_MS = Number(process.env.LOAD_GRACE_SECONDS ?? 60) * 1000;
const EXISTING_COMMENTS = 5000;
const PAGE = 50;
const SLUG = 'resident-survey';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sorted(a: number[]): number[] {
	return [...a].sort((x, y) => x - y);
}

/** The message of an error and of its cause (undici's "fetch failed" says why only there). */
function why(err: unknown): string {
	if (!(err instanceof Error)) return String(err);
	const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
	return err.message + cause;
}

/** Errors by kind, with one example each, so a failed budget says what went wrong. */
class Errors {
	count = 0;
	#kinds = new Map<string, { n: number; example: string }>();
	add(kind: string, example: string) {
		this.count++;
		const k = this.#kinds.get(kind);
		if (k) k.n++;
		else this.#kinds.set(kind, { n: 1, example: example.slice(0, 200) });
	}
	get note(): string {
		return this.count
			? [...this.#kinds].map(([k, v]) => `${v.n}× ${k} (e.g. ${v.example})`).join('; ')
			: 'none';
	}
}

// ------------------------------------------------------------------------------------------
// Processes: the gateway, and memory sampling of it and of PostgreSQL.

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

interface Gateway {
	url: string;
	anonKey: string;
	child: ChildProcess;
	stop(): Promise<void>;
}

/** `npm run backend` against the cluster, in one Node process (tsx as a loader, no wrapper). */
async function startGateway(databaseUrl: string): Promise<Gateway> {
	const port = await freePort();
	const child = spawn(
		process.execPath,
		['--import', 'tsx', 'supabase/local/cli.ts', '--port', String(port)],
		{ cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'pipe' }
	);
	let out = '';
	const ready = new Promise<{ url: string; anonKey: string }>((resolve, reject) => {
		const onData = (d: Buffer) => {
			out += d.toString();
			const url = /API URL\s+(\S+)/.exec(out)?.[1];
			const anonKey = /anon key\s+(\S+)/.exec(out)?.[1];
			if (url && anonKey) resolve({ url, anonKey });
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
		child.on('exit', (code) => reject(new Error(`the gateway exited (${code}):\n${out}`)));
	});
	const { url, anonKey } = await ready;
	return {
		url,
		anonKey,
		child,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			})
	};
}

function rssOf(pid: number): number {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

function pssOf(pid: number): number {
	try {
		const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
		return m ? Number(m[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/** The postmaster listening on `port` and its children (backends, checkpointer, …). */
function postgresPids(port: number): number[] {
	const procs: { pid: number; ppid: number; cmd: string }[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
			procs.push({ pid: Number(name), ppid, cmd });
		} catch {
			// gone meanwhile
		}
	}
	const master = procs.find((p) => /\/postgres\s/.test(p.cmd) && p.cmd.includes(`-p ${port} `));
	if (!master) return [];
	return [master.pid, ...procs.filter((p) => p.ppid === master.pid).map((p) => p.pid)];
}

/** Samples gateway RSS and PostgreSQL PSS; `peak()` and `reset()` per phase. */
function memorySampler(gatewayPid: number, pgPort: number) {
	let gw = 0;
	let pg = 0;
	// Backends come and go slowly (a pooled gateway): list them every few seconds, sample often.
	let pids = postgresPids(pgPort);
	let listed = performance.now();
	const sample = () => {
		if (performance.now() - listed > 5000) {
			pids = postgresPids(pgPort);
			listed = performance.now();
		}
		gw = Math.max(gw, rssOf(gatewayPid));
		pg = Math.max(
			pg,
			pids.reduce((s, pid) => s + pssOf(pid), 0)
		);
	};
	sample();
	const timer = setInterval(sample, 500);
	timer.unref();
	return {
		peak: () => (sample(), { gateway: gw, postgres: pg }),
		reset: () => {
			gw = pg = 0;
			sample();
		},
		stop: () => clearInterval(timer)
	};
}

const MiB = (b: number) => b / 1024 / 1024;

// ------------------------------------------------------------------------------------------
// HTTP as the app makes it.

function rpcFetch(gw: Gateway, fn: string, args: unknown, token?: string) {
	return fetch(`${gw.url}/rest/v1/rpc/${fn}`, {
		method: 'POST',
		headers: {
			apikey: gw.anonKey,
			authorization: `Bearer ${token ?? gw.anonKey}`,
			'content-type': 'application/json',
			accept: 'application/json'
		},
		body: JSON.stringify(args)
	});
}

async function signInAnonymously(gw: Gateway): Promise<string> {
	const res = await fetch(`${gw.url}/auth/v1/signup`, {
		method: 'POST',
		headers: { apikey: gw.anonKey, 'content-type': 'application/json' },
		body: JSON.stringify({ data: {} })
	});
	const body = (await res.json()) as { access_token?: string };
	if (!res.ok || !body.access_token)
		throw new Error(`anonymous sign-in ${res.status}: ${JSON.stringify(body)}`);
	return body.access_token;
}

/** The baseline: the newest page of the meeting by the (meeting_id, created_at, id) index. */
async function indexedSelect(db: Db, meetingId: string, n: number) {
	return timeCalls(n, () =>
		db.query(
			`select id, body, created_at from public.comments where meeting_id = $1
			 order by created_at desc, id desc limit ${PAGE}`,
			[meetingId]
		)
	);
}

// ------------------------------------------------------------------------------------------
// Fixtures.

async function createMeeting(db: Db): Promise<string> {
	const { rows } = await db.query<{ id: string }>(
		`insert into public.meetings (title, starts_at, status, moderation, comments_open)
		 values ($1, now(), 'live', 'post', true) returning id`,
		[JSON.stringify({ en: 'Load meeting', es: 'Reunión de carga' })]
	);
	const meetingId = rows[0].id;
	await db.query(
		`insert into public.comments (id, meeting_id, body, display_name, kind, status, ever_published, created_at)
		 select gen_random_uuid(), $1, 'Earlier comment number ' || g, 'Resident ' || (g % 97),
		        case when g % 3 = 0 then 'question' else 'comment' end, 'published', true,
		        now() - interval '2 hours' + g * interval '1 second'
		 from generate_series(1, ${EXISTING_COMMENTS}) g`,
		[meetingId]
	);
	await db.query('analyze public.comments');
	return meetingId;
}

// ------------------------------------------------------------------------------------------
// Phase 1: the 5,000-comment feed, unpaged and paged (quiet server).

async function feedAtScale(gw: Gateway, db: Db, meetingId: string) {
	const call = async (args: Record<string, unknown>) => {
		const res = await rpcFetch(gw, 'meeting_feed', { p_meeting_id: meetingId, ...args });
		if (!res.ok) throw new Error(`meeting_feed ${res.status}: ${await res.text()}`);
		return (await res.json()) as TFeedPage;
	};
	/** Sequential calls; failures (the unpaged feed can outlast anon's statement timeout) counted. */
	const timed = async (n: number, args: Record<string, unknown>) => {
		const lat: number[] = [];
		const failures = new Errors();
		for (let i = 0; i < n; i++) {
			const s = performance.now();
			try {
				await call(args);
				lat.push(performance.now() - s);
			} catch (err) {
				failures.add('failed', why(err));
			}
		}
		const sortedLat = sorted(lat);
		return { p50: percentile(sortedLat, 50), p95: percentile(sortedLat, 95), failures, n };
	};
	const first = await call({ p_limit: PAGE });
	if (first.items.length !== PAGE || !first.older) throw new Error('the first page is not paged');
	const base = await indexedSelect(db, meetingId, 200);
	const unpaged = await timed(10, {});
	const paged = await timed(40, { p_limit: PAGE });
	const older = await timed(40, { p_before: first.older, p_limit: PAGE });
	const since = await timed(40, { p_after: first.cursor, p_limit: PAGE });
	const baseline = { name: 'indexed SELECT of 50, direct', value: base.p50 };
	const failed = (t: { failures: Errors; n: number }) =>
		t.failures.count ? `; ${t.failures.count} of ${t.n} failed: ${t.failures.note}` : '';
	record({
		name: `feed, ${EXISTING_COMMENTS} comments, unpaged (before) p50`,
		value: unpaged.p50,
		unit: 'ms',
		baseline,
		note: `p95 ${unpaged.p95.toFixed(0)} ms, ${EXISTING_COMMENTS} items per answer${failed(unpaged)}`
	});
	record({
		name: `feed, ${EXISTING_COMMENTS} comments, first page of ${PAGE} (after) p50`,
		value: paged.p50,
		unit: 'ms',
		baseline,
		note: `p95 ${paged.p95.toFixed(1)} ms; ${(unpaged.p50 / paged.p50).toFixed(0)}x faster than unpaged${failed(paged)}`
	});
	record({
		name: `feed, ${EXISTING_COMMENTS} comments, an older page of ${PAGE} p50`,
		value: older.p50,
		unit: 'ms',
		baseline,
		note: `p95 ${older.p95.toFixed(1)} ms${failed(older)}`
	});
	record({
		name: `feed, ${EXISTING_COMMENTS} comments, poll with no change p50`,
		value: since.p50,
		unit: 'ms',
		baseline,
		note: `p95 ${since.p95.toFixed(1)} ms${failed(since)}`
	});
	record({
		name: `feed, ${EXISTING_COMMENTS} comments, paged calls that failed`,
		value: paged.failures.count + older.failures.count + since.failures.count,
		unit: 'errors',
		budget: { max: 0 }
	});
	return base;
}

// ------------------------------------------------------------------------------------------
// Phase 2: the survey push.

/** Node 20 has no WebSocket and the survey never opens one; supabase-js only needs a constructor. */
const NoSocket = class {
	constructor() {
		throw new Error('no WebSocket in this bench');
	}
} as unknown as NonNullable<
	NonNullable<Parameters<typeof createClient>[2]>['realtime']
>['transport'];

async function surveyPush(gw: Gateway, db: Db) {
	const { rows } = await db.query<{ id: string }>(
		`insert into public.survey_waves (survey_id, label, period, mode, opens_at)
		 select s.id, 'Load wave', '2026', 'open', now() - interval '1 hour'
		 from public.surveys s where s.slug = $1 returning id`,
		[SLUG]
	);
	if (!rows.length) throw new Error(`survey ${SLUG} not found in the seed`);
	const waveId = rows[0].id;
	const defRes = await rpcFetch(gw, 'get_survey', { p_slug: SLUG });
	if (!defRes.ok) throw new Error(`get_survey ${defRes.status}`);
	const def = (await defRes.json()) as TSurveyDefinition;

	const errors = new Errors();
	const signIn: number[] = [];
	const submit: number[] = [];
	let accepted = 0;
	let seed = 7;
	const r = () => ((seed = (seed * 1664525 + 1013904223) >>> 0), seed / 2 ** 32);
	const end = performance.now() + SECONDS * 1000;

	const resident = async () => {
		while (performance.now() < end) {
			const supabase = createClient(gw.url, gw.anonKey, {
				auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
				realtime: { transport: NoSocket }
			});
			try {
				const t0 = performance.now();
				const { error: authError } = await supabase.auth.signInAnonymously();
				const t1 = performance.now();
				if (authError) {
					errors.add(`sign-in ${authError.status ?? ''}`, authError.message);
					continue;
				}
				signIn.push(t1 - t0);
				const item = {
					id: randomUUID(),
					wave_id: waveId,
					language: r() < 0.15 ? 'es' : 'en',
					submitted_at: new Date().toISOString(),
					invitation_code: null,
					answers: makeAnswers(def, r)
				};
				const { data, error } = await supabase.rpc('submit_responses', { p_responses: [item] });
				const t2 = performance.now();
				if (error) {
					errors.add(`submit_responses ${error.code ?? ''}`, error.message);
					continue;
				}
				const out = data as TSubmitResult[];
				if (out[0]?.status !== 'accepted') {
					errors.add(`not accepted`, JSON.stringify(out[0]));
					continue;
				}
				submit.push(t2 - t1);
				accepted++;
			} catch (err) {
				errors.add('network', why(err));
			} finally {
				await supabase.auth.signOut({ scope: 'local' }).catch(() => {});
			}
		}
	};
	const t0 = performance.now();
	await Promise.all(Array.from({ length: RESIDENTS }, () => resident()));
	const seconds = (performance.now() - t0) / 1000;
	const { rows: stored } = await db.query<{ n: string }>(
		'select count(*) as n from public.responses where wave_id = $1',
		[waveId]
	);
	if (Number(stored[0].n) !== accepted)
		errors.add('lost', `${accepted} accepted but ${stored[0].n} stored`);
	return { errors, signIn: sorted(signIn), submit: sorted(submit), accepted, seconds };
}

// ------------------------------------------------------------------------------------------
// Phase 3: the live meeting.

async function liveMeeting(gw: Gateway, meetingId: string) {
	const errors = new Errors();
	// Enough authors that none reaches the flood limit (20 comments per 10 minutes).
	const authorCount = Math.max(10, Math.ceil((POSTS_PER_SECOND * SECONDS) / 15));
	const authors: string[] = [];
	for (let i = 0; i < authorCount; i++) authors.push(await signInAnonymously(gw));

	const committedAt = new Map<string, number>();
	// Posts still in flight at the end commit later: attendees wait for them too.
	let posterDone = false;
	let postingSeconds = 0;
	const sightings: { id: string; at: number }[] = [];
	const pollLat: number[] = [];
	const postLat: number[] = [];
	let polls = 0;
	const end = performance.now() + SECONDS * 1000;

	const attendee = async () => {
		// Start spread over one interval, like people arriving.
		await sleep(Math.random() * POLL_MS);
		let cursor: string | null = null;
		const seen = new Set<string>();
		// After the end, keep polling (at most LOAD_GRACE_SECONDS, default 60) until every post
		// was seen: an overloaded server answers late, a skipped comment never comes, and one
		// still unseen then counts as an error.
		const more = () =>
			performance.now() < end ||
			((!posterDone || seen.size < committedAt.size) && performance.now() < end + GRACE_MS);
		while (more()) {
			const started = performance.now();
			try {
				const res = await rpcFetch(
					gw,
					'meeting_feed',
					cursor === null
						? { p_meeting_id: meetingId, p_after: null, p_before: null, p_limit: PAGE }
						: { p_meeting_id: meetingId, p_after: cursor, p_before: null, p_limit: PAGE }
				);
				const text = await res.text();
				const at = performance.now();
				if (!res.ok) errors.add(`meeting_feed ${res.status}`, text);
				else {
					const page = JSON.parse(text) as TFeedPage;
					pollLat.push(at - started);
					polls++;
					for (const item of page.items) {
						if (seen.has(item.id) || !item.id.startsWith('10ad')) continue;
						seen.add(item.id);
						sightings.push({ id: item.id, at });
					}
					cursor = page.cursor;
				}
			} catch (err) {
				errors.add('meeting_feed network', why(err));
			}
			await sleep(Math.max(0, started + POLL_MS - performance.now()));
		}
	};

	const poster = async () => {
		const gap = 1000 / POSTS_PER_SECOND;
		const inFlight: Promise<void>[] = [];
		let n = 0;
		const t0 = performance.now();
		// Start once the attendees are polling.
		await sleep(POLL_MS);
		while (performance.now() < end - POLL_MS) {
			const id = `10ad${randomUUID().slice(4)}`; // marks the posts of this run
			const token = authors[n % authors.length];
			n++;
			inFlight.push(
				(async () => {
					const s = performance.now();
					try {
						const res = await rpcFetch(
							gw,
							'submit_comments',
							{
								p_comments: [
									{
										id,
										meeting_id: meetingId,
										agenda_item_id: null,
										kind: n % 3 ? 'comment' : 'question',
										body: `Live comment ${n}: please fix the streetlights.`,
										display_name: `Attendee ${n % authors.length}`
									}
								]
							},
							token
						);
						const text = await res.text();
						const at = performance.now();
						if (!res.ok) return errors.add(`submit_comments ${res.status}`, text);
						const out = JSON.parse(text) as { status: string }[];
						if (out[0]?.status !== 'accepted') return errors.add('comment not accepted', text);
						committedAt.set(id, at);
						postLat.push(at - s);
					} catch (err) {
						errors.add('submit_comments network', why(err));
					}
				})()
			);
			await sleep(Math.max(0, t0 + POLL_MS + n * gap - performance.now()));
		}
		postingSeconds = (performance.now() - t0 - POLL_MS) / 1000;
		await Promise.all(inFlight);
		posterDone = true;
	};

	const t0 = performance.now();
	await Promise.all([poster(), ...Array.from({ length: ATTENDEES }, () => attendee())]);
	const seconds = (performance.now() - t0) / 1000;

	// Post-to-visible: every (post, attendee) pair; a poll answer read before the post's own
	// answer (possible: the commit precedes it) counts as 0.
	const visible: number[] = [];
	for (const s of sightings) {
		const c = committedAt.get(s.id);
		if (c !== undefined) visible.push(Math.max(0, s.at - c));
	}
	// Every post must have reached every attendee (all are polling before the first post).
	const expected = committedAt.size * ATTENDEES;
	if (visible.length < expected)
		errors.add(
			'not seen',
			`${expected - visible.length} of ${expected} (post, attendee) pairs, ${GRACE_MS / 1000} s after the end`
		);
	return {
		errors,
		polls,
		posts: committedAt.size,
		postingSeconds,
		seconds,
		poll: sorted(pollLat),
		post: sorted(postLat),
		visible: sorted(visible)
	};
}

// ------------------------------------------------------------------------------------------

export async function run(): Promise<void> {
	console.log(
		`  (${SECONDS} s each; ${RESIDENTS} residents; ${ATTENDEES} attendees polling every ${POLL_MS} ms, ${POSTS_PER_SECOND} posts/s; PostgreSQL 15)`
	);
	const cluster = await startPg15();
	let gw: Gateway | null = null;
	let db: Db | null = null;
	try {
		gw = await startGateway(cluster.url);
		db = await openDb({ databaseUrl: cluster.url });
		const meetingId = await createMeeting(db);
		const mem = memorySampler(gw.child.pid!, cluster.port);
		await sleep(500);
		const idle = mem.peak();

		const base = PHASES.has('feed')
			? await feedAtScale(gw, db, meetingId)
			: await indexedSelect(db, meetingId, 200);
		const baseline = { name: 'indexed SELECT of 50, direct', value: base.p50 };
		const baseline95 = { name: 'indexed SELECT of 50, direct', value: base.p95 };
		const memFigures = (label: string) => {
			const peak = mem.peak();
			record({
				name: `peak RSS, gateway process (${label})`,
				value: MiB(peak.gateway),
				unit: 'MiB',
				baseline: { name: 'idle after setup', value: MiB(idle.gateway) }
			});
			record({
				name: `peak PSS, PostgreSQL processes (${label})`,
				value: MiB(peak.postgres),
				unit: 'MiB',
				baseline: { name: 'idle after setup', value: MiB(idle.postgres) }
			});
			mem.reset();
		};

		if (PHASES.has('survey')) {
			mem.reset();
			const s = await surveyPush(gw, db);
			record({
				name: 'survey push: errors',
				value: s.errors.count,
				unit: 'errors',
				budget: { max: 0 },
				note: s.errors.note
			});
			record({
				name: 'survey push: throughput',
				value: s.accepted / s.seconds,
				unit: 'responses/s',
				note: `${s.accepted} responses accepted and stored in ${s.seconds.toFixed(0)} s by ${RESIDENTS} concurrent residents`
			});
			for (const [label, lat] of [
				['submit_responses', s.submit],
				['anonymous sign-in', s.signIn]
			] as const) {
				record({
					name: `survey push: ${label} p50`,
					value: percentile(lat, 50),
					unit: 'ms',
					baseline
				});
				record({
					name: `survey push: ${label} p95`,
					value: percentile(lat, 95),
					unit: 'ms',
					baseline: baseline95
				});
			}
			memFigures('survey push');
		}

		if (PHASES.has('meeting')) {
			mem.reset();
			const m = await liveMeeting(gw, meetingId);
			record({
				name: 'live meeting: errors',
				value: m.errors.count,
				unit: 'errors',
				budget: { max: 0 },
				note: m.errors.note
			});
			record({
				name: 'live meeting: feed polls',
				value: m.polls / m.seconds,
				unit: 'polls/s',
				note: `${m.polls} polls by ${ATTENDEES} attendees, ${m.posts} comments posted in ${m.postingSeconds.toFixed(0)} s (${(m.posts / m.postingSeconds).toFixed(1)}/s); ${m.seconds.toFixed(0)} s with the wait for the last answers`
			});
			record({
				name: 'live meeting: meeting_feed p50',
				value: percentile(m.poll, 50),
				unit: 'ms',
				baseline
			});
			record({
				name: 'live meeting: meeting_feed p95',
				value: percentile(m.poll, 95),
				unit: 'ms',
				baseline: baseline95
			});
			record({
				name: 'live meeting: submit_comments p50',
				value: percentile(m.post, 50),
				unit: 'ms',
				baseline
			});
			record({
				name: 'live meeting: submit_comments p95',
				value: percentile(m.post, 95),
				unit: 'ms',
				baseline: baseline95
			});
			record({
				name: 'live meeting: post-to-visible p50',
				value: percentile(m.visible, 50),
				unit: 'ms',
				note: `over ${m.visible.length} (post, attendee) pairs; polling every ${POLL_MS} ms bounds it near ${POLL_MS} ms + p95 poll latency`
			});
			record({
				name: 'live meeting: post-to-visible p95',
				value: percentile(m.visible, 95),
				unit: 'ms'
			});
			memFigures('live meeting');
		}
		mem.stop();
	} finally {
		await db?.close();
		await gw?.stop();
		await cluster.stop();
	}
}
