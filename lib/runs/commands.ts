import { db, sqlQuery } from '@/lib/db';
import { evaluateAction, type IntendedAction, type Verdict } from '@/lib/domain/boundary';
import { transition } from '@/lib/domain/contract-lifecycle';
import type { Agent } from '@/lib/server/api';
import { AppError } from '@/lib/server/errors';
import { appendReceipts, prismaSql, writeCheckpoint, type AppendResult, type ReceiptDraft } from '@/lib/evidence/append';
import type { BoundaryVerdict } from '@/lib/generated/prisma/enums';
import type { Prisma } from '@/lib/generated/prisma/client';
import { runContextById, type RunContext } from './context';
import { flushRunEvidence } from '@/lib/gateway/recorder';
import type { AbortRunInput, CheckInput, FinishInput, ReceiptInput, StartRunInput } from './schema';
import type { Actor } from '@/lib/auth/session';
import { newRunToken, runTokenExpiry } from './tokens';

const VERDICT: Record<Verdict['decision'], BoundaryVerdict> = { allow: 'ALLOW', deny: 'DENY', needs_approval: 'NEEDS_APPROVAL' };

function contractWhere(ref: string): Prisma.TaskContractWhereUniqueInput {
  const number = /^MDT-(\d+)$/i.exec(ref);
  return number ? { number: Number(number[1]) } : { id: ref };
}

/**
 * Starts a run: only the identity the contract names, only on a contract that is approved (or Low
 * and ready), only while neither that identity nor a server the contract uses is killed. Returns a
 * run-scoped token, shown this once; it works for this run only and dies with it.
 */
export async function startRun(agent: Agent, input: StartRunInput, origin: string) {
  const contract = await db.taskContract.findUnique({
    where: contractWhere(input.contract),
    select: {
      id: true,
      number: true,
      title: true,
      status: true,
      tier: true,
      frozenAt: true,
      currentVersion: true,
      agentIdentityId: true,
      agentIdentity: { select: { name: true } },
      budgetMaxWallMinutes: true,
      budgetMaxToolCalls: true,
      budgetMaxCostCents: true,
      capabilities: { select: { capability: { select: { toolName: true, server: { select: { slug: true, killedAt: true, killReason: true } } } } } },
      approvals: { where: { status: 'APPROVED', expiresAt: { lt: new Date() } }, select: { id: true } },
      exceptions: { where: { status: 'GRANTED' }, select: { expiresAt: true } },
    },
  });
  if (!contract) throw new AppError('NOT_FOUND', `There is no contract ${input.contract}.`);
  const ref = `MDT-${contract.number}`;
  if (contract.agentIdentityId !== agent.identityId) {
    throw new AppError('FORBIDDEN', contract.agentIdentity ? `${ref} names the agent ${contract.agentIdentity.name}; this token belongs to ${agent.identityName}.` : `${ref} names no agent identity, so no agent may run it.`);
  }
  if (contract.frozenAt) throw new AppError('CONFLICT', `${ref} is frozen by an incident; no run can start until security lifts the freeze.`);
  const move = transition(contract.status, 'startRun', 'agent', contract.tier ?? 'MEDIUM');
  if (!move.ok) throw new AppError('CONFLICT', `${ref} cannot start a run: ${move.reason}.`);
  if (contract.approvals.length) throw new AppError('CONFLICT', `${ref}'s approval has expired; it goes back to review before a run can start.`);
  if (contract.tier === 'STOP' && !contract.exceptions.some((x) => !x.expiresAt || x.expiresAt > new Date())) {
    throw new AppError('CONFLICT', `${ref} is Stop tier and has no current security exception.`);
  }
  const killed = contract.capabilities.map((c) => c.capability.server).filter((s) => s.killedAt);
  if (killed.length) {
    throw new AppError('CONFLICT', `${ref} uses ${killed.map((s) => s.slug).join(', ')}, whose kill switch is on${killed[0]!.killReason ? ` (${killed[0]!.killReason})` : ''}; the run cannot start.`);
  }

  const token = newRunToken();
  const startedAt = new Date();
  const expiresAt = runTokenExpiry(startedAt, contract.budgetMaxWallMinutes);
  const run = await db.$transaction(async (tx) => {
    const moved = await tx.taskContract.updateMany({ where: { id: contract.id, status: contract.status }, data: { status: 'RUNNING' } });
    if (!moved.count) throw new AppError('CONFLICT', `${ref} changed while the run was starting; try again.`);
    const version = await tx.contractVersion.findUniqueOrThrow({ where: { contractId_version: { contractId: contract.id, version: contract.currentVersion } }, select: { id: true } });
    const created = await tx.run.create({
      data: {
        contractId: contract.id,
        contractVersionId: version.id,
        agentIdentityId: agent.identityId,
        tokenId: agent.tokenId,
        startedAt,
        runTokenPrefix: token.prefix,
        runTokenHash: token.hash,
        runTokenExpiresAt: expiresAt,
      },
      select: { id: true },
    });
    const ctx = await runContextById(created.id, tx);
    await appendReceipts(
      ctx!,
      [{ kind: 'NOTE', payload: { event: 'run.started', contract: ref, contractVersion: contract.currentVersion, agent: agent.identityName, token: agent.tokenPrefix }, clientTimestamp: startedAt, idempotencyKey: 'run.started', toolUseId: null }],
      { sql: prismaSql(tx) },
    );
    await tx.auditEvent.create({ data: { actorAgent: agent.identityName, action: 'run.started', targetType: 'Run', targetId: created.id, after: { contract: ref, version: contract.currentVersion, token: agent.tokenPrefix } } });
    return created;
  });

  const base = `${origin}/api/v1/runs/${run.id}`;
  return {
    run: { id: run.id, contract: ref, title: contract.title, startedAt: startedAt.toISOString(), url: `${origin}/runs/${run.id}` },
    runToken: token.token,
    runTokenExpiresAt: expiresAt.toISOString(),
    budget: { maxCostCents: contract.budgetMaxCostCents, maxToolCalls: contract.budgetMaxToolCalls, maxWallMinutes: contract.budgetMaxWallMinutes },
    endpoints: { check: `${base}/check`, receipts: `${base}/receipts`, finish: `${base}/finish`, claudeCodeHook: `${base}/hooks/claude-code` },
  };
}

export function budgetOf(ctx: RunContext, now: Date) {
  const b = ctx.boundary.budget;
  return {
    toolCalls: { used: ctx.state.toolCalls, max: b.maxToolCalls || null },
    costCents: { used: ctx.state.costCents, max: b.maxCostCents || null },
    wallMinutes: { used: Math.floor((now.getTime() - ctx.state.startedAt.getTime()) / 60_000), max: b.maxWallMinutes || null },
  };
}

/** Asks the boundary about one intended action, records the decision, and answers with its reasons. */
export async function checkAction(ctx: RunContext, input: CheckInput) {
  const now = new Date();
  const verdict = evaluateAction(ctx.boundary, input.action as IntendedAction, { state: ctx.state, now });
  await sqlQuery('INSERT INTO "BoundaryCheck" ("runId", "toolUseId", "actionType", "action", "verdict", "reasons", "createdAt") VALUES ($1, $2, $3, $4::jsonb, $5::"BoundaryVerdict", $6::jsonb, $7)', [
    ctx.runId,
    input.toolUseId ?? null,
    input.action.type,
    JSON.stringify(input.action),
    VERDICT[verdict.decision],
    JSON.stringify(verdict.reasons),
    now.toISOString(),
  ]);
  return { decision: verdict.decision, reasons: verdict.reasons, budget: budgetOf(ctx, now) };
}

export function draftOf(r: ReceiptInput): ReceiptDraft {
  return { kind: r.kind, payload: r.payload, clientTimestamp: new Date(r.clientTimestamp), idempotencyKey: r.idempotencyKey, toolUseId: r.toolUseId ?? null };
}

export async function postReceipts(ctx: RunContext, receipts: ReceiptInput[]): Promise<AppendResult> {
  return appendReceipts(ctx, receipts.map(draftOf));
}

/**
 * Finishes a run: the outcome goes into the chain as its last receipt, the head is signed, the run
 * token dies, and the contract moves to completed, waiting for close-out.
 */
export async function finishRun(ctx: RunContext, input: FinishInput, by?: { id: string; name: string }) {
  // Receipts the MCP gateway of this process still has queued go into the chain before its last one.
  await flushRunEvidence(ctx.runId);
  const now = new Date();
  const status = ({ succeeded: 'SUCCEEDED', failed: 'FAILED', aborted: 'ABORTED' } as const)[input.outcome];
  return db.$transaction(
    async (tx) => {
      const final = await appendReceipts(
        ctx,
        [{ kind: 'NOTE', payload: { event: 'run.finished', outcome: input.outcome, summary: input.summary, checks: input.checks, patchRef: input.patchRef ?? null, costCents: input.costCents ?? null, ...(by ? { by: by.name } : {}) }, clientTimestamp: now, idempotencyKey: 'run.finished', toolUseId: null }],
        { sql: prismaSql(tx) },
      );
      const run = await tx.run.findUniqueOrThrow({ where: { id: ctx.runId }, select: { receiptCount: true, costCents: true, violationCount: true, contract: { select: { requesterId: true, number: true, title: true } } } });
      const costCents = Math.max(run.costCents, input.costCents ?? 0);
      await tx.run.update({
        where: { id: ctx.runId },
        data: { status, finishedAt: now, summary: input.summary, patchRef: input.patchRef ?? null, checkResults: input.checks, costCents },
      });
      const checkpoint = await writeCheckpoint(prismaSql(tx), ctx.runId, run.receiptCount, final.headHash, now);
      await tx.taskContract.updateMany({ where: { id: ctx.contractId, status: 'RUNNING' }, data: { status: 'COMPLETED' } });
      await tx.auditEvent.create({
        data: { ...(by ? { actorId: by.id } : { actorAgent: ctx.identityName }), action: by ? 'run.aborted' : 'run.finished', targetType: 'Run', targetId: ctx.runId, before: { status: 'STARTED' }, after: { status, patchRef: input.patchRef ?? null, receipts: run.receiptCount, headHash: final.headHash } },
      });
      await tx.notification.create({
        data: { userId: run.contract.requesterId, kind: 'run.finished', title: `MDT-${run.contract.number}: the agent run ${input.outcome}`, body: run.violationCount ? `${run.violationCount} boundary violation(s) recorded. ${run.contract.title}` : run.contract.title, href: `/runs/${ctx.runId}` },
      });
      return {
        run: { id: ctx.runId, status: status.toLowerCase(), finishedAt: now.toISOString(), receipts: run.receiptCount, violations: run.violationCount, costCents },
        checkpoint: { seq: checkpoint.seq, headHash: checkpoint.headHash, keyId: checkpoint.keyId, signature: checkpoint.signature },
      };
    },
    { timeout: 30_000 },
  );
}


/**
 * A person stops a run the agent did not finish (stuck, expired, or cut off): the requester of its
 * contract, or security. It ends like any finish: a last receipt, a signed head, a dead token.
 */
export async function abortRun(actor: Actor, input: AbortRunInput) {
  const run = await db.run.findUnique({ where: { id: input.runId }, select: { status: true, contract: { select: { requesterId: true, delegatedById: true } } } });
  if (!run) throw new AppError('NOT_FOUND', 'This run does not exist.');
  const allowed = actor.roles.includes('SECURITY') || run.contract.requesterId === actor.id || run.contract.delegatedById === actor.id;
  if (!allowed) throw new AppError('FORBIDDEN', 'Only the requester of the contract or security can abort its run.');
  if (run.status !== 'STARTED') throw new AppError('CONFLICT', `This run has already finished (${run.status.toLowerCase()}).`);
  const ctx = await runContextById(input.runId);
  return finishRun(ctx!, { outcome: 'aborted', summary: `Aborted by ${actor.name}: ${input.reason}`, checks: [] }, { id: actor.id, name: actor.name });
}
