/**
 * Survey-specific wording in the resident's language: error messages for validation codes and
 * how an answer reads back on the review step. Pure (language passed in) so it is unit-tested.
 */
import { DONT_KNOW, type TAnswerValue, type TLanguage, type TQuestion } from '$domain/survey';
import type { TAnswerError } from '$lib/survey/logic';
import { localize, translate, translatePlural } from './format';
import type { TMessageKey } from './types';

export function answerErrorMessage(
	lang: TLanguage,
	error: TAnswerError,
	question: TQuestion
): string {
	const prompt = localize(lang, question.prompt);
	switch (error.code) {
		case 'too_long':
			return translatePlural(lang, 'error_too_long', error.max, { prompt });
		case 'out_of_range':
			if (error.min !== null && error.max !== null)
				return translate(lang, 'error_out_of_range', { min: error.min, max: error.max, prompt });
			if (error.min !== null)
				return translate(lang, 'error_out_of_range_min', { min: error.min, prompt });
			return translate(lang, 'error_out_of_range_max', { max: error.max ?? '', prompt });
		default:
			return translate(lang, `error_${error.code}` as TMessageKey, { prompt });
	}
}

export function formatAnswer(
	lang: TLanguage,
	question: TQuestion,
	value: TAnswerValue | undefined
): string {
	if (
		value === undefined ||
		value === '' ||
		(Array.isArray(value) && value.every((v) => v === ''))
	) {
		return translate(lang, 'survey_not_answered');
	}
	const label = (key: string) => {
		const option = question.options?.find((o) => o.key === key);
		return option ? localize(lang, option.label) : key;
	};
	switch (question.kind) {
		case 'satisfaction5':
		case 'rating5': {
			if (value === DONT_KNOW) return translate(lang, 'scale_dont_know');
			const prefix = question.kind === 'rating5' ? 'scale_rating_' : 'scale_satisfaction_';
			return translate(lang, `${prefix}${value}` as TMessageKey);
		}
		case 'importance_top3':
			return (value as string[])
				.filter((v) => v !== '')
				.map((v, i) => `${i + 1}. ${label(v)}`)
				.join('; ');
		case 'multi':
			return new Intl.ListFormat(lang, { type: 'conjunction' }).format(
				(value as string[]).map(label)
			);
		case 'single':
		case 'district':
			return label(String(value));
		case 'number':
			return typeof value === 'number' ? new Intl.NumberFormat(lang).format(value) : String(value);
		default:
			return String(value);
	}
}
