import { describe, expect, it } from 'vitest';
import type { TScorecard } from '$domain/scorecard';
import { MemoryStorage } from '$lib/test-storage';
import { loadPublicScorecard, readCached } from './public-scorecard';

const card = (period: string | null): TScorecard => ({
	period,
	district: null,
	generated_at: '2026-11-22T08:00:00.000Z',
	goal_areas: []
});
const offline = () => Promise.reject(new TypeError('Failed to fetch'));

describe('public scorecard offline copy', () => {
	it('saves what it fetched and serves it when the network is gone', async () => {
		const storage = new MemoryStorage();
		const online = await loadPublicScorecard('2026-Q3', async (p) => card(p), storage);
		expect(online.source).toBe('network');
		const again = await loadPublicScorecard('2026-Q3', offline, storage);
		expect(again).toMatchObject({ source: 'cache', exact: true, card: { period: '2026-Q3' } });
	});

	it('falls back to the newest saved copy for a period never visited, and says so', async () => {
		const storage = new MemoryStorage();
		await loadPublicScorecard(null, async (p) => card(p), storage);
		const other = await loadPublicScorecard('2025', offline, storage);
		expect(other).toMatchObject({ source: 'cache', exact: false, card: { period: null } });
	});

	it('reports the failure when nothing was ever saved, and ignores corrupt copies', async () => {
		const storage = new MemoryStorage();
		storage.setItem('civicpulse.scorecard.v1:latest', '{not json');
		expect(readCached(null, storage)).toBeNull();
		await expect(loadPublicScorecard(null, offline, storage)).rejects.toThrow('Failed to fetch');
	});
});
