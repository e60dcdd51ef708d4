import { describe, expect, it } from 'vitest';
import {
	comparePeriods,
	formatMargin,
	displayNumber,
	formatMeasureValue,
	periodLabel,
	statusCounts,
	statusText,
	storedNumber,
	trendPoints
} from './format';

const pct = { unit: 'percent' };

describe('measure values are shown in the unit residents read', () => {
	it('shows every percent figure (a proportion 0..1) as a percentage with one decimal', () => {
		expect(formatMeasureValue('en', pct, 0.379)).toBe('37.9%');
		expect(formatMeasureValue('en', pct, 0.25)).toBe('25.0%');
		expect(formatMeasureValue('en', pct, 0.84)).toBe('84.0%');
		expect(formatMeasureValue('es', pct, 0.379)).toBe('37,9\u00a0%');
	});
	it('has no guess: a tiny share stays tiny, and 1 is 100 %', () => {
		expect(formatMeasureValue('en', pct, 0.004)).toBe('0.4%');
		expect(formatMeasureValue('en', pct, 1)).toBe('100.0%');
		expect(displayNumber(pct, 0.187)).toBe(18.7);
	});
	it('rounds ties the way the database does (half away from zero on the decimal value)', () => {
		// 0.7915 is 0.79149999… in binary; PostgreSQL reads it as 0.7915 and rounds to 0.792.
		expect(formatMeasureValue('en', pct, 0.7915)).toBe('79.2%');
		expect(displayNumber(pct, 0.7915)).toBe(79.2);
		expect(formatMeasureValue('en', { unit: 'minutes' }, 6.545)).toBe('6.55 minutes');
	});
	it('turns the points people type into the stored proportion', () => {
		expect(storedNumber(pct, 76)).toBe(0.76);
		expect(storedNumber(pct, 18.7)).toBe(0.187);
		expect(storedNumber({ unit: 'days' }, 28)).toBe(28);
	});
	it('names time units in the reader’s language', () => {
		const m = { unit: 'minutes' };
		expect(formatMeasureValue('en', m, 6.5)).toBe('6.5 minutes');
		expect(formatMeasureValue('es', m, 6.5)).toBe('6,5 minutos');
	});
	it('groups thousands and shows a dash when there is no value', () => {
		const m = { unit: 'hours' };
		expect(formatMeasureValue('en', m, 42000)).toBe('42,000 hours');
		expect(formatMeasureValue('en', m, null)).toBe('—');
	});
	it('gives the margin of a percentage in points, one wording everywhere, and nothing without one', () => {
		expect(formatMargin('en', pct, 0.021)).toBe('± 2.1 points');
		expect(formatMargin('es', pct, 0.021)).toBe('± 2,1 puntos');
		expect(formatMargin('en', pct, null)).toBe('');
		expect(formatMargin('en', { unit: 'minutes' }, 0.3)).toBe('± 0.3');
	});
});

describe('status is spelled out, including targets not met', () => {
	it('has words for every status in both languages', () => {
		expect(statusText('en', 'not_met')).toBe('Target not met');
		expect(statusText('es', 'not_met')).toBe('Meta no cumplida');
		expect(statusText('en', 'within_margin')).toMatch(/margin of error/);
	});
	it('counts statuses for the page summary', () => {
		expect(
			statusCounts(['met', 'not_met', 'not_met', 'within_margin', 'no_data', 'no_target'])
		).toEqual({
			met: 1,
			notmet: 2,
			within: 1,
			none: 2
		});
	});
});

describe('periods', () => {
	it('charts only points of the latest point’s granularity', () => {
		const trend = [{ period: '2025-Q4' }, { period: '2025' }, { period: '2026-Q1' }];
		expect(trendPoints(trend, '2026-Q1').map((p) => p.period)).toEqual(['2025-Q4', '2026-Q1']);
		expect(trendPoints(trend, '2025').map((p) => p.period)).toEqual(['2025']);
	});
	it('labels quarters per language and keeps years as they are', () => {
		expect(periodLabel('en', '2026-Q3')).toBe('Q3 2026');
		expect(periodLabel('es', '2026-Q3')).toBe('T3 2026');
		expect(periodLabel('en', '2026')).toBe('2026');
	});
	it('orders quarters in time with the year after its last quarter', () => {
		const sorted = ['2026', '2025-Q4', '2026-Q1', '2025', '2026-Q4'].sort(comparePeriods);
		expect(sorted).toEqual(['2025-Q4', '2025', '2026-Q1', '2026-Q4', '2026']);
	});
});
