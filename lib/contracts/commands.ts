import { db, type Tx } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';
import { classify, tierRank, TIER_LABEL, type RiskAssessment } from '@/lib/domain/risk';
import { toRiskInput } from './risk-input';
import { transition, type ContractStatus } from '@/lib/domain/contract-lifecycle';
import { requiredApprovals } from '@/lib/domain/approval-policy';
import { loadRiskRegistry } from '@/lib/registry/queries';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { SaveDraftInput, SubmitContractInput } from './schema';

const EDITABLE_AS_DRAFT: ContractStatus[] = ['DRAFT', 'CHANGES_REQUESTED'];
const APPROVAL_TARGET_HOURS = 24;

type FieldErrors = Record<string, string[]>;

function throwIfAny(...groups: FieldErrors[]): void {
  const errors = Object.assign({}, ...groups) as FieldErrors;
  if (Object.keys(errors).length) throw new AppError('VALIDATION', 'Some fields need your attention.', errors);
}

/** Checks the ids a form sends against the database; unknown or inactive ones are field errors, not 500s. */
async function checkReferences(tx: Tx, input: SaveDraftInput, requesterId: string, strict: boolean): Promise<FieldErrors> {
  const errors: Record<string, string[]> = {};
  if (input.agentIdentityId) {
    const identity = await tx.agentIdentity.findUnique({ where: { id: input.agentIdentityId }, select: { status: true, killedAt: true, name: true } });
    if (!identity) errors.agentIdentityId = ['That agent identity does not exist'];
    else if (identity.status !== 'ACTIVE' || identity.killedAt) errors.agentIdentityId = [`${identity.name} is not active; choose an active identity`];
  }
  if (input.delegatedById) {
    const person = await tx.user.findFirst({ where: { id: input.delegatedById, active: true }, select: { id: true } });
    if (!person) errors.delegatedById = ['Choose an active person'];
  }
  if (input.namedApproverId) {
    const approver = await tx.user.findFirst({ where: { id: input.namedApproverId, active: true, roles: { has: 'APPROVER' } }, select: { id: true } });
    if (!approver) errors.namedApproverId = ['Choose an active person with the approver role'];
    else if (input.namedApproverId === requesterId || input.namedApproverId === input.delegatedById) {
      errors.namedApproverId = ['Nobody approves work they requested or delegated: choose someone else'];
    }
  }
  if (input.capabilityIds.length) {
    const caps = await tx.mcpCapability.findMany({
      where: { id: { in: input.capabilityIds } },
      select: { id: true, toolName: true, policy: true, server: { select: { slug: true, killedAt: true } } },
    });
    const messages: string[] = [];
    if (caps.length !== input.capabilityIds.length) messages.push('One of the chosen capabilities is no longer in the registry');
    if (strict) {
      for (const c of caps) {
        if (c.policy === 'BLOCKED') messages.push(`${c.server.slug}/${c.toolName} is blocked by policy and cannot be requested`);
        else if (c.server.killedAt) messages.push(`${c.server.slug} is switched off (kill switch); ${c.toolName} cannot be requested`);
      }
    }
    if (messages.length) errors.capabilityIds = messages;
  }
  return errors;
}

function contractData(input: SaveDraftInput) {
  return {
    title: input.title,
    description: input.description,
    repository: input.repository,
    baseBranch: input.baseBranch || 'main',
    allowGlobs: input.allowGlobs,
    blockGlobs: input.blockGlobs,
    checks: input.checks,
    deliverables: input.deliverables,
    delegatedById: input.delegatedById,
    namedApproverId: input.namedApproverId,
    agentIdentityId: input.agentIdentityId,
    allowedData: input.allowedData,
    blockedItems: input.blockedItems,
    blockedFreeText: input.blockedFreeText,
    localCommands: input.localCommands,
    budgetMaxCostCents: Math.round(input.budgetMaxCost * 100),
    budgetMaxToolCalls: input.budgetMaxToolCalls,
    budgetMaxWallMinutes: input.budgetMaxWallMinutes,
    rollbackPlan: input.rollbackPlan,
    tierRaisedTo: input.tierRaisedTo,
    tierRaiseReason: input.tierRaisedTo ? input.tierRaiseReason : null,
  };
}

/** The contract as a reviewer reads it, frozen into the version: names, not ids. */
async function snapshotOf(tx: Tx, input: SaveDraftInput): Promise<Prisma.InputJsonObject> {
  // One after another: queries inside a transaction share one connection.
  const identity = input.agentIdentityId ? await tx.agentIdentity.findUnique({ where: { id: input.agentIdentityId }, select: { name: true } }) : null;
  const delegator = input.delegatedById ? await tx.user.findUnique({ where: { id: input.delegatedById }, select: { name: true } }) : null;
  const approver = input.namedApproverId ? await tx.user.findUnique({ where: { id: input.namedApproverId }, select: { name: true } }) : null;
  const caps = await tx.mcpCapability.findMany({ where: { id: { in: input.capabilityIds } }, select: { toolName: true, server: { select: { slug: true } } } });
  return {
    title: input.title,
    description: input.description,
    repository: input.repository,
    baseBranch: input.baseBranch || 'main',
    allowGlobs: input.allowGlobs,
    blockGlobs: input.blockGlobs,
    checks: input.checks,
    deliverables: input.deliverables,
    agentIdentity: identity?.name ?? null,
    delegatedBy: delegator?.name ?? null,
    namedApprover: approver?.name ?? null,
    allowedData: input.allowedData,
    blockedItems: input.blockedItems,
    blockedFreeText: input.blockedFreeText,
    capabilities: caps.map((c) => `${c.server.slug}/${c.toolName}`).sort(),
    capabilityIds: input.capabilityIds,
    localCommands: input.localCommands,
    budget: `$${input.budgetMaxCost.toFixed(2)} · ${input.budgetMaxToolCalls} tool calls · ${input.budgetMaxWallMinutes} min`,
    rollbackPlan: input.rollbackPlan,
    tierRaise: input.tierRaisedTo ? `${TIER_LABEL[input.tierRaisedTo]}: ${input.tierRaiseReason}` : null,
  };
}

async function replaceCapabilities(tx: Tx, contractId: string, capabilityIds: string[]) {
  await tx.contractCapability.deleteMany({ where: { contractId } });
  if (capabilityIds.length) await tx.contractCapability.createMany({ data: capabilityIds.map((capabilityId) => ({ contractId, capabilityId })) });
}

/** The requester's own contract, or not found (never "not yours": both look the same). */
async function ownContract(tx: Tx, actor: Actor, contractId: string) {
  const contract = await tx.taskContract.findFirst({
    where: { id: contractId, requesterId: actor.id },
    select: { id: true, number: true, status: true, currentVersion: true, tier: true, frozenAt: true },
  });
  if (!contract) throw new AppError('NOT_FOUND', 'That contract does not exist or is not yours to edit.');
  if (contract.frozenAt) throw new AppError('CONFLICT', `MDT-${contract.number} is frozen by an incident; it cannot change until security lifts the freeze.`);
  return contract;
}

export async function saveDraft(actor: Actor, input: SaveDraftInput, contractId: string | null) {
  assertCan(actor, 'contract:create');
  if (!actor.teamId) throw new AppError('FORBIDDEN', 'You need to belong to a team to file contracts. Ask an admin to add you to one.');
  return db.$transaction(async (tx) => {
    throwIfAny(await checkReferences(tx, input, actor.id, false));
    if (contractId) {
      const existing = await ownContract(tx, actor, contractId);
      if (!EDITABLE_AS_DRAFT.includes(existing.status)) {
        throw new AppError('CONFLICT', 'This contract is already submitted: change it and resubmit, which creates a new version.');
      }
      await tx.taskContract.update({ where: { id: contractId }, data: contractData(input) });
      await replaceCapabilities(tx, contractId, input.capabilityIds);
      await tx.auditEvent.create({ data: { actorId: actor.id, action: 'contract.draft-saved', targetType: 'TaskContract', targetId: contractId } });
      return { id: contractId, number: existing.number };
    }
    const created = await tx.taskContract.create({
      data: { ...contractData(input), status: 'DRAFT', requesterId: actor.id, teamId: actor.teamId! },
      select: { id: true, number: true },
    });
    await replaceCapabilities(tx, created.id, input.capabilityIds);
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'contract.created', targetType: 'TaskContract', targetId: created.id, after: { title: input.title, status: 'DRAFT' } } });
    return created;
  });
}

function tierRuleErrors(input: SubmitContractInput, assessment: RiskAssessment): FieldErrors {
  const errors: FieldErrors = {};
  if (input.tierRaisedTo && tierRank(input.tierRaisedTo) < tierRank(assessment.computedTier)) {
    errors.tierRaisedTo = [`A contract cannot go below its computed tier (${TIER_LABEL[assessment.computedTier]}); you can only raise it`];
  }
  if (tierRank(assessment.tier) >= tierRank('HIGH') && input.rollbackPlan.length < 20) {
    errors.rollbackPlan = [`${TIER_LABEL[assessment.tier]} tier needs a rollback plan: how to undo the change and how to check the undo worked`];
  }
  return errors;
}

/**
 * Submits (or resubmits) a contract: classifies it with the current registry, freezes a new
 * version with its assessment, routes it by tier, voids approvals of earlier versions and opens the
 * ones this tier needs — all in one transaction with its audit event.
 */
export async function submitContract(actor: Actor, input: SubmitContractInput, contractId: string | null) {
  assertCan(actor, 'contract:submit');
  if (!actor.teamId) throw new AppError('FORBIDDEN', 'You need to belong to a team to file contracts. Ask an admin to add you to one.');
  const registry = await loadRiskRegistry();
  const assessment = classify(toRiskInput(input), registry);

  return db.$transaction(async (tx) => {
    throwIfAny(await checkReferences(tx, input, actor.id, true), tierRuleErrors(input, assessment));
    const existing = contractId ? await ownContract(tx, actor, contractId) : null;
    const from: ContractStatus = existing?.status ?? 'DRAFT';
    const step = transition(from, 'submit', 'requester', assessment.tier);
    if (!step.ok) throw new AppError('CONFLICT', step.reason);

    const version = (existing?.currentVersion ?? 0) + 1;
    const now = new Date();
    const data = { ...contractData(input), status: step.to, tier: assessment.tier, currentVersion: version, submittedAt: now };
    let id: string;
    let number: number;
    if (existing) {
      // The version check makes two concurrent submits of one contract fail instead of both writing version N+1.
      const updated = await tx.taskContract.updateMany({ where: { id: existing.id, currentVersion: existing.currentVersion }, data });
      if (updated.count !== 1) throw new AppError('CONFLICT', 'This contract changed while you were editing it. Reload and try again.');
      ({ id, number } = existing);
    } else {
      ({ id, number } = await tx.taskContract.create({ data: { ...data, requesterId: actor.id, teamId: actor.teamId! }, select: { id: true, number: true } }));
    }
    await replaceCapabilities(tx, id, input.capabilityIds);
    const versionRow = await tx.contractVersion.create({ data: { contractId: id, version, snapshot: await snapshotOf(tx, input), createdById: actor.id } });
    await tx.riskAssessment.create({
      data: { contractId: id, versionId: versionRow.id, computedTier: assessment.computedTier, tier: assessment.tier, reasons: assessment.reasons },
    });

    // Approvals bind to a version: whatever was pending or granted for an earlier one is void.
    const voided = await tx.approvalRequest.updateMany({ where: { contractId: id, status: { in: ['PENDING', 'APPROVED'] } }, data: { status: 'VOIDED', decidedAt: now } });
    const needed = step.to === 'IN_REVIEW' ? requiredApprovals(assessment.tier, input.namedApproverId) : [];
    for (const request of needed) {
      await tx.approvalRequest.create({
        data: { ...request, contractId: id, contractVersionId: versionRow.id, tier: assessment.tier, dueAt: new Date(now.getTime() + APPROVAL_TARGET_HOURS * 3600_000) },
      });
    }
    await tx.auditEvent.create({
      data: {
        actorId: actor.id,
        action: version === 1 ? 'contract.submitted' : 'contract.resubmitted',
        targetType: 'TaskContract',
        targetId: id,
        before: existing ? { status: existing.status, version: existing.currentVersion, tier: existing.tier } : { status: 'DRAFT' },
        after: { status: step.to, version, tier: assessment.tier, approvalsVoided: voided.count, approvalsRequested: needed.length },
      },
    });
    return { id, number, version, status: step.to, tier: assessment.tier };
  });
}
