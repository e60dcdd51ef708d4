import { describe, expect, it } from 'vitest';
import {
	comparePeriods,
	formatMargin,
	formatMeasureValue,
	percentScale,
	periodLabel,
	statusCounts,
	statusText,
	trendPoints
} from './format';

const survey = { unit: 'percent', kind: 'survey' as const };
const op = { unit: 'percent', kind: 'operational' as const };

describe('measure values are shown in the unit residents read', () => {
	it('shows a survey proportion as a percentage with one decimal', () => {
		expect(formatMeasureValue('en', survey, 0.379)).toBe('37.9%');
	});
	it('does not multiply survey figures already stored in percent points (imports, targets)', () => {
		expect(percentScale(survey, 37.9)).toBe(1);
		expect(formatMeasureValue('en', survey, 37.9)).toBe('37.9%');
		expect(formatMeasureValue('en', survey, 25)).toBe('25.0%');
	});
	it('scales a margin like the value it belongs to, so 0.8 points stays 0.8', () => {
		expect(formatMargin('en', survey, 0.8, 5.1)).toBe('± 0.8 points');
		expect(formatMargin('en', survey, 0.021, 0.19)).toBe('± 2.1 points');
	});
	it('keeps operational percentages as stored (0..100)', () => {
		expect(formatMeasureValue('en', op, 84)).toBe('84.0%');
	});
	it('names time units in the reader’s language', () => {
		const m = { unit: 'minutes', kind: 'operational' as const };
		expect(formatMeasureValue('en', m, 6.5)).toBe('6.5 minutes');
		expect(formatMeasureValue('es', m, 6.5)).toBe('6,5 minutos');
	});
	it('groups thousands and shows a dash when there is no value', () => {
		const m = { unit: 'hours', kind: 'operational' as const };
		expect(formatMeasureValue('en', m, 42000)).toBe('42,000 hours');
		expect(formatMeasureValue('en', m, null)).toBe('—');
	});
	it('gives the margin of a percentage in points, and nothing without a margin', () => {
		expect(formatMargin('en', survey, 0.021, 0.5)).toBe('± 2.1 points');
		expect(formatMargin('es', op, 2.1, 84)).toBe('± 2,1 puntos');
		expect(formatMargin('en', op, null, 84)).toBe('');
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
