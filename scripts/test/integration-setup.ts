// Vitest global setup for the integration project: one scratch database per run (embedded, or on
// DATABASE_URL's server), migrated, handed to the test workers, and dropped afterwards.
import type { TestProject } from 'vitest/node';
import { openDatabase, type OpenDatabase } from '../db/database';
import { applyMigrations } from '../db/engine';
import { generateSigningKeyPem } from '../../lib/evidence/signing';

let database: OpenDatabase | undefined;

export async function setup(project: TestProject) {
  database = await openDatabase({ purpose: 'test' });
  await applyMigrations(database.url);
  // Workers are started after global setup and inherit this environment.
  process.env.DATABASE_URL = database.url;
  process.env.EVIDENCE_SIGNING_KEY ??= generateSigningKeyPem();
  project.provide('databaseUrl', database.url);
}

export async function teardown() {
  await database?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
