import { db } from '@/lib/db';
import { budgetOf } from '@/lib/runs/commands';
import { defineRunApi } from '@/lib/runs/api';

/** The run as its agent sees it: status, chain head, budget spent, violations so far. */
export const GET = defineRunApi(null, async (_input, run) => {
  const row = await db.run.findUniqueOrThrow({ where: { id: run.runId }, select: { status: true, receiptCount: true, headHash: true, violationCount: true, uncheckedCalls: true } });
  return {
    run: { id: run.runId, contract: run.contractRef, agent: run.identityName, status: row.status.toLowerCase(), receipts: row.receiptCount, headHash: row.headHash, violations: row.violationCount, uncheckedCalls: row.uncheckedCalls },
    stopped: run.state.stopped,
    budget: budgetOf(run, new Date()),
  };
});
