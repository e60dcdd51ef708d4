// A static single-page app: everything renders in the browser, data comes from Supabase.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
