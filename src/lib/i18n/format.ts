/**
 * Pure message formatting: parameter substitution and plural selection with the platform's
 * `Intl.PluralRules` (no plural tables of our own). Used by the runes `i18n` object and in tests.
 */
import type { TLanguage, TLocalized } from '$domain/survey';
import { en } from './en';
import { es } from './es';
import type { TMessageKey, TMessages, TParams, TPlural, TPluralKey } from './types';

export const dictionaries: Record<TLanguage, TMessages> = { en, es };

const pluralRules = new Map<TLanguage, Intl.PluralRules>();
function rulesFor(lang: TLanguage): Intl.PluralRules {
	let rules = pluralRules.get(lang);
	if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
	return rules;
}

export function interpolate(template: string, params: TParams = {}): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}

export function translate(lang: TLanguage, key: TMessageKey, params?: TParams): string {
	return interpolate(dictionaries[lang][key] as string, params);
}

export function translatePlural(
	lang: TLanguage,
	key: TPluralKey,
	count: number,
	params: TParams = {}
): string {
	return pluralize(lang, dictionaries[lang][key] as TPlural, count, params);
}

/** Pick the plural form for `count` (platform plural rules) and fill it; `{count}` is localized. */
export function pluralize(
	lang: TLanguage,
	forms: TPlural,
	count: number,
	params: TParams = {}
): string {
	const template = forms[rulesFor(lang).select(count)] ?? forms.other;
	return interpolate(template, { count: new Intl.NumberFormat(lang).format(count), ...params });
}

/** The language `localize` actually shows for `text` (English when the translation is blank). */
export function displayedLanguage(lang: TLanguage, text: TLocalized | null | undefined): TLanguage {
	return text && !text[lang]?.trim() ? 'en' : lang;
}

/** Survey content in the resident's language; falls back to English if a translation is blank. */
export function localize(lang: TLanguage, text: TLocalized | null | undefined): string {
	if (!text) return '';
	return text[lang]?.trim() ? text[lang] : text.en;
}
