/**
 * The surveys residents can answer right now, for the home page: the waves that have opened and
 * not closed, with their survey's address and title. One small public read (no supabase-js).
 * The last answer is kept on the device, so the home page still offers the survey offline
 * (the survey itself then starts from its own offline copy, if this device has opened it).
 */
import type { TLocalized } from '$domain/survey';
import { selectRows } from '$lib/supabase/rest';

export interface TOpenSurvey {
	slug: string;
	title: TLocalized;
	/** invited: a household needs the code from its letter. */
	mode: 'invited' | 'open' | 'both';
}

const CACHE_KEY = 'civicpulse.open-surveys.v1';

export interface TWaveWithSurvey {
	mode: TOpenSurvey['mode'];
	surveys: { slug: string; title: TLocalized } | null;
}

/** Open waves → one entry per survey (a survey with two open waves is listed once). */
export function openSurveysFrom(rows: readonly TWaveWithSurvey[]): TOpenSurvey[] {
	const bySlug = new Map<string, TOpenSurvey>();
	for (const r of rows) {
		if (!r.surveys) continue;
		const seen = bySlug.get(r.surveys.slug);
		const mode = seen && seen.mode !== r.mode ? 'both' : r.mode;
		bySlug.set(r.surveys.slug, { slug: r.surveys.slug, title: r.surveys.title, mode });
	}
	return [...bySlug.values()];
}

/** The public read: waves open at `now`, each with its survey (a many-to-one embed). */
function fetchOpenWaves(now: Date): Promise<TWaveWithSurvey[]> {
	const iso = encodeURIComponent(now.toISOString());
	return selectRows<TWaveWithSurvey>(
		'survey_waves',
		`select=mode,surveys(slug,title)&opens_at=lte.${iso}&or=(closes_at.is.null,closes_at.gt.${iso})&order=opens_at.desc`
	);
}

export async function loadOpenSurveys(
	storage: Storage = localStorage,
	fetchRows: (now: Date) => Promise<TWaveWithSurvey[]> = fetchOpenWaves,
	now: Date = new Date()
): Promise<{ surveys: TOpenSurvey[]; source: 'network' | 'cache' } | null> {
	try {
		const rows = await fetchRows(now);
		const surveys = openSurveysFrom(rows);
		try {
			storage.setItem(CACHE_KEY, JSON.stringify(surveys));
		} catch {
			// Quota or private mode: the page still works online.
		}
		return { surveys, source: 'network' };
	} catch {
		try {
			const raw = storage.getItem(CACHE_KEY);
			if (raw) return { surveys: JSON.parse(raw) as TOpenSurvey[], source: 'cache' };
		} catch {
			// Unreadable copy: nothing to offer.
		}
		return null;
	}
}
