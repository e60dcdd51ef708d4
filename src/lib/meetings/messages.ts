/**
 * English and Spanish strings of the meeting pages, beside the code that uses them so the survey
 * bundle never carries them. `{name}` placeholders; `mt()` follows the app's current language.
 */
import type { TLanguage } from '$domain/survey';
import { i18n } from '$lib/i18n/i18n.svelte';
import { interpolate, pluralize } from '$lib/i18n/format';
import type { TParams, TPlural } from '$lib/i18n/types';

const en = {
	mt_title: 'Public performance meetings',
	mt_intro:
		'Each month city leaders review one goal area of the Citywide Business Plan in public: measures against targets, what residents told the city in the survey, and questions from the public. Watch the stream, ask a question on an agenda item and follow the answers live.',
	mt_live: 'Live now',
	mt_upcoming: 'Coming up',
	mt_past: 'Past meetings',
	mt_none_upcoming: 'No meetings are scheduled yet.',
	mt_none_past: 'No past meetings yet.',
	mt_status_scheduled: 'Scheduled',
	mt_status_live: 'Live',
	mt_status_ended: 'Ended',
	mt_status_cancelled: 'Cancelled',
	mt_questions_open: 'Taking questions',
	mt_offline_copy: 'You are offline: this is the copy saved on this device on {date}.',
	mt_load_failed: 'The meetings could not be loaded. Check your connection and try again.',
	mt_retry: 'Try again',
	mt_loading: 'Loading…',
	mt_not_found: 'This meeting does not exist or was removed.',
	mt_back: 'All meetings',
	mt_when: 'When',
	mt_goal_area: 'Goal area',
	mt_watch: 'Watch the live stream',
	mt_watch_recording: 'Watch the recording',
	mt_agenda: 'Agenda',
	mt_comments: 'Questions and comments',
	mt_comments_closed: 'Comments are closed for this meeting.',
	mt_comments_pre:
		'A moderator reviews each comment before it is shown to everyone. You will see yours right away, marked "Waiting for review".',
	mt_filter_label: 'Show',
	mt_filter_all: 'Everything',
	mt_filter_general: 'General',
	mt_sort_label: 'Order',
	mt_sort_top: 'Most upvoted',
	mt_sort_new: 'Newest first',
	mt_no_comments: 'No questions or comments yet.',
	mt_live_updates: 'Updates every few seconds.',
	mt_feed_offline: 'Offline: new comments will appear when you reconnect.',
	mt_new_count: '{count} new',
	mt_kind_question: 'Question',
	mt_kind_comment: 'Comment',
	mt_answered: 'Answered',
	mt_pinned: 'Pinned by the moderator',
	mt_pending: 'Waiting for review',
	mt_hidden: 'Hidden by a moderator',
	mt_hidden_reason: 'Hidden by a moderator: {reason}',
	mt_yours: 'Yours',
	mt_anonymous: 'Resident',
	mt_votes: '{count} upvotes',
	mt_vote: 'Upvote',
	mt_unvote: 'Remove upvote',
	mt_vote_offline: 'Upvoting needs a connection.',
	mt_vote_failed: 'Your upvote could not be saved: {reason}',
	mt_on_item: 'On: {item}',
	mt_form_title: 'Ask a question or comment',
	mt_form_kind: 'Type',
	mt_form_item: 'Agenda item',
	mt_form_item_general: 'General (no specific item)',
	mt_form_body: 'Your question or comment',
	mt_form_body_hint: 'Up to 1,000 characters. Please be respectful; comments are public.',
	mt_form_chars_left: '{count} characters left',
	mt_form_name: 'Name to show (optional)',
	mt_form_name_hint: 'Leave empty to post as "Resident".',
	mt_form_submit: 'Post',
	mt_error_body_required: 'Write your question or comment.',
	mt_error_body_long: 'Shorten your text to 1,000 characters or fewer.',
	mt_error_name_long: 'Shorten the name to 60 characters or fewer.',
	mt_errors_title: 'There is a problem',
	mt_queued: {
		one: '{count} comment waiting to send. It will be sent automatically when you are online.',
		other: '{count} comments waiting to send. They will be sent automatically when you are online.'
	},
	mt_posted: 'Posted.',
	mt_rejected: 'Not posted: {reason}',
	mt_dismiss: 'Dismiss',
	mt_edit_again: 'Copy into the form',
	// Moderation (staff)
	mod_title: 'Moderation',
	mod_intro: 'Review comments for a meeting. Changes reach everyone watching within seconds.',
	mod_meeting: 'Meeting',
	mod_show: 'Show',
	mod_pending: 'Waiting for review',
	mod_published: 'Published',
	mod_hidden: 'Hidden',
	mod_none: 'Nothing here.',
	mod_publish: 'Publish',
	mod_hide: 'Hide',
	mod_answer: 'Mark answered',
	mod_unanswer: 'Mark not answered',
	mod_pin: 'Pin',
	mod_unpin: 'Unpin',
	mod_reason: 'Reason for hiding (shown to the author)',
	mod_failed: 'The change was not saved: {reason}',
	mod_saved: 'Saved.',
	mod_denied: 'Only moderators and administrators can moderate comments.',
	mod_controls: 'Running the meeting',
	mod_state: 'Status: {status}. {comments}',
	mod_state_open: 'Comments are open.',
	mod_state_closed: 'Comments are closed.',
	mod_go_live: 'Start the meeting now (live)',
	mod_end: 'End the meeting',
	mod_open_comments: 'Open comments',
	mod_close_comments: 'Close comments',
	mod_control_saved: 'Saved. Everyone watching sees it within seconds.'
};

type TKey = keyof typeof en;
type TDict = { [K in TKey]: (typeof en)[K] extends string ? string : TPlural };

const es: TDict = {
	mt_title: 'Reuniones públicas de desempeño',
	mt_intro:
		'Cada mes los líderes de la ciudad revisan en público un área del Plan de Negocios de la Ciudad: medidas frente a metas, lo que los residentes dijeron en la encuesta y preguntas del público. Vea la transmisión, haga una pregunta sobre un punto de la agenda y siga las respuestas en vivo.',
	mt_live: 'En vivo ahora',
	mt_upcoming: 'Próximas',
	mt_past: 'Reuniones anteriores',
	mt_none_upcoming: 'Todavía no hay reuniones programadas.',
	mt_none_past: 'Todavía no hay reuniones anteriores.',
	mt_status_scheduled: 'Programada',
	mt_status_live: 'En vivo',
	mt_status_ended: 'Terminada',
	mt_status_cancelled: 'Cancelada',
	mt_questions_open: 'Recibe preguntas',
	mt_offline_copy: 'Está sin conexión: esta es la copia guardada en este dispositivo el {date}.',
	mt_load_failed: 'No se pudieron cargar las reuniones. Revise su conexión e inténtelo de nuevo.',
	mt_retry: 'Intentar de nuevo',
	mt_loading: 'Cargando…',
	mt_not_found: 'Esta reunión no existe o fue eliminada.',
	mt_back: 'Todas las reuniones',
	mt_when: 'Cuándo',
	mt_goal_area: 'Área del plan',
	mt_watch: 'Ver la transmisión en vivo',
	mt_watch_recording: 'Ver la grabación',
	mt_agenda: 'Agenda',
	mt_comments: 'Preguntas y comentarios',
	mt_comments_closed: 'Los comentarios están cerrados para esta reunión.',
	mt_comments_pre:
		'Un moderador revisa cada comentario antes de mostrarlo a todos. Usted verá el suyo enseguida, marcado "En espera de revisión".',
	mt_filter_label: 'Mostrar',
	mt_filter_all: 'Todo',
	mt_filter_general: 'General',
	mt_sort_label: 'Orden',
	mt_sort_top: 'Más votados',
	mt_sort_new: 'Más recientes',
	mt_no_comments: 'Todavía no hay preguntas ni comentarios.',
	mt_live_updates: 'Se actualiza cada pocos segundos.',
	mt_feed_offline: 'Sin conexión: los comentarios nuevos aparecerán cuando se vuelva a conectar.',
	mt_new_count: '{count} nuevos',
	mt_kind_question: 'Pregunta',
	mt_kind_comment: 'Comentario',
	mt_answered: 'Respondida',
	mt_pinned: 'Fijado por el moderador',
	mt_pending: 'En espera de revisión',
	mt_hidden: 'Ocultado por un moderador',
	mt_hidden_reason: 'Ocultado por un moderador: {reason}',
	mt_yours: 'Suyo',
	mt_anonymous: 'Residente',
	mt_votes: '{count} votos',
	mt_vote: 'Votar a favor',
	mt_unvote: 'Quitar voto',
	mt_vote_offline: 'Para votar necesita conexión.',
	mt_vote_failed: 'No se pudo guardar su voto: {reason}',
	mt_on_item: 'Sobre: {item}',
	mt_form_title: 'Haga una pregunta o un comentario',
	mt_form_kind: 'Tipo',
	mt_form_item: 'Punto de la agenda',
	mt_form_item_general: 'General (ningún punto específico)',
	mt_form_body: 'Su pregunta o comentario',
	mt_form_body_hint: 'Hasta 1.000 caracteres. Sea respetuoso; los comentarios son públicos.',
	mt_form_chars_left: 'Quedan {count} caracteres',
	mt_form_name: 'Nombre para mostrar (opcional)',
	mt_form_name_hint: 'Déjelo vacío para publicar como "Residente".',
	mt_form_submit: 'Publicar',
	mt_error_body_required: 'Escriba su pregunta o comentario.',
	mt_error_body_long: 'Acorte su texto a 1.000 caracteres o menos.',
	mt_error_name_long: 'Acorte el nombre a 60 caracteres o menos.',
	mt_errors_title: 'Hay un problema',
	mt_queued: {
		one: '{count} comentario en espera de envío. Se enviará automáticamente cuando tenga conexión.',
		other:
			'{count} comentarios en espera de envío. Se enviarán automáticamente cuando tenga conexión.'
	},
	mt_posted: 'Publicado.',
	mt_rejected: 'No se publicó: {reason}',
	mt_dismiss: 'Descartar',
	mt_edit_again: 'Copiar en el formulario',
	mod_title: 'Moderación',
	mod_intro:
		'Revise los comentarios de una reunión. Los cambios llegan a todos los que la siguen en segundos.',
	mod_meeting: 'Reunión',
	mod_show: 'Mostrar',
	mod_pending: 'En espera de revisión',
	mod_published: 'Publicados',
	mod_hidden: 'Ocultos',
	mod_none: 'No hay nada aquí.',
	mod_publish: 'Publicar',
	mod_hide: 'Ocultar',
	mod_answer: 'Marcar como respondida',
	mod_unanswer: 'Marcar como no respondida',
	mod_pin: 'Fijar',
	mod_unpin: 'Desfijar',
	mod_reason: 'Motivo para ocultar (lo verá el autor)',
	mod_failed: 'El cambio no se guardó: {reason}',
	mod_saved: 'Guardado.',
	mod_denied: 'Solo los moderadores y administradores pueden moderar comentarios.',
	mod_controls: 'Conducción de la reunión',
	mod_state: 'Estado: {status}. {comments}',
	mod_state_open: 'Los comentarios están abiertos.',
	mod_state_closed: 'Los comentarios están cerrados.',
	mod_go_live: 'Comenzar la reunión ahora (en vivo)',
	mod_end: 'Terminar la reunión',
	mod_open_comments: 'Abrir los comentarios',
	mod_close_comments: 'Cerrar los comentarios',
	mod_control_saved: 'Guardado. Quienes siguen la reunión lo ven en segundos.'
};

const dictionaries: Record<TLanguage, TDict> = { en, es };

export type TMeetingKey = { [K in TKey]: (typeof en)[K] extends string ? K : never }[TKey];
export type TMeetingPluralKey = Exclude<TKey, TMeetingKey>;

export function translateMeeting(lang: TLanguage, key: TMeetingKey, params?: TParams): string {
	return interpolate(dictionaries[lang][key] as string, params);
}

export function pluralMeeting(
	lang: TLanguage,
	key: TMeetingPluralKey,
	count: number,
	params: TParams = {}
): string {
	return pluralize(lang, dictionaries[lang][key] as TPlural, count, params);
}

/** Bound to the app's current language (re-renders on switch). */
export const mt = (key: TMeetingKey, params?: TParams): string =>
	translateMeeting(i18n.lang, key, params);
export const mtPlural = (key: TMeetingPluralKey, count: number, params?: TParams): string =>
	pluralMeeting(i18n.lang, key, count, params);
