/**
 * The embedded local backend: one Node HTTP server that speaks the subset of Supabase's API
 * gateway, PostgREST and GoTrue that `@supabase/supabase-js` uses (contract §2–§4), over PGlite
 * or a PostgreSQL 15 server.
 *
 * Trust boundary: it signs tokens with the CLI's publicly known development secret, so it must
 * never be reachable from another machine. It binds to loopback unless explicitly told otherwise.
 */
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { handleAuth } from './auth';
import { openDb, type Db } from './db';
import { KeyRing, readSigningKeys, type ApiKeys } from './keys';
import { prepareDatabase, type PrepareResult } from './migrate';
import { errorResponse, handleRest, PgrstError, type DbTxEnd, type RestResponse } from './rest';
import { loadSchemaCache, type SchemaCache } from './schema-cache';

export interface LocalBackendOptions {
	/** Use this database (not closed by stop()). Otherwise one is opened from databaseUrl/dataDir. */
	db?: Db;
	databaseUrl?: string;
	/** PGlite data folder; undefined = in-memory. */
	dataDir?: string;
	/** Default 54321; 0 = random free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	allowNonLoopback?: boolean;
	/** Run seed.sql once (default true). */
	seed?: boolean;
	/** Override supabase/migrations (tests point this at their own folder). */
	migrationsDir?: string;
	/** Override supabase/seed.sql. */
	seedFile?: string;
	/** Skip prepareDatabase (the caller already ran it). Default false. */
	skipPrepare?: boolean;
	/** Suppress error logging. */
	quiet?: boolean;
	/**
	 * The API gateway in front of PostgREST and GoTrue:
	 * - 'hosted' (default): like a hosted project, a known API key (`apikey` header or
	 *   `?apikey=`) is required; without one 401 "No API key found in request", an unknown one
	 *   401 "Invalid API key".
	 * - 'cli': like `supabase start`, whose Kong has no key-auth plugin (CLI
	 *   `internal/start/templates/kong.yml`): nothing is checked at the gateway, requests
	 *   without a key or token run as `anon`, and an unknown `apikey` is passed on as the
	 *   bearer token for PostgREST/GoTrue to judge.
	 */
	gateway?: GatewayMode;
	/**
	 * Private JWKs to sign with (the CLI's `signing_keys.json`); or `signingKeysPath` to read
	 * them from a file. Without either, HS256 with the CLI's JWT secret.
	 */
	signingKeys?: JWK[];
	signingKeysPath?: string;
	/** PostgREST `db-tx-end` (default 'commit', as on Supabase: `Prefer: tx` is ignored). */
	dbTxEnd?: DbTxEnd;
}

export type GatewayMode = 'hosted' | 'cli';

export interface LocalBackend extends ApiKeys {
	url: string;
	gateway: GatewayMode;
	/** 'HS256', or the signing key's algorithm (e.g. 'RS256'). */
	signingAlg: string;
	dbTxEnd: DbTxEnd;
	db: Db;
	/** What prepareDatabase applied at start (empty when skipPrepare). */
	prepared: PrepareResult | null;
	/** Re-read tables/functions after DDL run outside the API (also happens on a cache miss). */
	reloadSchema(): Promise<void>;
	stop(): Promise<void>;
}

const CORS_ALLOW_HEADERS =
	'apikey, authorization, content-type, prefer, accept, accept-profile, content-profile, range, range-unit, x-client-info, x-supabase-api-version, x-retry-count';
const CORS_EXPOSE_HEADERS =
	'Content-Encoding, Content-Location, Content-Range, Content-Type, Content-Profile, Date, Location, Server, Transfer-Encoding, Range-Unit, Preference-Applied, Proxy-Status, X-Total-Count, Link, X-Supabase-Api-Version, X-Sb-Error-Code';

export function isLoopbackHost(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function jsonBody(
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): RestResponse {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(body)
	};
}

const NOT_SERVED: Record<string, string> = {
	realtime: 'Realtime is not served by the embedded local backend; clients poll PostgREST instead.',
	storage: 'Storage is not served by the embedded local backend.',
	functions: 'Edge Functions are not served by the embedded local backend.',
	graphql: 'GraphQL is not served by the embedded local backend.'
};

export async function startLocalBackend(opts: LocalBackendOptions = {}): Promise<LocalBackend> {
	const host = opts.host ?? '127.0.0.1';
	if (!isLoopbackHost(host) && !opts.allowNonLoopback) {
		throw new Error(
			`Refusing to listen on non-loopback host "${host}": the local backend signs tokens with a public development secret. Pass allowNonLoopback (CLI: --allow-non-loopback) only on a trusted network.`
		);
	}
	// Keys first: a bad signing keys file fails before anything touches the database.
	const signingKeys =
		opts.signingKeys ?? (opts.signingKeysPath ? await readSigningKeys(opts.signingKeysPath) : []);
	const ring = await KeyRing.create(signingKeys);
	const keys = ring.apiKeys;
	const ownsDb = !opts.db;
	const db = opts.db ?? (await openDb({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir }));
	try {
		const prepared = opts.skipPrepare
			? null
			: await prepareDatabase(db, {
					seed: opts.seed,
					migrationsDir: opts.migrationsDir,
					seedFile: opts.seedFile
				});
		let cache: SchemaCache = await loadSchemaCache(db);
		let reloading: Promise<SchemaCache> | null = null;
		const reloadCache = () => {
			reloading ??= loadSchemaCache(db, cache).then(
				(c) => {
					cache = c;
					reloading = null;
					return c;
				},
				(e) => {
					reloading = null;
					throw e;
				}
			);
			return reloading;
		};
		const gateway: GatewayMode = opts.gateway ?? 'hosted';
		const dbTxEnd: DbTxEnd = opts.dbTxEnd ?? 'commit';
		// Idle keep-alive connections stay open 65 s, like the nginx/Kong gateways in front of a
		// hosted project (Node's default is 5 s): a client reusing a connection just as the server
		// drops it gets ECONNRESET, and a page polling every few seconds would hit that race.
		const server = http.createServer({ keepAliveTimeout: 65_000 });
		server.headersTimeout = 66_000;
		const sockets = new Set<import('node:net').Socket>();
		server.on('connection', (s) => {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
		});
		let baseUrl = '';

		const handle = async (req: http.IncomingMessage, body: string): Promise<RestResponse> => {
			const url = new URL(req.url ?? '/', 'http://local');
			const [, service, version, ...rest] = url.pathname.split('/');
			const sub = '/' + rest.join('/');
			if (service && NOT_SERVED[service]) {
				return jsonBody(501, { code: `${service}_not_served`, message: NOT_SERVED[service] });
			}
			if (version !== 'v1' || (service !== 'rest' && service !== 'auth')) {
				return jsonBody(404, {
					code: 'not_found',
					message: `No route for ${req.method} ${url.pathname} in the embedded local backend`
				});
			}
			// API gateway layer (Kong). Hosted: a known API key is required on every call.
			const params = new URLSearchParams(url.search);
			const apikey = (req.headers['apikey'] as string | undefined) ?? params.get('apikey');
			const known = [keys.anonKey, keys.serviceRoleKey, keys.publishableKey, keys.secretKey];
			if (gateway === 'hosted') {
				if (!apikey) {
					return jsonBody(401, {
						message: 'No API key found in request',
						hint: 'No `apikey` request header or url param was found.'
					});
				}
				if (!known.includes(apikey)) {
					return jsonBody(401, {
						message: 'Invalid API key',
						hint: 'Double check your Supabase `anon` or `service_role` API key.'
					});
				}
			}
			// Strip only the apikey parameter; keep the rest byte-for-byte (order and encoding matter).
			const rawQuery = url.search
				.replace(/^\?/, '')
				.split('&')
				.filter((p) => p !== '' && !p.startsWith('apikey='))
				.join('&');
			// The CLI gateway's rule (contract §4.6; Kong request-transformer expression in CLI
			// `internal/start/start.go`): keep a non-`sb_` bearer; else map the opaque key to its
			// JWT; else the apikey itself; with neither, no Authorization at all (⇒ anon).
			const incoming = req.headers['authorization'];
			let authorization: string | undefined;
			if (incoming && !/^bearer\s+sb_/i.test(incoming)) authorization = incoming;
			else if (apikey === keys.secretKey) authorization = `Bearer ${keys.serviceRoleKey}`;
			else if (apikey === keys.publishableKey) authorization = `Bearer ${keys.anonKey}`;
			else if (apikey) authorization = `Bearer ${apikey}`;
			const headers: http.IncomingHttpHeaders = { ...req.headers };
			if (authorization) headers.authorization = authorization;
			else delete headers.authorization;
			// Like Supabase's gateway, tell the database who is calling: X-Real-IP is the socket's
			// peer (whatever the client claimed is replaced) and the peer is appended to
			// X-Forwarded-For. SQL reads them from request.headers (private.client_network()).
			const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
			if (peer) {
				headers['x-real-ip'] = peer;
				const xff = req.headers['x-forwarded-for'];
				headers['x-forwarded-for'] = xff ? `${String(xff)}, ${peer}` : peer;
			}

			if (service === 'auth') {
				return handleAuth(
					{ db, issuer: `${baseUrl}/auth/v1`, keys: ring },
					{ method: req.method ?? 'GET', path: sub, rawQuery, headers, body }
				);
			}

			// PostgREST authentication (contract §2.2): no Authorization header ⇒ anon.
			const m = /^bearer\s+(.+)$/i.exec((authorization ?? '').trim());
			let claims: Record<string, unknown> = {};
			if (m) {
				const v = await ring.verify(m[1], 'postgrest');
				if (!v.ok) {
					return errorResponse(
						new PgrstError(401, v.code, v.message, v.details, null, {
							'www-authenticate': `Bearer error="invalid_token", error_description="${v.message}"`
						})
					);
				}
				claims = v.claims;
			}
			const role = typeof claims.role === 'string' && claims.role ? claims.role : 'anon';
			if (!cache.switchableRoles.has(role)) {
				const { rows } = await db.query('select 1 from pg_catalog.pg_roles where rolname = $1', [
					role
				]);
				if (!rows[0]) {
					return errorResponse(
						new PgrstError(401, '22023', `role "${role}" does not exist`, null, null, {
							'www-authenticate': 'Bearer'
						})
					);
				}
				return errorResponse(
					new PgrstError(
						role === 'anon' ? 401 : 403,
						'42501',
						`permission denied to set role "${role}"`
					)
				);
			}
			return handleRest(
				{ db, cache: () => cache, reloadCache, dbTxEnd },
				{
					method: req.method ?? 'GET',
					path: sub,
					rawQuery,
					headers,
					body,
					role,
					claims: { ...claims, role }
				}
			);
		};

		server.on('request', (req, res) => {
			const origin = req.headers.origin;
			const cors: Record<string, string> = {
				'access-control-allow-origin': origin ?? '*',
				'access-control-expose-headers': CORS_EXPOSE_HEADERS
			};
			if (origin) {
				cors['access-control-allow-credentials'] = 'true';
				cors['vary'] = 'Origin';
			}
			if (req.method === 'OPTIONS') {
				res.writeHead(204, {
					...cors,
					'access-control-allow-methods': 'GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS',
					'access-control-allow-headers':
						(req.headers['access-control-request-headers'] as string | undefined) ??
						CORS_ALLOW_HEADERS,
					'access-control-max-age': '86400'
				});
				res.end();
				return;
			}
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (c: Buffer) => {
				size += c.length;
				if (size <= 50 * 1024 * 1024) chunks.push(c);
			});
			req.on('end', () => {
				const send = (r: RestResponse) => {
					let payload = r.body !== undefined ? Buffer.from(r.body, 'utf8') : undefined;
					const headers: Record<string, string> = { ...cors, ...r.headers };
					// Like hosted Supabase (behind its gateway), large bodies are gzipped for clients
					// that accept it: a phone on a weak network downloads the survey a quarter the size.
					if (
						payload &&
						payload.length > 1024 &&
						/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
					) {
						payload = gzipSync(payload, { level: 6 });
						headers['content-encoding'] = 'gzip';
						headers['vary'] = headers['vary']
							? `${headers['vary']}, Accept-Encoding`
							: 'Accept-Encoding';
					}
					if (payload && req.method !== 'HEAD') headers['content-length'] = String(payload.length);
					res.writeHead(r.status, headers);
					res.end(req.method === 'HEAD' ? undefined : payload);
				};
				if (size > 50 * 1024 * 1024) {
					send(jsonBody(413, { code: 'payload_too_large', message: 'Request body over 50 MB' }));
					return;
				}
				handle(req, Buffer.concat(chunks).toString('utf8')).then(send, (e: unknown) => {
					if (!opts.quiet) console.error('[local backend] unexpected error:', e);
					send(
						jsonBody(500, {
							code: 'XX000',
							details: null,
							hint: null,
							message: e instanceof Error ? e.message : String(e)
						})
					);
				});
			});
		});
		// Requests Node refuses before they reach us (a URL or headers over its 16 KiB limit, a
		// malformed request line) get a JSON error with a message, like every other refusal,
		// instead of Node's bare status line.
		server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
			if (!socket.writable) return;
			const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
			const status = tooLarge ? 431 : 400;
			const msg = JSON.stringify(
				tooLarge
					? {
							code: 'request_header_fields_too_large',
							message: 'The URL or headers are too long (over 16 KiB)',
							hint: 'Send long values in a POST body instead of the query string.'
						}
					: { code: 'bad_request', message: `Malformed HTTP request: ${err.message}` }
			);
			socket.end(
				`HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(msg)}\r\nconnection: close\r\n\r\n${msg}`
			);
		});
		// A WebSocket upgrade (Realtime) gets a plain 501 instead of hanging until timeout.
		server.on('upgrade', (_req, socket) => {
			const msg = JSON.stringify({ code: 'realtime_not_served', message: NOT_SERVED.realtime });
			socket.end(
				`HTTP/1.1 501 Not Implemented\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(msg)}\r\nconnection: close\r\n\r\n${msg}`
			);
		});

		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(opts.port ?? 54321, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		const addr = server.address() as AddressInfo;
		const urlHost = addr.family === 'IPv6' || host.includes(':') ? `[${addr.address}]` : host;
		baseUrl = `http://${urlHost}:${addr.port}`;

		let stopped = false;
		return {
			url: baseUrl,
			...keys,
			gateway,
			signingAlg: ring.signingAlg,
			dbTxEnd,
			db,
			prepared,
			async reloadSchema() {
				await reloadCache();
			},
			async stop() {
				if (stopped) return;
				stopped = true;
				await new Promise<void>((resolve) => {
					server.close(() => resolve());
					for (const s of sockets) s.destroy();
				});
				if (ownsDb) await db.close();
			}
		};
	} catch (e) {
		if (ownsDb) await db.close().catch(() => {});
		throw e;
	}
}
