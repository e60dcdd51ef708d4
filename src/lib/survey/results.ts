/**
 * "How the city is doing on what you rated" for the thank-you screen: for each service the
 * resident rated, the latest published wave's % satisfied (question_scores, which withholds
 * cells under n = 30) beside the city's target for that period and the status (met / not met /
 * within the margin of error, computed with the shared $lib/scoring rule).
 *
 * Reads only public data with the anon key (plain fetch, no supabase-js). The raw answers are
 * cached in IndexedDB per survey, so the screen still shows them when the resident is offline.
 */
import type { TLocalized, TSurveyDefinition } from '$domain/survey';
import { targetStatus, type TDirection, type TTargetStatus } from '$lib/scoring/target-status';
import { callRpc, selectRows } from '$lib/supabase/rest';

export interface TRatedScore {
	question_key: string;
	name: TLocalized;
	/** % satisfied in percentage points (0..100); null when withheld (small sample). */
	percent: number | null;
	/** Target in percentage points; null when the city set none for the period. */
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
	questions: { key: string; percent_satisfied: number | null; margin: number | null }[];
	measures: { id: string; question_id: string; direction: TDirection }[];
	targets: { measure_id: string; value: number }[];
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
		const measure = data.measures.find((m) => m.question_id === q.id);
		const target = measure
			? (data.targets.find((t) => t.measure_id === measure.id)?.value ?? null)
			: null;
		const p = score?.percent_satisfied ?? null;
		const percent = p === null ? null : p * 100;
		const margin = score?.margin == null ? null : score.margin * 100;
		if (percent === null && target === null) continue;
		scores.push({
			question_key: q.key,
			name: q.prompt,
			percent,
			target: target === null ? null : Number(target),
			status:
				measure && target !== null
					? targetStatus({
							value: percent,
							target: Number(target),
							margin,
							direction: measure.direction
						})
					: null
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
	const ids = def.questions
		.filter((q) => q.kind === 'satisfaction5' || q.kind === 'rating5')
		.map((q) => q.id);
	const [scores, measures] = await Promise.all([
		callRpc<{ questions: TPublicResults['questions'] }>('question_scores', {
			p_wave_id: wave.id,
			p_district: null
		}),
		selectRows<TPublicResults['measures'][number]>(
			'measures',
			`kind=eq.survey&question_id=in.(${ids.join(',')})&select=id,question_id,direction`
		)
	]);
	const targets = measures.length
		? await selectRows<TPublicResults['targets'][number]>(
				'targets',
				`measure_id=in.(${measures.map((m) => m.id).join(',')})&period=eq.${encodeURIComponent(wave.period)}&select=measure_id,value`
			)
		: [];
	return { wave, questions: scores.questions ?? [], measures, targets };
}

const cacheKey = (def: TSurveyDefinition) => `public-results:${def.survey.id}`;

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
