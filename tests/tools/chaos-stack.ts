/**
 * The stack of the chaos sync test (tests/e2e/chaos-sync.spec.ts), run as a child process with
 * tsx like tests/e2e/helpers/stack.ts, but its own: a throwaway embedded backend (migrations +
 * seed), the chaos proxy in front of it (tests/tools/chaos-proxy.ts), a static server for build/
 * whose /config.json (and CSP connect-src) names the PROXY, so every request the app makes goes
 * through it, and a small control server for the test:
 *
 *   GET  /stats                     the proxy's figures
 *   POST /chaos {enabled, seed?, blackHoles?}  chaos on/off (a seed resets the figures and the
 *                                   PRNG; blackHoles arms that many never-answered drops)
 *   POST /count {responses, comments}  rows stored for these client UUIDs: { rows, distinct }
 *
 * Fixtures (added here so the shared e2e backend is left alone): 1,000 open waves of the seeded
 * resident survey, because the database keeps one response per resident per wave and one device
 * is one resident; and 10 live meetings taking comments, because one author may post at most 20
 * comments per meeting in 10 minutes.
 *
 * Prints one JSON line ({ ready, baseURL, controlURL, ... }), then runs until killed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBackend } from '../../supabase/local/server';
import { startChaosProxy } from './chaos-proxy';
import { serveBuild } from './serve-build';

const WAVE_2026 = '00000000-0000-4000-a500-000000002026';
const seed = Number(process.env.CHAOS_SEED ?? 20261206);

const dataDir = await mkdtemp(join(tmpdir(), 'civicpulse-chaos-'));
const backend = await startLocalBackend({ port: 0, dataDir, seed: true, quiet: true });
const proxy = await startChaosProxy({ target: backend.url, seed });
const web = await serveBuild({
	port: 0,
	config: { supabaseUrl: proxy.url, anonKey: backend.anonKey }
});

const { rows: waves } = await backend.db.query<{ id: string }>(
	`insert into public.survey_waves (survey_id, label, period, mode, opens_at, survey_version)
	 select w.survey_id, 'Chaos wave ' || g, w.period, 'open', now() - interval '1 day', w.survey_version
	 from public.survey_waves w, generate_series(1, 1000) g
	 where w.id = $1
	 returning id`,
	[WAVE_2026]
);
const { rows: meetings } = await backend.db.query<{ id: string }>(
	`insert into public.meetings (title, starts_at, ends_at, status, moderation, comments_open)
	 select jsonb_build_object('en', 'Chaos meeting ' || g, 'es', 'Reunión del caos ' || g),
	        now() - interval '10 minutes', now() + interval '3 hours', 'live', 'post', true
	 from generate_series(1, 10) g
	 returning id`
);

async function readJson<T>(req: import('node:http').IncomingMessage): Promise<T> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return JSON.parse(Buffer.concat(chunks).toString() || '{}') as T;
}

async function countRows(table: 'responses' | 'comments', ids: string[]) {
	const { rows } = await backend.db.query<{ rows: number; distinct: number }>(
		`select count(*)::int as rows, count(distinct id)::int as distinct
		 from public.${table} where id = any($1::uuid[])`,
		[ids]
	);
	return rows[0];
}

const control = createServer(async (req, res) => {
	try {
		let body: unknown = null;
		if (req.method === 'GET' && req.url === '/stats') body = proxy.stats;
		else if (req.method === 'POST' && req.url === '/chaos') {
			const {
				enabled,
				seed: next,
				blackHoles
			} = await readJson<{ enabled: boolean; seed?: number; blackHoles?: number }>(req);
			if (next !== undefined) proxy.reset(next);
			if (blackHoles !== undefined) proxy.armBlackHoles(blackHoles);
			proxy.enabled = enabled;
			body = { enabled };
		} else if (req.method === 'POST' && req.url === '/count') {
			const ids = await readJson<{ responses: string[]; comments: string[] }>(req);
			body = {
				responses: await countRows('responses', ids.responses),
				comments: await countRows('comments', ids.comments)
			};
		}
		if (body === null) res.writeHead(404).end();
		else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	} catch (err) {
		res.writeHead(500).end(String(err));
	}
});
await new Promise<void>((ok) => control.listen(0, '127.0.0.1', () => ok()));

console.log(
	JSON.stringify({
		ready: true,
		baseURL: web.url,
		controlURL: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
		proxyURL: proxy.url,
		backendURL: backend.url,
		seed,
		waves: waves.map((w) => w.id),
		meetings: meetings.map((m) => m.id)
	})
);

let stopping = false;
async function stop() {
	if (stopping) return;
	stopping = true;
	control.closeAllConnections();
	control.close();
	await web.close().catch(() => {});
	await proxy.close().catch(() => {});
	await backend.stop().catch(() => {});
	await rm(dataDir, { recursive: true, force: true }).catch(() => {});
	process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop); // the parent went away
process.stdin.resume();
