/**
 * API keys and JWT helpers of the embedded local backend (contract §4.4, §4.6).
 *
 * The values are the Supabase CLI's fixed local development keys, so a `.env` written for
 * `supabase start` works unchanged here. They are public knowledge: never use them anywhere
 * reachable from another machine (the server refuses non-loopback hosts by default).
 */
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';

export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';
/** `exp` of the CLI's legacy local keys (2032-11-12). */
const LEGACY_KEY_EXP = 1983812996;

const secretBytes = new TextEncoder().encode(JWT_SECRET);

export interface ApiKeys {
	anonKey: string;
	serviceRoleKey: string;
	publishableKey: string;
	secretKey: string;
	jwtSecret: string;
}

export async function signJwt(payload: JWTPayload): Promise<string> {
	return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secretBytes);
}

let cached: ApiKeys | undefined;

/** The legacy anon/service_role JWT keys, byte-identical to the CLI's (same claims, same order). */
export async function apiKeys(): Promise<ApiKeys> {
	if (!cached) {
		cached = {
			anonKey: await signJwt({ iss: 'supabase-demo', role: 'anon', exp: LEGACY_KEY_EXP }),
			serviceRoleKey: await signJwt({
				iss: 'supabase-demo',
				role: 'service_role',
				exp: LEGACY_KEY_EXP
			}),
			publishableKey: PUBLISHABLE_KEY,
			secretKey: SECRET_KEY,
			jwtSecret: JWT_SECRET
		};
	}
	return cached;
}

export type VerifyResult =
	| { ok: true; claims: JWTPayload & Record<string, unknown> }
	| { ok: false; expired: boolean; message: string };

/** HS256 only, 30 s clock skew like PostgREST; `aud` is not checked (Supabase does not). */
export async function verifyJwt(token: string): Promise<VerifyResult> {
	const parts = token.split('.');
	if (parts.length !== 3) {
		return { ok: false, expired: false, message: `Expected 3 parts in JWT; got ${parts.length}` };
	}
	try {
		const { payload } = await jwtVerify(token, secretBytes, {
			algorithms: ['HS256'],
			clockTolerance: 30
		});
		return { ok: true, claims: payload as JWTPayload & Record<string, unknown> };
	} catch (e) {
		const code = (e as { code?: string }).code;
		if (code === 'ERR_JWT_EXPIRED') return { ok: false, expired: true, message: 'JWT expired' };
		if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
			return { ok: false, expired: true, message: (e as Error).message };
		}
		return { ok: false, expired: false, message: 'JWT cryptographic operation failed' };
	}
}
