/**
 * Where the Supabase project is, decided at run time so one build can be deployed anywhere.
 *
 * Order: `/config.json` beside the build (`{ "supabaseUrl": "...", "anonKey": "..." }`, fetched
 * without the HTTP cache) → the last good copy remembered on this device (so a reload while
 * offline still knows where to sync later) → `PUBLIC_SUPABASE_URL` / `PUBLIC_SUPABASE_ANON_KEY`
 * from `$env/dynamic/public` (in this static SPA those are the values present at build time).
 * Production hosts either ship a config.json next to the files or build with the env set; the
 * test server (tests/tools/serve-build.ts) answers /config.json for the backend it started.
 */
import { env } from '$env/dynamic/public';
import { takeBootConfig } from '$lib/boot';

export interface TRuntimeConfig {
	supabaseUrl: string;
	anonKey: string;
}

const STORAGE_KEY = 'civicpulse.config';

/** localStorage key of the Supabase session (supabase-js `storageKey`), readable without supabase-js. */
export const AUTH_STORAGE_KEY = 'civicpulse-auth';

/** What supabase-js stores for the device's session under AUTH_STORAGE_KEY (key → value). */
export const AUTH_STORAGE_SUFFIXES = ['', '-user', '-code-verifier'] as const;

/** The device's stored Supabase session entries (empty when it has none), without supabase-js. */
export function deviceSessionStorage(): Record<string, string> {
	const out: Record<string, string> = {};
	try {
		for (const suffix of AUTH_STORAGE_SUFFIXES) {
			const value = localStorage.getItem(`${AUTH_STORAGE_KEY}${suffix}`);
			if (value !== null) out[`${AUTH_STORAGE_KEY}${suffix}`] = value;
		}
	} catch {
		// Storage blocked: there is no session to keep.
	}
	return out;
}

function isConfig(value: unknown): value is TRuntimeConfig {
	if (!value || typeof value !== 'object') return false;
	const v = value as Record<string, unknown>;
	return (
		typeof v.supabaseUrl === 'string' &&
		/^https?:\/\//.test(v.supabaseUrl) &&
		typeof v.anonKey === 'string' &&
		v.anonKey.length > 0
	);
}

async function fetchConfigFile(): Promise<unknown> {
	const res = await fetch('/config.json', {
		cache: 'no-store',
		headers: { accept: 'application/json' }
	});
	return res.ok ? await res.json() : null;
}

async function resolve(): Promise<TRuntimeConfig> {
	try {
		// The copy app.html asked for before the code loaded, else (none, or it failed) ask now.
		const body: unknown = (await takeBootConfig()) ?? (await fetchConfigFile());
		if (isConfig(body)) {
			try {
				localStorage.setItem(STORAGE_KEY, JSON.stringify(body));
			} catch {
				// Not remembered; fine while online.
			}
			return { supabaseUrl: body.supabaseUrl.replace(/\/+$/, ''), anonKey: body.anonKey };
		}
	} catch {
		// Offline, or no config.json on this host: fall through.
	}
	try {
		const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
		if (isConfig(stored)) return stored;
	} catch {
		// Corrupt or blocked storage: fall through to the build-time values.
	}
	const built = {
		supabaseUrl: env.PUBLIC_SUPABASE_URL ?? '',
		anonKey: env.PUBLIC_SUPABASE_ANON_KEY ?? ''
	};
	if (isConfig(built)) return { ...built, supabaseUrl: built.supabaseUrl.replace(/\/+$/, '') };
	throw new Error(
		'CivicPulse is not configured: serve /config.json with { supabaseUrl, anonKey } or build with PUBLIC_SUPABASE_URL and PUBLIC_SUPABASE_ANON_KEY.'
	);
}

let pending: Promise<TRuntimeConfig> | undefined;

/** The configuration, resolved once per page load (a failure is retried on the next call). */
export function loadConfig(): Promise<TRuntimeConfig> {
	pending ??= resolve().catch((err: unknown) => {
		pending = undefined;
		throw err;
	});
	return pending;
}
