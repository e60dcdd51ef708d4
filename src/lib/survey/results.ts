/**
 * "How the city is doing on what you rated" for the thank-you screen: for each service the
 * resident rated, the latest published wave's % satisfied beside the city's target for that
 * period and the status. Everything comes from one `question_scores` call: the figures, the
 * linked survey measure, its target and the status the database decided on the published
 * figures, so this screen, /scorecard and /staff can never disagree (no status is computed
 * here). Cells under n = 30 are withheld by the database.
 *
 * Reads only public data with the anon key (plain fetch, no supabase-js). The answer is cached
 * in IndexedDB per survey, so the screen still shows it when the resident is offline.
 */
import type { TQuestionMeasure, TTargetStatus } from '$domain/scorecard';
import type { TLocalized, TSurveyDefinition } from '$domain/survey';
import { publishedFigure } from '$lib/scoring/target-status';
import { callRpc, selectRows } from '$lib/supabase/rest';

export interface TRatedScore {
	question_key: string;
	name: TLocalized;
	/** % satisfied as published (proportion 0..1, to 0.1 point); null when withheld. */
	value: number | null;
	/** The target (proportion 0..1); null when the city set none for the period. */
	target: number | null;
	status: TTargetStatus | null;
}

export interface TRatedScores {
	period: string;
	wave_label: string;
	scores: TRatedScore[];
	source: 'network' | 'cache';
}

/** What we fetch and cache: enough to rebuild the table for any set of rated questions. */
export interface TPublicResults {
	wave: { id: string; label: string; period: string };
	questions: {
		key: string;
		percent_satisfied: number | null;
		measure: TQuestionMeasure | null;
	}[];
}

export function buildRatedScores(
	def: TSurveyDefinition,
	data: TPublicResults,
	rated: string[]
): TRatedScore[] {
	const scores: TRatedScore[] = [];
	for (const q of def.questions
		.filter((x) => rated.includes(x.key))
		.sort((a, b) => a.position - b.position)) {
		const score = data.questions.find((s) => s.key === q.key);
		const value = publishedFigure('percent', score?.percent_satisfied);
		const target = score?.measure?.target ?? null;
		if (value === null && target === null) continue;
		scores.push({
			question_key: q.key,
			name: q.prompt,
			value,
			target,
			status: target === null ? null : (score?.measure?.status ?? null)
		});
	}
	return scores;
}

async function fetchPublicResults(def: TSurveyDefinition): Promise<TPublicResults | null> {
	const [wave] = await selectRows<TPublicResults['wave']>(
		'survey_waves',
		`survey_id=eq.${def.survey.id}&results_published=eq.true&order=opens_at.desc&limit=1&select=id,label,period`
	);
	if (!wave) return null;
	const scores = await callRpc<{ questions: TPublicResults['questions'] }>('question_scores', {
		p_wave_id: wave.id,
		p_district: null
	});
	const questions = (scores.questions ?? []).map((q) => ({
		key: q.key,
		percent_satisfied: q.percent_satisfied,
		measure: q.measure ?? null
	}));
	return { wave, questions };
}

// v2: the answer of question_scores with its measure (v1 held raw targets in points).
const cacheKey = (def: TSurveyDefinition) => `public-results:v2:${def.survey.id}`;

/**
 * Fetch the latest published results and keep them on the device. The survey page calls this
 * when the survey opens online (once the page is idle), so a resident who then loses the network
 * still sees the city's results on the thank-you screen.
 */
export async function refreshPublicResults(def: TSurveyDefinition): Promise<TPublicResults | null> {
	const data = await fetchPublicResults(def);
	// Dexie is not part of the survey's first paint; by now it is loaded anyway.
	const { db } = await import('$lib/db/db');
	if (data)
		await db.cache.put({ key: cacheKey(def), value: data, fetched_at: new Date().toISOString() });
	return data;
}

/** null = nothing published yet (or nothing cached while offline). */
export async function loadRatedScores(
	def: TSurveyDefinition,
	rated: string[]
): Promise<TRatedScores | null> {
	if (rated.length === 0) return null;
	let data: TPublicResults | null = null;
	let source: TRatedScores['source'] = 'network';
	if (navigator.onLine !== false) {
		try {
			data = await refreshPublicResults(def);
		} catch {
			// Network or server trouble: fall back to the copy from an earlier visit.
		}
	}
	if (!data) {
		const { db } = await import('$lib/db/db');
		const cached = await db.cache.get(cacheKey(def)).catch(() => undefined);
		if (!cached) return null;
		data = cached.value as TPublicResults;
		source = 'cache';
	}
	return {
		period: data.wave.period,
		wave_label: data.wave.label,
		scores: buildRatedScores(def, data, rated),
		source
	};
}
