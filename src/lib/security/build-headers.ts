/**
 * Writes the host header files into a built app (`build/_headers`, `build/vercel.json`) from
 * the HTML that is actually shipped. Run by the build (a Vite plugin in vite.config.ts, after
 * adapter-static has written `build/`) and by `npm run headers` to point an existing build at a
 * city's Supabase project:
 *
 *   npm run headers -- [--dir build] [--supabase-url https://<ref>.supabase.co]
 *
 * Without --supabase-url the URL comes from `<dir>/config.json` when a deployment put one there,
 * else from PUBLIC_SUPABASE_URL, else connect-src allows any hosted Supabase project.
 *
 * The build fails rather than ship a policy that would break the page: an inline event handler,
 * style attribute or `javascript:` URL in the HTML (the CSP forbids them), or a
 * `<meta http-equiv="content-security-policy">` (SvelteKit's, from `kit.csp` in
 * svelte.config.js) that disagrees with the header on any directive it carries.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	cspHash,
	formatHeadersFile,
	formatVercelConfig,
	headerRules,
	parseCsp,
	type THeaderRule
} from './headers.ts';

/** Inline scripts and styles of one HTML document, and what the CSP would refuse in it. */
export interface TInlineContent {
	scripts: string[];
	styles: string[];
	/** Meta CSP policies (already HTML-unescaped). */
	metaPolicies: string[];
	/** Attributes the policy blocks (`on…=`, `style=`, `javascript:`), as found. */
	blocked: string[];
}

const unescapeHtml = (s: string) =>
	s
		.replace(/&#39;|&#x27;|&apos;/g, "'")
		.replace(/&quot;|&#34;/g, '"')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');

function attribute(attrs: string, name: string): string | undefined {
	const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(
		attrs
	);
	return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** Scripts run by the browser: no `type`, or a JavaScript/module type (not JSON data blocks). */
function isExecutable(attrs: string): boolean {
	const type = attribute(attrs, 'type')?.trim().toLowerCase();
	return !type || type === 'module' || /^(text|application)\/(x-)?(java|ecma)script$/.test(type);
}

export function inlineContent(html: string): TInlineContent {
	const scripts: string[] = [];
	const styles: string[] = [];
	const metaPolicies: string[] = [];
	const blocked: string[] = [];
	// Element contents are hashed exactly as written, between the tags.
	const markup = html
		.replace(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi, (_, attrs: string, body: string) => {
			if (attribute(attrs, 'src') === undefined && isExecutable(attrs)) scripts.push(body);
			return `<script${attrs}></script>`;
		})
		.replace(/<style\b([^>]*)>([\s\S]*?)<\/style\s*>/gi, (_, attrs: string, body: string) => {
			styles.push(body);
			return `<style${attrs}></style>`;
		})
		.replace(/<!--[\s\S]*?-->/g, '');
	for (const tag of markup.match(/<[a-z][^>]*>/gi) ?? []) {
		if (/^<meta\b/i.test(tag) && /http-equiv\s*=\s*["']?content-security-policy/i.test(tag)) {
			metaPolicies.push(unescapeHtml(attribute(tag, 'content') ?? ''));
			continue;
		}
		const found = /\s(on[a-z]+|style)\s*=/i.exec(tag) ?? /=\s*["']?\s*javascript:/i.exec(tag);
		if (found) blocked.push(tag.slice(0, 120));
	}
	return { scripts, styles, metaPolicies, blocked };
}

/**
 * The static `style="…"` attribute values in compiled Svelte templates (HTML strings inside the
 * JavaScript, e.g. SvelteKit's route announcer), as the browser will read them.
 */
export function templateStyleAttributes(js: string): string[] {
	const values = new Set<string>();
	for (const [, value] of js.matchAll(/<[a-z][a-z0-9-]*\s[^<>`]*?\sstyle="([^"`$\\]*)"/gi))
		values.add(unescapeHtml(value));
	return [...values];
}

function filesEndingWith(dir: string, ending: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith(ending))
		.map((file) => join(dir, file))
		.sort();
}

/** Where the deployment's backend is: `<dir>/config.json`, else PUBLIC_SUPABASE_URL. */
export function deployedSupabaseUrl(dir: string, env = process.env): string | undefined {
	const file = join(dir, 'config.json');
	if (existsSync(file)) {
		const config = JSON.parse(readFileSync(file, 'utf8')) as { supabaseUrl?: unknown };
		if (typeof config.supabaseUrl === 'string' && config.supabaseUrl) return config.supabaseUrl;
	}
	return env.PUBLIC_SUPABASE_URL || undefined;
}

export interface TWrittenHeaders {
	rules: THeaderRule[];
	files: string[];
	scriptHashes: string[];
	styleHashes: string[];
	styleAttributeHashes: string[];
}

/**
 * Hashes the inline scripts and styles of every HTML file under `dir`, checks the result can
 * serve those pages, and writes `_headers` and `vercel.json` there.
 */
export function writeBuildHeaders(dir: string, supabaseUrl?: string | null): TWrittenHeaders {
	const root = resolve(dir);
	const pages = filesEndingWith(root, '.html');
	if (pages.length === 0) throw new Error(`No HTML found in ${root}: build the app first.`);

	const scriptHashes = new Set<string>();
	const styleHashes = new Set<string>();
	const metas: { page: string; policy: string }[] = [];
	for (const page of pages) {
		const content = inlineContent(readFileSync(page, 'utf8'));
		const name = relative(root, page);
		if (content.blocked.length > 0)
			throw new Error(
				`${name} has inline handlers or style attributes the Content-Security-Policy blocks; move them into the app's code or CSS: ${content.blocked.join(' | ')}`
			);
		for (const script of content.scripts) scriptHashes.add(cspHash(script));
		for (const style of content.styles) styleHashes.add(cspHash(style));
		for (const policy of content.metaPolicies) metas.push({ page: name, policy });
	}

	const styleAttributeHashes = new Set<string>();
	for (const file of filesEndingWith(join(root, '_app'), '.js'))
		for (const value of templateStyleAttributes(readFileSync(file, 'utf8')))
			styleAttributeHashes.add(cspHash(value));

	const inputs = {
		scriptHashes: [...scriptHashes],
		styleHashes: [...styleHashes],
		styleAttributeHashes: [...styleAttributeHashes].sort(),
		supabaseUrl: supabaseUrl || null
	};
	const rules = headerRules(inputs);
	const header = parseCsp(rules[0].headers['Content-Security-Policy']);

	// Both a <meta> policy and the header are enforced; any directive the meta carries must say
	// exactly what the header says, or the page would get less than the header promises.
	for (const { page, policy } of metas) {
		for (const [name, sources] of parseCsp(policy)) {
			const expected = header.get(name) ?? [];
			const same = sources.length === expected.length && sources.every((s) => expected.includes(s));
			if (!same)
				throw new Error(
					`${page}: the <meta> CSP (kit.csp in svelte.config.js) says "${name} ${sources.join(' ')}" but the headers say "${name} ${expected.join(' ')}". Make them agree.`
				);
		}
	}

	const comment = [
		'Generated by `npm run build` / `npm run headers` (src/lib/security/build-headers.ts).',
		'Do not edit: script and style hashes change with every build.',
		supabaseUrl
			? `connect-src allows the Supabase project ${supabaseUrl}.`
			: 'connect-src allows any hosted Supabase project (*.supabase.co): pin yours with',
		supabaseUrl ? '' : '`npm run headers -- --supabase-url https://<ref>.supabase.co` (see README).'
	].filter(Boolean);
	const headersFile = join(root, '_headers');
	const vercelFile = join(root, 'vercel.json');
	writeFileSync(headersFile, formatHeadersFile(rules, comment));
	writeFileSync(vercelFile, formatVercelConfig(rules));
	return { rules, files: [headersFile, vercelFile], ...inputs };
}

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i > -1 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		const dir = arg('dir') ?? 'build';
		const url = arg('supabase-url') ?? deployedSupabaseUrl(dir);
		const { files, rules } = writeBuildHeaders(dir, url);
		const csp = parseCsp(rules[0].headers['Content-Security-Policy']);
		console.log(`Wrote ${files.join(', ')}`);
		console.log(`connect-src ${csp.get('connect-src')?.join(' ')}`);
	} catch (err) {
		console.error(err instanceof Error ? err.message : err);
		process.exit(1);
	}
}
