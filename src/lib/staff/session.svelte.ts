/**
 * The signed-in staff member as runes state: email + password sign-in through Supabase Auth,
 * the role read from the `staff` table, sign-out.
 *
 * Trust boundary: the role shown here only decides which forms the UI offers. Every write is
 * checked again by RLS (`private.is_staff(...)`), so a tampered client gains nothing. An
 * anonymous resident session (from the survey) is never treated as staff.
 */
import type { Session } from '@supabase/supabase-js';
import { claimInvite } from './accounts';
import { staffClient, type TStaffRow } from './db';

export type TStaffRole = TStaffRow['role'];

/** An Auth refusal, with GoTrue's error code (e.g. `invalid_credentials`) when it gave one. */
export class StaffAuthError extends Error {
	constructor(
		message: string,
		readonly code: string | undefined
	) {
		super(message);
	}
	/** Wrong email or password (GoTrue does not say which, on purpose). */
	get wrongCredentials(): boolean {
		return this.code === 'invalid_credentials' || this.message === 'Invalid login credentials';
	}
	get alreadyRegistered(): boolean {
		return this.code === 'user_already_exists' || this.message === 'User already registered';
	}
}

class StaffSession {
	#status = $state<'loading' | 'signed_out' | 'signed_in'>('loading');
	#email = $state<string | null>(null);
	#userId = $state<string | null>(null);
	#role = $state<TStaffRole | null>(null);
	#error = $state<string | null>(null);
	#started = false;

	get status() {
		return this.#status;
	}
	get email() {
		return this.#email;
	}
	get userId() {
		return this.#userId;
	}
	/** null while signed in = not on the staff list. */
	get role() {
		return this.#role;
	}
	get error() {
		return this.#error;
	}
	get isStaff() {
		return this.#status === 'signed_in' && this.#role !== null;
	}
	can(...roles: TStaffRole[]): boolean {
		return this.#role !== null && roles.includes(this.#role);
	}

	/** Reads the stored session once per page load and follows later auth changes. */
	async start(): Promise<void> {
		if (this.#started) return;
		this.#started = true;
		try {
			const supabase = await staffClient();
			const { data } = await supabase.auth.getSession();
			await this.#apply(data.session);
			supabase.auth.onAuthStateChange((_event, session) => {
				// Deferred: supabase-js holds its auth lock while calling listeners.
				setTimeout(() => void this.#apply(session), 0);
			});
		} catch (err) {
			this.#error = err instanceof Error ? err.message : String(err);
			this.#status = 'signed_out';
		}
	}

	async #apply(session: Session | null): Promise<void> {
		const user = session?.user;
		if (!user || user.is_anonymous) {
			this.#status = 'signed_out';
			this.#email = null;
			this.#userId = null;
			this.#role = null;
			return;
		}
		if (user.id === this.#userId && this.#status === 'signed_in') return;
		const supabase = await staffClient();
		// An admin may have invited this email: the invite becomes a role at sign-in.
		await claimInvite(supabase);
		const { data, error } = await supabase
			.from('staff')
			.select('user_id, role, display_name')
			.eq('user_id', user.id)
			.maybeSingle();
		this.#email = user.email ?? null;
		this.#userId = user.id;
		this.#role = error ? null : (data?.role ?? null);
		this.#error = error ? error.message : null;
		this.#status = 'signed_in';
	}

	/** Resolves when signed in (staff or not); throws the Auth error message otherwise. */
	async signIn(email: string, password: string): Promise<void> {
		const supabase = await staffClient();
		const { data, error } = await supabase.auth.signInWithPassword({ email, password });
		if (error) throw new StaffAuthError(error.message, error.code);
		this.#userId = null;
		await this.#apply(data.session);
	}

	/**
	 * Creates an email + password account (an invited colleague's first visit). Returns
	 * 'signed_in' when the project signs new accounts in at once (email confirmation off, as on
	 * the embedded backend), 'confirm_email' when the address must be confirmed first (hosted
	 * Supabase's default); the invite is claimed at the first sign-in after that.
	 */
	async signUp(email: string, password: string): Promise<'signed_in' | 'confirm_email'> {
		const supabase = await staffClient();
		const { data, error } = await supabase.auth.signUp({
			email,
			password,
			options: { emailRedirectTo: `${location.origin}/staff` }
		});
		if (error) throw new StaffAuthError(error.message, error.code);
		if (!data.session) return 'confirm_email';
		this.#userId = null;
		await this.#apply(data.session);
		return 'signed_in';
	}

	async signOut(): Promise<void> {
		const supabase = await staffClient();
		await supabase.auth.signOut({ scope: 'local' });
		await this.#apply(null);
	}
}

export const staffSession = new StaffSession();
