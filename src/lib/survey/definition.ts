/**
 * Loading a survey definition so it works on a bad network and offline: the copy cached in
 * IndexedDB is used at once when there is one, and refreshed from `get_survey` in the background;
 * without a cached copy we wait for the network. Every successful fetch updates the cache.
 *
 * The request to `get_survey` starts at once, in parallel with loading Dexie and reading the
 * cache: on a first visit (nothing cached) the survey appears one network round trip sooner.
 */
import type { TSurveyDefinition } from '$domain/survey';
import { takeBootSurvey } from '$lib/boot';
import { callRpc, RpcError, rpcAnswer } from '$lib/supabase/rest';

// Dexie is not in the survey's first-paint bundle: imported when the cache is first touched.
const deviceDb = () => import('$lib/db/db').then((m) => m.db);

export type TDefinitionResult =
	| {
			ok: true;
			definition: TSurveyDefinition;
			source: 'network' | 'cache';
			refreshed?: Promise<TSurveyDefinition | null>;
	  }
	| { ok: false; error: 'not_found' | 'offline' | 'failed'; message?: string };

function looksLikeDefinition(value: unknown): value is TSurveyDefinition {
	const v = value as TSurveyDefinition | null;
	return (
		!!v &&
		typeof v === 'object' &&
		!!v.survey &&
		!!v.wave &&
		Array.isArray(v.questions) &&
		Array.isArray(v.sections)
	);
}

export async function fetchDefinition(slug: string): Promise<TSurveyDefinition | null> {
	try {
		// The answer app.html asked for before the code loaded, else (none, or it failed) ask now.
		const early = await takeBootSurvey(slug);
		const def = early
			? rpcAnswer<unknown>(early.status, early.text)
			: await callRpc<unknown>('get_survey', { p_slug: slug });
		if (!looksLikeDefinition(def)) return null;
		const db = await deviceDb();
		await db.definitions.put({ slug, definition: def, fetched_at: new Date().toISOString() });
		return def;
	} catch (err) {
		// "No such survey / no open wave" comes back as an error or a 404 from the RPC.
		if (err instanceof RpcError && (err.status === 404 || err.code === 'P0002')) return null;
		throw err;
	}
}

export async function loadDefinition(slug: string): Promise<TDefinitionResult> {
	const network = navigator.onLine === false ? null : fetchDefinition(slug);
	network?.catch(() => {}); // handled below; never an unhandled rejection
	const cached = await deviceDb()
		.then((db) => db.definitions.get(slug))
		.catch(() => undefined);
	if (cached) {
		const refreshed = network ? network.catch(() => null) : Promise.resolve(null);
		return { ok: true, definition: cached.definition, source: 'cache', refreshed };
	}
	if (!network) return { ok: false, error: 'offline' };
	try {
		const def = await network;
		return def
			? { ok: true, definition: def, source: 'network' }
			: { ok: false, error: 'not_found' };
	} catch (err) {
		const message = err instanceof Error ? err.message : String(err);
		return { ok: false, error: err instanceof TypeError ? 'offline' : 'failed', message };
	}
}
