import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fixture } from '$lib/survey/test-fixture';
import { CivicPulseDb } from './db';
import { discardDraft, flushDrafts, loadDraft, newDraft, saveDraft } from './drafts';

let db: CivicPulseDb;
beforeEach(async () => {
	db = new CivicPulseDb(`drafts-${crypto.randomUUID()}`);
	await db.open();
});
afterEach(() => db.delete());

it('autosaves every answer and the latest write wins even when writes overlap', async () => {
	const draft = newDraft(fixture, 'es', 'KC26-DEMO-0001');
	const writes = [];
	for (let i = 1; i <= 5; i++) {
		draft.answers = { ...draft.answers, [`q3_0${i}`]: i };
		draft.page = i;
		writes.push(saveDraft(db, draft)); // not awaited, like rapid taps
	}
	await flushDrafts();
	await Promise.all(writes);
	const stored = await loadDraft(db, fixture.survey.slug);
	expect(stored).toMatchObject({
		id: draft.id,
		language: 'es',
		invitation_code: 'KC26-DEMO-0001',
		page: 5,
		answers: { q3_01: 1, q3_02: 2, q3_03: 3, q3_04: 4, q3_05: 5 }
	});
});

it('resumes after the tab is closed: a new connection finds the draft', async () => {
	const draft = newDraft(fixture, 'en', null);
	draft.answers = { q5: 'yes', q5a: 'ok' };
	await saveDraft(db, draft);
	db.close();
	const reopened = new CivicPulseDb(db.name);
	expect((await loadDraft(reopened, fixture.survey.slug))?.answers).toEqual({
		q5: 'yes',
		q5a: 'ok'
	});
	await discardDraft(reopened, fixture.survey.slug);
	expect(await loadDraft(reopened, fixture.survey.slug)).toBeUndefined();
	reopened.close();
	await db.open();
});

it('stores plain data even when handed a proxy-like object with extra prototype', async () => {
	const draft = Object.assign(Object.create({ inherited: true }), newDraft(fixture, 'en', null));
	await saveDraft(db, draft);
	const stored = await loadDraft(db, fixture.survey.slug);
	expect(stored && 'inherited' in stored).toBe(false);
});
