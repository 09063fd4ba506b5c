import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { db, sqlQuery } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import { appendReceipts, prismaSql } from '@/lib/evidence/append';
import { runContextById, type RunContext } from '@/lib/runs/context';
import { AppError } from '@/lib/server/errors';
import type { DecideCallInput } from './schema';

/**
 * Calls held for a person: when a capability's policy asks for approval of each call, the gateway
 * files the call here and answers the agent "waiting for approval". The requester of the contract
 * (or security) approves or denies it on the run page; an approval lets exactly that call (same
 * server, tool and arguments) through once, when the agent sends it again.
 */

/** How long a held call waits for a decision, and an approval waits to be used. */
export const CALL_APPROVAL_HOURS = 8;

export function argumentsHash(args: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalize(args) ?? '{}').digest('hex');
}

export type HeldCall =
  | { state: 'approved'; id: string; by: string }
  | { state: 'pending'; id: string; created: boolean }
  | { state: 'denied'; id: string; by: string; note: string };

/**
 * For a call that needs approval: use an approval that fits it (atomically, so it lets one call
 * through, not two), or say it was denied, or file it (once) and tell the people who decide.
 */
export async function heldCall(ctx: RunContext, call: { server: string; tool: string; args: Record<string, unknown>; storedArgs: unknown; reasons: string[] }): Promise<HeldCall> {
  const hash = argumentsHash(call.args);
  const used = await sqlQuery<{ id: string; by: string }>(
    `WITH picked AS (
       SELECT "id" FROM "CallApproval"
       WHERE "runId" = $1 AND "server" = $2 AND "tool" = $3 AND "argumentsHash" = $4 AND "status" = 'APPROVED' AND "expiresAt" > now()
       ORDER BY "decidedAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
     UPDATE "CallApproval" a SET "status" = 'USED', "usedAt" = now()
     FROM picked, "User" u WHERE a."id" = picked."id" AND u."id" = a."decidedById"
     RETURNING a."id", u."name" AS "by"`,
    [ctx.runId, call.server, call.tool, hash],
  );
  if (used[0]) return { state: 'approved', id: used[0].id, by: used[0].by };

  const latest = await db.callApproval.findFirst({
    where: { runId: ctx.runId, server: call.server, tool: call.tool, argumentsHash: hash, status: { in: ['PENDING', 'DENIED'] }, expiresAt: { gt: new Date() } },
    orderBy: { requestedAt: 'desc' },
    select: { id: true, status: true, note: true, decidedBy: { select: { name: true } } },
  });
  if (latest?.status === 'PENDING') return { state: 'pending', id: latest.id, created: false };
  if (latest?.status === 'DENIED') return { state: 'denied', id: latest.id, by: latest.decidedBy?.name ?? 'someone', note: latest.note ?? '' };

  const created = await db.$transaction(async (tx) => {
    const run = await tx.run.findUniqueOrThrow({ where: { id: ctx.runId }, select: { contract: { select: { requesterId: true, delegatedById: true, title: true } } } });
    const approval = await tx.callApproval.create({
      data: {
        runId: ctx.runId,
        server: call.server,
        tool: call.tool,
        argumentsHash: hash,
        arguments: call.storedArgs as object,
        reasons: call.reasons,
        expiresAt: new Date(Date.now() + CALL_APPROVAL_HOURS * 3600_000),
      },
      select: { id: true },
    });
    const people = [...new Set([run.contract.requesterId, run.contract.delegatedById].filter((p): p is string => Boolean(p)))];
    await tx.notification.createMany({
      data: people.map((userId) => ({
        userId,
        kind: 'call-approval.requested',
        title: `${ctx.contractRef}: ${ctx.identityName} asks to call ${call.server}/${call.tool}`,
        body: `${call.reasons.join('; ')}. ${run.contract.title}`.slice(0, 500),
        href: `/runs/${ctx.runId}#held-calls`,
      })),
    });
    await tx.auditEvent.create({ data: { actorAgent: ctx.identityName, action: 'call-approval.requested', targetType: 'Run', targetId: ctx.runId, after: { approval: approval.id, server: call.server, tool: call.tool, arguments: call.storedArgs as object } } });
    return approval;
  });
  return { state: 'pending', id: created.id, created: true };
}

/** The requester of the contract (or whoever delegated it) or security approves or denies a held call. */
export async function decideCall(actor: Actor, input: DecideCallInput) {
  const approval = await db.callApproval.findUnique({
    where: { id: input.approvalId },
    select: { id: true, runId: true, server: true, tool: true, status: true, expiresAt: true, run: { select: { status: true, contract: { select: { requesterId: true, delegatedById: true } } } } },
  });
  if (!approval) throw new AppError('NOT_FOUND', 'This held call does not exist.');
  const contract = approval.run.contract;
  if (!(actor.roles.includes('SECURITY') || contract.requesterId === actor.id || contract.delegatedById === actor.id)) {
    throw new AppError('FORBIDDEN', 'Only the requester of the contract or security can decide on its calls.');
  }
  if (approval.status !== 'PENDING') throw new AppError('CONFLICT', `This call was already ${approval.status.toLowerCase()}.`);
  if (approval.run.status !== 'STARTED') throw new AppError('CONFLICT', `The run has finished (${approval.run.status.toLowerCase()}); its held calls can no longer run.`);
  if (approval.expiresAt <= new Date()) throw new AppError('CONFLICT', 'This held call has expired; the agent has to ask again.');
  const status = input.decision === 'approve' ? 'APPROVED' : 'DENIED';
  return db.$transaction(async (tx) => {
    const changed = await tx.callApproval.updateMany({ where: { id: approval.id, status: 'PENDING' }, data: { status, decidedById: actor.id, decidedAt: new Date(), note: input.note || null } });
    if (!changed.count) throw new AppError('CONFLICT', 'Someone decided on this call a moment ago.');
    await tx.auditEvent.create({ data: { actorId: actor.id, action: `call-approval.${input.decision === 'approve' ? 'approved' : 'denied'}`, targetType: 'Run', targetId: approval.runId, after: { approval: approval.id, server: approval.server, tool: approval.tool, note: input.note || null } } });
    // The decision is evidence of the run too.
    const ctx = await runContextById(approval.runId, tx);
    await appendReceipts(
      ctx!,
      [{ kind: 'NOTE', payload: { event: `call.${input.decision === 'approve' ? 'approved' : 'denied'}`, server: approval.server, tool: approval.tool, approval: approval.id, by: actor.name, note: input.note || null }, clientTimestamp: new Date(), idempotencyKey: `call-decision:${approval.id}`, toolUseId: null }],
      { sql: prismaSql(tx) },
    );
    return { id: approval.id, status: status.toLowerCase() };
  });
}

/** The run's held calls, newest first, for the run page. */
export function heldCallsOfRun(runId: string) {
  return db.callApproval.findMany({
    where: { runId },
    orderBy: { requestedAt: 'desc' },
    take: 50,
    select: { id: true, server: true, tool: true, arguments: true, reasons: true, status: true, requestedAt: true, decidedAt: true, note: true, usedAt: true, expiresAt: true, decidedBy: { select: { name: true } } },
  });
}
