import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixture } from '$lib/survey/test-fixture';
import { MemoryStorage } from '$lib/test-storage';

// The early requests app.html starts are handed over once; anything odd falls back to a request
// of the app's own, so the resident always gets the same survey and configuration.
const env: Record<string, string | undefined> = {};
vi.mock('$env/dynamic/public', () => ({ env }));

const CONFIG = { supabaseUrl: 'https://city.example', anonKey: 'anon-key' };
const answer = (status: number, body: unknown) => ({ status, text: JSON.stringify(body) });

function earlyStart(boot: Record<string, unknown>) {
	vi.stubGlobal('window', { __civicpulseBoot: boot });
}

async function fresh() {
	vi.resetModules();
	return {
		boot: await import('./boot'),
		config: await import('./supabase/config'),
		definition: await import('./survey/definition')
	};
}

describe('early start from app.html', () => {
	let fetchMock: ReturnType<typeof vi.fn>;
	beforeEach(() => {
		vi.stubGlobal('localStorage', new MemoryStorage());
		fetchMock = vi.fn(async (url: string) =>
			url === '/config.json'
				? Response.json(CONFIG)
				: Response.json({ ...fixture, survey: { ...fixture.survey, slug: 'from-app' } })
		);
		vi.stubGlobal('fetch', fetchMock);
	});
	afterEach(() => vi.unstubAllGlobals());

	it('uses the early /config.json and the early survey answer, without asking again', async () => {
		earlyStart({
			config: Promise.resolve(CONFIG),
			survey: { slug: 'resident-survey', response: Promise.resolve(answer(200, fixture)) }
		});
		const { config, definition } = await fresh();
		expect(await config.loadConfig()).toEqual(CONFIG);
		expect(await definition.fetchDefinition('resident-survey')).toEqual(fixture);
		expect(fetchMock).not.toHaveBeenCalled();
		// The copy is cached on the device like any other fetch (offline next time).
		const { db } = await import('$lib/db/db');
		expect((await db.definitions.get('resident-survey'))?.definition).toEqual(fixture);
	});

	it('hands each early answer over once: a second load asks the network', async () => {
		earlyStart({
			survey: { slug: 'resident-survey', response: Promise.resolve(answer(200, fixture)) }
		});
		const { boot, definition } = await fresh();
		await definition.fetchDefinition('resident-survey');
		expect(boot.takeBootSurvey('resident-survey')).toBeUndefined();
		const again = await definition.fetchDefinition('resident-survey');
		expect(again?.survey.slug).toBe('from-app');
		expect(fetchMock).toHaveBeenCalledWith(
			'https://city.example/rest/v1/rpc/get_survey',
			expect.objectContaining({
				method: 'POST',
				body: JSON.stringify({ p_slug: 'resident-survey' })
			})
		);
	});

	it('falls back to its own requests when the early ones failed or were for another survey', async () => {
		earlyStart({
			config: Promise.reject(new TypeError('Failed to fetch')),
			survey: { slug: 'another-survey', response: Promise.resolve(answer(200, fixture)) }
		});
		const { config, definition } = await fresh();
		expect(await config.loadConfig()).toEqual(CONFIG);
		expect(fetchMock).toHaveBeenCalledWith('/config.json', expect.anything());
		const def = await definition.fetchDefinition('resident-survey');
		expect(def?.survey.slug).toBe('from-app');
	});

	it('an early "no such survey" answer means not found, and an early server error is an error', async () => {
		earlyStart({
			survey: {
				slug: 'gone',
				response: Promise.resolve(answer(404, { code: 'P0002', message: 'no open wave' }))
			}
		});
		let m = await fresh();
		expect(await m.definition.fetchDefinition('gone')).toBeNull();

		earlyStart({
			survey: {
				slug: 'broken',
				response: Promise.resolve(answer(500, { code: 'XX000', message: 'boom' }))
			}
		});
		m = await fresh();
		await expect(m.definition.fetchDefinition('broken')).rejects.toMatchObject({
			name: 'RpcError',
			status: 500,
			message: 'boom'
		});
	});
});
