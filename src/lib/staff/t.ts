/**
 * Staff/scorecard strings and formatters bound to the current language (the shared `i18n` runes
 * object), so markup re-renders when the resident or staff member switches language.
 */
import type { TScorecardMeasure, TTargetStatus } from '$domain/scorecard';
import { i18n } from '$lib/i18n/i18n.svelte';
import * as format from './format';
import { translateStaff, type TStaffKey, type TStaffParams } from './messages';

export const t = (key: TStaffKey, params?: TStaffParams): string =>
	translateStaff(i18n.lang, key, params);

export const fmt = {
	value: (m: format.TMeasureShape, v: number | null | undefined) =>
		format.formatMeasureValue(i18n.lang, m, v),
	margin: (m: format.TMeasureShape, margin: number | null | undefined) =>
		format.formatMargin(i18n.lang, m, margin),
	status: (s: TTargetStatus) => format.statusText(i18n.lang, s),
	period: (p: string | null | undefined) => format.periodLabel(i18n.lang, p),
	date: (iso: string) =>
		new Intl.DateTimeFormat(i18n.lang, { dateStyle: 'long', timeStyle: 'short' }).format(
			new Date(iso)
		),
	int: (n: number | null | undefined) => (n === null || n === undefined ? '—' : i18n.number(n))
};

export type { TScorecardMeasure };
