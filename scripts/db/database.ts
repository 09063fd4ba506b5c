import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { freePort } from '../free-port';
import { EMBEDDED_DATABASE, EMBEDDED_PASSWORD, EMBEDDED_USER, runningEmbeddedPort, startEmbeddedPostgres } from './embedded';

export const DEV_DATA_DIR = '.data/postgres';
const DEFAULT_EMBEDDED_PORT = 54329;

export type OpenDatabase = { url: string; embedded: boolean; describe: string; close(): Promise<void> };

function masked(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}


/** A new, empty database on the server of `serverUrl`; drop() removes it even with open connections. */
export async function createScratchDatabase(serverUrl: string, prefix = 'mandate_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/**
 * The database to work on. With DATABASE_URL: that server, nothing started (tests get a scratch
 * database on it, dropped on close). Without: an embedded PostgreSQL — the dev one keeps its data in
 * .data/postgres; a test one lives in a temp folder on a free port and vanishes on close.
 */
/** `attach`: with the app already running on the embedded database, use that server instead of starting one. */
export async function openDatabase(opts: { purpose: 'dev' | 'test'; attach?: boolean }): Promise<OpenDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    if (opts.purpose === 'dev') return { url: configured, embedded: false, describe: `${masked(configured)} (from DATABASE_URL)`, close: async () => {} };
    const scratch = await createScratchDatabase(configured);
    return { url: scratch.url, embedded: false, describe: `scratch database ${masked(scratch.url)} (on DATABASE_URL's server)`, close: scratch.drop };
  }

  if (opts.purpose === 'dev') {
    const running = opts.attach ? runningEmbeddedPort(resolve(DEV_DATA_DIR)) : null;
    if (running) {
      return { url: `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${running}/${EMBEDDED_DATABASE}`, embedded: true, describe: `the running embedded PostgreSQL at 127.0.0.1:${running}`, close: async () => {} };
    }
    const port = Number(process.env.EMBEDDED_PG_PORT ?? DEFAULT_EMBEDDED_PORT);
    const server = await startEmbeddedPostgres({ dataDir: resolve(DEV_DATA_DIR), port, persistent: true, onLog: (l) => console.error(l) });
    return { url: server.url, embedded: true, describe: `embedded PostgreSQL at 127.0.0.1:${port} (data in ${DEV_DATA_DIR})`, close: server.stop };
  }

  const parent = mkdtempSync(join(tmpdir(), 'mandate-pg-'));
  chmodSync(parent, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  const dataDir = join(parent, 'data');
  const port = await freePort();
  const server = await startEmbeddedPostgres({ dataDir, port, persistent: false });
  const close = async () => {
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  };
  return { url: server.url, embedded: true, describe: `embedded PostgreSQL at 127.0.0.1:${port} (temporary)`, close };
}
