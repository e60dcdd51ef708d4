import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '$lib/test-storage';

const env: Record<string, string | undefined> = {};
vi.mock('$env/dynamic/public', () => ({ env }));

async function freshConfig() {
	vi.resetModules();
	return (await import('./config')).loadConfig;
}

describe('runtime configuration', () => {
	beforeEach(() => {
		vi.stubGlobal('localStorage', new MemoryStorage());
		delete env.PUBLIC_SUPABASE_URL;
		delete env.PUBLIC_SUPABASE_ANON_KEY;
	});
	afterEach(() => vi.unstubAllGlobals());

	it('uses /config.json beside the build first, and remembers it for offline starts', async () => {
		env.PUBLIC_SUPABASE_URL = 'https://build-time.example';
		env.PUBLIC_SUPABASE_ANON_KEY = 'build-key';
		const fetchMock = vi.fn(async () =>
			Response.json({ supabaseUrl: 'https://city.example/', anonKey: 'runtime-key' })
		);
		vi.stubGlobal('fetch', fetchMock);
		expect(await (await freshConfig())()).toEqual({
			supabaseUrl: 'https://city.example',
			anonKey: 'runtime-key'
		});
		expect(fetchMock).toHaveBeenCalledWith(
			'/config.json',
			expect.objectContaining({ cache: 'no-store' })
		);

		// Next start, offline: the remembered copy wins over the build-time values.
		vi.stubGlobal(
			'fetch',
			vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')))
		);
		expect((await (await freshConfig())()).anonKey).toBe('runtime-key');
	});

	it('falls back to the build-time PUBLIC_ variables when the host ships no config.json', async () => {
		env.PUBLIC_SUPABASE_URL = 'http://127.0.0.1:54321';
		env.PUBLIC_SUPABASE_ANON_KEY = 'anon';
		vi.stubGlobal(
			'fetch',
			vi.fn(async () => new Response('<!doctype html>', { status: 404 }))
		);
		expect(await (await freshConfig())()).toEqual({
			supabaseUrl: 'http://127.0.0.1:54321',
			anonKey: 'anon'
		});
	});

	it('ignores a malformed config.json and says clearly what is missing when nothing is configured', async () => {
		vi.stubGlobal(
			'fetch',
			vi.fn(async () => Response.json({ supabaseUrl: 'not a url' }))
		);
		const load = await freshConfig();
		await expect(load()).rejects.toThrow(/config\.json.*PUBLIC_SUPABASE_URL/);
		// A failure is not cached: configuring later works without a reload of the module.
		env.PUBLIC_SUPABASE_URL = 'http://127.0.0.1:54321';
		env.PUBLIC_SUPABASE_ANON_KEY = 'anon';
		expect((await load()).supabaseUrl).toBe('http://127.0.0.1:54321');
	});
});
