/**
 * Invitation codes for the staff area: the waves that take them (with how many codes exist and
 * how many were used), minting a batch through `create_invitations` with a client request id (a
 * retry returns the same codes and adds none), and what a mailing needs: the survey link of each
 * code, a CSV list for a mail merge and QR codes for a printed sheet.
 */
import { toCsv } from '$lib/import/csv';
import type { TStaffClient } from './db';
import { loadWaves } from './staff-data';

export interface TInvitationWave {
	id: string;
	label: string;
	period: string;
	mode: 'invited' | 'both';
	slug: string;
	codes: number;
	used: number;
}

export interface TInvitationBatch {
	wave: TInvitationWave;
	batch: string | null;
	codes: string[];
}

/** The link a code opens: the survey with the code filled in (what the QR code carries). */
export function invitationUrl(origin: string, slug: string, code: string): string {
	return `${origin.replace(/\/+$/, '')}/s/${encodeURIComponent(slug)}?code=${encodeURIComponent(code)}`;
}

/** One row per code, for a mail merge. */
export function invitationCsv(origin: string, batch: TInvitationBatch): string {
	return toCsv(batch.codes, [
		{ header: 'code', value: (code) => code },
		{ header: 'url', value: (code) => invitationUrl(origin, batch.wave.slug, code) },
		{ header: 'wave', value: () => batch.wave.label },
		{ header: 'batch', value: () => batch.batch }
	]);
}

/** A QR code of `text` as an SVG data URL (error correction M: survives a smudged letter). */
export async function qrDataUrl(text: string): Promise<string> {
	const { renderSVG } = await import('uqr');
	return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(text, { ecc: 'M', border: 2 }))}`;
}

async function count(db: TStaffClient, waveId: string, usedOnly: boolean): Promise<number> {
	let query = db
		.from('invitations')
		.select('id', { count: 'exact', head: true })
		.eq('wave_id', waveId);
	if (usedOnly) query = query.not('used_at', 'is', null);
	const { count: n, error } = await query;
	if (error) throw new Error(error.message);
	return n ?? 0;
}

/** Waves that take invitations (mode invited or both), newest first, with their code counts. */
export async function loadInvitationWaves(db: TStaffClient): Promise<TInvitationWave[]> {
	const { waves, surveys } = await loadWaves(db);
	const slugOf = new Map(surveys.map((s) => [s.id, s.slug]));
	return Promise.all(
		waves
			.filter((w) => w.mode === 'invited' || w.mode === 'both')
			.map(async (w) => ({
				id: w.id,
				label: w.label,
				period: w.period,
				mode: w.mode as 'invited' | 'both',
				slug: slugOf.get(w.survey_id) ?? '',
				codes: await count(db, w.id, false),
				used: await count(db, w.id, true)
			}))
	);
}

export type TCreateResult =
	{ ok: true; codes: string[] } | { ok: false; message: string; retryable: boolean };

/**
 * Mint `count` codes. `requestId` is the client's id for this batch: sending it again (after a
 * lost answer) returns the same codes, so a retry never mints a second batch.
 */
export async function createInvitations(
	db: TStaffClient,
	input: { waveId: string; count: number; batch: string | null; requestId: string }
): Promise<TCreateResult> {
	try {
		const { data, error } = await db.rpc('create_invitations', {
			p_wave_id: input.waveId,
			p_count: input.count,
			p_batch: input.batch,
			p_request_id: input.requestId
		});
		if (error) {
			// PostgREST answers a refusal with a code; a failed fetch has none.
			const retryable = !error.code;
			return { ok: false, message: error.message, retryable };
		}
		return { ok: true, codes: (data ?? []).map((r) => r.code) };
	} catch (err) {
		return {
			ok: false,
			message: err instanceof Error ? err.message : String(err),
			retryable: true
		};
	}
}
