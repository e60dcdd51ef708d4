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
