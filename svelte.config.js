import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The inline <script> of src/app.html (the early start, see src/lib/boot.ts), by its hash, so
// SvelteKit's <meta> policy allows it beside SvelteKit's own bootstrap (which Kit hashes itself).
const template = readFileSync(new URL('./src/app.html', import.meta.url), 'utf8');
const templateScripts = [...template.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
	([, body]) =>
		/** @type {`sha256-${string}`} */ (
			`sha256-${createHash('sha256').update(body).digest('base64')}`
		)
);

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A static SPA: any host serves build/, unknown paths fall back to 200.html
		// so deep links such as /s/resident-2026 work from a QR code.
		adapter: adapter({ fallback: '200.html', strict: false }),
		// The service worker is registered by @vite-pwa/sveltekit (injectManifest).
		serviceWorker: { register: false },
		alias: { $domain: 'src/lib/domain' },
		// The core of the Content-Security-Policy as a <meta> tag in the built HTML, so a host
		// that ignores the header files still refuses injected scripts. The full policy (with
		// connect-src for the city's backend and frame-ancestors, which a <meta> cannot carry)
		// is sent as headers: src/lib/security/headers.ts. The build fails if the two disagree.
		csp: {
			mode: 'hash',
			directives: {
				'script-src': ['self', ...templateScripts],
				'object-src': ['none'],
				'base-uri': ['none']
			}
		}
	}
};

export default config;
