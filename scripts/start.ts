// `npm start` (production build) and `npm run dev` (next dev): one command from a fresh clone to a
// running, migrated, seeded Mandate. Uses DATABASE_URL when set, else an embedded PostgreSQL.
import { assertPortFree, ensureProductionBuild, ensureSigningKey, generatePrismaClient, localSecret, seedDemo, startNext, waitForHealth } from './app-server';

const mode = process.argv.includes('--dev') ? 'dev' : 'start';
const port = Number(process.env.PORT ?? 3000);

function demoMode(embedded: boolean): boolean {
  const v = process.env.MANDATE_DEMO;
  return v === undefined || v === '' ? embedded : ['1', 'true', 'yes'].includes(v);
}

async function main() {
  const startedAt = Date.now();
  await assertPortFree(port, 'Stop the other process or choose another port: PORT=3001 npm start');
  generatePrismaClient();
  if (mode === 'start') ensureProductionBuild();

  // Imported after generation: these modules load the generated Prisma client.
  const { openDatabase } = await import('./db/database');
  const { applyMigrations } = await import('./db/engine');

  const database = await openDatabase({ purpose: 'dev' });
  let child: ReturnType<typeof startNext> | undefined;
  let fixture: { url: string; close(): Promise<void> } | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await fixture?.close();
    await database.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    console.log(`Database: ${database.describe}`);
    const applied = await applyMigrations(database.url);
    console.log(applied.length ? `✓ Applied migrations: ${applied.join(', ')}` : '✓ Database schema is up to date');

    await ensureSigningKey(database.embedded);
    const demo = demoMode(database.embedded);
    if (demo) {
      // The demo's Support desk MCP server, so calls through the gateway really run.
      fixture = await startDemoMcpServer();
      await seedDemo(database.url);
    }

    const secret = process.env.NEXTAUTH_SECRET || (database.embedded ? localSecret() : undefined);
    if (!secret) throw new Error('NEXTAUTH_SECRET is not set. With DATABASE_URL, set a secret of at least 32 characters (openssl rand -base64 32).');
    const baseUrl = `http://localhost:${port}`;
    child = startNext(mode, port, {
      ...process.env,
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: process.env.NEXTAUTH_URL || baseUrl,
      MANDATE_DEMO: demo ? '1' : '0',
    });
    child.once('exit', (code) => void stop(code ?? 1));
    await waitForHealth(baseUrl);
    console.log(`\nMandate is listening on ${baseUrl}`);
    console.log(`  database: ${database.describe}`);
    if (fixture) console.log(`  demo MCP server (Support desk): ${fixture.url}, through the gateway at ${baseURLFor(port)}/api/v1/mcp/support-desk`);
    console.log(`  ready ${((Date.now() - startedAt) / 1000).toFixed(1)} s after start${demo ? ' · demo mode: the sign-in page lists the demo accounts' : ''}`);
    console.log('  Ctrl-C stops the app and the embedded database.\n');
  } catch (error) {
    console.error(`\n✗ ${(error as Error).message}`);
    await stop(1);
  }
}

function baseURLFor(p: number) {
  return `http://localhost:${p}`;
}

/** The fixture MCP server on MCP_FIXTURE_PORT (default 3100), or on a free port when that one is taken. */
async function startDemoMcpServer() {
  const { startMcpFixture } = await import('../lib/testing/mcp-fixture');
  const wanted = Number(process.env.MCP_FIXTURE_PORT ?? 3100);
  const fx = await startMcpFixture(wanted).catch(() => startMcpFixture(0));
  process.env.MANDATE_DEMO_MCP_URL = fx.url;
  return fx;
}

main().catch((error) => {
  console.error(`\n✗ ${(error as Error).message}`);
  process.exit(1);
});
