import { db } from '@/lib/db';
import { permissionsOf } from '@/lib/auth/permissions';
import { TIERS } from '@/lib/domain/risk';
import { sweepApprovals } from '@/lib/approvals/commands';
import type { Actor } from '@/lib/auth/session';
import type { ContractStatus, Role } from '@/lib/generated/prisma/enums';

const OPEN_CONTRACT = { notIn: ['CLOSED', 'REJECTED'] satisfies ContractStatus[] };
const PULSE_DAYS = 28;

function myContracts(actorId: string) {
  return Promise.all([
    db.taskContract.findMany({
      where: { requesterId: actorId, status: OPEN_CONTRACT },
      select: { id: true, number: true, title: true, status: true, tier: true, repository: true, updatedAt: true },
      orderBy: { updatedAt: 'desc' },
      take: 8,
    }),
    db.taskContract.groupBy({ by: ['status'], where: { requesterId: actorId, status: OPEN_CONTRACT }, _count: true }),
  ]).then(([items, byStatus]) => ({ items, byStatus: byStatus.map((s) => ({ status: s.status, count: s._count })) }));
}

/** Requests waiting for this person: assigned by name, or in the queue of a role they hold. */
async function pendingApprovals(actor: Actor, kind: 'APPROVER' | 'SECURITY_COSIGN', queueRole: Role) {
  const rows = await db.approvalRequest.findMany({
    where: {
      status: 'PENDING',
      kind,
      OR: [{ assigneeId: actor.id }, ...(actor.roles.includes(queueRole) ? [{ assigneeId: null, queueRole }] : [])],
      // Separation of duties: your own contracts never wait for you.
      contract: { requesterId: { not: actor.id }, OR: [{ delegatedById: null }, { delegatedById: { not: actor.id } }] },
    },
    select: {
      id: true,
      tier: true,
      createdAt: true,
      dueAt: true,
      assigneeId: true,
      contract: { select: { number: true, title: true, requester: { select: { name: true } } } },
    },
    orderBy: [{ tier: 'desc' }, { createdAt: 'asc' }],
    take: 10,
  });
  const now = Date.now();
  return rows.map((r) => ({ ...r, overdue: r.dueAt.getTime() < now }));
}

async function securityDesk(actor: Actor) {
  const [cosigns, exceptions, blocked, killedServers, suspendedIdentities, openIncidents] = await Promise.all([
    pendingApprovals(actor, 'SECURITY_COSIGN', 'SECURITY'),
    db.securityException.findMany({
      where: { status: 'REQUESTED' },
      select: { id: true, what: true, createdAt: true, requester: { select: { name: true } }, contract: { select: { number: true, title: true } } },
      orderBy: { createdAt: 'asc' },
      take: 5,
    }),
    db.taskContract.count({ where: { status: 'BLOCKED' } }),
    db.mcpServer.count({ where: { killedAt: { not: null } } }),
    db.agentIdentity.count({ where: { OR: [{ status: { not: 'ACTIVE' } }, { killedAt: { not: null } }] } }),
    db.incident.count({ where: { status: { in: ['OPEN', 'CONTAINED'] } } }),
  ]);
  return { cosigns, exceptions, counts: { blocked, killedServers, suspendedIdentities, openIncidents } };
}

async function pilotPulse() {
  const since = new Date(Date.now() - PULSE_DAYS * 24 * 60 * 60 * 1000);
  const [runsByStatus, contractsByTier, violations, accepted] = await Promise.all([
    db.run.groupBy({ by: ['status'], where: { startedAt: { gte: since } }, _count: true }),
    db.taskContract.groupBy({ by: ['tier'], where: { submittedAt: { gte: since } }, _count: true }),
    db.run.aggregate({ where: { startedAt: { gte: since } }, _sum: { violationCount: true, costCents: true } }),
    db.taskContract.count({ where: { closedAt: { gte: since }, closeOutOutcome: 'ACCEPTED' } }),
  ]);
  const runs = runsByStatus.reduce((n, r) => n + r._count, 0);
  const succeeded = runsByStatus.find((r) => r.status === 'SUCCEEDED')?._count ?? 0;
  return {
    days: PULSE_DAYS,
    runs,
    succeeded,
    accepted,
    violations: violations._sum.violationCount ?? 0,
    costCents: violations._sum.costCents ?? 0,
    contractsByTier: TIERS.flatMap((tier) => contractsByTier.filter((t) => t.tier === tier).map((t) => ({ tier, count: t._count }))),
  };
}

async function orgOverview() {
  const [people, teams, roleCounts] = await Promise.all([
    db.user.count({ where: { active: true } }),
    db.team.findMany({ select: { id: true, name: true, _count: { select: { members: true } } }, orderBy: { name: 'asc' } }),
    db.$queryRaw<{ role: Role; count: number }[]>`
      SELECT r AS "role", count(*)::int AS "count"
      FROM "User", unnest("roles") AS r
      WHERE "active" GROUP BY r ORDER BY r`,
  ]);
  return { people, teams: teams.map((t) => ({ id: t.id, name: t.name, members: t._count.members })), roleCounts };
}

/** Everything the home page shows, only the parts the person's roles allow, fetched in parallel. */
export async function getMyWork(actor: Actor) {
  const perms = permissionsOf(actor.roles);
  // Time rules (escalation, expiry) are evaluated where queues are read, so flags are current here too.
  if (perms.has('approval:decide') || perms.has('approval:cosign')) await sweepApprovals();
  const [contracts, approvals, security, pulse, org] = await Promise.all([
    perms.has('contract:create') ? myContracts(actor.id) : null,
    perms.has('approval:decide') ? pendingApprovals(actor, 'APPROVER', 'APPROVER') : null,
    perms.has('approval:cosign') ? securityDesk(actor) : null,
    perms.has('dashboard:read') ? pilotPulse() : null,
    perms.has('user:manage') ? orgOverview() : null,
  ]);
  return { contracts, approvals, security, pulse, org };
}

export type MyWork = Awaited<ReturnType<typeof getMyWork>>;
