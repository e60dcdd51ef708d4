/**
 * The security headers a city's static host sends (build/_headers, written by the build and
 * served by tests/tools/serve-build.ts exactly as Netlify or Cloudflare Pages would) protect
 * every main route without breaking it: the policy is present, nothing the app does is refused,
 * injected script is, and other sites cannot frame the app.
 *
 * Every other browser test also fails on any CSP violation (the cspViolations fixture).
 */
import { readFile } from 'node:fs/promises';
import type { Page, Response } from '@playwright/test';
import {
	cspHash,
	parseCsp,
	parseHeadersFile,
	parseVercelConfig,
	withSupabaseUrl
} from '../../src/lib/security/headers';
import { inlineContent } from '../../src/lib/security/build-headers';
import { expect, test } from './helpers/fixtures';

const LIVE_MEETING = '00000000-0000-4000-a800-000000000010';

/** Console messages about the policies themselves (a header Chromium could not parse, say). */
function watchPolicyConsole(page: Page): string[] {
	const messages: string[] = [];
	page.on('console', (msg) => {
		const text = msg.text();
		if (/Content.Security.Policy|Permissions.Policy|Referrer.Policy/i.test(text))
			messages.push(`${msg.type()}: ${text}`);
	});
	return messages;
}

function expectSecurityHeaders(response: Response | null, where: string) {
	expect(response, where).not.toBeNull();
	const headers = response!.headers();
	const csp = parseCsp(headers['content-security-policy'] ?? '');
	expect(csp.get('default-src'), where).toEqual(['self']);
	expect(csp.get('script-src'), where).not.toContain('unsafe-inline');
	expect(csp.get('script-src'), where).not.toContain('unsafe-eval');
	expect(csp.get('style-src'), where).not.toContain('unsafe-inline');
	expect(csp.get('object-src'), where).toEqual(['none']);
	expect(csp.get('frame-ancestors'), where).toEqual(['none']);
	// The backend this deployment's /config.json names, over HTTP and WebSocket (Realtime).
	const backend = new URL(process.env.E2E_SUPABASE_URL!);
	expect(csp.get('connect-src'), where).toEqual(['self', backend.origin, `ws://${backend.host}`]);
	expect(csp.get('frame-src'), where).toEqual([
		'https://www.youtube-nocookie.com',
		'https://player.vimeo.com',
		'https://*.granicus.com'
	]);
	expect(headers['referrer-policy'], where).toBe('strict-origin-when-cross-origin');
	expect(headers['permissions-policy'], where).toContain('camera=()');
	expect(headers['permissions-policy'], where).toContain('geolocation=()');
	expect(headers['x-frame-options'], where).toBe('DENY');
	expect(headers['x-content-type-options'], where).toBe('nosniff');
	return csp;
}

test('every main route is served with the security headers and runs without a CSP violation', async ({
	page,
	cspViolations
}) => {
	const policyConsole = watchPolicyConsole(page);

	let response = await page.goto('/');
	expectSecurityHeaders(response, '/');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

	response = await page.goto('/s/resident-survey');
	expectSecurityHeaders(response, '/s/resident-survey');
	// The survey arrived through the early start in app.html (allowed by its hash) or the app.
	await expect(page.getByRole('button', { name: 'Start the survey' })).toBeVisible();

	response = await page.goto('/meetings');
	expectSecurityHeaders(response, '/meetings');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Public performance meetings' })
	).toBeVisible();

	response = await page.goto(`/meetings/${LIVE_MEETING}`);
	expectSecurityHeaders(response, '/meetings/[id]');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Agenda' })).toBeVisible();

	response = await page.goto('/scorecard');
	expectSecurityHeaders(response, '/scorecard');
	await expect(page.getByRole('heading', { level: 1, name: 'City scorecard' })).toBeVisible();

	response = await page.goto('/staff');
	expectSecurityHeaders(response, '/staff');
	await page.getByLabel('Email address').fill('analyst@civicpulse.local');
	await page.getByLabel('Password').fill('civicpulse-demo');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('staff-identity')).toContainText('(analyst)');
	// A goal page draws Chart.js charts on canvas.
	await page.getByRole('link', { name: 'Responsive, easy-to-reach 311' }).click();
	const trend = page.getByRole('figure', { name: /Trend: 311 calls answered within 60 seconds/ });
	await expect(trend.locator('canvas')).toBeVisible();

	// The service worker and the manifest came through too.
	expect(
		await page.evaluate(async () => Boolean((await navigator.serviceWorker.ready).active))
	).toBe(true);
	expect(await page.evaluate(async () => (await fetch('/manifest.webmanifest')).ok)).toBe(true);

	expect(cspViolations).toEqual([]);
	expect(policyConsole).toEqual([]);
});

test('the header allows exactly the inline scripts the built page carries, by hash', async ({
	page,
	request
}) => {
	const response = await page.goto('/s/resident-survey');
	const csp = expectSecurityHeaders(response, '/s/resident-survey');
	const html = await (await request.get('/s/resident-survey')).text();
	const { scripts, styles, metaPolicies } = inlineContent(html);

	// The early start of app.html and SvelteKit's bootstrap, each allowed by its own hash.
	expect(scripts).toHaveLength(2);
	expect(scripts[0]).toContain('__civicpulseBoot');
	expect(scripts[1]).toContain('kit.start');
	expect(csp.get('script-src')).toEqual(['self', ...scripts.map(cspHash)]);
	expect(csp.get('style-src')).toEqual(['self', ...styles.map(cspHash)]);
	// SvelteKit's route announcer (after a client-side navigation) keeps its own style attribute.
	await page.getByRole('link', { name: 'Home' }).first().click();
	const announcer = await page.locator('#svelte-announcer').getAttribute('style');
	expect(csp.get('style-src-attr')).toEqual(['unsafe-hashes', cspHash(announcer!)]);

	// What the server sent is build/_headers pointed at this deployment's backend, and Vercel's
	// file says the same.
	const build = new URL('../../build/', import.meta.url);
	const headersFile = parseHeadersFile(await readFile(new URL('_headers', build), 'utf8'));
	const vercelFile = parseVercelConfig(await readFile(new URL('vercel.json', build), 'utf8'));
	expect(vercelFile).toEqual(headersFile);
	const served = withSupabaseUrl(headersFile, process.env.E2E_SUPABASE_URL!)[0].headers;
	const sent = response!.headers();
	for (const [name, value] of Object.entries(served)) expect(sent[name.toLowerCase()]).toBe(value);

	// SvelteKit's <meta> policy (for hosts that ignore _headers) says the same on what it covers.
	expect(metaPolicies).toHaveLength(1);
	const meta = parseCsp(metaPolicies[0]);
	expect(meta.get('script-src')?.sort()).toEqual(csp.get('script-src')?.sort());
	expect(meta.get('object-src')).toEqual(['none']);
	expect(meta.get('base-uri')).toEqual(['none']);
});

test('script injected into a page is refused and reported', async ({ page, cspViolations }) => {
	await page.goto('/meetings');
	await expect(
		page.getByRole('heading', { level: 1, name: 'Public performance meetings' })
	).toBeVisible();

	const ran = await page.evaluate(async () => {
		const w = window as unknown as Record<string, unknown>;
		// What an XSS would add: an inline script element and an inline event handler.
		const script = document.createElement('script');
		script.textContent = 'window.__injectedScript = true;';
		document.body.append(script);
		const holder = document.createElement('div');
		holder.innerHTML = '<img src="/favicon.png" onload="window.__injectedHandler = true">';
		document.body.append(holder);
		await new Promise((resolve) => setTimeout(resolve, 500));
		return { script: w.__injectedScript === true, handler: w.__injectedHandler === true };
	});
	expect(ran).toEqual({ script: false, handler: false });

	// Both policies (header and <meta>) refuse each one, so each may be reported twice.
	await expect
		.poll(() => [...new Set(cspViolations.map((v) => v.directive))].sort())
		.toEqual(['script-src-attr', 'script-src-elem']);
	expect(cspViolations.every((v) => v.blocked === 'inline' && v.page === '/meetings')).toBe(true);
	cspViolations.length = 0; // provoked on purpose: not a failure of this test
});

test('another site cannot frame the app', async ({ page, baseURL }) => {
	// A page of another origin (about:blank has no policy of its own) embeds the app.
	await page.goto('about:blank');
	await page.setContent(
		`<iframe src="${baseURL}/scorecard" title="embedded" onload="window.framed = true"></iframe>`
	);
	await page.waitForFunction(() => (window as unknown as { framed?: boolean }).framed === true);
	// The browser refused to render it (frame-ancestors 'none'): no app inside.
	const embedded = page.frames().find((f) => f !== page.mainFrame());
	expect(embedded?.url()).not.toBe(`${baseURL}/scorecard`);
	await expect(
		page.frameLocator('iframe').getByRole('heading', { name: 'City scorecard' })
	).toHaveCount(0);
});
