/**
 * Starts tests/e2e/helpers/stack.ts once for the whole run and hands its addresses to the tests
 * through environment variables (Playwright passes globalSetup's env changes to workers).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
	if (!existsSync(join(root, 'build', '200.html'))) {
		throw new Error('No build found: run `npm run build` before the browser tests.');
	}
	const child = spawn(
		join(root, 'node_modules', '.bin', 'tsx'),
		[join(root, 'tests/e2e/helpers/stack.ts')],
		{
			cwd: root,
			stdio: ['pipe', 'pipe', 'inherit']
		}
	);
	const info = await new Promise<Record<string, string>>((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			for (const line of buffer.split('\n')) {
				if (line.startsWith('{') && line.includes('"ready"')) resolve(JSON.parse(line));
			}
		});
		child.once('exit', (code) => reject(new Error(`The test stack exited early (code ${code}).`)));
		setTimeout(() => reject(new Error('The test stack did not start within 180 s.')), 180_000);
	});
	process.env.E2E_BASE_URL = info.baseURL;
	process.env.E2E_SUPABASE_URL = info.supabaseUrl;
	process.env.E2E_ANON_KEY = info.anonKey;
	process.env.E2E_SERVICE_ROLE_KEY = info.serviceRoleKey;
	return async () => {
		child.kill('SIGTERM');
		await new Promise((r) => child.once('exit', r));
	};
}
