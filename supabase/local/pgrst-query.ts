/**
 * The PostgREST query-string grammar shared by reads, writes, RPC and embedded resources:
 * quoting, field paths, horizontal filters and logic trees, turned into SQL fragments on a
 * given qualifier with parameters (values are sent as type "unknown", so Postgres coerces them to
 * the column type exactly like PostgREST).
 */
import { EXPOSED_SCHEMA } from './schema-cache';

export const LOCAL_HINT = 'Not supported by the embedded local backend (supabase/local).';

export class PgrstError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		/** A string, or JSON (PGRST201 lists the candidate relationships). */
		readonly details: unknown = null,
		readonly hint: string | null = null,
		readonly extraHeaders: Record<string, string> = {}
	) {
		super(message);
	}
}

// ---------------------------------------------------------------------------------------------
// Small SQL helpers

export const qi = (name: string) => '"' + name.replace(/"/g, '""') + '"';
export const lit = (s: string) => "'" + s.replace(/'/g, "''") + "'";
export const relSql = (name: string) => `${qi(EXPOSED_SCHEMA)}.${qi(name)}`;

export class Params {
	readonly values: unknown[] = [];
	add(v: unknown): string {
		this.values.push(v);
		return `$${this.values.length}`;
	}
}

/** Split on commas that are outside parentheses and double quotes. */
export function splitTop(s: string): string[] {
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

export function unquote(v: string): string {
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

export function closest(name: string, candidates: Iterable<string>): string | null {
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

export interface Field {
	sql: string;
	alias: string;
}

export function badParam(what: string, details: string | null = null): PgrstError {
	return new PgrstError(400, 'PGRST100', `"failed to parse ${what}"`, details, null);
}

/** `col`, `"my col"`, `col->a->>b`, `col->0` ⇒ SQL on `qualifier`. */
export function parseField(raw: string, qualifier: string): Field {
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

export const CAST_RE = /^[a-zA-Z_][a-zA-Z0-9_ ]*(\[\])?$/;

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
export function buildCondition(
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
export function buildLogic(op: 'or' | 'and', inner: string, P: Params, qualifier: string): string {
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
