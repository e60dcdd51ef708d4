/**
 * Requests that `src/app.html` starts before any of the app's JavaScript has arrived: where the
 * backend is (`/config.json`) and, on a survey link (`/s/<slug>`), the survey itself
 * (`get_survey`). On a phone network that saves the three round trips the first screen would
 * otherwise wait for after the code has loaded.
 *
 * Each early answer is handed over once. Whoever takes it treats a missing, failed or odd answer
 * exactly like a failed request of its own and simply asks again, so the early start can only make
 * things faster, never change what the resident sees.
 */

/** A finished HTTP answer, read to text (so it can be parsed like any other RPC answer). */
export interface TBootResponse {
	status: number;
	text: string;
}

interface TBoot {
	config?: Promise<unknown>;
	survey?: { slug: string; response: Promise<TBootResponse | null> };
}

declare global {
	interface Window {
		__civicpulseBoot?: TBoot;
	}
}

function boot(): TBoot | undefined {
	return typeof window === 'undefined' ? undefined : window.__civicpulseBoot;
}

/** The early `/config.json` body (parsed JSON, unchecked), or undefined when there is none left. */
export function takeBootConfig(): Promise<unknown> | undefined {
	const b = boot();
	const early = b?.config;
	if (b) delete b.config;
	return early?.catch(() => null);
}

/** The early `get_survey` answer for this slug, or undefined when there is none left for it. */
export function takeBootSurvey(slug: string): Promise<TBootResponse | null> | undefined {
	const b = boot();
	const early = b?.survey;
	if (!b || !early) return undefined;
	delete b.survey;
	return early.slug === slug ? early.response.catch(() => null) : undefined;
}
