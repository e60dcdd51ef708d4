/**
 * `npm run dev`: the app with a backend. If PUBLIC_SUPABASE_URL is unset, the embedded local
 * backend starts in this process and `vite dev` is spawned with PUBLIC_SUPABASE_URL and
 * PUBLIC_SUPABASE_ANON_KEY pointing at it; otherwise vite runs against the configured project.
 * Ctrl-C stops both. Extra arguments are passed to vite (e.g. `npm run dev -- --port 5174`).
 *
 * Ports: PORT (default 5173; set, it must be free) for the app and LOCAL_BACKEND_PORT (default
 * 54321) for the embedded backend, e.g. `PORT=5180 LOCAL_BACKEND_PORT=54400 npm run dev`.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { openConfiguredDb, printBanner } from './cli';
import { startLocalBackend, type LocalBackend } from './server';

async function main() {
	const env = { ...process.env };
	let backend: LocalBackend | undefined;
	let closeDb: (() => Promise<void>) | undefined;
	if (!env.PUBLIC_SUPABASE_URL) {
		const { db, where } = await openConfiguredDb(false);
		closeDb = () => db.close();
		backend = await startLocalBackend({ db, port: Number(env.LOCAL_BACKEND_PORT ?? 54321) });
		await printBanner(backend, where);
		env.PUBLIC_SUPABASE_URL = backend.url;
		env.PUBLIC_SUPABASE_ANON_KEY = backend.anonKey;
	}
	const viteBin = path.join(
		path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
		'bin/vite.js'
	);
	const args = process.argv.slice(2);
	// PORT picks the app's port; asked for by number, it must be that one (no silent fallback).
	if (env.PORT && !args.includes('--port')) args.push('--port', env.PORT, '--strictPort');
	const child = spawn(process.execPath, [viteBin, 'dev', ...args], {
		stdio: 'inherit',
		env
	});
	let stopping = false;
	const shutdown = async (code: number) => {
		if (stopping) return;
		stopping = true;
		if (child.exitCode === null) child.kill('SIGTERM');
		await backend?.stop();
		await closeDb?.();
		process.exit(code);
	};
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));
	child.on('exit', (code) => void shutdown(code ?? 0));
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
