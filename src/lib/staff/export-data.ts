/**
 * Shapes database results for the CSV writers of `$lib/import/export` (which own the
 * suppression and anonymisation rules): question scores from `question_scores`, and stored
 * responses + answers as microdata rows. Pure, so the mapping is unit-tested.
 */
import type { TQuestionScores } from '$domain/scorecard';
import type { TAnswerValue, TQuestion } from '$domain/survey';
import type { TMicrodataRow, TScoreExportRow } from '$lib/import/export';
import type { TQuestionRow } from './db';

export function toScoreExportRows(scores: TQuestionScores): TScoreExportRow[] {
	return scores.questions
		.filter((q) => q.kind === 'satisfaction5' || q.kind === 'rating5')
		.map((q) => {
			const nEff = q.n_effective ?? q.n_valid;
			return {
				wave: scores.wave.label,
				district: scores.district,
				question_key: q.key,
				kind: q.kind as 'satisfaction5' | 'rating5',
				n_valid: q.n_valid,
				n_dont_know: q.n_dont_know,
				n_eff: nEff,
				p_satisfied: q.percent_satisfied,
				mean: q.mean,
				margin: q.margin,
				survey_margin: nEff > 0 ? 1.96 * Math.sqrt(0.25 / nEff) : null,
				n_respondents: scores.respondents,
				importance: q.importance,
				n_named: null,
				is_rating: q.is_rating,
				is_band: q.is_band
			};
		});
}

export interface TResponseRecord {
	id: string;
	district: string | null;
	weight: number | string;
}
export interface TAnswerRecord {
	response_id: string;
	question_id: string;
	numeric_value: number | string | null;
	choice_value: string | null;
	choice_values: string[] | null;
	text_value: string | null;
}

/** One microdata row per response (in the order given), answers keyed by question key. */
export function toMicrodataRows(
	responses: readonly TResponseRecord[],
	answers: readonly TAnswerRecord[],
	questions: readonly Pick<TQuestionRow, 'id' | 'key'>[]
): TMicrodataRow[] {
	const keyOf = new Map(questions.map((q) => [q.id, q.key]));
	const byResponse = new Map<string, Record<string, TAnswerValue>>();
	for (const a of answers) {
		const key = keyOf.get(a.question_id);
		if (!key) continue;
		const value: TAnswerValue | null =
			a.numeric_value !== null
				? Number(a.numeric_value)
				: (a.choice_value ?? a.choice_values ?? a.text_value);
		if (value === null) continue;
		let row = byResponse.get(a.response_id);
		if (!row) byResponse.set(a.response_id, (row = {}));
		row[key] = value;
	}
	return responses.map((r) => ({
		district: r.district,
		weight: Number(r.weight),
		answers: byResponse.get(r.id) ?? {}
	}));
}

/** The question rows as the survey definition type the exporters expect. */
export function toDefinitionQuestions(rows: readonly TQuestionRow[]): TQuestion[] {
	return rows.map((q) => ({
		id: q.id,
		key: q.key,
		section: '',
		position: q.position,
		kind: q.kind as TQuestion['kind'],
		prompt: q.prompt,
		help: null,
		required: false,
		options: q.options,
		min: null,
		max: null,
		max_length: null,
		show_if: null,
		service_category: q.service_category
	}));
}

/** Starts a browser download of `text` as a UTF-8 CSV file (with BOM, for spreadsheet apps). */
export function downloadCsv(filename: string, text: string): void {
	const blob = new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' });
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
