/**
 * The newcomer test's plumbing: the README's command blocks, a fresh clone of this checkout,
 * and shell commands run in their own process groups so every process they start (npm, tsx,
 * vite, the backend) is stopped with them, even when a test fails.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The commands of the first ```sh block after a heading (comments and blank lines dropped). */
export function readmeCommands(readme: string, heading: string): string[] {
	const lines = readme.split('\n');
	const at = lines.findIndex((l) => /^#{2,4} /.test(l) && l.replace(/^#+ /, '').trim() === heading);
	if (at < 0) throw new Error(`README.md has no section "${heading}"`);
	const open = lines.findIndex((l, i) => i > at && l.startsWith('```'));
	const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
	if (open < 0 || close < 0) throw new Error(`README.md: no code block under "${heading}"`);
	return lines
		.slice(open + 1, close)
		.map((l) => l.replace(/\s+#.*$/, '').trim())
		.filter((l) => l && !l.startsWith('#'));
}

/** One README line split into the commands it chains with `&&`. */
export function chained(line: string): string[] {
	return line.split('&&').map((c) => c.trim());
}

/** The staff demo accounts of the README's table: role → email and password. */
export function demoAccounts(readme: string): Map<string, { email: string; password: string }> {
	const accounts = new Map<string, { email: string; password: string }>();
	for (const m of readme.matchAll(/^\| `([^`]+@[^`]+)` \| `([^`]+)` \| (\w+):/gm))
		accounts.set(m[3], { email: m[1], password: m[2] });
	return accounts;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export interface TRun {
	command: string;
	child: ChildProcess;
	/** Everything it printed (stdout and stderr). */
	output(): string;
	exited: Promise<number | null>;
	running(): boolean;
}

const live = new Set<TRun>();

function killGroup(run: TRun, signal: NodeJS.Signals): void {
	if (!run.child.pid) return;
	try {
		process.kill(-run.child.pid, signal); // the whole group: shell, npm, tsx, node, vite
	} catch {
		// Already gone.
	}
}

// A worker that exits without running the test's cleanup still takes its servers with it.
process.on('exit', () => {
	for (const run of live) killGroup(run, 'SIGKILL');
});

/** Start a shell command in its own process group. */
export function start(command: string, cwd: string, env: Record<string, string> = {}): TRun {
	const child = spawn(command, {
		cwd,
		shell: '/bin/sh',
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		// CI and NO_COLOR keep npm and vite output plain enough to read in a failure message.
		env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env }
	});
	let out = '';
	child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
	child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code))
	);
	const run: TRun = {
		command,
		child,
		output: () => out,
		exited,
		running: () => child.exitCode === null && child.signalCode === null
	};
	live.add(run);
	void exited.then(() => live.delete(run));
	return run;
}

/** Stop a command and everything it started: SIGTERM to its group, SIGKILL after 10 s. */
export async function stop(run: TRun): Promise<void> {
	if (run.running()) {
		killGroup(run, 'SIGTERM');
		const done = await Promise.race([
			run.exited.then(() => true),
			new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))
		]);
		if (!done) killGroup(run, 'SIGKILL');
	}
	// The shell may be gone while a grandchild still runs: the group goes either way.
	killGroup(run, 'SIGKILL');
	live.delete(run);
}

/** Run a command to its end; a non-zero exit fails with the command's output. */
export async function runToEnd(
	command: string,
	cwd: string,
	env: Record<string, string> = {},
	timeoutMs = 180_000
): Promise<string> {
	const run = start(command, cwd, env);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void stop(run);
	}, timeoutMs);
	const code = await run.exited.finally(() => clearTimeout(timer));
	await stop(run);
	if (timedOut)
		throw new Error(
			`\`${command}\` did not finish within ${timeoutMs / 1000} s:\n${run.output().slice(-4000)}`
		);
	if (code !== 0)
		throw new Error(`\`${command}\` exited with ${code}:\n${run.output().slice(-4000)}`);
	return run.output();
}

/** Wait until a URL answers 200 while `run` is still running. */
export async function waitForHttp(url: string, run: TRun, timeoutMs = 120_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (!run.running())
			throw new Error(`\`${run.command}\` exited early:\n${run.output().slice(-4000)}`);
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
			if (res.ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(
		`${url} did not answer within ${timeoutMs / 1000} s:\n${run.output().slice(-4000)}`
	);
}

/**
 * A fresh clone of this checkout's HEAD in a temporary folder. Its node_modules is hard-linked
 * from the checkout's (seconds instead of an `npm ci`) unless `npmCi`, when the README's own
 * `npm ci` runs in the clone.
 */
export async function freshClone(repo: string): Promise<{ dir: string; remove(): Promise<void> }> {
	const parent = await mkdtemp(join(tmpdir(), 'civicpulse-newcomer-'));
	const dir = join(parent, 'civicpulse');
	execFileSync('git', ['clone', '--quiet', '--no-hardlinks', repo, dir]);
	return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}

/** Stand-in for `npm ci`: the checkout's installed packages, hard-linked, without caches. */
export function linkNodeModules(repo: string, dir: string): void {
	const from = join(repo, 'node_modules');
	if (!existsSync(join(from, '.package-lock.json')))
		throw new Error(`${from} is not installed: run npm ci there first.`);
	const installed = JSON.parse(readFileSync(join(from, '.package-lock.json'), 'utf8')) as {
		packages: Record<string, { version?: string }>;
	};
	const wanted = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
		packages: Record<string, { version?: string; optional?: boolean; devOptional?: boolean }>;
	};
	// The clone's lockfile must be what is installed, or this would not be what `npm ci` gives.
	for (const [name, pkg] of Object.entries(wanted.packages)) {
		if (!name) continue;
		const have = installed.packages[name];
		if (!have && (pkg.optional || pkg.devOptional)) continue; // another platform's binary
		if (have?.version !== pkg.version)
			throw new Error(
				`${name} ${pkg.version} is not what ${from} holds: run npm ci in the checkout, or NEWCOMER_NPM_CI=1.`
			);
	}
	execFileSync('cp', ['-al', from, join(dir, 'node_modules')]);
	// Tool caches are written in place; the clone gets its own.
	for (const cache of ['.vite', '.cache', '.vite-temp'])
		execFileSync('rm', ['-rf', join(dir, 'node_modules', cache)]);
}
