/**
 * Loads the public scorecard without supabase-js (plain `fetch`, anon key, no session), and keeps
 * the last good copy per period in localStorage so /scorecard still renders offline.
 *
 * Trust boundary: this is the public view. It always asks as `anon` (never with a staff session
 * that may exist in the same browser), so `public_scorecard` decides what is shown.
 */
import type { TScorecard } from '$domain/scorecard';
import { callRpc } from '$lib/supabase/rest';

const CACHE_PREFIX = 'civicpulse.scorecard.v1:';

export interface TCachedScorecard {
	saved_at: string;
	card: TScorecard;
}

export type TScorecardResult =
	| { source: 'network'; card: TScorecard }
	| { source: 'cache'; card: TScorecard; saved_at: string; exact: boolean };

function cacheKey(period: string | null): string {
	return CACHE_PREFIX + (period ?? 'latest');
}

/** A saved copy, or null when none or unreadable (storage blocked, old shape). */
export function readCached(
	period: string | null,
	storage: Storage = localStorage
): TCachedScorecard | null {
	try {
		const raw = storage.getItem(cacheKey(period));
		if (!raw) return null;
		const parsed = JSON.parse(raw) as Partial<TCachedScorecard>;
		if (!parsed || typeof parsed.saved_at !== 'string' || !Array.isArray(parsed.card?.goal_areas))
			return null;
		return parsed as TCachedScorecard;
	} catch {
		return null;
	}
}

export function writeCached(
	period: string | null,
	card: TScorecard,
	storage: Storage = localStorage,
	now: Date = new Date()
): void {
	try {
		storage.setItem(cacheKey(period), JSON.stringify({ saved_at: now.toISOString(), card }));
		// The newest copy of any period doubles as the offline fallback for periods never visited.
		storage.setItem(CACHE_PREFIX + 'last', JSON.stringify({ saved_at: now.toISOString(), card }));
	} catch {
		// Quota or private mode: the page still works online.
	}
}

export async function fetchPublicScorecard(period: string | null): Promise<TScorecard> {
	return callRpc<TScorecard>('public_scorecard', { p_period: period });
}

/**
 * Network first; on any failure (offline, server down) the saved copy of that period, else the
 * newest saved copy of any period (`exact: false`). Throws only when nothing is saved.
 */
export async function loadPublicScorecard(
	period: string | null,
	fetcher: (period: string | null) => Promise<TScorecard> = fetchPublicScorecard,
	storage: Storage = localStorage
): Promise<TScorecardResult> {
	try {
		const card = await fetcher(period);
		writeCached(period, card, storage);
		return { source: 'network', card };
	} catch (err) {
		const exact = readCached(period, storage);
		if (exact) return { source: 'cache', card: exact.card, saved_at: exact.saved_at, exact: true };
		const last = readCached('last' as string, storage);
		if (last) return { source: 'cache', card: last.card, saved_at: last.saved_at, exact: false };
		throw err;
	}
}
