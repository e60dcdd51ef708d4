import {
	DONT_KNOW,
	type TAnswerValue,
	type TLanguage,
	type TQuestion,
	type TSurveyDefinition,
	type TWave
} from '../domain/survey';
import { parseCsv, type TCsvTable } from './csv';
import {
	ImportMappingError,
	parseMapping,
	type TImportMapping,
	type TRowFilter,
	type TValueCodes
} from './mapping';
import { importResponseId } from './uuid';

/**
 * One imported response, exactly the item shape of the import RPCs' row arrays
 * (`import_check` / `import_stage`, staff or service role only; see ./apply.ts). Like
 * `TResponseSubmission` without `invitation_code`, plus what only an import may set: `source`
 * is always 'import', `mode`, `weight` (default 1), `district` (null when unknown) and
 * `external_id`; every field is a column of `responses`. `answers` follows the survey
 * contract: keyed by question key, unanswered keys absent, values valid for the question kind.
 * The server re-validates every row and compares it with what is stored for the same
 * respondent (by `id`, else by wave + `external_id`): unchanged rows are left alone, so
 * re-importing a file changes nothing, and changed ones are replaced only when asked.
 */
export interface TImportResponse {
	id: string;
	wave_id: string;
	language: TLanguage;
	submitted_at: string;
	source: 'import';
	/** Sample the row belongs to (`responses.mode`); invited and open samples are never pooled. */
	mode: 'invited' | 'open';
	/** (0, 1000), as `responses.weight` allows. */
	weight: number;
	/** At most 64 characters (`responses.district`). */
	district: string | null;
	/** Respondent id in the source file (`responses.external_id`, unique per wave). */
	external_id: string;
	answers: Record<string, TAnswerValue>;
}

/** A problem with one cell or row. `row` is the spreadsheet row number (the header is row 1). */
export interface TImportRowError {
	row: number;
	/** Source column name, or '' for the row as a whole. */
	column: string;
	message: string;
}

export interface TPlannedRow {
	row: number;
	/** Respondent id as written in the source file. */
	source_id: string;
	response: TImportResponse;
}

export interface TImportStats {
	/** Data records in the file (header excluded). */
	rows_read: number;
	/** Records left out by the mapping's row filter (not errors). */
	rows_filtered: number;
	/** Records that became responses. */
	rows_accepted: number;
	/** Records with at least one error (none of their data will be written). */
	rows_rejected: number;
	/** Answers in the accepted responses. */
	answers: number;
	/** Per question key: accepted responses that answer it. */
	answered: Record<string, number>;
	/** CSV columns the mapping does not use (for the report; they are simply ignored). */
	unmapped_columns: string[];
}

/** The dry run: everything `applyImport` would write, and everything wrong. Nothing is written. */
export interface TImportPlan {
	survey_slug: string;
	wave_id: string;
	rows: TPlannedRow[];
	errors: TImportRowError[];
	stats: TImportStats;
	/**
	 * With a row filter: what it asks for and the most frequent values of its column(s) in the
	 * file, so a filter that keeps nothing (a typo, "Yes" for "YES") can say what is there.
	 */
	filter_summary: { description: string; values: { value: string; count: number }[] } | null;
}

export interface TPlanOptions {
	/**
	 * Waves a mapping may target by label/period besides `definition.wave` (`get_survey` returns
	 * only the open wave; staff tooling passes the survey's other waves to import past ones).
	 */
	waves?: TWave[];
	/** Overrides the mapping's `wave` (one mapping used for several files of the same survey). */
	wave?: TImportMapping['wave'];
	/**
	 * The questions of each wave's survey version (`TImportSurvey.questionsByWave`): the file is
	 * checked against the questions of the wave it goes into. Without an entry for that wave,
	 * `definition.questions`.
	 */
	questionsByWave?: Record<string, TQuestion[]>;
}

interface TResolvedColumn {
	column: string;
	index: number;
	question: TQuestion;
	codes: TValueCodes | undefined;
}

const KIND_HELP: Partial<Record<TQuestion['kind'], string>> = {
	satisfaction5: "1–5, or 9 = don't know",
	rating5: "1–5, or 9 = don't know"
};

function quoteList(xs: string[], max = 8): string {
	const shown = xs.slice(0, max).map((x) => `"${x}"`);
	return xs.length > max ? `${shown.join(', ')} … (${xs.length} in all)` : shown.join(', ');
}

function resolveWave(
	definition: TSurveyDefinition,
	want: TImportMapping['wave'],
	options: TPlanOptions
): { id: string; wave: TWave | null; issue: string | null } {
	const known = [definition.wave, ...(options.waves ?? [])].filter(
		(w, i, all) => all.findIndex((x) => x.id === w.id) === i
	);
	const list = known.map((w) => `"${w.label}" (${w.period}, ${w.id})`).join(', ');
	if (want.id) {
		const wave = known.find((w) => w.id.toLowerCase() === want.id!.toLowerCase()) ?? null;
		// The server refuses a wave it does not know, or of another survey: so does the dry run.
		return wave
			? { id: wave.id, wave, issue: null }
			: {
					id: '',
					wave: null,
					issue: `wave: no known wave has id ${want.id}; known waves: ${list}`
				};
	}
	const matches = known.filter(
		(w) =>
			(want.label === undefined || w.label === want.label) &&
			(want.period === undefined || w.period === want.period)
	);
	if (matches.length === 1) return { id: matches[0].id, wave: matches[0], issue: null };
	const asked = [want.label && `label "${want.label}"`, want.period && `period "${want.period}"`]
		.filter(Boolean)
		.join(' and ');
	return {
		id: '',
		wave: null,
		issue:
			matches.length === 0
				? `wave: no known wave has ${asked}; known waves: ${list}`
				: `wave: ${matches.length} waves have ${asked}; give the wave id`
	};
}

function filterPasses(f: TRowFilter, value: string): boolean {
	if ('equals' in f) return value === f.equals;
	if ('in' in f) return f.in.includes(value);
	return value !== f.not_equals;
}

/** `responses.weight` must be in (0, 1000). */
const MAX_WEIGHT = 1000;
/** `responses.district` is at most 64 characters. */
const MAX_DISTRICT_LENGTH = 64;
/** `responses.external_id` is at most 200 characters. */
const MAX_EXTERNAL_ID_LENGTH = 200;
/** A text answer without its own `max_length` (the database's `answer_error` default). */
const DEFAULT_TEXT_LENGTH = 2000;
/**
 * A 5-point code as ETC files write it: a plain whole number. "+4", "5.000", "05" and "4.5"
 * are NOT read as codes: a code is a label, and a sign, decimals or padding mean the file was
 * transformed on the way (a spreadsheet, a statistics package) or damaged. Map such spellings
 * explicitly in `kind_codes` (e.g. `{ "satisfaction5": { "5.000": 5 } }`) when they are right.
 */
const PLAIN_INTEGER = /^(?:0|[1-9]\d*)$/;
/** A `number` answer: an optional minus sign, digits, an optional decimal part. No "+", no exponent. */
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;
/** A weight: a positive decimal, exponent allowed (statistics packages write 1e-05). */
const WEIGHT = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A cell quoted as written, for messages: JSON string syntax (so quotes and line breaks show),
 * and a long cell shortened with its length given (a 5,000-digit cell is not echoed whole).
 */
export function quoteCell(raw: string): string {
	const max = 40;
	if (raw.length <= max) return JSON.stringify(raw);
	return `${JSON.stringify(`${raw.slice(0, 24)}…`)} (${raw.length} characters)`;
}

/** Canonical form of a decimal number's value (sign, significant digits, exponent). */
function decimalKey(text: string): string | null {
	const m = /^(-)?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
	if (!m || !(m[2] || m[3])) return null;
	const whole = m[2] ?? '';
	let digits = whole + (m[3] ?? '');
	let exp = Number(m[4] ?? 0) + whole.length;
	const lead = /^0*/.exec(digits)![0].length;
	digits = digits.slice(lead).replace(/0+$/, '');
	exp -= lead;
	if (!digits) return '0';
	return `${m[1] ?? ''}0.${digits}e${exp}`;
}

/**
 * The number a cell holds, if JSON can carry it to the database unchanged: the decimal value
 * of the number sent must be the decimal value written (no rounding to the nearest double,
 * no overflow to Infinity).
 */
function exactNumber(text: string): number | null {
	const n = Number(text);
	if (!Number.isFinite(n)) return null;
	return decimalKey(text) === decimalKey(String(n)) ? n : null;
}

type TDecoded = { value: number | string | null } | { error: string };

/**
 * Turns one raw cell into a stored value, or `null` for "no answer", or an error message that
 * quotes the cell as written. Precedence: column codes → kind codes → missing values → the
 * kind's own parsing.
 */
function decodeCell(
	raw: string,
	q: TQuestion,
	columnCodes: TValueCodes | undefined,
	mapping: TImportMapping,
	missing: ReadonlySet<string>
): TDecoded {
	const t = raw.trim();
	const kindCodes = mapping.kind_codes?.[q.kind];
	let v: number | string | null;
	let coded = true;
	if (columnCodes && Object.hasOwn(columnCodes, t)) v = columnCodes[t];
	else if (kindCodes && Object.hasOwn(kindCodes, t)) v = kindCodes[t];
	else if (missing.has(t)) v = null;
	else {
		coded = false;
		if (q.kind === 'satisfaction5' || q.kind === 'rating5') {
			if (!PLAIN_INTEGER.test(t)) {
				return {
					error: `${quoteCell(t)} is not a ${q.kind} code (${KIND_HELP[q.kind]}, written as a plain whole number); map other spellings such as "5.0" or "DK" in "kind_codes" or the column's "codes", or list them in "missing_values" if they mean no answer`
				};
			}
			v = Number(t);
		} else if (q.kind === 'number') {
			if (!PLAIN_DECIMAL.test(t)) {
				return {
					error: `${quoteCell(t)} is not a number: write digits with an optional minus sign and decimal point, such as 12 or -3.5`
				};
			}
			const n = exactNumber(t);
			if (n === null) {
				return {
					error: `${quoteCell(t)} has more digits than a number answer can store exactly (about 15 significant digits)`
				};
			}
			v = n;
		} else if (q.kind === 'zip') {
			const m = /^(\d{5})(?:-\d{4})?$/.exec(t);
			if (!m) return { error: `${quoteCell(t)} is not a 5-digit ZIP code` };
			v = m[1];
		} else v = t;
	}
	if (v === null) return { value: null };
	const cell = coded ? `${quoteCell(t)} (coded as ${JSON.stringify(v)})` : quoteCell(t);
	return checkValue(v, q, cell);
}

/**
 * The rules the database applies to an answer of this kind (`private.answer_error` and the
 * answers table), so a dry run refuses what the server would refuse. `cell` names the value
 * in messages: the cell as written (and what a code mapped it to).
 */
function checkValue(
	v: number | string,
	q: TQuestion,
	cell = JSON.stringify(v)
): { value: number | string } | { error: string } {
	switch (q.kind) {
		case 'satisfaction5':
		case 'rating5':
			if (typeof v === 'number' && Number.isInteger(v) && ((v >= 1 && v <= 5) || v === DONT_KNOW)) {
				return { value: v };
			}
			return {
				error: `${cell} is not a valid ${q.kind} answer (${KIND_HELP[q.kind]}); map it to null in "codes" if it means no answer`
			};
		case 'single':
		case 'multi':
		case 'district': {
			const keys = (q.options ?? []).map((o) => o.key);
			if (typeof v === 'string' && keys.includes(v)) return { value: v };
			return {
				error: `${cell} is not an option of "${q.key}" (options: ${quoteList(keys)}); map it in "codes"`
			};
		}
		case 'number':
			if (typeof v !== 'number' || !Number.isFinite(v)) return { error: `${cell} is not a number` };
			if ((q.min !== null && v < q.min) || (q.max !== null && v > q.max)) {
				return { error: `${cell} is outside ${q.min ?? '−∞'}..${q.max ?? '∞'}` };
			}
			return { value: v };
		case 'text': {
			const s = String(v).trim();
			const max = q.max_length ?? DEFAULT_TEXT_LENGTH;
			if (s.length > max) {
				return { error: `${cell}: the text is ${s.length} characters, more than ${max}` };
			}
			return { value: s };
		}
		case 'zip':
			if (typeof v === 'string' && /^\d{5}$/.test(v)) return { value: v };
			return { error: `${cell} is not a 5-digit ZIP code` };
		default:
			return { error: `questions of kind ${q.kind} cannot be imported from a single column` };
	}
}

function parseTimestamp(t: string): string | null {
	if (/^\d{4}-\d{2}-\d{2}$/.test(t)) t = `${t}T00:00:00Z`;
	if (!/^\d{4}-\d{2}-\d{2}T/.test(t)) return null;
	const ms = Date.parse(t);
	return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * The DRY RUN of an import: parses the CSV, checks the mapping against the CSV header and the
 * survey definition, and turns every record into a response or into errors. Writes nothing.
 *
 * Throws `ImportMappingError` (listing every problem at once) when the mapping itself cannot be
 * used: unknown columns or questions, a question of the wrong kind, an unknown wave. Throws
 * `CsvError` for a file that is not CSV. Problems in the data are returned as `errors` with the
 * spreadsheet row number; a record with any error is rejected whole (no partial responses).
 *
 * Cell decoding: outer whitespace is trimmed; then column `codes`, `kind_codes` for the
 * question's kind and `missing_values` (default blank) are tried in that order; otherwise the
 * kind parses the text (5-point items: an integer that must be 1..5 or 9; number; ZIP, ZIP+4
 * cut to 5 digits; single/district/multi: the text must be an option key; text as is).
 * Several columns may feed one `multi` question (each adds its option key). Imports do not
 * enforce `required` or `show_if`: historical microdata keep their real item non-response.
 */
export function planImport(
	csvText: string | TCsvTable,
	mappingInput: unknown,
	definition: TSurveyDefinition,
	options: TPlanOptions = {}
): TImportPlan {
	const mapping = parseMapping(mappingInput);
	const table = typeof csvText === 'string' ? parseCsv(csvText) : csvText;
	const { header, records } = table;
	const issues: string[] = [];
	const colIndex = new Map(header.map((h, i) => [h, i]));
	const used = new Set<string>();
	const col = (name: string, where: string): number => {
		const i = colIndex.get(name.trim());
		used.add(name.trim());
		if (i === undefined) {
			issues.push(`${where}: column "${name}" is not in the CSV header`);
			return -1;
		}
		return i;
	};
	if (mapping.survey !== definition.survey.slug) {
		issues.push(
			`survey: the mapping is for "${mapping.survey}" but the definition is "${definition.survey.slug}"`
		);
	}
	const wave = resolveWave(definition, options.wave ?? mapping.wave, options);
	if (wave.issue) issues.push(wave.issue);
	const fielded = (wave.id && options.questionsByWave?.[wave.id]) || definition.questions;
	const questions = new Map(fielded.map((q) => [q.key, q]));
	const question = (key: string, where: string): TQuestion | undefined => {
		const q = questions.get(key);
		if (!q) issues.push(`${where}: question "${key}" is not in survey "${definition.survey.slug}"`);
		return q;
	};

	const idIndex = col(mapping.id_column, 'id_column');
	const weightIndex = mapping.weight_column ? col(mapping.weight_column, 'weight_column') : -1;
	const filters = mapping.filter ? [mapping.filter].flat() : [];
	const filterIdx = filters.map((f, i) => col(f.column, `filter[${i}]`));

	let districtIndex = -1;
	let districtQuestion: TQuestion | undefined;
	if (mapping.district) {
		districtIndex = col(mapping.district.column, 'district.column');
		if (mapping.district.question) {
			districtQuestion = question(mapping.district.question, 'district.question');
			if (districtQuestion && districtQuestion.kind !== 'district') {
				issues.push(
					`district.question: "${districtQuestion.key}" is a ${districtQuestion.kind} question, not a district question`
				);
			}
		}
	}
	const lang = mapping.language ?? 'en';
	const langIndex = typeof lang === 'string' ? -1 : col(lang.column, 'language.column');
	const sub = mapping.submitted_at;
	const subIndex = sub && typeof sub !== 'string' ? col(sub.column, 'submitted_at.column') : -1;
	const fixedSubmitted =
		typeof sub === 'string'
			? new Date(sub).toISOString()
			: (sub?.fallback && new Date(sub.fallback).toISOString()) ||
				(wave.wave ? new Date(wave.wave.closes_at ?? wave.wave.opens_at).toISOString() : null);
	if (!fixedSubmitted && subIndex < 0 && !wave.issue) {
		issues.push(
			'submitted_at: the wave is not in the definition, so give "submitted_at" in the mapping'
		);
	}

	const resolved: TResolvedColumn[] = [];
	const questionUse = new Map<string, string>();
	const claim = (key: string, where: string, q: TQuestion) => {
		const prev = questionUse.get(key);
		if (prev && q.kind !== 'multi') {
			issues.push(`${where}: question "${key}" is already filled from ${prev}`);
		}
		questionUse.set(key, where);
	};
	if (districtQuestion) claim(districtQuestion.key, 'district', districtQuestion);
	for (const [column, target] of Object.entries(mapping.columns)) {
		const where = `columns["${column}"]`;
		const spec = typeof target === 'string' ? { question: target } : target;
		const index = col(column, where);
		const q = question(spec.question, where);
		if (!q) continue;
		if (q.kind === 'importance_top3') {
			issues.push(`${where}: "${q.key}" is an importance_top3 question; map it under "top3"`);
			continue;
		}
		claim(q.key, where, q);
		if (index >= 0) resolved.push({ column, index, question: q, codes: spec.codes });
	}
	const top3 = (mapping.top3 ?? []).map((t, i) => {
		const where = `top3[${i}]`;
		const indexes = t.columns.map((c) => col(c, where));
		const q = question(t.question, where);
		if (q && q.kind !== 'importance_top3') {
			issues.push(`${where}: "${q.key}" is a ${q.kind} question, not importance_top3`);
		}
		if (q) {
			claim(q.key, where, q);
			const keys = new Set((q.options ?? []).map((o) => o.key));
			const bad = Object.values(t.items).filter((k) => !keys.has(k));
			if (bad.length) {
				issues.push(`${where}.items: ${quoteList(bad)} are not options of "${q.key}"`);
			}
		}
		return { spec: t, indexes, key: t.question };
	});
	// Historical ETC microdata are random (invited) samples; a wave that is only `open` says otherwise.
	const mode = mapping.mode ?? (wave.wave?.mode === 'open' ? 'open' : 'invited');
	if (wave.wave && wave.wave.mode !== 'both' && wave.wave.mode !== mode) {
		issues.push(
			`mode: the rows would be "${mode}" respondents, but wave "${wave.wave.label}" takes only "${wave.wave.mode}" respondents; set "mode" or choose another wave`
		);
	}
	const surveyLanguages: TLanguage[] = definition.survey.languages ?? ['en', 'es'];
	if (typeof lang === 'string' && !surveyLanguages.includes(lang)) {
		issues.push(
			`language: survey "${definition.survey.slug}" has no "${lang}" version (${surveyLanguages.join(', ')})`
		);
	}
	if (issues.length) throw new ImportMappingError(issues);
	const missing = new Set(mapping.missing_values ?? ['']);
	const errors: TImportRowError[] = [];
	const rows: TPlannedRow[] = [];
	const seenIds = new Map<string, number>();
	const answered: Record<string, number> = {};
	let filtered = 0;
	let rejected = 0;
	let answerCount = 0;
	const filterValues = filters.map(() => new Map<string, number>());

	records.forEach((rec, i) => {
		const row = i + 2;
		const cell = (idx: number) => (rec[idx] ?? '').trim();
		const before = errors.length;
		const err = (column: string, message: string) => errors.push({ row, column, message });
		if (rec.length !== header.length) {
			err('', `the row has ${rec.length} fields but the header has ${header.length}`);
			rejected++;
			return;
		}
		filters.forEach((_, k) => {
			const v = cell(filterIdx[k]);
			filterValues[k].set(v, (filterValues[k].get(v) ?? 0) + 1);
		});
		if (!filters.every((f, k) => filterPasses(f, cell(filterIdx[k])))) {
			filtered++;
			return;
		}
		const sourceId = cell(idIndex);
		if (!sourceId) err(mapping.id_column, 'the respondent id is blank');
		else if (sourceId.length > MAX_EXTERNAL_ID_LENGTH) {
			err(
				mapping.id_column,
				`respondent id ${quoteCell(sourceId)} is longer than ${MAX_EXTERNAL_ID_LENGTH} characters`
			);
		} else if (seenIds.has(sourceId)) {
			err(mapping.id_column, `respondent id "${sourceId}" repeats row ${seenIds.get(sourceId)}`);
		} else seenIds.set(sourceId, row);

		let weight = 1;
		if (weightIndex >= 0) {
			const t = cell(weightIndex);
			weight = WEIGHT.test(t) ? (exactNumber(t) ?? NaN) : NaN;
			if (!(weight > 0 && weight < MAX_WEIGHT)) {
				err(
					mapping.weight_column!,
					WEIGHT.test(t) && Number.isNaN(weight)
						? `weight ${quoteCell(t)} has more digits than can be stored exactly (about 15 significant digits)`
						: `weight ${quoteCell(t)} is not a number greater than 0 and below ${MAX_WEIGHT}`
				);
			}
		}

		const answers: Record<string, TAnswerValue> = {};
		let district: string | null = null;
		if (mapping.district) {
			const t = cell(districtIndex);
			const coded = mapping.district.values && Object.hasOwn(mapping.district.values, t);
			if (coded) district = mapping.district.values![t];
			else if (!missing.has(t)) {
				if (mapping.district.values) {
					err(
						mapping.district.column,
						`district ${quoteCell(t)} is not in district.values (${quoteList(Object.keys(mapping.district.values))})`
					);
				} else district = t;
			}
			if (district !== null) district = district.trim() || null;
			if (district !== null && district.length > MAX_DISTRICT_LENGTH) {
				err(
					mapping.district.column,
					`district ${quoteCell(district)} is longer than ${MAX_DISTRICT_LENGTH} characters`
				);
			} else if (district !== null && districtQuestion) {
				const r = checkValue(district, districtQuestion, quoteCell(t));
				if ('error' in r) err(mapping.district.column, r.error);
				else answers[districtQuestion.key] = r.value;
			}
		}

		let language: TLanguage = 'en';
		if (typeof lang === 'string') language = lang;
		else {
			const t = cell(langIndex);
			if (Object.hasOwn(lang.values, t)) language = lang.values[t];
			else if (lang.fallback) language = lang.fallback;
			else err(lang.column, `language ${quoteCell(t)} is not in language.values`);
			if (!surveyLanguages.includes(language)) {
				err(
					lang.column,
					`language ${quoteCell(t)} means "${language}", which survey "${definition.survey.slug}" does not have (${surveyLanguages.join(', ')})`
				);
			}
		}

		let submittedAt = fixedSubmitted ?? '';
		if (subIndex >= 0) {
			const t = cell(subIndex);
			const parsed = t ? parseTimestamp(t) : null;
			if (parsed) submittedAt = parsed;
			else if (!t && fixedSubmitted) submittedAt = fixedSubmitted;
			else {
				err(
					(sub as { column: string }).column,
					`${quoteCell(t)} is not a date (ISO 8601 or YYYY-MM-DD)`
				);
			}
		}

		for (const c of resolved) {
			const r = decodeCell(rec[c.index], c.question, c.codes, mapping, missing);
			if ('error' in r) err(c.column, r.error);
			else if (r.value !== null) {
				if (c.question.kind === 'multi') {
					const list = (answers[c.question.key] as string[] | undefined) ?? [];
					if (!list.includes(r.value as string)) list.push(r.value as string);
					answers[c.question.key] = list;
				} else answers[c.question.key] = r.value;
			}
		}

		for (const t of top3) {
			const picks: string[] = [];
			t.indexes.forEach((idx, k) => {
				const raw = cell(idx);
				const column = t.spec.columns[k];
				let itemCode: string | null = raw;
				if (t.spec.codes && Object.hasOwn(t.spec.codes, raw)) {
					const c = t.spec.codes[raw];
					itemCode = c === null ? null : String(c);
				} else if (missing.has(raw)) itemCode = null;
				if (itemCode === null) return;
				const key = t.spec.items[itemCode];
				if (key === undefined) {
					err(
						column,
						`item ${quoteCell(raw)} is not in top3 items (${quoteList(Object.keys(t.spec.items))})`
					);
				} else if (picks.includes(key)) {
					err(column, `item ${quoteCell(raw)} is picked twice`);
				} else picks.push(key);
			});
			if (picks.length) answers[t.key] = picks;
		}

		if (errors.length === before && Object.keys(answers).length === 0) {
			err('', 'the row answers none of the mapped questions');
		}
		if (errors.length > before || !sourceId) {
			rejected++;
			return;
		}
		for (const k of Object.keys(answers)) answered[k] = (answered[k] ?? 0) + 1;
		answerCount += Object.keys(answers).length;
		rows.push({
			row,
			source_id: sourceId,
			response: {
				id: importResponseId(wave.id, sourceId),
				wave_id: wave.id,
				language,
				submitted_at: submittedAt,
				source: 'import',
				mode,
				weight,
				district,
				external_id: sourceId,
				answers
			}
		});
	});

	return {
		survey_slug: definition.survey.slug,
		wave_id: wave.id,
		rows,
		errors,
		stats: {
			rows_read: records.length,
			rows_filtered: filtered,
			rows_accepted: rows.length,
			rows_rejected: rejected,
			answers: answerCount,
			answered,
			unmapped_columns: header.filter((h) => !used.has(h))
		},
		filter_summary: filters.length
			? {
					description: filters.map(describeFilter).join(' and '),
					values: [...filterValues[0]]
						.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
						.slice(0, 8)
						.map(([value, count]) => ({ value, count }))
				}
			: null
	};
}

function describeFilter(f: TRowFilter): string {
	if ('equals' in f) return `"${f.column}" equals ${JSON.stringify(f.equals)}`;
	if ('in' in f) return `"${f.column}" is one of ${quoteList(f.in)}`;
	return `"${f.column}" differs from ${JSON.stringify(f.not_equals)}`;
}
