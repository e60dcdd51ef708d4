/**
 * The survey file: a survey definition as JSON, so cities can share instruments
 * (`static/examples/*.json`, served at `/examples/`). It carries content only, never database ids, so importing it
 * always makes a new survey. Checked with zod (unknown keys are errors, as in the import mapping
 * format); the builder's own checks (translations, skip logic, service list) run after it.
 */
import { z } from '$lib/zod';
import { QUESTION_KINDS } from '$domain/survey';
import { withFreshIds, type TBuilderSurvey } from './model';

export const SURVEY_FILE_FORMAT = 'civicpulse-survey';
export const SURVEY_FILE_VERSION = 1;

const ZLocalized = z.strictObject({ en: z.string(), es: z.string() });
const ZOption = z.strictObject({ key: z.string(), label: ZLocalized });
const ZShowIf = z.strictObject({
	question: z.string(),
	op: z.enum(['eq', 'neq', 'in', 'answered', 'gte', 'lte']),
	value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).optional()
});
const ZQuestion = z.strictObject({
	key: z.string(),
	kind: z.enum(QUESTION_KINDS),
	prompt: ZLocalized,
	help: ZLocalized.nullable().default(null),
	required: z.boolean().default(false),
	options: z.array(ZOption).nullable().default(null),
	min: z.number().nullable().default(null),
	max: z.number().nullable().default(null),
	max_length: z.number().int().nullable().default(null),
	show_if: ZShowIf.nullable().default(null),
	service_category: z.string().nullable().default(null)
});
const ZPage = z.strictObject({
	key: z.string(),
	title: ZLocalized,
	description: ZLocalized.nullable().default(null),
	questions: z.array(ZQuestion)
});
export const ZSurveyFile = z.strictObject({
	format: z.literal(SURVEY_FILE_FORMAT),
	version: z.literal(SURVEY_FILE_VERSION),
	survey: z.strictObject({
		slug: z.string(),
		title: ZLocalized,
		intro: ZLocalized,
		languages: z.array(z.enum(['en', 'es'])).min(1)
	}),
	pages: z.array(ZPage)
});
export type TSurveyFile = z.infer<typeof ZSurveyFile>;

/** The file for a survey (pages and questions in reading order, no ids). */
export function toSurveyFile(s: TBuilderSurvey): TSurveyFile {
	return {
		format: SURVEY_FILE_FORMAT,
		version: SURVEY_FILE_VERSION,
		survey: { slug: s.slug, title: s.title, intro: s.intro, languages: s.languages },
		pages: s.sections.map((sec) => ({
			key: sec.key,
			title: sec.title,
			description: sec.description,
			questions: sec.questions.map((q) => ({
				key: q.key,
				kind: q.kind,
				prompt: q.prompt,
				help: q.help,
				required: q.required,
				options: q.options,
				min: q.min,
				max: q.max,
				max_length: q.max_length,
				show_if: q.show_if,
				service_category: q.service_category
			}))
		}))
	};
}

export function surveyFileText(s: TBuilderSurvey): string {
	return `${JSON.stringify(toSurveyFile(s), null, '\t')}\n`;
}

/**
 * A survey from a file's text, with fresh ids. Errors name where in the file the problem is
 * (`pages[0].questions[3].kind: …`), in English like other file-format errors.
 */
export function parseSurveyFile(
	text: string,
	uuid: () => string = () => crypto.randomUUID()
): { ok: true; survey: TBuilderSurvey } | { ok: false; errors: string[] } {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (err) {
		return { ok: false, errors: [`not JSON: ${err instanceof Error ? err.message : String(err)}`] };
	}
	const parsed = ZSurveyFile.safeParse(json);
	if (!parsed.success)
		return {
			ok: false,
			errors: parsed.error.issues.map(
				(i) => `${i.path.map(String).join('.') || 'file'}: ${i.message}`
			)
		};
	const f = parsed.data;
	const survey: TBuilderSurvey = {
		id: '',
		slug: f.survey.slug,
		title: f.survey.title,
		intro: f.survey.intro,
		languages: f.survey.languages,
		sections: f.pages.map((p) => ({
			id: '',
			key: p.key,
			title: p.title,
			description: p.description,
			questions: p.questions.map((q) => ({ ...q, id: '' }))
		}))
	};
	return { ok: true, survey: withFreshIds(survey, uuid) };
}
