import { describe, expect, it } from 'vitest';
import { cellVisibility, type TAudience } from './suppression';

describe('small-cell suppression', () => {
	it.each<{ n: number; audience: TAudience; show: boolean; warn: boolean }>([
		{ n: 0, audience: 'staff', show: false, warn: false },
		{ n: 4, audience: 'staff', show: true, warn: true },
		{ n: 29, audience: 'public', show: false, warn: false },
		{ n: 30, audience: 'public', show: true, warn: true },
		{ n: 99, audience: 'public', show: true, warn: true },
		{ n: 100, audience: 'public', show: true, warn: false },
		{ n: 4, audience: 'export', show: false, warn: false },
		{ n: 5, audience: 'export', show: true, warn: true },
		{ n: 29, audience: 'public_export', show: false, warn: false },
		{ n: 1029, audience: 'public_export', show: true, warn: false }
	])('n = $n for $audience: show $show, warn $warn', ({ n, audience, show, warn }) => {
		const v = cellVisibility(n, audience);
		expect(v.show).toBe(show);
		expect(v.warn).toBe(warn);
		expect(v.reason === null).toBe(show);
	});

	it('explains why a cell is withheld', () => {
		expect(cellVisibility(12, 'public').reason).toBe('fewer than 30 respondents (n = 12)');
	});
});
