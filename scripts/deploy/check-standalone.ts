// `npm run deploy:check`: the Docker image's runtime, checked without Docker. Builds the standalone
// output when it is missing or stale, lays it out in a temporary folder exactly as the Dockerfile's
// runtime stage does (.next/standalone, .next/static, public/, a writable .next/cache, code owned by
// the invoking user), migrates a scratch database with the migrate stage's command, seeds the demo
// organisation, starts `node server.js` as an unprivileged user (as root: `nobody`, or --user), and
// checks health, static files, headers, the signing key, sign-in and a signed-in page. Exit 1 on any
// failure. Options: --no-build (fail instead of building), --user <name>, --keep (keep the folder).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { buildStatus } from '../build-status';
import { freePort } from '../free-port';
import { generatePrismaClient, runStep } from '../app-server';
import { openDatabase, type OpenDatabase } from '../db/database';

const DEMO_EMAIL = 'priya.raman@northwind.example';
const DEMO_PASSWORD = 'mandate-demo-2026';
const NEXT_BIN = join('node_modules', 'next', 'dist', 'bin', 'next');
// What the runtime stage must carry: serverExternalPackages are loaded from node_modules, not the bundle.
const REQUIRED_PACKAGES = ['next', 'react', 'pg', '@prisma/adapter-pg', '@prisma/client', '@node-rs/argon2'];

const { values: opts } = parseArgs({ options: { 'no-build': { type: 'boolean' }, user: { type: 'string' }, keep: { type: 'boolean' } } });

let failures = 0;
function check(ok: boolean, what: string, detail = ''): boolean {
  if (!ok) failures++;
  console.log(`${ok ? '✓' : '✗'} ${what}${detail ? ` — ${detail}` : ''}`);
  return ok;
}

function fail(message: string): never {
  throw new Error(message);
}

// ───────────── build ─────────────

/** The standalone output is current when the build is and server.js was written after BUILD_ID. */
function standaloneStatus(): 'current' | 'missing' | 'stale' {
  const server = join('.next', 'standalone', 'server.js');
  if (!existsSync(server)) return 'missing';
  if (buildStatus() !== 'current') return 'stale';
  return statSync(server).mtimeMs >= statSync(join('.next', 'BUILD_ID')).mtimeMs ? 'current' : 'stale';
}

function ensureStandaloneBuild(): void {
  generatePrismaClient();
  const status = standaloneStatus();
  if (status === 'current') {
    console.log('✓ Standalone build is current (.next/standalone)');
    return;
  }
  if (opts['no-build']) fail(`The standalone build is ${status}; run \`npm run build\` or drop --no-build.`);
  console.log(status === 'missing' ? 'No standalone build yet: building (about a minute)…' : 'Sources changed since the last build: rebuilding…');
  runStep('Production build', process.execPath, [NEXT_BIN, 'build'], { ...process.env, NEXT_TELEMETRY_DISABLED: '1' });
  if (!existsSync(join('.next', 'standalone', 'server.js'))) fail("next build wrote no .next/standalone/server.js: is output: 'standalone' in next.config.ts?");
}

// ───────────── layout ─────────────

type Walked = { files: number; bytes: number; links: { path: string; target: string }[]; names: string[] };

function walk(dir: string, out: Walked = { files: 0, bytes: 0, links: [], names: [] }): Walked {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      out.links.push({ path, target: realpathSync(path) });
    } else if (entry.isDirectory()) {
      walk(path, out);
    } else {
      out.files++;
      out.bytes += lstatSync(path).size;
      out.names.push(path);
    }
  }
  return out;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The Dockerfile's runtime stage: COPY standalone → /app, .next/static → /app/.next/static, public → /app/public. */
function assemble(app: string, owner: { uid: number; gid: number } | null): void {
  // Relative symlinks (Turbopack links hashed external names to node_modules) stay relative, as COPY keeps them.
  cpSync(join('.next', 'standalone'), app, { recursive: true, verbatimSymlinks: true });
  cpSync(join('.next', 'static'), join(app, '.next', 'static'), { recursive: true });
  cpSync('public', join(app, 'public'), { recursive: true });
  mkdirSync(join(app, '.next', 'cache'), { recursive: true });
  if (owner) chownSync(join(app, '.next', 'cache'), owner.uid, owner.gid);
}

function checkLayout(app: string): void {
  const all = walk(app);
  const modules = walk(join(app, 'node_modules'));
  check(existsSync(join(app, 'server.js')), 'server.js at the top of the standalone folder');
  console.log(`  standalone folder as the image gets it: ${all.files} files, ${mb(all.bytes)} (node_modules ${mb(modules.bytes)}, .next/static ${mb(walk(join(app, '.next', 'static')).bytes)})`);
  const missing = REQUIRED_PACKAGES.filter((p) => !existsSync(join(app, 'node_modules', p, 'package.json')));
  check(missing.length === 0, `traced node_modules hold ${REQUIRED_PACKAGES.join(', ')}`, missing.length ? `missing: ${missing.join(', ')}` : '');
  const nodeRs = existsSync(join(app, 'node_modules', '@node-rs')) ? readdirSync(join(app, 'node_modules', '@node-rs')) : [];
  const binding = nodeRs.find((d) => d.startsWith('argon2-') && readdirSync(join(app, 'node_modules', '@node-rs', d)).some((f) => f.endsWith('.node')));
  check(Boolean(binding), 'argon2 native binding traced', binding ? `@node-rs/${binding}` : `found only ${nodeRs.join(', ') || 'nothing'}`);
  check(existsSync(join(app, 'node_modules', '@prisma', 'client', 'runtime', 'client.js')), "Prisma's client runtime (query compiler) traced");
  const outside = all.links.filter((l) => relative(app, l.target).startsWith('..'));
  check(outside.length === 0, `${all.links.length} symlinks, all inside the folder`, outside.map((l) => `${relative(app, l.path)} → ${l.target}`).join(', '));
  const leaked = all.names.filter((n) => /(^|\/)\.env(\..*)?$|\.pem$/.test(n) || n.includes(`${sep}.data${sep}`)).map((n) => relative(app, n));
  check(leaked.length === 0, 'no .env file, key or .data in the folder', leaked.join(', '));
}

// ───────────── the user the server runs as ─────────────

function lookupUser(name: string): { name: string; uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) fail(`No user ${name} on this machine (id -u ${name}: ${uid.stderr.trim()})`);
  return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}

function userName(uid: number): string {
  const r = spawnSync('id', ['-nu', String(uid)], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : String(uid);
}

// ───────────── HTTP ─────────────

class Jar {
  private cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  has(predicate: (name: string) => boolean): boolean {
    return [...this.cookies.keys()].some(predicate);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function signIn(base: string, password: string): Promise<{ jar: Jar; status: number; location: string }> {
  const jar = new Jar();
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  jar.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, email: DEMO_EMAIL, password, callbackUrl: `${base}/` }),
  });
  jar.take(res);
  return { jar, status: res.status, location: res.headers.get('location') ?? '' };
}

async function waitForHealth(base: string, child: ChildProcess, timeoutMs = 90_000): Promise<Response> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode) fail(`server.js exited (${child.exitCode ?? child.signalCode}) before answering`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.status !== 503) return res;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`no answer on ${base}/api/health within ${timeoutMs / 1000} s`);
}

async function checkServer(base: string, keyId: string): Promise<void> {
  const health = await fetch(`${base}/api/health`);
  const body = await health.text();
  check(health.status === 200 && body.includes('"ready"'), 'GET /api/health → 200 (what the HEALTHCHECK asks)', `${health.status} ${body}`);

  const signInPage = await fetch(`${base}/sign-in`);
  const html = await signInPage.text();
  check(signInPage.status === 200 && html.includes('<form'), 'GET /sign-in renders', String(signInPage.status));
  const h = signInPage.headers;
  check(h.get('x-frame-options') === 'DENY' && (h.get('content-security-policy') ?? '').includes("frame-ancestors 'none'") && !h.has('x-powered-by'), 'security headers (X-Frame-Options, CSP frame-ancestors), no X-Powered-By');
  const asset = /\/_next\/static\/[^"'\s]+\.(?:js|css)/.exec(html)?.[0];
  const assetRes = asset ? await fetch(`${base}${asset}`) : undefined;
  check(assetRes?.status === 200, 'a /_next/static asset the page references is served (.next/static copied)', asset ? `${asset} → ${assetRes?.status}` : 'no asset referenced');
  const hook = await fetch(`${base}/integrations/mandate-hook.mjs`);
  check(hook.status === 200, 'GET /integrations/mandate-hook.mjs → 200 (public/ copied)', String(hook.status));

  const key = await fetch(`${base}/api/evidence-key`);
  const pem = await key.text();
  check(key.status === 200 && pem.includes('BEGIN PUBLIC KEY') && key.headers.get('x-key-id') === keyId, 'GET /api/evidence-key serves the public half of the mounted key file', `${key.status}, key id ${key.headers.get('x-key-id')}`);

  const anonymous = await fetch(`${base}/`, { redirect: 'manual' });
  check([302, 303, 307].includes(anonymous.status) && (anonymous.headers.get('location') ?? '').includes('/sign-in'), 'GET / without a session redirects to /sign-in', `${anonymous.status} → ${anonymous.headers.get('location')}`);

  const wrong = await signIn(base, 'not-the-password');
  check(!wrong.jar.has((n) => n.includes('session-token')) && wrong.location.includes('error='), 'sign-in with a wrong password is refused', `${wrong.status} → ${wrong.location}`);

  const right = await signIn(base, DEMO_PASSWORD);
  check(right.jar.has((n) => n.includes('session-token')), `sign-in as ${DEMO_EMAIL} (credentials) sets a session cookie`, `${right.status} → ${right.location}`);
  const session = await fetch(`${base}/api/auth/session`, { headers: { Cookie: right.jar.header() } });
  const sessionBody = (await session.json()) as { user?: { email?: string } };
  check(sessionBody.user?.email === DEMO_EMAIL, 'GET /api/auth/session names the signed-in user', JSON.stringify(sessionBody.user ?? null));

  const home = await fetch(`${base}/`, { headers: { Cookie: right.jar.header() }, redirect: 'manual' });
  const homeHtml = await home.text();
  check(home.status === 200 && homeHtml.includes('Priya') && homeHtml.includes('Senior Software Engineer'), 'GET / (My work) renders for the signed-in user', String(home.status));
  const contracts = await fetch(`${base}/contracts?q=refund+policy`, { headers: { Cookie: right.jar.header() }, redirect: 'manual' });
  const contractsHtml = await contracts.text();
  check(contracts.status === 200 && contractsHtml.includes('Fix typo in refund policy docs'), 'GET /contracts?q=refund+policy finds a seeded contract in Postgres', String(contracts.status));
}

// ───────────── main ─────────────

async function main(): Promise<void> {
  const root = process.getuid?.() === 0;
  const runAs = opts.user ? lookupUser(opts.user) : root ? lookupUser('nobody') : null;
  if (runAs && !root) fail('--user needs root (the server is started with that uid and gid).');
  console.log(`Checking the standalone server the Docker image runs (${process.cwd()})`);

  ensureStandaloneBuild();

  const dir = mkdtempSync(join(tmpdir(), 'mandate-standalone-'));
  chmodSync(dir, 0o755); // mkdtemp makes it 0700; the server's user must reach the app inside
  const app = join(dir, 'app');
  let database: OpenDatabase | undefined;
  let server: ChildProcess | undefined;
  const logs: string[] = [];
  try {
    assemble(app, runAs);
    console.log(`Laid out like the image's /app in ${app}`);
    checkLayout(app);

    // The signing key, as README's Deploying section makes it: keygen, then readable by the app's user only.
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets, { mode: 0o755 });
    const keyFile = join(secrets, 'evidence-signing-key.pem');
    const keygen = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/evidence/keygen.ts', '--out', keyFile], { encoding: 'utf8' });
    const keyId = /Key id: (\S+)/.exec(keygen.stdout)?.[1] ?? '';
    if (!check(keygen.status === 0 && Boolean(keyId), 'npm run evidence:keygen wrote a signing key', keygen.stderr.trim())) fail('no signing key');
    if (runAs) chownSync(keyFile, runAs.uid, runAs.gid);
    check((statSync(keyFile).mode & 0o777) === 0o600, 'the key file is mode 0600', `owner uid ${statSync(keyFile).uid}`);

    database = await openDatabase({ purpose: 'test' });
    console.log(`Database: ${database.describe}`);
    const migrate = () => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db/migrate.ts'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: database!.url } });
    const first = migrate();
    check(first.status === 0 && /Applied \d+ migration/.test(first.stdout), "the migrate stage's command applies the migrations", `${first.stdout.match(/Applied \d+ migration\(s\)/)?.[0] ?? first.stdout + first.stderr}`);
    const again = migrate();
    check(again.status === 0 && again.stdout.includes('up to date'), 'running it again (every compose up does) changes nothing', again.stdout.trim().split('\n').at(-1));
    const seed = spawnSync(process.execPath, ['--import', 'tsx', 'prisma/seed.ts'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: database.url, EVIDENCE_SIGNING_KEY_FILE: keyFile } });
    if (!check(seed.status === 0, 'the demo seed (compose profile demo) runs', seed.stdout.trim().split('\n').at(-1))) fail(seed.stderr);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
      NEXTAUTH_URL: base,
      EVIDENCE_SIGNING_KEY_FILE: keyFile,
      MANDATE_DEMO: '0',
    };
    const started = Date.now();
    server = spawn(process.execPath, ['server.js'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) });
    server.stdout!.on('data', (b: Buffer) => logs.push(b.toString()));
    server.stderr!.on('data', (b: Buffer) => logs.push(b.toString()));
    await waitForHealth(base, server);
    const uid = uidOf(server.pid!);
    console.log(`node server.js answered after ${((Date.now() - started) / 1000).toFixed(1)} s on ${base}, pid ${server.pid}`);
    check(uid !== 0, 'the server runs as a non-root user', `uid ${uid} (${userName(uid)})`);

    await checkServer(base, keyId);

    const permissionErrors = logs.join('').split('\n').filter((l) => /EACCES|EPERM|EROFS|permission denied/i.test(l));
    check(permissionErrors.length === 0, 'no permission errors in the server log', permissionErrors.join(' | '));

    const stopping = Date.now();
    const exited = new Promise<string>((r) => server!.once('exit', (code, signal) => r(code === null ? String(signal) : `exit ${code}`)));
    server.kill('SIGTERM');
    const how = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 10_000))]);
    check(how !== 'timeout', 'SIGTERM stops the server', `${how} after ${Date.now() - stopping} ms`);
  } catch (error) {
    check(false, (error as Error).message);
  } finally {
    if (server && server.exitCode === null && !server.signalCode) server.kill('SIGKILL');
    if (failures && logs.length) console.log(`\nserver.js output:\n${logs.join('').split('\n').slice(-40).join('\n')}`);
    await database?.close();
    if (opts.keep) console.log(`Kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  console.log(failures ? `\n✗ ${failures} check(s) failed` : '\n✓ The standalone server works as the image runs it');
  process.exit(failures ? 1 : 0);
}

await main();
