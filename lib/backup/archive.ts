import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ArchiveHeader, ARCHIVE_FORMAT, ARCHIVE_VERSION, BackupRefused, EndMarker, SectionMarker } from './format';

const NL = 0x0a;

/**
 * The lines of a gzip file (every member), as bytes without their "\n": hashes must cover exactly
 * what is stored, not what a UTF-8 decoder makes of it.
 */
export async function* gzipLines(file: string): AsyncGenerator<Buffer> {
  if (!existsSync(file)) throw new BackupRefused(`There is no file ${file}.`);
  const gunzip = createGunzip();
  const source = createReadStream(file);
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let pending: Buffer[] = [];
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(NL); end !== -1; end = chunk.indexOf(NL, start)) {
        const piece = chunk.subarray(start, end);
        yield pending.length ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        start = end + 1;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('Z_')) throw new BackupRefused(`${file} is not a readable gzip file (${(error as Error).message}): the archive is damaged or not an archive.`);
    throw error;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (pending.length) yield Buffer.concat(pending);
}

function parseJson(line: Buffer, what: string): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    throw new BackupRefused(`The archive's ${what} is not JSON: the archive is damaged or not a Mandate export.`);
  }
}

function parseHeader(line: Buffer | undefined): ArchiveHeader {
  if (!line) throw new BackupRefused('The archive is empty.');
  const raw = parseJson(line, 'first line (its header)') as { format?: unknown; version?: unknown };
  if (raw?.format !== ARCHIVE_FORMAT) throw new BackupRefused(`This is not a Mandate export (its header says format ${JSON.stringify(raw?.format)}, expected "${ARCHIVE_FORMAT}").`);
  if (raw.version !== ARCHIVE_VERSION) throw new BackupRefused(`This archive is format version ${JSON.stringify(raw.version)}; this Mandate reads version ${ARCHIVE_VERSION}.`);
  const parsed = ArchiveHeader.safeParse(raw);
  if (!parsed.success) throw new BackupRefused(`The archive's header is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Reads only the header (the first line): cheap, for checks before anything else is touched. */
export async function readArchiveHeader(file: string): Promise<ArchiveHeader> {
  for await (const line of gzipLines(file)) return parseHeader(line);
  return parseHeader(undefined);
}

export type ArchiveVisitor = {
  header?(header: ArchiveHeader): Promise<void> | void;
  /** A batch of one table's row lines, in file order (each a JSON object, without its "\n"). */
  rows?(table: string, lines: Buffer[]): Promise<void> | void;
};

const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Reads a whole archive and checks it as it goes: the sections follow the header's table order with
 * its columns, each table's row count and SHA-256 match the header, and the end marker is there. A
 * mismatch throws BackupRefused at the end of the table it concerns, so a caller that writes rows
 * inside a transaction rolls everything back.
 */
export async function walkArchive(file: string, visitor: ArchiveVisitor = {}): Promise<ArchiveHeader> {
  const lines = gzipLines(file);
  const next = async () => {
    const r = await lines.next();
    return r.done ? undefined : r.value;
  };
  const header = parseHeader(await next());
  await visitor.header?.(header);

  const tables = Object.entries(header.tables);
  for (const [name, expected] of tables) {
    const markerLine = await next();
    if (!markerLine) throw new BackupRefused(`The archive ends before table ${name}: it is truncated.`);
    const marker = SectionMarker.safeParse(parseJson(markerLine, `section header for ${name}`));
    if (!marker.success || marker.data.table !== name) throw new BackupRefused(`The archive has ${marker.success ? `table ${marker.data.table}` : 'something else'} where its header announces table ${name}.`);
    if (marker.data.rows !== expected.rows || marker.data.columns.join(',') !== expected.columns.join(',')) {
      throw new BackupRefused(`Table ${name}: its section and the header disagree on its rows or columns.`);
    }
    const sha = createHash('sha256');
    let batch: Buffer[] = [];
    let bytes = 0;
    for (let i = 0; i < expected.rows; i++) {
      const line = await next();
      if (!line) throw new BackupRefused(`The archive ends inside table ${name} (row ${i + 1} of ${expected.rows}): it is truncated.`);
      sha.update(line).update('\n');
      batch.push(line);
      bytes += line.length;
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) {
        await visitor.rows?.(name, batch);
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length) await visitor.rows?.(name, batch);
    const actual = sha.digest('hex');
    if (actual !== expected.sha256) {
      throw new BackupRefused(`Table ${name}: its rows do not match the archive's SHA-256 (header ${expected.sha256.slice(0, 16)}…, rows ${actual.slice(0, 16)}…): the archive was changed or damaged after export.`);
    }
  }
  const endLine = await next();
  const end = endLine ? EndMarker.safeParse(parseJson(endLine, 'end marker')) : undefined;
  if (!end?.success || end.data.tables !== tables.length) throw new BackupRefused(`The archive has no valid end marker after its ${tables.length} tables: it is truncated or has extra content.`);
  if ((await next()) !== undefined) throw new BackupRefused('The archive has content after its end marker.');
  return header;
}
