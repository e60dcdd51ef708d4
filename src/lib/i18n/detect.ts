import { LANGUAGES, type TLanguage } from '$domain/survey';

export const STORAGE_KEY = 'civicpulse.lang';

function isLanguage(value: unknown): value is TLanguage {
	return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language to start in: ?lang=, then the remembered choice, then the browser's preference. */
export function initialLanguage(): TLanguage {
	if (typeof window === 'undefined') return 'en';
	const fromUrl = new URLSearchParams(window.location.search).get('lang');
	if (isLanguage(fromUrl)) return fromUrl;
	try {
		const stored = window.localStorage.getItem(STORAGE_KEY);
		if (isLanguage(stored)) return stored;
	} catch {
		// Storage can be blocked (private mode); the browser preference is a fine default.
	}
	for (const tag of navigator.languages ?? [navigator.language]) {
		const base = tag.toLowerCase().split('-')[0];
		if (isLanguage(base)) return base;
	}
	return 'en';
}
