import pg from 'pg';
import { databaseUrl } from '@/lib/env';

/**
 * "Did anything in the database change?" for tests, cheap enough to ask around every call of a fuzz
 * run. One round trip before: the row count of every application table (listed from the catalog, so
 * a new table is covered without editing this), and the first transaction id not yet handed out. One
 * after: the counts again, and per table the rows whose `xmin` is at or past that id, i.e. inserted
 * or updated by a transaction that began after the mark. Deleted rows show in the counts; a
 * rolled-back transaction leaves nothing behind, which is the point; row locks (SELECT … FOR UPDATE)
 * do not touch `xmin`. Append-only tables (a trigger refuses UPDATE and DELETE) with an integer `id`
 * are followed by their largest id instead, an index lookup however large they grow.
 */

/** Tables every request writes by design: the per-token rate limit and the sign-in throttle. */
export const VOLATILE_TABLES = ['RateLimitBucket', 'SignInThrottle', '_prisma_migrations'] as const;

type Table = { name: string; appendOnly: boolean };

/**
 * A connection of its own, with the two snapshot queries prepared once: planning a query over every
 * table costs more than running it, and it runs twice per fuzz case.
 */
let connection: Promise<pg.Client> | undefined;
function client(): Promise<pg.Client> {
  connection ??= (async () => {
    const c = new pg.Client({ connectionString: databaseUrl() });
    await c.connect();
    return c;
  })();
  return connection;
}

async function query<T>(name: string | undefined, text: string, values: unknown[]): Promise<T[]> {
  const c = await client();
  return (await c.query<T & pg.QueryResultRow>(name ? { name, text, values } : { text, values })).rows;
}

/** Closes the snapshot connection (afterAll). */
export async function closeSnapshots(): Promise<void> {
  const c = connection;
  connection = undefined;
  listed = undefined;
  if (c) await (await c).end();
}
let listed: Promise<Table[]> | undefined;

/** Every ordinary table of the current schema (the application's tables), volatile ones left out. */
export function applicationTables(): Promise<Table[]> {
  listed ??= query<Table>(
    undefined,
    `SELECT c.relname AS "name",
            EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname LIKE '%append_only')
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'id' AND a.atttypid IN ('int8'::regtype, 'int4'::regtype)) AS "appendOnly"
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1`,
    [],
  ).then((rows) => rows.filter((r) => !(VOLATILE_TABLES as readonly string[]).includes(r.name)));
  return listed;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Per table: its row count, or for an append-only table its largest id. */
export type DbMark = { xid: string; counts: Record<string, number> };
export type DbChange = { table: string; before: number; after: number; touched: number };

export async function markDb(): Promise<DbMark> {
  const tables = await applicationTables();
  const counts = tables.map((t) => `${literal(t.name)}, ${t.appendOnly ? `(SELECT coalesce(max("id"), 0) FROM ${ident(t.name)})` : `(SELECT count(*) FROM ${ident(t.name)})`}`).join(', ');
  const [row] = await query<{ xid: string; counts: Record<string, number | string> }>(
    'db-snapshot-mark',
    `SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text AS "xid", json_build_object(${counts}) AS "counts"`,
    [],
  );
  return { xid: row!.xid, counts: Object.fromEntries(Object.entries(row!.counts).map(([k, v]) => [k, Number(v)])) };
}

/**
 * What changed since the mark: per table the count before and after and the rows written since (for
 * an append-only table, `before`/`after` are its row count change from 0). Empty when nothing did.
 */
export async function changesSince(mark: DbMark): Promise<DbChange[]> {
  const tables = await applicationTables();
  const appendOnly = tables.filter((t) => t.appendOnly);
  const parts = tables
    .map((t) =>
      t.appendOnly
        ? `${literal(t.name)}, (SELECT json_build_array(count(*), count(*)) FROM ${ident(t.name)} WHERE "id" > $${appendOnly.indexOf(t) + 2}::bigint)`
        : `${literal(t.name)}, (SELECT json_build_array(count(*), count(*) FILTER (WHERE xmin::text::bigint >= $1::bigint)) FROM ${ident(t.name)})`,
    )
    .join(', ');
  const [row] = await query<{ now: Record<string, [number, number]> }>('db-snapshot-changes', `SELECT json_build_object(${parts}) AS "now"`, [mark.xid, ...appendOnly.map((t) => String(mark.counts[t.name] ?? 0))]);
  const changes: DbChange[] = [];
  for (const t of tables) {
    const [count, touched] = row!.now[t.name] ?? [0, 0];
    if (t.appendOnly) {
      if (count > 0) changes.push({ table: t.name, before: 0, after: count, touched });
      continue;
    }
    const before = mark.counts[t.name] ?? 0;
    if (count !== before || touched > 0) changes.push({ table: t.name, before, after: count, touched });
  }
  return changes;
}

/** Row changes per table (after − before; for an append-only table, rows added). */
export function rowDelta(changes: DbChange[]): Record<string, number> {
  return Object.fromEntries(changes.map((c) => [c.table, c.after - c.before]));
}
