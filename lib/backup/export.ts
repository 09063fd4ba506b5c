import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync, type Gzip } from 'node:zlib';
import type pg from 'pg';
import { ident, insertionPlan, JSON_NULL_KEY, literal, readCatalog, type Table } from './catalog';
import { setLocal, STABLE_SETTINGS, withClient, type Connection } from './connection';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  ArchiveHeader,
  BackupRefused,
  CREDENTIAL_COLUMNS,
  ENCODING_NOTES,
  unclassifiedCredentialColumns,
  type EvidencePublicKey,
  type Mode,
} from './format';

export type ExportOptions = {
  out: string;
  /** backup (default): everything, for a restore. audit: credential hashes left out (CREDENTIAL_COLUMNS). */
  mode?: Mode;
  /** Public halves of the evidence signing keys, recorded in the header for verifiers. */
  publicKeys?: EvidencePublicKey[];
  /** Replace an existing file at `out`. */
  overwrite?: boolean;
  /** Rows per FETCH from the cursor. */
  fetchSize?: number;
};

export type ExportSummary = { file: string; header: ArchiveHeader; rows: number; bytes: number; sha256: string; ms: number };

export const EVIDENCE_NOTE =
  'Checkpoints are signed with an Ed25519 private key kept outside the database (EVIDENCE_SIGNING_KEY_FILE): it is in no export and must be backed up on its own. ' +
  'The public keys here are those the exporting instance knew; before relying on a verification, compare their key ids with the key your organisation publishes (/api/evidence-key).';

/**
 * The SELECT that renders one table's rows as JSON lines, in primary-key order (text keys in "C"
 * collation, so the order and hence the hash do not depend on the server's locale).
 */
function rowsQuery(schema: string, table: Table, mode: Mode): { sql: string; redacted: Record<string, string> } {
  const redacted: Record<string, string> = {};
  const select = table.columns.map((c) => {
    const credential = mode === 'audit' ? CREDENTIAL_COLUMNS[`${table.name}.${c.name}`] : undefined;
    if (credential) {
      redacted[c.name] = credential.note;
      return `${credential.sql} AS ${ident(c.name)}`;
    }
    const col = `t.${ident(c.name)}`;
    if (c.asText === 'scalar') return `${col}::text AS ${ident(c.name)}`;
    if (c.asText === 'array') return `${col}::text[] AS ${ident(c.name)}`;
    return col;
  });
  const json = table.columns.filter((c) => c.json && !redacted[c.name]);
  const isNull = (c: (typeof json)[number]) => `${c.json}_typeof(x.${ident(c.name)}) = 'null'`;
  const line = json.length
    ? `CASE WHEN ${json.map(isNull).join(' OR ')}
        THEN left(row_to_json(x)::text, -1) || ',"${JSON_NULL_KEY}":' || array_to_json(array_remove(ARRAY[${json.map((c) => `CASE WHEN ${isNull(c)} THEN ${literal(c.name)} END`).join(', ')}]::text[], NULL))::text || '}'
        ELSE row_to_json(x)::text END`
    : 'row_to_json(x)::text';
  const order = table.primaryKey.length
    ? table.primaryKey.map((k) => `t.${ident(k)}${table.columns.find((c) => c.name === k)!.collatable ? ' COLLATE "C"' : ''}`).join(', ')
    : 'row_to_json(x)::text COLLATE "C"';
  return {
    sql: `SELECT ${line} AS "line" FROM ${ident(schema)}.${ident(table.name)} t CROSS JOIN LATERAL (SELECT ${select.join(', ')}) x ORDER BY ${order}`,
    redacted,
  };
}

async function write(stream: NodeJS.WritableStream, data: Buffer | string): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Exports every table of the application schema from one snapshot (a REPEATABLE READ, read-only
 * transaction) into a gzip'd NDJSON archive (format in ./format.ts). The file appears only when
 * complete (written beside it, then renamed) and is readable by its owner only.
 */
export async function exportDatabase(connection: Connection, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const mode = options.mode ?? 'backup';
  if (existsSync(options.out) && !options.overwrite) throw new BackupRefused(`${options.out} already exists; choose another name (or overwrite it on purpose).`);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const bodyFile = `${options.out}.body-${suffix}`;
  const partFile = `${options.out}.part-${suffix}`;

  try {
    const header = await withClient(connection, async (client: pg.ClientBase) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let gzip: Gzip | undefined;
      try {
        await setLocal(client, STABLE_SETTINGS);
        const catalog = await readCatalog(client);
        if (mode === 'audit') {
          const unknown = unclassifiedCredentialColumns(catalog);
          if (unknown.length) {
            throw new BackupRefused(`Audit export refused: ${unknown.join(', ')} look(s) like credentials and are not classified; add them to CREDENTIAL_COLUMNS or NOT_CREDENTIALS in lib/backup/format.ts.`);
          }
        }
        const [info] = (await client.query<{ at: Date; version: string; database: string }>('SELECT now() AS "at", current_setting(\'server_version\') AS "version", current_database() AS "database"')).rows;
        const plan = insertionPlan(catalog.tables.map((t) => t.name), catalog.foreignKeys);
        const byName = new Map(catalog.tables.map((t) => [t.name, t]));
        const tables: ArchiveHeader['tables'] = {};

        gzip = createGzip();
        const written = pipeline(gzip, createWriteStream(bodyFile, { mode: 0o600 }));
        written.catch(() => undefined); // awaited below; a write error also surfaces there
        for (const name of plan.order) {
          const table = byName.get(name)!;
          const { sql, redacted } = rowsQuery(catalog.schema, table, mode);
          const n = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS "n" FROM ${ident(catalog.schema)}.${ident(name)}`)).rows[0]!.n);
          const columns = table.columns.map((c) => c.name);
          await write(gzip, `${JSON.stringify({ table: name, rows: n, columns })}\n`);
          const fetchSize = options.fetchSize ?? 2000;
          const sha = createHash('sha256');
          let rows = 0;
          await client.query(`DECLARE mandate_export NO SCROLL CURSOR FOR ${sql}`);
          for (;;) {
            const batch = await client.query<{ line: string }>(`FETCH ${fetchSize} FROM mandate_export`);
            if (batch.rows.length) {
              // One buffer per batch: a write per row would queue a zlib job per row.
              const bytes = Buffer.from(`${batch.rows.map((r) => r.line).join('\n')}\n`, 'utf8');
              sha.update(bytes);
              await write(gzip, bytes);
            }
            rows += batch.rows.length;
            if (batch.rows.length < fetchSize) break;
          }
          await client.query('CLOSE mandate_export');
          if (rows !== n) throw new Error(`Table ${name}: counted ${n} rows but read ${rows} in the same snapshot.`);
          tables[name] = { rows, sha256: sha.digest('hex'), columns, ...(Object.keys(redacted).length ? { redacted } : {}) };
        }
        await write(gzip, `${JSON.stringify({ end: true, tables: plan.order.length })}\n`);
        gzip.end();
        await written;

        const sequences: ArchiveHeader['sequences'] = {};
        for (const s of catalog.sequences) {
          const [state] = (await client.query<{ lastValue: string; isCalled: boolean }>(`SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${ident(catalog.schema)}.${ident(s.name)}`)).rows;
          sequences[s.name] = { table: s.table, column: s.column, ...state! };
        }
        const checkpointKeyIds = byName.get('SignedCheckpoint')?.columns.some((c) => c.name === 'keyId')
          ? (await client.query<{ keyId: string }>(`SELECT DISTINCT "keyId" FROM ${ident(catalog.schema)}."SignedCheckpoint" ORDER BY 1`)).rows.map((r) => r.keyId)
          : [];
        await client.query('COMMIT');

        return ArchiveHeader.parse({
          format: ARCHIVE_FORMAT,
          version: ARCHIVE_VERSION,
          mode,
          exportedAt: info!.at.toISOString(),
          source: { serverVersion: info!.version, database: info!.database, schema: catalog.schema },
          encoding: ENCODING_NOTES,
          migrations: catalog.migrations,
          tables,
          sequences,
          derived: { materializedViews: catalog.materializedViews, note: 'Materialized views are derived from the tables: not exported, refreshed by a restore.' },
          evidence: { publicKeys: options.publicKeys ?? [], checkpointKeyIds, note: EVIDENCE_NOTE },
        } satisfies ArchiveHeader);
      } catch (error) {
        gzip?.destroy();
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });

    writeFileSync(partFile, gzipSync(`${JSON.stringify(header)}\n`), { mode: 0o600 });
    await pipeline(createReadStream(bodyFile), createWriteStream(partFile, { flags: 'a' }));
    renameSync(partFile, options.out);
    const rows = Object.values(header.tables).reduce((sum, t) => sum + t.rows, 0);
    return { file: options.out, header, rows, bytes: statSync(options.out).size, sha256: await sha256File(options.out), ms: Math.round(performance.now() - started) };
  } finally {
    rmSync(bodyFile, { force: true });
    rmSync(partFile, { force: true });
  }
}
