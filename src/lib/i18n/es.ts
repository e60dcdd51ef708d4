import type { TMessages } from './types';

/** Spanish UI strings. Same keys and shapes as `en.ts` (checked by the type). */
export const es: TMessages = {
	app_name: 'CivicPulse',
	skip_to_content: 'Ir al contenido',
	nav_label: 'Principal',
	nav_home: 'Inicio',
	nav_survey: 'Encuesta',
	nav_scorecard: 'Resultados',
	nav_meetings: 'Reuniones',
	nav_staff: 'Personal',
	language_label: 'Idioma',
	language_switch_to: 'English',
	language_switch_hint: 'Switch to English',

	home_title: 'CivicPulse',
	home_tagline:
		'Díganos cómo lo está haciendo su ciudad, participe en sus reuniones públicas de desempeño y vea los resultados frente a sus metas.',
	home_survey_title: 'Responda la encuesta de residentes',
	home_survey_text:
		'Unos 10 minutos. Funciona sin conexión: sus respuestas se guardan en este dispositivo mientras avanza.',
	home_scorecard_title: 'Vea los resultados',
	home_scorecard_text: 'Cómo avanza la ciudad hacia sus metas, incluidas las metas no cumplidas.',
	home_meetings_title: 'Reuniones públicas de desempeño',
	home_meetings_text: 'Véalas, haga preguntas y siga las respuestas en vivo.',
	home_staff_title: 'Acceso del personal',
	home_staff_text: 'Para analistas, administradores y moderadores de la ciudad.',

	sync_waiting: {
		one: '{count} respuesta pendiente de envío',
		other: '{count} respuestas pendientes de envío'
	},
	sync_sending: 'Enviando…',
	sync_sent: 'Enviado',
	sync_offline_hint: 'Se enviará automáticamente cuando tenga conexión.',
	sync_retry_hint: 'No se pudo contactar al servidor. Se volverá a intentar automáticamente.',
	sync_rejected: {
		one: '{count} respuesta no fue aceptada',
		other: '{count} respuestas no fueron aceptadas'
	},
	sync_rejected_reason: 'Motivo indicado por el servidor: {reason}',
	sync_send_now: 'Enviar ahora',

	pwa_offline_ready: 'CivicPulse está listo para funcionar sin conexión.',
	pwa_update_available: 'Hay una nueva versión. Sus respuestas se conservan al actualizar.',
	pwa_update: 'Actualizar ahora',
	pwa_dismiss: 'Cerrar',

	survey_loading: 'Cargando la encuesta…',
	survey_not_found: 'Esta encuesta no existe o está cerrada en este momento.',
	survey_offline_unavailable:
		'No tiene conexión y esta encuesta no se ha abierto antes en este dispositivo. Conéctese a internet e inténtelo de nuevo.',
	survey_load_error: 'No se pudo cargar la encuesta. Inténtelo de nuevo.',
	survey_try_again: 'Intentar de nuevo',
	survey_start: 'Comenzar la encuesta',
	survey_resume: 'Continuar donde lo dejó',
	survey_start_over: 'Empezar de nuevo',
	survey_start_over_confirm:
		'¿Empezar de nuevo? Se borrarán las respuestas no enviadas de esta encuesta.',
	survey_draft_saved_note:
		'Sus respuestas se guardan en este dispositivo mientras avanza, incluso sin conexión.',
	survey_already_submitted: 'Gracias, ya completó esta encuesta en este dispositivo.',
	survey_progress: 'Página {page} de {total}',
	survey_next: 'Siguiente',
	survey_back: 'Anterior',
	survey_review_answers: 'Revisar sus respuestas',
	survey_review_title: 'Revise sus respuestas',
	survey_review_intro:
		'Revise sus respuestas antes de enviarlas. Puede cambiar cualquier respuesta.',
	survey_change: 'Cambiar',
	survey_change_label: 'Cambiar respuestas de {section}',
	survey_not_answered: 'Sin respuesta',
	survey_submit: 'Enviar mis respuestas',
	survey_required: 'obligatoria',
	survey_optional: 'opcional',
	survey_saved: 'Guardado en este dispositivo',

	error_summary_title: 'Hay un problema',
	error_required: 'Responda esta pregunta: {prompt}',
	error_invalid_choice: 'Elija una de las opciones para: {prompt}',
	error_top3_duplicate: 'Elija tres servicios diferentes para: {prompt}',
	error_top3_order: 'Indique su primera opción antes de las siguientes para: {prompt}',
	error_too_long: {
		one: 'Use {count} carácter o menos para: {prompt}',
		other: 'Use {count} caracteres o menos para: {prompt}'
	},
	error_not_a_number: 'Escriba un número para: {prompt}',
	error_out_of_range: 'Escriba un número entre {min} y {max} para: {prompt}',
	error_out_of_range_min: 'Escriba un número de al menos {min} para: {prompt}',
	error_out_of_range_max: 'Escriba un número de como máximo {max} para: {prompt}',
	error_zip_format: 'Escriba un código postal de 5 dígitos, como 64106, para: {prompt}',

	scale_satisfaction_5: 'Muy satisfecho',
	scale_satisfaction_4: 'Satisfecho',
	scale_satisfaction_3: 'Neutral',
	scale_satisfaction_2: 'Insatisfecho',
	scale_satisfaction_1: 'Muy insatisfecho',
	scale_rating_5: 'Excelente',
	scale_rating_4: 'Bueno',
	scale_rating_3: 'Neutral',
	scale_rating_2: 'Por debajo del promedio',
	scale_rating_1: 'Malo',
	scale_dont_know: 'No sé',
	top3_choice_1: 'Primera opción',
	top3_choice_2: 'Segunda opción',
	top3_choice_3: 'Tercera opción',
	top3_none: 'Ninguna',
	top3_hint: 'Elija hasta tres servicios diferentes, el más importante primero.',
	multi_hint: 'Marque todas las que correspondan.',
	text_remaining: { one: 'Queda {count} carácter', other: 'Quedan {count} caracteres' },
	text_over: { one: '{count} carácter de más', other: '{count} caracteres de más' },
	number_hint_range: 'Un número entre {min} y {max}.',
	zip_hint: '5 dígitos, por ejemplo 64106.',

	invitation_checking: 'Verificando su código de invitación…',
	invitation_valid: 'Su código de invitación {code} es válido. Gracias por participar.',
	invitation_used:
		'El código de invitación {code} ya se usó para responder esta encuesta. Cada código se puede usar una sola vez. Si cree que es un error, comuníquese con la ciudad.',
	invitation_unknown:
		'No reconocemos el código de invitación {code}. Revise el código en su carta o responda sin código con el enlace abierto de la encuesta.',
	invitation_closed:
		'La encuesta del código de invitación {code} está cerrada. Gracias por su interés.',
	invitation_unchecked:
		'No tiene conexión, así que su código de invitación {code} se verificará cuando se envíen sus respuestas.',
	invitation_open_link: 'Responder sin código',
	invitation_required: 'Esta encuesta es por invitación. Escriba el código impreso en su carta.',
	invitation_code_label: 'Código de invitación',
	invitation_use_code: 'Usar este código',

	thanks_title: '¡Gracias!',
	thanks_sent: 'Sus respuestas se enviaron a la ciudad.',
	thanks_queued:
		'Sus respuestas están guardadas en este dispositivo y se enviarán automáticamente cuando tenga conexión.',
	thanks_rejected: 'La ciudad no pudo aceptar sus respuestas.',
	thanks_reference: 'Su número de confirmación: {id}',
	thanks_scores_title: 'Cómo le va a la ciudad en lo que usted calificó',
	thanks_scores_intro: 'Últimos resultados publicados ({period}) de los servicios que calificó.',
	thanks_scores_cached: 'Se muestran desde este dispositivo porque no tiene conexión.',
	thanks_scores_table: 'Resultados de los servicios que calificó',
	thanks_scores_none:
		'Los resultados publicados de estos servicios aparecerán en la página de resultados.',
	thanks_col_service: 'Servicio',
	thanks_col_satisfied: 'Satisfechos',
	thanks_col_target: 'Meta',
	thanks_col_status: 'Estado',
	thanks_status_met: 'Meta cumplida',
	thanks_status_not_met: 'Meta no cumplida',
	thanks_status_within_margin: 'Dentro del margen de error',
	thanks_no_target: 'Sin meta',
	thanks_scorecard_link: 'Ver todos los resultados',
	thanks_home_link: 'Volver a la página de inicio',
	thanks_answer_again: 'Responder de nuevo por otra persona',
	thanks_answer_again_hint:
		'Otra persona de su hogar puede responder en este dispositivo. Sus respuestas se conservan tal como están y se envían aunque estén esperando conexión.',

	not_found_title: 'Página no encontrada',
	not_found_text:
		'No hay ninguna página en esta dirección. Puede que se haya movido o que el enlace esté mal escrito.',
	error_title: 'Algo salió mal',
	error_text: 'No se pudo mostrar esta página. Inténtelo de nuevo en un momento.',
	error_home_link: 'Ir a la página de inicio',
	survey_not_found_title: 'Encuesta no encontrada',
	survey_not_found_home: 'Ver las encuestas abiertas ahora'
};
