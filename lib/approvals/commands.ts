import { db, type Tx } from '@/lib/db';
import { env } from '@/lib/env';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';
import { mayDecide, requiredApprovals } from '@/lib/domain/approval-policy';
import { transition, type ContractEvent } from '@/lib/domain/contract-lifecycle';
import { notifyRole } from '@/lib/notifications/commands';
import type { DecideApprovalInput, DecideExceptionInput, RequestExceptionInput } from './schema';

const OUTCOME_STATUS = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', REJECT: 'REJECTED' } as const;
const OUTCOME_EVENT: Record<DecideApprovalInput['outcome'], ContractEvent> = { APPROVE: 'approve', REQUEST_CHANGES: 'requestChanges', REJECT: 'reject' };
const OUTCOME_WORDS = { APPROVE: 'approved', REQUEST_CHANGES: 'sent back for changes', REJECT: 'rejected' } as const;
const HOUR = 3600_000;

function ref(number: number) {
  return `MDT-${number}`;
}

async function openApprovals(tx: Tx, contract: { id: string; tier: 'LOW' | 'MEDIUM' | 'HIGH' | 'STOP'; namedApproverId: string | null; number: number; title: string }, versionId: string, exceptionGranted: boolean) {
  const dueAt = new Date(Date.now() + env().APPROVAL_TARGET_HOURS * HOUR);
  for (const request of requiredApprovals(contract.tier, contract.namedApproverId, exceptionGranted)) {
    await tx.approvalRequest.create({ data: { ...request, contractId: contract.id, contractVersionId: versionId, tier: contract.tier, dueAt } });
    const note = { kind: 'approval.assigned', title: `${ref(contract.number)} needs ${request.kind === 'APPROVER' ? 'approval' : 'a security co-sign'}`, body: contract.title, href: '/approvals' };
    if (request.assigneeId) await tx.notification.create({ data: { userId: request.assigneeId, ...note } });
    else await notifyRole(tx, request.queueRole!, note);
  }
}

/**
 * A named person decides one approval request, with a written reason. Exactly one decision wins:
 * the request is claimed with a conditional update, so a second decider at the same moment is told
 * who decided first and nothing of theirs is stored. Separation of duties is checked here, on the
 * server, whatever the page showed.
 */
export async function decideApproval(actor: Actor, input: DecideApprovalInput) {
  return db.$transaction(async (tx) => {
    const request = await tx.approvalRequest.findUnique({
      where: { id: input.requestId },
      select: {
        id: true,
        kind: true,
        status: true,
        assigneeId: true,
        escalatedAt: true,
        contractVersionId: true,
        assignee: { select: { name: true } },
        contractVersion: { select: { version: true } },
        contract: { select: { id: true, number: true, title: true, status: true, tier: true, currentVersion: true, requesterId: true, delegatedById: true } },
      },
    });
    if (!request) throw new AppError('NOT_FOUND', 'That approval request does not exist.');
    assertCan(actor, request.kind === 'APPROVER' ? 'approval:decide' : 'approval:cosign');
    const { contract } = request;
    if (!mayDecide(actor.id, contract)) throw new AppError('FORBIDDEN', 'You requested or delegated this contract, so someone else must decide it.');
    if (request.assigneeId && request.assigneeId !== actor.id && !request.escalatedAt) {
      throw new AppError('FORBIDDEN', `This request is assigned to ${request.assignee?.name}; it opens to the whole queue only once it passes its target time.`);
    }
    if (request.status === 'PENDING' && request.contractVersion.version !== contract.currentVersion) {
      throw new AppError('CONFLICT', `The contract changed after this request was made (it is at version ${contract.currentVersion}).`);
    }
    if (input.outcome === 'APPROVE') {
      const otherSignature = await tx.approvalDecision.findFirst({
        where: { deciderId: actor.id, outcome: 'APPROVE', request: { contractVersionId: request.contractVersionId, id: { not: request.id } } },
        select: { id: true },
      });
      if (otherSignature) throw new AppError('FORBIDDEN', 'You already signed this version; the approver and the security co-sign must be two different people.');
    }

    const now = new Date();
    const claimed = await tx.approvalRequest.updateMany({ where: { id: request.id, status: 'PENDING' }, data: { status: OUTCOME_STATUS[input.outcome], decidedAt: now } });
    if (claimed.count === 0) {
      const first = await tx.approvalDecision.findUnique({ where: { requestId: request.id }, select: { outcome: true, createdAt: true, decider: { select: { name: true } } } });
      throw new AppError(
        'CONFLICT',
        first
          ? `${first.decider.name} already ${OUTCOME_WORDS[first.outcome]} this request at ${first.createdAt.toISOString().slice(11, 16)} UTC; your decision was not recorded.`
          : 'This request is no longer waiting for a decision; your decision was not recorded.',
      );
    }
    await tx.approvalDecision.create({ data: { requestId: request.id, deciderId: actor.id, outcome: input.outcome, reason: input.reason } });
    await tx.auditEvent.create({
      data: { actorId: actor.id, action: 'approval.decided', targetType: 'ApprovalRequest', targetId: request.id, before: { status: 'PENDING' }, after: { status: OUTCOME_STATUS[input.outcome], reason: input.reason, contract: ref(contract.number) } },
    });

    // What the decision does to the contract: changes or rejection end the review; approval completes it once every signature is in.
    let contractStatus = contract.status;
    const stillPending = await tx.approvalRequest.count({ where: { contractId: contract.id, contractVersionId: request.contractVersionId, status: 'PENDING' } });
    if (input.outcome !== 'APPROVE' || stillPending === 0) {
      const step = transition(contract.status, OUTCOME_EVENT[input.outcome], input.outcome === 'APPROVE' ? 'system' : request.kind === 'APPROVER' ? 'approver' : 'security', contract.tier ?? 'MEDIUM');
      if (!step.ok) throw new AppError('CONFLICT', step.reason);
      contractStatus = step.to;
      await tx.taskContract.update({ where: { id: contract.id }, data: { status: step.to } });
      if (input.outcome === 'APPROVE') {
        await tx.approvalRequest.updateMany({
          where: { contractId: contract.id, contractVersionId: request.contractVersionId, status: 'APPROVED' },
          data: { expiresAt: new Date(now.getTime() + env().APPROVAL_EXPIRY_DAYS * 24 * HOUR) },
        });
      } else {
        await tx.approvalRequest.updateMany({ where: { contractId: contract.id, status: 'PENDING' }, data: { status: 'VOIDED', decidedAt: now } });
      }
      await tx.auditEvent.create({
        data: { actorId: actor.id, action: `contract.${step.to.toLowerCase().replace('_', '-')}`, targetType: 'TaskContract', targetId: contract.id, before: { status: contract.status }, after: { status: step.to } },
      });
    }
    await tx.notification.create({
      data: {
        userId: contract.requesterId,
        kind: 'approval.decided',
        title: `${ref(contract.number)}: ${actor.name} ${OUTCOME_WORDS[input.outcome]}`,
        body: input.reason,
        href: `/contracts/${contract.id}`,
      },
    });
    return { requestId: request.id, contractId: contract.id, contractStatus };
  });
}

export async function requestException(actor: Actor, input: RequestExceptionInput) {
  assertCan(actor, 'exception:request');
  return db.$transaction(async (tx) => {
    const contract = await tx.taskContract.findFirst({ where: { id: input.contractId, requesterId: actor.id }, select: { id: true, number: true, title: true, status: true } });
    if (!contract) throw new AppError('NOT_FOUND', 'That contract does not exist or is not yours.');
    if (contract.status !== 'BLOCKED') throw new AppError('CONFLICT', 'Only a contract blocked at Stop tier needs a security exception.');
    const open = await tx.securityException.count({ where: { contractId: contract.id, status: 'REQUESTED' } });
    if (open) throw new AppError('CONFLICT', 'An exception request for this contract is already waiting for security.');
    const exception = await tx.securityException.create({
      data: { contractId: contract.id, requesterId: actor.id, what: input.what, why: input.why, compensatingControls: input.compensatingControls, requestedDays: input.days },
    });
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'exception.requested', targetType: 'SecurityException', targetId: exception.id, after: { contract: ref(contract.number), what: input.what, days: input.days } } });
    await notifyRole(tx, 'SECURITY', { kind: 'exception.requested', title: `${ref(contract.number)} asks for a security exception`, body: input.what, href: `/contracts/${contract.id}` }, [actor.id]);
    return { exceptionId: exception.id, contractId: contract.id };
  });
}

/** Security grants (time-boxed) or refuses an exception; a grant moves the Stop contract into High-style review. */
export async function decideException(actor: Actor, input: DecideExceptionInput) {
  assertCan(actor, 'exception:decide');
  return db.$transaction(async (tx) => {
    const exception = await tx.securityException.findUnique({
      where: { id: input.exceptionId },
      select: {
        id: true,
        requestedDays: true,
        requesterId: true,
        contract: { select: { id: true, number: true, title: true, status: true, tier: true, currentVersion: true, namedApproverId: true, requesterId: true, delegatedById: true } },
      },
    });
    if (!exception) throw new AppError('NOT_FOUND', 'That exception request does not exist.');
    const { contract } = exception;
    if (!mayDecide(actor.id, contract)) throw new AppError('FORBIDDEN', 'You requested or delegated this contract, so another security reviewer must decide.');
    const now = new Date();
    const status = input.outcome === 'GRANT' ? 'GRANTED' : 'REFUSED';
    const claimed = await tx.securityException.updateMany({
      where: { id: exception.id, status: 'REQUESTED' },
      data: { status, decidedById: actor.id, decisionReason: input.reason, decidedAt: now, expiresAt: status === 'GRANTED' ? new Date(now.getTime() + exception.requestedDays * 24 * HOUR) : null },
    });
    if (claimed.count === 0) throw new AppError('CONFLICT', 'This exception request was already decided.');
    await tx.auditEvent.create({ data: { actorId: actor.id, action: `exception.${status.toLowerCase()}`, targetType: 'SecurityException', targetId: exception.id, before: { status: 'REQUESTED' }, after: { status, reason: input.reason } } });

    if (status === 'GRANTED') {
      const step = transition(contract.status, 'grantException', 'security', contract.tier ?? 'STOP');
      if (!step.ok) throw new AppError('CONFLICT', step.reason);
      const version = await tx.contractVersion.findUniqueOrThrow({ where: { contractId_version: { contractId: contract.id, version: contract.currentVersion } }, select: { id: true } });
      await tx.taskContract.update({ where: { id: contract.id }, data: { status: step.to } });
      await openApprovals(tx, { ...contract, tier: contract.tier ?? 'STOP' }, version.id, true);
      await tx.auditEvent.create({ data: { actorId: actor.id, action: 'contract.unblocked', targetType: 'TaskContract', targetId: contract.id, before: { status: contract.status }, after: { status: step.to, exception: exception.id } } });
    }
    await tx.notification.create({
      data: { userId: exception.requesterId, kind: 'exception.decided', title: `${ref(contract.number)}: exception ${status.toLowerCase()} by ${actor.name}`, body: input.reason, href: `/contracts/${contract.id}` },
    });
    return { exceptionId: exception.id, status, contractId: contract.id };
  });
}

/**
 * Time-based rules, evaluated whenever queues are read (idempotent; each change is a conditional
 * update in its own transaction, so several app instances can run it at once):
 * requests past their target are flagged and offered to the role queue; approvals unused by a run
 * past their expiry send the contract back to review; expired exceptions re-block Stop work.
 */
export async function sweepApprovals(now = new Date()) {
  // Escalation in bulk: one statement flags every overdue request (others sweeping at the same time
  // skip the rows already taken), one audit row each, and one notification per person and role queue.
  const overdue = await db.$transaction(async (tx) => {
    const flagged = await tx.$queryRaw<{ id: string; kind: 'APPROVER' | 'SECURITY_COSIGN'; number: number; title: string }[]>`
      UPDATE "ApprovalRequest" a SET "escalatedAt" = ${now}
      FROM "TaskContract" c
      WHERE c."id" = a."contractId" AND a."id" IN (
        SELECT "id" FROM "ApprovalRequest" WHERE "status" = 'PENDING' AND "dueAt" < ${now} AND "escalatedAt" IS NULL
        ORDER BY "dueAt" LIMIT 2000 FOR UPDATE SKIP LOCKED)
      RETURNING a."id", a."kind"::text AS "kind", c."number", c."title"`;
    if (!flagged.length) return flagged;
    await tx.auditEvent.createMany({ data: flagged.map((r) => ({ action: 'approval.escalated', targetType: 'ApprovalRequest', targetId: r.id, after: { contract: ref(r.number) }, createdAt: now })) });
    for (const [kind, role] of [['APPROVER', 'APPROVER'], ['SECURITY_COSIGN', 'SECURITY']] as const) {
      const mine = flagged.filter((r) => r.kind === kind);
      if (!mine.length) continue;
      const note =
        mine.length === 1
          ? { kind: 'approval.escalated', title: `${ref(mine[0]!.number)} is past its approval target`, body: mine[0]!.title, href: '/approvals' }
          : { kind: 'approval.escalated', title: `${mine.length} approval requests are past their target`, body: mine.slice(0, 5).map((r) => ref(r.number)).join(', ') + (mine.length > 5 ? ', …' : ''), href: '/approvals' };
      await notifyRole(tx, role, note);
    }
    return flagged;
  });

  const expired = await db.taskContract.findMany({
    where: { status: 'APPROVED', approvals: { some: { status: 'APPROVED', expiresAt: { lt: now } } } },
    select: { id: true, number: true, title: true, tier: true, namedApproverId: true, currentVersion: true, exceptions: { where: { status: 'GRANTED' }, select: { id: true } } },
    take: 200,
  });
  for (const c of expired) {
    await db.$transaction(async (tx) => {
      const moved = await tx.taskContract.updateMany({ where: { id: c.id, status: 'APPROVED' }, data: { status: 'IN_REVIEW' } });
      if (!moved.count) return;
      await tx.approvalRequest.updateMany({ where: { contractId: c.id, status: 'APPROVED' }, data: { status: 'EXPIRED' } });
      const version = await tx.contractVersion.findUniqueOrThrow({ where: { contractId_version: { contractId: c.id, version: c.currentVersion } }, select: { id: true } });
      await openApprovals(tx, { ...c, tier: c.tier ?? 'MEDIUM' }, version.id, c.exceptions.length > 0);
      await tx.auditEvent.create({ data: { action: 'contract.approval-expired', targetType: 'TaskContract', targetId: c.id, before: { status: 'APPROVED' }, after: { status: 'IN_REVIEW' } } });
    });
  }

  const lapsed = await db.securityException.findMany({ where: { status: 'GRANTED', expiresAt: { lt: now } }, select: { id: true, contractId: true }, take: 200 });
  for (const x of lapsed) {
    await db.$transaction(async (tx) => {
      const done = await tx.securityException.updateMany({ where: { id: x.id, status: 'GRANTED' }, data: { status: 'EXPIRED' } });
      if (!done.count) return;
      await tx.auditEvent.create({ data: { action: 'exception.expired', targetType: 'SecurityException', targetId: x.id } });
      const reblocked = await tx.taskContract.updateMany({ where: { id: x.contractId, tier: 'STOP', status: { in: ['IN_REVIEW', 'APPROVED'] } }, data: { status: 'BLOCKED' } });
      if (reblocked.count) {
        await tx.approvalRequest.updateMany({ where: { contractId: x.contractId, status: { in: ['PENDING', 'APPROVED'] } }, data: { status: 'VOIDED', decidedAt: now } });
        await tx.auditEvent.create({ data: { action: 'contract.blocked', targetType: 'TaskContract', targetId: x.contractId, after: { status: 'BLOCKED', reason: 'exception expired' } } });
      }
    });
  }
  return { escalated: overdue.length, approvalsExpired: expired.length, exceptionsExpired: lapsed.length };
}
