import { db, type Tx } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';
import type { IntendedAction } from '@/lib/domain/boundary';
import { applyChange, DECISION_LABEL, simulate, type CaseContext, type ExpectedVerdict, type Impact, type Policy, type PolicyChange, type SimulatedCase, type SimulatedContract } from '@/lib/domain/policy-case';
import type { ContractForRisk } from '@/lib/domain/risk';
import type { PolicyChangeInput } from './schema';

type Client = Tx | typeof db;

/** Contracts closed or rejected within this many days still count as "recent" for the simulation. */
export const RECENT_DAYS = 30;

/** The whole policy as it stands: every sensitive area (disabled ones too), every capability, every tool profile. */
export async function loadPolicy(client: Client = db): Promise<Policy> {
  const areas = await client.sensitiveArea.findMany({ select: { id: true, name: true, category: true, pattern: true, tier: true, enabled: true }, orderBy: { pattern: 'asc' } });
  const capabilities = await client.mcpCapability.findMany({
    select: { id: true, toolName: true, businessCapability: true, dataClass: true, access: true, policy: true, server: { select: { slug: true } } },
  });
  const identities = await client.agentIdentity.findMany({ select: { name: true, toolProfile: true } });
  return {
    registry: {
      sensitiveAreas: areas,
      // Kill switches are an emergency state, not policy: a case must hold once the switch is lifted.
      capabilities: capabilities.map(({ server, ...c }) => ({ ...c, serverName: server.slug, serverKilled: false })),
    },
    toolProfiles: Object.fromEntries(identities.map((i) => [i.name, toolsOf(i.toolProfile)])),
  };
}

export function toolsOf(profile: unknown): string[] {
  const tools = (profile as { tools?: unknown } | null)?.tools;
  return Array.isArray(tools) ? tools.filter((t): t is string => typeof t === 'string') : [];
}

/** Open contracts, and those closed or rejected in the last RECENT_DAYS days. */
async function loadContracts(client: Client): Promise<SimulatedContract[]> {
  const since = new Date(Date.now() - RECENT_DAYS * 24 * 3600_000);
  const rows = await client.taskContract.findMany({
    where: { OR: [{ status: { notIn: ['CLOSED', 'REJECTED', 'DRAFT'] } }, { updatedAt: { gte: since } }, { closedAt: { gte: since } }] },
    select: {
      id: true,
      number: true,
      title: true,
      status: true,
      allowGlobs: true,
      blockGlobs: true,
      allowedData: true,
      blockedItems: true,
      localCommands: true,
      tierRaisedTo: true,
      tierRaiseReason: true,
      capabilities: { select: { capabilityId: true } },
    },
    orderBy: { number: 'asc' },
  });
  return rows.map(({ capabilities, id, number, title, status, ...c }) => ({
    id,
    ref: `MDT-${number}`,
    title,
    status,
    contract: { ...c, capabilityIds: capabilities.map((x) => x.capabilityId) } satisfies ContractForRisk,
  }));
}

export type StoredCase = { id: string; number: number; name: string; expectedVerdict: string; actions: unknown; context: unknown };

/** A stored case in the form the pure functions take (the JSON columns were written from validated input). */
export function caseInputs(row: StoredCase): SimulatedCase {
  return {
    id: row.id,
    ref: `PC-${row.number}`,
    name: row.name,
    expected: row.expectedVerdict as ExpectedVerdict,
    actions: row.actions as IntendedAction[],
    context: row.context as CaseContext,
  };
}

export async function loadActiveCases(client: Client = db): Promise<SimulatedCase[]> {
  const rows = await client.policyCase.findMany({
    where: { active: true },
    select: { id: true, number: true, name: true, expectedVerdict: true, actions: true, context: true },
    orderBy: { number: 'asc' },
  });
  return rows.map(caseInputs);
}

/** The pure change a save action's input amounts to (identity ids become names, the key of tool profiles). */
async function toChange(client: Client, input: PolicyChangeInput): Promise<PolicyChange> {
  switch (input.kind) {
    case 'sensitive-area': {
      const { name, category, pattern, tier, enabled } = input.area;
      return { kind: 'sensitive-area', areaId: input.areaId, area: { name, category, pattern, tier, enabled } };
    }
    case 'capability': {
      const { capabilityId, access, policy, dataClass, businessCapability } = input.capability;
      return { kind: 'capability', capabilityId, capability: { access, policy, dataClass, businessCapability } };
    }
    case 'tool-profile': {
      const identity = await client.agentIdentity.findUnique({ where: { id: input.profile.identityId }, select: { name: true } });
      if (!identity) throw new AppError('NOT_FOUND', 'That agent identity does not exist.');
      return { kind: 'tool-profile', identity: identity.name, tools: input.profile.tools };
    }
  }
}

/** What saving `input` would change: contracts whose tier moves and policy cases whose verdict moves. */
export async function impactOf(input: PolicyChangeInput, client: Client = db): Promise<Impact> {
  const current = await loadPolicy(client);
  const change = await toChange(client, input);
  return simulate(current, applyChange(current, change), await loadContracts(client), await loadActiveCases(client));
}

/**
 * The guard every policy save runs inside its transaction, before it writes: a change that would let
 * a policy case through that must be denied (or must ask a person) is refused, unless security gives
 * a written reason. After the write, `recordOverride` audits that reason with the cases it breaks.
 */
/**
 * Policy changes and case retirements one at a time (a transaction-scoped advisory lock): two people
 * relaxing two areas at once must each see the other's change, or together they could break a case
 * that each alone would not.
 */
export async function lockPolicy(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('mandate:policy'))::text AS "locked"`;
}

export async function guardPolicyChange(tx: Tx, input: PolicyChangeInput, override: string | null | undefined): Promise<Impact> {
  await lockPolicy(tx);
  const impact = await impactOf(input, tx);
  const n = impact.regressions.length;
  if (!n || (override && override.length >= 20)) return impact;
  const list = impact.regressions.map((r) => `${r.ref} "${r.name}" would become ${DECISION_LABEL[r.to].toLowerCase()}`).join('; ');
  throw new AppError('VALIDATION', `Not saved: this change breaks ${n === 1 ? 'a policy case' : `${n} policy cases`}.`, {
    overrideReason: [`${list}. Change the policy so ${n === 1 ? 'the case still holds' : 'the cases still hold'}, or give a written reason of at least 20 characters to override (it is audited).`],
  });
}

export async function recordOverride(tx: Tx, actor: Actor, impact: Impact, override: string | null | undefined, target: { type: string; id: string }) {
  if (!impact.regressions.length || !override) return;
  await tx.auditEvent.create({
    data: {
      actorId: actor.id,
      action: 'policy.guard-overridden',
      targetType: target.type,
      targetId: target.id,
      after: { reason: override, regressions: impact.regressions.map(({ ref, name, expected, from, to }) => ({ ref, name, expected, from, to })) },
    },
  });
}

const CHANGE_PERMISSION = { 'sensitive-area': 'area:manage', capability: 'registry:manage', 'tool-profile': 'identity:manage' } as const;

/** The impact preview the policy forms show while security edits; the same check the save runs. */
export async function simulatePolicyChange(actor: Actor, input: PolicyChangeInput): Promise<Impact> {
  assertCan(actor, CHANGE_PERMISSION[input.kind]);
  return impactOf(input);
}
