/**
 * Retry delays for the outbox: exponential backoff with "equal jitter" — half the exponential
 * delay is fixed, half random — so a city's worth of phones that lost the network together do not
 * retry in lockstep, yet no retry comes back immediately.
 */
export interface TBackoffOptions {
	baseMs: number;
	capMs: number;
}

export const DEFAULT_BACKOFF: TBackoffOptions = { baseMs: 2_000, capMs: 5 * 60_000 };

/** Delay before retry number `attempt` (1 = first retry). `random` returns [0, 1). */
export function backoffDelay(
	attempt: number,
	random: () => number = Math.random,
	{ baseMs, capMs }: TBackoffOptions = DEFAULT_BACKOFF
): number {
	const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(exp / 2 + random() * (exp / 2));
}
