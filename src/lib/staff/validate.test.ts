import { describe, expect, it } from 'vitest';
import {
	makePeriod,
	parseNumber,
	validateMeasure,
	validateWave,
	validateNarrative,
	validateTarget,
	validateValue
} from './validate';

const target = { measure_id: 'm1', year: '2026', quarter: '3', value: '85', unit: 'percent' };

describe('target form', () => {
	it('accepts a quarterly percent target', () => {
		expect(validateTarget('en', target)).toEqual([]);
		expect(makePeriod('2026', '3')).toBe('2026-Q3');
		expect(makePeriod('2026', '')).toBe('2026');
	});
	it('explains each wrong field, naming the input it belongs to', () => {
		const errors = validateTarget('en', { ...target, measure_id: '', year: '26', value: 'abc' });
		expect(errors.map((e) => e.field)).toEqual(['target-measure', 'target-year', 'target-value']);
		expect(errors[2].message).toBe('Target value must be a number');
	});
	it('refuses a percentage above 100, in Spanish too', () => {
		const [e] = validateTarget('es', { ...target, value: '150' });
		expect(e.field).toBe('target-value');
		expect(e.message).toMatch(/entre 0 y 100/);
	});
	it('allows any number for non-percent units and reads a decimal comma', () => {
		expect(validateTarget('en', { ...target, unit: 'hours', value: '168000' })).toEqual([]);
		expect(parseNumber('6,5')).toBe(6.5);
		expect(parseNumber(' ')).toBeNull();
		expect(parseNumber('1.2.3')).toBeNaN();
	});
});

describe('value form', () => {
	it('checks n is a whole number and the margin is not negative', () => {
		const errors = validateValue('en', { ...target, n: '10.5', margin: '-1' });
		expect(errors.map((e) => e.field)).toEqual(['value-n', 'value-margin']);
	});
});

describe('narrative form', () => {
	it('needs a period and both languages', () => {
		const errors = validateNarrative('en', {
			subject: 'measure',
			subject_id: 'm1',
			period: '2026-Q5',
			en: 'Why',
			es: '  '
		});
		expect(errors.map((e) => e.field)).toEqual(['narrative-period', 'narrative-es']);
	});
});

describe('measure form', () => {
	it('mirrors the database rules: key pattern, unit pattern, survey needs a question', () => {
		const errors = validateMeasure('en', {
			goal_id: 'g',
			key: 'Bad Key',
			name_en: 'x',
			name_es: 'y',
			unit: 'per cent',
			kind: 'survey',
			question_id: ''
		});
		expect(errors.map((e) => e.field)).toEqual(['measure-key', 'measure-unit', 'measure-question']);
	});
});

describe('survey wave form', () => {
	const now = new Date('2026-06-01T12:00:00Z');
	const wave = {
		survey_id: 's1',
		label: '2027 resident survey',
		period: '2027',
		mode: 'both',
		opens_at: '2027-01-04T09:00',
		closes_at: '',
		results_published: false
	};

	it('accepts a wave with no closing time, and checks label, period, mode and dates', () => {
		expect(validateWave('en', wave, now)).toEqual([]);
		const errors = validateWave(
			'en',
			{ ...wave, survey_id: '', label: ' ', period: '27', mode: 'mail', opens_at: '' },
			now
		);
		expect(errors.map((e) => e.field)).toEqual([
			'wave-survey',
			'wave-label',
			'wave-period',
			'wave-mode',
			'wave-opens'
		]);
		expect(validateWave('en', { ...wave, closes_at: '2027-01-04T09:00' }, now)).toEqual([
			{ field: 'wave-closes', message: 'The wave must close after it opens' }
		]);
	});

	it('publishes results only of a wave that has closed', () => {
		const open = { ...wave, opens_at: '2026-01-05T09:00', results_published: true };
		expect(validateWave('en', open, now).map((e) => e.field)).toEqual(['wave-published']);
		expect(
			validateWave('en', { ...open, closes_at: '2026-07-01T09:00' }, now).map((e) => e.field)
		).toEqual(['wave-published']); // closes later: still open now
		expect(validateWave('es', { ...open, closes_at: '2026-05-01T09:00' }, now)).toEqual([]);
	});

	it('takes an optional whole-number limit of open-link responses per network per hour', () => {
		for (const ok of ['', ' ', '1', '20', '100000']) {
			expect(validateWave('en', { ...wave, open_limit_per_hour: ok }, now), ok).toEqual([]);
		}
		for (const bad of ['0', '-5', '2.5', 'ten', '100001']) {
			expect(validateWave('en', { ...wave, open_limit_per_hour: bad }, now), bad).toEqual([
				{ field: 'wave-limit', message: 'Enter a whole number from 1 to 100000, or leave it empty' }
			]);
		}
		expect(validateWave('es', { ...wave, open_limit_per_hour: '0' }, now)[0].message).toBe(
			'Escriba un número entero de 1 a 100000, o déjelo vacío'
		);
	});
});
