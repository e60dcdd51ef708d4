/**
 * GoTrue (supabase/auth v2.189) subset for `/auth/v1/*` (contract §4): password and refresh-token
 * grants, anonymous and email sign-up (auto-confirmed, like the CLI default), get/update user,
 * logout scopes, health and settings.
 *
 * Trust boundary: this module runs as the database owner and is the only writer of `auth.*`.
 * Access tokens are JWTs with GoTrue's exact claim set, HS256 or signed with the configured
 * signing key (keys.ts); PostgREST-side code trusts them only through signature verification,
 * never through anything the client sends.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from './db';
import type { KeyRing } from './keys';
import type { RestResponse } from './rest';

export const ACCESS_TOKEN_TTL = 3600;
/** CLI default `[auth] refresh_token_reuse_interval`: several tabs may refresh at once. */
export const REFRESH_REUSE_SECONDS = 10;
const API_VERSION = '2024-01-01';

export interface AuthContext {
	db: Db;
	/** JWT `iss`: the auth external URL, e.g. http://127.0.0.1:54321/auth/v1 */
	issuer: string;
	/** Signs access tokens and verifies bearer tokens; publishes the JWKS. */
	keys: KeyRing;
}

export interface AuthRequest {
	method: string;
	/** Path below `/auth/v1`, e.g. `/token`. */
	path: string;
	rawQuery: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

class AuthError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly extra: Record<string, unknown> = {}
	) {
		super(message);
	}
}

function hdr(req: AuthRequest, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v[0] : v;
}

/** Error shape depends on the requested API version (contract §4.7). */
function errorResponse(req: AuthRequest, e: AuthError): RestResponse {
	const versioned = (hdr(req, 'x-supabase-api-version') ?? '') >= API_VERSION;
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'x-sb-error-code': e.code
	};
	if (versioned) headers['x-supabase-api-version'] = API_VERSION;
	const body = versioned
		? { code: e.code, message: e.message, ...e.extra }
		: { code: e.status, error_code: e.code, msg: e.message, ...e.extra };
	return { status: e.status, headers, body: JSON.stringify(body) };
}

function ok(req: AuthRequest, status: number, body?: unknown): RestResponse {
	const headers: Record<string, string> = {};
	if (hdr(req, 'x-supabase-api-version')) headers['x-supabase-api-version'] = API_VERSION;
	if (body === undefined) return { status, headers };
	headers['content-type'] = 'application/json';
	return { status, headers, body: JSON.stringify(body) };
}

const TS = (col: string) =>
	`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ${col.split('.').pop()}`;

interface UserRow {
	id: string;
	aud: string | null;
	role: string | null;
	email: string | null;
	phone: string | null;
	email_confirmed_at: string | null;
	phone_confirmed_at: string | null;
	confirmed_at: string | null;
	last_sign_in_at: string | null;
	confirmation_sent_at: string | null;
	recovery_sent_at: string | null;
	invited_at: string | null;
	banned_until: string | null;
	deleted_at: string | null;
	created_at: string | null;
	updated_at: string | null;
	raw_app_meta_data: Record<string, unknown> | null;
	raw_user_meta_data: Record<string, unknown> | null;
	is_anonymous: boolean;
	identities: unknown[] | null;
}

async function loadUser(db: Db, id: string): Promise<UserRow | undefined> {
	const { rows } = await db.query<UserRow>(
		`select u.id::text, u.aud, u.role, u.email, u.phone, ${[
			'u.email_confirmed_at',
			'u.phone_confirmed_at',
			'u.confirmed_at',
			'u.last_sign_in_at',
			'u.confirmation_sent_at',
			'u.recovery_sent_at',
			'u.invited_at',
			'u.banned_until',
			'u.deleted_at',
			'u.created_at',
			'u.updated_at'
		]
			.map(TS)
			.join(', ')},
		   u.raw_app_meta_data, u.raw_user_meta_data, u.is_anonymous,
		   (select json_agg(json_build_object(
		        'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id,
		        'identity_data', i.identity_data, 'provider', i.provider, 'email', i.email,
		        'last_sign_in_at', to_char(i.last_sign_in_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
		        'created_at', to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
		        'updated_at', to_char(i.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
		        order by i.created_at)
		      from auth.identities i where i.user_id = u.id) as identities
		 from auth.users u where u.id = $1::uuid`,
		[id]
	);
	return rows[0];
}

/** GoTrue's user JSON (contract §4.3): optional timestamps only when set. */
function userJson(u: UserRow): Record<string, unknown> {
	const out: Record<string, unknown> = {
		id: u.id,
		aud: u.aud ?? 'authenticated',
		role: u.role ?? 'authenticated',
		email: u.email ?? '',
		phone: u.phone ?? ''
	};
	for (const k of [
		'email_confirmed_at',
		'phone_confirmed_at',
		'confirmation_sent_at',
		'recovery_sent_at',
		'invited_at',
		'confirmed_at',
		'last_sign_in_at'
	] as const) {
		if (u[k]) out[k] = u[k];
	}
	out.app_metadata = u.raw_app_meta_data ?? {};
	out.user_metadata = u.raw_user_meta_data ?? {};
	out.identities = u.identities ?? [];
	out.created_at = u.created_at;
	out.updated_at = u.updated_at;
	if (u.banned_until) out.banned_until = u.banned_until;
	if (u.deleted_at) out.deleted_at = u.deleted_at;
	out.is_anonymous = u.is_anonymous;
	return out;
}

function newRefreshToken(): string {
	// GoTrue's legacy format: 12 random alphanumerics, opaque to the client.
	const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	const bytes = randomBytes(24);
	let s = '';
	for (const b of bytes) {
		if (b < 248) s += alphabet[b % 62];
		if (s.length === 12) break;
	}
	return s.length === 12 ? s : newRefreshToken();
}

async function accessToken(
	ctx: AuthContext,
	u: UserRow,
	sessionId: string,
	amr: { method: string; timestamp: number }[]
): Promise<{ token: string; exp: number }> {
	const iat = Math.floor(Date.now() / 1000);
	const exp = iat + ACCESS_TOKEN_TTL;
	const token = await ctx.keys.sign({
		aud: u.aud ?? 'authenticated',
		exp,
		iat,
		iss: ctx.issuer,
		sub: u.id,
		email: u.email ?? '',
		phone: u.phone ?? '',
		app_metadata: u.raw_app_meta_data ?? {},
		user_metadata: u.raw_user_meta_data ?? {},
		role: u.role ?? 'authenticated',
		aal: 'aal1',
		amr,
		session_id: sessionId,
		is_anonymous: u.is_anonymous
	});
	return { token, exp };
}

async function sessionResponse(
	ctx: AuthContext,
	db: Db,
	userId: string,
	sessionId: string,
	refreshToken: string
): Promise<Record<string, unknown>> {
	const u = await loadUser(db, userId);
	if (!u) throw new AuthError(403, 'user_not_found', 'User not found');
	const { rows } = await db.query<{ method: string; ts: string }>(
		`select authentication_method as method, extract(epoch from created_at)::bigint::text as ts
		   from auth.mfa_amr_claims where session_id = $1::uuid order by created_at`,
		[sessionId]
	);
	const amr = rows.map((r) => ({ method: r.method, timestamp: Number(r.ts) }));
	const { token, exp } = await accessToken(ctx, u, sessionId, amr);
	return {
		access_token: token,
		token_type: 'bearer',
		expires_in: ACCESS_TOKEN_TTL,
		expires_at: exp,
		refresh_token: refreshToken,
		user: userJson(u)
	};
}

async function createSession(
	ctx: AuthContext,
	userId: string,
	method: 'password' | 'anonymous'
): Promise<Record<string, unknown>> {
	return ctx.db.transaction(async (tx) => {
		const sessionId = randomUUID();
		const token = newRefreshToken();
		await tx.query(
			`insert into auth.sessions (id, user_id, created_at, updated_at, aal) values ($1::uuid, $2::uuid, now(), now(), 'aal1')`,
			[sessionId, userId]
		);
		await tx.query(
			`insert into auth.mfa_amr_claims (session_id, created_at, updated_at, authentication_method) values ($1::uuid, now(), now(), $2)`,
			[sessionId, method]
		);
		await tx.query(
			`insert into auth.refresh_tokens (token, user_id, revoked, created_at, updated_at, session_id)
			 values ($1, $2, false, now(), now(), $3::uuid)`,
			[token, userId, sessionId]
		);
		await tx.query(`update auth.users set last_sign_in_at = now() where id = $1::uuid`, [userId]);
		return sessionResponse(ctx, tx, userId, sessionId, token);
	});
}

function parseBody(req: AuthRequest): Record<string, unknown> {
	if (req.body.trim() === '') return {};
	const ct = hdr(req, 'content-type') ?? '';
	if (ct.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(req.body));
	}
	try {
		const v = JSON.parse(req.body);
		if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
	} catch {
		// fall through
	}
	throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

async function passwordGrant(ctx: AuthContext, body: Record<string, unknown>) {
	const email = str(body.email).trim().toLowerCase();
	const phone = str(body.phone).trim();
	const password = str(body.password);
	if (!email && !phone) throw new AuthError(400, 'validation_failed', 'missing email or phone');
	const { rows } = await ctx.db.query<{
		id: string;
		ok: boolean;
		banned: boolean | null;
		confirmed: boolean;
	}>(
		`select id::text,
		        (coalesce(encrypted_password, '') <> '' and
		         encrypted_password = extensions.crypt($3, encrypted_password)) as ok,
		        banned_until > now() as banned,
		        (case when $1 <> '' then email_confirmed_at else phone_confirmed_at end) is not null as confirmed
		   from auth.users
		  where ((($1 <> '') and lower(email) = $1) or (($1 = '') and phone = $2))
		    and is_sso_user = false and deleted_at is null`,
		[email, phone, password]
	);
	const u = rows[0];
	// Same message for unknown user, missing password and wrong password: no enumeration.
	if (!u || !u.ok) throw new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
	if (!u.confirmed) {
		throw new AuthError(
			400,
			email ? 'email_not_confirmed' : 'phone_not_confirmed',
			email ? 'Email not confirmed' : 'Phone not confirmed'
		);
	}
	if (u.banned) throw new AuthError(400, 'user_banned', 'User is banned');
	return createSession(ctx, u.id, 'password');
}

async function refreshGrant(ctx: AuthContext, body: Record<string, unknown>) {
	const token = str(body.refresh_token);
	if (!token) throw new AuthError(400, 'validation_failed', 'Refresh Token is required');
	return ctx.db.transaction(async (tx) => {
		const { rows } = await tx.query<{
			id: string;
			user_id: string;
			revoked: boolean;
			session_id: string | null;
			within_reuse: boolean;
			session_exists: boolean;
		}>(
			`select t.id::text, t.user_id, t.revoked, t.session_id::text,
			        t.updated_at > now() - make_interval(secs => $2) as within_reuse,
			        exists (select 1 from auth.sessions s where s.id = t.session_id) as session_exists
			   from auth.refresh_tokens t where t.token = $1 for update`,
			[token, REFRESH_REUSE_SECONDS]
		);
		const t = rows[0];
		if (!t || !t.session_id || !t.session_exists) {
			throw new AuthError(
				400,
				'refresh_token_not_found',
				'Invalid Refresh Token: Refresh Token Not Found'
			);
		}
		const { rows: users } = await tx.query<{ banned: boolean | null; deleted: boolean }>(
			`select banned_until > now() as banned, deleted_at is not null as deleted from auth.users where id = $1::uuid`,
			[t.user_id]
		);
		if (!users[0] || users[0].deleted) {
			throw new AuthError(
				400,
				'refresh_token_not_found',
				'Invalid Refresh Token: Refresh Token Not Found'
			);
		}
		if (users[0].banned) throw new AuthError(400, 'user_banned', 'User is banned');
		if (t.revoked) {
			const { rows: active } = await tx.query<{ token: string }>(
				`select token from auth.refresh_tokens where session_id = $1::uuid and revoked = false order by id desc limit 1`,
				[t.session_id]
			);
			if (t.within_reuse && active[0]) {
				// Concurrent refresh (another tab): hand out the current token instead of rotating again.
				return sessionResponse(ctx, tx, t.user_id, t.session_id, active[0].token);
			}
			// Reuse outside the window looks like a stolen token: revoke the whole family. The
			// revocation must survive the error response, so it is committed by returning a marker.
			await tx.query(
				`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1::uuid and revoked = false`,
				[t.session_id]
			);
			return 'reused' as const;
		}
		await tx.query(
			`update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1::bigint`,
			[t.id]
		);
		const next = newRefreshToken();
		await tx.query(
			`insert into auth.refresh_tokens (token, user_id, revoked, created_at, updated_at, parent, session_id)
			 values ($1, $2, false, now(), now(), $3, $4::uuid)`,
			[next, t.user_id, token, t.session_id]
		);
		await tx.query(
			`update auth.sessions set refreshed_at = now() at time zone 'UTC', updated_at = now() where id = $1::uuid`,
			[t.session_id]
		);
		return sessionResponse(ctx, tx, t.user_id, t.session_id, next);
	});
}

async function signup(ctx: AuthContext, body: Record<string, unknown>) {
	const email = str(body.email).trim().toLowerCase();
	const phone = str(body.phone).trim();
	const password = str(body.password);
	const data = typeof body.data === 'object' && body.data !== null ? body.data : {};
	if (phone) throw new AuthError(422, 'phone_provider_disabled', 'Phone signups are disabled');
	if (!email) {
		// Anonymous sign-in (contract §4.1): authenticated role, is_anonymous claim true.
		const id = randomUUID();
		await ctx.db.query(
			`insert into auth.users (instance_id, id, aud, role, raw_app_meta_data, raw_user_meta_data,
			   is_anonymous, created_at, updated_at)
			 values ('00000000-0000-0000-0000-000000000000', $1::uuid, 'authenticated', 'authenticated',
			   '{}'::jsonb, $2::jsonb, true, now(), now())`,
			[id, JSON.stringify(data)]
		);
		return createSession(ctx, id, 'anonymous');
	}
	if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
		throw new AuthError(
			400,
			'validation_failed',
			'Unable to validate email address: invalid format'
		);
	}
	if (!password) throw new AuthError(422, 'validation_failed', 'Signup requires a valid password');
	if (password.length < 6) {
		throw new AuthError(422, 'weak_password', 'Password should be at least 6 characters.', {
			weak_password: { reasons: ['length'] }
		});
	}
	const id = randomUUID();
	try {
		await ctx.db.transaction(async (tx) => {
			await tx.query(
				`insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
				   raw_app_meta_data, raw_user_meta_data, is_anonymous, created_at, updated_at)
				 values ('00000000-0000-0000-0000-000000000000', $1::uuid, 'authenticated', 'authenticated', $2,
				   extensions.crypt($3, extensions.gen_salt('bf', 10)), now(),
				   '{"provider":"email","providers":["email"]}'::jsonb, $4::jsonb, false, now(), now())`,
				[id, email, password, JSON.stringify(data)]
			);
			await tx.query(
				`insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
				 values ($1::text, $2::uuid, jsonb_build_object('sub', $1::text, 'email', $3::text,
				   'email_verified', false, 'phone_verified', false), 'email', now(), now(), now())`,
				[id, id, email]
			);
		});
	} catch (e) {
		if ((e as { code?: string }).code === '23505') {
			throw new AuthError(422, 'user_already_exists', 'User already registered');
		}
		throw e;
	}
	// CLI default: email confirmations off ⇒ the user is confirmed and gets a session at once.
	return createSession(ctx, id, 'password');
}

interface Authed {
	userId: string;
	sessionId: string | null;
	claims: Record<string, unknown>;
}

async function requireUser(ctx: AuthContext, req: AuthRequest): Promise<Authed> {
	const auth = hdr(req, 'authorization') ?? '';
	const m = /^bearer\s+(.+)$/i.exec(auth.trim());
	if (!m)
		throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
	const v = await ctx.keys.verify(m[1], 'gotrue');
	if (!v.ok) {
		throw new AuthError(
			403,
			'bad_jwt',
			v.message === 'JWT expired'
				? 'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired'
				: 'invalid JWT: unable to parse or verify signature, token signature is invalid'
		);
	}
	const sub = typeof v.claims.sub === 'string' ? v.claims.sub : '';
	if (!sub) throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
	const { rows } = await ctx.db.query<{ id: string }>(
		`select id::text from auth.users where id::text = $1 and deleted_at is null`,
		[sub]
	);
	if (!rows[0])
		throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
	const sid = typeof v.claims.session_id === 'string' ? v.claims.session_id : null;
	if (sid) {
		// GoTrue checks the session on every authenticated auth call; PostgREST does not.
		const { rows: s } = await ctx.db.query(`select 1 from auth.sessions where id::text = $1`, [
			sid
		]);
		if (!s[0]) {
			throw new AuthError(
				403,
				'session_not_found',
				'Session from session_id claim in JWT does not exist'
			);
		}
	}
	return { userId: sub, sessionId: sid, claims: v.claims };
}

async function updateUser(ctx: AuthContext, req: AuthRequest) {
	const me = await requireUser(ctx, req);
	const body = parseBody(req);
	if (body.email !== undefined || body.phone !== undefined) {
		throw new AuthError(
			422,
			'validation_failed',
			'Changing email or phone is not supported by the embedded local backend (supabase/local)'
		);
	}
	await ctx.db.transaction(async (tx) => {
		if (body.data !== undefined) {
			if (typeof body.data !== 'object' || body.data === null || Array.isArray(body.data)) {
				throw new AuthError(400, 'validation_failed', 'data must be an object');
			}
			// GoTrue merges top-level keys; a null value removes the key.
			await tx.query(
				`update auth.users set updated_at = now(), raw_user_meta_data =
				   (select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
				      from jsonb_each(coalesce(raw_user_meta_data, '{}'::jsonb) || $2::jsonb) e
				     where e.value <> 'null'::jsonb)
				 where id = $1::uuid`,
				[me.userId, JSON.stringify(body.data)]
			);
		}
		if (body.password !== undefined) {
			const pw = str(body.password);
			if (pw.length < 6) {
				throw new AuthError(422, 'weak_password', 'Password should be at least 6 characters.', {
					weak_password: { reasons: ['length'] }
				});
			}
			await tx.query(
				`update auth.users set updated_at = now(), encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 10)) where id = $1::uuid`,
				[me.userId, pw]
			);
		}
	});
	const u = await loadUser(ctx.db, me.userId);
	return userJson(u!);
}

async function logout(ctx: AuthContext, req: AuthRequest) {
	const me = await requireUser(ctx, req);
	const scope = new URLSearchParams(req.rawQuery).get('scope') ?? 'global';
	if (!['global', 'local', 'others'].includes(scope)) {
		throw new AuthError(400, 'validation_failed', `Unsupported logout scope "${scope}"`);
	}
	if (scope === 'global' || !me.sessionId) {
		await ctx.db.query(`delete from auth.sessions where user_id = $1::uuid`, [me.userId]);
	} else if (scope === 'local') {
		await ctx.db.query(`delete from auth.sessions where id = $1::uuid`, [me.sessionId]);
	} else {
		await ctx.db.query(`delete from auth.sessions where user_id = $1::uuid and id <> $2::uuid`, [
			me.userId,
			me.sessionId
		]);
	}
}

export async function handleAuth(ctx: AuthContext, req: AuthRequest): Promise<RestResponse> {
	const method = req.method.toUpperCase();
	const path = req.path.replace(/\/+$/, '') || '/';
	try {
		if (method === 'GET' && path === '/health') {
			return ok(req, 200, {
				version: 'v2.189.0-local',
				name: 'GoTrue',
				description: 'GoTrue is a user registration and authentication API'
			});
		}
		if (method === 'GET' && path === '/settings') {
			return ok(req, 200, {
				external: { anonymous_users: true, email: true, phone: false },
				disable_signup: false,
				mailer_autoconfirm: true,
				phone_autoconfirm: false,
				sms_provider: '',
				saml_enabled: false
			});
		}
		if (method === 'GET' && path === '/.well-known/jwks.json') {
			// Public halves of the signing keys; empty with HS256 (the secret is never published).
			return ok(req, 200, ctx.keys.publicJwks());
		}
		if (method === 'POST' && path === '/token') {
			const body = parseBody(req);
			const grant = new URLSearchParams(req.rawQuery).get('grant_type') ?? str(body.grant_type);
			if (grant === 'password') return ok(req, 200, await passwordGrant(ctx, body));
			if (grant === 'refresh_token') {
				const r = await refreshGrant(ctx, body);
				if (r === 'reused') {
					throw new AuthError(
						400,
						'refresh_token_already_used',
						'Invalid Refresh Token: Already Used'
					);
				}
				return ok(req, 200, r);
			}
			throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type');
		}
		if (method === 'POST' && path === '/signup')
			return ok(req, 200, await signup(ctx, parseBody(req)));
		if (method === 'GET' && path === '/user') {
			const me = await requireUser(ctx, req);
			const u = await loadUser(ctx.db, me.userId);
			return ok(req, 200, userJson(u!));
		}
		if (method === 'PUT' && path === '/user') return ok(req, 200, await updateUser(ctx, req));
		if (method === 'POST' && path === '/logout') {
			await logout(ctx, req);
			return ok(req, 204);
		}
		throw new AuthError(
			404,
			'not_found',
			`${method} /auth/v1${path} is not supported by the embedded local backend (supabase/local)`
		);
	} catch (e) {
		if (e instanceof AuthError) return errorResponse(req, e);
		throw e;
	}
}
