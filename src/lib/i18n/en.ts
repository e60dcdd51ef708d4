/**
 * English UI strings: the reference dictionary. Every other language must provide the same keys
 * with the same shape (see `TMessages`). `{name}` marks a parameter; an object with plural
 * categories is chosen with the platform's `Intl.PluralRules`.
 */
export const en = {
	app_name: 'CivicPulse',
	skip_to_content: 'Skip to content',
	nav_label: 'Main',
	nav_home: 'Home',
	nav_survey: 'Survey',
	nav_scorecard: 'Scorecard',
	nav_meetings: 'Meetings',
	nav_staff: 'Staff',
	language_label: 'Language',
	language_switch_to: 'Español',
	language_switch_hint: 'Cambiar a español',

	home_title: 'CivicPulse',
	home_tagline:
		'Tell your city how it is doing, join its public performance meetings and see results against its targets.',
	home_survey_title: 'Take the resident survey',
	home_survey_text:
		'About 10 minutes. Works offline: your answers are saved on this device as you go.',
	home_scorecard_title: 'See the scorecard',
	home_scorecard_text: 'How the city is doing against its goals, including targets not met.',
	home_meetings_title: 'Public performance meetings',
	home_meetings_text: 'Watch, ask questions and follow answers live.',
	home_staff_title: 'Staff sign-in',
	home_staff_text: 'For city analysts, administrators and moderators.',

	sync_waiting: {
		one: '{count} response waiting to send',
		other: '{count} responses waiting to send'
	},
	sync_sending: 'Sending…',
	sync_sent: 'Sent',
	sync_offline_hint: 'It will be sent automatically when you are online.',
	sync_retry_hint: 'Could not reach the server. Trying again automatically.',
	sync_rejected: {
		one: '{count} response was not accepted',
		other: '{count} responses were not accepted'
	},
	sync_rejected_reason: 'Reason given by the server: {reason}',
	sync_send_now: 'Send now',

	pwa_offline_ready: 'CivicPulse is ready to work offline.',
	pwa_update_available: 'A new version is available. Your answers are kept when you update.',
	pwa_update: 'Update now',
	pwa_dismiss: 'Dismiss',

	survey_loading: 'Loading the survey…',
	survey_not_found: 'This survey does not exist, or it is closed right now.',
	survey_offline_unavailable:
		'You are offline and this survey has not been opened on this device before. Connect to the internet and try again.',
	survey_load_error: 'The survey could not be loaded. Please try again.',
	survey_try_again: 'Try again',
	survey_start: 'Start the survey',
	survey_resume: 'Continue where you left off',
	survey_start_over: 'Start over',
	survey_start_over_confirm: 'Start over? Your unsent answers in this survey will be cleared.',
	survey_draft_saved_note: 'Your answers are saved on this device as you go, even offline.',
	survey_already_submitted: 'Thank you, you have already completed this survey on this device.',
	survey_progress: 'Page {page} of {total}',
	survey_next: 'Next',
	survey_back: 'Back',
	survey_review_answers: 'Review your answers',
	survey_review_title: 'Check your answers',
	survey_review_intro: 'Check your answers before you send them. You can change any answer.',
	survey_change: 'Change',
	survey_change_label: 'Change answers in {section}',
	survey_not_answered: 'Not answered',
	survey_submit: 'Send my answers',
	survey_required: 'required',
	survey_optional: 'optional',
	survey_saved: 'Saved on this device',

	error_summary_title: 'There is a problem',
	error_required: 'Answer this question: {prompt}',
	error_invalid_choice: 'Choose one of the options for: {prompt}',
	error_top3_duplicate: 'Choose three different services for: {prompt}',
	error_top3_order: 'Fill in your first choice before the next ones for: {prompt}',
	error_too_long: {
		one: 'Use {count} character or fewer for: {prompt}',
		other: 'Use {count} characters or fewer for: {prompt}'
	},
	error_not_a_number: 'Enter a number for: {prompt}',
	error_out_of_range: 'Enter a number from {min} to {max} for: {prompt}',
	error_out_of_range_min: 'Enter a number of at least {min} for: {prompt}',
	error_out_of_range_max: 'Enter a number of at most {max} for: {prompt}',
	error_zip_format: 'Enter a 5-digit ZIP code, like 64106, for: {prompt}',

	scale_satisfaction_5: 'Very satisfied',
	scale_satisfaction_4: 'Satisfied',
	scale_satisfaction_3: 'Neutral',
	scale_satisfaction_2: 'Dissatisfied',
	scale_satisfaction_1: 'Very dissatisfied',
	scale_rating_5: 'Excellent',
	scale_rating_4: 'Good',
	scale_rating_3: 'Neutral',
	scale_rating_2: 'Below average',
	scale_rating_1: 'Poor',
	scale_dont_know: "Don't know",
	top3_choice_1: 'First choice',
	top3_choice_2: 'Second choice',
	top3_choice_3: 'Third choice',
	top3_none: 'No choice',
	top3_hint: 'Choose up to three different services, most important first.',
	multi_hint: 'Choose all that apply.',
	text_remaining: { one: '{count} character left', other: '{count} characters left' },
	text_over: { one: '{count} character too many', other: '{count} characters too many' },
	number_hint_range: 'A number from {min} to {max}.',
	zip_hint: '5 digits, for example 64106.',

	invitation_checking: 'Checking your invitation code…',
	invitation_valid: 'Your invitation code {code} is valid. Thank you for taking part.',
	invitation_used:
		'The invitation code {code} has already been used to answer this survey. Each code can be used once. If you think this is a mistake, contact the city.',
	invitation_unknown:
		'We do not recognise the invitation code {code}. Check the code on your letter, or answer without a code using the open survey link.',
	invitation_closed:
		'The survey for the invitation code {code} is closed. Thank you for your interest.',
	invitation_unchecked:
		'You are offline, so your invitation code {code} will be checked when your answers are sent.',
	invitation_open_link: 'Answer without a code',
	invitation_required: 'This survey is by invitation. Enter the code printed on your letter.',
	invitation_code_label: 'Invitation code',
	invitation_use_code: 'Use this code',

	thanks_title: 'Thank you!',
	thanks_sent: 'Your answers have been sent to the city.',
	thanks_queued:
		'Your answers are saved on this device and will be sent automatically when you are online.',
	thanks_rejected: 'The city could not accept your answers.',
	thanks_reference: 'Your confirmation number: {id}',
	thanks_scores_title: 'How the city is doing on what you rated',
	thanks_scores_intro: 'Latest published results ({period}) for the services you rated.',
	thanks_scores_cached: 'Shown from this device because you are offline.',
	thanks_scores_table: 'Results for the services you rated',
	thanks_scores_none: 'Published results for these services will appear on the scorecard.',
	thanks_col_service: 'Service',
	thanks_col_satisfied: 'Satisfied',
	thanks_col_target: 'Target',
	thanks_col_status: 'Status',
	thanks_status_met: 'Target met',
	thanks_status_not_met: 'Target not met',
	thanks_status_within_margin: 'Within the margin of error',
	thanks_no_target: 'No target',
	thanks_scorecard_link: 'See the full scorecard',
	thanks_home_link: 'Back to the home page',
	thanks_answer_again: 'Answer again for someone else',
	thanks_answer_again_hint:
		'Someone else in your household can answer on this device. Your answers stay as they are, and are still sent if they are waiting for a connection.',

	not_found_title: 'Page not found',
	not_found_text:
		'There is no page at this address. It may have moved, or the link may be mistyped.',
	error_title: 'Something went wrong',
	error_text: 'This page could not be shown. Please try again in a moment.',
	error_home_link: 'Go to the home page',
	survey_not_found_title: 'Survey not found',
	survey_not_found_home: 'See the surveys open now'
} as const;
