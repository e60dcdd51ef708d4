/** The staff navigation's link to the survey builder (kept apart so the layout stays small). */
import type { TLanguage } from '$domain/survey';

export const surveysNavLabel: Record<TLanguage, string> = { en: 'Surveys', es: 'Encuestas' };
