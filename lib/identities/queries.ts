import { db } from '@/lib/db';

const OPEN = { notIn: ['CLOSED', 'REJECTED'] as ('CLOSED' | 'REJECTED')[] };

export async function listIdentities() {
  const rows = await db.agentIdentity.findMany({
    select: {
      id: true,
      name: true,
      kind: true,
      status: true,
      killedAt: true,
      description: true,
      owner: { select: { name: true } },
      _count: { select: { tokens: { where: { revokedAt: null, expiresAt: { gt: new Date() } } }, contracts: { where: { status: OPEN } } } },
    },
    orderBy: { name: 'asc' },
  });
  return rows.map(({ _count, ...r }) => ({ ...r, liveTokens: _count.tokens, openContracts: _count.contracts }));
}

export async function getIdentity(id: string) {
  return db.agentIdentity.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      kind: true,
      description: true,
      status: true,
      statusReason: true,
      killedAt: true,
      killReason: true,
      toolProfile: true,
      owner: { select: { name: true } },
      tokens: {
        select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true, revokedReason: true, graceEndsAt: true, rotatedTo: { select: { prefix: true } } },
        orderBy: { createdAt: 'desc' },
      },
      contracts: { where: { status: OPEN }, select: { id: true, number: true, title: true, status: true, tier: true }, orderBy: { updatedAt: 'desc' } },
    },
  });
}
export type IdentityDetail = NonNullable<Awaited<ReturnType<typeof getIdentity>>>;
