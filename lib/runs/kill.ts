import type { Tx } from '@/lib/db';
import { appendReceipts, prismaSql } from '@/lib/evidence/append';
import { runContextById } from './context';

/**
 * A kill switch thrown (or a contract frozen) while runs are going: each running run that depends on it
 * gets a violation receipt in its chain (so the evidence shows the moment it was cut off), and
 * security is told through the usual violation path. Runs inside the caller's transaction.
 */
export async function recordKillOnRunningRuns(tx: Tx, target: { identityId: string } | { serverId: string } | { contractId: string }, what: string, reason: string, by: string, event: 'kill-switch' | 'contract-frozen' = 'kill-switch'): Promise<number> {
  const runs = await tx.run.findMany({
    where: {
      status: 'STARTED',
      ...('identityId' in target
        ? { agentIdentityId: target.identityId }
        : 'contractId' in target
          ? { contractId: target.contractId }
          : { contract: { capabilities: { some: { capability: { serverId: target.serverId } } } } }),
    },
    select: { id: true },
  });
  const now = new Date();
  for (const run of runs) {
    const ctx = await runContextById(run.id, tx);
    if (!ctx) continue;
    await appendReceipts(
      ctx,
      [
        {
          kind: 'NOTE',
          payload: { event, target: what, reason, by },
          clientTimestamp: now,
          idempotencyKey: `${event}:${now.getTime()}:${what}`,
          toolUseId: null,
          violation: event === 'contract-frozen' ? `${what} was frozen while the run was going: ${reason}` : `Kill switch on ${what} while the run was going: ${reason}`,
        },
      ],
      { sql: prismaSql(tx) },
    );
  }
  return runs.length;
}
