/**
 * An unreliable network between the app and the backend, for the chaos sync test
 * (tests/e2e/chaos-sync.spec.ts). An HTTP proxy that, while `enabled`, for each request:
 *
 * - while black holes are armed (`blackHoles`), takes the next survey outbox send
 *   (submit_responses), whatever the draws, and never answers it: only the client's own deadline,
 *   or its going away, gets it out;
 * - drops it (`dropRate`): half the time resets the connection at once, half the time reads the
 *   request and stays silent for `silenceMs`, then resets;
 * - otherwise forwards it, possibly held back first (`delayRate`, up to `maxDelayMs`) so later
 *   requests overtake it, and possibly sent to the backend twice (`duplicateRate`; the second
 *   copy goes a little later and its answer is thrown away);
 * - after the backend answered (so the work is committed), destroys the client's socket instead
 *   of relaying the answer (`dropAfterCommitRate`).
 *
 * CORS preflights (OPTIONS) always pass: they say nothing about delivery. Draws come from a
 * seeded PRNG; the figures are kept in `stats`. Chaos is decided per request in arrival order,
 * so with the same seed and the same request sequence the same things happen (the browser's
 * timing can still change the sequence).
 */
import {
	createServer,
	request as httpRequest,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type ServerResponse
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TChaosOptions {
	target: string;
	port?: number;
	seed?: number;
	dropRate?: number;
	dropAfterCommitRate?: number;
	duplicateRate?: number;
	delayRate?: number;
	maxDelayMs?: number;
	silenceMs?: number;
	blackHoles?: number;
}

export interface TChaosStats {
	requests: number;
	/** Requests to submit_responses / submit_comments (the outbox sends). */
	submitRequests: number;
	forwarded: number;
	dropped: number;
	droppedReset: number;
	droppedSilent: number;
	blackHoled: number;
	/** How long each never-answered request stayed open before the client gave up (ms). */
	blackHoleHeldMs: number[];
	droppedAfterCommit: number;
	duplicated: number;
	delayed: number;
	/** Requests that reached the backend after a request that arrived later than them. */
	reordered: number;
	answered: number;
}

export interface TChaosProxy {
	url: string;
	stats: TChaosStats;
	enabled: boolean;
	reset(seed?: number): void;
	/** The next `n` silent drops are never answered. */
	armBlackHoles(n: number): void;
	close(): Promise<void>;
}

/** mulberry32: small, fast, good enough to make the chaos reproducible. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function emptyStats(): TChaosStats {
	return {
		requests: 0,
		submitRequests: 0,
		forwarded: 0,
		dropped: 0,
		droppedReset: 0,
		droppedSilent: 0,
		blackHoled: 0,
		blackHoleHeldMs: [],
		droppedAfterCommit: 0,
		duplicated: 0,
		delayed: 0,
		reordered: 0,
		answered: 0
	};
}

interface TUpstreamAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

export async function startChaosProxy(options: TChaosOptions): Promise<TChaosProxy> {
	const target = new URL(options.target);
	const o = {
		seed: 1,
		dropRate: 0.3,
		dropAfterCommitRate: 0.2,
		duplicateRate: 0.15,
		delayRate: 0.25,
		maxDelayMs: 2_500,
		silenceMs: 3_000,
		blackHoles: 1,
		...options
	};
	let random = seededRandom(o.seed);
	let stats = emptyStats();
	let arrivals = 0;
	let latestForwarded = 0;
	let blackHolesLeft = o.blackHoles;
	const sockets = new Set<import('node:net').Socket>();

	const forward = (req: IncomingMessage, body: Buffer): Promise<TUpstreamAnswer> =>
		new Promise((ok, fail) => {
			const headers: Record<string, string | string[]> = {};
			for (const [k, v] of Object.entries(req.headers))
				if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
			headers['content-length'] = String(body.length);
			const up = httpRequest(
				{
					host: target.hostname,
					port: target.port,
					method: req.method,
					path: req.url,
					headers
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () =>
						ok({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) })
					);
					res.on('error', fail);
				}
			);
			up.on('error', fail);
			up.end(body);
		});

	const relay = (res: ServerResponse, answer: TUpstreamAnswer) => {
		const headers: Record<string, string | string[]> = {};
		for (const [k, v] of Object.entries(answer.headers))
			if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
		headers['content-length'] = String(answer.body.length);
		res.writeHead(answer.status, headers).end(answer.body);
	};

	const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

	const proxy: TChaosProxy = {
		url: '',
		get stats() {
			return stats;
		},
		enabled: false,
		reset(seed = o.seed) {
			random = seededRandom(seed);
			stats = emptyStats();
			arrivals = 0;
			latestForwarded = 0;
			blackHolesLeft = o.blackHoles;
		},
		armBlackHoles(n) {
			blackHolesLeft = n;
		},
		close: () =>
			new Promise<void>((ok) => {
				for (const s of sockets) s.destroy();
				server.close(() => ok());
			})
	};

	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const body = Buffer.concat(chunks);
		try {
			if (!proxy.enabled || req.method === 'OPTIONS') {
				relay(res, await forward(req, body));
				return;
			}
			const seq = ++arrivals;
			stats.requests++;
			const isSubmit = /\/rpc\/submit_(responses|comments)\b/.test(req.url ?? '');
			if (isSubmit) stats.submitRequests++;
			const isResponseSubmit = /\/rpc\/submit_responses\b/.test(req.url ?? '');
			// Every draw happens here, in arrival order, whatever the branch (reproducibility).
			const [drop, dropKind, delay, delayMs, duplicate, dupDelayMs, dropAfter] = Array.from(
				{ length: 7 },
				() => random()
			);
			if (blackHolesLeft > 0 && isResponseSubmit) {
				// Never answered: only the client's deadline (or its going away) ends this one.
				blackHolesLeft--;
				stats.dropped++;
				stats.blackHoled++;
				const since = Date.now();
				const held = stats;
				req.socket.once('close', () => held.blackHoleHeldMs.push(Date.now() - since));
				return;
			}
			if (drop < o.dropRate) {
				stats.dropped++;
				if (dropKind < 0.5) {
					stats.droppedReset++;
					req.socket.destroy();
				} else {
					stats.droppedSilent++;
					await sleep(o.silenceMs);
					req.socket.destroy();
				}
				return;
			}
			if (delay < o.delayRate) {
				stats.delayed++;
				await sleep(Math.round(delayMs * o.maxDelayMs));
			}
			if (seq < latestForwarded) stats.reordered++;
			latestForwarded = Math.max(latestForwarded, seq);
			stats.forwarded++;
			const answer = forward(req, body);
			if (duplicate < o.duplicateRate) {
				stats.duplicated++;
				void sleep(Math.round(dupDelayMs * 800))
					.then(() => forward(req, body))
					.catch(() => {});
			}
			const got = await answer;
			if (dropAfter < o.dropAfterCommitRate) {
				stats.droppedAfterCommit++;
				req.socket.destroy();
				return;
			}
			stats.answered++;
			relay(res, got);
		} catch (err) {
			if (!res.headersSent) res.writeHead(502).end(String(err));
		}
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((ok, fail) => {
		server.once('error', fail);
		server.listen(o.port ?? 0, '127.0.0.1', () => ok());
	});
	proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return proxy;
}
