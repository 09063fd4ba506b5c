// Scenario 1: PostgreSQL stops in the middle of an ingest burst (a fast shutdown, then an immediate
// one, as close to a crash as PostgreSQL allows). Clients must get 503 problem JSON with
// Retry-After, never a 500; the app must recover by itself when PostgreSQL is back; after the
// clients retry with the same idempotency keys nothing is lost or duplicated and every chain verifies.
import { closeDb } from '../../lib/db';
import { App, call, receiptBatch, sleep, waitFor, type Answer } from './harness';
import { ledger, totals } from './ledger';
import { appEnv, DECISION_REASON, pendingApproval, startedRun, type Ctx, type StartedRun } from './fixtures';
import { callAction, signIn } from './web';

const RUNS = 4;
const CLIENTS = 8; // two writers per run
const BATCHES = 30;
const BATCH = 25;
/** Each outage lasts at least this long, so that retries meet a database that is still down. */
const MIN_OUTAGE_MS = 4_000;

type Outage = { mode: 'fast' | 'immediate'; atFraction: number };
const OUTAGES: Outage[] = [
  { mode: 'fast', atFraction: 0.25 },
  { mode: 'immediate', atFraction: 0.6 },
];

const MCP_INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'fault-tests', version: '1.0.0' } } };

function isProblem503(a: Answer): boolean {
  const body = a.body as { status?: number; title?: string } | null;
  return a.status === 503 && (a.headers.get('content-type') ?? '').includes('application/problem+json') && body?.status === 503 && typeof body.title === 'string';
}

export async function postgresOutage(ctx: Ctx): Promise<void> {
  const s = ctx.report.section('1. PostgreSQL stopped in the middle of an ingest burst');
  const app = await App.start('outage', ctx.appDir, appEnv(ctx));
  const pidAtStart = app.pid;
  try {
    const runs: StartedRun[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await startedRun(app));
    const approval = await pendingApproval();
    const approver = await signIn(app.base, approval.approvers[0]!.email, approval.password, '10.1.0.1');
    if (!approver.cookie) throw new Error(`The approver could not sign in: ${approver.error}`);

    const stats = { requests: 0, acked: 0, inFlight: 0, s503: 0, s503NoRetryAfter: 0, s503NotProblem: 0, s500: 0, network: 0, other: [] as string[], retryAfter: new Set<string>(), dedupedOnRetry: 0, retried: 0 };
    const sentByRun = new Map<string, string[]>(runs.map((r) => [r.id, []]));

    const client = async (c: number) => {
      const run = runs[c % RUNS]!;
      for (let b = 0; b < BATCHES; b++) {
        const batch = receiptBatch(`outage-c${c}-b${b}`, BATCH);
        sentByRun.get(run.id)!.push(...batch.map((r) => r.idempotencyKey));
        for (let attempt = 0; ; attempt++) {
          stats.requests++;
          stats.inFlight++;
          const a = await call(app.base, `/api/v1/runs/${run.id}/receipts`, { token: run.token, body: { receipts: batch } });
          stats.inFlight--;
          if (a.status === 200) {
            stats.acked++;
            if (attempt > 0) {
              stats.retried++;
              stats.dedupedOnRetry += (a.body as { duplicates: number }).duplicates;
            }
            break;
          }
          if (a.status === 503) {
            stats.s503++;
            const retryAfter = a.headers.get('retry-after');
            if (retryAfter) stats.retryAfter.add(retryAfter);
            else stats.s503NoRetryAfter++;
            if (!isProblem503(a)) stats.s503NotProblem++;
            await sleep(Math.max(1, Number(retryAfter) || 1) * 1000);
            continue;
          }
          if (a.status === 0) stats.network++;
          else if (a.status === 500) stats.s500++;
          else {
            stats.other.push(`${a.status} ${a.text.slice(0, 200)}`);
            if (stats.other.length > 20) throw new Error(`Unexpected answers: ${stats.other.slice(0, 3).join(' | ')}`);
          }
          await sleep(1000);
        }
      }
    };

    const burst = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    burst.catch(() => undefined);
    const total = CLIENTS * BATCHES;
    const outageFigures: string[] = [];
    let healthDuring = 0;
    let gatewayDuring = 0;
    let actionDuring = 0;
    let recoveredWithoutRestart = 0;
    for (const outage of OUTAGES) {
      await waitFor(`${Math.round(outage.atFraction * 100)}% of the burst acknowledged`, () => stats.acked >= outage.atFraction * total, 600_000, 20);
      const acked = stats.acked;
      const inFlight = stats.inFlight;
      const before503 = stats.s503;
      await closeDb(); // the test's own pool; the app keeps its own
      const stoppedAt = Date.now();
      if (outage.mode === 'fast') await ctx.pg.stopFast();
      else await ctx.pg.stopImmediate();

      // While it is down: the burst's clients get 503s; health, the MCP gateway and a server action say so calmly.
      await waitFor('a 503 to the burst while PostgreSQL is down', () => stats.s503 > before503, 120_000, 50);
      const health = await call(app.base, '/api/health');
      if (health.status === 503 && health.headers.get('retry-after')) healthDuring++;
      const gateway = await call(app.base, `/api/v1/mcp/${runs[0]!.serverSlug}`, { token: runs[0]!.token, body: MCP_INITIALIZE, headers: { accept: 'application/json, text/event-stream' } });
      if (isProblem503(gateway) && gateway.headers.get('retry-after')) gatewayDuring++;
      else s.check(false, `the MCP gateway answers 503 with Retry-After while PostgreSQL is down (${outage.mode})`, `${gateway.status} ${gateway.text.slice(0, 200)}`);
      const action = await callAction(app.base, `/approvals/${approval.requestId}`, ctx.decideActionId, [{ requestId: approval.requestId, outcome: 'APPROVE', reason: DECISION_REASON }], approver.cookie);
      if (action.result?.ok === false && /database is unavailable.*nothing was saved/i.test(action.result.message ?? '')) actionDuring++;
      else s.check(false, `a server action says calmly that the database is unavailable (${outage.mode})`, `${action.status} ${JSON.stringify(action.result) ?? action.text.slice(0, 200)}`);
      const remaining = MIN_OUTAGE_MS - (Date.now() - stoppedAt);
      if (remaining > 0) await sleep(remaining);

      await ctx.pg.start();
      const restartedAt = Date.now();
      await waitFor('the app to answer /api/health with 200 again', async () => (await call(app.base, '/api/health')).status === 200, 120_000, 100);
      const recoveryMs = Date.now() - restartedAt;
      if (app.alive && app.pid === pidAtStart) recoveredWithoutRestart++;
      outageFigures.push(
        `${outage.mode} shutdown at ${acked}/${total} batches acknowledged, ${inFlight} requests in flight; down ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s; healthy ${(recoveryMs / 1000).toFixed(1)} s after PostgreSQL was back`,
      );
    }
    await burst;

    // After: the server action works again, and the chains are whole.
    const decided = await callAction(app.base, `/approvals/${approval.requestId}`, ctx.decideActionId, [{ requestId: approval.requestId, outcome: 'APPROVE', reason: DECISION_REASON }], approver.cookie);
    const gatewayAfter = await call(app.base, `/api/v1/mcp/${runs[0]!.serverSlug}`, { token: runs[0]!.token, body: MCP_INITIALIZE, headers: { accept: 'application/json, text/event-stream' } });
    const ledgers = [];
    for (const run of runs) ledgers.push(await ledger(ctx.admin, run.id, sentByRun.get(run.id)!));
    const t = totals(ledgers);
    const uncaught = app.logLines(/uncaughtException|unhandledRejection/i);

    OUTAGES.forEach((o, i) => s.figure(`outage ${i + 1}`, outageFigures[i] ?? 'did not happen'));
    s.figure('clients × batches × receipts', `${CLIENTS} × ${BATCHES} × ${BATCH} on ${RUNS} runs`);
    s.figure('receipts sent / stored / duplicated / lost', `${t.sent} / ${t.stored} / ${t.duplicated} / ${t.lost}`);
    s.figure('requests (incl. retries)', stats.requests);
    s.figure('503 answers / with Retry-After', `${stats.s503} / ${stats.s503 - stats.s503NoRetryAfter} (Retry-After seen: ${[...stats.retryAfter].join(', ') || 'none'} s)`);
    s.figure('500 answers / network errors / other', `${stats.s500} / ${stats.network} / ${stats.other.length}`);
    s.figure('batches retried / receipts answered as already stored on retry', `${stats.retried} / ${stats.dedupedOnRetry}`);
    s.figure('health 503 / gateway 503 / calm server action, during outages', `${healthDuring} / ${gatewayDuring} / ${actionDuring} of ${OUTAGES.length}`);
    s.figure('app restarts', `0 (same process ${app.pid} throughout: ${app.alive && app.pid === pidAtStart})`);
    s.figure('uncaught exceptions in the app log', uncaught.length);

    s.check(stats.s503 > 0, 'clients got 503 while PostgreSQL was down');
    s.check(stats.s503NoRetryAfter === 0, 'every 503 carried Retry-After', `${stats.s503NoRetryAfter} without`);
    s.check(stats.s503NotProblem === 0, 'every 503 was problem JSON', `${stats.s503NotProblem} were not`);
    s.check(stats.s500 === 0, 'no 500 answers', `${stats.s500} answers were 500`);
    s.check(stats.network === 0 && stats.other.length === 0, 'no other failures', `${stats.network} network errors; ${stats.other.slice(0, 3).join(' | ')}`);
    s.check(healthDuring === OUTAGES.length, '/api/health answered 503 with Retry-After during every outage');
    s.check(gatewayDuring === OUTAGES.length, 'the MCP gateway answered 503 problem JSON with Retry-After during every outage');
    s.check(actionDuring === OUTAGES.length, 'a server action answered "database unavailable, nothing was saved" during every outage');
    s.check(recoveredWithoutRestart === OUTAGES.length, 'the app recovered by itself after every outage (same process, healthy again)');
    s.check(decided.result?.ok === true, 'the same server action succeeds once the database is back', JSON.stringify(decided.result) ?? decided.text.slice(0, 200));
    s.check(gatewayAfter.status === 200, 'the MCP gateway answers again once the database is back', `${gatewayAfter.status} ${gatewayAfter.text.slice(0, 200)}`);
    s.check(t.sent === CLIENTS * BATCHES * BATCH && t.stored === t.sent, 'every receipt sent is stored', `sent ${t.sent}, stored ${t.stored}`);
    s.check(t.lost === 0 && t.duplicated === 0, 'nothing lost, nothing duplicated', `lost ${t.lost}, duplicated ${t.duplicated}`);
    s.check(t.contiguous, 'seqs contiguous in every run, and each run row agrees');
    s.check(t.intact, 'every chain verifies', t.reasons.join('; '));
    s.check(uncaught.length === 0, 'no uncaught exceptions in the app', uncaught.slice(0, 3).join(' | '));
  } finally {
    await app.stop();
  }
}
