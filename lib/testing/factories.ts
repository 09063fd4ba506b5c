import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/generated/prisma/enums';

let cachedHash: Promise<string> | undefined;
export const TEST_PASSWORD = 'correct horse battery staple';

/** A person with the given roles and TEST_PASSWORD, unique per call. */
export async function createUser(overrides: { roles?: Role[]; active?: boolean; name?: string } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = randomUUID().slice(0, 8);
  return db.user.create({
    data: {
      email: `user-${id}@test.example`,
      name: overrides.name ?? `Test User ${id}`,
      roles: overrides.roles ?? ['REQUESTER'],
      active: overrides.active ?? true,
      passwordHash: await cachedHash,
    },
  });
}

/** A signed-in person as the commands see them, on a team, with the given roles. */
export async function createActor(roles: Role[]) {
  const team = await db.team.upsert({ where: { slug: 'factory-team' }, update: {}, create: { slug: 'factory-team', name: 'Factory team' } });
  const user = await createUser({ roles });
  await db.user.update({ where: { id: user.id }, data: { teamId: team.id } });
  return { id: user.id, name: user.name, email: user.email, title: '', roles, teamId: team.id, teamName: team.name };
}

export async function createAgentIdentity() {
  const owner = await createUser({ roles: ['SECURITY'] });
  return db.agentIdentity.create({ data: { name: `agent-${owner.id}`, kind: 'LOCAL_CODING_AGENT', ownerId: owner.id, toolProfile: {} } });
}

/** Sensitive areas the tests rely on (upserted: the demo seed may have made them already). */
export async function ensureSensitiveAreas() {
  for (const [name, pattern, tier] of [
    ['billing', '**/billing/**', 'HIGH'],
    ['secrets', '**/secrets/**', 'STOP'],
  ] as const) {
    await db.sensitiveArea.upsert({ where: { pattern }, update: { enabled: true, tier }, create: { name, category: name, pattern, tier } });
  }
}

/** A complete, valid contract input; override what a test is about. */
export function contractInput(agentIdentityId: string, over: Record<string, unknown> = {}) {
  const allowsSecrets = Array.isArray(over.allowedData) && over.allowedData.includes('secrets');
  return {
    title: 'Fix typo in the refund policy',
    description: 'The refund policy page says "buisness days"; fix the typo.',
    repository: 'northwind/docs',
    baseBranch: 'main',
    allowGlobs: 'docs/policies/refunds.md',
    blockGlobs: '',
    checks: 'npm run docs:lint',
    deliverables: ['patch', 'summary'],
    agentIdentityId,
    delegatedById: '',
    namedApproverId: '',
    allowedData: ['repo-content'],
    blockedItems: allowsSecrets ? [] : ['secrets'],
    blockedFreeText: '',
    capabilityIds: [],
    localCommands: '',
    budgetMaxCost: '4',
    budgetMaxToolCalls: '80',
    budgetMaxWallMinutes: '30',
    rollbackPlan: 'Revert the pull request; nothing else depends on it.',
    tierRaisedTo: '',
    tierRaiseReason: '',
    ...over,
  };
}

/**
 * An agent identity with a working token, and a contract naming it in a runnable state (approved by
 * default), written straight to the database: for tests of runs and evidence, not of approvals.
 */
export async function createRunnableContract(over: {
  status?: 'READY' | 'APPROVED' | 'IN_REVIEW' | 'DRAFT';
  tier?: 'LOW' | 'MEDIUM' | 'HIGH' | 'STOP';
  allowGlobs?: string[];
  blockGlobs?: string[];
  blockedItems?: string[];
  allowedData?: string[];
  localCommands?: string[];
  checks?: string[];
  budget?: { maxCostCents?: number; maxToolCalls?: number; maxWallMinutes?: number };
  tools?: { name: string; access?: 'READ' | 'WRITE'; policy?: 'DEFAULT_READ' | 'NEEDS_APPROVAL' | 'SYNTHETIC_ONLY' | 'BLOCKED' }[];
} = {}) {
  const { newAgentToken } = await import('@/lib/identities/tokens');
  const requester = await createActor(['REQUESTER']);
  const identity = await createAgentIdentity();
  await db.agentIdentity.update({ where: { id: identity.id }, data: { toolProfile: { tools: ['WebFetch'], commands: [] } } });
  const token = newAgentToken();
  await db.agentToken.create({ data: { identityId: identity.id, name: 'test', prefix: token.prefix, tokenHash: token.hash, expiresAt: new Date(Date.now() + 86_400_000), createdById: requester.id } });
  const slug = `srv-${randomUUID().slice(0, 8)}`;
  const server = await db.mcpServer.create({ data: { slug, name: slug, transport: 'STREAMABLE_HTTP', endpoint: 'http://localhost:1/mcp', ownerId: requester.id, hasLogging: true, hasOwnerReview: true, hasKillSwitch: true } });
  const caps = [];
  for (const t of over.tools ?? []) {
    caps.push(await db.mcpCapability.create({ data: { serverId: server.id, toolName: t.name, businessCapability: `Test ${t.name}`, access: t.access ?? 'READ', policy: t.policy ?? 'DEFAULT_READ' } }));
  }
  const contract = await db.taskContract.create({
    data: {
      status: over.status ?? 'APPROVED',
      tier: over.tier ?? 'MEDIUM',
      requesterId: requester.id,
      teamId: requester.teamId,
      agentIdentityId: identity.id,
      title: 'Export refunds as CSV',
      allowGlobs: over.allowGlobs ?? ['src/billing/**'],
      blockGlobs: over.blockGlobs ?? [],
      checks: over.checks ?? ['npm test'],
      deliverables: ['patch'],
      allowedData: over.allowedData ?? ['synthetic-examples', 'repo-content'],
      blockedItems: over.blockedItems ?? ['secrets', 'migrations'],
      localCommands: over.localCommands ?? ['npm test', 'npm run lint'],
      budgetMaxCostCents: over.budget?.maxCostCents ?? 1000,
      budgetMaxToolCalls: over.budget?.maxToolCalls ?? 100,
      budgetMaxWallMinutes: over.budget?.maxWallMinutes ?? 60,
      currentVersion: 1,
      capabilities: { create: caps.map((c) => ({ capabilityId: c.id })) },
    },
  });
  await db.contractVersion.create({ data: { contractId: contract.id, version: 1, snapshot: {}, createdById: requester.id } });
  return { contract, identity, requester, agentToken: token.token, server, caps };
}
