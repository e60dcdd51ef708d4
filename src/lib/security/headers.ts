/**
 * Security headers for the static hosts CivicPulse is deployed to: one policy, written at build
 * time into the files those hosts read (Netlify and Cloudflare Pages `_headers`, Vercel
 * `vercel.json`) and served the same way by the test server (tests/tools/serve-build.ts).
 *
 * The Content-Security-Policy allows no inline script: the only inline scripts, the early-start
 * script in `src/app.html` and SvelteKit's own bootstrap, are allowed by their SHA-256 hashes,
 * computed from the built HTML on every build (./build-headers.ts), so they cannot drift from
 * what is shipped. The same goes for the one inline `<style>` (the app shell's first paint).
 *
 * Where the backend is depends on the deployment (`/config.json`), so `connect-src` is the one
 * per-city part: the Supabase origin given at build time (`PUBLIC_SUPABASE_URL`) or to
 * `npm run headers`, else any hosted Supabase project (`*.supabase.co`). See the README.
 *
 * Pure: no file system, so the browser-test server and the unit tests use it as is.
 */
import { createHash } from 'node:crypto';

/** Meeting streams the meeting pages may embed (YouTube without cookies, Vimeo, Granicus). */
export const STREAM_EMBED_ORIGINS = [
	'https://www.youtube-nocookie.com',
	'https://player.vimeo.com',
	'https://*.granicus.com'
] as const;

/** connect-src when no Supabase URL is known at build time: any hosted Supabase project. */
export const ANY_SUPABASE_PROJECT = ['https://*.supabase.co', 'wss://*.supabase.co'] as const;

/** A host's header rule: a path pattern (`*` matches anything) and the headers it adds. */
export interface THeaderRule {
	path: string;
	headers: Record<string, string>;
}

/** What the build found in its HTML and where the backend is. */
export interface THeaderInputs {
	/** `sha256-…` sources of every inline `<script>` in the built HTML. */
	scriptHashes: string[];
	/** `sha256-…` sources of every inline `<style>` in the built HTML. */
	styleHashes: string[];
	/**
	 * `sha256-…` sources of the static `style="…"` attributes in the app's compiled templates
	 * (SvelteKit's route announcer has one); allowed one by one with 'unsafe-hashes'.
	 */
	styleAttributeHashes?: string[];
	/** The Supabase project URL; absent = any hosted Supabase project. */
	supabaseUrl?: string | null;
}

/** The `sha256-<base64>` CSP source of an inline element's exact text. */
export function cspHash(text: string): string {
	return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/**
 * The connect-src sources for a Supabase URL: its origin for REST/Auth and the same host over
 * WebSocket for Realtime (wss for https, ws for the local http backend).
 */
export function supabaseSources(url?: string | null): string[] {
	if (!url) return [...ANY_SUPABASE_PROJECT];
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new Error(`Not a Supabase URL: "${url}" (expected https://<project>.supabase.co).`);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
		throw new Error(`Not a Supabase URL: "${url}" (expected https://<project>.supabase.co).`);
	const ws = parsed.protocol === 'https:' ? 'wss:' : 'ws:';
	return [parsed.origin, `${ws}//${parsed.host}`];
}

const quote = (source: string) =>
	/^(self|none|unsafe-[a-z-]+|strict-dynamic|report-sample|sha(256|384|512)-.+)$/.test(source)
		? `'${source}'`
		: source;

/** The policy as ordered directives (unquoted keywords: `self`, `sha256-…`). */
export function cspDirectives(inputs: THeaderInputs): Map<string, string[]> {
	const styleAttributes = inputs.styleAttributeHashes ?? [];
	const entries: [string, string[]][] = [
		['default-src', ['self']],
		['script-src', ['self', ...inputs.scriptHashes]],
		// No inline styles except the hashed app-shell <style> and the style attributes written
		// in the compiled templates, each by its hash (SvelteKit's visually hidden route
		// announcer: `<div id="svelte-announcer" style="position: absolute; …">`). Svelte's
		// component CSS is built into files, and styles set through the CSSOM (Chart.js sizing
		// its canvas) are not governed by style-src. 'unsafe-hashes' allows only the listed
		// attribute values, never one an attacker writes.
		['style-src', ['self', ...inputs.styleHashes]],
		...(styleAttributes.length > 0
			? [['style-src-attr', ['unsafe-hashes', ...styleAttributes]] as [string, string[]]]
			: []),
		// data: for the invitation QR codes (uqr SVG as a data: image); no remote images.
		['img-src', ['self', 'data:']],
		['font-src', ['self']],
		['connect-src', ['self', ...supabaseSources(inputs.supabaseUrl)]],
		// Meeting stream players (embedded by the meeting pages).
		['frame-src', [...STREAM_EMBED_ORIGINS]],
		['worker-src', ['self']],
		['manifest-src', ['self']],
		['object-src', ['none']],
		['base-uri', ['none']],
		['form-action', ['self']],
		['frame-ancestors', ['none']]
	];
	return new Map(entries);
}

export function formatCsp(directives: Map<string, string[]>): string {
	return [...directives]
		.map(([name, sources]) => [name, ...sources.map(quote)].join(' '))
		.join('; ');
}

/** Parses a policy into directives with unquoted sources (the inverse of formatCsp). */
export function parseCsp(policy: string): Map<string, string[]> {
	const directives = new Map<string, string[]>();
	for (const part of policy.split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (!name) continue;
		directives.set(
			name.toLowerCase(),
			sources.map((s) => s.replace(/^'(.*)'$/, '$1'))
		);
	}
	return directives;
}

/**
 * Features the app never uses are switched off for the page and anything it embeds; the stream
 * players get what a video needs (the iframe must also ask for them in its `allow` attribute).
 */
function permissionsPolicy(): string {
	const players = `(self ${STREAM_EMBED_ORIGINS.map((o) => `"${o}"`).join(' ')})`;
	const off = [
		'accelerometer',
		'browsing-topics',
		'camera',
		'display-capture',
		'geolocation',
		'gyroscope',
		'hid',
		'magnetometer',
		'microphone',
		'midi',
		'payment',
		'publickey-credentials-get',
		'serial',
		'usb',
		'xr-spatial-tracking'
	].map((feature) => `${feature}=()`);
	const video = ['autoplay', 'encrypted-media', 'fullscreen', 'picture-in-picture'].map(
		(feature) => `${feature}=${players}`
	);
	return [...off, ...video].sort().join(', ');
}

/** Every rule, in the order the host files list them. */
export function headerRules(inputs: THeaderInputs): THeaderRule[] {
	return [
		{
			path: '/*',
			headers: {
				'Content-Security-Policy': formatCsp(cspDirectives(inputs)),
				// Survey links carry invitation codes in the query string: other origins (the
				// backend, a stream player) get the origin only, never the path or the code.
				// YouTube's player refuses to play with no referrer at all, so not `no-referrer`.
				'Referrer-Policy': 'strict-origin-when-cross-origin',
				'Permissions-Policy': permissionsPolicy(),
				'X-Content-Type-Options': 'nosniff',
				// frame-ancestors 'none' for browsers that predate it.
				'X-Frame-Options': 'DENY',
				'Cross-Origin-Opener-Policy': 'same-origin',
				'Strict-Transport-Security': 'max-age=31536000'
			}
		},
		{
			// Content-hashed file names: safe to cache for a year (a new build has new names).
			path: '/_app/immutable/*',
			headers: { 'Cache-Control': 'public, max-age=31536000, immutable' }
		}
	];
}

/** Cloudflare Pages reads at most 2,000 characters per line of `_headers`. */
export const HEADERS_FILE_MAX_LINE = 2000;

/** The `_headers` file (Netlify, Cloudflare Pages). */
export function formatHeadersFile(rules: THeaderRule[], comment: string[] = []): string {
	const lines = comment.map((line) => `# ${line}`.trimEnd());
	for (const rule of rules) {
		lines.push(rule.path);
		for (const [name, value] of Object.entries(rule.headers)) lines.push(`  ${name}: ${value}`);
	}
	const long = lines.find((line) => line.length > HEADERS_FILE_MAX_LINE);
	if (long)
		throw new Error(
			`A _headers line is longer than the ${HEADERS_FILE_MAX_LINE} characters Cloudflare Pages reads: ${long.slice(0, 80)}…`
		);
	return `${lines.join('\n')}\n`;
}

/** Reads a `_headers` file: `#` comments, a path line, then indented `Name: value` lines. */
export function parseHeadersFile(text: string): THeaderRule[] {
	const rules: THeaderRule[] = [];
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
		if (!/^\s/.test(raw)) {
			rules.push({ path: raw.trim(), headers: {} });
			continue;
		}
		const colon = raw.indexOf(':');
		const rule = rules.at(-1);
		if (!rule || colon < 0)
			throw new Error(`_headers line ${index + 1}: expected "  Name: value" under a path.`);
		rule.headers[raw.slice(0, colon).trim()] = raw.slice(colon + 1).trim();
	}
	return rules;
}

/** Whether a rule's path pattern matches a request path (`*` matches any run of characters). */
export function pathMatches(pattern: string, pathname: string): boolean {
	const re = pattern
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${re}$`).test(pathname);
}

/**
 * The headers a host sends for a path: every matching rule's headers, a name given by several
 * rules joined with ", " (what Netlify and Cloudflare Pages do).
 */
export function headersFor(rules: THeaderRule[], pathname: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const rule of rules) {
		if (!pathMatches(rule.path, pathname)) continue;
		for (const [name, value] of Object.entries(rule.headers))
			out[name] = name in out ? `${out[name]}, ${value}` : value;
	}
	return out;
}

/**
 * The same rules pointed at another backend: connect-src becomes `'self'` plus that Supabase
 * URL's sources. What `npm run headers -- --supabase-url` writes, and what the test server does
 * in memory for the backend its /config.json names.
 */
export function withSupabaseUrl(rules: THeaderRule[], supabaseUrl: string): THeaderRule[] {
	return rules.map((rule) => {
		const policy = rule.headers['Content-Security-Policy'];
		if (!policy) return rule;
		const directives = parseCsp(policy);
		directives.set('connect-src', ['self', ...supabaseSources(supabaseUrl)]);
		return {
			...rule,
			headers: { ...rule.headers, 'Content-Security-Policy': formatCsp(directives) }
		};
	});
}

/** The Vercel configuration: the same header rules, plus the SPA fallback to 200.html. */
export function formatVercelConfig(rules: THeaderRule[]): string {
	const source = (path: string) => path.replace(/\*/g, '(.*)');
	return `${JSON.stringify(
		{
			headers: rules.map((rule) => ({
				source: source(rule.path),
				headers: Object.entries(rule.headers).map(([key, value]) => ({ key, value }))
			})),
			// Vercel serves an existing file first; other paths get the app shell, except under
			// /_app/, where a missing file (an old build's chunk) must stay a 404, not HTML.
			rewrites: [{ source: '/((?!_app/).*)', destination: '/200.html' }]
		},
		null,
		'\t'
	)}\n`;
}

/** Reads the header rules back from a generated `vercel.json` (for the agreement test). */
export function parseVercelConfig(text: string): THeaderRule[] {
	const config = JSON.parse(text) as {
		headers?: { source: string; headers: { key: string; value: string }[] }[];
	};
	return (config.headers ?? []).map((rule) => ({
		path: rule.source.replace(/\(\.\*\)/g, '*'),
		headers: Object.fromEntries(rule.headers.map((h) => [h.key, h.value]))
	}));
}
