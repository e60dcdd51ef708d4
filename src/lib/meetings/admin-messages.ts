/**
 * English and Spanish strings of the staff meeting pages (/staff/meetings), beside the code that
 * uses them so no resident page carries them. `{name}` placeholders; `ma()` follows the app's
 * current language.
 */
import type { TLanguage } from '$domain/survey';
import { i18n } from '$lib/i18n/i18n.svelte';
import { interpolate, pluralize } from '$lib/i18n/format';
import type { TParams, TPlural } from '$lib/i18n/types';

const en = {
	ma_title: 'Meeting calendar',
	ma_intro:
		'Plan the public performance meetings: the schedule, agendas, stream and recording links, and how comments are taken. Moderators run each meeting from the Moderation page.',
	ma_denied: 'Only administrators can plan meetings.',
	ma_loading: 'Loading…',
	ma_list: 'All meetings',
	ma_col_meeting: 'Meeting',
	ma_col_when: 'When',
	ma_col_status: 'Status',
	ma_col_comments: 'Comments',
	ma_none: 'No meetings yet. Create a schedule below, or add one meeting.',
	ma_add_one: 'Add one meeting',
	ma_mod_pre: 'Reviewed before shown',
	ma_mod_post: 'Shown at once',
	ma_comments_off: 'closed',
	ma_comments_on: 'open',
	ma_comments_window: 'open {from} – {until}',
	ma_comments_from: 'open from {from}',
	ma_comments_until: 'open until {until}',
	// Schedule
	ma_plan_title: "Create a year's schedule",
	ma_plan_intro:
		'For example: the second Thursday of each month at 6:00 PM, goal areas in turn. Preview the meetings, then create them all at once.',
	ma_series_en: 'Series name (English)',
	ma_series_es: 'Series name (Spanish)',
	ma_series_hint: 'Titles read "Series: Goal area — Month Year".',
	ma_from: 'First month',
	ma_from_hint: 'For example 2027-01.',
	ma_months: 'Number of months',
	ma_ordinal: 'Which week',
	ma_ordinal_1: 'First',
	ma_ordinal_2: 'Second',
	ma_ordinal_3: 'Third',
	ma_ordinal_4: 'Fourth',
	ma_ordinal_last: 'Last',
	ma_weekday: 'Day of the week',
	ma_time: 'Start time',
	ma_length: 'Length in minutes',
	ma_zone: 'Time zone',
	ma_zone_hint: 'Times are entered and shown in this zone, with its daylight-saving changes.',
	ma_areas: 'Goal areas, in turn',
	ma_areas_hint: 'One area per meeting, in this order, starting again after the last one.',
	ma_start_area: 'First meeting is about',
	ma_moderation: 'Comments',
	ma_moderation_pre: 'A moderator reviews each comment before it is shown (pre-moderation)',
	ma_moderation_post: 'Comments are shown at once; moderators can hide them (post-moderation)',
	ma_days_before: 'Open comments this many days before each meeting',
	ma_days_before_hint:
		'Comments close when the meeting ends. Leave empty to keep comments closed until a moderator opens them.',
	ma_stream: 'Stream link (optional)',
	ma_stream_hint:
		'https:// link. YouTube, Vimeo and Granicus links play on the meeting page; others open in a new tab.',
	ma_preview: 'Preview the schedule',
	ma_preview_title: 'Preview: {count} meetings',
	ma_preview_caption: 'Meetings that will be created',
	ma_col_date: 'Date',
	ma_col_area: 'Goal area',
	ma_col_title: 'Title',
	ma_col_note: 'Note',
	ma_same_day: 'A meeting already exists on this day',
	ma_create: 'Create {count} meetings',
	ma_created: '{count} meetings were created.',
	// One meeting
	ma_new_title: 'New meeting',
	ma_edit_title: 'Edit meeting',
	ma_back: 'All meetings',
	ma_not_found: 'This meeting does not exist or was deleted.',
	ma_public_page: 'Public page',
	ma_poster: 'Printable poster',
	ma_download_record: 'Download every comment (CSV)',
	ma_state: 'Status: {status}. Calendar version {revision}.',
	ma_details: 'Details',
	ma_title_en: 'Title (English)',
	ma_title_es: 'Title (Spanish)',
	ma_description_en: 'Description (English, optional)',
	ma_description_es: 'Description (Spanish, optional)',
	ma_area: 'Goal area',
	ma_area_none: 'None',
	ma_date: 'Date',
	ma_start: 'Start time',
	ma_recording: 'Recording link (optional)',
	ma_recording_hint: 'https:// link, shown once the meeting is over.',
	ma_location: 'Where it is held (optional)',
	ma_location_hint:
		'Address and room, for example “City Hall, 414 E 12th St, Council Chamber”. Leave empty for a meeting held online only.',
	ma_take_comments: 'Take comments',
	ma_window_from: 'Comments open from (optional)',
	ma_window_until: 'Comments close at (optional)',
	ma_window_hint: 'Date and time in the meeting’s time zone. Leave empty for no limit.',
	ma_save: 'Save the meeting',
	ma_saved: 'Saved. Subscribed calendars update on their next refresh.',
	ma_cancel_title: 'Cancel or restore',
	ma_cancel_text:
		'A cancelled meeting stays on the schedule marked cancelled, and subscribed calendars show it as cancelled.',
	ma_cancel: 'Cancel this meeting',
	ma_cancelled: 'The meeting was cancelled.',
	ma_restore: 'Restore this meeting',
	ma_restored: 'The meeting was restored.',
	ma_delete: 'Delete this meeting',
	ma_delete_text:
		'It has no comments yet, so it can be deleted. Meetings with comments can only be cancelled.',
	ma_deleted: 'The meeting was deleted.',
	// Agenda
	ma_agenda: 'Agenda',
	ma_agenda_intro:
		'Each item is about a goal area, a goal or a measure, so attendees can follow up on the scorecard.',
	ma_agenda_first: 'Save the meeting first, then add its agenda.',
	ma_agenda_empty: 'No items yet.',
	ma_item: 'Item {n}',
	ma_item_title_en: 'Item {n}: title (English)',
	ma_item_title_es: 'Item {n}: title (Spanish)',
	ma_item_topic: 'Item {n}: about',
	ma_topic_none: 'Choose a goal area, goal or measure',
	ma_topic_areas: 'Goal areas',
	ma_topic_goals: 'Goals',
	ma_topic_measures: 'Measures',
	ma_up: 'Move item {n} up',
	ma_down: 'Move item {n} down',
	ma_remove: 'Remove item {n}',
	ma_remove_blocked: 'Item {n} has comments, so it stays (you can rename it).',
	ma_add_item: 'Add an item',
	ma_save_agenda: 'Save the agenda',
	ma_agenda_saved: 'The agenda was saved.',
	ma_item_removed: 'The item was removed.',
	// Errors
	err_required: 'Enter {field}',
	err_choose: 'Choose {field}',
	err_both_languages: 'Enter {field} in both English and Spanish, or in neither',
	err_length: '{field} must be {max} characters or fewer',
	err_https: '{field} must start with https://',
	err_date: 'Enter the date as year-month-day, for example 2027-03-11',
	err_time: 'Enter the time as hours and minutes, for example 18:00',
	err_month: 'Enter the first month as year-month, for example 2027-01',
	err_whole: '{field} must be a whole number from {min} to {max}',
	err_zone: 'Choose a time zone from the list',
	err_window: 'Comments must close after they open',
	err_datetime: 'Enter {field} as a date and a time',
	err_no_areas: 'Choose at least one goal area',
	err_topic: 'Choose what item {n} is about',
	err_db: 'The database refused the change: {message}',
	err_network:
		'The connection failed ({message}). Press the button again: what was already saved is saved once, never twice.',
	form_errors_title: 'There is a problem'
};

type TKey = keyof typeof en;
type TDict = { [K in TKey]: (typeof en)[K] extends string ? string : TPlural };

const es: TDict = {
	ma_title: 'Calendario de reuniones',
	ma_intro:
		'Planifique las reuniones públicas de desempeño: el calendario, las agendas, los enlaces de transmisión y grabación, y cómo se reciben los comentarios. Los moderadores conducen cada reunión desde la página de Moderación.',
	ma_denied: 'Solo los administradores pueden planificar reuniones.',
	ma_loading: 'Cargando…',
	ma_list: 'Todas las reuniones',
	ma_col_meeting: 'Reunión',
	ma_col_when: 'Cuándo',
	ma_col_status: 'Estado',
	ma_col_comments: 'Comentarios',
	ma_none: 'Todavía no hay reuniones. Cree un calendario abajo o agregue una reunión.',
	ma_add_one: 'Agregar una reunión',
	ma_mod_pre: 'Revisados antes de mostrarse',
	ma_mod_post: 'Se muestran enseguida',
	ma_comments_off: 'cerrados',
	ma_comments_on: 'abiertos',
	ma_comments_window: 'abiertos {from} – {until}',
	ma_comments_from: 'abiertos desde {from}',
	ma_comments_until: 'abiertos hasta {until}',
	ma_plan_title: 'Crear el calendario del año',
	ma_plan_intro:
		'Por ejemplo: el segundo jueves de cada mes a las 6:00 p. m., un área del plan por turno. Revise la vista previa y luego créelas todas a la vez.',
	ma_series_en: 'Nombre de la serie (inglés)',
	ma_series_es: 'Nombre de la serie (español)',
	ma_series_hint: 'Los títulos dicen "Serie: Área del plan — Mes Año".',
	ma_from: 'Primer mes',
	ma_from_hint: 'Por ejemplo 2027-01.',
	ma_months: 'Número de meses',
	ma_ordinal: 'Qué semana',
	ma_ordinal_1: 'Primera',
	ma_ordinal_2: 'Segunda',
	ma_ordinal_3: 'Tercera',
	ma_ordinal_4: 'Cuarta',
	ma_ordinal_last: 'Última',
	ma_weekday: 'Día de la semana',
	ma_time: 'Hora de inicio',
	ma_length: 'Duración en minutos',
	ma_zone: 'Zona horaria',
	ma_zone_hint:
		'Las horas se ingresan y se muestran en esta zona, con sus cambios de horario de verano.',
	ma_areas: 'Áreas del plan, por turno',
	ma_areas_hint: 'Un área por reunión, en este orden, y de nuevo desde la primera.',
	ma_start_area: 'La primera reunión trata sobre',
	ma_moderation: 'Comentarios',
	ma_moderation_pre: 'Un moderador revisa cada comentario antes de mostrarlo (moderación previa)',
	ma_moderation_post:
		'Los comentarios se muestran enseguida; los moderadores pueden ocultarlos (moderación posterior)',
	ma_days_before: 'Abrir los comentarios esta cantidad de días antes de cada reunión',
	ma_days_before_hint:
		'Los comentarios se cierran al terminar la reunión. Déjelo vacío para mantenerlos cerrados hasta que un moderador los abra.',
	ma_stream: 'Enlace de la transmisión (opcional)',
	ma_stream_hint:
		'Enlace https://. Los enlaces de YouTube, Vimeo y Granicus se reproducen en la página de la reunión; los demás se abren en otra pestaña.',
	ma_preview: 'Ver la vista previa',
	ma_preview_title: 'Vista previa: {count} reuniones',
	ma_preview_caption: 'Reuniones que se crearán',
	ma_col_date: 'Fecha',
	ma_col_area: 'Área del plan',
	ma_col_title: 'Título',
	ma_col_note: 'Nota',
	ma_same_day: 'Ya hay una reunión ese día',
	ma_create: 'Crear {count} reuniones',
	ma_created: 'Se crearon {count} reuniones.',
	ma_new_title: 'Nueva reunión',
	ma_edit_title: 'Editar la reunión',
	ma_back: 'Todas las reuniones',
	ma_not_found: 'Esta reunión no existe o fue eliminada.',
	ma_public_page: 'Página pública',
	ma_poster: 'Cartel para imprimir',
	ma_download_record: 'Descargar todos los comentarios (CSV)',
	ma_state: 'Estado: {status}. Versión del calendario {revision}.',
	ma_details: 'Datos',
	ma_title_en: 'Título (inglés)',
	ma_title_es: 'Título (español)',
	ma_description_en: 'Descripción (inglés, opcional)',
	ma_description_es: 'Descripción (español, opcional)',
	ma_area: 'Área del plan',
	ma_area_none: 'Ninguna',
	ma_date: 'Fecha',
	ma_start: 'Hora de inicio',
	ma_recording: 'Enlace de la grabación (opcional)',
	ma_recording_hint: 'Enlace https://, se muestra cuando la reunión termina.',
	ma_location: 'Lugar (opcional)',
	ma_location_hint:
		'Dirección y sala, por ejemplo “Ayuntamiento, 414 E 12th St, Sala del Concejo”. Déjelo vacío si la reunión es solo en línea.',
	ma_take_comments: 'Recibir comentarios',
	ma_window_from: 'Los comentarios abren el (opcional)',
	ma_window_until: 'Los comentarios cierran el (opcional)',
	ma_window_hint:
		'Fecha y hora en la zona horaria de la reunión. Déjelo vacío para no poner límite.',
	ma_save: 'Guardar la reunión',
	ma_saved: 'Guardado. Los calendarios suscritos se actualizan en su próxima actualización.',
	ma_cancel_title: 'Cancelar o restablecer',
	ma_cancel_text:
		'Una reunión cancelada sigue en el calendario marcada como cancelada, y los calendarios suscritos la muestran cancelada.',
	ma_cancel: 'Cancelar esta reunión',
	ma_cancelled: 'La reunión fue cancelada.',
	ma_restore: 'Restablecer esta reunión',
	ma_restored: 'La reunión fue restablecida.',
	ma_delete: 'Eliminar esta reunión',
	ma_delete_text:
		'Todavía no tiene comentarios, así que se puede eliminar. Las reuniones con comentarios solo se pueden cancelar.',
	ma_deleted: 'La reunión fue eliminada.',
	ma_agenda: 'Agenda',
	ma_agenda_intro:
		'Cada punto trata sobre un área del plan, una meta o una medida, para que el público pueda darle seguimiento en el tablero.',
	ma_agenda_first: 'Primero guarde la reunión y después agregue su agenda.',
	ma_agenda_empty: 'Todavía no hay puntos.',
	ma_item: 'Punto {n}',
	ma_item_title_en: 'Punto {n}: título (inglés)',
	ma_item_title_es: 'Punto {n}: título (español)',
	ma_item_topic: 'Punto {n}: trata sobre',
	ma_topic_none: 'Elija un área del plan, una meta o una medida',
	ma_topic_areas: 'Áreas del plan',
	ma_topic_goals: 'Metas',
	ma_topic_measures: 'Medidas',
	ma_up: 'Subir el punto {n}',
	ma_down: 'Bajar el punto {n}',
	ma_remove: 'Quitar el punto {n}',
	ma_remove_blocked:
		'El punto {n} tiene comentarios, así que se queda (puede cambiarle el nombre).',
	ma_add_item: 'Agregar un punto',
	ma_save_agenda: 'Guardar la agenda',
	ma_agenda_saved: 'La agenda se guardó.',
	ma_item_removed: 'Se quitó el punto.',
	err_required: 'Ingrese {field}',
	err_choose: 'Elija {field}',
	err_both_languages: 'Ingrese {field} en inglés y en español, o en ninguno',
	err_length: '{field} debe tener {max} caracteres o menos',
	err_https: '{field} debe empezar con https://',
	err_date: 'Ingrese la fecha como año-mes-día, por ejemplo 2027-03-11',
	err_time: 'Ingrese la hora como horas y minutos, por ejemplo 18:00',
	err_month: 'Ingrese el primer mes como año-mes, por ejemplo 2027-01',
	err_whole: '{field} debe ser un número entero de {min} a {max}',
	err_zone: 'Elija una zona horaria de la lista',
	err_window: 'Los comentarios deben cerrar después de abrir',
	err_datetime: 'Ingrese {field} como fecha y hora',
	err_no_areas: 'Elija al menos un área del plan',
	err_topic: 'Elija de qué trata el punto {n}',
	err_db: 'La base de datos rechazó el cambio: {message}',
	err_network:
		'La conexión falló ({message}). Pulse el botón de nuevo: lo que ya se guardó se guarda una sola vez, nunca dos.',
	form_errors_title: 'Hay un problema'
};

const dictionaries: Record<TLanguage, TDict> = { en, es };

export type TAdminKey = { [K in TKey]: (typeof en)[K] extends string ? K : never }[TKey];
export type TAdminPluralKey = Exclude<TKey, TAdminKey>;

export function translateAdmin(lang: TLanguage, key: TAdminKey, params?: TParams): string {
	return interpolate(dictionaries[lang][key] as string, params);
}

export function pluralAdmin(
	lang: TLanguage,
	key: TAdminPluralKey,
	count: number,
	params: TParams = {}
): string {
	return pluralize(lang, dictionaries[lang][key] as TPlural, count, params);
}

/** Bound to the app's current language (re-renders on switch). */
export const ma = (key: TAdminKey, params?: TParams): string =>
	translateAdmin(i18n.lang, key, params);
