import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import type { Prisma } from '@/lib/generated/prisma/client';
import { EDITABLE_BY_REQUESTER } from '@/lib/domain/contract-lifecycle';
import type { RiskReason } from '@/lib/domain/risk';
import { AppError } from '@/lib/server/errors';
import type { ContractListQuery } from './schema';

const ORDER: Record<ContractListQuery['sort'], Prisma.TaskContractOrderByWithRelationInput[]> = {
  updated: [{ updatedAt: 'desc' }],
  created: [{ createdAt: 'desc' }],
  tier: [{ tier: { sort: 'desc', nulls: 'last' } }, { updatedAt: 'desc' }],
  number: [{ number: 'desc' }],
};

/**
 * Contracts are one shared record: everyone who may read contracts sees all of them (engineering,
 * security and leadership look at the same rows). Filters, search, sort and paging run in SQL.
 */
export async function listContracts(actor: Actor, query: ContractListQuery) {
  const ref = query.q?.match(/^(?:MDT-)?(\d+)$/i);
  const where: Prisma.TaskContractWhereInput = {
    ...(query.mine ? { requesterId: actor.id } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.tier ? { tier: query.tier } : {}),
    ...(query.team ? { team: { slug: query.team } } : {}),
    ...(query.agent ? { agentIdentity: { name: query.agent } } : {}),
    ...(query.q
      ? {
          OR: [
            { title: { contains: query.q, mode: 'insensitive' } },
            { description: { contains: query.q, mode: 'insensitive' } },
            { repository: { contains: query.q, mode: 'insensitive' } },
            ...(ref ? [{ number: Number(ref[1]) }] : []),
          ],
        }
      : {}),
  };
  const [items, total, teams, agents] = await Promise.all([
    db.taskContract.findMany({
      where,
      select: {
        id: true,
        number: true,
        title: true,
        status: true,
        tier: true,
        repository: true,
        updatedAt: true,
        requester: { select: { name: true } },
        team: { select: { name: true } },
        agentIdentity: { select: { name: true } },
      },
      orderBy: ORDER[query.sort],
      skip: (query.page - 1) * query.size,
      take: query.size,
    }),
    db.taskContract.count({ where }),
    db.team.findMany({ select: { slug: true, name: true }, orderBy: { name: 'asc' } }),
    db.agentIdentity.findMany({ select: { name: true }, orderBy: { name: 'asc' } }),
  ]);
  return { items, total, pages: Math.max(1, Math.ceil(total / query.size)), teams, agents };
}

export async function getContractOrThrow(id: string) {
  const contract = await db.taskContract.findUnique({
    where: { id },
    select: {
      id: true,
      number: true,
      status: true,
      tier: true,
      frozenAt: true,
      incidents: { where: { status: { in: ['OPEN', 'CONTAINED'] } }, select: { id: true, number: true } },
      title: true,
      description: true,
      repository: true,
      baseBranch: true,
      allowGlobs: true,
      blockGlobs: true,
      checks: true,
      deliverables: true,
      allowedData: true,
      blockedItems: true,
      blockedFreeText: true,
      localCommands: true,
      budgetMaxCostCents: true,
      budgetMaxToolCalls: true,
      budgetMaxWallMinutes: true,
      rollbackPlan: true,
      tierRaisedTo: true,
      tierRaiseReason: true,
      currentVersion: true,
      createdAt: true,
      submittedAt: true,
      requesterId: true,
      delegatedById: true,
      agentIdentityId: true,
      requester: { select: { name: true, title: true } },
      delegatedBy: { select: { name: true } },
      namedApprover: { select: { name: true } },
      team: { select: { name: true } },
      agentIdentity: { select: { name: true, kind: true, status: true, killedAt: true } },
      capabilities: {
        select: {
          capability: {
            select: { id: true, toolName: true, businessCapability: true, dataClass: true, access: true, policy: true, server: { select: { name: true, slug: true, killedAt: true } } },
          },
        },
      },
      versions: {
        select: { id: true, version: true, snapshot: true, createdAt: true, createdBy: { select: { name: true } }, assessment: { select: { tier: true, computedTier: true, reasons: true } } },
        orderBy: { version: 'desc' },
      },
      approvals: {
        select: {
          id: true,
          kind: true,
          status: true,
          queueRole: true,
          assigneeId: true,
          escalatedAt: true,
          createdAt: true,
          dueAt: true,
          contractVersion: { select: { version: true } },
          assignee: { select: { name: true } },
          decision: { select: { outcome: true, reason: true, createdAt: true, decider: { select: { name: true } } } },
        },
        orderBy: { createdAt: 'desc' },
      },
      exceptions: {
        select: { id: true, what: true, why: true, compensatingControls: true, requestedDays: true, status: true, decisionReason: true, createdAt: true, expiresAt: true, decidedBy: { select: { name: true } } },
        orderBy: { createdAt: 'desc' },
      },
      runs: { select: { id: true, status: true, startedAt: true, finishedAt: true, violationCount: true, patchRef: true, receiptCount: true }, orderBy: { startedAt: 'desc' } },
    },
  });
  if (!contract) throw new AppError('NOT_FOUND', 'No contract with that id.');
  const relatedIds = [contract.id, ...contract.approvals.map((a) => a.id), ...contract.exceptions.map((x) => x.id), ...contract.runs.map((r) => r.id)];
  const timeline = await db.auditEvent.findMany({
    where: { targetId: { in: relatedIds } },
    select: { id: true, action: true, actorAgent: true, createdAt: true, after: true, actor: { select: { name: true } } },
    orderBy: { createdAt: 'desc' },
    take: 100,
  });
  return {
    ...contract,
    versions: contract.versions.map((v) => ({ ...v, assessment: v.assessment && { ...v.assessment, reasons: v.assessment.reasons as RiskReason[] } })),
    timeline: timeline.map((e) => ({ ...e, id: e.id.toString() })),
  };
}

export type ContractDetail = Awaited<ReturnType<typeof getContractOrThrow>>;

/** The requester's own contract as form values, while it may still change; null otherwise. */
export async function getContractForEdit(actor: Actor, id: string) {
  const c = await db.taskContract.findFirst({
    where: { id, requesterId: actor.id, status: { in: [...EDITABLE_BY_REQUESTER] } },
    include: { capabilities: { select: { capabilityId: true } } },
  });
  if (!c) return null;
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    currentVersion: c.currentVersion,
    values: {
      title: c.title,
      description: c.description,
      repository: c.repository,
      baseBranch: c.baseBranch,
      allowGlobs: c.allowGlobs.join('\n'),
      blockGlobs: c.blockGlobs.join('\n'),
      checks: c.checks.join('\n'),
      deliverables: c.deliverables,
      delegatedById: c.delegatedById ?? '',
      namedApproverId: c.namedApproverId ?? '',
      agentIdentityId: c.agentIdentityId ?? '',
      allowedData: c.allowedData,
      blockedItems: c.blockedItems,
      blockedFreeText: c.blockedFreeText,
      capabilityIds: c.capabilities.map((x) => x.capabilityId),
      localCommands: c.localCommands.join('\n'),
      budgetMaxCost: c.budgetMaxCostCents ? String(c.budgetMaxCostCents / 100) : '',
      budgetMaxToolCalls: c.budgetMaxToolCalls ? String(c.budgetMaxToolCalls) : '',
      budgetMaxWallMinutes: c.budgetMaxWallMinutes ? String(c.budgetMaxWallMinutes) : '',
      rollbackPlan: c.rollbackPlan,
      tierRaisedTo: c.tierRaisedTo ?? '',
      tierRaiseReason: c.tierRaiseReason ?? '',
    },
  };
}
