import type pg from 'pg';
import { readArchiveHeader, walkArchive } from './archive';
import { ident, insertionPlan, JSON_NULL_KEY, literal, readCatalog, type Catalog, type Table } from './catalog';
import { setLocal, STABLE_SETTINGS, withClient, type Connection } from './connection';
import { BackupRefused, type ArchiveHeader } from './format';

export type RestoreOptions = {
  /** How long to wait for the locks on the target tables before giving up (something else is using it). */
  lockTimeoutMs?: number;
};

export type RestoreSummary = {
  header: ArchiveHeader;
  tables: number;
  rows: number;
  sequences: number;
  materializedViews: string[];
  /** Foreign keys that had to be deferred or filled in afterwards to break a cycle between tables. */
  deferredKeys: string[];
  ms: number;
};

function listDiff(label: string, archive: string[], target: string[]): string[] {
  const a = new Set(archive);
  const t = new Set(target);
  const missing = archive.filter((x) => !t.has(x));
  const extra = target.filter((x) => !a.has(x));
  return [
    ...(missing.length ? [`the archive has ${label} the database lacks: ${missing.join(', ')}`] : []),
    ...(extra.length ? [`the database has ${label} the archive lacks: ${extra.join(', ')}`] : []),
  ];
}

/** The archive must come from exactly this schema: same migrations, same tables, same columns. */
function assertSameSchema(header: ArchiveHeader, catalog: Catalog): void {
  const migrations = listDiff('migrations', header.migrations, catalog.migrations);
  if (migrations.length) {
    throw new BackupRefused(
      `The archive was exported from a database at other migrations than this one: ${migrations.join('; ')}. ` +
        'Restore into a database migrated with the same Mandate version as the export, then upgrade it with npm run db:migrate.',
    );
  }
  const problems = listDiff('tables', Object.keys(header.tables), catalog.tables.map((t) => t.name));
  for (const table of catalog.tables) {
    const archived = header.tables[table.name];
    if (archived) problems.push(...listDiff(`columns of ${table.name}`, archived.columns, table.columns.map((c) => c.name)));
  }
  if (problems.length) throw new BackupRefused(`The archive does not fit this database's schema: ${problems.join('; ')}.`);
}

const stageOf = (index: number) => `pg_temp.mandate_restore_${index}`;

/** Loads a table from its staging table in one statement, so rows that reference rows of the same table need no order. */
function insertSql(schema: string, table: Table, stage: string, nulled: Set<string>): string {
  const columns = table.columns.filter((c) => !c.generated);
  const values = columns.map((c) => {
    if (nulled.has(c.name)) return 'NULL';
    if (c.json) return `CASE WHEN s.json_nulls IS NOT NULL AND ${literal(c.name)} = ANY(s.json_nulls) THEN 'null'::${c.json} ELSE r.${ident(c.name)} END`;
    return `r.${ident(c.name)}`;
  });
  return `INSERT INTO ${ident(schema)}.${ident(table.name)} (${columns.map((c) => ident(c.name)).join(', ')}) OVERRIDING SYSTEM VALUE
          SELECT ${values.join(', ')} FROM ${stage} s CROSS JOIN LATERAL json_populate_record(NULL::${ident(schema)}.${ident(table.name)}, s.doc) r`;
}

/**
 * Restores an archive into an empty, migrated database, all or nothing, in one transaction:
 * refuses a migration or schema mismatch and any application table that has rows; stages every row
 * while checking each table's SHA-256 (a changed byte refuses the whole archive before any real
 * table is written); inserts the tables in foreign-key order; moves each sequence to at least where
 * it was; refreshes the materialized views.
 *
 * Business triggers stay on: Mandate's append-only and frozen-packet triggers refuse only UPDATE,
 * DELETE and TRUNCATE, and its INSERT triggers only NOTIFY the app, so a plain table owner can
 * restore (no superuser, no session_replication_role) and foreign keys are still checked.
 */
export async function restoreDatabase(connection: Connection, file: string, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const started = performance.now();
  const announced = await readArchiveHeader(file); // a wrong file is refused before the database is touched
  return withClient(connection, async (client: pg.ClientBase) => {
    await client.query('BEGIN');
    try {
      await setLocal(client, [...STABLE_SETTINGS, `lock_timeout = ${Math.round(options.lockTimeoutMs ?? 10_000)}`]);
      const catalog = await readCatalog(client);
      assertSameSchema(announced, catalog);
      if (!catalog.tables.length) throw new BackupRefused('This database has no application tables to restore into.');
      const q = (t: string) => `${ident(catalog.schema)}.${ident(t)}`;

      try {
        await client.query(`LOCK TABLE ${catalog.tables.map((t) => q(t.name)).join(', ')} IN EXCLUSIVE MODE`);
      } catch (error) {
        if ((error as { code?: string }).code === '55P03') throw new BackupRefused('Another session is using this database (is Mandate running on it?); restore into a database nothing else uses.');
        throw error;
      }
      const filled = (await client.query<{ name: string }>(catalog.tables.map((t) => `SELECT ${literal(t.name)} AS "name" WHERE EXISTS (SELECT 1 FROM ${q(t.name)})`).join(' UNION ALL '))).rows;
      if (filled.length) {
        throw new BackupRefused(`The target database is not empty (${filled.map((r) => r.name).join(', ')} ${filled.length === 1 ? 'has' : 'have'} rows). Restore only into a freshly migrated, empty database.`);
      }

      // Stage every row first (json, as written), checking each table's hash as it streams in. A row
      // Postgres cannot read fails the transaction; the rest of the file is still hashed, so a changed
      // archive is reported as such rather than as a JSON syntax error.
      let stagingError: unknown;
      const index = new Map(catalog.tables.map((t, i) => [t.name, i]));
      const byName = new Map(catalog.tables.map((t) => [t.name, t]));
      for (const i of index.values()) await client.query(`CREATE TEMP TABLE mandate_restore_${i} (doc json NOT NULL, json_nulls text[]) ON COMMIT DROP`);
      const header = await walkArchive(file, {
        rows: async (table, lines) => {
          if (stagingError) return;
          const hasJson = byName.get(table)!.columns.some((c) => c.json);
          const nulls = hasJson ? `CASE WHEN strpos(e.value::text, '"${JSON_NULL_KEY}":[') > 0 THEN ARRAY(SELECT json_array_elements_text(e.value -> '${JSON_NULL_KEY}')) END` : 'NULL';
          const parts: Buffer[] = [Buffer.from('[')];
          lines.forEach((line, n) => parts.push(...(n ? [Buffer.from(','), line] : [line])));
          parts.push(Buffer.from(']'));
          await client
            .query(`INSERT INTO ${stageOf(index.get(table)!)} (doc, json_nulls) SELECT e.value, ${nulls} FROM json_array_elements($1::json) e`, [Buffer.concat(parts).toString('utf8')])
            .catch((error: unknown) => (stagingError = error));
        },
      });
      if (stagingError) throw stagingError;
      assertSameSchema(header, catalog);

      const plan = insertionPlan(catalog.tables.map((t) => t.name), catalog.foreignKeys);
      const fillLater = plan.deferred.filter((k) => !k.deferrable);
      for (const k of plan.deferred.filter((d) => d.deferrable)) await client.query(`SET CONSTRAINTS ${ident(catalog.schema)}.${ident(k.name)} DEFERRED`);
      let rows = 0;
      for (const name of plan.order) {
        const nulled = new Set(fillLater.filter((k) => k.table === name).flatMap((k) => k.columns));
        const inserted = await client.query(insertSql(catalog.schema, byName.get(name)!, stageOf(index.get(name)!), nulled));
        if (inserted.rowCount !== header.tables[name]!.rows) throw new Error(`Table ${name}: inserted ${inserted.rowCount} rows, the archive has ${header.tables[name]!.rows}.`);
        rows += inserted.rowCount;
      }
      // Keys left out to break a cycle: fill them in now that every row they point at exists.
      for (const k of fillLater) {
        const table = byName.get(k.table)!;
        if (!table.primaryKey.length) throw new Error(`Table ${k.table} has no primary key, so its cyclic foreign key ${k.name} cannot be filled in after the insert.`);
        await client.query(
          `UPDATE ${q(k.table)} t SET ${k.columns.map((c) => `${ident(c)} = r.${ident(c)}`).join(', ')}
           FROM ${stageOf(index.get(k.table)!)} s CROSS JOIN LATERAL json_populate_record(NULL::${q(k.table)}, s.doc) r
           WHERE ${table.primaryKey.map((c) => `t.${ident(c)} = r.${ident(c)}`).join(' AND ')} AND (${k.columns.map((c) => `r.${ident(c)} IS NOT NULL`).join(' OR ')})`,
        );
      }

      // Sequences go to where they were at export, or past the largest restored value if that is further.
      for (const s of catalog.sequences) {
        const archived = header.sequences[s.name];
        const [{ max }] = (await client.query<{ max: string | null }>(`SELECT max(${ident(s.column)})::text AS "max" FROM ${q(s.table)}`)).rows as [{ max: string | null }];
        let value = archived ? BigInt(archived.lastValue) : null;
        let called = archived?.isCalled ?? true;
        if (max !== null && (value === null || BigInt(max) > value || (BigInt(max) === value && !called))) {
          value = BigInt(max);
          called = true;
        }
        if (value !== null) await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [q(s.name), value.toString(), called]);
      }
      for (const view of catalog.materializedViews) await client.query(`REFRESH MATERIALIZED VIEW ${q(view)}`);
      await client.query('COMMIT');
      return {
        header,
        tables: plan.order.length,
        rows,
        sequences: catalog.sequences.length,
        materializedViews: catalog.materializedViews,
        deferredKeys: plan.deferred.map((k) => `${k.table}.${k.name}`),
        ms: Math.round(performance.now() - started),
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
