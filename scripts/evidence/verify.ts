// `npm run evidence:verify [-- <runId>…] [--public-key <file>]`: verify evidence chains and signed
// checkpoints, for the given runs or all of them. Exit 1 when any run is broken.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { KeyObject } from 'node:crypto';
import { openDatabase } from '../db/database';
import { ensureSigningKey } from '../app-server';

const { values, positionals } = parseArgs({ options: { 'public-key': { type: 'string', multiple: true }, quiet: { type: 'boolean' } }, allowPositionals: true });

const database = await openDatabase({ purpose: 'dev', attach: true });
process.env.DATABASE_URL = database.url;
let exit = 0;
try {
  const { keyIdOf, publicKeyFromPem } = await import('../../lib/evidence/checkpoint');
  const { verifyRunEvidence } = await import('../../lib/evidence/verify');
  const { db, closeDb } = await import('../../lib/db');
  const keys = new Map<string, KeyObject>();
  for (const file of values['public-key'] ?? []) {
    const key = publicKeyFromPem(readFileSync(file, 'utf8'));
    keys.set(keyIdOf(key), key);
  }
  if (keys.size === 0) {
    await ensureSigningKey(database.embedded);
    const { signingKey } = await import('../../lib/evidence/signing');
    keys.set(signingKey().keyId, signingKey().publicKey);
  }
  const runIds = positionals.length ? positionals : (await db.run.findMany({ select: { id: true }, orderBy: { startedAt: 'asc' } })).map((r) => r.id);
  console.log(`Database: ${database.describe}\nPublic keys: ${[...keys.keys()].join(', ')}\nVerifying ${runIds.length} run(s)…`);
  let intact = 0;
  let receipts = 0;
  for (const id of runIds) {
    const v = await verifyRunEvidence(id, keys);
    receipts += v.receipts;
    if (v.intact) {
      intact++;
      if (!values.quiet) console.log(`  ✓ ${id}  ${v.receipts} receipts, head ${v.headHash?.slice(0, 16) ?? '(empty)'}…, ${v.checkpoints.count} signed checkpoint(s)`);
    } else {
      exit = 1;
      console.log(`  ✗ ${id}  BROKEN at receipt ${v.brokenAtSeq}: ${v.reason}`);
    }
  }
  console.log(`${intact} of ${runIds.length} run(s) intact (${receipts} receipts checked)${exit ? '; see the broken runs above' : ''}.`);
  await closeDb();
} catch (error) {
  console.error(`Verification could not run: ${(error as Error).message}`);
  exit = 2;
} finally {
  await database.close();
}
process.exit(exit);
