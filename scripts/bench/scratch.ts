import { openDatabase } from '../db/database';
import { applyMigrations } from '../db/engine';

/**
 * A benchmark's scratch database, migrated, with this process pointed at it and a throwaway evidence
 * signing key (shared with the app the benchmark starts, through the environment).
 */
export async function scratchDatabase() {
  const database = await openDatabase({ purpose: 'test' });
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  const { generateSigningKeyPem } = await import('../../lib/evidence/signing');
  process.env.EVIDENCE_SIGNING_KEY = generateSigningKeyPem();
  return database;
}
