import { z } from '../zod';
import { LANGUAGES, QUESTION_KINDS, type TLanguage, type TQuestionKind } from '../domain/survey';

/**
 * Value codes: raw cell text (outer whitespace trimmed, compared exactly) → the value to store.
 * `null` means "no answer": the question is left out of the response. Any other value is stored
 * as given and then checked against the question like any answer (e.g. `"9": 9` keeps
 * don't-know; `"Y": "yes"` maps to an option key).
 */
export type TValueCodes = Record<string, number | string | null>;

/** One source column → one question. The short form is just the question key. */
export interface TColumnMapping {
	/** Target question key in the survey definition, e.g. `"q3_01"`. */
	question: string;
	/** Codes for this column only; they win over `kind_codes` and `missing_values`. */
	codes?: TValueCodes;
}

/**
 * Top-3 importance: the columns of the 1st, 2nd and 3rd pick. Each cell holds an item number
 * (ETC: 1..16 = q3_01..q3_16); `items` maps item numbers to option keys of the importance_top3
 * question. Blank / missing / `codes`→null picks are skipped; the remaining picks keep their order.
 */
export interface TTop3Mapping {
	question: string;
	columns: string[];
	items: Record<string, string>;
	codes?: TValueCodes;
}

/** Keep only rows where `column` (trimmed) equals / is one of / differs from the given text. */
export type TRowFilter =
	| { column: string; equals: string }
	| { column: string; in: string[] }
	| { column: string; not_equals: string };

/**
 * How an ETC-style microdata CSV becomes responses of one survey wave. JSON, validated with
 * {@link ZImportMapping}. Precedence for a cell: column `codes` → `kind_codes[question kind]` →
 * `missing_values` → the question kind's own parsing (see `planImport`).
 */
export interface TImportMapping {
	/** Free notes for people (where the file comes from, its coding); ignored by the importer. */
	description?: string;
	/** Target survey slug; must equal the definition's `survey.slug`. */
	survey: string;
	/**
	 * Target wave: by `id`, or by `label` and/or `period` matched against the known waves
	 * (the definition's wave plus any passed to `planImport`). Overridable per run (`--wave`).
	 */
	wave: { id?: string; label?: string; period?: string };
	/**
	 * Column with the respondent id in the source. With the wave it determines the response id
	 * (UUID v5), so it must be unique within the file.
	 */
	id_column: string;
	/** Response language: a fixed language (default `en`) or a column with codes. */
	language?:
		TLanguage | { column: string; values: Record<string, TLanguage>; fallback?: TLanguage };
	/**
	 * `submitted_at` of every row: a fixed ISO 8601 timestamp, or a column (ISO 8601 or
	 * `YYYY-MM-DD`) with a fallback. Default: the wave's `closes_at`, else its `opens_at`.
	 */
	submitted_at?: string | { column: string; fallback?: string };
	/**
	 * Sample of the imported rows (`responses.mode`). Default: `open` when the wave's mode is
	 * `open`, otherwise `invited` (ETC surveys are mailed to a random sample of households).
	 */
	mode?: 'invited' | 'open';
	/** Column holding the survey weight (a number in (0, 1000)). Absent: every weight is 1. */
	weight_column?: string;
	/**
	 * Council district: stored on the response (`district`), and also as the answer to
	 * `question` (a `district` question) when given. `values` maps raw codes to district keys;
	 * without it the trimmed text is used. A missing district is null.
	 */
	district?: { column: string; values?: Record<string, string>; question?: string };
	/** Row filter(s); with several, a row must pass all of them. Filtered rows are not errors. */
	filter?: TRowFilter | TRowFilter[];
	/** Raw texts meaning "no answer" in every mapped column. Default `[""]` (blank). */
	missing_values?: string[];
	/** Codes per question kind, e.g. `{ "satisfaction5": { "99": null } }`. */
	kind_codes?: Partial<Record<TQuestionKind, TValueCodes>>;
	/** Source column → question (key, or `{ question, codes }`). */
	columns: Record<string, string | TColumnMapping>;
	/** Top-3 importance column groups. */
	top3?: TTop3Mapping[];
}

const ZCodes = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));
const ZColumnName = z.string().trim().min(1, 'a column name must not be empty');

const ZRowFilter = z.union([
	z.strictObject({ column: ZColumnName, equals: z.string() }),
	z.strictObject({ column: ZColumnName, in: z.array(z.string()).min(1) }),
	z.strictObject({ column: ZColumnName, not_equals: z.string() })
]);

const ZIso = z.iso.datetime({ offset: true });

/** Zod schema of {@link TImportMapping}: unknown keys are errors (typos must not pass silently). */
export const ZImportMapping = z.strictObject({
	description: z.string().optional(),
	survey: z.string().min(1),
	wave: z
		.strictObject({
			id: z.guid().optional(),
			label: z.string().min(1).optional(),
			period: z.string().min(1).optional()
		})
		.refine((w) => w.id || w.label || w.period, 'give the wave id, label or period'),
	id_column: ZColumnName,
	language: z
		.union([
			z.enum(LANGUAGES),
			z.strictObject({
				column: ZColumnName,
				values: z.record(z.string(), z.enum(LANGUAGES)),
				fallback: z.enum(LANGUAGES).optional()
			})
		])
		.optional(),
	submitted_at: z
		.union([ZIso, z.strictObject({ column: ZColumnName, fallback: ZIso.optional() })])
		.optional(),
	mode: z.enum(['invited', 'open']).optional(),
	weight_column: ZColumnName.optional(),
	district: z
		.strictObject({
			column: ZColumnName,
			values: z.record(z.string(), z.string().min(1)).optional(),
			question: z.string().min(1).optional()
		})
		.optional(),
	filter: z.union([ZRowFilter, z.array(ZRowFilter).min(1)]).optional(),
	missing_values: z.array(z.string()).optional(),
	kind_codes: z.partialRecord(z.enum(QUESTION_KINDS), ZCodes).optional(),
	columns: z.record(
		ZColumnName,
		z.union(
			[
				z.string().min(1),
				z.strictObject({ question: z.string().min(1), codes: ZCodes.optional() })
			],
			{ error: 'map a column to a question key, or to { "question": key, "codes": { … } }' }
		)
	),
	top3: z
		.array(
			z.strictObject({
				question: z.string().min(1),
				columns: z.array(ZColumnName).min(1).max(3),
				items: z.record(z.string(), z.string().min(1)),
				codes: ZCodes.optional()
			})
		)
		.optional()
}) satisfies z.ZodType<TImportMapping>;

/** A mapping that cannot be used: every problem found, one English sentence each. */
export class ImportMappingError extends Error {
	constructor(readonly issues: string[]) {
		super(`The import mapping is not valid:\n- ${issues.join('\n- ')}`);
		this.name = 'ImportMappingError';
	}
}

/** Validates parsed JSON as a mapping; throws ImportMappingError listing every problem. */
export function parseMapping(json: unknown): TImportMapping {
	const r = ZImportMapping.safeParse(json);
	if (!r.success) {
		throw new ImportMappingError(
			r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(mapping)'}: ${i.message}`)
		);
	}
	return r.data;
}
