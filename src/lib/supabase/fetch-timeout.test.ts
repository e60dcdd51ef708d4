import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithTimeout } from './fetch-timeout';

// A backend that reads the request and never answers (a proxy or captive portal swallowing it),
// except on /ok.
let server: Server;
let url = '';
const held: ServerResponse[] = [];
beforeAll(async () => {
	server = createServer((req, res) => {
		req.resume();
		if (req.url === '/ok') res.end('fine');
		else held.push(res);
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	for (const res of held) res.destroy();
	server.closeAllConnections();
	await new Promise((ok) => server.close(ok));
});

describe('fetchWithTimeout (every supabase-js request)', () => {
	it('fails a request the network never answers instead of waiting forever', async () => {
		const started = Date.now();
		const error = await fetchWithTimeout(300)(`${url}/hang`, { method: 'POST', body: '[]' }).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).name).toMatch(/TimeoutError|AbortError/);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('passes answers through and keeps the caller’s own abort signal working', async () => {
		const res = await fetchWithTimeout(5_000)(`${url}/ok`);
		expect(await res.text()).toBe('fine');

		const controller = new AbortController();
		const pending = fetchWithTimeout(60_000)(`${url}/hang`, { signal: controller.signal });
		controller.abort();
		await expect(pending).rejects.toThrow();
	});
});
