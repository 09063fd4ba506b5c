import { db, type Tx } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';
import { notifyRole } from '@/lib/notifications/commands';
import { switchServerKill } from '@/lib/registry/commands';
import { changeIdentityStatus, revokeAllTokens } from '@/lib/identities/commands';
import { recordKillOnRunningRuns } from '@/lib/runs/kill';
import { CONTAINMENT_LABEL, incidentTransition, type IncidentEvent, type IncidentStatus } from '@/lib/domain/incident';
import type { z } from 'zod';
import type { ContainInput, LiftFreezeInput, OpenIncidentInput, ResolveInput, ReviewInput } from './schema';

const invalid = (field: string, message: string) => new AppError('VALIDATION', 'Some fields need your attention.', { [field]: [message] });

/**
 * Opens an incident. Links are resolved on the server: a run brings its contract and agent identity
 * (what the form sends for those is ignored), a violation must name a receipt that is one.
 * Security and the owner are notified.
 */
export async function openIncident(actor: Actor, input: OpenIncidentInput) {
  assertCan(actor, 'incident:manage');
  return db.$transaction(async (tx) => {
    const owner = await tx.user.findFirst({ where: { id: input.ownerId, active: true }, select: { id: true, name: true } });
    if (!owner) throw invalid('ownerId', 'Choose an active person');
    let { contractId, identityId } = input;
    if (input.runId) {
      const run = await tx.run.findUnique({ where: { id: input.runId }, select: { contractId: true, agentIdentityId: true } });
      if (!run) throw invalid('runId', 'That run does not exist');
      ({ contractId, agentIdentityId: identityId } = run);
      if (input.seq) {
        const receipt = await tx.evidenceReceipt.findUnique({ where: { runId_seq: { runId: input.runId, seq: input.seq } }, select: { violation: true } });
        if (!receipt) throw invalid('seq', `The run has no receipt ${input.seq}`);
        if (input.source === 'violation' && !receipt.violation) throw invalid('seq', `Receipt ${input.seq} is not a boundary violation`);
      } else if (input.source === 'violation') throw invalid('seq', 'Name the violating receipt');
    } else if (input.source === 'violation') throw invalid('source', 'A violation incident starts from a run; open it from the run page');
    if (contractId && !(await tx.taskContract.findUnique({ where: { id: contractId }, select: { id: true } }))) throw invalid('contractId', 'That contract does not exist');
    if (identityId && !(await tx.agentIdentity.findUnique({ where: { id: identityId }, select: { id: true } }))) throw invalid('identityId', 'That agent identity does not exist');
    if (input.serverId && !(await tx.mcpServer.findUnique({ where: { id: input.serverId }, select: { id: true } }))) throw invalid('serverId', 'That MCP server does not exist');

    const incident = await tx.incident.create({
      data: {
        title: input.title,
        severity: input.severity,
        source: input.source,
        summary: input.summary,
        ownerId: owner.id,
        openedById: actor.id,
        runId: input.runId,
        sourceSeq: input.runId ? (input.seq ?? null) : null,
        contractId,
        agentIdentityId: identityId,
        mcpServerId: input.serverId,
      },
      select: { id: true, number: true },
    });
    await tx.auditEvent.create({
      data: { actorId: actor.id, action: 'incident.opened', targetType: 'Incident', targetId: incident.id, after: { number: incident.number, title: input.title, severity: input.severity, source: input.source, owner: owner.name } },
    });
    const note = { kind: 'incident', title: `INC-${incident.number} opened (${input.severity}): ${input.title}`, body: `Owner: ${owner.name}. ${input.summary}`.slice(0, 500), href: `/incidents/${incident.id}` };
    await notifyRole(tx, 'SECURITY', note, [actor.id]);
    if (owner.id !== actor.id) {
      const ownerIsSecurity = await tx.user.count({ where: { id: owner.id, roles: { has: 'SECURITY' } } });
      if (!ownerIsSecurity) await tx.notification.create({ data: { userId: owner.id, ...note, title: `You own INC-${incident.number}: ${input.title}` } });
    }
    return incident;
  });
}

async function loadForChange(tx: Tx, actor: Actor, incidentId: string, event: IncidentEvent) {
  // One change at a time per incident: two people acting at once queue here, and the second sees the
  // status the first left (so a resolved incident cannot go back to contained).
  await tx.$queryRaw`SELECT 1 FROM "Incident" WHERE "id" = ${incidentId} FOR UPDATE`;
  const incident = await tx.incident.findUnique({
    where: { id: incidentId },
    select: { id: true, number: true, status: true, ownerId: true, contractId: true, agentIdentityId: true, mcpServerId: true, containedAt: true, contract: { select: { number: true, frozenAt: true } } },
  });
  if (!incident) throw new AppError('NOT_FOUND', 'That incident does not exist.');
  // Security runs incidents; the owner (who may be an engineering lead) can resolve and review their own.
  const owner = incident.ownerId === actor.id && (event === 'resolve' || event === 'review');
  if (!owner) assertCan(actor, 'incident:manage');
  const step = incidentTransition(incident.status as IncidentStatus, event);
  if (!step.ok) throw new AppError('CONFLICT', step.reason);
  return { incident, to: step.to };
}

/**
 * A containment action from the incident page, in one transaction with its effect: the same commands
 * the registry and identity pages use (so the same permissions, audit events and violation receipts
 * in running runs), then an incident action that links the audit event, and the incident contained.
 */
export async function containIncident(actor: Actor, input: ContainInput) {
  return db.$transaction(async (tx) => {
    const { incident, to } = await loadForChange(tx, actor, input.incidentId, 'contain');
    const reason = `INC-${incident.number}: ${input.reason}`;
    let auditEventId: bigint | null = null;
    switch (input.action) {
      case 'kill-server':
        if (!incident.mcpServerId) throw new AppError('CONFLICT', 'No MCP server is linked to this incident.');
        auditEventId = await switchServerKill(tx, actor, { id: incident.mcpServerId, on: true, reason });
        break;
      case 'suspend-identity':
        if (!incident.agentIdentityId) throw new AppError('CONFLICT', 'No agent identity is linked to this incident.');
        auditEventId = await changeIdentityStatus(tx, actor, { identityId: incident.agentIdentityId, status: 'SUSPENDED', reason });
        break;
      case 'revoke-tokens':
        if (!incident.agentIdentityId) throw new AppError('CONFLICT', 'No agent identity is linked to this incident.');
        auditEventId = (await revokeAllTokens(tx, actor, incident.agentIdentityId, reason)).auditId;
        break;
      case 'freeze-contract': {
        if (!incident.contractId || !incident.contract) throw new AppError('CONFLICT', 'No contract is linked to this incident.');
        const ref = `MDT-${incident.contract.number}`;
        const frozen = await tx.taskContract.updateMany({ where: { id: incident.contractId, frozenAt: null }, data: { frozenAt: new Date() } });
        if (!frozen.count) throw new AppError('CONFLICT', `${ref} is already frozen.`);
        auditEventId = (
          await tx.auditEvent.create({ data: { actorId: actor.id, action: 'contract.frozen', targetType: 'TaskContract', targetId: incident.contractId, after: { reason, incident: `INC-${incident.number}` } }, select: { id: true } })
        ).id;
        await recordKillOnRunningRuns(tx, { contractId: incident.contractId }, ref, reason, actor.name, 'contract-frozen');
        break;
      }
      case 'other':
        break;
    }
    await tx.incidentAction.create({ data: { incidentId: incident.id, kind: input.action, actorId: actor.id, note: input.reason, auditEventId } });
    if (incident.status !== to) {
      await tx.incident.update({ where: { id: incident.id }, data: { status: to, containedAt: incident.containedAt ?? new Date() } });
    }
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'incident.contained', targetType: 'Incident', targetId: incident.id, after: { action: CONTAINMENT_LABEL[input.action], reason: input.reason } } });
    return { incidentId: incident.id };
  });
}

/** Lifts a freeze the incident put on its contract (the contract can be edited and run again). */
export async function liftFreeze(actor: Actor, input: z.infer<typeof LiftFreezeInput>) {
  return db.$transaction(async (tx) => {
    const { incident } = await loadForChange(tx, actor, input.incidentId, 'liftFreeze');
    if (!incident.contractId || !incident.contract?.frozenAt) throw new AppError('CONFLICT', 'The contract is not frozen.');
    const ref = `MDT-${incident.contract.number}`;
    const lastFreeze = (id: string) => tx.incidentAction.findFirst({ where: { incidentId: id, kind: { in: ['freeze-contract', 'lift-freeze'] } }, orderBy: { createdAt: 'desc' }, select: { kind: true } });
    if ((await lastFreeze(incident.id))?.kind !== 'freeze-contract') throw new AppError('CONFLICT', `This incident did not freeze ${ref}; the incident that froze it lifts the freeze.`);
    // Another open incident that froze the same contract keeps it frozen.
    const others = await tx.incident.findMany({ where: { id: { not: incident.id }, contractId: incident.contractId, status: { in: ['OPEN', 'CONTAINED'] } }, select: { id: true, number: true } });
    for (const other of others) {
      if ((await lastFreeze(other.id))?.kind === 'freeze-contract') throw new AppError('CONFLICT', `INC-${other.number} also froze ${ref} and is still open; it keeps the contract frozen.`);
    }
    await tx.taskContract.update({ where: { id: incident.contractId }, data: { frozenAt: null } });
    const audit = await tx.auditEvent.create({
      data: { actorId: actor.id, action: 'contract.unfrozen', targetType: 'TaskContract', targetId: incident.contractId, after: { reason: input.reason, incident: `INC-${incident.number}` } },
      select: { id: true },
    });
    await tx.incidentAction.create({ data: { incidentId: incident.id, kind: 'lift-freeze', actorId: actor.id, note: input.reason, auditEventId: audit.id } });
    return { incidentId: incident.id };
  });
}

export async function resolveIncident(actor: Actor, input: z.infer<typeof ResolveInput>) {
  return db.$transaction(async (tx) => {
    const { incident, to } = await loadForChange(tx, actor, input.incidentId, 'resolve');
    await tx.incident.update({ where: { id: incident.id }, data: { status: to, resolution: input.resolution, resolvedAt: new Date() } });
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'incident.resolved', targetType: 'Incident', targetId: incident.id, after: { resolution: input.resolution } } });
    return { incidentId: incident.id };
  });
}

/** The closing review: what happened, why the boundary allowed or caught it, and the follow-ups. */
export async function reviewIncident(actor: Actor, input: z.infer<typeof ReviewInput>) {
  return db.$transaction(async (tx) => {
    const { incident, to } = await loadForChange(tx, actor, input.incidentId, 'review');
    await tx.incident.update({ where: { id: incident.id }, data: { status: to, reviewWhat: input.what, reviewWhy: input.why, reviewFollowUps: input.followUps, reviewedAt: new Date() } });
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'incident.reviewed', targetType: 'Incident', targetId: incident.id, after: { what: input.what, why: input.why, followUps: input.followUps } } });
    return { incidentId: incident.id };
  });
}
