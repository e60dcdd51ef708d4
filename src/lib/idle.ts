/**
 * Run `fn` once the page has loaded and the main thread is idle (at most 2 s after load), so
 * work that the first screen does not need never competes with it on a slow phone.
 */
export function whenIdle(fn: () => void): void {
	const idle = () =>
		'requestIdleCallback' in window
			? window.requestIdleCallback(fn, { timeout: 2_000 })
			: setTimeout(fn, 200);
	if (document.readyState === 'complete') idle();
	else window.addEventListener('load', idle, { once: true });
}
