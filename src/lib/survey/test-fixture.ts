/** A small survey definition shaped like `get_survey` output, for unit tests only. */
import type { TQuestion, TSurveyDefinition } from '$domain/survey';

const l = (en: string, es: string) => ({ en, es });

function q(
	partial: Partial<TQuestion> & Pick<TQuestion, 'key' | 'kind' | 'section' | 'position'>
): TQuestion {
	return {
		id: `00000000-0000-4000-8000-${String(partial.position).padStart(12, '0')}`,
		prompt: l(`Prompt ${partial.key}`, `Pregunta ${partial.key}`),
		help: null,
		required: false,
		options: null,
		min: null,
		max: null,
		max_length: null,
		show_if: null,
		service_category: null,
		...partial
	};
}

const services = [
	{ key: 'q3_01', label: l('Police services', 'Servicios de policía') },
	{ key: 'q3_02', label: l('Fire services', 'Servicios de bomberos') },
	{ key: 'q3_03', label: l('Street maintenance', 'Mantenimiento de calles') },
	{ key: 'q3_04', label: l('Trash collection', 'Recolección de basura') }
];

export const fixture: TSurveyDefinition = {
	survey: {
		id: '11111111-1111-4111-8111-111111111111',
		slug: 'resident-survey',
		title: l('Resident survey', 'Encuesta de residentes'),
		intro: l('Tell us how we are doing.', 'Díganos cómo lo estamos haciendo.'),
		languages: ['en', 'es']
	},
	wave: {
		id: '22222222-2222-4222-8222-222222222222',
		label: '2026',
		period: '2026',
		mode: 'both',
		opens_at: '2026-01-01T00:00:00Z',
		closes_at: null
	},
	sections: [
		{ key: 'profile', position: 3, title: l('About you', 'Sobre usted'), description: null },
		{ key: 'services', position: 1, title: l('City services', 'Servicios'), description: null },
		{ key: 'priorities', position: 2, title: l('Priorities', 'Prioridades'), description: null }
	],
	questions: [
		...services.map((s, i) =>
			q({
				key: s.key,
				kind: 'satisfaction5',
				section: 'services',
				position: i + 1,
				required: i === 0,
				prompt: s.label,
				service_category: 'svc'
			})
		),
		q({ key: 'q1_01', kind: 'rating5', section: 'services', position: 5 }),
		q({
			key: 'q4',
			kind: 'importance_top3',
			section: 'priorities',
			position: 10,
			options: services
		}),
		q({
			key: 'q5',
			kind: 'single',
			section: 'priorities',
			position: 11,
			required: true,
			options: [
				{ key: 'yes', label: l('Yes', 'Sí') },
				{ key: 'no', label: l('No', 'No') }
			]
		}),
		q({
			key: 'q5a',
			kind: 'text',
			section: 'priorities',
			position: 12,
			required: true,
			max_length: 10,
			show_if: { question: 'q5', op: 'eq', value: 'yes' }
		}),
		q({
			key: 'q5b',
			kind: 'multi',
			section: 'priorities',
			position: 13,
			options: [
				{ key: 'a', label: l('A', 'A') },
				{ key: 'b', label: l('B', 'B') }
			],
			show_if: { question: 'q5a', op: 'answered' }
		}),
		q({
			key: 'district',
			kind: 'district',
			section: 'profile',
			position: 20,
			required: true,
			options: [1, 2, 3, 4, 5, 6].map((n) => ({
				key: String(n),
				label: l(`District ${n}`, `Distrito ${n}`)
			}))
		}),
		q({ key: 'zip', kind: 'zip', section: 'profile', position: 21 }),
		q({ key: 'years', kind: 'number', section: 'profile', position: 22, min: 0, max: 100 }),
		q({
			key: 'years_followup',
			kind: 'text',
			section: 'profile',
			position: 23,
			show_if: { question: 'years', op: 'gte', value: 20 }
		})
	]
};
