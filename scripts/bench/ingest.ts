// `npm run bench:ingest`: evidence ingest and boundary-check speed through the real API (production
// build, real Postgres), each figure next to a yardstick measured in the same run:
//   ceiling  the same receipt rows inserted straight into Postgres with batched SQL (8 connections)
//   floor    a trivial authenticated endpoint (GET /api/v1/me)
// Targets: API ingest (8 clients, batches of 100, chain on) ≥ 0.5× the ceiling; check p99 ≤ 2× the floor's p99.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { scratchDatabase } from './scratch';
import { ensureProductionBuild, generatePrismaClient, startNext, waitForHealth } from '../app-server';
import { freePort } from '../free-port';

const CLIENTS = 8;
const BATCH = 100;
const BATCHES_PER_CLIENT = Number(process.env.BENCH_BATCHES ?? 40);
const SINGLES_PER_CLIENT = Number(process.env.BENCH_SINGLES ?? 300);
const LATENCY_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1500);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number, digits = 1) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
}

let seq = 0;
function receipt(i: number) {
  seq++;
  return {
    kind: i % 5 === 0 ? 'COMMAND' : 'FILE_WRITE',
    payload: i % 5 === 0 ? { command: 'npm test', exitCode: 0, durationMs: 8123 } : { path: `src/billing/export/file-${i % 50}.ts`, linesAdded: 12, linesRemoved: 3, hookTool: 'Edit' },
    clientTimestamp: new Date().toISOString(),
    idempotencyKey: `bench-${seq}-${randomBytes(4).toString('hex')}`,
  };
}

async function main() {
  generatePrismaClient();
  ensureProductionBuild();
  const database = await scratchDatabase();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let app: ReturnType<typeof startNext> | undefined;
  try {
    const { createRunnableContract } = await import('../../lib/testing/factories');
    const { closeDb } = await import('../../lib/db');

    // Fixtures: one contract per client (and one for the check and contention runs), unlimited budgets.
    const fixtures = [];
    for (let i = 0; i < CLIENTS + 2; i++) {
      fixtures.push(await createRunnableContract({ allowGlobs: ['src/billing/**', 'tests/**'], localCommands: ['npm test'], budget: { maxCostCents: 0, maxToolCalls: 0, maxWallMinutes: 0 } }));
    }

    app = startNext('start', port, { ...process.env, NODE_ENV: 'production', DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString('base64url'), NEXTAUTH_URL: base, AGENT_RATE_LIMIT_PER_MINUTE: '100000000' });
    await waitForHealth(base);

    const call = async (path: string, token: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await res.json();
      if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const runs: { id: string; token: string; agentToken: string }[] = [];
    for (const f of fixtures) {
      const started = await call('/api/v1/runs', f.agentToken, { contract: `MDT-${f.contract.number}` });
      runs.push({ id: started.run.id as string, token: started.runToken as string, agentToken: f.agentToken });
    }
    const checkRun = runs[CLIENTS]!;
    const sharedRun = runs[CLIENTS + 1]!;

    // Warm up every route once (Next compiles lazily on first hit in some paths).
    for (let i = 0; i < 50; i++) {
      await call('/api/v1/me', checkRun.agentToken);
      await call(`/api/v1/runs/${checkRun.id}/check`, checkRun.token, { action: { type: 'file_write', path: 'src/billing/a.ts' } });
    }
    await call(`/api/v1/runs/${checkRun.id}/receipts`, checkRun.token, { receipts: [receipt(0)] });

    // Floor and check latency, sequential, interleaved so both see the same machine state.
    const me: number[] = [];
    const check: number[] = [];
    const actions = [
      { type: 'file_write', path: 'src/billing/export/csv.ts' },
      { type: 'file_read', path: 'config/.env' },
      { type: 'command', command: 'npm test -- billing && git diff' },
      { type: 'file_write', path: 'src/auth/session.ts' },
    ];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      me.push((await timed(() => call('/api/v1/me', checkRun.agentToken)))[1]);
      check.push((await timed(() => call(`/api/v1/runs/${checkRun.id}/check`, checkRun.token, { action: actions[i % actions.length], toolUseId: `toolu_bench_${i}` })))[1]);
    }
    me.sort((a, b) => a - b);
    check.sort((a, b) => a - b);

    // API ingest: 8 clients, each on its own run, batches of 100.
    const [, batchMs] = await timed(() =>
      Promise.all(
        runs.slice(0, CLIENTS).map(async (r) => {
          for (let b = 0; b < BATCHES_PER_CLIENT; b++) await call(`/api/v1/runs/${r.id}/receipts`, r.token, { receipts: Array.from({ length: BATCH }, (_, i) => receipt(i)) });
        }),
      ),
    );
    const batchRate = (CLIENTS * BATCHES_PER_CLIENT * BATCH) / (batchMs / 1000);

    // API ingest: 8 clients, single receipts.
    const [, singleMs] = await timed(() =>
      Promise.all(
        runs.slice(0, CLIENTS).map(async (r) => {
          for (let s = 0; s < SINGLES_PER_CLIENT; s++) await call(`/api/v1/runs/${r.id}/receipts`, r.token, receipt(s));
        }),
      ),
    );
    const singleRate = (CLIENTS * SINGLES_PER_CLIENT) / (singleMs / 1000);

    // One run, 8 writers (they queue on the run's lock): the chain's serial cost.
    const [, sharedMs] = await timed(() =>
      Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let b = 0; b < BATCHES_PER_CLIENT / 4; b++) await call(`/api/v1/runs/${sharedRun.id}/receipts`, sharedRun.token, { receipts: Array.from({ length: BATCH }, (_, i) => receipt(i)) });
        }),
      ),
    );
    const sharedRate = (CLIENTS * (BATCHES_PER_CLIENT / 4) * BATCH) / (sharedMs / 1000);

    // Ceiling: the same rows straight into Postgres, batched multi-row INSERTs of 100, 8 connections.
    const rawRunIds = runs.slice(0, CLIENTS).map((r) => r.id);
    const pools = await Promise.all(rawRunIds.map(async () => {
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      return c;
    }));
    let rawSeq = 1_000_000;
    const [, rawMs] = await timed(() =>
      Promise.all(
        pools.map(async (client, w) => {
          for (let b = 0; b < BATCHES_PER_CLIENT; b++) {
            const values: unknown[] = [];
            const rows: string[] = [];
            for (let i = 0; i < BATCH; i++) {
              const r = receipt(i);
              const n = values.length;
              rows.push(`($${n + 1}, $${n + 2}, $${n + 3}::"ReceiptKind", $${n + 4}::jsonb, $${n + 5}, now(), $${n + 6}, NULL, false, NULL, $${n + 7}, $${n + 8})`);
              values.push(rawRunIds[w], rawSeq++, r.kind, JSON.stringify(r.payload), r.clientTimestamp, r.idempotencyKey, randomBytes(32).toString('hex'), randomBytes(32).toString('hex'));
            }
            await client.query(
              `INSERT INTO "EvidenceReceipt" ("runId", "seq", "kind", "payload", "clientTimestamp", "receivedAt", "idempotencyKey", "toolUseId", "violation", "violationReason", "prevHash", "hash") VALUES ${rows.join(', ')}`,
              values,
            );
          }
        }),
      ),
    );
    const rawRate = (CLIENTS * BATCHES_PER_CLIENT * BATCH) / (rawMs / 1000);
    // …and one row per INSERT (one commit each), the yardstick for single receipts.
    const [, rawSingleMs] = await timed(() =>
      Promise.all(
        pools.map(async (client, w) => {
          for (let i = 0; i < SINGLES_PER_CLIENT; i++) {
            const r = receipt(i);
            await client.query(
              `INSERT INTO "EvidenceReceipt" ("runId", "seq", "kind", "payload", "clientTimestamp", "receivedAt", "idempotencyKey", "toolUseId", "violation", "violationReason", "prevHash", "hash") VALUES ($1, $2, $3::"ReceiptKind", $4::jsonb, $5, now(), $6, NULL, false, NULL, $7, $8)`,
              [rawRunIds[w], rawSeq++, r.kind, JSON.stringify(r.payload), r.clientTimestamp, r.idempotencyKey, randomBytes(32).toString('hex'), randomBytes(32).toString('hex')],
            );
          }
        }),
      ),
    );
    await Promise.all(pools.map((c) => c.end()));
    const rawSingleRate = (CLIENTS * SINGLES_PER_CLIENT) / (rawSingleMs / 1000);

    // The chains written through the API still verify.
    process.env.DATABASE_URL = database.url;
    const { verifyRunEvidence } = await import('../../lib/evidence/verify');
    const { signingKey } = await import('../../lib/evidence/signing');
    const key = signingKey();
    const verdicts = await Promise.all([sharedRun.id, runs[0]!.id].map((id) => verifyRunEvidence(id, new Map([[key.keyId, key.publicKey]]))));
    // runs[0] also got raw rows with seq far beyond its chain: only the shared run is a pure API chain.
    const sharedVerdict = verdicts[0]!;

    const ingestRatio = batchRate / rawRate;
    const checkRatio = pct(check, 99) / pct(me, 99);
    console.log('\nMandate ingest benchmark (production build, embedded PostgreSQL, one machine)\n');
    console.log(`  ceiling  raw batched INSERT, ${CLIENTS} connections × ${BATCHES_PER_CLIENT} × ${BATCH} rows     ${fmt(rawRate, 0)} receipts/s`);
    console.log(`  API      ${CLIENTS} clients × ${BATCHES_PER_CLIENT} batches of ${BATCH}, chain on, own run each   ${fmt(batchRate, 0)} receipts/s   = ${fmt(ingestRatio, 2)}× ceiling (target ≥ 0.5×)`);
    console.log(`  ceiling  raw single-row INSERTs (a commit each), ${CLIENTS} connections × ${SINGLES_PER_CLIENT}   ${fmt(rawSingleRate, 0)} receipts/s`);
    console.log(`  API      ${CLIENTS} clients × ${SINGLES_PER_CLIENT} single receipts                        ${fmt(singleRate, 0)} receipts/s   = ${fmt(singleRate / rawSingleRate, 2)}× single-row ceiling`);
    console.log(`  API      ${CLIENTS} writers on ONE run, batches of ${BATCH} (serialised by the chain) ${fmt(sharedRate, 0)} receipts/s; chain ${sharedVerdict.intact ? 'intact' : `BROKEN: ${sharedVerdict.reason}`} (${sharedVerdict.receipts} receipts)`);
    console.log('');
    console.log(`  floor    GET /api/v1/me            p50 ${fmt(pct(me, 50), 2)} ms   p99 ${fmt(pct(me, 99), 2)} ms   (${me.length} calls)`);
    console.log(`  check    POST /runs/{id}/check     p50 ${fmt(pct(check, 50), 2)} ms   p99 ${fmt(pct(check, 99), 2)} ms   = ${fmt(checkRatio, 2)}× floor p99 (target ≤ 2×)`);
    console.log('');
    console.log(`  ingest target ${ingestRatio >= 0.5 ? 'MET' : 'MISSED'} · check target ${checkRatio <= 2 ? 'MET' : 'MISSED'}`);
    await closeDb();
    if (!sharedVerdict.intact) process.exitCode = 1;
  } finally {
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await new Promise((r) => app!.once('exit', r));
    }
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
