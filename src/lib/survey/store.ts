/**
 * Everything the survey page needs from IndexedDB, as one module the page imports with dynamic
 * `import()`. Dexie is a third of the survey's JavaScript, and the first paint (header, "loading"
 * state) does not need it: the page starts this import as soon as it runs, in parallel with the
 * rest of the start-up, so a resident on a slow phone sees the page sooner and loses nothing.
 */
export { liveQuery } from 'dexie';
export { db } from '$lib/db/db';
export { discardDraft, loadDraft, saveDraft } from '$lib/db/drafts';
export { handOverQueued, submitDraft } from '$lib/sync/outbox';
