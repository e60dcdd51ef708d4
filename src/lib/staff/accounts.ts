/**
 * Staff accounts for the admin page (/staff/accounts): the list, invites by email, role changes
 * and removals, all through the SECURITY DEFINER RPCs of
 * supabase/migrations/20261206000600_create_staff_accounts.sql. The database decides who may
 * do what (admins only) and keeps the last admin; this module only turns its answers into
 * outcomes the page can explain.
 */
import type { TStaffClient } from './db';
import type { TStaffRole } from './session.svelte';

export const STAFF_ROLES: readonly TStaffRole[] = ['admin', 'analyst', 'moderator'];

export interface TStaffMember {
	user_id: string;
	email: string | null;
	role: TStaffRole;
	display_name: string | null;
	created_at: string;
}
export interface TStaffInvite {
	id: string;
	email: string;
	role: TStaffRole;
	created_at: string;
}
export interface TStaffAccounts {
	members: TStaffMember[];
	invites: TStaffInvite[];
}

/** Why a change was refused, in terms the page explains; `network` means try again. */
export type TAccountsFailure =
	'last_admin' | 'already_staff' | 'invalid_email' | 'denied' | 'network' | 'other';
export type TAccountsResult =
	{ ok: true } | { ok: false; reason: TAccountsFailure; message: string };

/** Lowercased, trimmed: the key the database stores invites under. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}
export function isEmail(email: string): boolean {
	return /^[^\s@]+@[^\s@]+$/.test(email.trim()) && email.trim().length <= 320;
}

interface TPgError {
	code?: string;
	message: string;
}

export function classify(error: TPgError): {
	ok: false;
	reason: TAccountsFailure;
	message: string;
} {
	const m = error.message;
	// PostgREST answers a refusal with a SQLSTATE; a failed fetch has none.
	const reason: TAccountsFailure = !error.code
		? 'network'
		: m === 'last_admin'
			? 'last_admin'
			: m === 'already_staff'
				? 'already_staff'
				: m === 'invalid_email'
					? 'invalid_email'
					: error.code === '42501'
						? 'denied'
						: 'other';
	return { ok: false, reason, message: m };
}

async function call(run: () => PromiseLike<{ error: TPgError | null }>): Promise<TAccountsResult> {
	try {
		const { error } = await run();
		return error ? classify(error) : { ok: true };
	} catch (err) {
		return {
			ok: false,
			reason: 'network',
			message: err instanceof Error ? err.message : String(err)
		};
	}
}

export async function loadAccounts(db: TStaffClient): Promise<TStaffAccounts> {
	const { data, error } = await db.rpc('staff_accounts');
	if (error) throw new Error(error.message);
	return data;
}

/**
 * Invite by email with a role. `id` is the client's id for this invite: a retry after a lost
 * answer sends the same id and changes nothing.
 */
export function inviteStaff(
	db: TStaffClient,
	input: { id: string; email: string; role: TStaffRole }
): Promise<TAccountsResult> {
	return call(() =>
		db.rpc('invite_staff', {
			p_id: input.id,
			p_email: normalizeEmail(input.email),
			p_role: input.role
		})
	);
}

export function setStaffRole(db: TStaffClient, userId: string, role: TStaffRole) {
	return call(() => db.rpc('set_staff_role', { p_user_id: userId, p_role: role }));
}

export function removeStaffAccess(db: TStaffClient, userId: string) {
	return call(() => db.rpc('remove_staff_access', { p_user_id: userId }));
}

export function withdrawInvite(db: TStaffClient, id: string) {
	return call(() => db.rpc('withdraw_staff_invite', { p_id: id }));
}

/**
 * After any sign-in: turns a pending invite for this (confirmed) email into the caller's role.
 * Errors are swallowed on purpose: the role lookup that follows is the source of truth, and a
 * failed claim is retried at the next sign-in or page load.
 */
export async function claimInvite(db: TStaffClient): Promise<void> {
	try {
		await db.rpc('claim_staff_invite');
	} catch {
		// offline or backend unreachable: the next start() tries again
	}
}
