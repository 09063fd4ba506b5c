import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import type { Prisma } from '@/lib/generated/prisma/client';
import { sweepApprovals } from './commands';

export type QueueScope = 'mine' | 'role';

/** Requests waiting for this person: by name ('mine'), or in the queue of a role they hold ('role'), escalated ones included. */
function queueWhere(actor: Actor, scope: QueueScope): Prisma.ApprovalRequestWhereInput {
  const kinds: Prisma.ApprovalRequestWhereInput[] = [];
  if (actor.roles.includes('APPROVER')) kinds.push({ kind: 'APPROVER' });
  if (actor.roles.includes('SECURITY')) kinds.push({ kind: 'SECURITY_COSIGN' });
  const roleQueues: Prisma.ApprovalRequestWhereInput[] = [];
  if (actor.roles.includes('APPROVER')) roleQueues.push({ kind: 'APPROVER', OR: [{ assigneeId: null }, { escalatedAt: { not: null }, assigneeId: { not: actor.id } }] });
  if (actor.roles.includes('SECURITY')) roleQueues.push({ kind: 'SECURITY_COSIGN', OR: [{ assigneeId: null }, { escalatedAt: { not: null }, assigneeId: { not: actor.id } }] });
  return {
    status: 'PENDING',
    // Separation of duties: your own or delegated work never waits for you.
    contract: { requesterId: { not: actor.id }, OR: [{ delegatedById: null }, { delegatedById: { not: actor.id } }] },
    ...(scope === 'mine' ? { assigneeId: actor.id, OR: kinds.length ? kinds : [{ id: '' }] } : { OR: roleQueues.length ? roleQueues : [{ id: '' }] }),
  };
}

export async function listQueue(actor: Actor, scope: QueueScope) {
  await sweepApprovals();
  const rows = await db.approvalRequest.findMany({
    where: queueWhere(actor, scope),
    select: {
      id: true,
      kind: true,
      tier: true,
      createdAt: true,
      dueAt: true,
      escalatedAt: true,
      assignee: { select: { name: true } },
      contract: { select: { id: true, number: true, title: true, repository: true, requester: { select: { name: true } }, team: { select: { name: true } } } },
    },
    orderBy: [{ tier: 'desc' }, { createdAt: 'asc' }],
    take: 200,
  });
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    tier: r.tier,
    createdAt: r.createdAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    escalated: r.escalatedAt !== null,
    waitingMinutes: Math.max(0, Math.round((now - r.createdAt.getTime()) / 60_000)),
    overdueMinutes: Math.max(0, Math.round((now - r.dueAt.getTime()) / 60_000)),
    dueInMinutes: Math.max(0, Math.round((r.dueAt.getTime() - now) / 60_000)),
    assignee: r.assignee?.name ?? null,
    contract: { id: r.contract.id, number: r.contract.number, title: r.contract.title, repository: r.contract.repository, requester: r.contract.requester.name, team: r.contract.team.name },
  }));
}
export type QueueItem = Awaited<ReturnType<typeof listQueue>>[number];

export async function queueCounts(actor: Actor) {
  const [mine, role] = await Promise.all([db.approvalRequest.count({ where: queueWhere(actor, 'mine') }), db.approvalRequest.count({ where: queueWhere(actor, 'role') })]);
  return { mine, role };
}

/** One request with what the decider needs; the contract itself is read with getContractOrThrow. */
export async function getApprovalRequest(id: string) {
  return db.approvalRequest.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      status: true,
      tier: true,
      createdAt: true,
      dueAt: true,
      escalatedAt: true,
      assigneeId: true,
      assignee: { select: { name: true } },
      contractId: true,
      contractVersion: { select: { version: true, snapshot: true } },
      decision: { select: { outcome: true, reason: true, createdAt: true, decider: { select: { name: true } } } },
    },
  });
}

/** The snapshot of the newest earlier version that someone already decided on, to show what changed since. */
export async function lastDecidedSnapshot(contractId: string, beforeVersion: number) {
  const decided = await db.approvalRequest.findFirst({
    where: { contractId, decision: { isNot: null }, contractVersion: { version: { lt: beforeVersion } } },
    orderBy: { contractVersion: { version: 'desc' } },
    select: { contractVersion: { select: { version: true, snapshot: true } } },
  });
  return decided?.contractVersion ?? null;
}
