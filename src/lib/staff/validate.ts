/**
 * Client-side checks of the staff forms, mirroring the database's CHECK constraints
 * (supabase/migrations/*_create_goal_tables.sql) so most mistakes are explained before a round
 * trip. The database re-checks everything; its message is shown when it still refuses.
 * Each error names the form field (`field` = the input's id) for the error summary links.
 */
import type { TLanguage } from '$domain/survey';
import { translateStaff, type TStaffKey } from './messages';

export interface TFieldError {
	field: string;
	message: string;
}

export const KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;
export const UNIT_RE = /^[a-z][a-z0-9_]{0,31}$/;
export const PERIOD_RE = /^[0-9]{4}(-Q[1-4])?$/;

/** Parses a typed number ("1,5" is accepted as 1.5); null when blank, NaN when not a number. */
export function parseNumber(text: string): number | null {
	const s = text.trim().replace(/\s/g, '');
	if (s === '') return null;
	const normalised = /^-?\d+,\d+$/.test(s) ? s.replace(',', '.') : s;
	return /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(normalised) ? Number(normalised) : NaN;
}

/** '2026' + '' → '2026'; '2026' + '3' → '2026-Q3'. */
export function makePeriod(year: string, quarter: string): string {
	return quarter ? `${year.trim()}-Q${quarter}` : year.trim();
}

class Checker {
	errors: TFieldError[] = [];
	constructor(private lang: TLanguage) {}
	label(key: TStaffKey): string {
		return translateStaff(this.lang, key);
	}
	add(field: string, key: TStaffKey, params: Record<string, string | number> = {}) {
		if (!this.errors.some((e) => e.field === field))
			this.errors.push({ field, message: translateStaff(this.lang, key, params) });
	}
	required(field: string, value: string, labelKey: TStaffKey, max = 500) {
		const label = this.label(labelKey);
		if (!value.trim()) this.add(field, 'err_required', { field: lowerFirst(label) });
		else if (value.length > max) this.add(field, 'err_length', { field: label, max });
	}
	key(field: string, value: string) {
		if (!value.trim())
			this.add(field, 'err_required', { field: lowerFirst(this.label('form_key')) });
		else if (!KEY_RE.test(value.trim())) this.add(field, 'err_key', { field: 'Key' });
	}
	choose(field: string, value: string, labelKey: TStaffKey) {
		if (!value) this.add(field, 'err_choose', { field: lowerFirst(this.label(labelKey)) });
	}
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export interface TPeriodValueInput {
	measure_id: string;
	year: string;
	quarter: string;
	/** As typed: points for percent measures ("76" = 76 %); stored as a proportion (0.76). */
	value: string;
	unit: string;
	/**
	 * A percent value under 1 (0.3 = 0.3 %) is usually a proportion typed by mistake for 30 %.
	 * The form asks once; saving the same text again (`confirmedSmall`) keeps it.
	 */
	confirmedSmall?: string;
}

function checkPeriodValue(
	c: Checker,
	input: TPeriodValueInput,
	valueLabel: TStaffKey,
	prefix: string
) {
	c.choose(`${prefix}-measure`, input.measure_id, 'form_measure');
	const year = Number(input.year.trim());
	if (!/^\d{4}$/.test(input.year.trim()) || year < 1900 || year > 2100)
		c.add(`${prefix}-year`, 'err_year');
	const value = parseNumber(input.value);
	const label = c.label(valueLabel);
	if (value === null) c.add(`${prefix}-value`, 'err_required', { field: lowerFirst(label) });
	else if (Number.isNaN(value)) c.add(`${prefix}-value`, 'err_number', { field: label });
	else if (input.unit === 'percent' && (value < 0 || value > 100))
		c.add(`${prefix}-value`, 'err_percent', { field: label });
	else if (
		input.unit === 'percent' &&
		value > 0 &&
		value < 1 &&
		input.confirmedSmall?.trim() !== input.value.trim()
	)
		c.add(`${prefix}-value`, 'err_percent_small', {
			field: label,
			value: input.value.trim(),
			points: Number((value * 100).toPrecision(12))
		});
}

export function validateTarget(lang: TLanguage, input: TPeriodValueInput): TFieldError[] {
	const c = new Checker(lang);
	checkPeriodValue(c, input, 'form_target_value', 'target');
	return c.errors;
}

export function validateValue(
	lang: TLanguage,
	input: TPeriodValueInput & { n: string; margin: string }
): TFieldError[] {
	const c = new Checker(lang);
	checkPeriodValue(c, input, 'form_value', 'value');
	const n = parseNumber(input.n);
	if (n !== null && (!Number.isInteger(n) || n < 0))
		c.add('value-n', 'err_integer', { field: 'n' });
	const margin = parseNumber(input.margin);
	if (margin !== null && (Number.isNaN(margin) || margin < 0))
		c.add('value-margin', 'err_nonnegative', { field: c.label('form_margin') });
	else if (margin !== null && input.unit === 'percent' && margin > 100)
		c.add('value-margin', 'err_percent', { field: c.label('form_margin') });
	return c.errors;
}

export function validateNarrative(
	lang: TLanguage,
	input: { subject: 'measure' | 'goal'; subject_id: string; period: string; en: string; es: string }
): TFieldError[] {
	const c = new Checker(lang);
	c.choose(
		'narrative-subject',
		input.subject_id,
		input.subject === 'goal' ? 'form_goal' : 'form_measure'
	);
	if (!PERIOD_RE.test(input.period.trim())) c.add('narrative-period', 'err_period');
	c.required('narrative-en', input.en, 'form_body_en', 5000);
	c.required('narrative-es', input.es, 'form_body_es', 5000);
	return c.errors;
}

export function validateArea(
	lang: TLanguage,
	input: { key: string; name_en: string; name_es: string }
): TFieldError[] {
	const c = new Checker(lang);
	c.key('area-key', input.key);
	c.required('area-name-en', input.name_en, 'form_name_en', 200);
	c.required('area-name-es', input.name_es, 'form_name_es', 200);
	return c.errors;
}

export function validateGoal(
	lang: TLanguage,
	input: { goal_area_id: string; key: string; title_en: string; title_es: string }
): TFieldError[] {
	const c = new Checker(lang);
	c.choose('goal-area', input.goal_area_id, 'form_goal_area');
	c.key('goal-key', input.key);
	c.required('goal-title-en', input.title_en, 'form_title_en', 300);
	c.required('goal-title-es', input.title_es, 'form_title_es', 300);
	return c.errors;
}

export function validateMeasure(
	lang: TLanguage,
	input: {
		goal_id: string;
		key: string;
		name_en: string;
		name_es: string;
		unit: string;
		kind: string;
		question_id: string;
	}
): TFieldError[] {
	const c = new Checker(lang);
	c.choose('measure-goal', input.goal_id, 'form_goal');
	c.key('measure-key', input.key);
	c.required('measure-name-en', input.name_en, 'form_name_en', 300);
	c.required('measure-name-es', input.name_es, 'form_name_es', 300);
	if (!UNIT_RE.test(input.unit.trim())) c.add('measure-unit', 'err_unit');
	if (input.kind === 'survey') c.choose('measure-question', input.question_id, 'form_question');
	return c.errors;
}

/** Most invitation codes the staff page mints (and draws as QR codes) in one batch. */
export const MAX_CODES_PER_BATCH = 1000;

export function validateInvitations(
	lang: TLanguage,
	input: { wave_id: string; count: string; batch: string }
): TFieldError[] {
	const c = new Checker(lang);
	c.choose('inv-wave', input.wave_id, 'inv_wave');
	const count = input.count.trim();
	if (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > MAX_CODES_PER_BATCH)
		c.add('inv-count', 'inv_err_count', { max: MAX_CODES_PER_BATCH });
	if (input.batch.trim().length > 120)
		c.add('inv-batch', 'err_length', { field: c.label('inv_batch'), max: 120 });
	return c.errors;
}

export interface TWaveInput {
	survey_id: string;
	label: string;
	period: string;
	mode: string;
	/** `<input type="datetime-local">` values (local time), '' when empty. */
	opens_at: string;
	closes_at: string;
	results_published: boolean;
	/** Open-link responses per network per hour, as typed ('' = no limit). */
	open_limit_per_hour?: string;
}

/** Mirrors survey_waves' CHECKs; also refuses to publish the results of a wave still open. */
export function validateWave(lang: TLanguage, input: TWaveInput, now = new Date()): TFieldError[] {
	const c = new Checker(lang);
	c.choose('wave-survey', input.survey_id, 'wv_survey');
	c.required('wave-label', input.label, 'wv_label', 120);
	if (!PERIOD_RE.test(input.period.trim())) c.add('wave-period', 'err_period');
	if (!['invited', 'open', 'both'].includes(input.mode))
		c.add('wave-mode', 'err_choose', { field: lowerFirst(c.label('wv_mode')) });
	const opens = input.opens_at ? new Date(input.opens_at) : null;
	const closes = input.closes_at ? new Date(input.closes_at) : null;
	if (!opens || Number.isNaN(opens.getTime())) c.add('wave-opens', 'wv_err_opens');
	else if (closes && (Number.isNaN(closes.getTime()) || closes <= opens))
		c.add('wave-closes', 'wv_err_closes');
	if (input.results_published && (!closes || closes > now))
		c.add('wave-published', 'wv_err_publish_open');
	const limit = (input.open_limit_per_hour ?? '').trim();
	if (limit && !(/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100_000))
		c.add('wave-limit', 'wv_err_limit');
	return c.errors;
}
