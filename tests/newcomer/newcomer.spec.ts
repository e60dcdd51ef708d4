/**
 * A newcomer's path (issue 10 item 8): a fresh clone, the README's own commands, and what the
 * README promises they give. The commands are read from README.md (the "The two commands" and
 * "Try it offline" blocks, the demo accounts table, the invitation link), so the README and this
 * test cannot drift apart: change a command there and this test runs the new one.
 *
 * 1. `npm ci && npm run dev` (embedded backend) → a resident answers the demo survey on a phone
 *    → an analyst signs in and sees the response counted on the staff overview.
 * 2. `npm run build`, `npm run preview` → the app works offline: loaded once online, reloaded
 *    offline, home page → survey → answers → queued; back online, the response is sent and
 *    stored.
 *
 * Run with `npm run test:newcomer` (tests/playwright.newcomer.config.ts). It clones HEAD, so
 * commit first. Servers get free ports through PORT and LOCAL_BACKEND_PORT (README).
 */
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staffMessages } from '../../src/lib/staff/messages';
import { waitForServiceWorker } from '../e2e/helpers/fixtures';
import { completeSurvey, messages } from '../e2e/helpers/survey-flow';
import {
	chained,
	demoAccounts,
	freePort,
	freshClone,
	linkNodeModules,
	readmeCommands,
	runToEnd,
	start,
	stop,
	waitForHttp,
	type TRun
} from './processes';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readme = readFileSync(join(repo, 'README.md'), 'utf8');
const m = messages.en;

/** Content-Security-Policy violations any page of the context reports (none allowed). */
async function watchCsp(context: BrowserContext): Promise<string[]> {
	const violations: string[] = [];
	await context.exposeBinding('__newcomerCsp', (_source, v: string) => violations.push(v));
	await context.addInitScript(() => {
		document.addEventListener(
			'securitypolicyviolation',
			(e) => {
				const report = (window as unknown as Record<string, (v: string) => void>).__newcomerCsp;
				report?.(
					`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}`
				);
			},
			true
		);
	});
	return violations;
}

const test = base.extend<{ cspViolations: string[] }, { clone: string }>({
	// One fresh clone for the whole path, as a newcomer has: `npm run dev` first, then
	// `npm run build` and `npm run preview` in the same checkout.
	clone: [
		// eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
		async ({}, use) => {
			const clone = await freshClone(repo);
			try {
				await use(clone.dir);
			} finally {
				await clone.remove();
			}
		},
		{ scope: 'worker' }
	],
	cspViolations: [
		async ({ context }, use) => {
			const violations = await watchCsp(context);
			await use(violations);
			expect(violations, 'Content-Security-Policy violations').toEqual([]);
		},
		{ auto: true }
	]
});
test.describe.configure({ mode: 'serial' });

/** Servers a test started, stopped (whole process groups) whether it passed or not. */
const servers: TRun[] = [];
test.afterEach(async ({ context }) => {
	// Pages first: a dev page that outlives its server reports the lost connection.
	await context.close();
	await Promise.all(servers.splice(0).map(stop));
});

/** Progress with the time since the test started, for the runtime budget. */
const started = Date.now();
function phase(name: string): void {
	console.log(`[newcomer ${((Date.now() - started) / 1000).toFixed(1)} s] ${name}`);
}

/** Run the README's one-off commands (`npm ci`, `npm run build`) in the clone. */
async function runSetup(command: string, clone: string): Promise<void> {
	phase(command);
	if (/^npm ci\b/.test(command) && process.env.NEWCOMER_NPM_CI !== '1') {
		linkNodeModules(repo, clone);
		return;
	}
	// A real install on a busy two-core machine took over three minutes.
	await runToEnd(command, clone, {}, /^npm ci\b/.test(command) ? 480_000 : 240_000);
}

/** Start the README's long-running command on free ports; resolves once the app answers. */
async function serve(command: string, clone: string): Promise<{ url: string; run: TRun }> {
	const [port, backendPort] = [await freePort(), await freePort()];
	const run = start(command, clone, {
		PORT: String(port),
		LOCAL_BACKEND_PORT: String(backendPort)
	});
	servers.push(run);
	phase(`${command} (PORT=${port} LOCAL_BACKEND_PORT=${backendPort})`);
	const url = `http://127.0.0.1:${port}`;
	await waitForHttp(`${url}/`, run);
	phase(`${url} answers`);
	return { url, run };
}

async function signIn(page: Page, url: string, email: string, password: string) {
	await page.goto(`${url}/staff`);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The open wave's running tally on the staff overview ("… {n} responses so far …"). */
async function inProgressCount(page: Page): Promise<number> {
	const pattern = new RegExp(
		staffMessages.en.dash_wave_in_progress
			.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
			.replace('{label}', '.+?')
			.replace('{n}', '([\\d,]+)')
	);
	const notice = page.getByTestId('overview-in-progress').first();
	await expect(notice).toHaveText(pattern);
	const n = pattern.exec((await notice.textContent()) ?? '')?.[1];
	return Number(n?.replace(/,/g, ''));
}

test('the two commands: npm run dev, a resident answers on a phone, staff see it counted', async ({
	page,
	browser,
	clone
}) => {
	const line = readmeCommands(readme, 'The two commands').find((l) => l.includes('npm run dev'));
	expect(line, 'README: the npm run dev command under "The two commands"').toBeTruthy();
	const commands = chained(line!);
	for (const command of commands.slice(0, -1)) await runSetup(command, clone);
	const { url, run } = await serve(commands.at(-1)!, clone);
	// With no PUBLIC_SUPABASE_URL the embedded backend started and printed its accounts.
	expect(run.output()).toContain('CivicPulse local backend');

	const analyst = demoAccounts(readme).get('analyst');
	expect(analyst, 'README: the analyst demo account').toBeTruthy();
	const staff = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const staffCsp = await watchCsp(staff);
	const staffPage = await staff.newPage();
	await signIn(staffPage, url, analyst!.email, analyst!.password);
	await expect(staffPage.getByTestId('staff-identity')).toContainText(analyst!.email);
	const before = await inProgressCount(staffPage);
	phase(`staff overview: ${before} responses so far`);

	// The resident, on a phone, follows the README's invitation link (the staff tallies count
	// the wave's invited sample; a plain-link answer is the separate open-link sample).
	const link = /`(\/s\/resident-survey\?code=[^`]+)`/.exec(readme)?.[1];
	expect(link, 'README: the demo invitation link').toBeTruthy();
	expect(page.viewportSize()!.width).toBeLessThan(500);
	await page.goto(`${url}${link}`);
	await expect(page.getByTestId('invitation-status')).toBeVisible();
	await completeSurvey(page, 'en', 'Tried it from a fresh clone.');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	await expect(page.getByText(m.thanks_sent)).toBeVisible();
	phase('survey sent');

	await expect(async () => {
		await staffPage.reload();
		expect(await inProgressCount(staffPage)).toBe(before + 1);
	}).toPass({ timeout: 30_000 });
	phase('counted on the staff overview');
	await staff.close();
	expect(staffCsp, 'Content-Security-Policy violations (staff)').toEqual([]);
});

test('try it offline: npm run build, npm run preview, answer offline, sent on reconnect', async ({
	page,
	context,
	clone
}) => {
	// Run alone (the first test skipped), the clone has no packages yet: the README's install.
	if (!existsSync(join(clone, 'node_modules')))
		for (const command of chained(
			readmeCommands(readme, 'The two commands').find((l) => l.includes('npm run dev'))!
		).filter((c) => /^npm ci\b/.test(c)))
			await runSetup(command, clone);

	const commands = readmeCommands(readme, 'Try it offline');
	expect(commands.at(-1), 'README: the preview command under "Try it offline"').toMatch(
		/npm run preview/
	);
	for (const command of commands.slice(0, -1)) await runSetup(command, clone);
	const { url, run } = await serve(commands.at(-1)!, clone);
	const serviceKey = /service_role key\s+(\S+)/.exec(run.output())?.[1];
	expect(serviceKey, 'npm run preview starts the embedded backend').toBeTruthy();
	const backendUrl = /API URL\s+(\S+)/.exec(run.output())![1];

	// Online once: the home page, then the survey from it (README step 1).
	const surveyLink = page.getByRole('link', { name: m.home_survey_title });
	await page.goto(`${url}/`);
	await waitForServiceWorker(page);
	await surveyLink.click();
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await page.goto(`${url}/`);
	await expect(surveyLink).toBeVisible();

	// Offline (step 2–3): reload, the home page, the survey, every answer.
	await context.setOffline(true);
	await page.reload();
	await surveyLink.click();
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	const id = await completeSurvey(page, 'en', 'Answered offline from a fresh clone.');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'queued');
	await expect(page.getByText(m.thanks_queued)).toBeVisible();
	phase('answered offline, queued');

	// Back online (step 4): sent by itself, and stored once.
	await context.setOffline(false);
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	await expect(page.getByTestId('sync-status')).toContainText(m.sync_sent);
	const res = await fetch(`${backendUrl}/rest/v1/responses?id=eq.${id}&select=id,mode`, {
		headers: { apikey: serviceKey!, authorization: `Bearer ${serviceKey}` }
	});
	expect(await res.json()).toEqual([{ id, mode: 'open' }]);
	phase('sent and stored');
});
