import { loadConfig } from '$lib/supabase/config';

// A static single-page app: everything renders in the browser, data comes from Supabase.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

// Where the backend is (/config.json) is needed by almost every first screen: ask now, while the
// route's own code is still downloading, instead of after it has run. Failures are retried by
// the next caller (loadConfig forgets them).
if (typeof window !== 'undefined') void loadConfig().catch(() => {});

// A survey link's first screen also needs the device store (Dexie: is there a draft to resume?).
// Start loading it now, beside the route's own code, instead of after that code has run.
if (typeof window !== 'undefined' && location.pathname.startsWith('/s/'))
	void import('$lib/survey/store').catch(() => {});
