/**
 * Contract tests of the two gateway modes: the default, like a hosted project (an API key on
 * every request, HS256), and the opt-in mode like `supabase start` (no key check, key-less
 * requests run as anon, RS256 signing keys from a `signing_keys.json` with their public halves
 * at /auth/v1/.well-known/jwks.json). Both backends serve the same database, on PGlite and on
 * PostgreSQL 15.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import {
	decodeJwt,
	decodeProtectedHeader,
	exportJWK,
	generateKeyPair,
	SignJWT,
	type JWK
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Database } from '../../src/lib/supabase/types';
import { createTestDatabase, ENGINES } from '../../tests/tools/test-db';
import { configuredSigningKeys, parseArgs } from './cli';
import { openDb, type Db } from './db';
import { startLocalBackend, type LocalBackend } from './server';
import {
	STAFF_EMAIL,
	STAFF_ID,
	STAFF_PASSWORD,
	startTestBackend,
	type TestBackend
} from './test-fixture';

/** A private RSA JWK shaped like `supabase gen signing-key --algorithm RS256` writes it. */
async function rsaSigningKey(kid: string): Promise<JWK> {
	const { privateKey } = await generateKeyPair('RS256', { extractable: true });
	return {
		...(await exportJWK(privateKey)),
		kid,
		alg: 'RS256',
		use: 'sig',
		key_ops: ['sign', 'verify'],
		ext: true
	};
}

async function tempFile(name: string, text: string): Promise<string> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-keys-'));
	const file = path.join(dir, name);
	await writeFile(file, text);
	return file;
}

describe('npm run backend flags', () => {
	it('parses --cli-mode, --signing-keys and --db-tx-end, refusing unknown values', () => {
		const o = parseArgs([
			'--cli-mode',
			'--signing-keys',
			'keys.json',
			'--db-tx-end',
			'commit-allow-override'
		]);
		expect(o).toMatchObject({
			gateway: 'cli',
			signingKeys: path.resolve('keys.json'),
			dbTxEnd: 'commit-allow-override'
		});
		expect(parseArgs([])).toMatchObject({
			gateway: 'hosted',
			signingKeys: null,
			dbTxEnd: 'commit'
		});
		expect(() => parseArgs(['--db-tx-end', 'sometimes'])).toThrow(/--db-tx-end needs one of/);
		expect(() => parseArgs(['--signing-keys'])).toThrow(/--signing-keys needs a file/);
	});

	it('finds [auth] signing_keys_path in config.toml relative to the supabase folder', async () => {
		const keys = await tempFile('signing_keys.json', '[]');
		const dir = path.dirname(keys);
		const toml = path.join(dir, 'config.toml');
		await writeFile(
			toml,
			`[api]\nsigning_keys_path = "./nope.json"\n\n[auth]\nenabled = true\nsigning_keys_path = "./signing_keys.json"\n`
		);
		expect(configuredSigningKeys(toml)).toBe(keys);
		await writeFile(toml, `[auth]\n# signing_keys_path = "./signing_keys.json"\n`);
		expect(configuredSigningKeys(toml)).toBeNull();
		await writeFile(toml, `[auth]\nsigning_keys_path = "./missing.json"\n`);
		expect(() => configuredSigningKeys(toml)).toThrow(/does not exist/);
	});
});

describe.each(ENGINES)('gateway modes on %s', (engine) => {
	let db: Db;
	/** Default: hosted-like, HS256. */
	let hosted: TestBackend;
	/** Opt-in: like `supabase start` with an RS256 signing key. */
	let cli: LocalBackend;
	let signingKey: JWK;
	// One kid per run: auth-js caches a project's JWKS process-wide by storage key, and both
	// engines' backends listen on 127.0.0.1 (same storage key), like two `supabase start`s would.
	const KID = `local-test-key-${engine}`;
	let dropDatabase: (() => Promise<void>) | undefined;

	beforeAll(async () => {
		if (engine === 'pglite') {
			db = await openDb({});
		} else {
			const t = await createTestDatabase();
			dropDatabase = t.drop;
			db = await openDb({ databaseUrl: t.url });
		}
		hosted = await startTestBackend(db);
		signingKey = await rsaSigningKey(KID);
		cli = await startLocalBackend({
			db,
			port: 0,
			skipPrepare: true,
			quiet: true,
			gateway: 'cli',
			signingKeysPath: await tempFile('signing_keys.json', JSON.stringify([signingKey]))
		});
	});

	afterAll(async () => {
		await cli?.stop();
		await hosted?.stop();
		await db?.close();
		await dropDatabase?.();
	});

	const client = (base: LocalBackend, key: string) =>
		createClient<Database>(base.url, key, {
			auth: { persistSession: false, autoRefreshToken: false },
			realtime: { transport: WebSocket as never }
		});

	const whoami = async (base: LocalBackend, headers: Record<string, string> = {}) =>
		fetch(`${base.url}/rest/v1/rpc/whoami`, { headers });

	describe('default (hosted-like)', () => {
		it('refuses requests without a known API key, REST and Auth alike', async () => {
			for (const p of ['/rest/v1/items?select=id', '/auth/v1/settings']) {
				const none = await fetch(hosted.url + p);
				expect(none.status).toBe(401);
				expect(await none.json()).toEqual({
					message: 'No API key found in request',
					hint: 'No `apikey` request header or url param was found.'
				});
				const wrong = await fetch(hosted.url + p, { headers: { apikey: cli.anonKey } });
				expect(wrong.status).toBe(401);
				expect((await wrong.json()).message).toBe('Invalid API key');
			}
		});

		it('signs with HS256, publishes no keys, and cannot verify an RS256 token', async () => {
			expect(hosted.signingAlg).toBe('HS256');
			expect(decodeProtectedHeader(hosted.anonKey)).toEqual({ alg: 'HS256', typ: 'JWT' });
			const jwks = await fetch(`${hosted.url}/auth/v1/.well-known/jwks.json`, {
				headers: { apikey: hosted.anonKey }
			});
			expect(await jwks.json()).toEqual({ keys: [] });
			const res = await whoami(hosted, {
				apikey: hosted.anonKey,
				authorization: `Bearer ${cli.serviceRoleKey}`
			});
			expect(res.status).toBe(401);
			expect(await res.json()).toEqual({
				code: 'PGRST301',
				details: 'No suitable key was found to decode the JWT',
				hint: null,
				message: 'No suitable key or wrong key type'
			});
		});
	});

	describe('CLI mode (--cli-mode)', () => {
		it('serves key-less requests as anon, like the CLI gateway without key-auth', async () => {
			const res = await whoami(cli);
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({ user: 'anon', claims_role: 'anon', sub: null });
			const rows = await fetch(`${cli.url}/rest/v1/numbers?select=id`);
			expect(await rows.json()).toEqual([{ id: 1 }]);
			const settings = await fetch(`${cli.url}/auth/v1/settings`);
			expect(settings.status).toBe(200);
			// anon still cannot read what RLS and grants deny.
			const secrets = await fetch(`${cli.url}/rest/v1/secrets?select=id`);
			expect(secrets.status).toBe(401);
			expect((await secrets.json()).code).toBe('42501');
		});

		it('passes an unknown apikey on as the bearer token for PostgREST to refuse', async () => {
			const res = await whoami(cli, { apikey: 'not-a-key' });
			expect(res.status).toBe(401);
			expect(await res.json()).toMatchObject({
				code: 'PGRST301',
				message: 'Expected 3 parts in JWT; got 1'
			});
		});

		it('signs its API keys with the RS256 signing key and maps sb_ keys to them', async () => {
			expect(cli.signingAlg).toBe('RS256');
			expect(decodeProtectedHeader(cli.anonKey)).toEqual({ alg: 'RS256', typ: 'JWT', kid: KID });
			expect(decodeJwt(cli.serviceRoleKey)).toMatchObject({
				iss: 'supabase-demo',
				role: 'service_role'
			});
			const pub = await whoami(cli, { apikey: cli.publishableKey });
			expect(await pub.json()).toMatchObject({ user: 'anon' });
			const sec = await whoami(cli, { apikey: cli.secretKey });
			expect(await sec.json()).toMatchObject({ user: 'service_role' });
		});

		it('publishes only the public half of the signing key at /auth/v1/.well-known/jwks.json', async () => {
			const res = await fetch(`${cli.url}/auth/v1/.well-known/jwks.json`);
			expect(res.status).toBe(200);
			const { keys } = (await res.json()) as { keys: JWK[] };
			expect(keys).toEqual([
				{
					kty: 'RSA',
					kid: KID,
					alg: 'RS256',
					use: 'sig',
					key_ops: ['verify'],
					n: signingKey.n,
					e: signingKey.e
				}
			]);
		});

		it('issues RS256 sessions that PostgREST, GoTrue and auth-js getClaims() accept', async () => {
			const sb = client(cli, cli.anonKey);
			const { data, error } = await sb.auth.signInWithPassword({
				email: STAFF_EMAIL,
				password: STAFF_PASSWORD
			});
			expect(error).toBeNull();
			const token = data.session!.access_token;
			expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: KID });
			const me = await sb.rpc('whoami');
			expect(me.data).toMatchObject({ user: 'authenticated', sub: STAFF_ID });
			expect((await sb.auth.getUser()).data.user?.id).toBe(STAFF_ID);
			// Verified locally against the JWKS (asymmetric algorithm with a kid).
			const claims = await sb.auth.getClaims();
			expect(claims.error).toBeNull();
			expect(claims.data?.header).toMatchObject({ alg: 'RS256', kid: KID });
			expect(claims.data?.claims).toMatchObject({ sub: STAFF_ID, role: 'authenticated' });
		});

		it('still accepts HS256 tokens made with the JWT secret, as the CLI\u2019s JWKS holds it', async () => {
			const res = await whoami(cli, { authorization: `Bearer ${hosted.anonKey}` });
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({ user: 'anon' });
			const session = await client(hosted, hosted.anonKey).auth.signInWithPassword({
				email: STAFF_EMAIL,
				password: STAFF_PASSWORD
			});
			const user = await fetch(`${cli.url}/auth/v1/user`, {
				headers: { authorization: `Bearer ${session.data.session!.access_token}` }
			});
			expect(user.status).toBe(200);
		});

		it('refuses tokens signed by another key or naming an unknown kid', async () => {
			const other = await generateKeyPair('RS256');
			const forge = (kid: string) =>
				new SignJWT({ role: 'service_role' })
					.setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
					.setExpirationTime('1h')
					.sign(other.privateKey);
			const forged = await whoami(cli, { authorization: `Bearer ${await forge(KID)}` });
			expect(forged.status).toBe(401);
			expect(await forged.json()).toMatchObject({
				code: 'PGRST301',
				message: 'JWT cryptographic operation failed'
			});
			expect(forged.headers.get('www-authenticate')).toMatch(/invalid_token/);
			const unknown = await whoami(cli, { authorization: `Bearer ${await forge('other-kid')}` });
			expect(await unknown.json()).toMatchObject({
				code: 'PGRST301',
				message: 'No suitable key or wrong key type'
			});
			const gotrue = await fetch(`${cli.url}/auth/v1/user`, {
				headers: {
					authorization: `Bearer ${await forge(KID)}`,
					'X-Supabase-Api-Version': '2024-01-01'
				}
			});
			expect(gotrue.status).toBe(403);
			expect((await gotrue.json()).code).toBe('bad_jwt');
		});

		it('refuses to start with a signing keys file that is not a JSON array of private JWKs', async () => {
			const { d: _d, ...publicOnly } = signingKey;
			void _d;
			for (const text of ['{}', '[]', 'not json', JSON.stringify([publicOnly])]) {
				await expect(
					startLocalBackend({
						db,
						port: 0,
						skipPrepare: true,
						quiet: true,
						signingKeysPath: await tempFile('bad.json', text)
					})
				).rejects.toThrow(/Signing keys file/);
			}
		});
	});
});
