// `npm run bench:dashboard`: the leadership dashboard and the approval queue on a large organisation
// (100k contracts, 100k runs, 2M evidence receipts, bulk-loaded with SQL into a scratch database),
// with one sequential scan of the receipts table, measured in the same run, as the yardstick.
// Target: dashboard p95 ≤ 0.1× that scan.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../db/database';
import { applyMigrations } from '../db/engine';

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 100_000);
const RECEIPTS_PER_RUN = Number(process.env.BENCH_RECEIPTS_PER_RUN ?? 23);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function step(client: pg.Client, label: string, sql: string) {
  const t = performance.now();
  const res = await client.query(sql);
  console.log(`  ${label.padEnd(34)} ${String(res.rowCount ?? '').padStart(9)} rows  ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function load(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`SELECT setseed(0.42)`);
  console.log(`Bulk-loading ${CONTRACTS.toLocaleString('en')} contracts and ${(CONTRACTS * RECEIPTS_PER_RUN).toLocaleString('en')} receipts…`);
  await step(c, 'teams', `INSERT INTO "Team" ("id", "slug", "name") SELECT 'team' || g, 'team-' || g, 'Team ' || g FROM generate_series(0, 7) g`);
  await step(c, 'people', `INSERT INTO "User" ("id", "email", "name", "roles", "teamId", "updatedAt")
    SELECT 'user' || g, 'user' || g || '@bench.example', 'User ' || g,
           CASE WHEN g % 10 = 0 THEN ARRAY['APPROVER']::"Role"[] WHEN g % 10 = 1 THEN ARRAY['SECURITY']::"Role"[] ELSE ARRAY['REQUESTER']::"Role"[] END,
           'team' || (g % 8), now() FROM generate_series(0, 399) g`);
  await step(c, 'agent identities', `INSERT INTO "AgentIdentity" ("id", "name", "kind", "ownerId", "toolProfile", "updatedAt")
    SELECT 'agent' || g, 'agent-' || g, 'LOCAL_CODING_AGENT', 'user' || (g * 10 + 1), '{"tools":["Read","Edit","Bash"]}', now() FROM generate_series(0, 19) g`);
  await step(c, 'contracts', `INSERT INTO "TaskContract" ("id", "number", "status", "requesterId", "teamId", "agentIdentityId", "title", "tier", "currentVersion", "createdAt", "updatedAt", "closedAt", "closedById", "closeOutOutcome", "closeOutReason", "allowGlobs", "blockGlobs", "checks", "deliverables", "allowedData", "blockedItems", "localCommands")
    SELECT 'ct' || g, g,
           (CASE WHEN g % 10 < 6 THEN 'CLOSED' WHEN g % 10 < 8 THEN 'COMPLETED' WHEN g % 10 = 8 THEN 'IN_REVIEW' ELSE 'RUNNING' END)::"ContractStatus",
           'user' || (2 + (g % 398)), 'team' || (g % 8), 'agent' || (g % 20), 'Bench contract ' || g,
           (ARRAY['LOW', 'MEDIUM', 'MEDIUM', 'HIGH'])[1 + g % 4]::"RiskTier", 1,
           now() - ((g % 365) || ' days')::interval - interval '2 hours', now(),
           CASE WHEN g % 10 < 6 THEN now() - ((g % 365) || ' days')::interval + interval '1 day' END,
           CASE WHEN g % 10 < 6 THEN 'user' || (g % 40 * 10) END,
           CASE WHEN g % 10 < 6 THEN CASE WHEN g % 17 = 0 THEN 'REJECTED' ELSE 'ACCEPTED' END END,
           CASE WHEN g % 10 < 6 THEN 'bench' END,
           ARRAY['src/module' || (g % 50) || '/**'], '{}', ARRAY['npm test'], ARRAY['patch'], ARRAY['repo-content'], ARRAY['secrets'], ARRAY['npm test']
    FROM generate_series(1, ${CONTRACTS}) g`);
  await c.query(`SELECT setval(pg_get_serial_sequence('"TaskContract"', 'number'), ${CONTRACTS})`);
  await step(c, 'contract versions', `INSERT INTO "ContractVersion" ("id", "contractId", "version", "snapshot", "createdById") SELECT 'cv' || g, 'ct' || g, 1, '{}', 'user' || (2 + (g % 398)) FROM generate_series(1, ${CONTRACTS}) g`);
  await step(c, 'approval requests', `INSERT INTO "ApprovalRequest" ("id", "contractId", "contractVersionId", "kind", "status", "queueRole", "assigneeId", "tier", "createdAt", "dueAt", "decidedAt")
    SELECT 'ar' || g, 'ct' || g, 'cv' || g, 'APPROVER',
           (CASE WHEN g % 10 = 8 THEN 'PENDING' WHEN g % 13 = 0 THEN 'CHANGES_REQUESTED' ELSE 'APPROVED' END)::"ApprovalStatus",
           'APPROVER', CASE WHEN g % 3 = 0 THEN 'user' || (g % 40 * 10) END,
           (ARRAY['LOW', 'MEDIUM', 'MEDIUM', 'HIGH'])[1 + g % 4]::"RiskTier",
           now() - ((g % 365) || ' days')::interval - interval '2 hours',
           now() - ((g % 365) || ' days')::interval + interval '22 hours',
           CASE WHEN g % 10 <> 8 THEN now() - ((g % 365) || ' days')::interval - interval '2 hours' + ((1 + g % 47) || ' hours')::interval END
    FROM generate_series(1, ${CONTRACTS}) g WHERE g % 4 <> 0`);
  await step(c, 'runs', `INSERT INTO "Run" ("id", "contractId", "contractVersionId", "agentIdentityId", "status", "startedAt", "finishedAt", "costCents", "toolCalls", "violationCount", "uncheckedCalls", "receiptCount", "headHash")
    SELECT 'run' || g, 'ct' || g, 'cv' || g, 'agent' || (g % 20),
           (CASE WHEN g % 10 = 9 THEN 'STARTED' WHEN g % 11 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"RunStatus",
           now() - ((g % 365) || ' days')::interval + interval '3 hours',
           CASE WHEN g % 10 <> 9 THEN now() - ((g % 365) || ' days')::interval + interval '4 hours' END,
           50 + (g * 37) % 900, 5 + g % 60, CASE WHEN g % 97 = 0 THEN 1 + g % 3 ELSE 0 END, CASE WHEN g % 193 = 0 THEN 1 ELSE 0 END,
           ${RECEIPTS_PER_RUN}, md5('run' || g)
    FROM generate_series(1, ${CONTRACTS}) g WHERE g % 10 <> 8`);
  await step(c, 'evidence receipts', `INSERT INTO "EvidenceReceipt" ("runId", "seq", "kind", "payload", "clientTimestamp", "receivedAt", "idempotencyKey", "toolUseId", "violation", "prevHash", "hash")
    SELECT r."id", s,
           (ARRAY['FILE_READ', 'FILE_WRITE', 'COMMAND', 'MCP_CALL', 'NOTE'])[1 + s % 5]::"ReceiptKind",
           jsonb_build_object('path', 'src/module' || (s % 50) || '/file' || s || '.ts', 'linesAdded', s),
           r."startedAt" + (s || ' seconds')::interval, r."startedAt" + (s || ' seconds')::interval,
           r."id" || '-' || s, 'toolu_' || r."id" || '_' || s, false, md5(r."id" || (s - 1)) || md5(r."id" || s), md5(r."id" || s) || md5(r."id" || (s + 1))
    FROM "Run" r CROSS JOIN generate_series(1, ${RECEIPTS_PER_RUN}) s`);
  await step(c, 'MCP usage rollup', `INSERT INTO "RunMcpUsage" ("runId", "server", "tool", "calls")
    SELECT r."id", (ARRAY['linear-tickets', 'docs-search', 'ledger-replica'])[1 + (length(r."id") + ascii(right(r."id", 1))) % 3], (ARRAY['get_issue', 'search_docs', 'query_sample'])[1 + ascii(right(r."id", 1)) % 3], 1 + ascii(right(r."id", 1)) % 7
    FROM "Run" r WHERE ascii(right(r."id", 1)) % 3 = 0`);
  await step(c, 'security exceptions', `INSERT INTO "SecurityException" ("id", "contractId", "requesterId", "what", "why", "requestedDays", "status", "createdAt")
    SELECT 'sx' || g, 'ct' || g, 'user' || (2 + (g % 398)), 'bench', 'bench', 7, (CASE WHEN g % 2 = 0 THEN 'GRANTED' ELSE 'REFUSED' END)::"ExceptionStatus", now() - ((g % 365) || ' days')::interval
    FROM generate_series(1, ${CONTRACTS}, 50) g`);
  const t = performance.now();
  await c.query('VACUUM ANALYZE');
  console.log(`  ${'VACUUM ANALYZE'.padEnd(34)} ${''.padStart(9)}       ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await c.end();
}

async function seqScanMs(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off; SET max_parallel_workers_per_gather = 0');
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await c.query(`SELECT count(*) FROM "EvidenceReceipt" WHERE "violationReason" IS NOT NULL`);
    times.push(performance.now() - t);
  }
  await c.end();
  return pct(times, 50);
}

async function main() {
  const database = await openDatabase({ purpose: 'test' });
  try {
    await applyMigrations(database.url);
    await load(database.url);
    process.env.DATABASE_URL = database.url;
    const { dashboardFigures } = await import('../../lib/dashboard/queries');
    const { listQueue, queueCounts } = await import('../../lib/approvals/queries');
    const { db, closeDb } = await import('../../lib/db');

    const { refreshDashboardRollups } = await import('../../lib/dashboard/rollups');
    const refreshStarted = performance.now();
    await refreshDashboardRollups();
    const refreshMs = performance.now() - refreshStarted;
    const scan = await seqScanMs(database.url);
    const cases = [
      { label: 'all teams, 90 days', query: { period: '90d' as const } },
      { label: 'one team, 90 days', query: { team: 'team-3', period: '90d' as const } },
      { label: 'all teams, 365 days', query: { period: '365d' as const } },
      { label: 'one team, 30 days', query: { team: 'team-5', period: '30d' as const } },
    ];
    console.log(`\nDashboard server time (every figure, ${ITERATIONS} runs each after 2 warm-ups)`);
    const all: number[] = [];
    for (const c of cases) {
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS + 2; i++) {
        const t = performance.now();
        await dashboardFigures(c.query);
        if (i >= 2) times.push(performance.now() - t);
      }
      all.push(...times);
      console.log(`  ${c.label.padEnd(22)} p50 ${ms(pct(times, 50)).padStart(9)}   p95 ${ms(pct(times, 95)).padStart(9)}`);
    }
    const breakdown: Record<string, number> = {};
    await dashboardFigures({ period: '365d' }, new Date(), breakdown);
    console.log(`  slowest query (all teams, 365 days): ${Object.entries(breakdown).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}`);
    const approver = await db.user.findUniqueOrThrow({ where: { id: 'user0' } });
    const actor = { id: approver.id, name: approver.name, email: approver.email, title: '', roles: approver.roles, teamId: approver.teamId, teamName: '' };
    const queueTimes: number[] = [];
    for (let i = 0; i < ITERATIONS + 2; i++) {
      const t = performance.now();
      await listQueue(actor, 'role');
      await queueCounts(actor);
      if (i >= 2) queueTimes.push(performance.now() - t);
    }
    const [size] = await db.$queryRaw<{ db: string; receipts: string; rows: number }[]>`
      SELECT pg_size_pretty(pg_database_size(current_database())) AS "db", pg_size_pretty(pg_total_relation_size('"EvidenceReceipt"')) AS "receipts",
             (SELECT count(*)::int FROM "EvidenceReceipt") AS "rows"`;
    const p95 = pct(all, 95);
    console.log(`  ${'approval queue page'.padEnd(22)} p50 ${ms(pct(queueTimes, 50)).padStart(9)}   p95 ${ms(pct(queueTimes, 95)).padStart(9)}`);
    console.log(`\n  database ${size!.db} (receipts ${size!.receipts}, ${size!.rows.toLocaleString('en')} rows)`);
    console.log(`  yardstick: one sequential scan of the receipts table  ${ms(scan)}`);
    console.log(`  rollup refresh (all four materialized views, CONCURRENTLY; every 5 min by default) ${ms(refreshMs)}`);
    console.log(`  dashboard p95 over all filters ${ms(p95)} = ${(p95 / scan).toFixed(3)}× the scan (target ≤ 0.1×): ${p95 / scan <= 0.1 ? 'MET' : 'MISSED'}`);
    await closeDb();
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
