import { describe, expect, it } from 'vitest';
import { en } from './en';
import { es } from './es';
import { dictionaries, localize, translate, translatePlural } from './format';

describe('messages', () => {
	it('has every English key in Spanish with the same shape and the same parameters', () => {
		const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
		for (const [key, value] of Object.entries(en)) {
			const other = (es as Record<string, unknown>)[key];
			if (typeof value === 'string') {
				expect(typeof other, key).toBe('string');
				expect(params(other as string), key).toEqual(params(value));
				expect((other as string).trim(), key).not.toBe('');
			} else {
				expect(typeof other, key).toBe('object');
				expect(params((other as { other: string }).other), key).toEqual(params(value.other));
			}
		}
	});

	it('chooses plural forms with the platform rules in each language', () => {
		expect(translatePlural('en', 'sync_waiting', 1)).toBe('1 response waiting to send');
		expect(translatePlural('en', 'sync_waiting', 2)).toBe('2 responses waiting to send');
		expect(translatePlural('es', 'sync_waiting', 1)).toBe('1 respuesta pendiente de envío');
		expect(translatePlural('es', 'sync_waiting', 0)).toBe('0 respuestas pendientes de envío');
		expect(translatePlural('en', 'sync_waiting', 1000)).toBe('1,000 responses waiting to send');
	});

	it('fills parameters and leaves unknown placeholders visible', () => {
		expect(translate('es', 'survey_progress', { page: 2, total: 5 })).toBe('Página 2 de 5');
		expect(translate('en', 'invitation_used', {})).toContain('{code}');
		expect(Object.keys(dictionaries)).toEqual(['en', 'es']);
	});

	it('shows survey content in the chosen language, falling back to English when blank', () => {
		expect(localize('es', { en: 'Streets', es: 'Calles' })).toBe('Calles');
		expect(localize('es', { en: 'Streets', es: ' ' })).toBe('Streets');
		expect(localize('en', null)).toBe('');
	});
});

it('reports the language actually shown, so fallback content gets its own lang attribute', async () => {
	const { displayedLanguage } = await import('./format');
	expect(displayedLanguage('es', { en: 'Streets', es: 'Calles' })).toBe('es');
	expect(displayedLanguage('es', { en: 'Streets', es: '' })).toBe('en');
	expect(displayedLanguage('en', null)).toBe('en');
});
