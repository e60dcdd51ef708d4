/**
 * Draft persistence. Every answer is written through immediately so closing the tab, a crash or
 * a reload mid-survey loses nothing. Writes are serialised per slug so a slow write can never
 * overwrite a newer one.
 */
import type { TLanguage, TSurveyDefinition } from '$domain/survey';
import type { CivicPulseDb, TDraft } from './db';

export function newDraft(
	def: TSurveyDefinition,
	language: TLanguage,
	invitationCode: string | null,
	id: string = crypto.randomUUID()
): TDraft {
	const now = new Date().toISOString();
	return {
		slug: def.survey.slug,
		id,
		wave_id: def.wave.id,
		language,
		invitation_code: invitationCode,
		answers: {},
		page: -1,
		started_at: now,
		updated_at: now
	};
}

const queues = new Map<string, Promise<unknown>>();

/** Save a snapshot of the draft; resolves when it is durable in IndexedDB. */
export function saveDraft(database: CivicPulseDb, draft: TDraft): Promise<void> {
	// Structured clone of a Svelte $state proxy fails, so store a plain copy.
	const row: TDraft = JSON.parse(
		JSON.stringify({ ...draft, updated_at: new Date().toISOString() })
	);
	const previous = queues.get(draft.slug) ?? Promise.resolve();
	const next = previous
		.catch(() => undefined)
		.then(() => database.drafts.put(row))
		.then(() => undefined);
	queues.set(draft.slug, next);
	return next;
}

/** Resolves when every draft write started so far has finished (used before a SW update reload). */
export async function flushDrafts(): Promise<void> {
	await Promise.allSettled([...queues.values()]);
}

export function loadDraft(database: CivicPulseDb, slug: string): Promise<TDraft | undefined> {
	return database.drafts.get(slug);
}

export async function discardDraft(database: CivicPulseDb, slug: string): Promise<void> {
	await flushDrafts();
	await database.drafts.delete(slug);
}
