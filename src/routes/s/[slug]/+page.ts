import type { PageLoad } from './$types';

// The survey itself loads in the page (IndexedDB first, then the network) so it works offline.
export const load = (({ params, url }) => ({
	slug: params.slug,
	code: url.searchParams.get('code')?.trim() || null
})) satisfies PageLoad;
