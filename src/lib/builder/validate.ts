/**
 * Checks of a survey draft before anything is sent: missing translations, skip logic that
 * points forward or to itself, importance items outside the service list, duplicate keys, and
 * the shapes the database's CHECKs require. `save_survey` re-checks the rules across questions;
 * the tables' constraints the rest. Each error names the form control (`field` = its id) so the
 * error summary can link to it, and the question it belongs to so the editor can open it.
 */
import { LANGUAGES, type TLanguage, type TLocalized } from '$domain/survey';
import { translateBuilder, type TBuilderKey } from './messages';
import {
	flatQuestions,
	hasOptions,
	isScale,
	parseNumber,
	serviceKeys,
	type TDraft,
	type TDraftQuestion
} from './model';

export interface TBuilderError {
	field: string;
	message: string;
	/** The question (id) the control belongs to, when it does. */
	question?: string;
}

export const KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;
export const OPTION_KEY_RE = /^[A-Za-z0-9_.-]{1,64}$/;
export const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Ids of the builder's controls (one scheme, used by the forms and by these checks). */
export const ids = {
	survey: (part: string) => `b-${part}`,
	section: (id: string, part: string) => `b-s-${id}-${part}`,
	question: (id: string, part: string) => `b-q-${id}-${part}`
};

export function validateDraft(
	lang: TLanguage,
	d: TDraft,
	opts: { reservedSectionKeys?: readonly string[] } = {}
): TBuilderError[] {
	const errors: TBuilderError[] = [];
	const t = (key: TBuilderKey, params?: Record<string, string | number>) =>
		translateBuilder(lang, key, params);
	const add = (
		field: string,
		key: TBuilderKey,
		params: Record<string, string | number> = {},
		question?: string
	) => {
		if (!errors.some((e) => e.field === field))
			errors.push({ field, message: t(key, params), question });
	};
	const langName = (l: TLanguage) => t(l === 'en' ? 'bd_lang_en' : 'bd_lang_es');
	/** Both languages, or (optional) neither. */
	const localized = (
		text: TLocalized,
		field: (l: TLanguage) => string,
		what: string,
		optional = false,
		question?: string
	) => {
		const filled = LANGUAGES.filter((l) => text[l].trim() !== '');
		if (optional && filled.length === 0) return;
		for (const l of LANGUAGES)
			if (!filled.includes(l))
				add(field(l), 'bd_err_translation', { what, language: langName(l) }, question);
	};

	// The survey.
	const slug = d.slug.trim();
	if (!slug) add(ids.survey('slug'), 'bd_err_slug_required');
	else if (!SLUG_RE.test(slug) || slug.length > 64) add(ids.survey('slug'), 'bd_err_slug');
	localized(d.title, (l) => ids.survey(`title-${l}`), t('bd_what_title'));
	localized(d.intro, (l) => ids.survey(`intro-${l}`), t('bd_what_intro'));
	if (d.languages.length === 0) add(ids.survey('lang-en'), 'bd_err_languages');
	if (d.sections.length === 0) add(ids.survey('add-page'), 'bd_err_no_pages');

	// Pages.
	const sectionKeys = new Set(opts.reservedSectionKeys ?? []);
	d.sections.forEach((s, i) => {
		const name = t('bd_page_n', { n: i + 1 });
		const key = s.key.trim();
		if (!KEY_RE.test(key)) add(ids.section(s.id, 'key'), 'bd_err_key', { what: name });
		else if (sectionKeys.has(key)) add(ids.section(s.id, 'key'), 'bd_err_page_key_taken', { key });
		sectionKeys.add(key);
		localized(
			s.title,
			(l) => ids.section(s.id, `title-${l}`),
			t('bd_what_page_title', { page: name })
		);
		localized(
			s.description,
			(l) => ids.section(s.id, `description-${l}`),
			t('bd_what_page_description', { page: name }),
			true
		);
		if (s.questions.length === 0)
			add(ids.section(s.id, 'add'), 'bd_err_page_empty', { page: name });
	});

	// Questions, in reading order.
	const all = flatQuestions(d.sections);
	const keyCount = new Map<string, number>();
	for (const q of all) keyCount.set(q.key.trim(), (keyCount.get(q.key.trim()) ?? 0) + 1);
	const categoryCount = new Map<string, number>();
	for (const q of all)
		if (isScale(q.kind) && q.service_category.trim())
			categoryCount.set(
				q.service_category.trim(),
				(categoryCount.get(q.service_category.trim()) ?? 0) + 1
			);
	const services = serviceKeys(all);

	all.forEach((q, index) => {
		const key = q.key.trim();
		const label = key || t('bd_question_n', { n: index + 1 });
		const f = (part: string) => ids.question(q.id, part);
		const qa = (field: string, k: TBuilderKey, params: Record<string, string | number> = {}) =>
			add(field, k, { question: label, ...params }, q.id);

		if (!KEY_RE.test(key))
			qa(f('key'), 'bd_err_key', { what: t('bd_what_question', { question: label }) });
		else if ((keyCount.get(key) ?? 0) > 1) qa(f('key'), 'bd_err_key_duplicate', { key });

		localized(
			q.prompt,
			(l) => f(`prompt-${l}`),
			t('bd_what_prompt', { question: label }),
			false,
			q.id
		);
		localized(q.help, (l) => f(`help-${l}`), t('bd_what_help', { question: label }), true, q.id);

		if (hasOptions(q.kind)) {
			const min = q.kind === 'importance_top3' ? 3 : 1;
			if (q.options.length < min) qa(f('add-option'), 'bd_err_options_count', { min });
			const seen = new Set<string>();
			q.options.forEach((o, i) => {
				const ok = o.key.trim();
				if (!OPTION_KEY_RE.test(ok)) qa(f(`opt-${i}-key`), 'bd_err_option_key', { n: i + 1 });
				else if (seen.has(ok)) qa(f(`opt-${i}-key`), 'bd_err_option_duplicate', { key: ok });
				else if (q.kind === 'importance_top3' && !services.has(ok))
					qa(f(`opt-${i}-key`), 'bd_err_not_a_service', { key: ok });
				seen.add(ok);
				localized(
					o.label,
					(l) => f(`opt-${i}-${l}`),
					t('bd_what_option', { question: label, n: i + 1 }),
					false,
					q.id
				);
			});
		}

		if (q.kind === 'number') {
			const min = parseNumber(q.min);
			const max = parseNumber(q.max);
			if (Number.isNaN(min)) qa(f('min'), 'bd_err_number', { what: t('bd_min') });
			if (Number.isNaN(max)) qa(f('max'), 'bd_err_number', { what: t('bd_max') });
			if (min !== null && max !== null && !Number.isNaN(min) && !Number.isNaN(max) && min > max)
				qa(f('max'), 'bd_err_min_max');
		}
		if (q.kind === 'text' && q.max_length.trim() !== '') {
			const n = parseNumber(q.max_length);
			if (n === null || !Number.isInteger(n) || n < 1 || n > 4000)
				qa(f('max-length'), 'bd_err_max_length');
		}
		const category = q.service_category.trim();
		if (category) {
			if (!KEY_RE.test(category)) qa(f('category'), 'bd_err_category');
			else if (isScale(q.kind) && (categoryCount.get(category) ?? 0) > 1)
				qa(f('category'), 'bd_err_category_duplicate', { category });
		}

		const cond = q.show_if;
		if (cond) {
			const ref = cond.question.trim();
			const target = all.findIndex((p) => p.key.trim() === ref);
			if (!ref) qa(f('showif-question'), 'bd_err_showif_pick');
			else if (ref === key) qa(f('showif-question'), 'bd_err_showif_self');
			else if (target === -1) qa(f('showif-question'), 'bd_err_showif_unknown', { ref });
			else if (target > index) qa(f('showif-question'), 'bd_err_showif_forward', { ref });
			else
				checkShowIfValue(all[target], cond.op, cond.values, (k, p) => qa(f('showif-value'), k, p));
		}
	});
	return errors;
}

function checkShowIfValue(
	ref: TDraftQuestion,
	op: string,
	values: string[],
	add: (key: TBuilderKey, params?: Record<string, string | number>) => void
) {
	const given = values.map((v) => v.trim()).filter((v) => v !== '');
	if (op === 'answered') return;
	if (given.length === 0) return add('bd_err_showif_value');
	if (op === 'gte' || op === 'lte') {
		if (given.some((v) => !Number.isFinite(parseNumber(v)))) add('bd_err_showif_number');
		return;
	}
	if (hasOptions(ref.kind)) {
		const keys = new Set(ref.options.map((o) => o.key.trim()));
		const bad = given.find((v) => !keys.has(v));
		if (bad) add('bd_err_showif_option', { value: bad, ref: ref.key.trim() });
	} else if (isScale(ref.kind)) {
		if (given.some((v) => !['1', '2', '3', '4', '5', '9'].includes(v))) add('bd_err_showif_scale');
	}
}
