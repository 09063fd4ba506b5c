import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import { buildPacket } from './build';
import { accountableFor, ROLLBACK_REQUIRED } from './commands';

/** The packet page: the packet, and what this person may do with it (write the rollback note, close out). */
export async function packetPage(runId: string, actor: Actor) {
  const built = await buildPacket(runId);
  if (!built) return null;
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    select: { status: true, contractVersionId: true, contract: { select: { id: true, status: true, tier: true, requesterId: true, delegatedById: true, namedApproverId: true } } },
  });
  const c = run.contract;
  const accountableId = await accountableFor(c, run.contractVersionId);
  const accountable = await db.user.findUnique({ where: { id: accountableId }, select: { name: true } });
  const involved = [c.requesterId, c.delegatedById, c.namedApproverId].includes(actor.id) || actor.roles.includes('APPROVER') || actor.roles.includes('SECURITY');
  return {
    ...built,
    contractId: c.id,
    contractStatus: c.status,
    runStatus: run.status,
    rollbackRequired: c.tier !== null && ROLLBACK_REQUIRED.includes(c.tier),
    mayWriteRollback: involved && c.status !== 'CLOSED',
    mayCloseOut: actor.id === accountableId && c.status === 'COMPLETED' && run.status !== 'STARTED',
    accountableName: accountable?.name ?? '—',
  };
}
