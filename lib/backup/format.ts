import { z } from 'zod';
import type { Catalog } from './catalog';

/**
 * The archive: a gzip file of newline-delimited JSON. The header is its own gzip member, composed once
 * the body is written (so it can carry the body's counts and hashes) and placed first; any gunzip
 * reads the members as one stream.
 *
 *   line 1   the header (ArchiveHeader below)
 *   then, per table in insertion order (referenced tables first):
 *            {"table": "<name>", "rows": <n>, "columns": [...]}
 *            n lines, one row each: a JSON object rendered by Postgres (row_to_json), in primary-key order
 *   last     {"end": true, "tables": <number of tables>}
 *
 * A table's sha256 is the SHA-256 of its n row lines, each with its "\n", exactly as they are in the
 * decompressed file: `zcat x.mandate.gz | sed -n '<first>,<last>p' | sha256sum` reproduces it.
 */
export const ARCHIVE_FORMAT = 'mandate.export';
export const ARCHIVE_VERSION = 1;

export const ENCODING_NOTES = [
  'timestamp columns hold UTC and are written as ISO 8601 without an offset (2026-11-24T19:33:13.123); timestamptz with +00:00',
  'bigint and numeric are written as strings; other numbers as JSON numbers',
  'json and jsonb columns are written as nested JSON; a column holding a JSON null (not SQL NULL) is also named in the row\'s "__jsonNull" array',
  'enums as their label; arrays as JSON arrays; bytea as a string of \\x followed by hex digits',
];

export const Mode = z.enum(['backup', 'audit']);
export type Mode = z.infer<typeof Mode>;

export const EvidencePublicKey = z.object({ keyId: z.string(), publicKeyPem: z.string(), source: z.string() });
export type EvidencePublicKey = z.infer<typeof EvidencePublicKey>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');

export const ArchiveHeader = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  mode: Mode,
  /** When the snapshot was taken (the export transaction's start). */
  exportedAt: z.string(),
  source: z.object({ serverVersion: z.string(), database: z.string(), schema: z.string() }),
  encoding: z.array(z.string()),
  migrations: z.array(z.string()),
  /** Tables in the order they follow in the file (referenced tables first). */
  tables: z.record(
    z.string(),
    z.object({ rows: z.number().int().min(0), sha256: Sha256, columns: z.array(z.string()), redacted: z.record(z.string(), z.string()).optional() }),
  ),
  sequences: z.record(z.string(), z.object({ table: z.string(), column: z.string(), lastValue: z.string().regex(/^-?\d+$/), isCalled: z.boolean() })),
  derived: z.object({ materializedViews: z.array(z.string()), note: z.string() }),
  evidence: z.object({
    /** Public halves of the signing keys known to the exporting process; never a private key. */
    publicKeys: z.array(EvidencePublicKey),
    /** Every key id that signed a checkpoint in this archive. */
    checkpointKeyIds: z.array(z.string()),
    note: z.string(),
  }),
});
export type ArchiveHeader = z.infer<typeof ArchiveHeader>;

export const SectionMarker = z.object({ table: z.string(), rows: z.number().int().min(0), columns: z.array(z.string()) }).strict();
export const EndMarker = z.object({ end: z.literal(true), tables: z.number().int().min(0) }).strict();

/**
 * Columns that hold credentials. A backup keeps them (a restored instance must let people and agents
 * sign in); an audit export replaces them by the SQL expression given, so nothing in it can be used
 * to sign in or be cracked offline.
 */
export const CREDENTIAL_COLUMNS: Record<string, { sql: string; note: string }> = {
  'User.passwordHash': { sql: 'NULL', note: 'argon2id password hash: left out (null); restored accounts have no password' },
  'AgentToken.tokenHash': { sql: `'redacted:' || "id"`, note: "SHA-256 of an agent token: replaced by 'redacted:<token id>' (the column is required and unique); no restored token works" },
  'Run.runTokenHash': { sql: 'NULL', note: 'SHA-256 of a run token: left out (null)' },
};

/** Columns whose names look like credentials but are not, with the reason. */
export const NOT_CREDENTIALS: Record<string, string> = {
  'AgentToken.prefix': 'the visible start of a token, shown in the UI',
  'Run.runTokenPrefix': 'the visible start of a run token',
  'Run.runTokenExpiresAt': 'a time',
  'Run.tokenId': 'foreign key to the agent token row',
  'Run.headHash': 'evidence chain head',
  'EvidenceReceipt.prevHash': 'evidence chain link',
  'EvidenceReceipt.hash': 'evidence chain hash',
  'SignedCheckpoint.headHash': 'signed chain head',
  'CallApproval.argumentsHash': 'SHA-256 of the (redacted) call arguments, to match an approval to its call',
};

const LOOKS_LIKE_CREDENTIAL = /password|secret|token|hash|salt|credential|api_?key/i;

/** Columns that look like credentials and are in neither list: an audit export refuses to run while there are any. */
export function unclassifiedCredentialColumns(catalog: Pick<Catalog, 'tables'>): string[] {
  return catalog.tables.flatMap((t) =>
    t.columns.map((c) => `${t.name}.${c.name}`).filter((key) => LOOKS_LIKE_CREDENTIAL.test(key.split('.')[1]!) && !(key in CREDENTIAL_COLUMNS) && !(key in NOT_CREDENTIALS)),
  );
}

/** A restore or check refused for a reason the user can act on (not empty, mismatch, tampered archive). */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}
