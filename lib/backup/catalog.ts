import type pg from 'pg';
import { BackupRefused } from './format';

/**
 * What export and restore know about the application schema, read from the Postgres catalog (never a
 * hand-kept list): every ordinary table of the current schema except Prisma's `_prisma_migrations`,
 * their columns, primary keys, foreign keys, owned sequences, and the materialized views (derived
 * data: not exported, refreshed after a restore).
 */

export type Column = {
  name: string;
  /** format_type(), e.g. `timestamp(3) without time zone`, `"Role"[]`. */
  type: string;
  notNull: boolean;
  /** Has a collation (text-like): ordered in "C" collation so the order does not depend on the locale. */
  collatable: boolean;
  /** GENERATED ALWAYS AS (…) STORED: exported for reading, never inserted. */
  generated: boolean;
  /** json / jsonb: a JSON null in it is told apart from SQL NULL (see the archive format). */
  json: 'json' | 'jsonb' | null;
  /** bigint and numeric (and arrays of them) are written as strings, so no JSON reader rounds them. */
  asText: 'scalar' | 'array' | null;
};

export type Table = { name: string; columns: Column[]; primaryKey: string[] };
export type ForeignKey = { name: string; table: string; references: string; columns: string[]; deferrable: boolean; nullable: boolean };
export type Sequence = { name: string; table: string; column: string };
export type Catalog = {
  schema: string;
  tables: Table[];
  foreignKeys: ForeignKey[];
  sequences: Sequence[];
  /** In an order that refreshes a view only after the views it reads. */
  materializedViews: string[];
  /** Names of the finished, not rolled back migrations in `_prisma_migrations`, sorted. */
  migrations: string[];
};

/** Key that marks, in an archived row, the json columns holding a JSON null rather than SQL NULL. */
export const JSON_NULL_KEY = '__jsonNull';
export const MIGRATIONS_TABLE = '_prisma_migrations';

const TEXT_TYPES = new Set(['int8', 'numeric']);

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export async function readCatalog(client: pg.ClientBase): Promise<Catalog> {
  const [{ schema }] = (await client.query<{ schema: string }>('SELECT current_schema() AS "schema"')).rows as [{ schema: string }];
  const hasMigrations = (await client.query('SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2', [schema, MIGRATIONS_TABLE])).rowCount;
  if (!hasMigrations) {
    throw new BackupRefused(`This database has no ${MIGRATIONS_TABLE} table in schema "${schema}": it is not a migrated Mandate database. Run npm run db:migrate on it first (or restore with --migrate).`);
  }

  const tables = await client.query<{ oid: number; name: string }>(
    `SELECT c.oid::int AS "oid", c.relname AS "name" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> $2 ORDER BY c.relname`,
    [schema, MIGRATIONS_TABLE],
  );
  const oids = tables.rows.map((t) => t.oid);
  const columns = await client.query<{ table: number; name: string; type: string; notNull: boolean; collatable: boolean; generated: boolean; typname: string; elemname: string | null }>(
    `SELECT a.attrelid::int AS "table", a.attname AS "name", format_type(a.atttypid, a.atttypmod) AS "type", a.attnotnull AS "notNull", a.attcollation <> 0 AS "collatable",
            a.attgenerated <> '' AS "generated", t.typname, e.typname AS "elemname"
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
     WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const primaryKeys = await client.query<{ table: number; columns: string[] }>(
    `SELECT i.indrelid::int AS "table", array_agg(a.attname::text ORDER BY k.ord) AS "columns"
     FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indisprimary AND i.indrelid = ANY($1) GROUP BY i.indrelid`,
    [oids],
  );
  const foreignKeys = await client.query<ForeignKey>(
    `SELECT con.conname AS "name", src.relname AS "table", dst.relname AS "references", con.condeferrable AS "deferrable",
            array_agg(a.attname::text ORDER BY k.ord) AS "columns", bool_and(NOT a.attnotnull) AS "nullable"
     FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid
     CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
     WHERE con.contype = 'f' AND con.conrelid = ANY($1) AND con.confrelid = ANY($1)
     GROUP BY con.oid, con.conname, src.relname, dst.relname, con.condeferrable ORDER BY src.relname, con.conname`,
    [oids],
  );
  // Sequences owned by a column: serial/bigserial ('a') and identity columns ('i').
  const sequences = await client.query<Sequence>(
    `SELECT s.relname AS "name", t.relname AS "table", a.attname AS "column"
     FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
     JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND t.oid = ANY($1)
     ORDER BY s.relname`,
    [oids],
  );
  const views = await client.query<{ name: string; reads: string[] }>(
    `SELECT v.relname AS "name",
            COALESCE(array_agg(DISTINCT o.relname::text) FILTER (WHERE o.relkind = 'm' AND o.oid <> v.oid), '{}'::text[]) AS "reads"
     FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
     LEFT JOIN pg_rewrite r ON r.ev_class = v.oid
     LEFT JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
     LEFT JOIN pg_class o ON o.oid = d.refobjid
     WHERE n.nspname = $1 AND v.relkind = 'm' GROUP BY v.relname ORDER BY v.relname`,
    [schema],
  );
  const migrations = await client.query<{ name: string }>(
    `SELECT migration_name AS "name" FROM ${ident(schema)}.${ident(MIGRATIONS_TABLE)} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );

  const nameOf = new Map(tables.rows.map((t) => [t.oid, t.name]));
  const byTable = new Map<string, Table>(tables.rows.map((t) => [t.name, { name: t.name, columns: [], primaryKey: [] }]));
  for (const c of columns.rows) {
    if (c.name === JSON_NULL_KEY) throw new Error(`Table ${nameOf.get(c.table)} has a column named ${JSON_NULL_KEY}, which the archive format reserves.`);
    const base = c.elemname ?? c.typname;
    byTable.get(nameOf.get(c.table)!)!.columns.push({
      name: c.name,
      type: c.type,
      notNull: c.notNull,
      collatable: c.collatable,
      generated: c.generated,
      json: c.typname === 'json' || c.typname === 'jsonb' ? c.typname : null,
      asText: TEXT_TYPES.has(base) ? (c.elemname ? 'array' : 'scalar') : null,
    });
  }
  for (const pk of primaryKeys.rows) byTable.get(nameOf.get(pk.table)!)!.primaryKey = pk.columns;

  return {
    schema,
    tables: [...byTable.values()],
    foreignKeys: foreignKeys.rows,
    sequences: sequences.rows,
    materializedViews: dependencyOrder(views.rows.map((v) => v.name), views.rows.flatMap((v) => v.reads.map((r) => ({ from: r, to: v.name })))),
    migrations: migrations.rows.map((m) => m.name),
  };
}

/**
 * Orders nodes so that every edge's `from` comes before its `to` (Kahn's algorithm, ties by name, so
 * the order is stable). Returns the nodes it could not place: those on a cycle.
 */
function kahn(nodes: string[], edges: { from: string; to: string }[]): { order: string[]; left: string[] } {
  const incoming = new Map(nodes.map((n) => [n, new Set<string>()]));
  for (const e of edges) if (e.from !== e.to && incoming.has(e.from) && incoming.has(e.to)) incoming.get(e.to)!.add(e.from);
  const order: string[] = [];
  const placed = new Set<string>();
  for (;;) {
    const ready = [...incoming.entries()].filter(([n, from]) => !placed.has(n) && [...from].every((f) => placed.has(f))).map(([n]) => n).sort();
    if (!ready.length) break;
    // One at a time, so that ties resolve alphabetically at every step.
    order.push(ready[0]!);
    placed.add(ready[0]!);
  }
  return { order, left: nodes.filter((n) => !placed.has(n)).sort() };
}

function dependencyOrder(nodes: string[], edges: { from: string; to: string }[]): string[] {
  const { order, left } = kahn(nodes, edges);
  if (left.length) throw new Error(`Materialized views depend on each other in a cycle: ${left.join(', ')}`);
  return order;
}

export type InsertionPlan = {
  /** Tables, referenced ones first. A table's references to itself are satisfied by inserting it in one statement. */
  order: string[];
  /** Foreign keys set aside to break a cycle between tables: deferred when deferrable, else filled in by an UPDATE after every insert. */
  deferred: ForeignKey[];
};

/**
 * The order to insert tables in so that every foreign key finds its row. A cycle between tables is
 * broken at a deferrable key if there is one, else at a key whose columns are all nullable; a cycle
 * of required, non-deferrable keys cannot be loaded by any order and is refused.
 */
export function insertionPlan(tables: string[], foreignKeys: ForeignKey[]): InsertionPlan {
  let keys = foreignKeys.filter((k) => k.table !== k.references);
  const deferred: ForeignKey[] = [];
  for (;;) {
    const { order, left } = kahn(tables, keys.map((k) => ({ from: k.references, to: k.table })));
    if (!left.length) return { order, deferred };
    const stuck = new Set(left);
    const among = keys.filter((k) => stuck.has(k.table) && stuck.has(k.references));
    // A key is on a cycle when its table leads back (through other keys) to the table it references.
    const reaches = (from: string, target: string, seen = new Set<string>()): boolean =>
      from === target || (!seen.has(from) && (seen.add(from), among.some((k) => k.references === from && reaches(k.table, target, seen))));
    const onCycle = among.filter((k) => reaches(k.table, k.references));
    const breakAt = onCycle.find((k) => k.deferrable) ?? onCycle.find((k) => k.nullable);
    if (!breakAt) throw new Error(`Tables ${left.join(', ')} reference each other through required, non-deferrable foreign keys: no insertion order satisfies them.`);
    deferred.push(breakAt);
    keys = keys.filter((k) => k !== breakAt);
  }
}
