/**
 * A survey handed from the list page to the editor without storing it (an imported file, a
 * copy): the editor at /staff/surveys/new takes it once. In memory only: a reload starts blank.
 */
import type { TBuilderSurvey } from './model';

let pending: TBuilderSurvey | null = null;

export function handOver(survey: TBuilderSurvey): void {
	pending = survey;
}

export function takeOver(): TBuilderSurvey | null {
	const s = pending;
	pending = null;
	return s;
}
