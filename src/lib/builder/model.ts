/**
 * The survey builder's model: a survey as pages (sections) of questions, in reading order, the
 * way an admin edits it. Three shapes, converted here and nowhere else:
 *   - `TBuilderSurvey`: typed content (what `save_survey` stores and the JSON file carries);
 *   - `TDraft`: what the forms edit (numbers and skip-logic values as typed text);
 *   - `TSurveyDefinition` ($domain/survey): what the real survey components render (preview).
 * Pure: no Svelte, no Supabase.
 */
import type {
	TLanguage,
	TLocalized,
	TOption,
	TQuestion,
	TQuestionKind,
	TShowIf,
	TSurveyDefinition
} from '$domain/survey';

export interface TBuilderQuestion {
	id: string;
	key: string;
	kind: TQuestionKind;
	prompt: TLocalized;
	help: TLocalized | null;
	required: boolean;
	options: TOption[] | null;
	min: number | null;
	max: number | null;
	max_length: number | null;
	show_if: TShowIf | null;
	service_category: string | null;
}

export interface TBuilderSection {
	id: string;
	key: string;
	title: TLocalized;
	description: TLocalized | null;
	questions: TBuilderQuestion[];
}

export interface TBuilderSurvey {
	id: string;
	slug: string;
	title: TLocalized;
	intro: TLocalized;
	languages: TLanguage[];
	sections: TBuilderSection[];
}

/** Kinds whose answers are option keys, and so need options. */
export const OPTION_KINDS: readonly TQuestionKind[] = [
	'single',
	'multi',
	'district',
	'importance_top3'
];
/** Kinds scored as "% satisfied": the only ones a scorecard measure may link to. */
export const SCALE_KINDS: readonly TQuestionKind[] = ['satisfaction5', 'rating5'];

export const hasOptions = (kind: TQuestionKind) => OPTION_KINDS.includes(kind);
export const isScale = (kind: TQuestionKind) => SCALE_KINDS.includes(kind);

// --------------------------------------------------------------------------------------------
// Draft: the forms' state.

export interface TDraftShowIf {
	question: string;
	op: TShowIf['op'];
	/** One entry for eq/neq/gte/lte, several for `in`, none for `answered`. */
	values: string[];
}

export interface TDraftQuestion {
	id: string;
	key: string;
	kind: TQuestionKind;
	prompt: TLocalized;
	/** Blank in both languages = no help text. */
	help: TLocalized;
	required: boolean;
	options: TOption[];
	min: string;
	max: string;
	max_length: string;
	show_if: TDraftShowIf | null;
	service_category: string;
}

export interface TDraftSection {
	id: string;
	key: string;
	title: TLocalized;
	description: TLocalized;
	questions: TDraftQuestion[];
}

export interface TDraft {
	id: string;
	slug: string;
	title: TLocalized;
	intro: TLocalized;
	languages: TLanguage[];
	sections: TDraftSection[];
}

export const blank = (): TLocalized => ({ en: '', es: '' });
const orBlank = (t: TLocalized | null): TLocalized => (t ? { en: t.en, es: t.es } : blank());
const numText = (n: number | null) => (n === null ? '' : String(n));

export function toDraft(s: TBuilderSurvey): TDraft {
	return {
		id: s.id,
		slug: s.slug,
		title: { ...s.title },
		intro: { ...s.intro },
		languages: [...s.languages],
		sections: s.sections.map((sec) => ({
			id: sec.id,
			key: sec.key,
			title: { ...sec.title },
			description: orBlank(sec.description),
			questions: sec.questions.map(questionToDraft)
		}))
	};
}

export function questionToDraft(q: TBuilderQuestion): TDraftQuestion {
	return {
		id: q.id,
		key: q.key,
		kind: q.kind,
		prompt: { ...q.prompt },
		help: orBlank(q.help),
		required: q.required,
		options: (q.options ?? []).map((o) => ({ key: o.key, label: { ...o.label } })),
		min: numText(q.min),
		max: numText(q.max),
		max_length: numText(q.max_length),
		show_if: q.show_if
			? {
					question: q.show_if.question,
					op: q.show_if.op,
					values:
						q.show_if.value === undefined
							? []
							: (Array.isArray(q.show_if.value) ? q.show_if.value : [q.show_if.value]).map(String)
				}
			: null,
		service_category: q.service_category ?? ''
	};
}

/** A number typed in a form ("1,5" is 1.5); null when blank, NaN when not a number. */
export function parseNumber(text: string): number | null {
	const s = text.trim().replace(/\s/g, '');
	if (s === '') return null;
	const normalised = /^-?\d+,\d+$/.test(s) ? s.replace(',', '.') : s;
	return /^-?(\d+\.?\d*|\.\d+)$/.test(normalised) ? Number(normalised) : NaN;
}

const trimmed = (t: TLocalized): TLocalized => ({ en: t.en.trim(), es: t.es.trim() });
const optional = (t: TLocalized): TLocalized | null =>
	t.en.trim() === '' && t.es.trim() === '' ? null : trimmed(t);

/** Skip-logic values typed as text, typed as the referenced question's answers are. */
export function showIfFromDraft(
	cond: TDraftShowIf,
	referenced: Pick<TDraftQuestion, 'kind'> | undefined
): TShowIf {
	const numeric =
		cond.op === 'gte' ||
		cond.op === 'lte' ||
		(referenced !== undefined && (isScale(referenced.kind) || referenced.kind === 'number'));
	const typed = cond.values
		.map((v) => v.trim())
		.filter((v) => v !== '')
		.map((v) => (numeric && Number.isFinite(parseNumber(v)) ? (parseNumber(v) as number) : v));
	if (cond.op === 'answered') return { question: cond.question, op: 'answered' };
	if (cond.op === 'in') return { question: cond.question, op: 'in', value: typed };
	return { question: cond.question, op: cond.op, value: typed[0] ?? '' };
}

/**
 * The typed survey. Call after `validateDraft` found nothing: unparseable numbers become null
 * here, and fields a kind does not use are dropped (the database refuses them).
 */
export function fromDraft(d: TDraft): TBuilderSurvey {
	const all = d.sections.flatMap((s) => s.questions);
	return {
		id: d.id,
		slug: d.slug.trim(),
		title: trimmed(d.title),
		intro: trimmed(d.intro),
		languages: [...d.languages],
		sections: d.sections.map((s) => ({
			id: s.id,
			key: s.key.trim(),
			title: trimmed(s.title),
			description: optional(s.description),
			questions: s.questions.map((q): TBuilderQuestion => {
				const num = (t: string) => {
					const n = parseNumber(t);
					return n === null || Number.isNaN(n) ? null : n;
				};
				return {
					id: q.id,
					key: q.key.trim(),
					kind: q.kind,
					prompt: trimmed(q.prompt),
					help: optional(q.help),
					required: q.required,
					options: hasOptions(q.kind)
						? q.options.map((o) => ({ key: o.key.trim(), label: trimmed(o.label) }))
						: null,
					min: q.kind === 'number' ? num(q.min) : null,
					max: q.kind === 'number' ? num(q.max) : null,
					max_length: q.kind === 'text' ? num(q.max_length) : null,
					show_if:
						q.show_if && q.show_if.question
							? showIfFromDraft(
									q.show_if,
									all.find((p) => p.key.trim() === q.show_if?.question)
								)
							: null,
					service_category: q.service_category.trim() || null
				};
			})
		}))
	};
}

/** The definition the real survey components render, for the live preview. */
export function toDefinition(s: TBuilderSurvey): TSurveyDefinition {
	let position = 0;
	return {
		survey: { id: s.id, slug: s.slug, title: s.title, intro: s.intro, languages: s.languages },
		wave: {
			id: 'preview',
			label: 'Preview',
			period: '2026',
			mode: 'open',
			opens_at: new Date(0).toISOString(),
			closes_at: null
		},
		sections: s.sections.map((sec, i) => ({
			key: sec.key,
			position: i + 1,
			title: sec.title,
			description: sec.description
		})),
		questions: s.sections.flatMap((sec) =>
			sec.questions.map((q): TQuestion => ({
				...q,
				section: sec.key,
				position: ++position
			}))
		)
	};
}

/** Every question in reading order (pages in order, questions in page order). */
export function flatQuestions<Q>(sections: readonly { questions: readonly Q[] }[]): Q[] {
	return sections.flatMap((s) => s.questions);
}

/** A fresh question of a kind, with the options a kind needs to start from. */
export function newQuestion(
	kind: TQuestionKind,
	key: string,
	uuid: () => string = () => crypto.randomUUID()
): TDraftQuestion {
	const options: TOption[] =
		kind === 'single'
			? [
					{ key: 'yes', label: { en: 'Yes', es: 'Sí' } },
					{ key: 'no', label: { en: 'No', es: 'No' } }
				]
			: kind === 'district'
				? ['1', '2', '3', '4'].map((k) => ({
						key: k,
						label: { en: `District ${k}`, es: `Distrito ${k}` }
					}))
				: [];
	return {
		id: uuid(),
		key,
		kind,
		prompt: blank(),
		help: blank(),
		required: false,
		options,
		min: '',
		max: '',
		max_length: '',
		show_if: null,
		service_category: ''
	};
}

/** A key not used yet: `base`, else `base_2`, `base_3`… */
export function freeKey(base: string, used: Iterable<string>): string {
	const taken = new Set(used);
	if (!taken.has(base)) return base;
	for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * The service list of an importance question: one item per satisfaction/rating question with a
 * service category (its key = the category, its label = the question's wording).
 */
export function serviceList(questions: readonly TDraftQuestion[]): TOption[] {
	const seen = new Set<string>();
	const out: TOption[] = [];
	for (const q of questions) {
		const category = q.service_category.trim();
		if (!isScale(q.kind) || !category || seen.has(category)) continue;
		seen.add(category);
		out.push({ key: category, label: { en: q.prompt.en.trim(), es: q.prompt.es.trim() } });
	}
	return out;
}

/** Keys an importance item may name: service categories and keys of 5-point questions. */
export function serviceKeys(questions: readonly TDraftQuestion[]): Set<string> {
	const keys = new Set<string>();
	for (const q of questions) {
		if (!isScale(q.kind)) continue;
		if (q.service_category.trim()) keys.add(q.service_category.trim());
		keys.add(q.key.trim());
	}
	return keys;
}

/** A deep copy with fresh ids (copying a survey, importing a file): nothing is shared. */
export function withFreshIds(s: TBuilderSurvey, uuid: () => string = () => crypto.randomUUID()) {
	return {
		...s,
		id: uuid(),
		sections: s.sections.map((sec) => ({
			...sec,
			id: uuid(),
			questions: sec.questions.map((q) => ({ ...q, id: uuid() }))
		}))
	};
}
