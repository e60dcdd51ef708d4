/**
 * Ballot stuffing of an open-link wave: how many responses one machine running one script can
 * add with fresh anonymous sessions (sign in anonymously → submit one response → repeat), first
 * with no defence, then with the wave's per-network limit switched on (open_limit_per_hour, set
 * by staff in /staff/waves). The script also forges a different X-Forwarded-For on every call;
 * the gateway's X-Real-IP is what counts, so forging does not help.
 *
 * Through the embedded backend (HTTP → auth → PostgREST subset → SQL) on PGlite.
 * STUFFING_SECONDS (default 10) is the length of each phase; figures are per hour.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { record } from './harness';
import { makeAnswers } from './submit-bench';
import { openDb } from '../../supabase/local/db';
import { startLocalBackend, type LocalBackend } from '../../supabase/local/server';
import type { TSubmitResult, TSurveyDefinition } from '../../src/lib/domain/survey';

const SECONDS = Number(process.env.STUFFING_SECONDS ?? 10);
const LIMIT = 20;
const SLUG = 'resident-survey';

function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** One script, one machine, for `seconds`: returns [attempts, accepted, first refusal reason]. */
async function stuff(
	b: LocalBackend,
	def: TSurveyDefinition,
	waveId: string,
	seconds: number
): Promise<{ attempts: number; accepted: number; reason: string | null }> {
	const r = rng(7);
	let attempts = 0;
	let accepted = 0;
	let reason: string | null = null;
	const until = performance.now() + seconds * 1000;
	while (performance.now() < until) {
		const forged = `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.7`;
		const signup = await fetch(`${b.url}/auth/v1/signup`, {
			method: 'POST',
			headers: { apikey: b.anonKey, 'content-type': 'application/json', 'x-forwarded-for': forged },
			body: '{}'
		});
		const { access_token } = (await signup.json()) as { access_token: string };
		const res = await fetch(`${b.url}/rest/v1/rpc/submit_responses`, {
			method: 'POST',
			headers: {
				apikey: b.anonKey,
				authorization: `Bearer ${access_token}`,
				'content-type': 'application/json',
				'x-forwarded-for': forged
			},
			body: JSON.stringify({
				p_responses: [
					{
						id: randomUUID(),
						wave_id: waveId,
						language: 'en',
						submitted_at: new Date().toISOString(),
						invitation_code: null,
						answers: makeAnswers(def, r)
					}
				]
			})
		});
		if (!res.ok) throw new Error(`submit_responses: ${res.status} ${await res.text()}`);
		const [result] = (await res.json()) as TSubmitResult[];
		attempts++;
		if (result.status === 'accepted') accepted++;
		else reason ??= result.reason;
	}
	return { attempts, accepted, reason };
}

export async function run(): Promise<void> {
	const db = await openDb({});
	const b = await startLocalBackend({ db, port: 0, seed: true, quiet: true });
	try {
		const res = await fetch(`${b.url}/rest/v1/rpc/get_survey`, {
			method: 'POST',
			headers: { apikey: b.anonKey, 'content-type': 'application/json' },
			body: JSON.stringify({ p_slug: SLUG })
		});
		const def = (await res.json()) as TSurveyDefinition;
		const { rows } = await db.query<{ id: string }>(
			`insert into public.survey_waves (survey_id, label, period, mode, opens_at)
			 select id, 'Stuffing bench', '2026', 'open', now() - interval '1 hour' from public.surveys
			 where slug = $1 returning id`,
			[SLUG]
		);
		const waveId = rows[0].id;
		const perHour = (n: number) => Math.round((n / SECONDS) * 3600);

		const before = await stuff(b, def, waveId, SECONDS);
		record({
			name: 'open link, no defence: responses one script adds per hour',
			value: perHour(before.accepted),
			unit: 'responses/h',
			note: `${before.accepted} of ${before.attempts} accepted in ${SECONDS} s, each from a fresh anonymous session`
		});

		await db.query(`update public.survey_waves set open_limit_per_hour = $2 where id = $1`, [
			waveId,
			LIMIT
		]);
		const after = await stuff(b, def, waveId, SECONDS);
		record({
			name: `open link, limit ${LIMIT} per network per hour: responses the same script adds per hour`,
			value: after.accepted,
			unit: 'responses/h',
			baseline: { name: 'no defence', value: perHour(before.accepted) },
			budget: { max: LIMIT },
			note: `${after.accepted} of ${after.attempts} accepted in ${SECONDS} s (forged X-Forwarded-For on every call); refused with: "${after.reason}"`
		});
	} finally {
		await b.stop();
		await db.close();
	}
}
