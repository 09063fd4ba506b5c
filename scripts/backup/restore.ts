// `npm run restore -- --in <file> [--migrate]`: restore an export into an empty, migrated database
// (DATABASE_URL, or the embedded dev database), all or nothing.
// `npm run restore -- --in <file> --check [--public-key <pem>…]`: check an archive without any database:
// every table's hash, every run's evidence chain and signed checkpoints.
// Exit 1 when refused (not empty, other migrations, changed archive, broken chain), 2 when it could not run.
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { parseCli } from './cli';
import { openDatabase, type OpenDatabase } from '../db/database';
import { applyMigrations } from '../db/engine';
import { BackupRefused } from '../../lib/backup/format';
import { restoreDatabase } from '../../lib/backup/restore';
import { checkArchive } from '../../lib/backup/check';
import { keyIdOf, publicKeyFromPem } from '../../lib/evidence/checkpoint';

const USAGE = 'Usage: npm run restore -- --in <file> [--migrate]\n       npm run restore -- --in <file> --check [--public-key <pem file>]…';

const Args = z
  .object({
    in: z.string({ message: '--in <file> is required' }).min(1, '--in <file> is required'),
    migrate: z.boolean().default(false),
    check: z.boolean().default(false),
    'public-key': z.array(z.string()).default([]),
  })
  .refine((a) => !(a.check && a.migrate), { message: '--check reads only the archive; it cannot be combined with --migrate' })
  .refine((a) => a.check || !a['public-key'].length, { message: '--public-key goes with --check (after a restore, pass it to npm run evidence:verify)' });

function parse() {
  return parseCli({ in: { type: 'string' }, migrate: { type: 'boolean' }, check: { type: 'boolean' }, 'public-key': { type: 'string', multiple: true } }, Args, USAGE);
}

async function check(file: string, keyFiles: string[]): Promise<number> {
  const keys = new Map<string, KeyObject>();
  for (const f of keyFiles) {
    const key = publicKeyFromPem(readFileSync(f, 'utf8'));
    keys.set(keyIdOf(key), key);
  }
  const result = await checkArchive(file, { publicKeys: keys });
  const { header } = result;
  console.log(`Archive: ${file}\n  ${header.mode} export of ${header.exportedAt}, ${Object.keys(header.tables).length} tables, ${result.rows.toLocaleString('en')} rows: every table matches its SHA-256.`);
  console.log(`Public keys: ${result.keys.map((k) => k.keyId).join(', ') || 'none'}${result.keys[0]?.fromArchive ? ' (taken from the archive itself: compare them with the key your organisation publishes, or pass --public-key)' : ''}`);
  let receipts = 0;
  for (const v of result.runs) {
    receipts += v.receipts;
    if (!v.intact) console.log(`  ✗ ${v.runId}  BROKEN at receipt ${v.brokenAtSeq}: ${v.reason}`);
  }
  const intact = result.runs.filter((v) => v.intact).length;
  console.log(`${intact} of ${result.runs.length} run(s) intact (${receipts.toLocaleString('en')} receipts checked)${intact < result.runs.length ? '; see the broken runs above' : ''}.`);
  return intact === result.runs.length ? 0 : 1;
}

async function restore(file: string, migrate: boolean): Promise<number> {
  let database: OpenDatabase | undefined;
  try {
    database = await openDatabase({ purpose: 'dev', attach: true });
    console.log(`Database: ${database.describe}`);
    if (migrate) {
      const applied = await applyMigrations(database.url);
      console.log(applied.length ? `Applied ${applied.length} migration(s) first.` : 'Migrations: already up to date.');
    }
    const s = await restoreDatabase(database.url, file);
    console.log(
      `Restored ${s.tables} tables, ${s.rows.toLocaleString('en')} rows from the ${s.header.mode} export of ${s.header.exportedAt} in ${(s.ms / 1000).toFixed(1)} s; ` +
        `${s.sequences} sequence(s) set, ${s.materializedViews.length} materialized view(s) refreshed.`,
    );
    if (s.header.mode === 'audit') console.log('Audit export: accounts have no password and no agent or run token works in this database.');
    const keys = s.header.evidence.publicKeys.map((k) => k.keyId);
    console.log(`Verify the evidence: npm run evidence:verify -- --public-key <pem>  (the archive names key(s) ${keys.join(', ') || 'none'}; signed by ${s.header.evidence.checkpointKeyIds.join(', ') || 'no checkpoints'})`);
    return 0;
  } finally {
    await database?.close();
  }
}

const args = parse();
let exit: number;
try {
  exit = args.check ? await check(args.in, args['public-key']) : await restore(args.in, args.migrate);
} catch (error) {
  const refused = error instanceof BackupRefused;
  console.error(`${args.check ? 'Check' : 'Restore'} ${refused ? 'refused' : 'failed'}: ${(error as Error).message}${!args.check ? '\nNo rows were written: the restore runs in one transaction.' : ''}`);
  exit = refused ? 1 : 2;
}
process.exit(exit);
