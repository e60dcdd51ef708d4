import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, serviceSelect, serviceWrite, test } from './helpers/fixtures';

/**
 * Script and HTML typed into any text field stay text in every view: a comment, a display name,
 * a meeting title, a goal title, a narrative and a survey title holding `<img onerror>` and
 * `<script>` payloads appear literally, and nothing they contain runs (no dialog, no global set,
 * no injected element). Svelte escapes text by default and the app has no {@html}; this guards
 * both. Values are restored afterwards.
 */
const LIVE = '00000000-0000-4000-a800-000000000010';
const PAYLOAD = `<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=1;alert(1)</script>`;
const marked = (where: string) => `${where} ${PAYLOAD}`;

async function service(method: 'POST', table: string, body: Record<string, unknown>) {
	const key = process.env.E2E_SERVICE_ROLE_KEY ?? '';
	const res = await fetch(`${process.env.E2E_SUPABASE_URL}/rest/v1/${table}`, {
		method,
		headers: {
			apikey: key,
			authorization: `Bearer ${key}`,
			'content-type': 'application/json'
		},
		body: JSON.stringify(body)
	});
	if (!res.ok) throw new Error(`${method} ${table}: HTTP ${res.status} ${await res.text()}`);
}

/** Nothing from a payload ran and no element came from one. */
async function expectInert(page: Page, dialogs: string[]) {
	expect(dialogs, 'dialogs opened by stored text').toEqual([]);
	expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(
		undefined
	);
	expect(await page.locator('img[src="x"]').count()).toBe(0);
	expect(
		await page.evaluate(() => [...document.scripts].some((s) => s.textContent?.includes('__pwned')))
	).toBe(false);
}

test('script and HTML stored in text fields show as text and never run', async ({ page }) => {
	const dialogs: string[] = [];
	page.on('dialog', async (d) => {
		dialogs.push(d.message());
		await d.dismiss();
	});

	const [meeting] = await serviceSelect<{ title: unknown }>(
		'meetings',
		`select=title&id=eq.${LIVE}`
	);
	const goals = await serviceSelect<{ id: string; title: unknown }>(
		'goals',
		'select=id,title&published=eq.true&order=position&limit=1'
	);
	const narratives = await serviceSelect<{ id: string; body: unknown }>(
		'narratives',
		'select=id,body&published=eq.true&goal_id=not.is.null'
	);
	const [survey] = await serviceSelect<{ id: string; title: unknown }>(
		'surveys',
		'select=id,title&slug=eq.resident-survey'
	);
	const commentId = randomUUID();
	const both = (s: string) => ({ en: s, es: s });
	try {
		await serviceWrite('PATCH', 'meetings', `id=eq.${LIVE}`, { title: both(marked('Meeting')) });
		await service('POST', 'comments', {
			id: commentId,
			meeting_id: LIVE,
			body: marked('Comment'),
			display_name: '<b>Name</b><script>x</script>',
			status: 'published'
		});
		await serviceWrite('PATCH', 'goals', `id=eq.${goals[0].id}`, { title: both(marked('Goal')) });
		for (const n of narratives) {
			await serviceWrite('PATCH', 'narratives', `id=eq.${n.id}`, {
				body: both(marked('Narrative'))
			});
		}
		await serviceWrite('PATCH', 'surveys', `id=eq.${survey.id}`, { title: both(marked('Survey')) });

		await page.goto('/meetings');
		await expect(page.getByText(marked('Meeting')).first()).toBeVisible();
		await expectInert(page, dialogs);

		await page.goto(`/meetings/${LIVE}`);
		await expect(page.getByText(marked('Comment'))).toBeVisible();
		await expect(page.getByText('<b>Name</b><script>x</script>')).toBeVisible();
		await expect(page.getByRole('heading', { name: marked('Meeting') })).toBeVisible();
		await expectInert(page, dialogs);

		await page.goto('/scorecard');
		await expect(page.getByText(marked('Goal')).first()).toBeVisible();
		if (narratives.length) await expect(page.getByText(marked('Narrative')).first()).toBeVisible();
		await expectInert(page, dialogs);

		await page.goto('/s/resident-survey');
		await expect(page.getByText(marked('Survey')).first()).toBeVisible();
		await expectInert(page, dialogs);

		// A resident's own free text, typed into the form, is shown back as text too.
		await page.goto(`/meetings/${LIVE}`);
		await page.getByLabel('Your question or comment').fill(marked('Typed'));
		await page.getByRole('button', { name: 'Post' }).click();
		await expect(page.getByText(marked('Typed')).first()).toBeVisible();
		await expectInert(page, dialogs);
	} finally {
		await serviceWrite('PATCH', 'meetings', `id=eq.${LIVE}`, { title: meeting.title });
		await serviceWrite('PATCH', 'goals', `id=eq.${goals[0].id}`, { title: goals[0].title });
		for (const n of narratives) {
			await serviceWrite('PATCH', 'narratives', `id=eq.${n.id}`, { body: n.body });
		}
		await serviceWrite('PATCH', 'surveys', `id=eq.${survey.id}`, { title: survey.title });
		await serviceWrite('DELETE', 'comments', `meeting_id=eq.${LIVE}&body=like.*__pwned*`);
	}
});
