// The moving parts of the fault tests: a scratch PostgreSQL that can be stopped and started again
// on the same port and data folder, production app processes that can be killed, and small HTTP
// helpers. Nothing here asserts; the scenarios do.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { ensureProductionBuild, waitForHealth } from '../app-server';
import { buildStatus } from '../build-status';
import { EMBEDDED_DATABASE, processAlive, startEmbeddedPostgres, type EmbeddedServer } from '../db/embedded';
import { freePort } from '../free-port';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy; throws with `what` after `timeoutMs`. No timing is asserted anywhere: this only waits. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 120_000, everyMs = 100): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}


// ───────────── PostgreSQL ─────────────

/**
 * An embedded PostgreSQL of our own in a temp folder, kept on stop (persistent) so that it can be
 * started again on the same port and data folder, as a restarted database server would be.
 */
export class ScratchPostgres {
  private server: EmbeddedServer | null = null;
  private readonly parent: string;
  readonly dataDir: string;
  readonly log: string[] = [];
  starts = 0;

  private constructor(readonly port: number) {
    this.parent = mkdtempSync(join(tmpdir(), 'mandate-faults-pg-'));
    chmodSync(this.parent, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
    this.dataDir = join(this.parent, 'data');
  }

  static async create(): Promise<ScratchPostgres> {
    const pgServer = new ScratchPostgres(await freePort());
    await pgServer.start();
    return pgServer;
  }

  /** The server's URL; `applicationName` tags the connections (pg_stat_activity.application_name). */
  url(applicationName?: string): string {
    const url = new URL(`postgresql://postgres:postgres@127.0.0.1:${this.port}/${EMBEDDED_DATABASE}`);
    if (applicationName) url.searchParams.set('application_name', applicationName);
    return url.toString();
  }

  get running(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.server = await startEmbeddedPostgres({ dataDir: this.dataDir, port: this.port, persistent: true, onLog: (line) => this.log.push(line) });
    this.starts++;
  }

  /** Fast shutdown (SIGINT): sessions are ended with 57P01, open transactions roll back, a checkpoint is written. */
  async stopFast(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.stop();
  }

  /**
   * Immediate shutdown (SIGQUIT), as close to a crash as PostgreSQL allows: connections are cut
   * without a goodbye and the next start replays the WAL.
   */
  async stopImmediate(): Promise<void> {
    if (!this.server) return;
    const pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    this.server = null;
    process.kill(pid, 'SIGQUIT');
    await waitFor('PostgreSQL to exit after SIGQUIT', () => !processAlive(pid), 60_000, 50);
  }

  async close(): Promise<void> {
    await this.stopFast().catch(() => undefined);
    rmSync(this.parent, { recursive: true, force: true });
  }
}

/** A small pool of the test's own, for checks and monitoring; it survives database restarts. */
export function adminPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => undefined); // idle connections dropped by a restart: the next query opens a new one
  return pool;
}

// ───────────── the app ─────────────

const NEXT_BIN = resolve('node_modules', 'next', 'dist', 'bin', 'next');

/**
 * The production build, copied into a folder of our own: other work in this checkout may rebuild
 * .next while the fault tests run, which would pull the files from under a running server.
 */
export function productionAppDir(): { dir: string; buildId: string; close(): void } {
  for (let attempt = 1; ; attempt++) {
    ensureProductionBuild();
    const buildId = readFileSync('.next/BUILD_ID', 'utf8').trim();
    const parent = mkdtempSync(join(tmpdir(), 'mandate-faults-app-'));
    const dir = join(parent, 'app');
    mkdirSync(dir);
    cpSync(resolve('.next'), join(dir, '.next'), { recursive: true, verbatimSymlinks: true, filter: (src) => !/[/\\]\.next[/\\](cache|dev|trace|trace-build|standalone)([/\\]|$)/.test(src) });
    for (const file of ['package.json', 'next.config.ts', 'tsconfig.json']) cpSync(file, join(dir, file));
    for (const link of ['node_modules', 'public']) symlinkSync(resolve(link), join(dir, link));
    const same = existsSync('.next/BUILD_ID') && readFileSync('.next/BUILD_ID', 'utf8').trim() === buildId && buildStatus() === 'current';
    if (same || attempt >= 3) return { dir, buildId, close: () => rmSync(parent, { recursive: true, force: true }) };
    // The build changed while we copied it (someone rebuilt): copy again.
    rmSync(parent, { recursive: true, force: true });
  }
}

export type AppEnv = Record<string, string>;

/** One `next start` process on the copied build; its output is kept, not printed. */
export class App {
  private child: ChildProcess;
  private exited: Promise<void>;
  readonly output: string[] = [];
  exitSignal: NodeJS.Signals | null = null;

  private constructor(readonly name: string, readonly port: number, readonly appDir: string, readonly env: AppEnv) {
    this.child = spawn(process.execPath, [NEXT_BIN, 'start', appDir, '--port', String(port), '--hostname', '127.0.0.1'], {
      env: { ...process.env, NEXTAUTH_URL: `http://127.0.0.1:${port}`, ...env, PORT: String(port), NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.output.push(line);
      if (this.output.length > 5000) this.output.splice(0, this.output.length - 5000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((r) => this.child.once('exit', (_code, signal) => ((this.exitSignal = signal), r())));
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  static async start(name: string, appDir: string, env: AppEnv, port?: number): Promise<App> {
    const app = new App(name, port ?? (await freePort()), appDir, env);
    try {
      await Promise.race([
        waitForHealth(app.base, 180_000),
        app.exited.then(() => {
          throw new Error(`${name} exited while starting`);
        }),
      ]);
    } catch (error) {
      app.child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${app.output.slice(-30).join('\n')}`);
    }
    return app;
  }

  /** SIGKILL: no shutdown hooks, no flushing, sockets cut by the kernel. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.alive) this.child.kill('SIGTERM');
    await Promise.race([this.exited, sleep(15_000)]);
    await this.kill();
  }

  /** Lines of its log matching `pattern`. */
  logLines(pattern: RegExp): string[] {
    return this.output.filter((l) => pattern.test(l));
  }
}

// ───────────── HTTP ─────────────

export type Answer = { status: number; headers: Headers; body: unknown; text: string };

/** One HTTP request; network failures are returned (status 0), not thrown, so callers can count them. */
export async function call(base: string, path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string; signal?: AbortSignal } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? (init.body === undefined && init.rawBody === undefined ? 'GET' : 'POST'),
      headers,
      body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      signal: init.signal,
      redirect: 'manual',
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (an RSC payload, an HTML error page)
    }
    return { status: res.status, headers: res.headers, body, text };
  } catch (error) {
    return { status: 0, headers: new Headers(), body: null, text: `${(error as Error).message}${(error as { cause?: Error }).cause ? `: ${(error as { cause: Error }).cause.message}` : ''}` };
  }
}

/** Receipts with deterministic idempotency keys, so a retry resends exactly the same batch. */
export function receiptBatch(prefix: string, count: number): { kind: string; payload: Record<string, unknown>; clientTimestamp: string; idempotencyKey: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: i % 5 === 0 ? 'COMMAND' : 'FILE_WRITE',
    payload: i % 5 === 0 ? { command: 'npm test', exitCode: 0, durationMs: 812 + i } : { path: `src/billing/export/file-${i % 40}.ts`, linesAdded: 12, linesRemoved: 3, hookTool: 'Edit' },
    clientTimestamp: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, i)).toISOString(),
    idempotencyKey: `${prefix}-${i}`,
  }));
}
