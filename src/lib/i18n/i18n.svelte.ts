/**
 * The resident's language as app-wide runes state. Switching language changes only what is
 * displayed: answers live in the draft and are untouched. The choice is remembered on the device
 * and mirrored to `<html lang>` so screen readers pronounce the page correctly.
 */
import type { TLanguage, TLocalized } from '$domain/survey';
import { initialLanguage, STORAGE_KEY } from './detect';
import { displayedLanguage, localize, translate, translatePlural } from './format';
import type { TMessageKey, TParams, TPluralKey } from './types';

class I18n {
	#lang = $state<TLanguage>(initialLanguage());

	get lang(): TLanguage {
		return this.#lang;
	}

	set lang(value: TLanguage) {
		this.#lang = value;
		try {
			window.localStorage.setItem(STORAGE_KEY, value);
		} catch {
			// Not remembered across visits; the current page still switches.
		}
		this.applyToDocument();
	}

	applyToDocument(): void {
		if (typeof document !== 'undefined') document.documentElement.lang = this.#lang;
	}

	t = (key: TMessageKey, params?: TParams): string => translate(this.#lang, key, params);
	plural = (key: TPluralKey, count: number, params?: TParams): string =>
		translatePlural(this.#lang, key, count, params);
	local = (text: TLocalized | null | undefined): string => localize(this.#lang, text);
	/** `lang` attribute for content shown in a fallback language; undefined when it matches the page. */
	langOf = (text: TLocalized | null | undefined): TLanguage | undefined => {
		const shown = displayedLanguage(this.#lang, text);
		return shown === this.#lang ? undefined : shown;
	};
	number = (value: number, options?: Intl.NumberFormatOptions): string =>
		new Intl.NumberFormat(this.#lang, options).format(value);
}

export const i18n = new I18n();
