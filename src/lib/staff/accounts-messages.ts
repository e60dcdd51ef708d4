/**
 * English and Spanish strings of the staff accounts page (/staff/accounts) and of the sign-in
 * form's account messages, beside the code that uses them. `{name}` placeholders. Pure (no
 * runes), so browser tests read the same strings; `ac()` in ./accounts-t binds the language.
 */
import type { TLanguage } from '$domain/survey';
import type { TParams } from '$lib/i18n/types';
// Relative, not $lib: Playwright imports this file without SvelteKit's aliases (types are erased).
import { interpolate } from '../i18n/format';

const en = {
	ac_nav: 'Accounts',
	ac_title: 'Staff accounts',
	ac_intro:
		'Who can use the staff area and what they can do. Admins manage everything, analysts own the numbers and read all survey data, moderators run meeting comments.',
	ac_denied: 'Only administrators can manage staff accounts.',
	ac_loading: 'Loading…',
	ac_members: 'People with access',
	ac_col_email: 'Email',
	ac_col_role: 'Role',
	ac_col_actions: 'Actions',
	ac_you: '(you)',
	ac_role_for: 'Role for {email}',
	ac_change: 'Change role',
	ac_remove: 'Remove access',
	ac_remove_for: 'Remove access for {email}',
	ac_change_for: 'Change role for {email}',
	ac_confirm_remove:
		'Remove staff access for {email}? They keep their sign-in but see nothing staff-only.',
	ac_invites: 'Invited, waiting for first sign-in',
	ac_invites_none: 'No pending invitations.',
	ac_withdraw: 'Withdraw',
	ac_withdraw_for: 'Withdraw the invitation for {email}',
	ac_invite_title: 'Invite a colleague',
	ac_invite_intro:
		'They get the role when they first sign in to the staff area with this email address (they create their password with “Create an account” on the sign-in page; the address must be confirmed).',
	ac_email: 'Email address',
	ac_role: 'Role',
	ac_invite: 'Invite',
	ac_inviting: 'Inviting…',
	ac_role_admin: 'Admin',
	ac_role_analyst: 'Analyst',
	ac_role_moderator: 'Moderator',
	ac_invited: 'Invited {email} as {role}. They get access at their first sign-in.',
	ac_changed: '{email} is now {role}.',
	ac_removed: 'Staff access removed for {email}.',
	ac_withdrawn: 'Invitation for {email} withdrawn.',
	ac_err_email: 'Enter an email address, like name@example.org',
	ac_err_last_admin:
		'{email} is the last admin. Make another colleague an admin first, so someone can still manage accounts.',
	ac_err_already: '{email} already has staff access: change their role in the list instead.',
	ac_err_denied: 'Only administrators can do this.',
	ac_err_db: 'The database refused the change: {message}',
	ac_err_network:
		'The connection failed ({message}). Press the button again: nothing is saved twice.',
	// Sign-in form
	si_wrong_password: 'The email address or password is not right. Check both and try again.',
	si_failed: 'Sign-in did not work: {message}',
	si_create: 'Create an account',
	si_create_intro:
		'Invited by an administrator? Create your account with the email address they invited. You get your role as soon as you sign in.',
	si_create_button: 'Create account',
	si_creating: 'Creating…',
	si_have_account: 'I already have an account',
	si_new_account: 'First time here? Create an account',
	si_password_short: 'Choose a password of at least 8 characters',
	si_exists: 'An account with this email already exists: sign in instead.',
	si_check_email:
		'Account created. Open the link in the email we sent to {email} to confirm it, then sign in.'
};

type TDict = typeof en;

const es: TDict = {
	ac_nav: 'Cuentas',
	ac_title: 'Cuentas del personal',
	ac_intro:
		'Quién puede usar el área del personal y qué puede hacer. Los administradores gestionan todo, los analistas se encargan de las cifras y leen todos los datos de encuestas, los moderadores atienden los comentarios de las reuniones.',
	ac_denied: 'Solo los administradores pueden gestionar las cuentas del personal.',
	ac_loading: 'Cargando…',
	ac_members: 'Personas con acceso',
	ac_col_email: 'Correo electrónico',
	ac_col_role: 'Función',
	ac_col_actions: 'Acciones',
	ac_you: '(usted)',
	ac_role_for: 'Función de {email}',
	ac_change: 'Cambiar función',
	ac_remove: 'Quitar acceso',
	ac_remove_for: 'Quitar el acceso de {email}',
	ac_change_for: 'Cambiar la función de {email}',
	ac_confirm_remove:
		'¿Quitar el acceso de personal de {email}? Conserva su inicio de sesión, pero no ve nada reservado al personal.',
	ac_invites: 'Invitados, a la espera de su primer inicio de sesión',
	ac_invites_none: 'No hay invitaciones pendientes.',
	ac_withdraw: 'Retirar',
	ac_withdraw_for: 'Retirar la invitación de {email}',
	ac_invite_title: 'Invitar a un colega',
	ac_invite_intro:
		'Recibe la función la primera vez que inicia sesión en el área del personal con este correo (crea su contraseña con «Crear una cuenta» en la página de inicio de sesión; el correo debe estar confirmado).',
	ac_email: 'Correo electrónico',
	ac_role: 'Función',
	ac_invite: 'Invitar',
	ac_inviting: 'Invitando…',
	ac_role_admin: 'Administrador',
	ac_role_analyst: 'Analista',
	ac_role_moderator: 'Moderador',
	ac_invited: 'Se invitó a {email} como {role}. Tendrá acceso en su primer inicio de sesión.',
	ac_changed: '{email} ahora es {role}.',
	ac_removed: 'Se quitó el acceso de personal de {email}.',
	ac_withdrawn: 'Se retiró la invitación de {email}.',
	ac_err_email: 'Ingrese un correo electrónico, como nombre@ejemplo.org',
	ac_err_last_admin:
		'{email} es el último administrador. Primero nombre administrador a otro colega, para que alguien pueda seguir gestionando las cuentas.',
	ac_err_already: '{email} ya tiene acceso de personal: cambie su función en la lista.',
	ac_err_denied: 'Solo los administradores pueden hacer esto.',
	ac_err_db: 'La base de datos rechazó el cambio: {message}',
	ac_err_network:
		'La conexión falló ({message}). Pulse el botón de nuevo: nada se guarda dos veces.',
	si_wrong_password:
		'El correo electrónico o la contraseña no son correctos. Revise ambos e inténtelo de nuevo.',
	si_failed: 'No se pudo iniciar sesión: {message}',
	si_create: 'Crear una cuenta',
	si_create_intro:
		'¿Le invitó un administrador? Cree su cuenta con el correo al que le invitaron. Recibe su función en cuanto inicia sesión.',
	si_create_button: 'Crear cuenta',
	si_creating: 'Creando…',
	si_have_account: 'Ya tengo una cuenta',
	si_new_account: '¿Primera vez? Cree una cuenta',
	si_password_short: 'Elija una contraseña de al menos 8 caracteres',
	si_exists: 'Ya existe una cuenta con este correo: inicie sesión.',
	si_check_email:
		'Cuenta creada. Abra el enlace del correo que enviamos a {email} para confirmarla y después inicie sesión.'
};

const dictionaries: Record<TLanguage, TDict> = { en, es };
export type TAccountsKey = keyof TDict;

export function translateAccounts(lang: TLanguage, key: TAccountsKey, params?: TParams): string {
	return interpolate(dictionaries[lang][key], params);
}
