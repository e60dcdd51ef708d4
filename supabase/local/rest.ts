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
	badParam,
	closest,
	LOCAL_HINT,
	lit,
	Params,
	PgrstError,
	qi,
	relSql,
	splitTop,
	unquote
} from './pgrst-query';
import {
	EXPOSED_SCHEMA,
	type FunctionInfo,
	type RelationInfo,
	type SchemaCache
} from './schema-cache';
import { planRead, type ReadShape } from './select';

export { PgrstError } from './pgrst-query';

export const MAX_ROWS = 1000;

/**
 * PostgREST `db-tx-end`. Supabase leaves it at 'commit' (the CLI sets no `PGRST_DB_TX_END`), so
 * `Prefer: tx=` is ignored there; 'commit-allow-override' honours `Prefer: tx=rollback`
 * (docs references/transactions.html, configuration.html#db-tx-end).
 */
export type DbTxEnd = 'commit' | 'commit-allow-override' | 'rollback' | 'rollback-allow-override';

export interface RestContext {
	db: Db;
	cache(): SchemaCache;
	reloadCache(): Promise<SchemaCache>;
	dbTxEnd: DbTxEnd;
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

interface ParsedQuery {
	select: string | null;
	order: string | null;
	limit: number | null;
	offset: number | null;
	columns: string | null;
	onConflict: string | null;
	/** [key, value] pairs that are horizontal filters or logic trees (root or embedded), in order. */
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

// ---------------------------------------------------------------------------------------------
// Headers and preferences

function header(req: RestRequest, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v.join(', ') : v;
}

interface Prefs {
	return?: 'minimal' | 'headers-only' | 'representation';
	count?: 'exact' | 'planned' | 'estimated';
	resolution?: 'merge-duplicates' | 'ignore-duplicates';
	missing?: 'default' | 'null';
	handling?: 'strict' | 'lenient';
	/** Only parsed when `db-tx-end` allows an override. */
	tx?: 'commit' | 'rollback';
	/** A name from pg_timezone_names; anything else is not applied. */
	timezone?: string;
	maxAffected?: number;
	/** Tokens that are no preference PostgREST knows (PGRST122 under handling=strict). */
	invalid: string[];
}

const PREFERENCE_VALUES: Record<string, readonly string[]> = {
	return: ['minimal', 'headers-only', 'representation'],
	count: ['exact', 'planned', 'estimated'],
	resolution: ['merge-duplicates', 'ignore-duplicates'],
	missing: ['default', 'null'],
	handling: ['strict', 'lenient'],
	tx: ['commit', 'rollback']
};

/**
 * `Prefer` as PostgREST reads it (`PGRST/src/PostgREST/ApiRequest/Preferences.hs`
 * `fromHeaders`): several headers or one comma-joined list; the first value of each kind wins;
 * `tx=` counts only when `db-tx-end` allows an override; `timezone=` only with a known zone;
 * `max-affected=<int>`; anything else is collected as invalid.
 */
function parsePrefer(req: RestRequest, ctx: RestContext): Prefs {
	const prefs: Prefs = { invalid: [] };
	const txOverride = ctx.dbTxEnd.endsWith('-allow-override');
	const tokens = (header(req, 'prefer') ?? '')
		.split(',')
		.map((t) => t.trim())
		.filter((t) => t !== '');
	const set = prefs as unknown as Record<string, string | undefined>;
	for (const token of tokens) {
		const eq = token.indexOf('=');
		const k = eq < 0 ? token : token.slice(0, eq);
		const v = eq < 0 ? '' : token.slice(eq + 1);
		if (PREFERENCE_VALUES[k]?.includes(v)) {
			if (k === 'tx' && !txOverride) continue;
			set[k] ??= v;
		} else if (k === 'timezone' && ctx.cache().timezones.has(v)) {
			prefs.timezone ??= v;
		} else if (k === 'max-affected') {
			// Never "invalid", even when the number does not parse (then it is just ignored).
			if (/^-?\d+$/.test(v)) prefs.maxAffected ??= Number(v);
		} else {
			prefs.invalid.push(token);
		}
	}
	return prefs;
}

type Action = 'read' | 'create' | 'update' | 'delete' | 'rpc';

/**
 * `Preference-Applied`: what each kind of request honours, in PostgREST's fixed order
 * (`prefAppliedHeader` in Preferences.hs; the per-action subsets are in Response.hs
 * `actionResponse`). `max-affected` is echoed only with handling=strict.
 */
function preferenceApplied(p: Prefs, action: Action, resolutionApplies = false): string | null {
	const has = {
		resolution: action === 'create' && resolutionApplies,
		missing: action === 'create' || action === 'update',
		return: action === 'create' || action === 'update' || action === 'delete',
		maxAffected: action === 'update' || action === 'delete' || action === 'rpc'
	};
	const out: string[] = [];
	if (has.resolution && p.resolution) out.push(`resolution=${p.resolution}`);
	if (has.missing && p.missing) out.push(`missing=${p.missing}`);
	if (has.return && p.return) out.push(`return=${p.return}`);
	if (p.count) out.push(`count=${p.count}`);
	if (p.tx) out.push(`tx=${p.tx}`);
	if (p.handling) out.push(`handling=${p.handling}`);
	if (p.timezone) out.push(`timezone=${p.timezone}`);
	if (has.maxAffected && p.handling === 'strict' && p.maxAffected !== undefined) {
		out.push(`max-affected=${p.maxAffected}`);
	}
	return out.length ? out.join(', ') : null;
}

/** Whether the transaction ends in ROLLBACK (PostgREST `rollbackRequested`, MainTx.hs). */
function wantsRollback(ctx: RestContext, prefs: Prefs): boolean {
	switch (ctx.dbTxEnd) {
		case 'commit':
			return false;
		case 'commit-allow-override':
			return prefs.tx === 'rollback';
		case 'rollback':
			return true;
		case 'rollback-allow-override':
			return prefs.tx !== 'commit';
	}
}

/** Counting preferences that report a total on writes and RPC (`shouldCount`). */
const countsRows = (prefs: Prefs) => prefs.count === 'exact' || prefs.count === 'estimated';

/**
 * `Prefer: handling=strict, max-affected=N` on PATCH/DELETE/RPC: more affected rows than N
 * answer 400 PGRST124 and roll back (MainTx.hs `resultSteps`); lenient handling ignores it.
 */
function checkMaxAffected(prefs: Prefs, n: number) {
	if (prefs.handling === 'strict' && prefs.maxAffected !== undefined && n > prefs.maxAffected) {
		throw new Condemned(
			new PgrstError(
				400,
				'PGRST124',
				'Query result exceeds max-affected preference constraint',
				`The query affects ${n} rows`
			)
		);
	}
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

/** Thrown inside a transaction to roll it back and still answer with its result. */
class RolledBack<T> extends Error {
	constructor(readonly result: T) {
		super('rolled back');
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
	prefs: Prefs,
	readOnly: boolean,
	pathForGuc: string,
	fn: (tx: Db) => Promise<T>
): Promise<T> {
	const settings = ctx.cache().roleSettings.get(req.role) ?? {};
	const headersJson: Record<string, string> = {};
	for (const [k, v] of Object.entries(req.headers)) {
		if (v !== undefined) headersJson[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	}
	// Literals, not parameters: the settings travel in BEGIN's round trip (see Db.transaction).
	// `lit` is safe here: standard_conforming_strings is on, and a NUL is refused before sending.
	const calls = [`set_config('search_path', '"public", "extensions"', true)`];
	for (const [k, v] of Object.entries(settings)) {
		calls.push(`set_config(${lit(k)}, ${lit(String(v))}, true)`);
	}
	calls.push(
		`set_config('role', ${lit(req.role)}, true)`,
		`set_config('request.jwt.claims', ${lit(JSON.stringify(req.claims))}, true)`,
		`set_config('request.method', ${lit(req.method)}, true)`,
		`set_config('request.path', ${lit(pathForGuc)}, true)`,
		`set_config('request.headers', ${lit(JSON.stringify(headersJson))}, true)`,
		`set_config('request.cookies', ${lit(JSON.stringify(parseCookies(header(req, 'cookie'))))}, true)`
	);
	// Prefer: timezone=… (only names from pg_timezone_names reach here; others are not applied).
	if (prefs.timezone) calls.push(`set_config('timezone', ${lit(prefs.timezone)}, true)`);
	const preamble = [
		readOnly
			? 'set transaction isolation level read committed, read only'
			: 'set transaction isolation level read committed, read write',
		`select ${calls.join(', ')}`
	].join(';\n');
	const rollback = wantsRollback(ctx, prefs);
	try {
		return await ctx.db.transaction(
			async (tx) => {
				const result = await fn(tx);
				if (rollback) {
					// PostgREST checks deferred constraints before the requested rollback, so a request
					// that could not have committed still fails (MainTx.hs `terminate`).
					await tx.exec('set constraints all immediate');
					throw new RolledBack(result);
				}
				return result;
			},
			{ preamble }
		);
	} catch (e) {
		if (e instanceof RolledBack) return e.result as T;
		throw e;
	}
}

/** `EXPLAIN (FORMAT JSON)` of a count query ⇒ the planner's row estimate ("Plan Rows"). */
async function plannedRows(tx: Db, sql: string, values: unknown[]): Promise<number | null> {
	const r = await tx.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${sql}`, values);
	let plan = r.rows[0]?.['QUERY PLAN'];
	if (typeof plan === 'string') plan = JSON.parse(plan);
	const rows = (plan as { Plan?: { 'Plan Rows'?: number } }[] | undefined)?.[0]?.Plan?.[
		'Plan Rows'
	];
	return typeof rows === 'number' ? Math.round(rows) : null;
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

type BaseHeaders = (
	extra: Record<string, string>,
	action: Action,
	resolution?: boolean
) => Record<string, string>;

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
	const prefs = parsePrefer(req, ctx);
	if (prefs.handling === 'strict' && prefs.invalid.length) {
		// ApiRequest.hs: strict handling refuses preferences it does not know.
		throw new PgrstError(
			400,
			'PGRST122',
			'Invalid preferences given with handling=strict',
			`Invalid preferences: ${prefs.invalid.join(', ')}`
		);
	}
	const anyMedia = isRpc && (await returnsAnyMedia(ctx, segs[1]));
	const media = anyMedia ? 'json' : negotiate(req);
	const query = parseQuery(req.rawQuery);
	const base: BaseHeaders = (extra, action, resolution = false) => {
		const h: Record<string, string> = { ...extra };
		if (profile !== undefined) h['content-profile'] = profile;
		const applied = preferenceApplied(prefs, action, resolution);
		if (applied) h['preference-applied'] = applied;
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
	const shape = planRead(ctx.cache(), rel.name, rel, query);
	if (readMethod) return read(ctx, req, rel, shape, method, media, query, prefs, base);
	if (method === 'POST') return insert(ctx, req, rel, shape, media, query, prefs, base);
	return mutate(ctx, req, rel, shape, method as 'PATCH' | 'DELETE', media, query, prefs, base);
}

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
	row: ReadRow,
	total: number | null,
	offset: number,
	media: 'json' | 'object',
	headOnly: boolean,
	location: string,
	headers: (extra: Record<string, string>) => Record<string, string>,
	singularCheck = true
): RestResponse {
	const n = Number(row.page_total);
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
	const h = headers({
		'content-type': media === 'object' ? OBJECT_TYPE : JSON_TYPE,
		'content-range': contentRange(offset, n, total),
		'content-location': location
	});
	const body = media === 'object' ? (row.first ?? 'null') : row.body;
	return { status, headers: h, body: headOnly ? undefined : body };
}

async function read(
	ctx: RestContext,
	req: RestRequest,
	rel: RelationInfo,
	shape: ReadShape,
	method: string,
	media: 'json' | 'object',
	query: ParsedQuery,
	prefs: Prefs,
	base: BaseHeaders
): Promise<RestResponse> {
	const q = 'pgrst_t';
	const from = `${relSql(rel.name)} as ${q}`;
	const whereFor = (P: Params) => {
		const w = shape.where(P, q);
		return w.length ? ` where ${w.join(' and ')}` : '';
	};
	const P = new Params();
	const whereSql = whereFor(P);
	const sel = shape.select(P, q);
	const order = shape.order(P, q);
	const { limit, offset } = effectivePage(req, query);
	// Totals (PostgREST Query.hs `readQuery` + MainTx.hs `counted`): exact counts every matching
	// row; estimated counts exactly up to max-rows (LIMIT max-rows + 1) and above that takes the
	// larger of that and the planner's estimate; planned is the planner's estimate alone.
	const totalSql =
		prefs.count === 'exact'
			? `(select pg_catalog.count(*) from ${from}${whereSql})`
			: prefs.count === 'estimated'
				? `(select pg_catalog.count(*) from (select 1 from ${from}${whereSql} limit ${MAX_ROWS + 1}) _c)`
				: 'null::bigint';
	const sql =
		`with pgrst_source as (select ${sel} from ${from}${whereSql}${order} limit ${limit} offset ${offset}) ` +
		`select ${totalSql} as total, ` +
		`pg_catalog.count(_postgrest_t) as page_total, ` +
		`coalesce(json_agg(_postgrest_t), '[]')::text as body, (json_agg(_postgrest_t)->0)::text as first ` +
		`from (select * from pgrst_source) _postgrest_t`;
	const location = `/${rel.name}${req.rawQuery ? '?' + req.rawQuery : ''}`;
	const { row, total } = await inRequestTx(ctx, req, prefs, true, `/${rel.name}`, async (tx) => {
		const row = (await tx.query<ReadRow>(sql, P.values)).rows[0];
		let total = row.total === null ? null : Number(row.total);
		if (prefs.count === 'planned' || (prefs.count === 'estimated' && total! > MAX_ROWS)) {
			// The same count query, explained as the request role (so RLS is part of the plan).
			const Pc = new Params();
			const planned = await plannedRows(tx, `select 1 from ${from}${whereFor(Pc)}`, Pc.values);
			total = prefs.count === 'planned' ? planned : Math.max(total!, planned ?? 0);
		}
		return { row, total };
	});
	return finishRead(row, total, offset, media, method === 'HEAD', location, (h) => base(h, 'read'));
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

/**
 * `with pgrst_source as (<mutation>) select …`: the affected-row count, the representation
 * (with embedded resources, whose `!inner` conditions filter only the body), and the inserted
 * count / Location parts.
 */
function writeOuter(
	mutation: string,
	shape: ReadShape,
	P: Params,
	repr: boolean,
	withInserted: boolean,
	locationPk: string[] | null
): string {
	let body = 'null::text as body, null::text as first';
	if (repr) {
		const q = '(pgrst_source.pgrst_row)';
		const sel = shape.select(P, q);
		const conds = shape.embedWhere(P, q);
		const rows = `select ${sel} from pgrst_source${conds.length ? ` where ${conds.join(' and ')}` : ''}`;
		body =
			`(select coalesce(json_agg(_postgrest_t), '[]')::text from (${rows}) _postgrest_t) as body, ` +
			`(select (json_agg(_postgrest_t)->0)::text from (${rows}) _postgrest_t) as first`;
	}
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
	shape: ReadShape,
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
	// The body becomes a parameter only when the statement reads it: `insert … default values`
	// (a body of `{}`) must not send an unused parameter, which the server refuses as a protocol
	// violation (08P01 → 503) instead of inserting the defaults as PostgREST does.
	let bodyParam: string | null = null;
	const arr = () => {
		bodyParam ??= P.add(req.body);
		return `(case when json_typeof(${bodyParam}::json) = 'array' then ${bodyParam}::json else json_build_array(${bodyParam}::json) end)`;
	};
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
			`from json_array_elements(${arr()}) with ordinality pgrst_el(val, ord) ` +
			`cross join lateral json_populate_record(null::${relSql(rel.name)}, pgrst_el.val) pgrst_rec order by pgrst_el.ord`;
	} else {
		mutation =
			`insert into ${target} (${cols.map(qi).join(', ')}) ` +
			`select ${cols.map((c) => `pgrst_rec.${qi(c)}`).join(', ')} from json_populate_recordset(null::${relSql(rel.name)}, ${arr()}) pgrst_rec`;
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
	const locationPk = prefs.return === 'headers-only' && rel.pk.length ? rel.pk : null;
	const sql = writeOuter(mutation, shape, P, repr, withInserted, locationPk);
	const row = await runWrite(ctx, req, rel, sql, P, media, repr, prefs, null);
	const n = Number(row.page_total);
	const status = withInserted && n > 0 && Number(row.inserted) === 0 ? 200 : 201;
	// Resolution is echoed only where it could apply: a primary key or on_conflict (Response.hs).
	const headers = base(
		{ 'content-range': `*/${countsRows(prefs) ? n : '*'}` },
		'create',
		rel.pk.length > 0 || query.onConflict !== null
	);
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
	repr: boolean,
	prefs: Prefs,
	afterRows: ((n: number) => void) | null
): Promise<WriteRow> {
	return inRequestTx(ctx, req, prefs, false, `/${rel.name}`, async (tx) => {
		const r = await tx.query<WriteRow>(sql, P.values);
		const row = r.rows[0];
		const n = Number(row.page_total);
		// PostgREST rolls back ("condemns") a singular request that did not touch exactly one row.
		if (media === 'object' && repr && n !== 1) throw new Condemned(singularError(n));
		afterRows?.(n);
		return row;
	});
}

async function mutate(
	ctx: RestContext,
	req: RestRequest,
	rel0: RelationInfo,
	shape: ReadShape,
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
	let rel = rel0;
	const P = new Params();
	const target = `${relSql(rel.name)} as pgrst_t`;
	// Only root filters narrow the rows; `rel.col=…` filters shape the representation's embeds.
	const rootConds = shape.rootWhere(P, 'pgrst_t');
	if (rootConds.length === 0) {
		// Supabase preloads pg-safeupdate for the API role; emulate it (contract §2.5).
		throw new PgrstError(
			400,
			'21000',
			`${method === 'PATCH' ? 'UPDATE' : 'DELETE'} requires a WHERE clause`
		);
	}
	const where = rootConds.join(' and ');
	let mutation: string;
	if (method === 'PATCH') {
		const payload = parseJsonBody(req.body);
		if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
			throw new PgrstError(400, 'PGRST102', 'Empty or invalid json');
		}
		const cols = Object.keys(payload);
		rel = await checkColumns(ctx, rel, cols);
		if (cols.length === 0) {
			// Empty body: nothing to update; PostgREST answers as if no row changed.
			mutation = `select pgrst_t as pgrst_row from ${target} where (${where}) and false`;
		} else {
			const bodyParam = P.add(req.body);
			mutation =
				`update ${target} set ${cols.map((c) => `${qi(c)} = pgrst_body.${qi(c)}`).join(', ')} ` +
				`from (select * from json_populate_record(null::${relSql(rel.name)}, ${bodyParam}::json)) pgrst_body ` +
				`where ${where}`;
		}
	} else {
		mutation = `delete from ${target} where ${where}`;
	}
	const { returning, repr } = returningClause(rel, prefs, false);
	if (!mutation.startsWith('select')) mutation += returning;
	else if (!repr) mutation = `select 1 as pgrst_one from ${target} where (${where}) and false`;
	const sql = writeOuter(mutation, shape, P, repr, false, null);
	const row = await runWrite(ctx, req, rel, sql, P, media, repr, prefs, (n) =>
		checkMaxAffected(prefs, n)
	);
	const n = Number(row.page_total);
	const headers = base(
		{ 'content-range': contentRange(0, n, countsRows(prefs) ? n : null) },
		method === 'PATCH' ? 'update' : 'delete'
	);
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

const FILTER_OPERATORS = new Set([
	'eq',
	'gte',
	'gt',
	'lte',
	'lt',
	'neq',
	'like',
	'ilike',
	'cs',
	'cd',
	'ov',
	'sl',
	'sr',
	'nxr',
	'nxl',
	'adj',
	'match',
	'imatch',
	'isdistinct'
]);
const FTS = new Set(['fts', 'plfts', 'phfts', 'wfts']);

/**
 * GET/HEAD `/rpc/fn?…`: a key with a dot or a value with an operator is a filter, anything else
 * is an argument (`PGRST/src/PostgREST/ApiRequest/QueryParams.hs`, `isParam`).
 */
function isFilterParam(k: string, v: string): boolean {
	if (k.includes('.') || /^(not\.)?(or|and)$/.test(k)) return true;
	const parts = v.split('.');
	if (parts[0] === 'not' && parts.length >= 3) return true;
	if (parts[0] === 'is' || parts[0] === 'in') return true;
	if (FILTER_OPERATORS.has(parts[0]) || FTS.has(parts[0])) return true;
	const paren = v.split('(');
	return paren.length >= 2 && FTS.has(paren[0]);
}

function ambiguous(name: string, fns: FunctionInfo[]): PgrstError {
	// SchemaCacheError.hs `AmbiguousRpc`: 300, parameters as `name => type` (unnamed: ` => type`).
	return new PgrstError(
		300,
		'PGRST203',
		`Could not choose the best candidate function between: ${fns.map((f) => `${EXPOSED_SCHEMA}.${name}(${f.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`).join(', ')}`,
		null,
		'Try renaming the parameters or the function itself in the database so function overloading can be resolved'
	);
}

/**
 * PostgREST `findProc` (Plan.hs): an overload matches when the argument keys are exactly its
 * required parameters plus any of its optional ones; a function with one unnamed json/jsonb
 * parameter is the fallback for POST; two or more matches are ambiguous (300 PGRST203) rather
 * than left to Postgres (whose 42725 would otherwise surface as a 400).
 */
async function findFunction(
	ctx: RestContext,
	name: string,
	keys: string[],
	isPost: boolean
): Promise<FunctionInfo> {
	const keySet = new Set(keys);
	const sameSet = (a: Set<string>, b: string[]) => a.size === b.length && b.every((x) => a.has(x));
	const matchesParams = (fn: FunctionInfo) => {
		if (fn.args.length === 0) return keySet.size === 0;
		const req = fn.args.filter((a) => !a.hasDefault).map((a) => a.name);
		const opt = fn.args.filter((a) => a.hasDefault).map((a) => a.name);
		if (opt.length === 0) return sameSet(keySet, req);
		if (req.length === 0) return [...keySet].every((k) => opt.includes(k));
		return sameSet(new Set([...keySet].filter((k) => !opt.includes(k))), req);
	};
	const singleUnnamedJson = (fn: FunctionInfo) =>
		isPost && fn.args.length === 1 && fn.args[0].name === '' && isJsonType(fn.args[0].type);
	const attempt = (cache: SchemaCache) => {
		const cands = cache.functions.get(name) ?? [];
		const matched: FunctionInfo[] = [];
		const fallback: FunctionInfo[] = [];
		for (const fn of cands) {
			if (matchesParams(fn)) matched.push(fn);
			else if (singleUnnamedJson(fn)) fallback.push(fn);
		}
		return { matched, fallback };
	};
	let res = attempt(ctx.cache());
	if (res.matched.length === 0 && res.fallback.length === 0) res = attempt(await ctx.reloadCache());
	const { matched, fallback } = res;
	if (matched.length === 1) return matched[0];
	if (matched.length > 1) throw ambiguous(name, matched);
	if (fallback.length === 1) return fallback[0];
	if (fallback.length > 1) throw ambiguous(name, fallback);
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
	let keys: string[];
	if (getMode) {
		const args = filters.filter(([k, v]) => !isFilterParam(k, v));
		filters = filters.filter(([k, v]) => isFilterParam(k, v));
		for (const [k, v] of args) argsObj[k] = v;
		keys = Object.keys(argsObj);
	} else {
		const payload = parseJsonBody(req.body);
		if (payload === undefined) argsObj = {};
		else if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
			argsObj = payload as Record<string, unknown>;
		} else bodyIsObject = false;
		keys = bodyIsObject ? Object.keys(argsObj) : ['<non-object body>'];
	}
	const fn = await findFunction(ctx, name, keys, !getMode);
	if (prefs.handling === 'strict' && prefs.maxAffected !== undefined && !fn.returnsSet) {
		// Plan.hs `failMaxAffectedRpcReturnsSingle`: decided before the function runs.
		throw new PgrstError(
			400,
			'PGRST128',
			'Function must return SETOF or TABLE when max-affected preference is used with handling=strict'
		);
	}
	const P = new Params();
	let call: string;
	let argsFrom = '';
	if (fn.args.length === 1 && fn.args[0].name === '') {
		// One unnamed parameter: called positionally with the whole body (`OnePosParam`).
		const arg = getMode ? JSON.stringify(argsObj) : req.body.trim() === '' ? '{}' : req.body;
		call = `${relSql(name)}(${P.add(arg)}::${fn.args[0].type})`;
	} else {
		const used = fn.args.filter((a) => keys.includes(a.name));
		if (used.length === 0) {
			call = `${relSql(name)}()`;
		} else {
			const json = getMode
				? JSON.stringify(Object.fromEntries(used.map((a) => [a.name, argsObj[a.name]])))
				: req.body;
			argsFrom = `json_to_record(${P.add(json)}::json) as pgrst_args(${used.map((a) => `${qi(a.name)} ${a.type}`).join(', ')})`;
			// VARIADIC must come last and be passed with the VARIADIC keyword.
			const last = fn.args[fn.args.length - 1];
			const parts = used
				.filter((a) => !fn.variadic || a !== last)
				.map((a) => `${qi(a.name)} := pgrst_args.${qi(a.name)}`);
			if (fn.variadic && used.includes(last)) {
				parts.push(`variadic ${qi(last.name)} := pgrst_args.${qi(last.name)}`);
			}
			call = `${relSql(name)}(${parts.join(', ')})`;
		}
	}
	const readOnly = getMode || fn.volatility !== 'v';
	if (media === 'any') {
		const raw = await inRequestTx(ctx, req, prefs, readOnly, `/rpc/${name}`, async (tx) => {
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
			headers: base({ 'content-type': 'application/octet-stream', ...raw.headers }, 'rpc'),
			body: method === 'HEAD' ? undefined : raw.body
		};
	}
	const q = 'pgrst_call';
	const returnRel = fn.returnTable ? (ctx.cache().relations.get(fn.returnTable) ?? null) : null;
	const shape = planRead(ctx.cache(), name, returnRel, { ...query, filters });
	// Built only where the statement uses it (an unused parameter is an error in Postgres).
	const whereOf = () => {
		const where = shape.where(P, q);
		return where.length ? ` where ${where.join(' and ')}` : '';
	};
	// RPC totals are exact for count=exact|estimated; count=planned gives none (Query.hs
	// `invokeQuery` counts only when `shouldCount`).
	const counting = countsRows(prefs);
	const isSetLike = fn.returnsSet || fn.returnKind === 'composite';
	let sql: string;
	let offset = 0;
	if (fn.returnKind === 'void' || fn.returnKind === 'scalar') {
		const fromArgs = argsFrom ? ` from ${argsFrom}` : '';
		if (fn.returnsSet) {
			const page = effectivePage(req, query);
			offset = page.offset;
			const whereSql = whereOf();
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
		const whereSql = whereOf();
		const sel = shape.select(P, q);
		const order = shape.order(P, q);
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
	let row: ReadRow;
	try {
		row = await inRequestTx(ctx, req, prefs, readOnly, `/rpc/${name}`, async (tx) => {
			const r = await tx.query<ReadRow>(sql, P.values);
			const row = r.rows[0];
			const n = Number(row.page_total);
			if (media === 'object' && fn.returnsSet && n !== 1) {
				throw new Condemned(singularError(n));
			}
			checkMaxAffected(prefs, n);
			return row;
		});
	} catch (e) {
		// An overload created after the schema cache was loaded can still make Postgres's own
		// resolution ambiguous: answer as PostgREST would once its cache is reloaded.
		if (isDbError(e) && e.code === '42725') {
			throw ambiguous(name, (await ctx.reloadCache()).functions.get(name) ?? [fn]);
		}
		throw e;
	}
	const headers = (extra: Record<string, string>) => base(extra, 'rpc');
	if (fn.returnKind === 'void') {
		return { status: 204, headers: headers({}) };
	}
	const location = `/rpc/${name}${req.rawQuery ? '?' + req.rawQuery : ''}`;
	if (fn.returnsSet) {
		const total = counting && row.total !== null ? Number(row.total) : null;
		return finishRead(row, total, offset, media, method === 'HEAD', location, headers, isSetLike);
	}
	return {
		status: 200,
		headers: headers({
			'content-type': media === 'object' ? OBJECT_TYPE : JSON_TYPE,
			'content-range': contentRange(0, 1, counting ? 1 : null),
			'content-location': location
		}),
		body: method === 'HEAD' ? undefined : row.body
	};
}
