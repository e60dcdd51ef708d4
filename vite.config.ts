import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { resolve } from 'node:path';
import { loadEnv, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { writeBuildHeaders } from './src/lib/security/build-headers.ts';

/**
 * After adapter-static has written build/ (SvelteKit runs it in the server build's closeBundle),
 * write the host header files from the HTML it wrote: the CSP hashes can never drift from the
 * shipped scripts. connect-src names PUBLIC_SUPABASE_URL when the build has one.
 */
function securityHeaders(): Plugin {
	let root = process.cwd();
	let supabaseUrl: string | undefined;
	let ssr = false;
	return {
		name: 'civicpulse-security-headers',
		apply: 'build',
		configResolved(config) {
			root = config.root;
			ssr = Boolean(config.build.ssr);
			supabaseUrl = loadEnv(config.mode, config.envDir || root, 'PUBLIC_').PUBLIC_SUPABASE_URL;
		},
		closeBundle: {
			order: 'post',
			sequential: true,
			handler() {
				if (!ssr) return;
				const { files, scriptHashes } = writeBuildHeaders(resolve(root, 'build'), supabaseUrl);
				console.log(
					`Security headers: ${files.map((f) => f.slice(root.length + 1)).join(', ')} (${scriptHashes.length} inline scripts hashed)`
				);
			}
		}
	};
}

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			strategies: 'injectManifest',
			srcDir: 'src',
			filename: 'service-worker.ts',
			// We register ourselves (src/lib/pwa) so the update prompt never reloads over a draft.
			injectRegister: false,
			registerType: 'prompt',
			manifest: {
				name: 'CivicPulse',
				short_name: 'CivicPulse',
				description:
					'Tell your city how it is doing, join its public performance meetings and see results against targets.',
				lang: 'en',
				start_url: '/',
				scope: '/',
				display: 'standalone',
				background_color: '#ffffff',
				theme_color: '#0b4f6c',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{
						src: '/icons/icon-maskable-512.png',
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			injectManifest: {
				globPatterns: [
					'client/**/*.{js,css,ico,png,svg,webmanifest,woff2}',
					'prerendered/**/*.html'
				],
				// adapter-static writes /_app/env.js after this manifest is built, but the shell
				// imports it on every start: precache it (new revision per build) so reloads work offline.
				additionalManifestEntries: [{ url: '/_app/env.js', revision: String(Date.now()) }]
			},
			// Precache the SPA fallback (200.html) as '/', which the SW serves for every navigation.
			kit: { adapterFallback: '200.html', spa: { fallbackMapping: '/' } },
			devOptions: { enabled: false }
		}),
		securityHeaders()
	],
	server: { host: '127.0.0.1', port: 5173, strictPort: false },
	preview: { host: '127.0.0.1', port: 4173 },
	test: {
		include: ['src/**/*.test.ts', 'supabase/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		// One throwaway PostgreSQL 15 cluster per run for database tests on both engines.
		globalSetup: ['tests/tools/vitest-global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000
	}
});
