/**
 * PostgREST-style schema cache: what `/rest/v1` may address. Only the `public` schema is
 * exposed (contract §2.1). Reloaded at start, after migrations, and once on a cache miss (the
 * hosted platform reloads PostgREST automatically after DDL, so a table created by a test or a
 * migration after start must become reachable without a restart).
 */
import type { Db } from './db';

export interface ColumnInfo {
	name: string;
	type: string;
	/** SQL expression of the column default (null when none). */
	defaultExpr: string | null;
	identity: boolean;
	generated: boolean;
}

export interface RelationInfo {
	name: string;
	/** 'r' table, 'p' partitioned table, 'v' view, 'm' materialized view, 'f' foreign table */
	kind: string;
	columns: ColumnInfo[];
	pk: string[];
	/** Column sets that are unique: the primary key, unique constraints and plain unique indexes. */
	uniques: string[][];
}

/** A foreign key between two exposed relations (`table(columns)` references `ftable(fcolumns)`). */
export interface ForeignKey {
	/** Constraint name, e.g. `goals_area_id_fkey`. */
	name: string;
	table: string;
	columns: string[];
	ftable: string;
	fcolumns: string[];
}

export interface FunctionArg {
	name: string;
	type: string;
	hasDefault: boolean;
}

export interface FunctionInfo {
	oid: number;
	name: string;
	args: FunctionArg[];
	volatility: 'v' | 's' | 'i';
	returnsSet: boolean;
	returnType: string;
	/** 'void' | 'scalar' | 'composite' (rows: composite type, TABLE/OUT params or record) */
	returnKind: 'void' | 'scalar' | 'composite';
	/** The exposed table or view whose row type the function returns (for embedding), if any. */
	returnTable: string | null;
	variadic: boolean;
}

export interface SchemaCache {
	relations: Map<string, RelationInfo>;
	/** Foreign keys between exposed tables, for resource embedding (PostgREST's relationships). */
	foreignKeys: ForeignKey[];
	functions: Map<string, FunctionInfo[]>;
	/** role name ⇒ transaction-local settings to apply (e.g. statement_timeout). */
	roleSettings: Map<string, Record<string, string>>;
	/** roles the `authenticator` role may switch to (PostgREST's impersonation rule). */
	switchableRoles: Set<string>;
	/** `pg_timezone_names`: the values `Prefer: timezone=` accepts. */
	timezones: Set<string>;
}

export const EXPOSED_SCHEMA = 'public';

/**
 * @param previous the cache being replaced: time zone names never change at run time, and
 *   reading pg_timezone_names costs more than the rest of a reload on PGlite.
 */
export async function loadSchemaCache(db: Db, previous?: SchemaCache): Promise<SchemaCache> {
	const rels = await db.query<{
		name: string;
		kind: string;
		columns: ColumnInfo[] | null;
		pk: string[] | null;
		uniques: string[][] | null;
	}>(
		`select c.relname as name, c.relkind::text as kind,
		   (select json_agg(json_build_object(
		       'name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
		       'defaultExpr', pg_catalog.pg_get_expr(d.adbin, d.adrelid),
		       'identity', a.attidentity <> '', 'generated', a.attgenerated <> '') order by a.attnum)
		      from pg_catalog.pg_attribute a
		      left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
		     where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
		   (select array_agg(a.attname::text order by k.ord)
		      from pg_catalog.pg_constraint con
		      cross join lateral unnest(con.conkey) with ordinality k(attnum, ord)
		      join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum
		     where con.conrelid = c.oid and con.contype = 'p') as pk,
		   (select json_agg(u.cols) from (
		      select (select json_agg(a.attname order by k.ord)
		                from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
		                join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum) as cols
		        from pg_catalog.pg_index i
		       where i.indrelid = c.oid and i.indisunique and i.indpred is null and i.indexprs is null) u) as uniques
		 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
		 where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
		[EXPOSED_SCHEMA]
	);
	const relations = new Map<string, RelationInfo>();
	for (const r of rels.rows) {
		relations.set(r.name, {
			name: r.name,
			kind: r.kind,
			columns: (r.columns ?? []).map((c) => ({ ...c, generated: c.generated || false })),
			pk: r.pk ?? [],
			uniques: (r.uniques ?? []).filter((u): u is string[] => Array.isArray(u))
		});
	}

	// Foreign keys whose both ends are in the exposed schema (PostgREST `allM2OandO2ORels`);
	// references into other schemas (e.g. auth.users) cannot be embedded.
	const fks = await db.query<ForeignKey>(
		`select con.conname as name, src.relname as table, tgt.relname as ftable,
		   (select json_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
		      join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
		   (select json_agg(a.attname order by k.ord) from unnest(con.confkey) with ordinality k(attnum, ord)
		      join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as fcolumns
		 from pg_catalog.pg_constraint con
		 join pg_catalog.pg_class src on src.oid = con.conrelid
		 join pg_catalog.pg_namespace sn on sn.oid = src.relnamespace
		 join pg_catalog.pg_class tgt on tgt.oid = con.confrelid
		 join pg_catalog.pg_namespace tn on tn.oid = tgt.relnamespace
		 where con.contype = 'f' and sn.nspname = $1 and tn.nspname = $1
		 order by src.relname, con.conname`,
		[EXPOSED_SCHEMA]
	);

	const fns = await db.query<{
		oid: number;
		name: string;
		volatility: 'v' | 's' | 'i';
		returns_set: boolean;
		return_type: string;
		typtype: string;
		nargdefaults: number;
		args: { name: string; type: string; mode: string }[] | null;
		return_table: string | null;
	}>(
		`select p.oid::int as oid, p.proname as name, p.provolatile::text as volatility,
		   p.proretset as returns_set, pg_catalog.format_type(p.prorettype, null) as return_type,
		   t.typtype::text as typtype, p.pronargdefaults::int as nargdefaults,
		   (select rc.relname from pg_catalog.pg_class rc
		      join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
		     where rc.oid = t.typrelid and rn.nspname = $1 and rc.relkind in ('r', 'p', 'v', 'm', 'f')) as return_table,
		   (select json_agg(json_build_object('name', coalesce(p.proargnames[u.o], ''),
		                                      'type', pg_catalog.format_type(u.t, null),
		                                      'mode', coalesce(p.proargmodes[u.o]::text, 'i')) order by u.o)
		      from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(t, o)) as args
		 from pg_catalog.pg_proc p
		 join pg_catalog.pg_namespace n on n.oid = p.pronamespace
		 join pg_catalog.pg_type t on t.oid = p.prorettype
		 where n.nspname = $1 and p.prokind = 'f'
		 order by p.oid`,
		[EXPOSED_SCHEMA]
	);
	const functions = new Map<string, FunctionInfo[]>();
	for (const f of fns.rows) {
		const inputs = (f.args ?? []).filter((a) => a.mode === 'i' || a.mode === 'b' || a.mode === 'v');
		const firstDefault = inputs.length - f.nargdefaults;
		const info: FunctionInfo = {
			oid: f.oid,
			name: f.name,
			args: inputs.map((a, i) => ({ name: a.name, type: a.type, hasDefault: i >= firstDefault })),
			volatility: f.volatility,
			returnsSet: f.returns_set,
			returnType: f.return_type,
			// Named output columns (RETURNS TABLE, OUT parameters) come back as objects, even a
			// single one: PostgREST 8.0.1+ (PostgREST/postgrest#1930) answers [{"code": …}].
			returnKind:
				f.return_type === 'void'
					? 'void'
					: f.typtype === 'c' ||
						  f.return_type === 'record' ||
						  (f.args ?? []).some((a) => a.mode === 't' || a.mode === 'o' || a.mode === 'b')
						? 'composite'
						: 'scalar',
			variadic: inputs.some((a) => a.mode === 'v'),
			returnTable: f.return_table
		};
		const list = functions.get(f.name) ?? [];
		list.push(info);
		functions.set(f.name, list);
	}

	const settings = await db.query<{ role: string; config: string[] }>(
		`select r.rolname as role, s.setconfig as config
		   from pg_catalog.pg_db_role_setting s join pg_catalog.pg_roles r on r.oid = s.setrole
		  where s.setdatabase = 0 or s.setdatabase = (select oid from pg_catalog.pg_database where datname = current_database())`
	);
	const roleSettings = new Map<string, Record<string, string>>();
	for (const s of settings.rows) {
		const entry = roleSettings.get(s.role) ?? {};
		for (const kv of s.config ?? []) {
			const i = kv.indexOf('=');
			// PostgREST applies only a whitelist of impersonated-role settings per transaction.
			const key = kv.slice(0, i);
			if (key === 'statement_timeout' || key === 'lock_timeout') entry[key] = kv.slice(i + 1);
		}
		roleSettings.set(s.role, entry);
	}

	const members = await db.query<{ role: string }>(
		`select r.rolname as role from pg_catalog.pg_roles r
		  where exists (select 1 from pg_catalog.pg_roles a where a.rolname = 'authenticator')
		    and pg_catalog.pg_has_role('authenticator', r.oid, 'member') and r.rolname <> 'authenticator'`
	);
	const timezones =
		previous?.timezones ??
		new Set(
			(await db.query<{ name: string }>(`select name from pg_catalog.pg_timezone_names`)).rows.map(
				(r) => r.name
			)
		);
	return {
		relations,
		foreignKeys: fks.rows,
		functions,
		roleSettings,
		switchableRoles: new Set(members.rows.map((m) => m.role)),
		timezones
	};
}
