/**
 * Shared Playwright fixtures: the stack's addresses (from global-setup), an axe-core check with
 * the WCAG 2.2 AA tag set, and read access to the database through the service role (the way an
 * analyst's export would see it), so tests assert what was actually stored.
 */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export const WAVE_2026 = '00000000-0000-4000-a500-000000002026';
export const SLUG = 'resident-survey';

function env(name: string): string {
	const value = process.env[name];
	if (!value)
		throw new Error(
			`${name} is not set: run the browser tests through tests/playwright.config.ts.`
		);
	return value;
}

/** One Content-Security-Policy violation a page reported. */
export interface TCspViolation {
	directive: string;
	blocked: string;
	source: string;
	page: string;
}

export const test = base.extend<{ cspViolations: TCspViolation[] }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
	baseURL: async ({}, use) => {
		await use(env('E2E_BASE_URL'));
	},
	/**
	 * Every browser test runs the built app under the headers the hosts send (build/_headers,
	 * served by tests/tools/serve-build.ts), and fails if any page of its context reported a
	 * Content-Security-Policy violation. A test that provokes one on purpose takes it out of the
	 * list (tests/e2e/headers.spec.ts).
	 */
	cspViolations: [
		async ({ context }, use) => {
			const violations: TCspViolation[] = [];
			await context.exposeBinding('__reportCspViolation', (_source, v: TCspViolation) => {
				violations.push(v);
			});
			await context.addInitScript(() => {
				document.addEventListener(
					'securitypolicyviolation',
					(e) => {
						const report = (window as unknown as Record<string, (v: unknown) => void>)
							.__reportCspViolation;
						report?.({
							directive: e.effectiveDirective,
							blocked: e.blockedURI || 'inline',
							source: `${e.sourceFile}:${e.lineNumber}`,
							page: location.pathname
						});
					},
					true
				);
			});
			await use(violations);
			expect(violations, 'Content-Security-Policy violations').toEqual([]);
		},
		{ auto: true }
	]
});
export { expect };

/** axe-core must find nothing at WCAG 2.0/2.1/2.2 A and AA. `step` names the screen in failures. */
export async function expectAccessible(page: Page, step: string): Promise<void> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	const summary = results.violations.map(
		(v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
	expect(summary, `axe violations on: ${step}`).toEqual([]);
}

/** Rows of a table as the service role sees them (PostgREST query string after `?`). */
export async function serviceSelect<T = Record<string, unknown>>(
	table: string,
	query: string
): Promise<T[]> {
	const key = env('E2E_SERVICE_ROLE_KEY');
	const res = await fetch(`${env('E2E_SUPABASE_URL')}/rest/v1/${table}?${query}`, {
		headers: { apikey: key, authorization: `Bearer ${key}`, accept: 'application/json' }
	});
	if (!res.ok) throw new Error(`${table}?${query}: HTTP ${res.status} ${await res.text()}`);
	return (await res.json()) as T[];
}

/** Change or delete rows as the service role (tests undoing what they changed). */
export async function serviceWrite(
	method: 'PATCH' | 'DELETE',
	table: string,
	query: string,
	body?: Record<string, unknown>
): Promise<void> {
	const key = env('E2E_SERVICE_ROLE_KEY');
	const res = await fetch(`${env('E2E_SUPABASE_URL')}/rest/v1/${table}?${query}`, {
		method,
		headers: {
			apikey: key,
			authorization: `Bearer ${key}`,
			...(body ? { 'content-type': 'application/json' } : {})
		},
		body: body ? JSON.stringify(body) : undefined
	});
	if (!res.ok)
		throw new Error(`${method} ${table}?${query}: HTTP ${res.status} ${await res.text()}`);
}

/** Wait until the service worker controls the page, so a later offline reload is served by it. */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise<void>((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), {
					once: true
				})
			);
		}
	});
}

/** Simulate a new deployment: the next service worker update check finds a changed script. */
export async function deployNewVersion(page: Page): Promise<void> {
	const res = await fetch(`${env('E2E_BASE_URL')}/__test__/new-version`, { method: 'POST' });
	expect(res.status).toBe(204);
	await page.evaluate(async () => {
		const registration = await navigator.serviceWorker.getRegistration();
		await registration?.update();
	});
}
