import type { PageLoad } from './$types';

/** `new` opens an empty form for one more meeting; otherwise the meeting's id. */
export const load = (({ params }) => ({ id: params.id })) satisfies PageLoad;
