// Scenario 2: the app process is killed (SIGKILL) while a batch of 500 receipts is being written.
// The batch must be all or nothing; a retry with the same idempotency keys stores exactly the
// missing ones, once; the chain verifies. Kills come at different delays, and some are triggered
// by watching PostgreSQL until the app's append transaction holds the run's lock, so that at least
// some of them land mid-transaction; where each one landed is observed, not assumed.
import { App, call, receiptBatch, waitFor } from './harness';
import { ledger } from './ledger';
import { appEnv, startedRun, type Ctx } from './fixtures';

const BATCH = 500;
const APP_NAME = 'mandate-faults-kill';

type Attempt = { label: string; trigger: { afterFraction: number } | { when: 'lock' | 'insert' } };
const ATTEMPTS: Attempt[] = [
  { label: 'kill at 10% of a batch', trigger: { afterFraction: 0.1 } },
  { label: 'kill at 30%', trigger: { afterFraction: 0.3 } },
  { label: 'kill at 50%', trigger: { afterFraction: 0.5 } },
  { label: 'kill at 70%', trigger: { afterFraction: 0.7 } },
  { label: 'kill at 90%', trigger: { afterFraction: 0.9 } },
  { label: 'kill at 120%', trigger: { afterFraction: 1.2 } },
  { label: 'kill once the run is locked', trigger: { when: 'lock' } },
  { label: 'kill once the run is locked', trigger: { when: 'lock' } },
  { label: 'kill once the receipts INSERT runs', trigger: { when: 'insert' } },
  { label: 'kill once the receipts INSERT runs', trigger: { when: 'insert' } },
];

type Landing = 'before the transaction' | 'mid-transaction' | 'after commit, before the answer' | 'after the answer';

/**
 * The app's receipt-append transaction, when one is open and holds the run's lock: backend_xid is
 * set from its SELECT … FOR UPDATE on, and its statements (the last one is shown while it is idle
 * in the transaction) are the append's own. Rate-limit upserts and the like are not it.
 */
async function appTransaction(ctx: Ctx): Promise<{ query: string } | null> {
  const { rows } = await ctx.admin.query<{ query: string }>(
    `SELECT left("query", 80) AS "query" FROM pg_stat_activity
     WHERE "application_name" = $1 AND backend_xid IS NOT NULL AND "state" IN ('active', 'idle in transaction')
       AND "query" ~ '(FOR UPDATE|"EvidenceReceipt"|UPDATE "Run" SET "receiptCount"|"SignedCheckpoint"|"RunMcpUsage")'
     LIMIT 1`,
    [APP_NAME],
  );
  return rows[0] ?? null;
}

export async function appKilledMidBatch(ctx: Ctx): Promise<void> {
  const s = ctx.report.section('2. App process killed (SIGKILL) while a 500-receipt batch is written');
  const env = appEnv(ctx, {}, APP_NAME);
  let app = await App.start('kill', ctx.appDir, env);
  const port = app.port;
  try {
    const run = await startedRun(app);
    const sent: string[] = [];
    const post = (keys: string) => call(app.base, `/api/v1/runs/${run.id}/receipts`, { token: run.token, body: { receipts: receiptBatch(keys, BATCH) } });

    // Warm-up batches: they also give the length of one batch request on this machine.
    let batchMs = 0;
    for (let w = 0; w < 3; w++) {
      const t = Date.now();
      const a = await post(`kill-warm${w}`);
      if (a.status !== 200) throw new Error(`A warm-up batch answered ${a.status}: ${a.text.slice(0, 200)}`);
      sent.push(...receiptBatch(`kill-warm${w}`, BATCH).map((r) => r.idempotencyKey));
      batchMs = Date.now() - t;
    }

    const landings: Record<Landing, number> = { 'before the transaction': 0, 'mid-transaction': 0, 'after commit, before the answer': 0, 'after the answer': 0 };
    const lines: string[] = [];
    let partial = 0;
    let retryExact = 0;
    let afterRetryWhole = 0;
    for (const [i, attempt] of ATTEMPTS.entries()) {
      const prefix = `kill-a${i}`;
      const keys = receiptBatch(prefix, BATCH).map((r) => r.idempotencyKey);
      sent.push(...keys);
      let answered = false;
      const request = post(prefix).then((a) => ((answered = true), a));
      let sawTransaction: { query: string } | null = null;
      const sentAt = Date.now();
      if ('afterFraction' in attempt.trigger) {
        const at = sentAt + attempt.trigger.afterFraction * batchMs;
        await waitFor('the kill delay', () => Date.now() >= at, 60_000, 1);
        sawTransaction = await appTransaction(ctx);
      } else {
        const want = attempt.trigger.when;
        sawTransaction = await waitFor(
          `the app's transaction (${want})`,
          async () => {
            if (answered) return { query: '(answered before it was seen)' };
            const tx = await appTransaction(ctx);
            return tx && (want === 'lock' || /INSERT INTO "EvidenceReceipt"/.test(tx.query)) ? tx : null;
          },
          60_000,
          1,
        );
        if (sawTransaction.query.startsWith('(answered')) sawTransaction = null;
      }
      await app.kill();
      const answer = await request;
      // PostgreSQL ends the killed app's sessions when it sees their sockets close: a transaction
      // still open rolls back then. Wait until none is left, then count.
      await waitFor('the killed app’s sessions to end', async () => Number((await ctx.admin.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE "application_name" = $1`, [APP_NAME])).rows[0].n) === 0, 60_000, 50);
      const stored = Number((await ctx.admin.query(`SELECT count(*) AS n FROM "EvidenceReceipt" WHERE "runId" = $1 AND "idempotencyKey" = ANY($2::text[])`, [run.id, keys])).rows[0].n);
      if (stored !== 0 && stored !== BATCH) partial++;
      const landing: Landing = answer.status === 200 ? 'after the answer' : stored === BATCH ? 'after commit, before the answer' : sawTransaction ? 'mid-transaction' : 'before the transaction';
      landings[landing]++;

      app = await App.start('kill', ctx.appDir, env, port);
      const retry = await post(prefix);
      const body = retry.body as { stored?: number; duplicates?: number };
      const exact = retry.status === 200 && body.stored === BATCH - stored && body.duplicates === stored;
      if (exact) retryExact++;
      const whole = Number((await ctx.admin.query(`SELECT count(*) AS n FROM "EvidenceReceipt" WHERE "runId" = $1 AND "idempotencyKey" = ANY($2::text[])`, [run.id, keys])).rows[0].n);
      if (whole === BATCH) afterRetryWhole++;
      lines.push(
        `${attempt.label}: ${landing}${sawTransaction ? ` (seen: ${sawTransaction.query.replace(/\s+/g, ' ').slice(0, 40)}…)` : ''}; ${stored}/${BATCH} stored after the kill; retry stored ${body.stored ?? '?'}, answered ${body.duplicates ?? '?'} as duplicates (${retry.status})`,
      );
    }

    const l = await ledger(ctx.admin, run.id, sent);
    s.figure('one batch on this machine (warm)', `${batchMs} ms`);
    s.figure('kills', ATTEMPTS.length);
    for (const [k, v] of Object.entries(landings)) s.figure(`  landed ${k}`, v);
    lines.forEach((line, i) => s.figure(`attempt ${i + 1}`, line));
    s.figure('receipts sent / stored / duplicated / lost', `${l.sent} / ${l.stored} / ${l.duplicated} / ${l.lost}`);
    s.figure('partial batches after a kill', partial);

    s.check(partial === 0, 'every killed batch was all or nothing (0 or 500 receipts)', `${partial} partial`);
    s.check(landings['mid-transaction'] > 0, 'at least one kill landed mid-transaction', JSON.stringify(landings));
    s.check(retryExact === ATTEMPTS.length, 'every retry stored exactly the missing receipts and answered the rest as duplicates', `${retryExact}/${ATTEMPTS.length}`);
    s.check(afterRetryWhole === ATTEMPTS.length, 'after every retry the batch is whole');
    s.check(l.lost === 0 && l.duplicated === 0 && l.stored === l.sent, 'nothing lost, nothing duplicated over the run', `lost ${l.lost}, duplicated ${l.duplicated}`);
    s.check(l.contiguous, 'seqs contiguous, and the run row agrees');
    s.check(l.intact, 'the chain verifies', l.reason);
  } finally {
    await app.stop();
  }
}
