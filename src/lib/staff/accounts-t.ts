/** The accounts strings bound to the app's current language (re-renders on switch). */
import { i18n } from '$lib/i18n/i18n.svelte';
import type { TParams } from '$lib/i18n/types';
import { translateAccounts, type TAccountsKey } from './accounts-messages';

export const ac = (key: TAccountsKey, params?: TParams): string =>
	translateAccounts(i18n.lang, key, params);
