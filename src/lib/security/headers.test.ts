import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import svelteConfig from '../../../svelte.config.js';
import {
	deployedSupabaseUrl,
	inlineContent,
	templateStyleAttributes,
	writeBuildHeaders
} from './build-headers';
import {
	cspHash,
	formatHeadersFile,
	formatVercelConfig,
	headerRules,
	headersFor,
	parseCsp,
	parseHeadersFile,
	parseVercelConfig,
	supabaseSources,
	withSupabaseUrl
} from './headers';

const BOOT = `\n\t\t\tvar boot = (window.__civicpulseBoot = {});\n\t\t`;
const KIT = `\n\t\t\t\t{ __sveltekit_x = { base: "" }; import("/_app/immutable/entry/start.js"); }\n\t\t\t`;
const SHELL_CSS = `\n\t\t\t#boot { position: fixed; }\n\t\t`;
const ANNOUNCER =
	'position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); overflow: hidden; white-space: nowrap; width: 1px; height: 1px';

/** A built page shaped like adapter-static's 200.html, with the given <meta> policy. */
function page(meta: string): string {
	return `<!doctype html>
<html lang="en">
	<head>
		<meta charset="utf-8" />
		<script>${BOOT}</script>
		<meta http-equiv="content-security-policy" content="${meta.replace(/"/g, '&quot;')}">
		<link href="/_app/immutable/entry/start.js" rel="modulepreload">
		<script type="application/ld+json">{"not": "a script"}</script>
		<script src="/_app/external.js"></script>
		<style>${SHELL_CSS}</style>
	</head>
	<body>
		<!-- <div onclick="commented out"> -->
		<div class="app-root"><script>${KIT}</script></div>
	</body>
</html>
`;
}

describe('CSP sources', () => {
	it('hashes inline text exactly as SHA-256 in base64 (the browser’s hash source)', () => {
		// Reference values from `printf … | openssl dgst -sha256 -binary | base64`.
		expect(cspHash('alert(1)')).toBe('sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=');
		expect(cspHash('\n\t\tvar a = 1;\n\t')).toBe(
			'sha256-rsspxab4rkiUtpNmwIZ3y7Xs/m3IXLMi/yxvRXBqVok='
		);
	});

	it('lets the app reach its Supabase project over HTTPS and Realtime’s WebSocket', () => {
		expect(supabaseSources('https://abcd.supabase.co/')).toEqual([
			'https://abcd.supabase.co',
			'wss://abcd.supabase.co'
		]);
		expect(supabaseSources('http://127.0.0.1:54321')).toEqual([
			'http://127.0.0.1:54321',
			'ws://127.0.0.1:54321'
		]);
		expect(supabaseSources('https://api.city.example/supabase')).toEqual([
			'https://api.city.example',
			'wss://api.city.example'
		]);
		expect(supabaseSources(undefined)).toEqual(['https://*.supabase.co', 'wss://*.supabase.co']);
		expect(() => supabaseSources('abcd.supabase.co')).toThrow(/Not a Supabase URL/);
		expect(() => supabaseSources('ftp://abcd.supabase.co')).toThrow(/Not a Supabase URL/);
	});
});

describe('the policy', () => {
	const rules = headerRules({
		scriptHashes: [cspHash(BOOT), cspHash(KIT)],
		styleHashes: [cspHash(SHELL_CSS)],
		styleAttributeHashes: [cspHash(ANNOUNCER)],
		supabaseUrl: 'https://abcd.supabase.co'
	});
	const csp = parseCsp(rules[0].headers['Content-Security-Policy']);

	it('allows scripts and styles from the site and the hashed inline ones, never any inline', () => {
		expect(csp.get('default-src')).toEqual(['self']);
		expect(csp.get('script-src')).toEqual(['self', cspHash(BOOT), cspHash(KIT)]);
		expect(csp.get('style-src')).toEqual(['self', cspHash(SHELL_CSS)]);
		expect(csp.get('style-src-attr')).toEqual(['unsafe-hashes', cspHash(ANNOUNCER)]);
		expect(rules[0].headers['Content-Security-Policy']).not.toContain("'unsafe-inline'");
		expect(rules[0].headers['Content-Security-Policy']).not.toContain("'unsafe-eval'");
		expect(rules[0].headers['Content-Security-Policy']).toContain(`'${cspHash(BOOT)}'`);
		expect(csp.get('object-src')).toEqual(['none']);
		expect(csp.get('base-uri')).toEqual(['none']);
	});

	it('reaches only the site and its backend, embeds only stream players, is framed by nobody', () => {
		expect(csp.get('connect-src')).toEqual([
			'self',
			'https://abcd.supabase.co',
			'wss://abcd.supabase.co'
		]);
		expect(csp.get('frame-src')).toEqual([
			'https://www.youtube-nocookie.com',
			'https://player.vimeo.com',
			'https://*.granicus.com'
		]);
		expect(csp.get('img-src')).toEqual(['self', 'data:']);
		expect(csp.get('frame-ancestors')).toEqual(['none']);
		expect(rules[0].headers['X-Frame-Options']).toBe('DENY');
	});

	it('keeps invitation codes in survey links from other sites and switches off unused features', () => {
		expect(rules[0].headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
		const permissions = rules[0].headers['Permissions-Policy'];
		for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb'])
			expect(permissions).toContain(`${feature}=()`);
		expect(permissions).toContain(
			'fullscreen=(self "https://www.youtube-nocookie.com" "https://player.vimeo.com" "https://*.granicus.com")'
		);
		expect(rules[0].headers['X-Content-Type-Options']).toBe('nosniff');
	});

	it('sends the policy on every path and long-term caching on hashed assets only', () => {
		const shell = headersFor(rules, '/s/resident-survey');
		expect(shell['Content-Security-Policy']).toBe(rules[0].headers['Content-Security-Policy']);
		expect(shell['Cache-Control']).toBeUndefined();
		const asset = headersFor(rules, '/_app/immutable/entry/start.js');
		expect(asset['Cache-Control']).toBe('public, max-age=31536000, immutable');
		expect(asset['Content-Security-Policy']).toBeDefined();
	});

	it('points at another city’s backend by changing connect-src only', () => {
		const moved = withSupabaseUrl(rules, 'https://wxyz.supabase.co');
		const movedCsp = parseCsp(moved[0].headers['Content-Security-Policy']);
		expect(movedCsp.get('connect-src')).toEqual([
			'self',
			'https://wxyz.supabase.co',
			'wss://wxyz.supabase.co'
		]);
		movedCsp.delete('connect-src');
		csp.delete('connect-src');
		expect(movedCsp).toEqual(csp);
		expect(moved[1]).toEqual(rules[1]);
	});
});

describe('host files', () => {
	const rules = headerRules({ scriptHashes: [cspHash(BOOT)], styleHashes: [] });

	it('says the same in _headers (Netlify, Cloudflare Pages) and vercel.json', () => {
		const headersFile = formatHeadersFile(rules, ['a comment']);
		expect(headersFile.startsWith('# a comment\n/*\n  Content-Security-Policy: ')).toBe(true);
		expect(parseHeadersFile(headersFile)).toEqual(rules);
		expect(parseVercelConfig(formatVercelConfig(rules))).toEqual(rules);
	});

	it('gives Vercel the SPA fallback the other hosts are configured with', () => {
		const vercel = JSON.parse(formatVercelConfig(rules));
		expect(vercel.rewrites).toEqual([{ source: '/((?!_app/).*)', destination: '/200.html' }]);
		expect(vercel.headers.map((h: { source: string }) => h.source)).toEqual([
			'/(.*)',
			'/_app/immutable/(.*)'
		]);
	});

	it('refuses to write a line Cloudflare Pages would cut off', () => {
		const long = headerRules({
			scriptHashes: Array.from({ length: 40 }, (_, i) => cspHash(String(i))),
			styleHashes: []
		});
		expect(() => formatHeadersFile(long)).toThrow(/2000 characters/);
	});

	it('reports a malformed _headers line instead of ignoring it', () => {
		expect(() => parseHeadersFile('  X-Frame-Options: DENY\n')).toThrow(/line 1/);
		expect(() => parseHeadersFile('/*\n  no colon here\n')).toThrow(/line 2/);
	});
});

describe('reading the built HTML', () => {
	it('finds the inline scripts and styles to hash, skipping external scripts and data blocks', () => {
		const found = inlineContent(page("script-src 'self'"));
		expect(found.scripts).toEqual([BOOT, KIT]);
		expect(found.styles).toEqual([SHELL_CSS]);
		expect(found.metaPolicies).toEqual(["script-src 'self'"]);
		expect(found.blocked).toEqual([]);
	});

	it('flags inline handlers, style attributes and javascript: URLs the policy would block', () => {
		const found = inlineContent(
			'<body><div onclick="go()"></div><p style="color: red"></p><a href="javascript:go()">x</a></body>'
		);
		expect(found.blocked).toHaveLength(3);
	});

	it('finds the style attributes of compiled Svelte templates', () => {
		const js = `var D=c(\`<div id="svelte-announcer" aria-live="assertive" style="${ANNOUNCER}"><!></div>\`),O=c(\`<!> <!>\`,1);if(a<b)x.style="";`;
		expect(templateStyleAttributes(js)).toEqual([ANNOUNCER]);
	});

	it('hashes the boot script of src/app.html exactly as svelte.config.js gives it to SvelteKit', () => {
		const template = readFileSync(new URL('../../app.html', import.meta.url), 'utf8');
		const { scripts } = inlineContent(template);
		expect(scripts).toHaveLength(1);
		expect(scripts[0]).toContain('__civicpulseBoot');
		const kitScriptSrc = svelteConfig.kit?.csp?.directives?.['script-src'];
		expect(kitScriptSrc).toEqual(['self', cspHash(scripts[0])]);
	});
});

describe('writing the header files into a build', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'civicpulse-headers-'));
		mkdirSync(join(dir, '_app', 'immutable', 'entry'), { recursive: true });
		writeFileSync(
			join(dir, '_app', 'immutable', 'entry', 'app.js'),
			`var D=c(\`<div id="svelte-announcer" style="${ANNOUNCER}"><!></div>\`);`
		);
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	const meta = `script-src 'self' '${cspHash(BOOT)}' '${cspHash(KIT)}'; object-src 'none'; base-uri 'none'`;

	it('allows exactly the inline scripts and styles of the built pages, in both files', () => {
		writeFileSync(join(dir, '200.html'), page(meta));
		const written = writeBuildHeaders(dir, 'https://abcd.supabase.co');
		expect(written.scriptHashes).toEqual([cspHash(BOOT), cspHash(KIT)]);
		expect(written.styleHashes).toEqual([cspHash(SHELL_CSS)]);
		expect(written.styleAttributeHashes).toEqual([cspHash(ANNOUNCER)]);

		const fromHeaders = parseHeadersFile(readFileSync(join(dir, '_headers'), 'utf8'));
		const fromVercel = parseVercelConfig(readFileSync(join(dir, 'vercel.json'), 'utf8'));
		expect(fromHeaders).toEqual(written.rules);
		expect(fromVercel).toEqual(written.rules);
		const csp = parseCsp(fromHeaders[0].headers['Content-Security-Policy']);
		expect(csp.get('script-src')).toEqual(['self', cspHash(BOOT), cspHash(KIT)]);
		expect(csp.get('connect-src')).toContain('wss://abcd.supabase.co');
	});

	it('says in _headers how to pin the backend when the build did not know it', () => {
		writeFileSync(join(dir, '200.html'), page(meta));
		writeBuildHeaders(dir, undefined);
		const text = readFileSync(join(dir, '_headers'), 'utf8');
		expect(text).toContain('# `npm run headers -- --supabase-url https://<ref>.supabase.co`');
		expect(text).toContain("connect-src 'self' https://*.supabase.co wss://*.supabase.co;");
	});

	it('fails the build when SvelteKit’s <meta> policy and the headers disagree', () => {
		writeFileSync(join(dir, '200.html'), page(`script-src 'self' '${cspHash(BOOT)}'`));
		expect(() => writeBuildHeaders(dir)).toThrow(/200\.html: the <meta> CSP .*says "script-src/);
	});

	it('fails the build when a page has an inline handler the policy would block', () => {
		writeFileSync(
			join(dir, '200.html'),
			page(meta).replace('<div class="app-root">', '<div class="app-root" onload="x()">')
		);
		expect(() => writeBuildHeaders(dir)).toThrow(/inline handlers or style attributes/);
	});

	it('fails clearly when there is no build', () => {
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir);
		expect(() => writeBuildHeaders(dir)).toThrow(/No HTML found/);
	});

	it('takes the backend from the deployment’s config.json, else from PUBLIC_SUPABASE_URL', () => {
		expect(deployedSupabaseUrl(dir, {})).toBeUndefined();
		expect(deployedSupabaseUrl(dir, { PUBLIC_SUPABASE_URL: 'https://env.supabase.co' })).toBe(
			'https://env.supabase.co'
		);
		writeFileSync(
			join(dir, 'config.json'),
			JSON.stringify({ supabaseUrl: 'https://city.supabase.co', anonKey: 'k' })
		);
		expect(deployedSupabaseUrl(dir, { PUBLIC_SUPABASE_URL: 'https://env.supabase.co' })).toBe(
			'https://city.supabase.co'
		);
	});
});
