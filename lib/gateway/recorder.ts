import { pgTransaction, type Sql } from '@/lib/db';
import type { IntendedAction, Verdict } from '@/lib/domain/boundary';
import { appendReceipts, type ReceiptDraft } from '@/lib/evidence/append';
import type { RunContext } from '@/lib/runs/context';
import { AppError } from '@/lib/server/errors';
import { log, scrub } from '@/lib/server/log';

/**
 * The gateway's evidence writer. Each decision (a BoundaryCheck row) and its receipt go into the
 * run's hash chain in one transaction, one run's writes strictly in order.
 *
 * `MANDATE_GATEWAY_EVIDENCE=async` (the default): the agent gets its result as soon as the upstream
 * answers, and the receipt is written right behind it. A write that fails is retried; if it still
 * fails, the run's next calls are refused until evidence can be written again (fail closed). A
 * process crash can lose the receipts of calls answered in its last milliseconds.
 * `MANDATE_GATEWAY_EVIDENCE=sync`: no result leaves the gateway before its receipt is committed.
 */

export type EvidenceMode = 'async' | 'sync';
export const evidenceMode = (): EvidenceMode => (process.env.MANDATE_GATEWAY_EVIDENCE === 'sync' ? 'sync' : 'async');

/** After a failed write, how long the run's calls are refused before the gateway tries again. */
export const FAILED_HOLD_MS = 30_000;
const RETRY_DELAYS_MS = [20, 100, 400];

/** A decision and whether this write records it (a call held and then run is one decision, written once). */
export type Decision = { callId: string; action: IntendedAction; verdict: Verdict; at: Date; recordCheck?: boolean };

type RecorderState = { queues: Map<string, Promise<void>>; failed: Map<string, { reason: string; at: number }> };
const globalForRecorder = globalThis as unknown as { mandateGatewayRecorder?: RecorderState };
const recorder: RecorderState = (globalForRecorder.mandateGatewayRecorder ??= { queues: new Map(), failed: new Map() });

const VERDICT = { allow: 'ALLOW', deny: 'DENY', needs_approval: 'NEEDS_APPROVAL' } as const;

async function insertCheck(sql: Sql, ctx: RunContext, decision: Decision) {
  if (decision.recordCheck === false) return;
  await sql.query('INSERT INTO "BoundaryCheck" ("runId", "toolUseId", "actionType", "action", "verdict", "reasons", "createdAt") VALUES ($1, $2, $3, $4::jsonb, $5::"BoundaryVerdict", $6::jsonb, $7)', [
    ctx.runId,
    decision.callId,
    decision.action.type,
    JSON.stringify(decision.action),
    VERDICT[decision.verdict.decision],
    JSON.stringify(decision.verdict.reasons),
    decision.at.toISOString(),
  ]);
}

async function write(ctx: RunContext, decision: Decision, drafts: ReceiptDraft[]) {
  await pgTransaction(async (sql) => {
    await insertCheck(sql, ctx, decision);
    await appendReceipts(ctx, drafts, { sql });
  });
}

/**
 * The run finished (or was aborted) while the call ran: its chain is closed and signed, so the call
 * goes into the audit log instead, with its decision, rather than leaving no trace.
 */
async function writeAfterFinish(ctx: RunContext, decision: Decision, drafts: ReceiptDraft[]) {
  await pgTransaction(async (sql) => {
    await insertCheck(sql, ctx, decision);
    await sql.query('INSERT INTO "AuditEvent" ("actorAgent", "action", "targetType", "targetId", "after") VALUES ($1, $2, $3, $4, $5::jsonb)', [
      ctx.identityName,
      'gateway.call-after-run-ended',
      'Run',
      ctx.runId,
      JSON.stringify({ callId: decision.callId, receipts: drafts.map((d) => ({ kind: d.kind, payload: d.payload })) }),
    ]);
  });
}

async function writeWithRetry(ctx: RunContext, decision: Decision, drafts: ReceiptDraft[]) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(ctx, decision, drafts);
    } catch (error) {
      if (error instanceof AppError && error.code === 'CONFLICT' && /has finished/.test(error.userMessage)) return writeAfterFinish(ctx, decision, drafts);
      // A refusal (the run finished meanwhile) will not change on a retry; a lost connection may.
      if (error instanceof AppError || attempt >= RETRY_DELAYS_MS.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
    }
  }
}

/** Why this run's calls are refused for now (earlier evidence could not be written), or null. */
export function recordingProblem(runId: string): string | null {
  const failed = recorder.failed.get(runId);
  if (!failed) return null;
  if (Date.now() - failed.at > FAILED_HOLD_MS) {
    recorder.failed.delete(runId);
    return null;
  }
  return failed.reason;
}

/** Queues the decision and its receipt behind the run's earlier writes; resolves when committed, rejects when it could not be. */
export function record(ctx: RunContext, decision: Decision, drafts: ReceiptDraft[]): Promise<void> {
  const previous = recorder.queues.get(ctx.runId) ?? Promise.resolve();
  const next = previous.then(() =>
    writeWithRetry(ctx, decision, drafts).catch((error: unknown) => {
      const reason = (error as Error).message;
      recorder.failed.set(ctx.runId, { reason, at: Date.now() });
      log.error({ runId: ctx.runId, callId: decision.callId, error: scrub(reason) }, 'gateway evidence not written');
      throw error;
    }),
  );
  const tail = next.catch(() => undefined);
  recorder.queues.set(ctx.runId, tail);
  void tail.then(() => {
    if (recorder.queues.get(ctx.runId) === tail) recorder.queues.delete(ctx.runId);
  });
  return next;
}

/** Waits until this process's queued writes for one run have been committed (finishing a run does this first). */
export async function flushRunEvidence(runId: string): Promise<void> {
  while (recorder.queues.has(runId)) await recorder.queues.get(runId);
}

/** Waits until every queued write has been committed (or has failed). */
export async function flushGatewayEvidence(): Promise<void> {
  while (recorder.queues.size) await Promise.all([...recorder.queues.values()]);
}
