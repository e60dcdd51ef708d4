/**
 * The browser-test stack, run as a child process by global-setup.ts (tsx, so the backend's
 * TypeScript runs exactly as with `npm run backend`): the embedded backend on a free port with
 * a throwaway PGlite data folder (migrations + seed), and the static server for build/ answering
 * /config.json with that backend's URL and anon key. Prints one JSON line, then runs until killed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBackend } from '../../../supabase/local/server';
import { serveBuild } from '../../tools/serve-build';

const dataDir = await mkdtemp(join(tmpdir(), 'civicpulse-e2e-'));
const backend = await startLocalBackend({ port: 0, dataDir, seed: true, quiet: true });
const web = await serveBuild({
	port: 0,
	config: { supabaseUrl: backend.url, anonKey: backend.anonKey },
	testHooks: true
});

console.log(
	JSON.stringify({
		ready: true,
		baseURL: web.url,
		supabaseUrl: backend.url,
		anonKey: backend.anonKey,
		serviceRoleKey: backend.serviceRoleKey
	})
);

let stopping = false;
async function stop() {
	if (stopping) return;
	stopping = true;
	await web.close().catch(() => {});
	await backend.stop().catch(() => {});
	await rm(dataDir, { recursive: true, force: true }).catch(() => {});
	process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop); // the parent went away
process.stdin.resume();
