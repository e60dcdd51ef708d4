/**
 * What needs attention, at a glance: the rows of the staff overview (`/staff`), derived from
 * the database's own answers (`staff_scorecard` for measures and statuses, `question_scores` of
 * the latest published wave for changes and priorities). Pure: nothing here judges a figure,
 * it only selects and orders what the database already decided.
 */
import type {
	TBand,
	TQuestionScore,
	TQuestionScores,
	TScorecard,
	TScorecardMeasure
} from '$domain/scorecard';
import type { TLocalized } from '$domain/survey';
import { statusCounts } from './format';

export interface TAttentionRow {
	measure: TScorecardMeasure;
	goal_key: string;
	goal_title: TLocalized;
	area_name: TLocalized;
}

/** Measures that missed their target, then those within the margin, in plan order. */
export function needsAttention(card: TScorecard): TAttentionRow[] {
	const rows: TAttentionRow[] = [];
	for (const area of card.goal_areas)
		for (const goal of area.goals)
			for (const measure of goal.measures)
				if (measure.status === 'not_met' || measure.status === 'within_margin')
					rows.push({ measure, goal_key: goal.key, goal_title: goal.title, area_name: area.name });
	const rank = (r: TAttentionRow) => (r.measure.status === 'not_met' ? 0 : 1);
	return rows
		.map((r, i) => ({ r, i }))
		.sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
		.map((x) => x.r);
}

export interface TQuestionRowWithGoal {
	score: TQuestionScore;
	/** The goal page this question belongs to (through its survey measure), if any. */
	goal_key: string | null;
}

/**
 * Significant changes (the two-proportion z-test of `question_scores`) between a wave and the
 * previous one: declines first, largest fall first; then rises, largest first.
 */
export function significantChanges(scores: TQuestionScores): TQuestionRowWithGoal[] {
	const changed = scores.questions.filter((q) => q.change?.significant);
	const declines = changed
		.filter((q) => q.change!.delta < 0)
		.sort((a, b) => a.change!.delta - b.change!.delta);
	const rises = changed
		.filter((q) => q.change!.delta >= 0)
		.sort((a, b) => b.change!.delta - a.change!.delta);
	return [...declines, ...rises].map((score) => ({
		score,
		goal_key: score.measure?.goal_key ?? null
	}));
}

const BAND_RANK: Record<TBand, number> = { very_high: 0, high: 1, medium: 2 };

/** "Very high" and "high" importance–satisfaction priorities, highest rating first. */
export function priorities(scores: TQuestionScores): TQuestionRowWithGoal[] {
	return scores.questions
		.filter((q) => q.is_band === 'very_high' || q.is_band === 'high')
		.sort(
			(a, b) =>
				BAND_RANK[a.is_band!] - BAND_RANK[b.is_band!] || (b.is_rating ?? 0) - (a.is_rating ?? 0)
		)
		.map((score) => ({ score, goal_key: score.measure?.goal_key ?? null }));
}

export interface TAreaCounts {
	key: string;
	name: TLocalized;
	counts: ReturnType<typeof statusCounts>;
	goals: { key: string; title: TLocalized; counts: ReturnType<typeof statusCounts> }[];
}

/** Met / within the margin / not met (and without a status) per goal area and goal. */
export function areaCounts(card: TScorecard): TAreaCounts[] {
	return card.goal_areas.map((area) => ({
		key: area.key,
		name: area.name,
		counts: statusCounts(area.goals.flatMap((g) => g.measures.map((m) => m.status))),
		goals: area.goals.map((g) => ({
			key: g.key,
			title: g.title,
			counts: statusCounts(g.measures.map((m) => m.status))
		}))
	}));
}
