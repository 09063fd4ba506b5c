import { defineApi } from '@/lib/server/api';
import { db } from '@/lib/db';

/** Who the token belongs to: agents call this first to check their setup. */
export const GET = defineApi(null, async (_input, agent) => {
  const identity = await db.agentIdentity.findUniqueOrThrow({ where: { id: agent.identityId }, select: { name: true, kind: true, toolProfile: true } });
  return { identity: identity.name, kind: identity.kind, toolProfile: identity.toolProfile, token: agent.tokenPrefix };
});
