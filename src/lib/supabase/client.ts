/**
 * The typed Supabase client, created on first use. This module (and supabase-js with it) is only
 * ever reached through dynamic `import()` from the sync path, so it is not part of the survey's
 * first paint (bundle budget: /s/[slug] initial JS ≤ 90 KiB gzip).
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { AUTH_STORAGE_KEY, loadConfig } from './config';
import { fetchWithTimeout } from './fetch-timeout';
import type { Database } from './types';

export type TClient = SupabaseClient<Database>;

let client: Promise<TClient> | undefined;

export function getSupabase(): Promise<TClient> {
	client ??= loadConfig()
		.then(({ supabaseUrl, anonKey }) =>
			createClient<Database>(supabaseUrl, anonKey, {
				auth: {
					persistSession: true,
					autoRefreshToken: true,
					detectSessionInUrl: false,
					storageKey: AUTH_STORAGE_KEY
				},
				// Every request gets a deadline: an unanswered one must not hold the outbox lock forever.
				global: { fetch: fetchWithTimeout() }
			})
		)
		.catch((err: unknown) => {
			client = undefined;
			throw err;
		});
	return client;
}

/**
 * Residents are anonymous Supabase users so the database can hold "one response per resident per
 * wave". Signing in needs the network, so a device that started offline signs in here, right
 * before its first send. The session is kept (localStorage) and reused for later sends.
 */
export async function ensureSession(supabase: TClient): Promise<void> {
	const { data } = await supabase.auth.getSession();
	if (data.session) return;
	const { error } = await supabase.auth.signInAnonymously();
	if (error) throw error;
}

/**
 * A client with a new anonymous session of its own, kept in memory only and never touching the
 * device's stored session: for responses of an earlier household member queued before the
 * device was handed on ("answer again for someone else").
 */
export async function isolatedAnonymousClient(): Promise<TClient> {
	const { supabaseUrl, anonKey } = await loadConfig();
	const isolated = createClient<Database>(supabaseUrl, anonKey, {
		auth: {
			persistSession: false,
			autoRefreshToken: false,
			detectSessionInUrl: false,
			storageKey: `${AUTH_STORAGE_KEY}-handover`
		},
		// Same deadline as the device's client: this send also runs inside the outbox lock.
		global: { fetch: fetchWithTimeout() }
	});
	const { error } = await isolated.auth.signInAnonymously();
	if (error) throw error;
	return isolated;
}

/**
 * Start a new resident on this device: forget the current anonymous session and sign in
 * anonymously again (online), so the next response is a different person's. Offline, the
 * stored session is dropped locally and `ensureSession` signs in before the next send.
 * Callers first mark queued responses `own_session` so none is sent as the new person.
 */
export async function startNewResident(): Promise<void> {
	const supabase = await getSupabase();
	try {
		const { error } = await supabase.auth.signOut({ scope: 'local' });
		// Offline, supabase-js keeps the session when the server cannot be told: drop it here.
		if (error) forgetStoredSession();
	} catch {
		forgetStoredSession();
	}
	if (navigator.onLine !== false) {
		const { error } = await supabase.auth.signInAnonymously();
		if (error) throw error;
	}
}

/** supabase-js reads the session from storage on every use, so removing it signs out locally. */
function forgetStoredSession(): void {
	for (const suffix of ['', '-user', '-code-verifier'])
		localStorage.removeItem(`${AUTH_STORAGE_KEY}${suffix}`);
}
