/**
 * The typed Supabase client, created on first use. This module (and supabase-js with it) is only
 * ever reached through dynamic `import()` from the sync path, so it is not part of the survey's
 * first paint (bundle budget: /s/[slug] initial JS ≤ 90 KiB gzip).
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { CivicPulseDb } from '$lib/db/db';
import { AUTH_STORAGE_KEY, AUTH_STORAGE_SUFFIXES, loadConfig } from './config';
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
 * A client under the session kept by a hand-over (`handovers` row `id`): the person who used the
 * device before, for their items still queued. supabase-js reads and writes that session in the
 * row (so a refreshed token is kept there, not in the device's storage). With no session there
 * (that person never had one) or one the server no longer accepts, it signs in anonymously once
 * and keeps that identity in the row, so every retry of the same items is the same author.
 */
const handoverClients = new Map<string, Promise<TClient>>();

export async function handoverClient(database: CivicPulseDb, id: string): Promise<TClient> {
	let made = handoverClients.get(id);
	if (!made) {
		made = loadConfig().then(({ supabaseUrl, anonKey }) => {
			const storageKey = `${AUTH_STORAGE_KEY}-handover-${id}`;
			// The row holds the device's own keys (as copied at hand-over time).
			const rowKey = (key: string) => AUTH_STORAGE_KEY + key.slice(storageKey.length);
			const change = (fn: (s: Record<string, string>) => void) =>
				database.transaction('rw', database.handovers, async () => {
					const row = await database.handovers.get(id);
					if (!row) return; // nothing queued refers to it any more
					const storage = { ...row.storage };
					fn(storage);
					await database.handovers.update(id, { storage });
				});
			return createClient<Database>(supabaseUrl, anonKey, {
				auth: {
					persistSession: true,
					autoRefreshToken: false,
					detectSessionInUrl: false,
					storageKey,
					storage: {
						getItem: async (key) =>
							(await database.handovers.get(id))?.storage[rowKey(key)] ?? null,
						setItem: (key, value) =>
							change((s) => {
								s[rowKey(key)] = value;
							}),
						removeItem: (key) =>
							change((s) => {
								delete s[rowKey(key)];
							})
					}
				},
				// Same deadline as the device's client: these sends also run inside an outbox lock.
				global: { fetch: fetchWithTimeout() }
			});
		});
		handoverClients.set(id, made);
		made.catch(() => handoverClients.delete(id));
	}
	const kept = await made;
	// Refreshes an expired token. A network failure is an error (retry later, same identity);
	// no session without an error means none was kept or the server refused it.
	const { data, error } = await kept.auth.getSession();
	if (error) throw error;
	if (!data.session) {
		const signedIn = await kept.auth.signInAnonymously();
		if (signedIn.error) throw signedIn.error;
	}
	return kept;
}

/**
 * Start a new resident on this device: forget the current anonymous session and sign in
 * anonymously again (online), so the next response is a different person's. Offline, the
 * stored session is dropped locally and `ensureSession` signs in before the next send.
 *
 * With `keep`, the session stays valid on the server: a hand-over holds a copy, to send the
 * previous person's queued items under it (callers copy it first, see `handOverQueued`).
 * Without, the previous person is signed out.
 */
export async function startNewResident({ keep = false }: { keep?: boolean } = {}): Promise<void> {
	const supabase = await getSupabase();
	if (keep) forgetStoredSession();
	else {
		try {
			const { error } = await supabase.auth.signOut({ scope: 'local' });
			// Offline, supabase-js keeps the session when the server cannot be told: drop it here.
			if (error) forgetStoredSession();
		} catch {
			forgetStoredSession();
		}
	}
	if (navigator.onLine !== false) {
		const { error } = await supabase.auth.signInAnonymously();
		if (error) throw error;
	}
}

/** supabase-js reads the session from storage on every use, so removing it signs out locally. */
function forgetStoredSession(): void {
	for (const suffix of AUTH_STORAGE_SUFFIXES)
		localStorage.removeItem(`${AUTH_STORAGE_KEY}${suffix}`);
}
