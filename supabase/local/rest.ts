/**
 * PostgREST v14 subset for `/rest/v1/*` (contract §2). Every request is one transaction with the
 * exact PostgREST preamble (Appendix A.3) and ONE main statement whose JSON body is produced by
 * Postgres (`json_agg(...)::text`), so RLS, RETURNING-vs-SELECT policies, number formats and
 * rollbacks behave as on hosted Supabase. Anything outside the subset answers a 4xx naming the
 * unsupported feature instead of a silently different result.
 */
import type { Db } from './db';
import { isDbError } from './db';
import {
	EXPOSED_SCHEMA,
	type FunctionInfo,
	type RelationInfo,
	type SchemaCache
} from './schema-cache';

export const MAX_ROWS = 1000;
const LOCAL_HINT = 'Not supported by the embedded local backend (supabase/local).';

export interface RestContext {
	db: Db;
	cache(): SchemaCache;
	reloadCache(): Promise<SchemaCache>;
}

export interface RestRequest {
	method: string;
	/** Path below `/rest/v1`, e.g. `/todos` or `/rpc/fn`. */
	path: string;
	/** Raw query string without `?` (the `apikey` parameter already removed). */
	rawQuery: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	role: string;
	claims: Record<string, unknown>;
}

export interface RestResponse {
	status: number;
	headers: Record<string, string>;
	body?: string;
}

export class PgrstError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details: string | null = null,
		readonly hint: string | null = null,
		readonly extraHeaders: Record<string, string> = {}
	) {
		super(message);
	}
}

const JSON_TYPE = 'application/json; charset=utf-8';
const OBJECT_TYPE = 'application/vnd.pgrst.object+json; charset=utf-8';

export function errorResponse(e: PgrstError): RestResponse {
	const headers: Record<string, string> = {
		'content-type': JSON_TYPE,
		'proxy-status': `PostgREST; error=${e.code}`,
		...e.extraHeaders
	};
	return {
		status: e.status,
		headers,
		body: JSON.stringify({ code: e.code, details: e.details, hint: e.hint, message: e.message })
	};
}

/** SQLSTATE ⇒ HTTP status, PostgREST `mapSQLtoHTTP` (contract §2.7). */
export function sqlStateToStatus(code: string, message: string, role: string): number {
	const p2 = code.slice(0, 2);
	if (code === '42501') return role === 'anon' ? 401 : 403;
	if (code === '21000') return /requires a WHERE clause$/.test(message) ? 400 : 500;
	if (code === '22023') return /^role ".*" does not exist$/.test(message) ? 401 : 400;
	if (code === '23503' || code === '23505') return 409;
	if (code === '25006') return 405;
	if (code === '42883' || code === '42P01') return 404;
	if (code === '42P17') return 500;
	if (code === '53400') return 500;
	if (code === '57P01') return 503;
	if (code === 'P0001') return 400;
	if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
	switch (p2) {
		case '08':
		case '53':
			return 503;
		case '09':
		case '25':
		case '2D':
		case '38':
		case '39':
		case '3B':
		case '40':
		case '54':
		case '55':
		case '57':
		case '58':
		case 'F0':
		case 'HV':
		case 'XX':
			return 500;
		case '0L':
		case '0P':
		case '28':
			return 403;
		case 'P0':
			return 500;
	}
	return 400;
}

function dbErrorToPgrst(e: unknown, role: string): PgrstError {
	if (!isDbError(e)) throw e;
	const code = e.code ?? 'XX000';
	const details = e.detail ?? null;
	const hint = e.hint ?? null;
	if (code === 'PGRST') {
		// RAISE SQLSTATE 'PGRST' USING message = '{"code":..,"message":..}', detail = '{"status":..,"headers":{}}'
		try {
			const m = JSON.parse(e.message) as Record<string, string | null>;
			const d = JSON.parse(details ?? '{}') as {
				status?: number;
				headers?: Record<string, string>;
			};
			return new PgrstError(
				d.status ?? 400,
				String(m.code ?? 'PGRST'),
				String(m.message ?? ''),
				m.details ?? null,
				m.hint ?? null,
				d.headers ?? {}
			);
		} catch {
			return new PgrstError(
				500,
				'PGRST121',
				'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error'
			);
		}
	}
	const status = sqlStateToStatus(code, e.message, role);
	const extra: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
	return new PgrstError(status, code, e.message, details, hint, extra);
}

// ---------------------------------------------------------------------------------------------
// Small SQL helpers

const qi = (name: string) => '"' + name.replace(/"/g, '""') + '"';
const lit = (s: string) => "'" + s.replace(/'/g, "''") + "'";
const relSql = (name: string) => `${qi(EXPOSED_SCHEMA)}.${qi(name)}`;

class Params {
	readonly values: unknown[] = [];
	add(v: unknown): string {
		this.values.push(v);
		return `$${this.values.length}`;
	}
}

/** Split on commas that are outside parentheses and double quotes. */
function splitTop(s: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let quoted = false;
	let cur = '';
	for (let i = 0; i < s.length; i++) {
		const ch = s[i];
		if (quoted) {
			if (ch === '\\' && i + 1 < s.length) {
				cur += ch + s[++i];
				continue;
			}
			if (ch === '"') quoted = false;
			cur += ch;
			continue;
		}
		if (ch === '"') quoted = true;
		else if (ch === '(') depth++;
		else if (ch === ')') depth--;
		if (ch === ',' && depth === 0) {
			out.push(cur);
			cur = '';
		} else cur += ch;
	}
	out.push(cur);
	return out;
}

function unquote(v: string): string {
	if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
		return v.slice(1, -1).replace(/\\(.)/g, '$1');
	}
	return v;
}

function levenshtein(a: string, b: string): number {
	const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let prev = dp[0];
		dp[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const tmp = dp[j];
			dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
			prev = tmp;
		}
	}
	return dp[b.length];
}

function closest(name: string, candidates: Iterable<string>): string | null {
	let best: string | null = null;
	let bestD = Infinity;
	for (const c of candidates) {
		const d = levenshtein(name, c);
		if (d < bestD) {
			bestD = d;
			best = c;
		}
	}
	return best !== null && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

// ---------------------------------------------------------------------------------------------
// Field, select, filter and order parsing

interface Field {
	sql: string;
	alias: string;
}

function badParam(what: string, details: string | null = null): PgrstError {
	return new PgrstError(400, 'PGRST100', `"failed to parse ${what}"`, details, null);
}

/** `col`, `"my col"`, `col->a->>b`, `col->0` ⇒ SQL on `qualifier`. */
function parseField(raw: string, qualifier: string): Field {
	const parts = raw.split(/(->>|->)/);
	const col = unquote(parts[0].trim());
	if (!col) throw badParam(`field (${raw})`);
	let sql = `${qualifier}.${qi(col)}`;
	let alias = col;
	for (let i = 1; i < parts.length; i += 2) {
		const op = parts[i];
		const key = unquote(parts[i + 1] ?? '');
		if (key === '') throw badParam(`field (${raw})`);
		sql = `${sql}${op}${/^-?\d+$/.test(key) ? key : lit(key)}`;
		alias = key;
	}
	return { sql, alias };
}

const CAST_RE = /^[a-zA-Z_][a-zA-Z0-9_ ]*(\[\])?$/;

function embedError(table: string, item: string): PgrstError {
	const rel = item
		.replace(/^\.\.\./, '')
		.replace(/^[^:(]*:(?!:)/, '')
		.split(/[(!]/)[0];
	return new PgrstError(
		400,
		'PGRST200',
		`Could not find a relationship between '${table}' and '${rel}' in the schema cache`,
		`Searched for a foreign key relationship between '${table}' and '${rel}' in the schema '${EXPOSED_SCHEMA}', but no matches were found.`,
		`Resource embedding is ${LOCAL_HINT[0].toLowerCase()}${LOCAL_HINT.slice(1)}`
	);
}

/** The `select=` list ⇒ SQL select list on `qualifier`. */
function buildSelect(raw: string | null, qualifier: string, table: string): string {
	if (raw === null || raw.trim() === '') return `${qualifier}.*`;
	const items = splitTop(raw).filter((s) => s.trim() !== '');
	const out: string[] = [];
	for (const item0 of items) {
		const item = item0.trim();
		if (item.includes('(')) throw embedError(table, item);
		if (item === '*') {
			out.push(`${qualifier}.*`);
			continue;
		}
		let alias: string | null = null;
		let rest = item;
		const m = /^([^:]+):([^:].*)$/s.exec(item);
		if (m) {
			alias = unquote(m[1].trim());
			rest = m[2];
		}
		let cast: string | null = null;
		const ci = rest.lastIndexOf('::');
		if (ci >= 0) {
			cast = rest.slice(ci + 2).trim();
			rest = rest.slice(0, ci);
			if (!CAST_RE.test(cast)) throw badParam(`select (${item})`, `invalid cast ${cast}`);
		}
		const f = parseField(rest, qualifier);
		const expr = cast ? `(${f.sql})::${cast}` : f.sql;
		out.push(`${expr} as ${qi(alias ?? f.alias)}`);
	}
	return out.join(', ');
}

const SIMPLE_OPS: Record<string, string> = {
	eq: '=',
	neq: '<>',
	gt: '>',
	gte: '>=',
	lt: '<',
	lte: '<=',
	like: 'like',
	ilike: 'ilike',
	match: '~',
	imatch: '~*',
	isdistinct: 'is distinct from',
	cs: '@>',
	cd: '<@',
	ov: '&&',
	sl: '<<',
	sr: '>>',
	nxr: '&<',
	nxl: '&>',
	adj: '-|-'
};
const FTS_OPS: Record<string, string> = {
	fts: 'to_tsquery',
	plfts: 'plainto_tsquery',
	phfts: 'phraseto_tsquery',
	wfts: 'websearch_to_tsquery'
};

/** `[not.]op[(any|all)|(lang)].value` applied to `field`. `inTree`: value may be "quoted". */
function buildCondition(
	fieldRaw: string,
	expr: string,
	P: Params,
	qualifier: string,
	inTree: boolean
): string {
	let rest = expr;
	let negate = false;
	if (rest.startsWith('not.')) {
		negate = true;
		rest = rest.slice(4);
	}
	const m = /^([a-z]+)(?:\(([a-z_]+)\))?\.(.*)$/s.exec(rest);
	if (!m) throw badParam(`filter (${expr})`);
	const [, op, modifier, value0] = m;
	const value = inTree && op !== 'in' ? unquote(value0) : value0;
	const field = parseField(fieldRaw, qualifier).sql;
	let cond: string;
	if (op === 'is') {
		const v = value.toLowerCase();
		const map: Record<string, string> = {
			null: 'null',
			not_null: 'not null',
			true: 'true',
			false: 'false',
			unknown: 'unknown'
		};
		if (!map[v]) {
			throw badParam(`filter (${expr})`, 'is. accepts null, not_null, true, false, unknown');
		}
		cond = `${field} is ${map[v]}`;
	} else if (op === 'in') {
		if (!/^\(.*\)$/s.test(value)) throw badParam(`filter (${expr})`, 'in. expects a (list)');
		const inner = value.slice(1, -1);
		const items = inner.trim() === '' ? [] : splitTop(inner).map((s) => unquote(s));
		cond = `${field} = any(${P.add(items)})`;
	} else if (FTS_OPS[op]) {
		const fn = FTS_OPS[op];
		cond = modifier
			? `${field} @@ ${fn}(${P.add(modifier)}::regconfig, ${P.add(value)})`
			: `${field} @@ ${fn}(${P.add(value)})`;
	} else if (SIMPLE_OPS[op]) {
		const sqlOp = SIMPLE_OPS[op];
		const likeFix = (v: string) => (op === 'like' || op === 'ilike' ? v.replace(/\*/g, '%') : v);
		if (modifier === 'any' || modifier === 'all') {
			if (!/^\{.*\}$/s.test(value)) throw badParam(`filter (${expr})`, 'expected {a,b} list');
			const items = splitTop(value.slice(1, -1)).map((s) => likeFix(unquote(s)));
			cond = `${field} ${sqlOp} ${modifier}(${P.add(items)})`;
		} else if (modifier) {
			throw badParam(`filter (${expr})`);
		} else {
			let v = likeFix(value);
			// PostgREST turns a (a,b) list into an array literal for ov.
			if (op === 'ov' && /^\(.*\)$/s.test(v)) v = '{' + v.slice(1, -1) + '}';
			cond = `${field} ${sqlOp} ${P.add(v)}`;
		}
	} else {
		throw badParam(`filter (${expr})`, `unknown operator ${op}`);
	}
	return negate ? `not (${cond})` : cond;
}

/** `or=(a.eq.1,and(b.gt.2,c.is.null))` ⇒ SQL. */
function buildLogic(op: 'or' | 'and', inner: string, P: Params, qualifier: string): string {
	const items = splitTop(inner).filter((s) => s.trim() !== '');
	if (items.length === 0) throw badParam(`logic tree (${op}=(${inner}))`);
	const parts = items.map((item0) => {
		const item = item0.trim();
		const m = /^(not\.)?(or|and)\((.*)\)$/s.exec(item);
		if (m) {
			const sub = buildLogic(m[2] as 'or' | 'and', m[3], P, qualifier);
			return m[1] ? `not (${sub})` : sub;
		}
		const dot = item.indexOf('.');
		if (dot <= 0) throw badParam(`logic tree (${item})`);
		return buildCondition(item.slice(0, dot), item.slice(dot + 1), P, qualifier, true);
	});
	return '(' + parts.join(op === 'or' ? ' or ' : ' and ') + ')';
}

interface ParsedQuery {
	select: string | null;
	order: string | null;
	limit: number | null;
	offset: number | null;
	columns: string | null;
	onConflict: string | null;
	/** [key, value] pairs that are horizontal filters or logic trees, in order. */
	filters: [string, string][];
}

function parseQuery(rawQuery: string): ParsedQuery {
	const q: ParsedQuery = {
		select: null,
		order: null,
		limit: null,
		offset: null,
		columns: null,
		onConflict: null,
		filters: []
	};
	// application/x-www-form-urlencoded: `+` is a space (supabase-js encodes spaces as `+`).
	for (const [k, v] of new URLSearchParams(rawQuery)) {
		if (k === 'select') q.select = v;
		else if (k === 'order') q.order = v;
		else if (k === 'limit' || k === 'offset') {
			if (!/^\d+$/.test(v)) throw badParam(`${k} (${v})`);
			q[k] = Number(v);
		} else if (k === 'columns') q.columns = v;
		else if (k === 'on_conflict') q.onConflict = v;
		else q.filters.push([k, v]);
	}
	return q;
}

function buildWhere(filters: [string, string][], P: Params, qualifier: string): string[] {
	const conds: string[] = [];
	for (const [k, v] of filters) {
		const logic = /^(not\.)?(or|and)$/.exec(k);
		if (logic) {
			if (!/^\(.*\)$/s.test(v)) throw badParam(`logic tree (${k}=${v})`);
			const sql = buildLogic(logic[2] as 'or' | 'and', v.slice(1, -1), P, qualifier);
			conds.push(logic[1] ? `not ${sql}` : sql);
			continue;
		}
		if (/^[^"]*\.[^>]*$/.test(k) && !k.includes('->')) {
			throw new PgrstError(
				400,
				'PGRST100',
				`"failed to parse filter (${k})"`,
				null,
				`Filters on embedded resources are ${LOCAL_HINT.toLowerCase()}`
			);
		}
		conds.push(buildCondition(k, v, P, qualifier, false));
	}
	return conds;
}

function buildOrder(raw: string | null, qualifier: string, table: string): string {
	if (!raw) return '';
	const terms = splitTop(raw).filter((s) => s.trim() !== '');
	const out = terms.map((t0) => {
		const t = t0.trim();
		if (t.includes('(')) throw embedError(table, t);
		const segs = t.split('.');
		const mods: string[] = [];
		while (
			segs.length > 1 &&
			['asc', 'desc', 'nullsfirst', 'nullslast'].includes(segs[segs.length - 1])
		) {
			mods.unshift(segs.pop() as string);
		}
		const f = parseField(segs.join('.'), qualifier);
		let sql = f.sql;
		if (mods.includes('desc')) sql += ' desc';
		else if (mods.includes('asc')) sql += ' asc';
		if (mods.includes('nullsfirst')) sql += ' nulls first';
		if (mods.includes('nullslast')) sql += ' nulls last';
		return sql;
	});
	return out.length ? ` order by ${out.join(', ')}` : '';
}

// ---------------------------------------------------------------------------------------------
// Headers

function header(req: RestRequest, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v.join(', ') : v;
}

interface Prefs {
	return?: 'minimal' | 'headers-only' | 'representation';
	count?: 'exact' | 'planned' | 'estimated';
	resolution?: 'merge-duplicates' | 'ignore-duplicates';
	missing?: 'default' | 'null';
	timezone?: string;
	applied: string[];
}

function parsePrefer(req: RestRequest): Prefs {
	const prefs: Prefs = { applied: [] };
	const raw = header(req, 'prefer') ?? '';
	for (const part of raw.split(',')) {
		const [k, v] = part
			.trim()
			.split('=')
			.map((s) => s.trim());
		if (k === 'return' && ['minimal', 'headers-only', 'representation'].includes(v)) {
			prefs.return = v as Prefs['return'];
			prefs.applied.push(`return=${v}`);
		} else if (k === 'count' && ['exact', 'planned', 'estimated'].includes(v)) {
			// planned/estimated are answered with an exact count locally (documented divergence).
			prefs.count = v as Prefs['count'];
			prefs.applied.push(`count=${v}`);
		} else if (k === 'resolution' && ['merge-duplicates', 'ignore-duplicates'].includes(v)) {
			prefs.resolution = v as Prefs['resolution'];
			prefs.applied.push(`resolution=${v}`);
		} else if (k === 'missing' && ['default', 'null'].includes(v)) {
			prefs.missing = v as Prefs['missing'];
			prefs.applied.push(`missing=${v}`);
		} else if (k === 'timezone' && v) {
			prefs.timezone = v;
		}
		// Unknown preferences are ignored (PostgREST's lenient handling).
	}
	return prefs;
}

/** Negotiate the response media type: 'json' | 'object'. */
function negotiate(req: RestRequest): 'json' | 'object' {
	const accept = header(req, 'accept');
	if (!accept) return 'json';
	const types = accept.split(',').map((t) => t.split(';')[0].trim().toLowerCase());
	for (const t of types) {
		if (t === 'application/vnd.pgrst.object+json' || t === 'application/vnd.pgrst.object') {
			if (/nulls=stripped/.test(accept)) break;
			return 'object';
		}
		if (t === 'application/json' || t === '*/*' || t === 'application/*') return 'json';
	}
	throw new PgrstError(
		406,
		'PGRST107',
		`None of these media types are available: ${accept}`,
		null,
		`Only application/json and application/vnd.pgrst.object+json are supported; CSV, GeoJSON, EXPLAIN plans and stripped nulls are ${LOCAL_HINT.toLowerCase()}`
	);
}

function singularError(n: number): PgrstError {
	return new PgrstError(
		406,
		'PGRST116',
		'Cannot coerce the result to a single JSON object',
		`The result contains ${n} rows`,
		null
	);
}

/** Thrown inside a transaction to roll it back and answer with `response`. */
class Condemned extends Error {
	constructor(readonly response: PgrstError) {
		super('condemned');
	}
}

// ---------------------------------------------------------------------------------------------
// Transaction with the PostgREST preamble

function parseCookies(raw: string | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const part of (raw ?? '').split(';')) {
		const i = part.indexOf('=');
		if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
	}
	return out;
}

async function inRequestTx<T>(
	ctx: RestContext,
	req: RestRequest,
	readOnly: boolean,
	pathForGuc: string,
	fn: (tx: Db) => Promise<T>
): Promise<T> {
	const timezone = parsePrefer(req).timezone;
	const settings = ctx.cache().roleSettings.get(req.role) ?? {};
	const headersJson: Record<string, string> = {};
	for (const [k, v] of Object.entries(req.headers)) {
		if (v !== undefined) headersJson[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	}
	const P = new Params();
	const calls = [`set_config('search_path', '"public", "extensions"', true)`];
	for (const [k, v] of Object.entries(settings)) {
		calls.push(`set_config(${lit(k)}, ${P.add(v)}, true)`);
	}
	calls.push(
		`set_config('role', ${P.add(req.role)}, true)`,
		`set_config('request.jwt.claims', ${P.add(JSON.stringify(req.claims))}, true)`,
		`set_config('request.method', ${P.add(req.method)}, true)`,
		`set_config('request.path', ${P.add(pathForGuc)}, true)`,
		`set_config('request.headers', ${P.add(JSON.stringify(headersJson))}, true)`,
		`set_config('request.cookies', ${P.add(JSON.stringify(parseCookies(header(req, 'cookie'))))}, true)`
	);
	if (timezone) {
		// Prefer: timezone=… — like PostgREST, an unknown zone is ignored rather than an error.
		calls.push(
			`set_config('timezone', coalesce((select name from pg_catalog.pg_timezone_names where name = ${P.add(timezone)}), current_setting('timezone')), true)`
		);
	}
	return ctx.db.transaction(async (tx) => {
		await tx.exec(
			readOnly
				? 'set transaction isolation level read committed, read only'
				: 'set transaction isolation level read committed, read write'
		);
		await tx.query(`select ${calls.join(', ')}`, P.values);
		return fn(tx);
	});
}

// ---------------------------------------------------------------------------------------------
// Entry point

export async function handleRest(ctx: RestContext, req: RestRequest): Promise<RestResponse> {
	try {
		return await route(ctx, req);
	} catch (e) {
		if (e instanceof Condemned) return errorResponse(e.response);
		if (e instanceof PgrstError) return errorResponse(e);
		return errorResponse(dbErrorToPgrst(e, req.role));
	}
}

async function findRelation(ctx: RestContext, name: string): Promise<RelationInfo> {
	let rel = ctx.cache().relations.get(name);
	if (!rel) rel = (await ctx.reloadCache()).relations.get(name);
	if (!rel) {
		const guess = closest(name, ctx.cache().relations.keys());
		throw new PgrstError(
			404,
			'PGRST205',
			`Could not find the table '${EXPOSED_SCHEMA}.${name}' in the schema cache`,
			null,
			guess ? `Perhaps you meant the table '${EXPOSED_SCHEMA}.${guess}'` : null
		);
	}
	return rel;
}

async function route(ctx: RestContext, req: RestRequest): Promise<RestResponse> {
	const method = req.method.toUpperCase();
	const readMethod = method === 'GET' || method === 'HEAD';
	const profile = header(req, readMethod ? 'accept-profile' : 'content-profile');
	if (profile !== undefined && profile !== EXPOSED_SCHEMA) {
		throw new PgrstError(
			406,
			'PGRST106',
			`Invalid schema: ${profile}`,
			null,
			`Only the following schemas are exposed: ${EXPOSED_SCHEMA}`
		);
	}
	const segs = req.path.split('/').filter(Boolean).map(decodeURIComponent);
	if (segs.length === 0) {
		throw new PgrstError(
			404,
			'PGRST125',
			'Invalid path specified in request URL',
			null,
			`The OpenAPI description at /rest/v1/ is ${LOCAL_HINT.toLowerCase()}`
		);
	}
	const isRpc = segs[0] === 'rpc' && segs.length === 2;
	if (!isRpc && segs.length !== 1) {
		throw new PgrstError(404, 'PGRST125', 'Invalid path specified in request URL');
	}
	const allowed = isRpc ? ['GET', 'HEAD', 'POST'] : ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];
	if (!allowed.includes(method)) {
		throw new PgrstError(
			405,
			'PGRST117',
			`Unsupported HTTP method: ${method}`,
			null,
			method === 'PUT'
				? `PUT (single-row upsert) is ${LOCAL_HINT.toLowerCase()} Use POST with Prefer: resolution=merge-duplicates.`
				: null
		);
	}
	const anyMedia = isRpc && (await returnsAnyMedia(ctx, segs[1]));
	const media = anyMedia ? 'json' : negotiate(req);
	const query = parseQuery(req.rawQuery);
	const prefs = parsePrefer(req);
	const base = (extra: Record<string, string>) => {
		const h: Record<string, string> = { ...extra };
		if (profile !== undefined) h['content-profile'] = profile;
		if (prefs.applied.length) h['preference-applied'] = prefs.applied.join(', ');
		return h;
	};
	if (!readMethod && req.body.trim() !== '') {
		const ct = (header(req, 'content-type') ?? 'application/json').split(';')[0].trim();
		if (ct !== 'application/json') {
			throw new PgrstError(
				415,
				'PGRST102',
				`Content-Type not acceptable: ${ct}`,
				null,
				`Only application/json request bodies are supported; other types are ${LOCAL_HINT.toLowerCase()}`
			);
		}
	}
	if (isRpc) return rpc(ctx, req, segs[1], method, anyMedia ? 'any' : media, query, prefs, base);
	const rel = await findRelation(ctx, segs[0]);
	if (readMethod) return read(ctx, req, rel, method, media, query, prefs, base);
	if (method === 'POST') return insert(ctx, req, rel, media, query, prefs, base);
	return mutate(ctx, req, rel, method as 'PATCH' | 'DELETE', media, query, prefs, base);
}

type BaseHeaders = (extra: Record<string, string>) => Record<string, string>;

/**
 * PostgREST's "any" media type handler (v12+, docs "Media Type Handlers"): a function that
 * returns the domain `"*\/*"` answers every Accept header (or none) with its raw value and the
 * Content-Type it sets in `response.headers`. Only this handler is emulated (UTF-8 text bodies,
 * non-set functions); other custom media types still answer 406.
 */
async function returnsAnyMedia(ctx: RestContext, name: string): Promise<boolean> {
	const fns = ctx.cache().functions.get(name) ?? (await ctx.reloadCache()).functions.get(name);
	return !!fns?.length && fns.every((f) => f.returnType === '"*/*"' && !f.returnsSet);
}

/** `response.headers` as PostgREST reads it: a JSON array of one-key objects. */
function responseHeaders(raw: string | null): Record<string, string> {
	if (!raw) return {};
	const invalid = new PgrstError(
		500,
		'PGRST111',
		'response.headers guc must be a JSON array composed of objects with a single key and a string value'
	);
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw invalid;
	}
	if (!Array.isArray(parsed)) return {};
	const out: Record<string, string> = {};
	for (const entry of parsed) {
		const pairs = entry && typeof entry === 'object' ? Object.entries(entry) : [];
		if (pairs.length !== 1 || typeof pairs[0][1] !== 'string') throw invalid;
		out[pairs[0][0].toLowerCase()] = pairs[0][1];
	}
	return out;
}

function rangeFromHeader(req: RestRequest): { offset: number; limit: number | null } | null {
	const r = header(req, 'range');
	if (!r) return null;
	const m = /^(?:items=)?\s*(\d+)-(\d*)$/.exec(r.trim());
	if (!m) return null;
	const start = Number(m[1]);
	const end = m[2] === '' ? null : Number(m[2]);
	return { offset: start, limit: end === null ? null : Math.max(0, end - start + 1) };
}

function effectivePage(req: RestRequest, query: ParsedQuery): { limit: number; offset: number } {
	const hdr = rangeFromHeader(req);
	let offset = (hdr?.offset ?? 0) + (query.offset ?? 0);
	let limit = MAX_ROWS;
	if (hdr?.limit != null) limit = Math.min(limit, hdr.limit);
	if (query.limit !== null) limit = Math.min(limit, query.limit);
	if (offset < 0) offset = 0;
	return { limit, offset };
}

function contentRange(offset: number, n: number, total: number | null): string {
	const t = total === null ? '*' : String(total);
	return n > 0 ? `${offset}-${offset + n - 1}/${t}` : `*/${t}`;
}

interface ReadRow {
	total: string | number | null;
	page_total: string | number;
	body: string;
	first: string | null;
}

function finishRead(
	req: RestRequest,
	row: ReadRow,
	offset: number,
	counting: boolean,
	media: 'json' | 'object',
	headOnly: boolean,
	location: string,
	base: BaseHeaders,
	singularCheck = true
): RestResponse {
	const n = Number(row.page_total);
	const total = counting && row.total !== null ? Number(row.total) : null;
	if (media === 'object' && singularCheck && n !== 1) throw singularError(n);
	// PostgREST `rangeStatus`: 416 only when the offset lies beyond the total.
	if (total !== null && offset > total) {
		throw new PgrstError(
			416,
			'PGRST103',
			'Requested range not satisfiable',
			`An offset of ${offset} was requested, but there are only ${total} rows.`
		);
	}
	const status = total !== null && n < total ? 206 : 200;
	const headers = base({
		'content-type': media === 'object' ? OBJECT_TYPE : JSON_TYPE,
		'content-range': contentRange(offset, n, total),
		'content-location': location
	});
	const body = media === 'object' ? (row.first ?? 'null') : row.body;
	return { status, headers, body: headOnly ? undefined : body };
}

async function read(
	ctx: RestContext,
	req: RestRequest,
	rel: RelationInfo,
	method: string,
	media: 'json' | 'object',
	query: ParsedQuery,
	prefs: Prefs,
	base: BaseHeaders
): Promise<RestResponse> {
	const P = new Params();
	const q = 'pgrst_t';
	const sel = buildSelect(query.select, q, rel.name);
	const where = buildWhere(query.filters, P, q);
	const whereSql = where.length ? ` where ${where.join(' and ')}` : '';
	const order = buildOrder(query.order, q, rel.name);
	const { limit, offset } = effectivePage(req, query);
	const from = `${relSql(rel.name)} as ${q}`;
	const counting = prefs.count !== undefined;
	const sql =
		`with pgrst_source as (select ${sel} from ${from}${whereSql}${order} limit ${limit} offset ${offset}) ` +
		`select ${counting ? `(select pg_catalog.count(*) from ${from}${whereSql})` : 'null::bigint'} as total, ` +
		`pg_catalog.count(_postgrest_t) as page_total, ` +
		`coalesce(json_agg(_postgrest_t), '[]')::text as body, (json_agg(_postgrest_t)->0)::text as first ` +
		`from (select * from pgrst_source) _postgrest_t`;
	const location = `/${rel.name}${req.rawQuery ? '?' + req.rawQuery : ''}`;
	const row = await inRequestTx(ctx, req, true, `/${rel.name}`, async (tx) => {
		const r = await tx.query<ReadRow>(sql, P.values);
		return r.rows[0];
	});
	return finishRead(req, row, offset, counting, media, method === 'HEAD', location, base);
}

function parseJsonBody(body: string): unknown {
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		throw new PgrstError(400, 'PGRST102', 'Empty or invalid json');
	}
}

async function checkColumns(ctx: RestContext, rel: RelationInfo, cols: string[]) {
	const has = (r: RelationInfo, c: string) => r.columns.some((x) => x.name === c);
	let r = rel;
	let missing = cols.find((c) => !has(r, c));
	if (missing !== undefined) {
		r = (await ctx.reloadCache()).relations.get(rel.name) ?? rel;
		missing = cols.find((c) => !has(r, c));
	}
	if (missing !== undefined) {
		throw new PgrstError(
			400,
			'PGRST204',
			`Could not find the '${missing}' column of '${rel.name}' in the schema cache`
		);
	}
	return r;
}

interface WriteRow {
	page_total: string | number;
	body: string | null;
	first: string | null;
	inserted: string | number | null;
	location: string | null;
}

function returningClause(
	rel: RelationInfo,
	prefs: Prefs,
	withInserted: boolean
): { returning: string; repr: boolean } {
	if (prefs.return === 'representation') {
		const ins = withInserted ? ', (pgrst_t.xmax = 0) as pgrst_inserted' : '';
		return { returning: ` returning pgrst_t as pgrst_row${ins}`, repr: true };
	}
	if (prefs.return === 'headers-only' && rel.pk.length) {
		return {
			returning: ` returning ${rel.pk.map((c) => `pgrst_t.${qi(c)}`).join(', ')}`,
			repr: false
		};
	}
	// No column referenced ⇒ no SELECT privilege/policy needed, like PostgREST's minimal return.
	return { returning: ' returning 1 as pgrst_one', repr: false };
}

function writeOuter(
	mutation: string,
	sel: string | null,
	repr: boolean,
	withInserted: boolean,
	locationPk: string[] | null
): string {
	const body = repr
		? `(select coalesce(json_agg(_postgrest_t), '[]')::text from (select ${sel} from pgrst_source) _postgrest_t) as body, ` +
			`(select (json_agg(_postgrest_t)->0)::text from (select ${sel} from pgrst_source) _postgrest_t) as first`
		: 'null::text as body, null::text as first';
	const inserted = withInserted
		? '(select pg_catalog.count(*) from pgrst_source where pgrst_inserted) as inserted'
		: 'null::bigint as inserted';
	const location = locationPk
		? `(select ${locationPk.map((c) => `${lit(c + '=eq.')} || ${qi(c)}::text`).join(` || '&' || `)} from pgrst_source limit 1) as location`
		: 'null::text as location';
	return `with pgrst_source as (${mutation}) select (select pg_catalog.count(*) from pgrst_source) as page_total, ${body}, ${inserted}, ${location}`;
}

async function insert(
	ctx: RestContext,
	req: RestRequest,
	rel0: RelationInfo,
	media: 'json' | 'object',
	query: ParsedQuery,
	prefs: Prefs,
	base: BaseHeaders
): Promise<RestResponse> {
	const payload = parseJsonBody(req.body);
	const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
	let rows: Record<string, unknown>[];
	if (Array.isArray(payload) && payload.every(isObj)) rows = payload as Record<string, unknown>[];
	else if (isObj(payload)) rows = [payload as Record<string, unknown>];
	else throw new PgrstError(400, 'PGRST102', 'Empty or invalid json');
	let cols: string[];
	if (query.columns !== null) {
		cols = splitTop(query.columns)
			.map((c) => unquote(c.trim()))
			.filter(Boolean);
	} else {
		cols = Object.keys(rows[0] ?? {});
		const key = (o: Record<string, unknown>) => Object.keys(o).sort().join('\u0000');
		const k0 = rows.length ? key(rows[0]) : '';
		if (rows.some((r) => key(r) !== k0)) {
			throw new PgrstError(400, 'PGRST102', 'All object keys must match');
		}
	}
	const rel = await checkColumns(ctx, rel0, cols);
	if (query.onConflict !== null) {
		await checkColumns(
			ctx,
			rel,
			splitTop(query.onConflict).map((c) => unquote(c.trim()))
		);
	}
	const P = new Params();
	const bodyParam = P.add(req.body);
	const arr = `(case when json_typeof(${bodyParam}::json) = 'array' then ${bodyParam}::json else json_build_array(${bodyParam}::json) end)`;
	const target = `${relSql(rel.name)} as pgrst_t`;
	let mutation: string;
	if (rows.length === 0 && cols.length === 0) {
		// Nothing to insert: still one INSERT statement (needs only INSERT on one column) so
		// privileges, counts and headers behave as for a real insert.
		cols = rel.columns
			.filter((c) => !c.generated)
			.slice(0, 1)
			.map((c) => c.name);
	}
	if (cols.length === 0) {
		if (rows.length > 1) {
			throw new PgrstError(
				400,
				'PGRST102',
				'Inserting several empty objects is not supported',
				null,
				LOCAL_HINT
			);
		}
		mutation = `insert into ${target} default values`;
	} else if (prefs.missing === 'default') {
		const exprs = cols.map((c) => {
			const info = rel.columns.find((x) => x.name === c)!;
			const def =
				info.defaultExpr ??
				(info.identity
					? `nextval(pg_catalog.pg_get_serial_sequence(${lit(relSql(rel.name))}, ${lit(c)}))`
					: 'null');
			return `case when pgrst_el.val::jsonb ? ${lit(c)} then pgrst_rec.${qi(c)} else ${def} end`;
		});
		mutation =
			`insert into ${target} (${cols.map(qi).join(', ')}) select ${exprs.join(', ')} ` +
			`from json_array_elements(${arr}) with ordinality pgrst_el(val, ord) ` +
			`cross join lateral json_populate_record(null::${relSql(rel.name)}, pgrst_el.val) pgrst_rec order by pgrst_el.ord`;
	} else {
		mutation =
			`insert into ${target} (${cols.map(qi).join(', ')}) ` +
			`select ${cols.map((c) => `pgrst_rec.${qi(c)}`).join(', ')} from json_populate_recordset(null::${relSql(rel.name)}, ${arr}) pgrst_rec`;
	}
	const conflictCols =
		query.onConflict !== null ? splitTop(query.onConflict).map((c) => unquote(c.trim())) : rel.pk;
	let merged = false;
	if (prefs.resolution && conflictCols.length && rows.length && cols.length) {
		const tgt = conflictCols.map(qi).join(', ');
		if (prefs.resolution === 'merge-duplicates') {
			mutation += ` on conflict (${tgt}) do update set ${cols.map((c) => `${qi(c)} = excluded.${qi(c)}`).join(', ')}`;
			merged = true;
		} else {
			mutation += ` on conflict (${tgt}) do nothing`;
		}
	}
	// 200-vs-201 for merge-duplicates needs xmax, a system column that only tables have and that
	// would require SELECT rights; only computed when rows are returned anyway.
	const withInserted = merged && prefs.return === 'representation' && ['r', 'p'].includes(rel.kind);
	const { returning, repr } = returningClause(rel, prefs, withInserted);
	mutation += returning;
	const sel = repr ? buildSelect(query.select, '(pgrst_source.pgrst_row)', rel.name) : null;
	const locationPk = prefs.return === 'headers-only' && rel.pk.length ? rel.pk : null;
	const sql = writeOuter(mutation, sel, repr, withInserted, locationPk);
	const row = await runWrite(ctx, req, rel, sql, P, media, repr);
	const n = Number(row.page_total);
	const status = withInserted && n > 0 && Number(row.inserted) === 0 ? 200 : 201;
	const headers = base({
		'content-range': `*/${prefs.count ? n : '*'}`
	});
	if (locationPk && n === 1 && row.location) headers['location'] = `/${rel.name}?${row.location}`;
	if (repr) {
		headers['content-type'] = media === 'object' ? OBJECT_TYPE : JSON_TYPE;
		return {
			status,
			headers,
			body: media === 'object' ? (row.first ?? 'null') : (row.body ?? '[]')
		};
	}
	return { status, headers };
}

async function runWrite(
	ctx: RestContext,
	req: RestRequest,
	rel: RelationInfo,
	sql: string,
	P: Params,
	media: 'json' | 'object',
	repr: boolean
): Promise<WriteRow> {
	return inRequestTx(ctx, req, false, `/${rel.name}`, async (tx) => {
		const r = await tx.query<WriteRow>(sql, P.values);
		const row = r.rows[0];
		const n = Number(row.page_total);
		// PostgREST rolls back ("condemns") a singular request that did not touch exactly one row.
		if (media === 'object' && repr && n !== 1) throw new Condemned(singularError(n));
		return row;
	});
}

async function mutate(
	ctx: RestContext,
	req: RestRequest,
	rel0: RelationInfo,
	method: 'PATCH' | 'DELETE',
	media: 'json' | 'object',
	query: ParsedQuery,
	prefs: Prefs,
	base: BaseHeaders
): Promise<RestResponse> {
	if (query.limit !== null || query.offset !== null || query.order !== null) {
		throw new PgrstError(
			400,
			'PGRST100',
			`limit/offset/order on ${method} are not supported`,
			null,
			LOCAL_HINT
		);
	}
	if (query.filters.length === 0) {
		// Supabase preloads pg-safeupdate for the API role; emulate it (contract §2.5).
		throw new PgrstError(
			400,
			'21000',
			`${method === 'PATCH' ? 'UPDATE' : 'DELETE'} requires a WHERE clause`
		);
	}
	let rel = rel0;
	const P = new Params();
	let mutation: string;
	const target = `${relSql(rel.name)} as pgrst_t`;
	if (method === 'PATCH') {
		const payload = parseJsonBody(req.body);
		if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
			throw new PgrstError(400, 'PGRST102', 'Empty or invalid json');
		}
		const cols = Object.keys(payload);
		rel = await checkColumns(ctx, rel, cols);
		const where = buildWhere(query.filters, P, 'pgrst_t').join(' and ');
		if (cols.length === 0) {
			// Empty body: nothing to update; PostgREST answers as if no row changed.
			mutation = `select pgrst_t from ${target} where false`;
		} else {
			const bodyParam = P.add(req.body);
			mutation =
				`update ${target} set ${cols.map((c) => `${qi(c)} = pgrst_body.${qi(c)}`).join(', ')} ` +
				`from (select * from json_populate_record(null::${relSql(rel.name)}, ${bodyParam}::json)) pgrst_body ` +
				`where ${where}`;
		}
	} else {
		const where = buildWhere(query.filters, P, 'pgrst_t').join(' and ');
		mutation = `delete from ${target} where ${where}`;
	}
	const { returning, repr } = returningClause(rel, prefs, false);
	if (!mutation.startsWith('select')) mutation += returning;
	else
		mutation = repr
			? `select pgrst_t as pgrst_row from ${target} where false`
			: 'select 1 as pgrst_one where false';
	const sel = repr ? buildSelect(query.select, '(pgrst_source.pgrst_row)', rel.name) : null;
	const sql = writeOuter(mutation, sel, repr, false, null);
	const row = await runWrite(ctx, req, rel, sql, P, media, repr);
	const n = Number(row.page_total);
	const headers = base({ 'content-range': contentRange(0, n, prefs.count ? n : null) });
	if (repr) {
		headers['content-type'] = media === 'object' ? OBJECT_TYPE : JSON_TYPE;
		return {
			status: 200,
			headers,
			body: media === 'object' ? (row.first ?? 'null') : (row.body ?? '[]')
		};
	}
	return { status: 204, headers };
}

// ---------------------------------------------------------------------------------------------
// RPC

function isJsonType(t: string) {
	return t === 'json' || t === 'jsonb';
}

async function findFunction(
	ctx: RestContext,
	name: string,
	keys: string[],
	getMode: boolean
): Promise<{ fn: FunctionInfo; argKeys: string[]; rawJson: boolean }> {
	const attempt = (cache: SchemaCache) => {
		const cands = cache.functions.get(name) ?? [];
		type Match = { fn: FunctionInfo; argKeys: string[] };
		type Res = { match?: Match; raw: boolean; ambiguous: boolean; cands: FunctionInfo[] };
		const matches: Match[] = [];
		for (const fn of cands) {
			const names = fn.args.map((a) => a.name);
			if (names.some((n) => n === '')) continue;
			const argKeys = getMode ? keys.filter((k) => names.includes(k)) : keys;
			if (!getMode && !keys.every((k) => names.includes(k))) continue;
			if (!fn.args.every((a) => a.hasDefault || argKeys.includes(a.name))) continue;
			matches.push({ fn, argKeys });
		}
		if (getMode && matches.length > 1) {
			// Prefer the overload that consumes the most query parameters.
			const best = Math.max(...matches.map((m) => m.argKeys.length));
			const top = matches.filter((m) => m.argKeys.length === best);
			if (top.length === 1) return { match: top[0], raw: false, ambiguous: false, cands } as Res;
			return { raw: false, ambiguous: true, cands } as Res;
		}
		if (matches.length > 1) return { raw: false, ambiguous: true, cands } as Res;
		if (matches.length === 1)
			return { match: matches[0], raw: false, ambiguous: false, cands } as Res;
		const jsonFn = cands.find(
			(f) => f.args.length === 1 && f.args[0].name === '' && isJsonType(f.args[0].type)
		);
		if (jsonFn && !getMode) {
			return { match: { fn: jsonFn, argKeys: [] }, raw: true, ambiguous: false, cands } as Res;
		}
		return { raw: false, ambiguous: false, cands } as Res;
	};
	let res = attempt(ctx.cache());
	if (!res.match && !res.ambiguous) res = attempt(await ctx.reloadCache());
	if (res.ambiguous) {
		throw new PgrstError(
			300,
			'PGRST203',
			`Could not choose the best candidate function between: ${res.cands.map((f) => `${EXPOSED_SCHEMA}.${name}(${f.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`).join(', ')}`,
			null,
			'Try renaming the parameters or the function itself in the database so function overloading can be resolved'
		);
	}
	if (!res.match) {
		const sorted = [...keys].sort();
		const list = sorted.join(', ');
		const guess = closest(name, ctx.cache().functions.keys());
		throw new PgrstError(
			404,
			'PGRST202',
			`Could not find the function ${EXPOSED_SCHEMA}.${name}${sorted.length ? `(${list})` : ''} in the schema cache`,
			`Searched for the function ${EXPOSED_SCHEMA}.${name} ${sorted.length ? `with parameters ${list}` : 'without parameters'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
			guess && guess !== name
				? `Perhaps you meant to call the function ${EXPOSED_SCHEMA}.${guess}`
				: null
		);
	}
	return { fn: res.match.fn, argKeys: res.match.argKeys, rawJson: res.raw };
}

async function rpc(
	ctx: RestContext,
	req: RestRequest,
	name: string,
	method: string,
	media: 'json' | 'object' | 'any',
	query: ParsedQuery,
	prefs: Prefs,
	base: BaseHeaders
): Promise<RestResponse> {
	const getMode = method !== 'POST';
	let argsObj: Record<string, unknown> = {};
	let bodyIsObject = true;
	let filters = query.filters;
	if (getMode) {
		for (const [k, v] of filters) argsObj[k] = v;
	} else {
		const payload = parseJsonBody(req.body);
		if (payload === undefined) argsObj = {};
		else if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
			argsObj = payload as Record<string, unknown>;
		} else bodyIsObject = false;
	}
	const keys = bodyIsObject
		? getMode
			? filters.filter(([k]) => !/^(not\.)?(or|and)$/.test(k)).map(([k]) => k)
			: Object.keys(argsObj)
		: ['<non-object body>'];
	const { fn, argKeys, rawJson } = await findFunction(ctx, name, keys, getMode);
	if (getMode) filters = filters.filter(([k]) => !argKeys.includes(k));
	const P = new Params();
	let call: string;
	let argsFrom = '';
	if (rawJson) {
		call = `${relSql(name)}(${P.add(req.body.trim() === '' ? '{}' : req.body)}::${fn.args[0].type})`;
	} else if (argKeys.length === 0) {
		call = `${relSql(name)}()`;
	} else {
		const used = fn.args.filter((a) => argKeys.includes(a.name));
		const json = getMode
			? JSON.stringify(Object.fromEntries(used.map((a) => [a.name, argsObj[a.name]])))
			: req.body;
		argsFrom = `json_to_record(${P.add(json)}::json) as pgrst_args(${used.map((a) => `${qi(a.name)} ${a.type}`).join(', ')})`;
		// VARIADIC must come last and be passed with the VARIADIC keyword.
		const ordered = [...used.filter((a) => !fn.variadic || a !== fn.args[fn.args.length - 1])];
		const parts = ordered.map((a) => `${qi(a.name)} := pgrst_args.${qi(a.name)}`);
		const last = fn.args[fn.args.length - 1];
		if (fn.variadic && used.includes(last)) {
			parts.push(`variadic ${qi(last.name)} := pgrst_args.${qi(last.name)}`);
		}
		call = `${relSql(name)}(${parts.join(', ')})`;
	}
	const readOnly = getMode || fn.volatility !== 'v';
	if (media === 'any') {
		const raw = await inRequestTx(ctx, req, readOnly, `/rpc/${name}`, async (tx) => {
			const r = await tx.query<{ body: string | null }>(
				`select pg_catalog.convert_from(${call}::bytea, 'UTF8') as body${argsFrom ? ` from ${argsFrom}` : ''}`,
				P.values
			);
			const h = await tx.query<{ h: string | null }>(
				`select pg_catalog.current_setting('response.headers', true) as h`
			);
			return { body: r.rows[0]?.body ?? '', headers: responseHeaders(h.rows[0]?.h ?? null) };
		});
		return {
			status: 200,
			headers: base({ 'content-type': 'application/octet-stream', ...raw.headers }),
			body: method === 'HEAD' ? undefined : raw.body
		};
	}
	const q = 'pgrst_call';
	const where = buildWhere(filters, P, q);
	const whereSql = where.length ? ` where ${where.join(' and ')}` : '';
	const counting = prefs.count !== undefined;
	const isSetLike = fn.returnsSet || fn.returnKind === 'composite';
	let sql: string;
	let offset = 0;
	if (fn.returnKind === 'void' || fn.returnKind === 'scalar') {
		const fromArgs = argsFrom ? ` from ${argsFrom}` : '';
		if (fn.returnsSet) {
			const page = effectivePage(req, query);
			offset = page.offset;
			const src = `select ${q}.pgrst_scalar from ${argsFrom ? `${argsFrom} cross join lateral ` : ''}${call} as ${q}(pgrst_scalar)`;
			sql =
				`with pgrst_source as (${src}${whereSql} limit ${page.limit} offset ${page.offset}) ` +
				`select ${counting ? `(select pg_catalog.count(*) from (${src}${whereSql}) _c)` : 'null::bigint'} as total, ` +
				`pg_catalog.count(*) as page_total, coalesce(json_agg(pgrst_source.pgrst_scalar), '[]')::text as body, ` +
				`(json_agg(pgrst_source.pgrst_scalar)->0)::text as first from pgrst_source`;
		} else {
			sql =
				`with pgrst_source as (select ${call} as pgrst_scalar${fromArgs}) ` +
				`select null::bigint as total, pg_catalog.count(*) as page_total, ` +
				`coalesce((json_agg(pgrst_source.pgrst_scalar)->0)::text, 'null') as body, ` +
				`coalesce((json_agg(pgrst_source.pgrst_scalar)->0)::text, 'null') as first from pgrst_source`;
		}
	} else {
		const sel = buildSelect(query.select, q, name);
		const order = buildOrder(query.order, q, name);
		const page = fn.returnsSet ? effectivePage(req, query) : { limit: MAX_ROWS, offset: 0 };
		offset = page.offset;
		const from = `${argsFrom ? `${argsFrom} cross join lateral ` : ''}${call} as ${q}`;
		sql =
			`with pgrst_source as (select ${sel} from ${from}${whereSql}${order} limit ${page.limit} offset ${page.offset}) ` +
			`select ${counting ? `(select pg_catalog.count(*) from ${from}${whereSql})` : 'null::bigint'} as total, ` +
			`pg_catalog.count(_postgrest_t) as page_total, ` +
			`${fn.returnsSet ? `coalesce(json_agg(_postgrest_t), '[]')::text` : `coalesce((json_agg(_postgrest_t)->0)::text, 'null')`} as body, ` +
			`(json_agg(_postgrest_t)->0)::text as first from (select * from pgrst_source) _postgrest_t`;
	}
	const row = await inRequestTx(ctx, req, readOnly, `/rpc/${name}`, async (tx) => {
		const r = await tx.query<ReadRow>(sql, P.values);
		const row = r.rows[0];
		if (media === 'object' && fn.returnsSet && Number(row.page_total) !== 1) {
			throw new Condemned(singularError(Number(row.page_total)));
		}
		return row;
	});
	if (fn.returnKind === 'void') {
		return { status: 204, headers: base({}) };
	}
	const location = `/rpc/${name}${req.rawQuery ? '?' + req.rawQuery : ''}`;
	if (fn.returnsSet) {
		return finishRead(
			req,
			row,
			offset,
			counting,
			media,
			method === 'HEAD',
			location,
			base,
			isSetLike
		);
	}
	const headers = base({
		'content-type': media === 'object' ? OBJECT_TYPE : JSON_TYPE,
		'content-range': contentRange(0, 1, counting ? 1 : null),
		'content-location': location
	});
	return {
		status: 200,
		headers,
		body: method === 'HEAD' ? undefined : row.body
	};
}
