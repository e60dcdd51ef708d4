/**
 * `npm run backend`: the embedded local backend on 127.0.0.1:54321.
 *
 *   npm run backend                      PGlite data in supabase/.local-data/pglite (kept)
 *   DATABASE_URL=postgres://… npm run backend   use a PostgreSQL 15 server instead
 *   npm run backend -- --reset           recreate the PGlite data folder first
 *   npm run backend -- --no-serve        apply bootstrap, migrations and seed, then exit
 *   npm run backend -- --port 54400 --host 127.0.0.1 [--allow-non-loopback]
 *   npm run backend -- --cli-mode        behave like `supabase start`: no API key needed
 *                                        (key-less requests are anon), signing keys from
 *                                        supabase/config.toml `[auth] signing_keys_path`
 *   npm run backend -- --signing-keys supabase/signing_keys.json   RS256/ES256 keys + JWKS
 *   npm run backend -- --db-tx-end commit-allow-override           honour Prefer: tx=rollback
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from './db';
import { prepareDatabase, resetPgliteDir } from './migrate';
import type { DbTxEnd } from './rest';
import { startLocalBackend, type GatewayMode, type LocalBackend } from './server';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DATA_DIR = path.resolve(here, '../.local-data/pglite');
const SUPABASE_DIR = path.resolve(here, '..');
const TX_ENDS: DbTxEnd[] = [
	'commit',
	'commit-allow-override',
	'rollback',
	'rollback-allow-override'
];

export interface CliOptions {
	reset: boolean;
	serve: boolean;
	port: number;
	host: string;
	allowNonLoopback: boolean;
	gateway: GatewayMode;
	/** Explicit --signing-keys file (resolved against the working directory). */
	signingKeys: string | null;
	dbTxEnd: DbTxEnd;
}

export function parseArgs(argv: string[]): CliOptions {
	const o: CliOptions = {
		reset: false,
		serve: true,
		port: 54321,
		host: '127.0.0.1',
		allowNonLoopback: false,
		gateway: 'hosted',
		signingKeys: null,
		dbTxEnd: 'commit'
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--reset') o.reset = true;
		else if (a === '--no-serve') o.serve = false;
		else if (a === '--allow-non-loopback') o.allowNonLoopback = true;
		else if (a === '--cli-mode') o.gateway = 'cli';
		else if (a === '--signing-keys') {
			const f = argv[++i];
			if (!f) throw new Error('--signing-keys needs a file (a JSON array of private JWKs)');
			o.signingKeys = path.resolve(f);
		} else if (a === '--db-tx-end') {
			const v = argv[++i] as DbTxEnd;
			if (!TX_ENDS.includes(v)) throw new Error(`--db-tx-end needs one of ${TX_ENDS.join(', ')}`);
			o.dbTxEnd = v;
		} else if (a === '--port') {
			const n = Number(argv[++i]);
			if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port needs a port number`);
			o.port = n;
		} else if (a === '--host') {
			const h = argv[++i];
			if (!h) throw new Error('--host needs a host name');
			o.host = h;
		} else throw new Error(`Unknown option ${a}`);
	}
	return o;
}

/**
 * The signing keys file `supabase start` would use: `[auth] signing_keys_path` in
 * supabase/config.toml, relative to the supabase folder (CLI `pkg/config`), if set and present.
 */
export function configuredSigningKeys(configToml = path.join(SUPABASE_DIR, 'config.toml')) {
	if (!existsSync(configToml)) return null;
	let section = '';
	for (const line of readFileSync(configToml, 'utf8').split('\n')) {
		const header = /^\s*\[([^\]]+)\]/.exec(line);
		if (header) section = header[1].trim();
		const m = /^\s*signing_keys_path\s*=\s*"([^"]+)"/.exec(line);
		if (m && section === 'auth') {
			const file = path.resolve(path.dirname(configToml), m[1]);
			if (!existsSync(file)) throw new Error(`[auth] signing_keys_path: ${file} does not exist`);
			return file;
		}
	}
	return null;
}

/** Open the configured database (PGlite folder or DATABASE_URL), honouring --reset. */
export async function openConfiguredDb(reset: boolean) {
	const databaseUrl = process.env.DATABASE_URL || undefined;
	if (databaseUrl) {
		if (reset) throw new Error('--reset only applies to the PGlite data folder, not DATABASE_URL');
		return { db: await openDb({ databaseUrl }), where: 'PostgreSQL (DATABASE_URL)' };
	}
	if (reset) await resetPgliteDir(DEFAULT_DATA_DIR);
	else await mkdir(DEFAULT_DATA_DIR, { recursive: true });
	return {
		db: await openDb({ dataDir: DEFAULT_DATA_DIR }),
		where: `PGlite ${path.relative(process.cwd(), DEFAULT_DATA_DIR)}`
	};
}

export async function printBanner(b: LocalBackend, where: string) {
	const { rows } = await b.db.query<{ email: string }>(
		`select email from auth.users where email is not null and deleted_at is null order by email limit 10`
	);
	const lines = [
		'',
		`CivicPulse local backend (${where})`,
		`  API URL          ${b.url}`,
		`  anon key         ${b.anonKey}`,
		`  service_role key ${b.serviceRoleKey}`,
		`  publishable key  ${b.publishableKey}`,
		`  secret key       ${b.secretKey}`,
		`  JWT secret       ${b.jwtSecret}`,
		`  JWT signing      ${b.signingAlg}${b.signingAlg === 'HS256' ? ' (JWT secret)' : ' (signing keys; JWKS at /auth/v1/.well-known/jwks.json)'}`,
		b.gateway === 'cli'
			? '  Gateway          CLI mode: no API key required; key-less requests are anon'
			: '  Gateway          hosted mode: every request needs a known API key',
		...(b.dbTxEnd !== 'commit' ? [`  db-tx-end        ${b.dbTxEnd}`] : []),
		'  Realtime is not served: the app polls.',
		rows.length
			? `  Staff demo accounts (passwords in README.md): ${rows.map((r) => r.email).join(', ')}`
			: '  No demo accounts yet (supabase/seed.sql creates them; see README.md).',
		''
	];
	console.log(lines.join('\n'));
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const { db, where } = await openConfiguredDb(o.reset);
	if (!o.serve) {
		const r = await prepareDatabase(db);
		console.log(r.applied.length ? `Applied: ${r.applied.join(', ')}` : 'Database is up to date.');
		for (const n of r.notes) console.log(`Note: ${n}`);
		await db.close();
		return;
	}
	const b = await startLocalBackend({
		db,
		port: o.port,
		host: o.host,
		allowNonLoopback: o.allowNonLoopback,
		gateway: o.gateway,
		signingKeysPath:
			o.signingKeys ?? (o.gateway === 'cli' ? (configuredSigningKeys() ?? undefined) : undefined),
		dbTxEnd: o.dbTxEnd
	});
	if (b.prepared?.applied.length) console.log(`Applied: ${b.prepared.applied.join(', ')}`);
	for (const n of b.prepared?.notes ?? []) console.log(`Note: ${n}`);
	await printBanner(b, where);
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await b.stop();
		await db.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch((e: unknown) => {
		console.error(e instanceof Error ? e.message : e);
		process.exit(1);
	});
}
