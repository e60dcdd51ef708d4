import { describe, expect, it } from 'vitest';
import { fixture } from '$lib/survey/test-fixture';
import { answerErrorMessage, formatAnswer } from './survey-text';

const q = (key: string) => fixture.questions.find((x) => x.key === key)!;

describe('survey wording', () => {
	it('names the question in each error message, in the resident language', () => {
		expect(answerErrorMessage('en', { code: 'required' }, q('q3_01'))).toBe(
			'Answer this question: Police services'
		);
		expect(answerErrorMessage('es', { code: 'required' }, q('q3_01'))).toBe(
			'Responda esta pregunta: Servicios de policía'
		);
		expect(answerErrorMessage('en', { code: 'too_long', max: 1 }, q('q5a'))).toBe(
			'Use 1 character or fewer for: Prompt q5a'
		);
		expect(answerErrorMessage('es', { code: 'out_of_range', min: 0, max: 100 }, q('years'))).toBe(
			'Escriba un número entre 0 y 100 para: Pregunta years'
		);
		expect(
			answerErrorMessage('en', { code: 'out_of_range', min: 0, max: null }, q('years'))
		).toContain('at least 0');
	});

	it('reads answers back as the resident saw them', () => {
		expect(formatAnswer('en', q('q3_01'), 4)).toBe('Satisfied');
		expect(formatAnswer('es', q('q3_01'), 9)).toBe('No sé');
		expect(formatAnswer('en', q('q1_01'), 2)).toBe('Below average');
		expect(formatAnswer('es', q('q4'), ['q3_02', 'q3_01', ''])).toBe(
			'1. Servicios de bomberos; 2. Servicios de policía'
		);
		expect(formatAnswer('en', q('q5b'), ['a', 'b'])).toBe('A and B');
		expect(formatAnswer('es', q('district'), '3')).toBe('Distrito 3');
		expect(formatAnswer('en', q('zip'), undefined)).toBe('Not answered');
		expect(formatAnswer('es', q('years'), 1500.5)).toBe('1500,5');
	});
});
