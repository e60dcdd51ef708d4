/**
 * Staff accounts without SQL (issue 9): an admin invites a colleague by email, the colleague
 * creates their account and gets the role at once, the admin changes the role and removes the
 * access; the last admin cannot be demoted or removed, and the page says why. Plus the sign-in
 * form's wrong-password message.
 */
import type { Page } from '@playwright/test';
import { translateAccounts } from '../../src/lib/staff/accounts-messages';
import { expect, expectAccessible, serviceSelect, test } from './helpers/fixtures';

const ADMIN = 'admin@civicpulse.local';
const PASSWORD = 'civicpulse-demo';
const en = (key: Parameters<typeof translateAccounts>[1], p?: Record<string, string>) =>
	translateAccounts('en', key, p);
const es = (key: Parameters<typeof translateAccounts>[1], p?: Record<string, string>) =>
	translateAccounts('es', key, p);

async function signIn(page: Page, email: string, password = PASSWORD) {
	await page.goto('/staff');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const roleOf = async (userId: string) =>
	(await serviceSelect<{ role: string }>('staff', `user_id=eq.${userId}&select=role`))[0]?.role ??
	null;

test('a wrong password is explained on the password, in words people understand, in both languages', async ({
	page
}) => {
	await signIn(page, 'analyst@civicpulse.local', 'not-the-password');
	const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
	await expect(summary).toBeFocused();
	await expect(summary.getByRole('link')).toHaveText(en('si_wrong_password'));
	await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Email address')).not.toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('Invalid login credentials')).toHaveCount(0);
	await expectAccessible(page, 'sign-in, wrong password');

	await page.getByRole('button', { name: 'Cambiar a español' }).click();
	await page.getByLabel('Contraseña').fill('tampoco-es');
	await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
	await expect(page.getByRole('alert').getByRole('link')).toHaveText(es('si_wrong_password'));
	await expectAccessible(page, 'sign-in, wrong password (es)');
});

test('an admin invites a colleague, changes their role and removes their access; the last admin stays', async ({
	page,
	browser
}) => {
	const colleague = `colleague-${Date.now()}@example.org`;
	await signIn(page, ADMIN);
	await page.getByRole('link', { name: en('ac_nav') }).click();
	await expect(page.getByRole('heading', { level: 1, name: en('ac_title') })).toBeVisible();
	await expect(page.getByTestId(`member-${ADMIN}`)).toBeVisible();
	await expectAccessible(page, '/staff/accounts');

	// A mistyped address is explained in place, nothing is stored.
	const form = page.getByRole('form', { name: en('ac_invite_title') });
	await form.getByLabel(en('ac_email')).fill('not an email');
	await form.getByRole('button', { name: en('ac_invite') }).click();
	await expect(form.getByRole('alert')).toBeFocused();
	await expect(form.getByRole('alert')).toContainText(en('ac_err_email'));

	// Mixed case on purpose: the invite is keyed by the lowercased address.
	await form.getByLabel(en('ac_email')).fill(colleague.toUpperCase());
	await form.getByLabel(en('ac_role')).selectOption({ label: en('ac_role_analyst') });
	await form.getByRole('button', { name: en('ac_invite') }).click();
	await expect(page.getByRole('status').filter({ hasText: colleague })).toHaveText(
		en('ac_invited', { email: colleague, role: en('ac_role_analyst') })
	);
	await expect(page.getByTestId(`invite-${colleague}`)).toContainText(en('ac_role_analyst'));
	expect(
		await serviceSelect('staff_invites', `email=eq.${encodeURIComponent(colleague)}&select=role`)
	).toEqual([{ role: 'analyst' }]);

	// The colleague creates their account on another device and is an analyst at once.
	const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
	const theirs = await other.newPage();
	await theirs.goto('/staff');
	await theirs.getByRole('button', { name: en('si_new_account') }).click();
	await expect(theirs.getByRole('heading', { level: 2, name: en('si_create') })).toBeVisible();
	await expectAccessible(theirs, 'sign-in, create an account');
	await theirs.getByLabel('Email address').fill(colleague);
	await theirs.getByLabel('Password').fill('a-long-password');
	await theirs.getByRole('button', { name: en('si_create_button') }).click();
	await expect(theirs.getByTestId('staff-identity')).toHaveText(
		`Signed in as ${colleague} (analyst)`
	);
	await other.close();

	// Back on the admin's page: a member now, the invite claimed.
	await page.reload();
	const row = page.getByTestId(`member-${colleague}`);
	await expect(row).toBeVisible();
	const colleagueId = (await row.getAttribute('data-user-id'))!;
	expect(await roleOf(colleagueId)).toBe('analyst');
	await expect(page.getByTestId(`invite-${colleague}`)).toHaveCount(0);
	await row
		.getByRole('combobox', { name: en('ac_role_for', { email: colleague }) })
		.selectOption('moderator');
	await row.getByRole('button', { name: en('ac_change_for', { email: colleague }) }).click();
	await expect(page.getByRole('status').filter({ hasText: colleague })).toHaveText(
		en('ac_changed', { email: colleague, role: en('ac_role_moderator') })
	);
	expect(await roleOf(colleagueId)).toBe('moderator');

	page.once('dialog', (d) => void d.accept());
	await row.getByRole('button', { name: en('ac_remove_for', { email: colleague }) }).click();
	await expect(page.getByRole('status').filter({ hasText: colleague })).toHaveText(
		en('ac_removed', { email: colleague })
	);
	await expect(page.getByTestId(`member-${colleague}`)).toHaveCount(0);
	expect(await roleOf(colleagueId)).toBeNull();

	// The only admin cannot demote or remove themselves: refused by the database, explained.
	const me = page.getByTestId(`member-${ADMIN}`);
	await me
		.getByRole('combobox', { name: en('ac_role_for', { email: ADMIN }) })
		.selectOption('analyst');
	await me.getByRole('button', { name: en('ac_change_for', { email: ADMIN }) }).click();
	const refusal = page
		.getByRole('alert')
		.filter({ hasText: en('ac_err_last_admin', { email: ADMIN }) });
	await expect(refusal).toBeFocused();
	await expect(me.getByRole('combobox', { name: en('ac_role_for', { email: ADMIN }) })).toHaveValue(
		'admin'
	);
	await expectAccessible(page, '/staff/accounts, last admin refused');

	await page.getByRole('button', { name: 'Cambiar a español' }).click();
	await expect(page.getByRole('heading', { level: 1, name: es('ac_title') })).toBeVisible();
	page.once('dialog', (d) => void d.accept());
	await me.getByRole('button', { name: es('ac_remove_for', { email: ADMIN }) }).click();
	await expect(
		page.getByRole('alert').filter({ hasText: es('ac_err_last_admin', { email: ADMIN }) })
	).toBeFocused();
	await expectAccessible(page, '/staff/accounts, last admin refused (es)');
	const admins = await serviceSelect('staff', 'role=eq.admin&select=user_id');
	expect(admins).toHaveLength(1);
});

test('analysts and moderators get no accounts page', async ({ page }) => {
	await signIn(page, 'analyst@civicpulse.local');
	await expect(page.getByTestId('staff-identity')).toContainText('analyst');
	await expect(page.getByRole('link', { name: en('ac_nav') })).toHaveCount(0);
	await page.goto('/staff/accounts');
	await expect(page.getByRole('alert')).toHaveText(en('ac_denied'));
});
