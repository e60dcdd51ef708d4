/**
 * Checking an invitation code (from a QR code: /s/<slug>?code=XXXX) before the resident starts.
 * The database enforces single use again at submit time; this check only spares a resident from
 * filling in a survey their code cannot be used for. Offline, the check is skipped (said so on
 * screen) and the submit decides.
 */
import { callRpc } from '$lib/supabase/rest';

export type TInvitationState = 'checking' | 'valid' | 'used' | 'closed' | 'unknown' | 'unchecked';

/** check_invitation answers `{status: ok|used|unknown|closed, wave_id, survey_slug}`. */
export function interpretInvitation(
	result: unknown
): Exclude<TInvitationState, 'checking' | 'unchecked'> {
	if (typeof result === 'boolean') return result ? 'valid' : 'unknown';
	const r = (result ?? {}) as Record<string, unknown>;
	const status = String(
		r.status ?? (r.valid === true ? 'valid' : r.used === true ? 'used' : '')
	).toLowerCase();
	if (status === 'valid' || status === 'ok' || status === 'unused') return 'valid';
	if (status === 'used' || status === 'already_used') return 'used';
	if (status === 'closed') return 'closed';
	return 'unknown';
}

export async function checkInvitation(
	code: string
): Promise<Exclude<TInvitationState, 'checking'>> {
	if (navigator.onLine === false) return 'unchecked';
	try {
		return interpretInvitation(await callRpc<unknown>('check_invitation', { p_code: code }));
	} catch (err) {
		// The network failed: let the resident go on; the database checks again on submit.
		if (err instanceof TypeError) return 'unchecked';
		return 'unknown';
	}
}
