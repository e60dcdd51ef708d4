/**
 * `select=` with resource embedding, plus the filters, order and ranges that address embedded
 * resources (`goals.name=eq.x`, `goals.order=name`, `goals.limit=2`, `order=goal(name)`,
 * `goal=not.is.null`), following PostgREST v14 (docs: references/api/resource_embedding.html).
 *
 * Relationships come from the schema cache's foreign keys (pg_catalog), like PostgREST's
 * `findRel` (`src/PostgREST/Plan.hs`): the target is a table name, a foreign key constraint
 * name or a single foreign-key column; an optional `!hint` is a constraint name or a column on
 * either side. Each embedded resource becomes a correlated subquery inside the request's single
 * statement, so it runs as the request role and the embedded table's RLS policies apply exactly
 * as in PostgREST's LATERAL joins:
 * - to-one (many-to-one, one-to-one): `(select row_to_json(r) from (...) r)` ⇒ object or null;
 * - to-many (one-to-many): `coalesce((select json_agg(r) from (... order/limit) r), '[]')`;
 * - `!inner` and `rel=not.is.null` keep a parent row only if the embedded subquery has a row
 *   (`exists`), `rel=is.null` only if it has none;
 * - `...rel(cols)` spreads the columns into the parent (arrays for to-many, as in v13+);
 * - an empty embed `rel()` selects nothing and only filters.
 *
 * Refused with a PostgREST-shaped error: many-to-many embedding through a junction table
 * (400 PGRST127), relationships of views (no foreign keys: 400 PGRST200), aggregates (400
 * PGRST123, as on Supabase where `db-aggregates-enabled` is off).
 */
import {
	badParam,
	buildCondition,
	buildLogic,
	CAST_RE,
	closest,
	LOCAL_HINT,
	parseField,
	PgrstError,
	qi,
	relSql,
	splitTop,
	unquote,
	type Params
} from './pgrst-query';
import { EXPOSED_SCHEMA, type RelationInfo, type SchemaCache } from './schema-cache';

// ---------------------------------------------------------------------------------------------
// The select tree

type SelectItem =
	| { kind: 'star' }
	| { kind: 'field'; raw: string }
	| {
			kind: 'embed';
			raw: string;
			alias: string | null;
			name: string;
			hint: string | null;
			inner: boolean;
			spread: boolean;
			children: SelectItem[];
	  };

const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max'];

function aggregatesRefused(): PgrstError {
	// Supabase runs PostgREST with db-aggregates-enabled = false (the PostgREST default).
	return new PgrstError(400, 'PGRST123', 'Use of aggregate functions is not allowed');
}

function parseSelect(raw: string | null): SelectItem[] {
	if (raw === null || raw.trim() === '') return [{ kind: 'star' }];
	const items: SelectItem[] = [];
	for (const piece of splitTop(raw)) {
		const item = piece.trim();
		if (item === '') continue;
		if (item === '*') {
			items.push({ kind: 'star' });
			continue;
		}
		// `count()`, `alias:count()`, `amount.sum()`, `amount.sum()::int`
		if (
			/^(?:[^:()]+:(?!:))?count\(\)(::[\w ]+)?$/.test(item) ||
			new RegExp(`\\.(${AGGREGATES.join('|')})\\(\\)(::[\\w ]+)?$`).test(item)
		) {
			throw aggregatesRefused();
		}
		const open = item.indexOf('(');
		if (open < 0) {
			items.push({ kind: 'field', raw: item });
			continue;
		}
		if (!item.endsWith(')')) throw badParam(`select (${raw})`, `unexpected "${item}"`);
		let head = item.slice(0, open);
		const inner = item.slice(open + 1, -1);
		const spread = head.startsWith('...');
		if (spread) head = head.slice(3);
		let alias: string | null = null;
		const m = /^([^:]+):([^:].*)$/s.exec(head);
		if (m) {
			if (spread) throw badParam(`select (${raw})`, 'a spread resource cannot have an alias');
			alias = unquote(m[1].trim());
			head = m[2];
		}
		const [name0, ...marks] = head.split('!');
		const name = unquote(name0.trim());
		if (!name) throw badParam(`select (${raw})`, `unexpected "${item}"`);
		let hint: string | null = null;
		let inner_ = false;
		for (const mark of marks.map((x) => x.trim())) {
			if (mark === 'inner') inner_ = true;
			else if (mark === 'left') inner_ = false;
			else if (hint === null && mark) hint = unquote(mark);
			else throw badParam(`select (${raw})`, `unexpected "!${mark}"`);
		}
		items.push({
			kind: 'embed',
			raw: item,
			alias,
			name,
			hint,
			inner: inner_,
			spread,
			children: inner.trim() === '' ? [] : parseSelect(inner)
		});
	}
	return items.length ? items : [{ kind: 'star' }];
}

// ---------------------------------------------------------------------------------------------
// Relationships

interface Relationship {
	card: 'M2O' | 'O2M' | 'O2O' | 'M2M';
	/** Constraint name (M2M: the junction table). */
	constraint: string;
	table: string;
	ftable: string;
	/** Join columns on `table`'s side and, pairwise, on `ftable`'s side (M2M: unused). */
	columns: string[];
	fcolumns: string[];
	junction?: { table: string; c1: string; cols1: string[]; c2: string; cols2: string[] };
}

function sameSet(a: string[], b: string[]) {
	return a.length === b.length && a.every((x) => b.includes(x));
}

/** Every relationship whose origin is `origin`, in both directions (PostgREST `allRels`). */
function relationshipsOf(cache: SchemaCache, origin: string): Relationship[] {
	const unique = (table: string, cols: string[]) =>
		(cache.relations.get(table)?.uniques ?? []).some((u) => sameSet(u, cols));
	const out: Relationship[] = [];
	for (const fk of cache.foreignKeys) {
		// One-to-one when the referencing columns are themselves unique (PostgREST v11+).
		const o2o = unique(fk.table, fk.columns);
		if (fk.table === origin) {
			out.push({
				card: o2o ? 'O2O' : 'M2O',
				constraint: fk.name,
				table: origin,
				ftable: fk.ftable,
				columns: fk.columns,
				fcolumns: fk.fcolumns
			});
		}
		if (fk.ftable === origin) {
			out.push({
				card: o2o ? 'O2O' : 'O2M',
				constraint: fk.name,
				table: origin,
				ftable: fk.table,
				columns: fk.fcolumns,
				fcolumns: fk.columns
			});
		}
	}
	// Many-to-many: a junction table with foreign keys to both ends, whose columns are part of
	// its primary key (only detected to answer with a precise refusal).
	for (const a of cache.foreignKeys) {
		if (a.ftable !== origin) continue;
		const pk = cache.relations.get(a.table)?.pk ?? [];
		if (!a.columns.every((c) => pk.includes(c))) continue;
		for (const b of cache.foreignKeys) {
			if (b === a || b.table !== a.table || !b.columns.every((c) => pk.includes(c))) continue;
			out.push({
				card: 'M2M',
				constraint: a.table,
				table: origin,
				ftable: b.ftable,
				columns: a.fcolumns,
				fcolumns: b.fcolumns,
				junction: { table: a.table, c1: a.name, cols1: a.columns, c2: b.name, cols2: b.columns }
			});
		}
	}
	return out;
}

const single = (cols: string[], v: string | null) => cols.length === 1 && cols[0] === v;

function describe(r: Relationship) {
	const fmt = (cols: string[]) => `(${cols.join(', ')})`;
	const cardinality = {
		M2O: 'many-to-one',
		O2M: 'one-to-many',
		O2O: 'one-to-one',
		M2M: 'many-to-many'
	}[r.card];
	const relationship = r.junction
		? `${r.junction.table} using ${r.junction.c1}${fmt(r.junction.cols1)} and ${r.junction.c2}${fmt(r.junction.cols2)}`
		: `${r.constraint} using ${r.table}${fmt(r.columns)} and ${r.ftable}${fmt(r.fcolumns)}`;
	return { cardinality, embedding: `${r.table} with ${r.ftable}`, relationship };
}

/** PostgREST `findRel` (Plan.hs), with its errors PGRST200/PGRST201. */
function findRel(
	cache: SchemaCache,
	origin: string,
	target: string,
	hint: string | null
): Relationship {
	const all = relationshipsOf(cache, origin);
	const matches = all.filter((r) => {
		const toOneOrMany = r.card !== 'M2M';
		const targetOk =
			r.ftable === target ||
			(toOneOrMany && r.constraint === target) ||
			(toOneOrMany && single(r.columns, target));
		const hintOk =
			hint === null ||
			(toOneOrMany && r.constraint === hint) ||
			(toOneOrMany && single(r.columns, hint)) ||
			(toOneOrMany && single(r.fcolumns, hint)) ||
			(r.card === 'M2M' && r.junction?.table === hint);
		return targetOk && hintOk;
	});
	if (matches.length === 0) {
		const related = [...new Set(all.map((r) => r.ftable))];
		const origins = [...new Set(cache.foreignKeys.flatMap((f) => [f.table, f.ftable]))];
		const guess = related.length
			? ((g) => (g && g !== target ? `Perhaps you meant '${g}' instead of '${target}'.` : null))(
					closest(target, related)
				)
			: ((g) => (g && g !== origin ? `Perhaps you meant '${g}' instead of '${origin}'.` : null))(
					closest(origin, origins)
				);
		const viewNote =
			cache.relations.get(origin)?.kind === 'v' || cache.relations.get(target)?.kind === 'v'
				? ` Relationships of views are ${LOCAL_HINT.toLowerCase()}`
				: '';
		return fail(
			new PgrstError(
				400,
				'PGRST200',
				`Could not find a relationship between '${origin}' and '${target}' in the schema cache`,
				`Searched for a foreign key relationship between '${origin}' and '${target}'${hint !== null ? ` using the hint '${hint}'` : ''} in the schema '${EXPOSED_SCHEMA}', but no matches were found.${viewNote}`,
				guess
			)
		);
	}
	let rel: Relationship | undefined;
	if (matches.length === 1) rel = matches[0];
	else if (
		// A self reference yields the same key as M2O and O2M: PostgREST picks the O2M one (the
		// M2O is reached with the column as hint).
		matches.length === 2 &&
		matches[0].constraint === matches[1].constraint &&
		matches[0].table === matches[0].ftable &&
		matches.some((r) => r.card === 'O2M')
	) {
		rel = matches.find((r) => r.card === 'O2M');
	}
	if (!rel) {
		throw new PgrstError(
			300,
			'PGRST201',
			`Could not embed because more than one relationship was found for '${origin}' and '${target}'`,
			matches.map(describe),
			`Try changing '${target}' to one of the following: ${matches.map((r) => `'${r.ftable}!${r.card === 'M2M' ? r.junction!.table : r.constraint}'`).join(', ')}. Find the desired relationship in the 'details' key.`
		);
	}
	if (rel.card === 'M2M') {
		throw new PgrstError(
			400,
			'PGRST127',
			'Feature not implemented',
			`Many-to-many embedding of '${target}' through the junction table '${rel.junction!.table}' is ${LOCAL_HINT.toLowerCase()} Embed the junction table instead: '${rel.junction!.table}(${target}(*))'.`
		);
	}
	return rel;
}

function fail(e: PgrstError): never {
	throw e;
}

// ---------------------------------------------------------------------------------------------
// The plan

interface EmbedNode {
	/** Path key for filters/order/limit: the alias if given, else the name. */
	key: string;
	outputKey: string;
	rel: Relationship;
	target: RelationInfo;
	toOne: boolean;
	inner: boolean;
	spread: boolean;
	items: PlanItem[];
	filters: [string, string][];
	order: string | null;
	limit: number | null;
	offset: number | null;
	/** From the parent's `key=is.null` / `key=not.is.null`. */
	nullFilter: 'null' | 'not null' | null;
}

type PlanItem =
	{ kind: 'star' } | { kind: 'field'; raw: string } | { kind: 'embed'; node: EmbedNode };

interface SqlPart {
	sql: string[];
	names: string[];
}

export interface ReadShape {
	/** True when the select embeds other resources. */
	readonly embeds: boolean;
	/** The select list for rows of the root relation addressed as `q`. */
	select(P: Params, q: string): string;
	/** Conditions on root rows: root filters, then `!inner` / null-embed conditions. */
	where(P: Params, q: string): string[];
	/** Only the root filters (the WHERE of PATCH/DELETE). */
	rootWhere(P: Params, q: string): string[];
	/** Only the conditions that come from embedded resources (`!inner`, `rel=is.null`). */
	embedWhere(P: Params, q: string): string[];
	/** ` order by …` (with related orders on to-one embeds) or ''. */
	order(P: Params, q: string): string;
}

export interface ReadQueryParts {
	select: string | null;
	order: string | null;
	/** Filters and logic trees, root and embedded, in request order. */
	filters: [string, string][];
}

let aliasCounter = 0;
const nextAlias = () => `pgrst_e${(aliasCounter = (aliasCounter + 1) % 1_000_000)}`;

/**
 * Plan a read of `rootName` (a table, a view, or a function returning a table's rows when
 * `root` is that table; null for other results, which cannot embed).
 */
export function planRead(
	cache: SchemaCache,
	rootName: string,
	root: RelationInfo | null,
	query: ReadQueryParts
): ReadShape {
	const items = planItems(cache, rootName, root, parseSelect(query.select));
	const rootFilters: [string, string][] = [];
	const rootEmbeds = () => items.flatMap((i) => (i.kind === 'embed' ? [i.node] : []));
	for (const [k, v] of query.filters) {
		const { path, field } = splitKey(k);
		if (path.length === 0) {
			const embed = rootEmbeds().find((n) => n.key === field);
			if (embed) setNullFilter(embed, v);
			else rootFilters.push([k, v]);
			continue;
		}
		let node: EmbedNode | undefined;
		let children = rootEmbeds();
		for (const seg of path) {
			node = children.find((n) => n.key === seg);
			if (!node) {
				throw new PgrstError(
					400,
					'PGRST108',
					`'${seg}' is not an embedded resource in this request`,
					null,
					`Verify that '${seg}' is included in the 'select' query parameter.`
				);
			}
			children = node.items.flatMap((i) => (i.kind === 'embed' ? [i.node] : []));
		}
		const n = node!;
		if (field === 'order') n.order = v;
		else if (field === 'limit' || field === 'offset') {
			if (!/^\d+$/.test(v)) throw badParam(`${k} (${v})`);
			n[field] = Number(v);
		} else {
			const child = children.find((c) => c.key === field);
			if (child) setNullFilter(child, v);
			else n.filters.push([field, v]);
		}
	}
	const embedWhere = (P: Params, q: string) =>
		rootEmbeds().flatMap((n) => existsConditions(n, P, q));
	return {
		embeds: items.some((i) => i.kind === 'embed'),
		select(P, q) {
			return selectList(items, root, P, q).sql.join(', ');
		},
		where(P, q) {
			return [...buildRootWhere(rootFilters, P, q), ...embedWhere(P, q)];
		},
		rootWhere(P, q) {
			return buildRootWhere(rootFilters, P, q);
		},
		embedWhere,
		order(P, q) {
			return buildOrder(query.order, P, q, rootName, rootEmbeds());
		}
	};
}

/** `goals.measures.key` ⇒ path [goals, measures], field `key`; JSON paths stay in the field. */
function splitKey(k: string): { path: string[]; field: string } {
	const arrow = k.search(/->/);
	const head = arrow >= 0 ? k.slice(0, arrow) : k;
	const tail = arrow >= 0 ? k.slice(arrow) : '';
	if (head.includes('"')) return { path: [], field: k };
	const segs = head.split('.');
	let fieldSegs = 1;
	// `goals.not.or` / `goals.not.and` are negated logic trees on `goals`.
	if (!tail && segs.length >= 2 && /^(or|and)$/.test(segs[segs.length - 1])) {
		if (segs[segs.length - 2] === 'not') fieldSegs = 2;
	}
	const path = segs.slice(0, segs.length - fieldSegs);
	const field = segs.slice(segs.length - fieldSegs).join('.') + tail;
	return { path, field };
}

function setNullFilter(node: EmbedNode, v: string) {
	// PostgREST `addNullEmbedFilters`: only `is.null` / `not.is.null` apply to a resource.
	if (v === 'is.null') node.nullFilter = 'null';
	else if (v === 'not.is.null') node.nullFilter = 'not null';
	else {
		throw new PgrstError(
			400,
			'PGRST120',
			`Bad operator on the '${node.key}' embedded resource`,
			'Only is null or not is null filters are allowed on embedded resources'
		);
	}
}

function planItems(
	cache: SchemaCache,
	originName: string,
	origin: RelationInfo | null,
	items: SelectItem[]
): PlanItem[] {
	return items.map((item): PlanItem => {
		if (item.kind !== 'embed') return item;
		if (origin === null) {
			throw new PgrstError(
				400,
				'PGRST200',
				`Could not find a relationship between '${originName}' and '${item.name}' in the schema cache`,
				`Searched for a foreign key relationship between '${originName}' and '${item.name}' in the schema '${EXPOSED_SCHEMA}', but no matches were found.`
			);
		}
		const rel = findRel(cache, origin.name, item.name, item.hint);
		const target = cache.relations.get(rel.ftable);
		if (!target) throw new PgrstError(400, 'PGRST200', `Unknown relation '${rel.ftable}'`);
		const node: EmbedNode = {
			key: item.alias ?? item.name,
			outputKey: item.alias ?? item.name,
			rel,
			target,
			toOne: rel.card !== 'O2M',
			inner: item.inner,
			spread: item.spread,
			items: planItems(cache, target.name, target, item.children),
			filters: [],
			order: null,
			limit: null,
			offset: null,
			nullFilter: null
		};
		return { kind: 'embed', node };
	});
}

function buildRootWhere(filters: [string, string][], P: Params, q: string): string[] {
	const conds: string[] = [];
	for (const [k, v] of filters) {
		const logic = /^(not\.)?(or|and)$/.exec(k);
		if (logic) {
			if (!/^\(.*\)$/s.test(v)) throw badParam(`logic tree (${k}=${v})`);
			const sql = buildLogic(logic[2] as 'or' | 'and', v.slice(1, -1), P, q);
			conds.push(logic[1] ? `not ${sql}` : sql);
			continue;
		}
		conds.push(buildCondition(k, v, P, q, false));
	}
	return conds;
}

/** `select <list> from target as e where <join> and <filters> and <nested conditions>` */
function nodeQuery(
	node: EmbedNode,
	P: Params,
	pq: string,
	list: (e: string) => string
): { from: string; where: string; tail: string; e: string; listSql: string } {
	const e = nextAlias();
	const listSql = list(e);
	const join = node.rel.columns.map((c, i) => `${e}.${qi(node.rel.fcolumns[i])} = ${pq}.${qi(c)}`);
	const where = [
		...join,
		...buildRootWhere(node.filters, P, e),
		...node.items.flatMap((i) => (i.kind === 'embed' ? existsConditions(i.node, P, e) : []))
	].join(' and ');
	let tail = '';
	if (!node.toOne) {
		tail = buildOrder(
			node.order,
			P,
			e,
			node.target.name,
			node.items.flatMap((i) => (i.kind === 'embed' ? [i.node] : []))
		);
		if (node.limit !== null) tail += ` limit ${node.limit}`;
		if (node.offset !== null) tail += ` offset ${node.offset}`;
	}
	// Ordering or paging a single embedded object changes nothing (PostgREST ignores it too).
	return { from: `${relSql(node.target.name)} as ${e}`, where, tail, e, listSql };
}

/** `exists (...)` conditions a node imposes on its parent (`!inner`, `=is.null`). */
function existsConditions(node: EmbedNode, P: Params, pq: string): string[] {
	const wants: ('exists' | 'not exists')[] = [];
	if (node.inner) wants.push('exists');
	if (node.nullFilter === 'not null') wants.push('exists');
	if (node.nullFilter === 'null') wants.push('not exists');
	return [...new Set(wants)].map((w) => {
		const { from, where, tail } = nodeQuery(node, P, pq, () => '1');
		return tail
			? `${w} (select 1 from (select 1 from ${from} where ${where}${tail}) pgrst_x)`
			: `${w} (select 1 from ${from} where ${where})`;
	});
}

function selectList(items: PlanItem[], rel: RelationInfo | null, P: Params, q: string): SqlPart {
	const out: SqlPart = { sql: [], names: [] };
	for (const item of items) {
		if (item.kind === 'star') {
			out.sql.push(`${q}.*`);
			out.names.push(...(rel?.columns.map((c) => c.name) ?? []));
			continue;
		}
		if (item.kind === 'field') {
			const f = fieldSelect(item.raw, q);
			out.sql.push(f.sql);
			out.names.push(f.name);
			continue;
		}
		const node = item.node;
		// An empty embed `rel()` only filters; generating it would leave unused parameters.
		if (!hasOutput(node.items)) continue;
		let childNames: string[] = [];
		const { from, where, tail, listSql } = nodeQuery(node, P, q, (e) => {
			const part = selectList(node.items, node.target, P, e);
			childNames = part.names;
			return part.sql.join(', ');
		});
		const sub = `select ${listSql} from ${from} where ${where}${tail}`;
		if (node.spread) {
			for (const n of childNames) {
				out.sql.push(
					node.toOne
						? `(select pgrst_r.${qi(n)} from (${sub}) pgrst_r) as ${qi(n)}`
						: `coalesce((select json_agg(pgrst_r.${qi(n)}) from (${sub}) pgrst_r), '[]'::json) as ${qi(n)}`
				);
				out.names.push(n);
			}
			continue;
		}
		out.sql.push(
			node.toOne
				? `(select row_to_json(pgrst_r) from (${sub}) pgrst_r) as ${qi(node.outputKey)}`
				: `coalesce((select json_agg(pgrst_r) from (${sub}) pgrst_r), '[]'::json) as ${qi(node.outputKey)}`
		);
		out.names.push(node.outputKey);
	}
	return out;
}

function hasOutput(items: PlanItem[]): boolean {
	return items.some((i) => i.kind !== 'embed' || hasOutput(i.node.items));
}

/** `alias:col->a->>b::cast` on qualifier `q`. */
function fieldSelect(item: string, q: string): { sql: string; name: string } {
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
	const f = parseField(rest, q);
	const name = alias ?? f.alias;
	return { sql: `${cast ? `(${f.sql})::${cast}` : f.sql} as ${qi(name)}`, name };
}

/** `order=a.desc,goal(name).asc.nullslast` on `q`; `rel(col)` needs a to-one embed. */
function buildOrder(
	raw: string | null,
	P: Params,
	q: string,
	table: string,
	embeds: EmbedNode[]
): string {
	if (!raw) return '';
	const terms = splitTop(raw).filter((s) => s.trim() !== '');
	const out = terms.map((t0) => {
		const t = t0.trim();
		const segs = t.split('.');
		const mods: string[] = [];
		while (
			segs.length > 1 &&
			['asc', 'desc', 'nullsfirst', 'nullslast'].includes(segs[segs.length - 1])
		) {
			mods.unshift(segs.pop() as string);
		}
		const expr = segs.join('.');
		let sql: string;
		const related = /^([^()]+)\(([^()]+)\)$/.exec(expr);
		if (related) {
			const key = related[1].trim();
			const node = embeds.find((n) => n.key === key);
			if (!node) {
				throw new PgrstError(
					400,
					'PGRST108',
					`'${key}' is not an embedded resource in this request`,
					null,
					`Verify that '${key}' is included in the 'select' query parameter.`
				);
			}
			if (!node.toOne) {
				throw new PgrstError(
					400,
					'PGRST118',
					`A related order on '${key}' is not possible`,
					`'${table}' and '${key}' do not form a many-to-one or one-to-one relationship`
				);
			}
			const { from, where, e } = nodeQuery(node, P, q, () => '1');
			sql = `(select ${parseField(related[2], e).sql} from ${from} where ${where})`;
		} else {
			sql = parseField(expr, q).sql;
		}
		if (mods.includes('desc')) sql += ' desc';
		else if (mods.includes('asc')) sql += ' asc';
		if (mods.includes('nullsfirst')) sql += ' nulls first';
		if (mods.includes('nullslast')) sql += ' nulls last';
		return sql;
	});
	return out.length ? ` order by ${out.join(', ')}` : '';
}
