import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A static SPA: any host serves build/, unknown paths fall back to 200.html
		// so deep links such as /s/resident-2026 work from a QR code.
		adapter: adapter({ fallback: '200.html', strict: false }),
		// The service worker is registered by @vite-pwa/sveltekit (injectManifest).
		serviceWorker: { register: false },
		alias: { $domain: 'src/lib/domain' }
	}
};

export default config;
