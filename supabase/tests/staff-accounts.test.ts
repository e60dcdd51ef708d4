/**
 * Staff accounts run without SQL (issue 9), on PGlite and on PostgreSQL 15: only admins see the
 * staff list and invite, change or remove colleagues; an invite becomes a role only when the
 * invited person signs in with that confirmed email; the last admin can never be removed or
 * demoted, whichever way the write arrives.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type WebSocketLikeConstructor } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { ENGINES, openTestDb, type TTestDb } from '../../tests/tools/test-db';
import { invite as cliInvite, parseInviteArgs } from '../../src/lib/staff/invite-cli';
import { startLocalBackend } from '../local/server';
import { as, createUser, type TIdentity } from './support';

const anon: TIdentity = { role: 'anon' };
const service: TIdentity = { role: 'service_role' };

interface TAccounts {
	members: { user_id: string; email: string; role: string }[];
	invites: { id: string; email: string; role: string }[];
}

describe.each(ENGINES)('staff accounts on %s', (engine) => {
	let db: TTestDb;
	let admin: TIdentity & { sub: string };
	let analyst: TIdentity & { sub: string };
	let moderator: TIdentity & { sub: string };

	beforeAll(async () => {
		db = await openTestDb(engine);
		// Fresh database, no seed: these three are the whole staff.
		admin = await createUser(db, { anonymous: false, staffRole: 'admin' });
		analyst = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		moderator = await createUser(db, { anonymous: false, staffRole: 'moderator' });
	});
	afterAll(async () => {
		await db?.close();
	});

	const one = async <T>(who: TIdentity, sql: string, params: unknown[] = []) =>
		as(db, who, async (tx) => (await tx.query<{ r: T }>(sql, params)).rows[0]?.r as T);
	const accounts = (who: TIdentity) => one<TAccounts>(who, 'select public.staff_accounts() as r');
	const invite = (who: TIdentity, email: string, role: string, id: string = randomUUID()) =>
		one<{ id: string; email: string; role: string }>(
			who,
			'select public.invite_staff($1, $2, $3) as r',
			[id, email, role]
		);
	const setRole = (who: TIdentity, userId: string, role: string) =>
		one(who, 'select public.set_staff_role($1, $2) as r', [userId, role]);
	const remove = (who: TIdentity, userId: string) =>
		one(who, 'select public.remove_staff_access($1) as r', [userId]);
	const roleOf = async (userId: string) =>
		(await db.query<{ role: string }>('select role from public.staff where user_id = $1', [userId]))
			.rows[0]?.role ?? null;
	/** A person who signed up with this email (confirmed unless said otherwise). */
	const signUp = async (email: string, confirmed = true) => {
		const id = randomUUID();
		await db.query(
			`insert into auth.users (id, aud, role, email, email_confirmed_at, is_anonymous, created_at, updated_at)
			 values ($1, 'authenticated', 'authenticated', $2, $3, false, now(), now())`,
			[id, email, confirmed ? new Date().toISOString() : null]
		);
		return { role: 'authenticated', sub: id, isAnonymous: false } as TIdentity & { sub: string };
	};
	const claim = (who: TIdentity) =>
		one<string | null>(who, 'select public.claim_staff_invite() as r');

	it('shows the staff list with emails to admins only', async () => {
		const list = await accounts(admin);
		expect(list.members.map((m) => [m.user_id, m.role])).toEqual(
			expect.arrayContaining([
				[admin.sub, 'admin'],
				[analyst.sub, 'analyst'],
				[moderator.sub, 'moderator']
			])
		);
		expect(list.members.find((m) => m.user_id === analyst.sub)?.email).toBe(
			`${analyst.sub}@example.test`
		);
		for (const who of [analyst, moderator]) {
			await expect(accounts(who)).rejects.toMatchObject({ code: '42501' });
		}
		const resident = await createUser(db, { anonymous: true });
		await expect(accounts(resident)).rejects.toMatchObject({ code: '42501' });
		// anon may not even call it, nor read the tables.
		await expect(accounts(anon)).rejects.toMatchObject({ code: '42501' });
		await expect(
			as(db, anon, (tx) => tx.query('select * from public.staff'))
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			as(db, anon, (tx) => tx.query('select * from public.staff_invites'))
		).rejects.toMatchObject({ code: '42501' });
		// Non-admin staff see only their own staff row and no invites.
		const seen = await as(db, analyst, async (tx) => ({
			staff: (await tx.query<{ user_id: string }>('select user_id from public.staff')).rows,
			invites: (await tx.query('select * from public.staff_invites')).rows
		}));
		expect(seen.staff.map((r) => r.user_id)).toEqual([analyst.sub]);
		expect(seen.invites).toEqual([]);
	});

	it('lets an admin invite by email, idempotently, and the invited person claims the role at sign-in', async () => {
		const id = randomUUID();
		const first = await invite(admin, '  New.Colleague@City.example ', 'analyst', id);
		expect(first).toMatchObject({ id, email: 'new.colleague@city.example', role: 'analyst' });
		// The same save again (a retry) changes nothing.
		expect(await invite(admin, 'new.colleague@city.example', 'analyst', id)).toMatchObject({
			id,
			role: 'analyst'
		});
		// Re-inviting the same person with another role keeps one pending grant.
		await invite(admin, 'NEW.colleague@city.example', 'moderator');
		let list = await accounts(admin);
		const pending = list.invites.filter((i) => i.email === 'new.colleague@city.example');
		expect(pending).toEqual([expect.objectContaining({ id, role: 'moderator' })]);

		// An unconfirmed sign-up with that address gets nothing.
		const impostor = await signUp('New.Colleague@city.example', false);
		expect(await claim(impostor)).toBeNull();
		expect(await roleOf(impostor.sub)).toBeNull();
		await db.query('delete from auth.users where id = $1', [impostor.sub]);

		const colleague = await signUp('New.Colleague@City.example');
		expect(await claim(colleague)).toBe('moderator');
		expect(await roleOf(colleague.sub)).toBe('moderator');
		expect(await claim(colleague)).toBe('moderator'); // claiming again is harmless
		list = await accounts(admin);
		expect(list.invites.some((i) => i.email === 'new.colleague@city.example')).toBe(false);
		expect(list.members.find((m) => m.user_id === colleague.sub)?.email).toBe(
			'New.Colleague@City.example'
		);

		// Inviting someone who already has access says so.
		await expect(invite(admin, 'new.colleague@city.example', 'admin')).rejects.toMatchObject({
			code: '23505',
			message: 'already_staff'
		});
		// A reused id for another address is refused, not repurposed.
		const other = randomUUID();
		await invite(admin, 'a@city.example', 'analyst', other);
		await expect(invite(admin, 'b@city.example', 'analyst', other)).rejects.toMatchObject({
			message: 'invite_id_conflict'
		});
		await one(admin, 'select public.withdraw_staff_invite($1) as r', [other]);
		await one(admin, 'select public.withdraw_staff_invite($1) as r', [other]);
		expect((await accounts(admin)).invites.some((i) => i.id === other)).toBe(false);
	});

	it('refuses bad input with a clear error and writes nothing', async () => {
		await expect(invite(admin, 'not-an-email', 'analyst')).rejects.toMatchObject({
			code: '22023',
			message: 'invalid_email'
		});
		await expect(invite(admin, 'x@city.example', 'mayor')).rejects.toMatchObject({
			code: '22023',
			message: 'invalid_role'
		});
		await expect(setRole(admin, analyst.sub, 'owner')).rejects.toMatchObject({
			message: 'invalid_role'
		});
		await expect(setRole(admin, randomUUID(), 'analyst')).rejects.toMatchObject({
			code: 'PT404'
		});
		expect((await accounts(admin)).invites.some((i) => i.email === 'x@city.example')).toBe(false);
	});

	it('does not let analysts, moderators, residents or anon invite, change roles or remove access', async () => {
		const resident = await createUser(db, { anonymous: true });
		for (const who of [analyst, moderator, resident]) {
			await expect(invite(who, 'sneaky@city.example', 'admin')).rejects.toMatchObject({
				code: '42501'
			});
			await expect(setRole(who, who.sub!, 'admin')).rejects.toMatchObject({ code: '42501' });
			await expect(remove(who, admin.sub)).rejects.toMatchObject({ code: '42501' });
			// Nor around the RPCs, straight at the table (RLS).
			await as(db, who, (tx) =>
				tx.query(`update public.staff set role = 'admin' where user_id = $1`, [who.sub])
			);
			await as(db, who, (tx) =>
				tx.query('delete from public.staff where user_id = $1', [admin.sub])
			);
			await expect(
				as(db, who, (tx) =>
					tx.query(
						`insert into public.staff_invites (id, email, role) values ($1, 'z@x.y', 'admin')`,
						[randomUUID()]
					)
				)
			).rejects.toMatchObject({ code: '42501' });
		}
		await expect(invite(anon, 'sneaky@city.example', 'admin')).rejects.toMatchObject({
			code: '42501'
		});
		await expect(claim(anon)).rejects.toMatchObject({ code: '42501' });
		expect(await roleOf(analyst.sub)).toBe('analyst');
		expect(await roleOf(moderator.sub)).toBe('moderator');
		expect(await roleOf(admin.sub)).toBe('admin');
		expect((await accounts(admin)).invites.some((i) => i.email === 'sneaky@city.example')).toBe(
			false
		);
	});

	it('lets an admin change a role and remove access', async () => {
		const person = await createUser(db, { anonymous: false, staffRole: 'moderator' });
		await setRole(admin, person.sub, 'analyst');
		await setRole(admin, person.sub, 'analyst'); // repeat: no-op
		expect(await roleOf(person.sub)).toBe('analyst');
		await remove(admin, person.sub);
		await remove(admin, person.sub); // repeat: no-op
		expect(await roleOf(person.sub)).toBeNull();
		// Their sign-in still exists, but it no longer reaches anything staff-only.
		await expect(accounts(person)).rejects.toMatchObject({ code: '42501' });
	});

	it('lets the service role (npm run staff:invite) invite the first admin of a new project', async () => {
		const invited = await invite(service, 'First.Admin@City.example', 'admin');
		expect(invited).toMatchObject({ email: 'first.admin@city.example', role: 'admin' });
		const person = await signUp('first.admin@city.example');
		expect(await claim(person)).toBe('admin');
		// That admin then manages accounts like any other; step them back out for the next test.
		expect((await accounts(person)).members.some((m) => m.user_id === person.sub)).toBe(true);
		await remove(person, person.sub);
		expect(await roleOf(person.sub)).toBeNull();
	});

	it('never removes or demotes the last admin, however the write arrives', async () => {
		const lastAdmin = { code: '23514', message: 'last_admin' };
		await expect(setRole(admin, admin.sub, 'analyst')).rejects.toMatchObject(lastAdmin);
		await expect(remove(admin, admin.sub)).rejects.toMatchObject(lastAdmin);
		await expect(
			as(db, admin, (tx) => tx.query('delete from public.staff where user_id = $1', [admin.sub]))
		).rejects.toMatchObject(lastAdmin);
		await expect(
			as(db, service, (tx) =>
				tx.query(`update public.staff set role = 'moderator' where user_id = $1`, [admin.sub])
			)
		).rejects.toMatchObject(lastAdmin);
		// Deleting the auth user cascades to staff: refused as well.
		await expect(
			db.query('delete from auth.users where id = $1', [admin.sub])
		).rejects.toMatchObject(lastAdmin);
		expect(await roleOf(admin.sub)).toBe('admin');

		// With a second admin, either may step down; then the other is the last one.
		const second = await createUser(db, { anonymous: false, staffRole: 'analyst' });
		await setRole(admin, second.sub, 'admin');
		await setRole(second, admin.sub, 'analyst');
		expect(await roleOf(admin.sub)).toBe('analyst');
		await expect(remove(second, second.sub)).rejects.toMatchObject(lastAdmin);
		// The demoted admin can no longer manage accounts.
		await expect(setRole(admin, admin.sub, 'admin')).rejects.toMatchObject({ code: '42501' });
		await setRole(second, admin.sub, 'admin');
		await remove(admin, second.sub);
		expect(await roleOf(second.sub)).toBeNull();
		expect(await roleOf(admin.sub)).toBe('admin');
	});

	it('keeps an admin when two admins remove each other at the same moment', async () => {
		const other = await createUser(db, { anonymous: false, staffRole: 'admin' });
		// Each removes the other and holds its transaction open a little, so on PostgreSQL the
		// two overlap (PGlite runs them one after the other; the outcome must be the same).
		const removeAndWait = (who: TIdentity & { sub: string }, target: string) =>
			as(db, who, async (tx) => {
				await tx.query('select public.remove_staff_access($1)', [target]);
				await tx.query('select pg_sleep(0.3)');
			});
		const outcomes = await Promise.allSettled([
			removeAndWait(admin, other.sub),
			removeAndWait(other, admin.sub)
		]);
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
		const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
		// Overlapping: the second is the last admin by the time its trigger counts. One after the
		// other: the second is no longer an admin at all. Either way, refused.
		expect(['23514', '42501']).toContain((refused.reason as { code?: string }).code);
		const { rows } = await db.query<{ user_id: string }>(
			`select user_id from public.staff where role = 'admin'`
		);
		expect(rows).toHaveLength(1);
		// Put the suite's admin back if it was the one removed.
		if (rows[0].user_id !== admin.sub) {
			await db.query(`insert into public.staff (user_id, role) values ($1, 'admin')`, [admin.sub]);
			await remove(admin, other.sub);
		}
	});

	it('works over HTTP on the embedded backend: staff:invite with the service key, then the colleague creates an account and has the role', async () => {
		const backend = await startLocalBackend({ db, port: 0, skipPrepare: true, quiet: true });
		try {
			const args = parseInviteArgs(['--email', 'Lead.Analyst@City.example', '--role', 'analyst'], {
				PUBLIC_SUPABASE_URL: backend.url,
				SUPABASE_SERVICE_ROLE_KEY: backend.serviceRoleKey
			});
			expect(await cliInvite(args)).toContain('Invited lead.analyst@city.example as analyst');
			// With the public anon key instead, the call is refused (anon may not even call it).
			await expect(cliInvite({ ...args, key: backend.anonKey })).rejects.toThrow(
				/permission denied for function invite_staff/
			);

			const browser = createClient(backend.url, backend.anonKey, {
				auth: { persistSession: false, autoRefreshToken: false },
				realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor }
			});
			const { data, error } = await browser.auth.signUp({
				email: 'lead.analyst@city.example',
				password: 'a-long-password'
			});
			expect(error).toBeNull();
			expect(data.session).not.toBeNull();
			const claimed = await browser.rpc('claim_staff_invite');
			expect(claimed).toMatchObject({ data: 'analyst', error: null });
			expect(await roleOf(data.user!.id)).toBe('analyst');
			// Repeating the CLI for someone who now has access says so instead of inviting twice.
			await expect(cliInvite(args)).rejects.toThrow(/already has staff access/);
		} finally {
			await backend.stop();
		}
	});

	it('reads the staff:invite command line strictly', () => {
		const env = { PUBLIC_SUPABASE_URL: 'http://x', SUPABASE_SERVICE_ROLE_KEY: 'k' };
		expect(parseInviteArgs(['--email', 'A@B.org'], env)).toEqual({
			email: 'a@b.org',
			role: 'admin',
			url: 'http://x',
			key: 'k'
		});
		expect(() => parseInviteArgs([], env)).toThrow(/--email/);
		expect(() => parseInviteArgs(['--email', 'a@b.org', '--role', 'boss'], env)).toThrow(/--role/);
		expect(() => parseInviteArgs(['--email', 'a@b.org'], {})).toThrow(/PUBLIC_SUPABASE_URL/);
		expect(() => parseInviteArgs(['--emial', 'a@b.org'], env)).toThrow(/unknown option/);
	});
});
