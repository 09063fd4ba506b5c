// `npm run bench:gateway`: what the MCP gateway adds to a tools/call. The same SDK client calls the
// same tool on the fixture MCP server (in its own process) straight, through the gateway's own
// listener (MANDATE_GATEWAY_PORT) and through the Next.js route on the app port: production build,
// real Postgres, auth, rate limit, boundary check and a receipt in the hash chain per call. Calls are
// interleaved so every path sees the same machine state. Target: at most 5 ms added at p99.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { scratchDatabase } from './scratch';
import { ensureProductionBuild, generatePrismaClient, startFixtureProcess, startNext, waitForHealth } from '../app-server';
import { freePort } from '../free-port';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const WARMUP = 200;
const TARGET_ADDED_P99_MS = 5;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number) => n.toFixed(2);

/** The gateway's own figures from each answer's Server-Timing header (its share, without the upstream). */
const gatewayShare: number[] = [];
const timedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const share = /gateway;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1];
  if (share) gatewayShare.push(Number(share));
  return res;
};

async function client(url: string, headers: Record<string, string> = {}, fetcher: typeof fetch = fetch) {
  const c = new Client({ name: 'bench', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers }, fetch: fetcher }));
  return c;
}

async function main() {
  generatePrismaClient();
  ensureProductionBuild();
  // The upstream in its own process, as it would be on its own machine.
  const fixture = await startFixtureProcess(await freePort());
  const database = await scratchDatabase();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let app: ReturnType<typeof startNext> | undefined;
  try {
    const { createRunnableContract } = await import('../../lib/testing/factories');
    const { db, closeDb } = await import('../../lib/db');
    const fx = await createRunnableContract({ tools: [{ name: 'read_ticket' }], budget: { maxCostCents: 0, maxToolCalls: 0, maxWallMinutes: 0 } });
    await db.mcpServer.update({ where: { id: fx.server.id }, data: { endpoint: fixture.url } });

    const listenerPort = await freePort();
    app = startNext('start', port, { ...process.env, MANDATE_GATEWAY_PORT: String(listenerPort), NODE_ENV: 'production', DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString('base64url'), NEXTAUTH_URL: base, AGENT_RATE_LIMIT_PER_MINUTE: '100000000' });
    await waitForHealth(base);
    const res = await fetch(`${base}/api/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${fx.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ contract: `MDT-${fx.contract.number}` }) });
    const started = (await res.json()) as { run: { id: string }; runToken: string };
    if (res.status !== 201) throw new Error(`Could not start the run: ${JSON.stringify(started)}`);

    const direct = await client(fixture.url);
    const auth = { authorization: `Bearer ${started.runToken}` };
    const gateway = await client(`http://127.0.0.1:${listenerPort}/api/v1/mcp/${fx.server.slug}`, auth, timedFetch);
    const viaNext = await client(`${base}/api/v1/mcp/${fx.server.slug}`, auth);
    const args = { name: 'read_ticket', arguments: { id: 'SUP-101' } };
    for (let i = 0; i < WARMUP; i++) {
      await direct.callTool(args);
      await gateway.callTool(args);
      await viaNext.callTool(args);
    }
    gatewayShare.length = 0;
    const throughNext: number[] = [];
    const floor: number[] = [];
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
      if (i % 2 === 0) {
        t = performance.now();
        await viaNext.callTool(args);
        throughNext.push(performance.now() - t);
      }
      if (i % 4 === 0) {
        t = performance.now();
        await (await fetch(`${base}/api/health`)).text();
        floor.push(performance.now() - t);
        t = performance.now();
        await direct.ping();
        pingStraight.push(performance.now() - t);
        t = performance.now();
        await gateway.ping();
        pingThrough.push(performance.now() - t);
      }
    }
    for (const xs of [straight, through, throughNext, pingStraight, pingThrough, floor, gatewayShare]) xs.sort((a, b) => a - b);
    const added50 = pct(through, 50) - pct(straight, 50);
    const added99 = pct(through, 99) - pct(straight, 99);

    const run = await db.run.findUniqueOrThrow({ where: { id: started.run.id }, select: { receiptCount: true, violationCount: true } });
    const { verifyRunEvidence } = await import('../../lib/evidence/verify');
    const { signingKey } = await import('../../lib/evidence/signing');
    const key = signingKey();
    const verdict = await verifyRunEvidence(started.run.id, new Map([[key.keyId, key.publicKey]]));

    console.log('\nMandate MCP gateway benchmark (production build, embedded PostgreSQL, one machine)\n');
    console.log(`  straight  SDK client → fixture                    p50 ${fmt(pct(straight, 50))} ms   p99 ${fmt(pct(straight, 99))} ms   (${SAMPLES} calls)`);
    console.log(`  gateway   SDK client → Mandate listener → fixture p50 ${fmt(pct(through, 50))} ms   p99 ${fmt(pct(through, 99))} ms   (${SAMPLES} calls)`);
    console.log(`  added     by the gateway                          p50 ${fmt(added50)} ms   p99 ${fmt(added99)} ms   (target ≤ ${TARGET_ADDED_P99_MS} ms at p99: ${added99 <= TARGET_ADDED_P99_MS ? 'MET' : 'MISSED'})`);
    console.log(`  app port  SDK client → Next.js route → fixture    p50 ${fmt(pct(throughNext, 50))} ms   p99 ${fmt(pct(throughNext, 99))} ms   (${throughNext.length} calls; adds p50 ${fmt(pct(throughNext, 50) - pct(straight, 50))} ms, p99 ${fmt(pct(throughNext, 99) - pct(straight, 99))} ms)`);
    console.log(`  of which  the gateway's own work (Server-Timing)     p50 ${fmt(pct(gatewayShare, 50))} ms   p99 ${fmt(pct(gatewayShare, 99))} ms   (auth, checks, MCP handling; no upstream)`);
    console.log(`  context   MCP ping: straight p50 ${fmt(pct(pingStraight, 50))} ms, through the gateway p50 ${fmt(pct(pingThrough, 50))} ms · Next.js floor GET /api/health p50 ${fmt(pct(floor, 50))} ms`);
    console.log(`  evidence  ${run.receiptCount} receipts in the run's chain, ${run.violationCount} violations, chain ${verdict.intact ? 'intact' : `BROKEN: ${verdict.reason}`}`);
    await direct.close();
    await gateway.close();
    await viaNext.close();
    await closeDb();
    if (!verdict.intact || run.receiptCount < SAMPLES * 1.5 + WARMUP * 2) process.exitCode = 1;
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
