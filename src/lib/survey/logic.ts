/**
 * Client-side survey rules: skip logic (`show_if`), answer validation and the pages a resident
 * walks through. Pure functions over the contract in `$domain/survey`; the database re-checks
 * everything in `submit_responses`, so these rules exist to give residents immediate, precise
 * feedback — never to decide what is stored.
 */
import {
	DONT_KNOW,
	type TAnswerValue,
	type TQuestion,
	type TSection,
	type TShowIf,
	type TSurveyDefinition
} from '$domain/survey';

export type TAnswers = Record<string, TAnswerValue>;

/** Why an answer is not acceptable; the UI turns a code into a message in the resident's language. */
export type TAnswerError =
	| { code: 'required' }
	| { code: 'invalid_choice' }
	| { code: 'top3_duplicate' }
	| { code: 'top3_order' }
	| { code: 'too_long'; max: number }
	| { code: 'not_a_number' }
	| { code: 'out_of_range'; min: number | null; max: number | null }
	| { code: 'zip_format' };

export const DEFAULT_TEXT_MAX = 2000;
const ZIP = /^\d{5}$/;

/** True when an answer counts as given (empty strings, empty lists and null do not). */
export function isAnswered(value: TAnswerValue | null | undefined): value is TAnswerValue {
	if (value === null || value === undefined) return false;
	if (typeof value === 'string') return value.trim() !== '';
	if (Array.isArray(value)) return value.some((v) => v !== '');
	return Number.isFinite(value);
}

function keysOf(value: TAnswerValue): (string | number)[] {
	return Array.isArray(value) ? value : [value];
}

/** Evaluate one `show_if` condition against the answers given so far. */
export function conditionHolds(cond: TShowIf, answers: TAnswers): boolean {
	const answer = answers[cond.question];
	const given = isAnswered(answer);
	switch (cond.op) {
		case 'answered':
			return given;
		case 'eq':
			// A missing answer is never equal to anything (contract).
			return given && !Array.isArray(answer) && String(answer) === String(cond.value);
		case 'neq':
			return !given || Array.isArray(answer) || String(answer) !== String(cond.value);
		case 'in': {
			if (!given) return false;
			const allowed = (Array.isArray(cond.value) ? cond.value : [cond.value]).map(String);
			return keysOf(answer).some((k) => allowed.includes(String(k)));
		}
		case 'gte':
		case 'lte': {
			if (!given || typeof answer !== 'number' || typeof cond.value !== 'number') return false;
			return cond.op === 'gte' ? answer >= cond.value : answer <= cond.value;
		}
	}
}

/**
 * Whether a question is shown. A question whose condition refers to a hidden question is hidden
 * too: answers to hidden questions are never submitted, so they cannot unlock anything.
 */
export function isVisible(question: TQuestion, questions: TQuestion[], answers: TAnswers): boolean {
	const seen = new Set<string>();
	let q: TQuestion | undefined = question;
	while (q?.show_if) {
		if (seen.has(q.key)) return false; // a cycle in the definition: hide rather than loop
		seen.add(q.key);
		if (!conditionHolds(q.show_if, answers)) return false;
		const parentKey: string = q.show_if.question;
		q = questions.find((p) => p.key === parentKey);
	}
	return true;
}

export function sortedSections(def: TSurveyDefinition): TSection[] {
	return [...def.sections].sort((a, b) => a.position - b.position);
}

export function sortedQuestions(def: TSurveyDefinition): TQuestion[] {
	return [...def.questions].sort((a, b) => a.position - b.position);
}

export interface TPage {
	section: TSection;
	questions: TQuestion[]; // visible ones only
}

/** The pages (one per section with at least one visible question) for the current answers. */
export function pagesFor(def: TSurveyDefinition, answers: TAnswers): TPage[] {
	const questions = sortedQuestions(def);
	return sortedSections(def)
		.map((section) => ({
			section,
			questions: questions.filter(
				(q) => q.section === section.key && isVisible(q, questions, answers)
			)
		}))
		.filter((p) => p.questions.length > 0);
}

function optionKeys(q: TQuestion): string[] {
	return (q.options ?? []).map((o) => o.key);
}

/** Validate one answer against its question. `undefined` means no problem. */
export function validateAnswer(
	q: TQuestion,
	value: TAnswerValue | null | undefined
): TAnswerError | undefined {
	if (!isAnswered(value)) return q.required ? { code: 'required' } : undefined;
	switch (q.kind) {
		case 'satisfaction5':
		case 'rating5':
			return typeof value === 'number' &&
				Number.isInteger(value) &&
				((value >= 1 && value <= 5) || value === DONT_KNOW)
				? undefined
				: { code: 'invalid_choice' };
		case 'single':
		case 'district':
			return typeof value === 'string' && optionKeys(q).includes(value)
				? undefined
				: { code: 'invalid_choice' };
		case 'multi': {
			if (!Array.isArray(value)) return { code: 'invalid_choice' };
			const keys = optionKeys(q);
			if (!value.every((v) => keys.includes(v))) return { code: 'invalid_choice' };
			return new Set(value).size === value.length ? undefined : { code: 'invalid_choice' };
		}
		case 'importance_top3': {
			if (!Array.isArray(value) || value.length > 3) return { code: 'invalid_choice' };
			// The UI keeps three ranked slots; an empty slot before a filled one means the
			// ranking is ambiguous ("2nd choice" without a 1st), so ask the resident to fix it.
			const lastFilled = value.map((v) => v !== '').lastIndexOf(true);
			if (value.slice(0, lastFilled + 1).some((v) => v === '')) return { code: 'top3_order' };
			const picks = value.filter((v) => v !== '');
			const keys = optionKeys(q);
			if (!picks.every((v) => keys.includes(v))) return { code: 'invalid_choice' };
			return new Set(picks).size === picks.length ? undefined : { code: 'top3_duplicate' };
		}
		case 'text': {
			if (typeof value !== 'string') return { code: 'invalid_choice' };
			const max = q.max_length ?? DEFAULT_TEXT_MAX;
			return [...value.trim()].length <= max ? undefined : { code: 'too_long', max };
		}
		case 'number': {
			if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'not_a_number' };
			if ((q.min !== null && value < q.min) || (q.max !== null && value > q.max))
				return { code: 'out_of_range', min: q.min, max: q.max };
			return undefined;
		}
		case 'zip':
			return typeof value === 'string' && ZIP.test(value.trim())
				? undefined
				: { code: 'zip_format' };
	}
}

/** Problems on a set of (visible) questions, in page order. */
export function validateQuestions(
	questions: TQuestion[],
	answers: TAnswers
): { question: TQuestion; error: TAnswerError }[] {
	const problems: { question: TQuestion; error: TAnswerError }[] = [];
	for (const q of questions) {
		const error = validateAnswer(q, answers[q.key]);
		if (error) problems.push({ question: q, error });
	}
	return problems;
}

/**
 * The answers to send: only visible, answered questions, normalised to the contract's shapes
 * (trimmed text and ZIP, importance picks without empty slots). Hidden answers are dropped here
 * so that changing an earlier answer never leaks a stale follow-up into the response.
 */
export function answersToSubmit(def: TSurveyDefinition, answers: TAnswers): TAnswers {
	const questions = sortedQuestions(def);
	const out: TAnswers = {};
	for (const q of questions) {
		const value = answers[q.key];
		if (!isAnswered(value) || !isVisible(q, questions, answers)) continue;
		if (typeof value === 'string') out[q.key] = value.trim();
		else if (Array.isArray(value)) out[q.key] = value.filter((v) => v !== '');
		else out[q.key] = value;
	}
	return out;
}

/** Every problem in the whole response (visible questions only), for the review step. */
export function validateResponse(def: TSurveyDefinition, answers: TAnswers) {
	return pagesFor(def, answers).flatMap((p) => validateQuestions(p.questions, answers));
}

/** Keys of the satisfaction/rating items the resident actually rated (1..5, not "don't know"). */
export function ratedServiceKeys(def: TSurveyDefinition, answers: TAnswers): string[] {
	const submitted = answersToSubmit(def, answers);
	return sortedQuestions(def)
		.filter(
			(q) =>
				(q.kind === 'satisfaction5' || q.kind === 'rating5') &&
				typeof submitted[q.key] === 'number' &&
				submitted[q.key] !== DONT_KNOW
		)
		.map((q) => q.key);
}
