/**
 * API keys and JWT signing/verification of the embedded local backend (contract §2.2, §4.4, §4.6).
 *
 * By default everything is HS256 with the Supabase CLI's fixed local secret and keys, so a `.env`
 * written for `supabase start` works unchanged. With signing keys (the CLI's
 * `[auth] signing_keys_path`, a JSON array of private JWKs) the backend behaves like the CLI
 * does then:
 * - access tokens and the anon/service_role API keys are signed with the signing key (RS256 or
 *   ES256, `kid` in the header) — CLI `pkg/config/apikeys.go` `generateJWT` signs the API keys
 *   with `SigningKeys[0]` and a ten-year `exp`;
 * - `/auth/v1/.well-known/jwks.json` publishes the public halves, with `use: "sig"` and
 *   `key_ops: ["verify"]` and never the HMAC secret (supabase/auth `internal/api/jwks.go`,
 *   `internal/conf/jwk.go`);
 * - HS256 tokens made with the JWT secret stay valid: the CLI appends the secret as an `oct`
 *   key to the JWKS it gives PostgREST (`ResolveJWKS` in CLI `pkg/config/config.go`).
 *
 * All values are public knowledge (the CLI's defaults, or a key file on the developer's disk):
 * never use them anywhere reachable from another machine (the server refuses non-loopback hosts).
 */
import { readFile } from 'node:fs/promises';
import {
	decodeProtectedHeader,
	importJWK,
	jwtVerify,
	SignJWT,
	type CryptoKey,
	type JWK,
	type JWTPayload
} from 'jose';

export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';
/** `exp` of the CLI's legacy local keys (2032-11-12). */
const LEGACY_KEY_EXP = 1983812996;
/** PostgREST allows 30 s of clock skew on exp/nbf/iat (`PGRST/src/PostgREST/Auth/Jwt.hs`). */
const CLOCK_SKEW = 30;

const secretBytes = new TextEncoder().encode(JWT_SECRET);

export interface ApiKeys {
	anonKey: string;
	serviceRoleKey: string;
	publishableKey: string;
	secretKey: string;
	jwtSecret: string;
}

/** HS256 with the local JWT secret (used by benchmarks to mint tokens directly). */
export async function signJwt(payload: JWTPayload): Promise<string> {
	return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secretBytes);
}

export type VerifyResult =
	| { ok: true; claims: JWTPayload & Record<string, unknown>; alg: string; kid?: string }
	| {
			ok: false;
			/** PostgREST code: PGRST301 (cannot decode/verify) or PGRST303 (claims rejected). */
			code: 'PGRST301' | 'PGRST303';
			message: string;
			details: string | null;
	  };

/** Which service's key-selection rule to apply (they differ slightly upstream). */
export type VerifyRule = 'postgrest' | 'gotrue';

const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256'] as const;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

interface AsymmetricKey {
	kid?: string;
	alg: string;
	publicJwk: JWK;
	verifyKey: CryptoKey | Uint8Array;
	signKey: CryptoKey | Uint8Array;
	canSign: boolean;
}

export class SigningKeysError extends Error {}

function inferAlg(jwk: JWK): string {
	if (jwk.alg) return jwk.alg;
	if (jwk.kty === 'RSA') return 'RS256';
	if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
	throw new SigningKeysError(`Cannot tell the algorithm of signing key ${jwk.kid ?? '(no kid)'}`);
}

/**
 * Read a `signing_keys.json` (what `supabase gen signing-key` writes): a JSON array of private
 * RSA or EC JWKs. A clear error names what is wrong; nothing is started with a bad file.
 */
export async function readSigningKeys(path: string): Promise<JWK[]> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (e) {
		throw new SigningKeysError(`Cannot read signing keys file ${path}: ${(e as Error).message}`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new SigningKeysError(`Signing keys file ${path} is not valid JSON`);
	}
	if (!Array.isArray(parsed) || parsed.length === 0) {
		throw new SigningKeysError(
			`Signing keys file ${path} must be a non-empty JSON array of private JWKs (as written by \`supabase gen signing-key\`)`
		);
	}
	for (const k of parsed as JWK[]) {
		if (typeof k !== 'object' || k === null || (k.kty !== 'RSA' && k.kty !== 'EC') || !k.d) {
			throw new SigningKeysError(
				`Signing keys file ${path}: every entry must be a private RSA or EC JWK (with "d")`
			);
		}
		const alg = inferAlg(k);
		if (!(ASYMMETRIC_ALGS as readonly string[]).includes(alg)) {
			throw new SigningKeysError(`Signing keys file ${path}: unsupported algorithm ${alg}`);
		}
	}
	return parsed as JWK[];
}

/**
 * The keys one backend instance signs and verifies with. Without signing keys it is exactly the
 * CLI's legacy HS256 setup.
 */
export class KeyRing {
	#apiKeys!: ApiKeys;

	private constructor(
		private readonly asymmetric: AsymmetricKey[],
		private readonly signer: AsymmetricKey | null
	) {}

	static async create(signingKeys: JWK[] = []): Promise<KeyRing> {
		const asymmetric: AsymmetricKey[] = [];
		for (const jwk of signingKeys) {
			const alg = inferAlg(jwk);
			const pub: JWK = {};
			for (const [k, v] of Object.entries(jwk)) {
				if (!PRIVATE_MEMBERS.includes(k)) (pub as Record<string, unknown>)[k] = v;
			}
			pub.alg = alg;
			pub.use = 'sig';
			pub.key_ops = ['verify'];
			delete pub.ext;
			asymmetric.push({
				kid: jwk.kid,
				alg,
				publicJwk: pub,
				verifyKey: await importJWK({ ...pub, key_ops: undefined }, alg),
				signKey: await importJWK({ ...jwk, key_ops: undefined, ext: undefined }, alg),
				// GoTrue signs with the private JWK whose key_ops include "sign" (conf/jwk.go);
				// the CLI with SigningKeys[0]. Keys without key_ops count as signing keys.
				canSign: !jwk.key_ops || jwk.key_ops.includes('sign')
			});
		}
		const ring = new KeyRing(asymmetric, asymmetric.find((k) => k.canSign) ?? null);
		// The CLI's legacy keys when HS256; with signing keys, re-signed with a ten-year expiry.
		const exp = ring.signer ? Math.floor(Date.now() / 1000) + 10 * 365 * 24 * 3600 : LEGACY_KEY_EXP;
		ring.#apiKeys = {
			anonKey: await ring.sign({ iss: 'supabase-demo', role: 'anon', exp }),
			serviceRoleKey: await ring.sign({ iss: 'supabase-demo', role: 'service_role', exp }),
			publishableKey: PUBLISHABLE_KEY,
			secretKey: SECRET_KEY,
			jwtSecret: JWT_SECRET
		};
		return ring;
	}

	/** The anon/service_role JWT keys and the opaque publishable/secret keys. */
	get apiKeys(): ApiKeys {
		return this.#apiKeys;
	}

	/** Algorithm access tokens are signed with. */
	get signingAlg(): string {
		return this.signer?.alg ?? 'HS256';
	}

	/** Sign an access token the way GoTrue does (kid header when the key has one). */
	async sign(payload: JWTPayload): Promise<string> {
		const s = this.signer;
		if (!s) return signJwt(payload);
		return new SignJWT(payload)
			.setProtectedHeader({ alg: s.alg, typ: 'JWT', ...(s.kid ? { kid: s.kid } : {}) })
			.sign(s.signKey);
	}

	/** `GET /auth/v1/.well-known/jwks.json`: public asymmetric keys only. */
	publicJwks(): { keys: JWK[] } {
		return { keys: this.asymmetric.map((k) => k.publicJwk) };
	}

	/**
	 * Verify a bearer token.
	 * - `postgrest`: candidate keys are those of the token's algorithm family; a `kid` in the
	 *   token must equal the key's `kid` (PostgREST's jose-jwt `findMatchingJwsKeys`); none ⇒
	 *   PGRST301 "No suitable key or wrong key type".
	 * - `gotrue`: a `kid` selects the key (`FindPublicKeyByKid`); no `kid` is accepted only for
	 *   HS256 with the secret (supabase/auth `internal/api/auth.go` `parseJWTClaims`).
	 */
	async verify(token: string, rule: VerifyRule = 'postgrest'): Promise<VerifyResult> {
		const parts = token.split('.');
		if (parts.length !== 3) {
			return {
				ok: false,
				code: 'PGRST301',
				message: `Expected 3 parts in JWT; got ${parts.length}`,
				details: null
			};
		}
		const bad = (message: string, details: string | null = null): VerifyResult => ({
			ok: false,
			code: 'PGRST301',
			message,
			details
		});
		let header: { alg?: string; kid?: string };
		try {
			header = decodeProtectedHeader(token);
		} catch {
			return bad('JWT cryptographic operation failed');
		}
		const alg = header.alg ?? '';
		const kid = typeof header.kid === 'string' ? header.kid : undefined;
		type Candidate = { key: CryptoKey | Uint8Array; alg: string };
		const candidates: Candidate[] = [];
		if (alg === 'HS256') {
			// The secret has no kid: a kid in the token cannot match it (PostgREST), while GoTrue
			// ignores the kid only when none is present.
			if (kid === undefined) candidates.push({ key: secretBytes, alg });
		} else if ((ASYMMETRIC_ALGS as readonly string[]).includes(alg)) {
			for (const k of this.asymmetric) {
				if (k.alg !== alg) continue;
				if (kid !== undefined ? k.kid === kid : rule === 'postgrest') {
					candidates.push({ key: k.verifyKey, alg });
				}
			}
		} else {
			return bad('Wrong or unsupported encoding algorithm', `Unsupported algorithm ${alg}`);
		}
		if (candidates.length === 0) {
			return bad(
				'No suitable key or wrong key type',
				'No suitable key was found to decode the JWT'
			);
		}
		let claims: (JWTPayload & Record<string, unknown>) | null = null;
		let claimError: VerifyResult | null = null;
		for (const c of candidates) {
			try {
				const { payload } = await jwtVerify(token, c.key, {
					algorithms: [c.alg],
					clockTolerance: CLOCK_SKEW
				});
				claims = payload as JWTPayload & Record<string, unknown>;
				break;
			} catch (e) {
				const code = (e as { code?: string }).code;
				const claim = (e as { claim?: string }).claim;
				if (code === 'ERR_JWT_EXPIRED') {
					claimError = { ok: false, code: 'PGRST303', message: 'JWT expired', details: null };
					break;
				}
				if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
					claimError = {
						ok: false,
						code: 'PGRST303',
						message: claim === 'nbf' ? 'JWT not yet valid' : (e as Error).message,
						details: null
					};
					break;
				}
			}
		}
		if (claimError) return claimError;
		if (!claims) return bad('JWT cryptographic operation failed');
		if (typeof claims.iat === 'number' && claims.iat > Date.now() / 1000 + CLOCK_SKEW) {
			return { ok: false, code: 'PGRST303', message: 'JWT issued at future', details: null };
		}
		return { ok: true, claims, alg, kid };
	}
}
