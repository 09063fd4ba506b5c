import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { buildStatus } from './build-status';

const NEXT_BIN = join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');

/** Runs a step in the foreground, streaming its output; throws with the step's name when it fails. */
export function runStep(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
  console.log(`✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

export function generatePrismaClient(): void {
  runStep('Prisma client generated', process.execPath, ['--import', 'tsx', 'scripts/db/generate.ts']);
}

/** Builds the production app when there is no build, or a source changed after the last one. */
export function ensureProductionBuild(env: NodeJS.ProcessEnv = process.env): void {
  const status = buildStatus();
  if (status === 'current') {
    console.log('✓ Production build is current');
    return;
  }
  console.log(status === 'missing' ? 'No production build yet: building it now (about a minute)…' : 'Sources changed since the last build: rebuilding…');
  runStep('Production build', process.execPath, [NEXT_BIN, 'build'], { ...env, NEXT_TELEMETRY_DISABLED: '1' });
}

export async function assertPortFree(port: number, hint: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', () => reject(new Error(`Port ${port} is already in use. ${hint}`)));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve()));
  });
}

/** A session secret for embedded (demo) mode, made once and kept beside the embedded data. */
export function localSecret(file = join('.data', 'nextauth-secret')): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * The evidence signing key (Ed25519, outside the database). Set EVIDENCE_SIGNING_KEY_FILE or
 * EVIDENCE_SIGNING_KEY in production; with the embedded database one is made on first start and
 * kept beside the data. Sets EVIDENCE_SIGNING_KEY_FILE for this process and the app it starts.
 */
export async function ensureSigningKey(embedded: boolean, file = join('.data', 'evidence-signing-key.pem')): Promise<void> {
  if (process.env.EVIDENCE_SIGNING_KEY || process.env.EVIDENCE_SIGNING_KEY_FILE) return;
  if (!embedded) {
    throw new Error('No evidence signing key. Set EVIDENCE_SIGNING_KEY_FILE to an Ed25519 private key (npm run evidence:keygen -- --out <file> writes one).');
  }
  if (!existsSync(file)) {
    const { generateSigningKeyPem } = await import('../lib/evidence/signing');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, generateSigningKeyPem(), { mode: 0o600 });
    chmodSync(file, 0o600);
    console.log(`✓ Made an evidence signing key in ${file} (keep it safe; its public half is on the Integrations page)`);
  }
  process.env.EVIDENCE_SIGNING_KEY_FILE = file;
}

export function startNext(mode: 'start' | 'dev', port: number, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, mode, '--port', String(port)], {
    stdio: 'inherit',
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
  });
}

/** Polls /api/health until the app answers 200, or gives up after `timeoutMs`. */
export async function waitForHealth(baseUrl: string, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The app did not answer on ${baseUrl}/api/health within ${timeoutMs / 1000} s`);
}

/** Seeds the demo organisation (idempotent). Imported lazily: it needs the generated client. */
export async function seedDemo(databaseUrl: string): Promise<void> {
  const [{ seedDemoOrg }, { PrismaClient }, { PrismaPg }] = await Promise.all([
    import('../prisma/seed/demo-org'),
    import('../lib/generated/prisma/client'),
    import('@prisma/adapter-pg'),
  ]);
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  try {
    const started = Date.now();
    const { created, summary } = await seedDemoOrg(client);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    const counts = Object.entries(summary).map(([k, v]) => `${v} ${k}`).join(', ');
    console.log(created ? `✓ Seeded the demo organisation Northwind Ledger in ${took} s (${counts})` : `✓ Demo organisation already present (${counts})`);
  } finally {
    await client.$disconnect();
  }
}

/** The fixture MCP server (scripts/mcp-fixture.ts) as a child process; resolves once it listens. */
export function startFixtureProcess(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/mcp-fixture.ts'], { env: { ...process.env, MCP_FIXTURE_PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url, close });
    });
    child.once('exit', (code) => reject(new Error(`The fixture MCP server stopped (exit ${code}): ${out}`)));
  });
}
