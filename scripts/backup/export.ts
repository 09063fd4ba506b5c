// `npm run export -- --out <file> [--mode backup|audit] [--public-key <pem>…] [--force]`: one consistent
// snapshot of every application table into a gzip'd NDJSON archive (lib/backup/format.ts). Exit 1 when
// refused (file exists, unclassified credential column), 2 when it could not run.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseCli } from './cli';
import { openDatabase, type OpenDatabase } from '../db/database';
import { BackupRefused, Mode, type EvidencePublicKey } from '../../lib/backup/format';
import { exportDatabase } from '../../lib/backup/export';
import { keyIdOf, publicKeyFromPem } from '../../lib/evidence/checkpoint';

const USAGE = 'Usage: npm run export -- --out <file> [--mode backup|audit] [--public-key <pem file>]… [--force]';
const EMBEDDED_KEY_FILE = '.data/evidence-signing-key.pem';

const Args = z.object({
  out: z.string({ message: '--out <file> is required' }).min(1, '--out <file> is required'),
  mode: Mode.default('backup'),
  'public-key': z.array(z.string()).default([]),
  force: z.boolean().default(false),
});

function parse() {
  return parseCli({ out: { type: 'string' }, mode: { type: 'string' }, 'public-key': { type: 'string', multiple: true }, force: { type: 'boolean' } }, Args, USAGE);
}

/** Public halves only: the configured signing key's (never written anywhere), plus any given on the command line. */
async function publicKeys(files: string[], database: OpenDatabase): Promise<EvidencePublicKey[]> {
  const keys: EvidencePublicKey[] = files.map((file) => {
    const key = publicKeyFromPem(readFileSync(file, 'utf8'));
    return { keyId: keyIdOf(key), publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(), source: `--public-key ${file}` };
  });
  const source = process.env.EVIDENCE_SIGNING_KEY
    ? 'EVIDENCE_SIGNING_KEY'
    : process.env.EVIDENCE_SIGNING_KEY_FILE
      ? `EVIDENCE_SIGNING_KEY_FILE (${process.env.EVIDENCE_SIGNING_KEY_FILE})`
      : database.embedded && existsSync(EMBEDDED_KEY_FILE)
        ? `${EMBEDDED_KEY_FILE} (embedded database)`
        : null;
  if (!source) return keys;
  if (source.startsWith(EMBEDDED_KEY_FILE)) process.env.EVIDENCE_SIGNING_KEY_FILE = EMBEDDED_KEY_FILE;
  const key = (await import('../../lib/evidence/signing')).signingKey();
  return keys.some((k) => k.keyId === key.keyId) ? keys : [...keys, { keyId: key.keyId, publicKeyPem: key.publicPem, source }];
}

const args = parse();
let exit = 0;
let database: OpenDatabase | undefined;
try {
  database = await openDatabase({ purpose: 'dev', attach: true });
  console.log(`Database: ${database.describe}`);
  const keys = await publicKeys(args['public-key'], database);
  const summary = await exportDatabase(database.url, { out: args.out, mode: args.mode, publicKeys: keys, overwrite: args.force });
  const { header } = summary;
  const tables = Object.entries(header.tables);
  console.log(
    `Exported ${tables.length} tables, ${summary.rows.toLocaleString('en')} rows (mode ${header.mode}, snapshot ${header.exportedAt}) in ${(summary.ms / 1000).toFixed(1)} s\n` +
      `  → ${summary.file} (${(summary.bytes / 1024).toFixed(0)} KiB), SHA-256 ${summary.sha256}`,
  );
  for (const [name, t] of tables) console.log(`  ${name.padEnd(22)} ${String(t.rows).padStart(9)} rows${t.redacted ? `  (left out: ${Object.keys(t.redacted).join(', ')})` : ''}`);
  const known = new Set(header.evidence.publicKeys.map((k) => k.keyId));
  const unknown = header.evidence.checkpointKeyIds.filter((id) => !known.has(id));
  console.log(`Evidence: checkpoints signed by ${header.evidence.checkpointKeyIds.join(', ') || '(no checkpoints)'}; public key(s) recorded: ${[...known].join(', ') || 'none'}.`);
  if (unknown.length) console.log(`  ! No public key recorded for ${unknown.join(', ')}: pass the retired key(s) with --public-key <pem>.`);
  console.log(
    header.mode === 'backup'
      ? 'This backup holds password and token hashes: keep it as safe as the database. The evidence signing key is not in it; back that file up separately.'
      : 'Audit mode: password and token hashes are left out. The evidence signing key is in no export.',
  );
} catch (error) {
  console.error(`Export ${error instanceof BackupRefused ? 'refused' : 'failed'}: ${(error as Error).message}`);
  exit = error instanceof BackupRefused ? 1 : 2;
} finally {
  await database?.close();
}
process.exit(exit);
