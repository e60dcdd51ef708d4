import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/**
 * The newcomer's path (tests/newcomer/): the README's own commands run in a fresh clone of this
 * repository's HEAD (commit first), each test starting and stopping its servers itself, so
 * there is no global setup and nothing needs to be built beforehand.
 *
 *   npm run test:newcomer        NEWCOMER_NPM_CI=1 runs the README's `npm ci` for real
 *                                (otherwise node_modules is hard-linked from this checkout)
 */
export default defineConfig({
	...base,
	testDir: './newcomer',
	globalSetup: undefined,
	// Per test. The first `npm run dev` of a clone migrates and seeds its database: 1 to 2 min on a
	// busy two-core machine. A real `npm ci` (NEWCOMER_NPM_CI=1) took over three minutes more.
	timeout: process.env.NEWCOMER_NPM_CI === '1' ? 720_000 : 300_000,
	expect: { timeout: 20_000 }
});
