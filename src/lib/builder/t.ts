/** Builder strings in the current language (the shared `i18n` runes object). */
import { i18n } from '$lib/i18n/i18n.svelte';
import { translateBuilder, type TBuilderKey } from './messages';

export const bt = (key: TBuilderKey, params?: Record<string, string | number>): string =>
	translateBuilder(i18n.lang, key, params);
