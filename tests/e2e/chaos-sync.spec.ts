/**
 * Chaos sync: 1,000 survey responses and 200 meeting comments queued offline on one device reach
 * the database exactly once through a network that loses, repeats and reorders requests, with a
 * reload in the middle of the drain — and again when the device's database was upgraded to a
 * newer schema between queueing and sending.
 *
 * The stack is this spec's own (tests/tools/chaos-stack.ts): a fresh backend behind the chaos
 * proxy (tests/tools/chaos-proxy.ts: 30 % of requests dropped, 20 % of answers destroyed after
 * the commit, 15 % sent twice, 25 % held back so later ones overtake them, one request never
 * answered at all), and a static server whose /config.json points the app at the proxy.
 *
 * Queueing goes through the app: one comment is posted with the form while offline (the app's
 * own queueComment), the rest are written into the same Dexie tables in the exact shape
 * submitDraft and queueComment write (id = payload.id, status pending, attempts 0, a receipt per
 * response). Sending is entirely the app's: going online triggers both drains, the reload
 * restarts them from what is on the device. The figures are printed as `CHAOS {...}` lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test, waitForServiceWorker } from './helpers/fixtures';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESPONSES = 1_000;
const COMMENTS = 200;

interface TStack {
	baseURL: string;
	controlURL: string;
	seed: number;
	waves: string[];
	meetings: string[];
}
interface TCount {
	rows: number;
	distinct: number;
}
interface TQueued {
	responses: string[];
	comments: string[];
}

let child: ChildProcess;
let stack: TStack;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(180_000);
	child = spawn(
		join(root, 'node_modules', '.bin', 'tsx'),
		[join(root, 'tests/tools/chaos-stack.ts')],
		{
			cwd: root,
			stdio: ['pipe', 'pipe', 'inherit']
		}
	);
	stack = await new Promise<TStack>((resolve, reject) => {
		let buffer = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			for (const line of buffer.split('\n'))
				if (line.startsWith('{') && line.includes('"ready"')) resolve(JSON.parse(line) as TStack);
		});
		child.once('exit', (code) => reject(new Error(`The chaos stack exited early (code ${code}).`)));
	});
});

test.afterAll(async () => {
	if (!child || child.exitCode !== null) return;
	child.kill('SIGTERM');
	await new Promise((r) => child.once('exit', r));
});

async function control<T>(path: string, body?: unknown): Promise<T> {
	const res = await fetch(`${stack.controlURL}${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
	return (await res.json()) as T;
}

const stored = (ids: TQueued) => control<{ responses: TCount; comments: TCount }>('/count', ids);

/** Rows still in the device's outboxes (raw IndexedDB: works whatever schema version is open). */
function onDevice(page: Page): Promise<{ outbox: number; comments: number; rejected: number }> {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((ok, fail) => {
			const r = indexedDB.open('civicpulse');
			r.onsuccess = () => ok(r.result);
			r.onerror = () => fail(r.error);
		});
		const all = (store: string) =>
			new Promise<{ status: string }[]>((ok, fail) => {
				const r = db.transaction(store).objectStore(store).getAll();
				r.onsuccess = () => ok(r.result as { status: string }[]);
				r.onerror = () => fail(r.error);
			});
		const [outbox, comments] = [await all('outbox'), await all('comment_outbox')];
		db.close();
		return {
			outbox: outbox.length,
			comments: comments.length,
			rejected: [...outbox, ...comments].filter((e) => e.status === 'rejected').length
		};
	});
}

/**
 * Open the first chaos meeting, go offline, post one comment with the form, then queue the rest
 * (999 + 1,000 responses would take an hour of clicking) straight into the app's tables.
 */
async function queueOffline(page: Page, context: BrowserContext, round: string): Promise<TQueued> {
	await page.goto(`${stack.baseURL}/meetings/${stack.meetings[0]}`);
	const field = page.getByLabel('Your question or comment');
	await expect(field).toBeVisible();
	await waitForServiceWorker(page); // so the reloads while offline are served
	await context.setOffline(true);
	const formBody = `Chaos ${round}: posted with the form while offline`;
	await field.fill(formBody);
	await page.getByRole('button', { name: 'Post' }).click();
	await expect(page.getByText('1 comment waiting to send')).toBeVisible();

	return page.evaluate(
		async ({ waves, meetings, round, formBody, responses, comments }) => {
			const db = await new Promise<IDBDatabase>((ok, fail) => {
				const r = indexedDB.open('civicpulse');
				r.onsuccess = () => ok(r.result);
				r.onerror = () => fail(r.error);
			});
			const tx = db.transaction(['outbox', 'receipts', 'comment_outbox'], 'readwrite');
			const done = new Promise<void>((ok, fail) => {
				tx.oncomplete = () => ok();
				tx.onerror = () => fail(tx.error);
			});
			const formId = await new Promise<string>((ok, fail) => {
				const r = tx.objectStore('comment_outbox').getAll();
				r.onsuccess = () =>
					ok(
						(r.result as { id: string; payload: { body: string } }[]).find(
							(e) => e.payload.body === formBody
						)!.id
					);
				r.onerror = () => fail(r.error);
			});
			const start = Date.now();
			const at = (i: number) => new Date(start + i).toISOString();
			const queued = { responses: [] as string[], comments: [formId] };
			for (let i = 0; i < responses; i++) {
				const id = crypto.randomUUID();
				const payload = {
					id,
					wave_id: waves[i],
					language: 'en',
					submitted_at: at(i),
					invitation_code: null,
					answers: { q1_01: 1 + (i % 5), q2_01: 1 + ((i * 7) % 5) }
				};
				// As submitDraft (src/lib/sync/outbox.ts) writes them.
				tx.objectStore('outbox').add({
					id,
					slug: 'resident-survey',
					payload,
					status: 'pending',
					attempts: 0,
					next_attempt_at: start,
					enqueued_at: at(i),
					last_error: null,
					reason: null,
					errors: null
				});
				tx.objectStore('receipts').put({
					id,
					slug: 'resident-survey',
					wave_id: waves[i],
					submitted_at: at(i),
					status: 'queued',
					sent_at: null,
					rated: ['q1_01', 'q2_01'],
					district: null
				});
				queued.responses.push(id);
			}
			// 20 per meeting (the per-author limit), the form's comment included.
			for (let j = 1; j < comments; j++) {
				const id = crypto.randomUUID();
				const meeting_id = meetings[Math.floor(j / 20)];
				// As queueComment (src/lib/meetings/comment-outbox.ts) writes them.
				tx.objectStore('comment_outbox').add({
					id,
					meeting_id,
					payload: {
						id,
						meeting_id,
						agenda_item_id: null,
						kind: j % 5 === 0 ? 'question' : 'comment',
						body: `Chaos ${round}: comment ${j} of ${comments}`,
						display_name: j % 3 === 0 ? `Resident ${j}` : null
					},
					status: 'pending',
					attempts: 0,
					next_attempt_at: start,
					enqueued_at: at(j),
					last_error: null,
					reason: null
				});
				queued.comments.push(id);
			}
			await done;
			db.close();
			return queued;
		},
		{
			waves: stack.waves,
			meetings: stack.meetings,
			round,
			formBody,
			responses: RESPONSES,
			comments: COMMENTS
		}
	);
}

/**
 * Go online through the chaos proxy, reload once ~40 % in, wait until the device's queues are
 * empty. With `blackHole`, the first survey send is never answered. The survey drain must get
 * past it on its own (the request deadline, src/lib/supabase/fetch-timeout.ts): the reload
 * cannot rescue it, since it waits for 40 % of the items and the comments alone are 17 %.
 */
async function syncThroughChaos(
	page: Page,
	context: BrowserContext,
	queued: TQueued,
	round: string,
	{ blackHole }: { blackHole: boolean }
) {
	const total = queued.responses.length + queued.comments.length;
	await control('/chaos', { enabled: true, seed: stack.seed, blackHoles: blackHole ? 1 : 0 });
	const started = Date.now();
	await context.setOffline(false);
	let reloadedAt: number | null = null;
	let storedAtReload = 0;
	for (;;) {
		const now = await stored(queued);
		const n = now.responses.rows + now.comments.rows;
		if (reloadedAt === null && n >= 0.4 * total) {
			reloadedAt = Date.now() - started;
			storedAtReload = n;
			await page.reload();
			await expect(page.getByLabel('Your question or comment')).toBeVisible();
		}
		const left = await onDevice(page);
		if (n === total && left.outbox === 0 && left.comments === 0) break;
		expect(left.rejected, 'nothing is refused').toBe(0);
		expect(
			Date.now() - started,
			`drain of ${round} still running: ${n} of ${total} stored, ${left.outbox + left.comments} on the device`
		).toBeLessThan(180_000);
		await page.waitForTimeout(1_000);
	}
	const drainMs = Date.now() - started;
	const stats = await control<{ blackHoled: number; blackHoleHeldMs: number[] }>('/stats');
	await control('/chaos', { enabled: false });
	const figures = {
		round,
		queued: { responses: queued.responses.length, comments: queued.comments.length },
		reloadedAfterMs: reloadedAt,
		storedAtReload,
		drainMs,
		seed: stack.seed,
		proxy: stats
	};
	console.log(`CHAOS ${JSON.stringify(figures)}`);
	return figures;
}

async function expectEachStoredOnce(page: Page, queued: TQueued) {
	const final = await stored(queued);
	expect(final.responses).toEqual({ rows: RESPONSES, distinct: RESPONSES });
	expect(final.comments).toEqual({ rows: COMMENTS, distinct: COMMENTS });
	expect(await onDevice(page)).toEqual({ outbox: 0, comments: 0, rejected: 0 });
	await expect(page.getByText(/waiting to send/)).toHaveCount(0);
}

test('1,000 responses and 200 comments queued offline are stored exactly once through a lossy, repeating, reordering network and a reload', async ({
	page,
	context
}) => {
	test.setTimeout(260_000);
	const queued = await queueOffline(page, context, 'round 1');
	expect(queued.responses).toHaveLength(RESPONSES);
	expect(queued.comments).toHaveLength(COMMENTS);
	const figures = await syncThroughChaos(page, context, queued, 'round 1', { blackHole: true });
	expect(figures.reloadedAfterMs).not.toBeNull();
	// The never-answered request was given up by the app after its 30 s deadline, and the drain
	// went on: without the deadline it would hold the outbox lock until the page closed.
	expect(figures.proxy.blackHoled).toBe(1);
	expect(figures.proxy.blackHoleHeldMs[0]).toBeGreaterThanOrEqual(29_000);
	await expectEachStoredOnce(page, queued);
});

test('items queued under the current database schema are still sent exactly once after the device database was upgraded to the next version', async ({
	page,
	context
}) => {
	test.setTimeout(200_000);
	const queued = await queueOffline(page, context, 'round 2');

	// The next app version's Dexie upgrade (version 3 → native 30), run on the device between
	// queueing and sending: a new table, new indexes on both outboxes, every queued row rewritten.
	const upgraded = await page.evaluate(async () => {
		const current = await new Promise<number>((ok, fail) => {
			const r = indexedDB.open('civicpulse');
			r.onsuccess = () => {
				ok(r.result.version);
				r.result.close();
			};
			r.onerror = () => fail(r.error);
		});
		return new Promise<{ from: number; to: number }>((ok, fail) => {
			const r = indexedDB.open('civicpulse', current + 10);
			r.onupgradeneeded = () => {
				const db = r.result;
				const tx = r.transaction!;
				db.createObjectStore('sync_log', { keyPath: 'id' });
				for (const name of ['outbox', 'comment_outbox']) {
					const store = tx.objectStore(name);
					store.createIndex('enqueued_at', 'enqueued_at');
					store.openCursor().onsuccess = (e) => {
						const cursor = (e.target as IDBRequest<IDBCursorWithValue | null>).result;
						if (!cursor) return;
						cursor.update({ ...cursor.value, schema_version: 3 });
						cursor.continue();
					};
				}
			};
			r.onsuccess = () => {
				ok({ from: current, to: r.result.version });
				r.result.close();
			};
			r.onerror = () => fail(r.error);
			r.onblocked = () => fail(new Error('The upgrade was blocked by an open connection.'));
		});
	});
	expect(upgraded.to).toBe(upgraded.from + 10);

	// The app opens the upgraded database (still offline) and shows what is waiting.
	await page.reload();
	// The meeting page counts its own meeting's queue: 20 of the 200.
	await expect(page.getByText('20 comments waiting to send')).toBeVisible();

	const figures = await syncThroughChaos(page, context, queued, 'round 2 (schema upgraded)', {
		blackHole: false
	});
	expect(figures.reloadedAfterMs).not.toBeNull();
	await expectEachStoredOnce(page, queued);
});
