/**
 * `npm run staff:invite -- --email <address> --role <admin|analyst|moderator>`
 *
 * Invites a colleague from a terminal with the project's service role key: how the FIRST admin
 * of a new project is made (nobody can use /staff/accounts yet), and a way in if every admin
 * has left. It writes the same pending grant as the accounts page (`invite_staff`, keyed by the
 * lowercased email); the person then opens /staff, chooses "Create an account" (or signs in, if
 * they already have an account) with that address, and has the role. The key stays in this
 * terminal: the browser app never sees it.
 *
 * Options:
 *   --email <address>   who to invite (required)
 *   --role <role>       admin, analyst or moderator (default admin)
 *   --url <url>         Supabase URL (default $PUBLIC_SUPABASE_URL)
 *   --key <key>         service role key (default $SUPABASE_SERVICE_ROLE_KEY)
 *
 * Exit status: 0 invited (or already invited with that role), 1 usage or server problem.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createClient, type WebSocketLikeConstructor } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { Database } from '../supabase/types';

export interface TInviteArgs {
	email: string;
	role: 'admin' | 'analyst' | 'moderator';
	url: string;
	key: string;
}

/** Reads the command line and environment; throws an Error with the usage problem. */
export function parseInviteArgs(
	argv: string[],
	env: Record<string, string | undefined>
): TInviteArgs {
	const args = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const name = argv[i];
		if (!['--email', '--role', '--url', '--key'].includes(name))
			throw new Error(`unknown option ${name}`);
		const value = argv[i + 1];
		if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
		args.set(name, value);
		i++;
	}
	const email = (args.get('--email') ?? '').trim().toLowerCase();
	if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error('--email <address> is required');
	const role = args.get('--role') ?? 'admin';
	if (role !== 'admin' && role !== 'analyst' && role !== 'moderator')
		throw new Error('--role must be admin, analyst or moderator');
	const url = args.get('--url') ?? env.PUBLIC_SUPABASE_URL ?? '';
	const key = args.get('--key') ?? env.SUPABASE_SERVICE_ROLE_KEY ?? '';
	if (!url) throw new Error('give --url or set PUBLIC_SUPABASE_URL');
	if (!key) throw new Error('give --key or set SUPABASE_SERVICE_ROLE_KEY (the service role key)');
	return { email, role, url, key };
}

export async function invite(args: TInviteArgs): Promise<string> {
	const db = createClient<Database>(args.url, args.key, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		// Node 20 has no global WebSocket and supabase-js builds its Realtime client eagerly; no
		// socket is ever opened (same as src/lib/import/cli.ts).
		realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor }
	});
	const { data, error } = await db.rpc('invite_staff', {
		p_id: randomUUID(),
		p_email: args.email,
		p_role: args.role
	});
	if (error) {
		const why =
			error.message === 'already_staff'
				? `${args.email} already has staff access (change the role in /staff/accounts)`
				: error.message;
		throw new Error(why);
	}
	return `Invited ${data.email} as ${data.role}. They open /staff, choose "Create an account" (or sign in) with this address, and have the role.`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	try {
		console.log(await invite(parseInviteArgs(process.argv.slice(2), process.env)));
	} catch (err) {
		console.error(`staff:invite: ${err instanceof Error ? err.message : String(err)}`);
		console.error(
			'usage: npm run staff:invite -- --email <address> [--role admin|analyst|moderator] [--url <url>] [--key <service role key>]'
		);
		process.exitCode = 1;
	}
}
