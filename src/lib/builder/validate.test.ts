import { describe, expect, it } from 'vitest';
import { fromDraft, newQuestion, toDefinition, type TDraft, type TDraftQuestion } from './model';
import { validateDraft } from './validate';

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const L = (en: string, es: string) => ({ en, es });

function q(key: string, kind: TDraftQuestion['kind'], extra: Partial<TDraftQuestion> = {}) {
	return { ...newQuestion(kind, key, uuid), prompt: L(`About ${key}`, `Sobre ${key}`), ...extra };
}

function survey(questions: TDraftQuestion[]): TDraft {
	return {
		id: uuid(),
		slug: 'resident-2027',
		title: L('Resident survey', 'Encuesta'),
		intro: L('Tell us', 'Díganos'),
		languages: ['en', 'es'],
		sections: [
			{
				id: 'p1',
				key: 'services',
				title: L('Services', 'Servicios'),
				description: L('', ''),
				questions
			}
		]
	};
}

const streets = () => q('q_streets', 'satisfaction5', { service_category: 'streets' });
const parks = () => q('q_parks', 'rating5', { service_category: 'parks' });
const police = () => q('q_police', 'satisfaction5', { service_category: 'police' });
const top3 = (keys = ['streets', 'parks', 'police']) =>
	q('q_top3', 'importance_top3', { options: keys.map((k) => ({ key: k, label: L(k, k) })) });

describe('validateDraft', () => {
	it('accepts a complete two-language survey with skip logic and a top-3 question', () => {
		const contacted = q('q_contacted', 'single');
		const follow = q('q_follow', 'satisfaction5', {
			show_if: { question: 'q_contacted', op: 'eq', values: ['yes'] }
		});
		const d = survey([streets(), parks(), police(), top3(), contacted, follow]);
		expect(validateDraft('en', d)).toEqual([]);
		const def = toDefinition(fromDraft(d));
		expect(def.questions.find((x) => x.key === 'q_follow')?.show_if).toEqual({
			question: 'q_contacted',
			op: 'eq',
			value: 'yes'
		});
		expect(def.questions.map((x) => x.position)).toEqual([1, 2, 3, 4, 5, 6]);
	});

	it('names a missing translation, in the admin’s language, on the control that lacks it', () => {
		const s = streets();
		s.prompt.es = '  ';
		s.help = L('Only if you drive', '');
		const errors = validateDraft('en', survey([s]));
		expect(errors).toContainEqual({
			field: `b-q-${s.id}-prompt-es`,
			message: 'The wording of q_streets has no Spanish text',
			question: s.id
		});
		expect(errors).toContainEqual(
			expect.objectContaining({ field: `b-q-${s.id}-help-es`, question: s.id })
		);
		expect(validateDraft('es', survey([s])).map((e) => e.message)).toContain(
			'La redacción de q_streets no tiene texto en español'
		);
	});

	it('refuses skip logic that points to the question itself, to a later one, or to nothing', () => {
		const self = q('q_a', 'single', { show_if: { question: 'q_a', op: 'answered', values: [] } });
		const forward = q('q_b', 'text', { show_if: { question: 'q_c', op: 'answered', values: [] } });
		const later = q('q_c', 'single');
		const unknown = q('q_d', 'text', { show_if: { question: 'q_zz', op: 'answered', values: [] } });
		const messages = validateDraft('en', survey([self, forward, later, unknown])).map(
			(e) => e.message
		);
		expect(messages).toContain('q_a cannot depend on itself');
		expect(messages).toContain(
			'q_b depends on “q_c”, which comes later: skip logic may only look at earlier questions'
		);
		expect(messages).toContain('q_d depends on “q_zz”, which is not a question of this survey');
	});

	it('refuses a skip-logic answer that the earlier question does not offer', () => {
		const contacted = q('q_contacted', 'single');
		const follow = q('q_follow', 'text', {
			show_if: { question: 'q_contacted', op: 'in', values: ['maybe'] }
		});
		expect(validateDraft('en', survey([contacted, follow])).map((e) => e.message)).toEqual([
			'The skip logic of q_follow uses “maybe”, which is not an option of q_contacted'
		]);
	});

	it('refuses an importance item that is not in the service list', () => {
		const errors = validateDraft(
			'en',
			survey([streets(), parks(), police(), top3(['streets', 'parks', 'trash'])])
		);
		expect(errors.map((e) => e.message)).toEqual([
			'Importance item “trash” of q_top3 is not in the service list: no satisfaction or rating question has that service category'
		]);
		expect(errors[0].field).toMatch(/-opt-2-key$/);
	});

	it('refuses duplicate keys: questions, options, pages and service categories', () => {
		const a = streets();
		const b = q('q_streets', 'satisfaction5', { service_category: 'streets' });
		const single = q('q_x', 'single', {
			options: [
				{ key: 'yes', label: L('Yes', 'Sí') },
				{ key: 'yes', label: L('Yes again', 'Sí otra vez') }
			]
		});
		const d = survey([a, b, single]);
		d.sections.push({
			id: 'p2',
			key: 'services',
			title: L('More', 'Más'),
			description: L('', ''),
			questions: [q('q_y', 'zip')]
		});
		const messages = validateDraft('en', d, { reservedSectionKeys: [] }).map((e) => e.message);
		expect(messages).toContain('Key “q_streets” is used by more than one question');
		expect(messages).toContain('Option key “yes” is used twice in q_x');
		expect(messages).toContain('Page key “services” is already used by another page');
		expect(messages).toContain(
			'Service category “streets” is used by two rated questions; the importance list needs one'
		);
		// A page key of an earlier version (hidden page) is taken too.
		const fresh = survey([q('q_z', 'zip')]);
		expect(
			validateDraft('en', fresh, { reservedSectionKeys: ['services'] }).map((e) => e.message)
		).toEqual(['Page key “services” is already used by another page']);
	});

	it('checks limits and empty pages', () => {
		const num = q('q_n', 'number', { min: '10', max: '2' });
		const text = q('q_t', 'text', { max_length: '5000' });
		const d = survey([num, text]);
		d.sections.push({
			id: 'p2',
			key: 'empty',
			title: L('Empty', 'Vacía'),
			description: L('', ''),
			questions: []
		});
		expect(validateDraft('en', d).map((e) => e.message)).toEqual([
			'Page 2 has no questions: add one or remove the page',
			'The largest number of q_n is smaller than its smallest',
			'The length limit of q_t must be a whole number from 1 to 4000'
		]);
	});
});
