import type { Tx } from '@/lib/db';
import { appendReceipts, prismaSql } from '@/lib/evidence/append';
import { runContextById } from './context';

/**
 * A kill switch thrown while runs are going: each running run that depends on the identity or server
 * gets a violation receipt in its chain (so the evidence shows the moment it was cut off), and
 * security is told through the usual violation path. Runs inside the caller's transaction.
 */
export async function recordKillOnRunningRuns(tx: Tx, target: { identityId: string } | { serverId: string }, what: string, reason: string, by: string): Promise<number> {
  const runs = await tx.run.findMany({
    where: {
      status: 'STARTED',
      ...('identityId' in target ? { agentIdentityId: target.identityId } : { contract: { capabilities: { some: { capability: { serverId: target.serverId } } } } }),
    },
    select: { id: true },
  });
  const now = new Date();
  for (const run of runs) {
    const ctx = await runContextById(run.id, tx);
    if (!ctx) continue;
    await appendReceipts(
      ctx,
      [{ kind: 'NOTE', payload: { event: 'kill-switch', target: what, reason, by }, clientTimestamp: now, idempotencyKey: `kill-switch:${now.getTime()}:${what}`, toolUseId: null, violation: `Kill switch on ${what} while the run was going: ${reason}` }],
      { sql: prismaSql(tx) },
    );
  }
  return runs.length;
}
