import { db } from '@/lib/db';
import type { Registry } from '@/lib/domain/risk';

/** What the classifier needs from the registry: enabled sensitive areas and every capability. */
export async function loadRiskRegistry(): Promise<Registry> {
  const [areas, capabilities] = await Promise.all([
    db.sensitiveArea.findMany({ where: { enabled: true }, select: { id: true, name: true, category: true, pattern: true, tier: true, enabled: true }, orderBy: { pattern: 'asc' } }),
    db.mcpCapability.findMany({
      select: { id: true, toolName: true, businessCapability: true, dataClass: true, access: true, policy: true, server: { select: { slug: true, killedAt: true } } },
      orderBy: [{ server: { slug: 'asc' } }, { toolName: 'asc' }],
    }),
  ]);
  return {
    sensitiveAreas: areas,
    capabilities: capabilities.map(({ server, ...c }) => ({ ...c, serverName: server.slug, serverKilled: server.killedAt !== null })),
  };
}

/** Choices for the contract form: active agent identities, people who can delegate, capabilities. */
export async function loadContractFormOptions() {
  const [identities, people, registry] = await Promise.all([
    db.agentIdentity.findMany({ where: { status: 'ACTIVE', killedAt: null }, select: { id: true, name: true, kind: true }, orderBy: { name: 'asc' } }),
    db.user.findMany({ where: { active: true }, select: { id: true, name: true, title: true, roles: true }, orderBy: { name: 'asc' } }),
    loadRiskRegistry(),
  ]);
  return { identities, people, registry };
}

export type ContractFormOptions = Awaited<ReturnType<typeof loadContractFormOptions>>;

export function listSensitiveAreas() {
  return db.sensitiveArea.findMany({
    select: { id: true, name: true, category: true, pattern: true, tier: true, description: true, enabled: true, updatedAt: true, owner: { select: { name: true } } },
    orderBy: [{ enabled: 'desc' }, { tier: 'desc' }, { name: 'asc' }],
  });
}
export type SensitiveAreaRow = Awaited<ReturnType<typeof listSensitiveAreas>>[number];

export async function listServers() {
  const servers = await db.mcpServer.findMany({
    select: {
      id: true,
      slug: true,
      name: true,
      transport: true,
      hasLogging: true,
      hasOwnerReview: true,
      hasKillSwitch: true,
      killedAt: true,
      owner: { select: { name: true } },
      capabilities: { select: { policy: true } },
    },
    orderBy: { name: 'asc' },
  });
  return servers.map(({ capabilities, ...s }) => ({
    ...s,
    capabilityCount: capabilities.length,
    allowedCount: capabilities.filter((c) => c.policy !== 'BLOCKED').length,
  }));
}

export async function getServer(id: string) {
  const server = await db.mcpServer.findUnique({
    where: { id },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      transport: true,
      endpoint: true,
      hasLogging: true,
      hasOwnerReview: true,
      hasKillSwitch: true,
      killedAt: true,
      killReason: true,
      owner: { select: { name: true } },
      capabilities: {
        select: { id: true, toolName: true, toolDescription: true, businessCapability: true, dataClass: true, access: true, policy: true },
        orderBy: { toolName: 'asc' },
      },
    },
  });
  if (!server) return null;
  const affected = await db.taskContract.findMany({
    where: { status: { notIn: ['CLOSED', 'REJECTED'] }, capabilities: { some: { capability: { serverId: id } } } },
    select: { id: true, number: true, title: true, status: true, tier: true },
    orderBy: { updatedAt: 'desc' },
  });
  return { ...server, affected };
}
export type ServerDetail = NonNullable<Awaited<ReturnType<typeof getServer>>>;
