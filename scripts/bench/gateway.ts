// `npm run bench:gateway`: what the MCP gateway adds to a tools/call. The same SDK client calls the
// same tool on the fixture MCP server, straight and through the gateway (production build, real
// Postgres, auth + rate limit + boundary check + receipt in the hash chain), interleaved so both see
// the same machine state. Target: the gateway adds at most 5 ms at p99.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { openDatabase } from '../db/database';
import { applyMigrations } from '../db/engine';
import { ensureProductionBuild, generatePrismaClient, startNext, waitForHealth } from '../app-server';
import { freePort } from '../free-port';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const WARMUP = 200;
const TARGET_ADDED_P99_MS = 5;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number) => n.toFixed(2);

async function client(url: string, headers: Record<string, string> = {}) {
  const c = new Client({ name: 'bench', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return c;
}

async function main() {
  generatePrismaClient();
  ensureProductionBuild();
  const { startMcpFixture } = await import('../../lib/testing/mcp-fixture');
  const fixture = await startMcpFixture();
  const database = await openDatabase({ purpose: 'test' });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let app: ReturnType<typeof startNext> | undefined;
  try {
    await applyMigrations(database.url);
    process.env.DATABASE_URL = database.url;
    const { generateSigningKeyPem } = await import('../../lib/evidence/signing');
    process.env.EVIDENCE_SIGNING_KEY = generateSigningKeyPem();
    const { createRunnableContract } = await import('../../lib/testing/factories');
    const { db, closeDb } = await import('../../lib/db');
    const fx = await createRunnableContract({ tools: [{ name: 'read_ticket' }], budget: { maxCostCents: 0, maxToolCalls: 0, maxWallMinutes: 0 } });
    await db.mcpServer.update({ where: { id: fx.server.id }, data: { endpoint: fixture.url } });

    app = startNext('start', port, { ...process.env, NODE_ENV: 'production', DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString('base64url'), NEXTAUTH_URL: base, AGENT_RATE_LIMIT_PER_MINUTE: '100000000' });
    await waitForHealth(base);
    const res = await fetch(`${base}/api/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${fx.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ contract: `MDT-${fx.contract.number}` }) });
    const started = (await res.json()) as { run: { id: string }; runToken: string };
    if (res.status !== 201) throw new Error(`Could not start the run: ${JSON.stringify(started)}`);

    const direct = await client(fixture.url);
    const gateway = await client(`${base}/api/v1/mcp/${fx.server.slug}`, { authorization: `Bearer ${started.runToken}` });
    const args = { name: 'read_ticket', arguments: { id: 'SUP-101' } };
    for (let i = 0; i < WARMUP; i++) {
      await direct.callTool(args);
      await gateway.callTool(args);
    }
    const straight: number[] = [];
    const through: number[] = [];
    const pingStraight: number[] = [];
    const pingThrough: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      let t = performance.now();
      await direct.callTool(args);
      straight.push(performance.now() - t);
      t = performance.now();
      await gateway.callTool(args);
      through.push(performance.now() - t);
      if (i % 4 === 0) {
        t = performance.now();
        await direct.ping();
        pingStraight.push(performance.now() - t);
        t = performance.now();
        await gateway.ping();
        pingThrough.push(performance.now() - t);
      }
    }
    for (const xs of [straight, through, pingStraight, pingThrough]) xs.sort((a, b) => a - b);
    const added50 = pct(through, 50) - pct(straight, 50);
    const added99 = pct(through, 99) - pct(straight, 99);

    const run = await db.run.findUniqueOrThrow({ where: { id: started.run.id }, select: { receiptCount: true, violationCount: true } });
    const { verifyRunEvidence } = await import('../../lib/evidence/verify');
    const { signingKey } = await import('../../lib/evidence/signing');
    const key = signingKey();
    const verdict = await verifyRunEvidence(started.run.id, new Map([[key.keyId, key.publicKey]]));

    console.log('\nMandate MCP gateway benchmark (production build, embedded PostgreSQL, one machine)\n');
    console.log(`  straight  SDK client → fixture                    p50 ${fmt(pct(straight, 50))} ms   p99 ${fmt(pct(straight, 99))} ms   (${SAMPLES} calls)`);
    console.log(`  gateway   SDK client → Mandate → fixture          p50 ${fmt(pct(through, 50))} ms   p99 ${fmt(pct(through, 99))} ms   (${SAMPLES} calls)`);
    console.log(`  added     by the gateway                          p50 ${fmt(added50)} ms   p99 ${fmt(added99)} ms   (target ≤ ${TARGET_ADDED_P99_MS} ms at p99: ${added99 <= TARGET_ADDED_P99_MS ? 'MET' : 'MISSED'})`);
    console.log(`  ping      MCP ping, no tool: straight p50 ${fmt(pct(pingStraight, 50))} ms, through the gateway p50 ${fmt(pct(pingThrough, 50))} ms (the HTTP hop and MCP handling alone)`);
    console.log(`  evidence  ${run.receiptCount} receipts in the run's chain, ${run.violationCount} violations, chain ${verdict.intact ? 'intact' : `BROKEN: ${verdict.reason}`}`);
    await direct.close();
    await gateway.close();
    await closeDb();
    if (!verdict.intact || run.receiptCount < SAMPLES + WARMUP) process.exitCode = 1;
  } finally {
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await new Promise((r) => app!.once('exit', r));
    }
    await database.close();
    await fixture.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
