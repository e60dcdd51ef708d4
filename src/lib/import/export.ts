import type { TAnswerValue, TQuestion } from '../domain/survey';
import type { TQuestionScore } from '../scoring/score-questions';
import { cellVisibility, EXPORT_MIN_N } from '../scoring/suppression';
import { toCsv, type TCsvColumn } from './csv';

/** A score row with the context an export needs. */
export type TScoreExportRow = TQuestionScore & {
	wave?: string;
	/** null or absent = all districts. */
	district?: string | null;
};

const pct = (x: number | null, digits = 1) => (x === null ? null : (x * 100).toFixed(digits));

/**
 * CSV of question scores. Figures are percentages with one decimal (mean two, I-S three).
 * Suppression (DESIGN §6): a cell based on fewer than 5 people is never written, whatever the
 * audience; a `public` export also withholds cells under 30. Withheld figures are empty and the
 * `note` column says why; `small_sample` flags n under 100.
 */
export function scoresToCsv(
	rows: readonly TScoreExportRow[],
	audience: 'staff' | 'public'
): string {
	const aud = audience === 'public' ? 'public_export' : 'export';
	const sat = (r: TScoreExportRow) => cellVisibility(r.n_valid, aud);
	const imp = (r: TScoreExportRow) => cellVisibility(r.n_respondents, aud);
	const ifSat = <T>(r: TScoreExportRow, v: T) => (sat(r).show ? v : null);
	const columns: TCsvColumn<TScoreExportRow>[] = [
		{ header: 'wave', value: (r) => r.wave },
		{ header: 'district', value: (r) => r.district ?? 'all' },
		{ header: 'question_key', value: (r) => r.question_key },
		{ header: 'n_valid', value: (r) => ifSat(r, r.n_valid) },
		{ header: 'pct_satisfied', value: (r) => ifSat(r, pct(r.p_satisfied)) },
		{ header: 'margin_pct', value: (r) => ifSat(r, pct(r.margin)) },
		{ header: 'mean', value: (r) => ifSat(r, r.mean?.toFixed(2)) },
		{ header: 'importance_pct', value: (r) => (imp(r).show ? pct(r.importance) : null) },
		{
			header: 'is_rating',
			value: (r) => (sat(r).show && imp(r).show ? r.is_rating?.toFixed(3) : null)
		},
		{ header: 'is_band', value: (r) => (sat(r).show && imp(r).show ? r.is_band : null) },
		{ header: 'small_sample', value: (r) => (sat(r).warn ? 'yes' : '') },
		{ header: 'note', value: (r) => (sat(r).reason ? `withheld: ${sat(r).reason}` : '') }
	];
	return toCsv(rows, columns);
}

/** A stored response as a microdata export sees it. */
export interface TMicrodataRow {
	district: string | null;
	weight: number;
	answers: Record<string, TAnswerValue | undefined>;
}

/** Kinds that can point at a person when combined (quasi-identifiers). */
const QUASI_IDENTIFIERS: readonly TQuestion['kind'][] = ['district', 'zip', 'single', 'number'];

/**
 * Anonymised microdata CSV: one line per response, numbered 1..n in the order given (response
 * ids, timestamps and languages are never written), `district`, `weight`, then one column per
 * question in survey order (multi / importance_top3 joined with `;`).
 *
 * - `public`: free-text and ZIP questions are left out entirely.
 * - `staff`: free text is included (staff may read comments); ZIP too.
 * - Both: no cell under 5 people — a district or quasi-identifier value (district, zip,
 *   single, number) held by fewer than 5 responses in the file is blanked; a file with fewer
 *   than 5 responses has its header only.
 */
export function microdataToCsv(
	rows: readonly TMicrodataRow[],
	questions: readonly TQuestion[],
	audience: 'staff' | 'public'
): string {
	const kept = [...questions]
		.sort((a, b) => a.position - b.position)
		.filter((q) => audience === 'staff' || (q.kind !== 'text' && q.kind !== 'zip'));
	const data = rows.length < EXPORT_MIN_N ? [] : rows;
	const rare = (values: (string | null)[]) => {
		const counts = new Map<string, number>();
		for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
		return new Set([...counts].filter(([, n]) => n < EXPORT_MIN_N).map(([v]) => v));
	};
	const cellText = (v: TAnswerValue | undefined) =>
		v === undefined ? null : Array.isArray(v) ? v.join(';') : String(v);
	const rareDistricts = rare(data.map((r) => r.district));
	const rareByQuestion = new Map(
		kept
			.filter((q) => QUASI_IDENTIFIERS.includes(q.kind))
			.map((q) => [q.key, rare(data.map((r) => cellText(r.answers[q.key])))])
	);
	const indexed = data.map((r, i) => ({ n: i + 1, r }));
	const columns: TCsvColumn<{ n: number; r: TMicrodataRow }>[] = [
		{ header: 'row', value: (x) => x.n },
		{
			header: 'district',
			value: (x) => (x.r.district !== null && rareDistricts.has(x.r.district) ? null : x.r.district)
		},
		{ header: 'weight', value: (x) => x.r.weight },
		...kept.map((q) => ({
			header: q.key,
			value: (x: { r: TMicrodataRow }) => {
				const t = cellText(x.r.answers[q.key]);
				return t !== null && rareByQuestion.get(q.key)?.has(t) ? null : t;
			}
		}))
	];
	return toCsv(indexed, columns);
}
