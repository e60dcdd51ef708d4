/**
 * The survey as an installed app (issue 3 item 3–4): Chromium finds the app installable from its
 * manifest (icons including a maskable one, standalone display), and the outbox uses Background
 * Sync: a submit that could not be sent asks the browser for a sync (and for persistent storage),
 * and the browser's sync event makes the page send at once instead of waiting for its backoff
 * timer.
 */
import { expect, serviceSelect, SLUG, test, waitForServiceWorker } from './helpers/fixtures';
import { completeSurvey, messages } from './helpers/survey-flow';

const m = messages.en;

test('Chromium can install the app: manifest, icons (with a maskable one) and a service worker', async ({
	page
}) => {
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await waitForServiceWorker(page);
	const cdp = await page.context().newCDPSession(page);
	const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
	// Playwright's browser contexts are incognito profiles, where Chromium never offers an
	// install; every other reason (manifest, icons, service worker, start URL) must be absent.
	expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);

	const { url, errors, data } = await cdp.send('Page.getAppManifest');
	expect(errors).toEqual([]);
	expect(new URL(url).pathname).toBe('/manifest.webmanifest');
	const manifest = JSON.parse(data ?? '{}') as {
		name: string;
		start_url: string;
		display: string;
		icons: { src: string; sizes: string; type: string; purpose?: string }[];
	};
	expect(manifest).toMatchObject({ name: 'CivicPulse', start_url: '/', display: 'standalone' });
	const sizes = manifest.icons.map((i) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ''}`);
	expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512', '512x512 maskable']));
	// Every icon is a real PNG of the size it claims.
	for (const icon of manifest.icons) {
		const size = await page.evaluate(async (src) => {
			const bitmap = await createImageBitmap(await (await fetch(src)).blob());
			return `${bitmap.width}x${bitmap.height}`;
		}, icon.src);
		expect(size, icon.src).toBe(icon.sizes);
	}
});

test('Background Sync: an unsent response asks for a sync, and the sync event sends it at once', async ({
	page
}) => {
	// Queued responses live only in IndexedDB: the first submit asks the browser not to evict it.
	await page.addInitScript(() => {
		const storage = navigator.storage;
		const persist = storage.persist.bind(storage);
		(window as unknown as { persistAsked: number }).persistAsked = 0;
		storage.persist = () => {
			(window as unknown as { persistAsked: number }).persistAsked++;
			return persist();
		};
		storage.persisted = async () => false;
	});
	await page.goto(`/s/${SLUG}`);
	await expect(page.getByRole('button', { name: m.survey_start })).toBeVisible();
	await waitForServiceWorker(page);

	// The network is up but the backend cannot be reached: every send fails and is retried with
	// backoff (1–2 s, 2–4 s, then 4–8 s).
	let attempts = 0;
	await page.route('**/rest/v1/rpc/submit_responses', (route) => {
		if (route.request().method() !== 'POST') return route.continue();
		attempts++;
		return route.abort('connectionrefused');
	});
	const id = await completeSurvey(page, 'en', 'Sent by Background Sync.');
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'queued');
	expect(
		await page.evaluate(() => (window as unknown as { persistAsked: number }).persistAsked)
	).toBe(1);
	await expect
		.poll(() => attempts, { timeout: 20_000, intervals: [100] })
		.toBeGreaterThanOrEqual(3);

	// The submit asked the browser for a sync with the outbox's tag.
	const tags = await page.evaluate(async () => {
		const reg = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
			sync?: { getTags(): Promise<string[]> };
		};
		return reg.sync ? await reg.sync.getTags() : null;
	});
	expect(tags).toContain('civicpulse-outbox');

	// The backend is back; the browser fires the sync event (as it would when it sees the
	// connection return). The next backoff retry is at least 4 s after the third failure, so a
	// send within 2 s of the sync event, well before that retry, was caused by the event.
	await page.unroute('**/rest/v1/rpc/submit_responses');
	const cdp = await page.context().newCDPSession(page);
	const registration = new Promise<string>((resolve) => {
		cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
			const active = registrations.find((r) => !r.isDeleted);
			if (active) resolve(active.registrationId);
		});
	});
	await cdp.send('ServiceWorker.enable');
	const origin = new URL(page.url()).origin;
	const sent = page.waitForRequest(
		(r) => r.url().endsWith('/rpc/submit_responses') && r.method() === 'POST',
		{ timeout: 2_000 }
	);
	await cdp.send('ServiceWorker.dispatchSyncEvent', {
		origin,
		registrationId: await registration,
		tag: 'civicpulse-outbox',
		lastChance: false
	});
	await sent;
	await expect(page.getByTestId('receipt-status')).toHaveAttribute('data-status', 'sent');
	expect(await serviceSelect('responses', `id=eq.${id}&select=id`)).toEqual([{ id }]);
});
