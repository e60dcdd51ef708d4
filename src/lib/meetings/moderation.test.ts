import { describe, expect, it } from 'vitest';
import { openNow } from './moderation';

describe('openNow', () => {
	const now = new Date('2026-06-10T12:00:00Z');
	it('opens comments now, lifting only a window bound that would keep them closed', () => {
		expect(openNow({ comments_open_from: null, comments_open_until: null }, now)).toEqual({
			comments_open: true
		});
		expect(
			openNow(
				{ comments_open_from: '2026-06-11T00:00:00Z', comments_open_until: '2026-06-12T00:00:00Z' },
				now
			)
		).toEqual({ comments_open: true, comments_open_from: null });
		expect(
			openNow(
				{ comments_open_from: '2026-06-01T00:00:00Z', comments_open_until: '2026-06-10T11:00:00Z' },
				now
			)
		).toEqual({ comments_open: true, comments_open_until: null });
	});
});
