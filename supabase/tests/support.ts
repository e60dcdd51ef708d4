/**
 * Shared helpers for the database tests (vitest, both engines): users, impersonation exactly as
 * the gateway / PostgREST does it (transaction-local role + request.jwt.claims), and a small
 * fixture survey that exercises every question kind. The fixture is created here, not taken from
 * the seed, so the tests do not change when the demo data does.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../local/db';
import type { TResponseSubmission, TSubmitResult } from '../../src/lib/domain/survey';

export type TRole = 'anon' | 'authenticated' | 'service_role';

export interface TIdentity {
	role: TRole;
	/** auth.users id; absent for anon / service_role. */
	sub?: string;
	isAnonymous?: boolean;
}

/** Run `fn` inside one transaction as the given identity, like a PostgREST request. */
export async function as<T>(db: Db, who: TIdentity, fn: (tx: Db) => Promise<T>): Promise<T> {
	return db.transaction(async (tx) => {
		await impersonate(tx, who);
		return fn(tx);
	});
}

/** Switch the current transaction to the identity (transaction-local, like PostgREST). */
export async function impersonate(tx: Db, who: TIdentity): Promise<void> {
	const claims: Record<string, unknown> = { role: who.role };
	if (who.sub) {
		claims.sub = who.sub;
		claims.aud = 'authenticated';
		claims.is_anonymous = who.isAnonymous ?? false;
	}
	await tx.query(
		`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
		[who.role, JSON.stringify(claims)]
	);
}

/** Create an auth user (as the owner) and return an identity for it. */
export async function createUser(
	db: Db,
	opts: { anonymous?: boolean; staffRole?: 'admin' | 'analyst' | 'moderator' } = {}
): Promise<TIdentity & { sub: string }> {
	const id = randomUUID();
	const anonymous = opts.anonymous ?? true;
	await db.query(
		`insert into auth.users (id, aud, role, email, is_anonymous, created_at, updated_at)
		 values ($1, 'authenticated', 'authenticated', $2, $3, now(), now())`,
		[id, anonymous ? null : `${id}@example.test`, anonymous]
	);
	if (opts.staffRole) {
		await db.query(`insert into public.staff (user_id, role) values ($1, $2)`, [
			id,
			opts.staffRole
		]);
	}
	return { role: 'authenticated', sub: id, isAnonymous: anonymous };
}

export const resident = (db: Db) => createUser(db, { anonymous: true });

/** Call submit_responses as `who`, committing like a real request. */
export async function submit(db: Db, who: TIdentity, items: unknown): Promise<TSubmitResult[]> {
	return as(db, who, async (tx) => {
		const { rows } = await tx.query<{ r: TSubmitResult[] }>(
			'select public.submit_responses($1::jsonb) as r',
			[JSON.stringify(items)]
		);
		return rows[0].r;
	});
}

const L = (en: string, es: string) => JSON.stringify({ en, es });
const options = (...keys: string[]) =>
	JSON.stringify(keys.map((k) => ({ key: k, label: { en: `Option ${k}`, es: `Opción ${k}` } })));

export interface TFixture {
	/** Survey with an open wave in mode 'both' and every question kind. */
	openSlug: string;
	openWaveId: string;
	/** Survey whose open wave is invitation-only; plus its invitation codes. */
	invitedSlug: string;
	invitedWaveId: string;
	/** A wave (of the invited survey) that closed long ago, with one code. */
	closedWaveId: string;
	codes: string[];
	closedCode: string;
	/** A wave of the open survey that closed 1 hour ago (inside the late grace window). */
	recentlyClosedWaveId: string;
	/** A survey with no open wave. */
	closedSlug: string;
}

/**
 * The fixture survey (slug `fixture-<suffix>`). Questions, in order:
 * q_streets satisfaction5 required · q_parks rating5 · q_top3 importance_top3 (s1..s5) ·
 * q_contacted single yes/no required · q_contact_sat satisfaction5 required, shown if
 * q_contacted = yes · q_channels multi (web, phone, email) shown if q_contacted in [yes] ·
 * (plus q_parks_why text shown if q_parks neq 9, position 25, and q_contact_detail text shown
 * if q_contact_sat is answered, position 55) ·
 * district district (1..6) required · zip zip · age number 18..120 · comment text ≤ 20 chars.
 */
export async function createFixture(db: Db, suffix = randomUUID().slice(0, 8)): Promise<TFixture> {
	const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
		(await db.query<T>(sql, params)).rows;

	const addSurvey = async (slug: string) => {
		const [s] = await q<{ id: string }>(
			`insert into public.surveys (slug, title, intro) values ($1, $2, $3) returning id`,
			[slug, L(`Survey ${slug}`, `Encuesta ${slug}`), L('Tell us', 'Díganos')]
		);
		return s.id;
	};
	const addWave = async (
		surveyId: string,
		mode: string,
		opens: string,
		closes: string | null,
		label = 'Wave'
	) => {
		const [w] = await q<{ id: string }>(
			`insert into public.survey_waves (survey_id, label, period, mode, opens_at, closes_at)
			 values ($1, $2, '2026-Q4', $3, now() + $4::interval, now() + $5::interval) returning id`,
			[surveyId, label, mode, opens, closes]
		);
		return w.id;
	};
	const addSection = async (surveyId: string, key: string, position: number) => {
		const [s] = await q<{ id: string }>(
			`insert into public.survey_sections (survey_id, key, position, title)
			 values ($1, $2, $3, $4) returning id`,
			[surveyId, key, position, L(`Section ${key}`, `Sección ${key}`)]
		);
		return s.id;
	};
	const addQuestion = async (
		surveyId: string,
		sectionId: string,
		position: number,
		key: string,
		kind: string,
		extra: {
			required?: boolean;
			options?: string;
			min?: number;
			max?: number;
			maxLength?: number;
			showIf?: object;
			category?: string;
		} = {}
	) => {
		await q(
			`insert into public.questions (survey_id, section_id, position, key, kind, prompt, required,
			   options, min, max, max_length, show_if, service_category)
			 values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12::jsonb, $13)`,
			[
				surveyId,
				sectionId,
				position,
				key,
				kind,
				L(`Prompt ${key}`, `Pregunta ${key}`),
				extra.required ?? false,
				extra.options ?? null,
				extra.min ?? null,
				extra.max ?? null,
				extra.maxLength ?? null,
				extra.showIf ? JSON.stringify(extra.showIf) : null,
				extra.category ?? null
			]
		);
	};

	const openSlug = `fixture-${suffix}`;
	const openSurvey = await addSurvey(openSlug);
	// Section order deliberately differs from insertion order.
	const profile = await addSection(openSurvey, 'profile', 2);
	const services = await addSection(openSurvey, 'services', 1);
	await addQuestion(openSurvey, services, 10, 'q_streets', 'satisfaction5', {
		required: true,
		category: 'streets'
	});
	await addQuestion(openSurvey, services, 20, 'q_parks', 'rating5', { category: 'parks' });
	// neq on an optional question: shown while q_parks is unanswered or not "don't know".
	await addQuestion(openSurvey, services, 25, 'q_parks_why', 'text', {
		showIf: { question: 'q_parks', op: 'neq', value: 9 }
	});
	await addQuestion(openSurvey, services, 30, 'q_top3', 'importance_top3', {
		options: options('s1', 's2', 's3', 's4', 's5')
	});
	await addQuestion(openSurvey, services, 40, 'q_contacted', 'single', {
		required: true,
		options: options('yes', 'no')
	});
	await addQuestion(openSurvey, services, 50, 'q_contact_sat', 'satisfaction5', {
		required: true,
		showIf: { question: 'q_contacted', op: 'eq', value: 'yes' }
	});
	// A chain: shown only if q_contact_sat (itself conditional) was answered.
	await addQuestion(openSurvey, services, 55, 'q_contact_detail', 'text', {
		showIf: { question: 'q_contact_sat', op: 'answered' }
	});
	await addQuestion(openSurvey, services, 60, 'q_channels', 'multi', {
		options: options('web', 'phone', 'email'),
		showIf: { question: 'q_contacted', op: 'in', value: ['yes'] }
	});
	await addQuestion(openSurvey, profile, 70, 'district', 'district', {
		required: true,
		options: options('1', '2', '3', '4', '5', '6')
	});
	await addQuestion(openSurvey, profile, 80, 'zip', 'zip');
	await addQuestion(openSurvey, profile, 90, 'age', 'number', { min: 18, max: 120 });
	await addQuestion(openSurvey, profile, 100, 'comment', 'text', { maxLength: 20 });
	const openWaveId = await addWave(openSurvey, 'both', '-1 day', '30 days', 'Fall 2026');
	// An older wave of the same survey: get_survey must pick the open one.
	const recentlyClosedWaveId = await addWave(openSurvey, 'open', '-20 days', '-1 hour', 'Old');

	const invitedSlug = `invited-${suffix}`;
	const invitedSurvey = await addSurvey(invitedSlug);
	const sec = await addSection(invitedSurvey, 'main', 1);
	await addQuestion(invitedSurvey, sec, 1, 'q_overall', 'satisfaction5', { required: true });
	const invitedWaveId = await addWave(invitedSurvey, 'invited', '-1 day', null);
	const closedWaveId = await addWave(invitedSurvey, 'invited', '-60 days', '-30 days', 'Closed');
	const codes = Array.from({ length: 6 }, (_, i) => `INV${suffix.toUpperCase()}${i}`.slice(0, 16));
	for (const code of codes) {
		await q(
			`insert into public.invitations (wave_id, code_hash) values ($1, private.hash_invitation_code($2))`,
			[invitedWaveId, code]
		);
	}
	const closedCode = `CLOSED${suffix.toUpperCase()}`;
	await q(
		`insert into public.invitations (wave_id, code_hash) values ($1, private.hash_invitation_code($2))`,
		[closedWaveId, closedCode]
	);

	const closedSlug = `closed-${suffix}`;
	const closedSurvey = await addSurvey(closedSlug);
	await addWave(closedSurvey, 'open', '-60 days', '-30 days');
	await addWave(closedSurvey, 'open', '10 days', '40 days', 'Future');

	return {
		openSlug,
		openWaveId,
		invitedSlug,
		invitedWaveId,
		closedWaveId,
		codes,
		closedCode,
		recentlyClosedWaveId,
		closedSlug
	};
}

/** A complete, valid submission to the fixture's open wave. */
export function validSubmission(
	f: TFixture,
	answers: Record<string, unknown> = {},
	extra: Partial<TResponseSubmission> = {}
): TResponseSubmission {
	return {
		id: randomUUID(),
		wave_id: f.openWaveId,
		language: 'en',
		submitted_at: new Date().toISOString(),
		invitation_code: null,
		answers: {
			q_streets: 4,
			q_contacted: 'no',
			district: '3',
			...answers
		} as TResponseSubmission['answers'],
		...extra
	};
}

export async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
	const { rows } = await db.query<{ n: string }>(
		`select count(*)::text as n from (${sql}) x`,
		params
	);
	return Number(rows[0].n);
}
