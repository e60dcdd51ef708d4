/**
 * fetch with a deadline, for every call supabase-js makes (auth, PostgREST).
 *
 * Why: the outbox drains hold the Web Lock (`civicpulse-outbox`, `civicpulse-comments`) while a
 * request is in flight. A request the network swallows without an answer or a reset (a captive
 * portal, a proxy that dies after reading the body, a phone switching cells) would otherwise
 * never settle: the drain, and every later drain in every tab, would wait behind it forever and
 * the queue would stop until the page is closed. With a deadline the request fails with an
 * AbortError, which the senders classify as transient: the entries stay queued, back off and are
 * sent again. The server is idempotent by client UUID, so a request that did commit before the
 * deadline is answered `duplicate` on the retry: nothing is stored twice.
 */

/** Long enough for a 50-response batch on a slow 3G link, short enough to unblock the queue. */
export const REQUEST_TIMEOUT_MS = 30_000;

export function fetchWithTimeout(
	timeoutMs: number = REQUEST_TIMEOUT_MS,
	baseFetch: typeof fetch = (...args) => fetch(...args)
): typeof fetch {
	return (input, init = {}) => {
		// AbortSignal.any and AbortSignal.timeout are missing in older Safari: combine by hand.
		const controller = new AbortController();
		const outer = init.signal;
		const onOuterAbort = () => controller.abort(outer?.reason);
		if (outer?.aborted) controller.abort(outer.reason);
		else outer?.addEventListener('abort', onOuterAbort, { once: true });
		const timer = setTimeout(
			() =>
				controller.abort(
					new DOMException(`No answer within ${Math.round(timeoutMs / 1000)} s`, 'TimeoutError')
				),
			timeoutMs
		);
		return baseFetch(input, { ...init, signal: controller.signal }).finally(() => {
			clearTimeout(timer);
			outer?.removeEventListener('abort', onOuterAbort);
		});
	};
}
