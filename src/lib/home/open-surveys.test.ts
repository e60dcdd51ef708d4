import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '$lib/test-storage';
import { loadOpenSurveys, openSurveysFrom } from './open-surveys';

const title = (en: string) => ({ en, es: en });

describe('the home page offers the surveys open now', () => {
	it('lists each open survey once, by its own address', () => {
		expect(
			openSurveysFrom([
				{ mode: 'invited', surveys: { slug: 'resident-survey', title: title('Residents') } },
				{ mode: 'open', surveys: { slug: 'resident-survey', title: title('Residents') } },
				{ mode: 'open', surveys: { slug: 'parks-2026', title: title('Parks') } },
				{ mode: 'open', surveys: null }
			])
		).toEqual([
			{ slug: 'resident-survey', title: title('Residents'), mode: 'both' },
			{ slug: 'parks-2026', title: title('Parks'), mode: 'open' }
		]);
	});

	it('keeps the last list for offline visits, and says it is the saved copy', async () => {
		const storage = new MemoryStorage();
		const online = await loadOpenSurveys(storage, async () => [
			{ mode: 'open', surveys: { slug: 's1', title: title('One') } }
		]);
		expect(online).toEqual({
			source: 'network',
			surveys: [{ slug: 's1', title: title('One'), mode: 'open' }]
		});
		const offline = async () => {
			throw new TypeError('Failed to fetch');
		};
		expect(await loadOpenSurveys(storage, offline)).toEqual({ ...online, source: 'cache' });
		expect(await loadOpenSurveys(new MemoryStorage(), offline)).toBeNull();
	});
});
