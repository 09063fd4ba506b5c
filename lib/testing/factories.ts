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
