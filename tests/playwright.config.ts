import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests of the BUILT app (run `npm run build` first) in Debian's Chromium at a phone
 * viewport. global-setup starts the embedded backend (temp data dir, seeded) and the static
 * server on free ports; the app finds the backend through /config.json.
 */
export default defineConfig({
	testDir: './e2e',
	testMatch: '**/*.spec.ts',
	globalSetup: './e2e/helpers/global-setup.ts',
	fullyParallel: false,
	workers: 1, // two shared cores and one backend process
	retries: 0,
	timeout: 90_000,
	expect: { timeout: 15_000 },
	reporter: [['list']],
	// Several people may run the suite at once on one machine: E2E_OUTPUT_DIR keeps runs apart.
	outputDir: process.env.E2E_OUTPUT_DIR ?? '../test-results',
	use: {
		...devices['Pixel 5'],
		browserName: 'chromium',
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		},
		serviceWorkers: 'allow',
		trace: 'retain-on-failure'
	}
});
