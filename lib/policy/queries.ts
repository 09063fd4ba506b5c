import { db } from '@/lib/db';
import { actionOfReceipt, type IntendedAction } from '@/lib/domain/boundary';
import { caseHolds, evaluateCase, type CaseEvaluation, type Policy } from '@/lib/domain/policy-case';
import { caseInputs, loadPolicy } from './simulation';

export type CaseRow = ReturnType<typeof caseInputs> & {
  note: string;
  active: boolean;
  createdAt: Date;
  createdBy: string;
  sourceRun: { id: string; contractRef: string } | null;
  evaluation: CaseEvaluation;
  holds: boolean;
};

/** Every case with the verdict the current policy gives it, evaluated now (never stored, so never stale). */
export async function listPolicyCases(policy?: Policy): Promise<CaseRow[]> {
  const [rows, current] = await Promise.all([
    db.policyCase.findMany({
      select: {
        id: true,
        number: true,
        name: true,
        note: true,
        expectedVerdict: true,
        actions: true,
        context: true,
        active: true,
        createdAt: true,
        createdBy: { select: { name: true } },
        sourceRun: { select: { id: true, contract: { select: { number: true } } } },
      },
      orderBy: [{ active: 'desc' }, { number: 'desc' }],
    }),
    policy ?? loadPolicy(),
  ]);
  return rows.map((row) => {
    const inputs = caseInputs(row);
    const evaluation = evaluateCase(inputs, current);
    return {
      ...inputs,
      note: row.note,
      active: row.active,
      createdAt: row.createdAt,
      createdBy: row.createdBy.name,
      sourceRun: row.sourceRun ? { id: row.sourceRun.id, contractRef: `MDT-${row.sourceRun.contract.number}` } : null,
      evaluation,
      holds: caseHolds(inputs.expected, evaluation.decision),
    };
  });
}

/** At most this many action receipts are offered when saving a case from a run. */
export const CASE_RECEIPT_LIMIT = 500;

/** The run's receipts that report an action, violations flagged, for the "save as policy case" page. */
export async function runActionReceipts(runId: string) {
  const run = await db.run.findUnique({
    where: { id: runId },
    select: { id: true, status: true, contract: { select: { number: true, title: true, allowedData: true } }, agentIdentity: { select: { name: true } } },
  });
  if (!run) return null;
  const receipts = await db.evidenceReceipt.findMany({
    where: { runId, kind: { in: ['FILE_READ', 'FILE_WRITE', 'COMMAND', 'MCP_CALL', 'TOOL_CALL'] } },
    select: { seq: true, kind: true, payload: true, violation: true, violationReason: true },
    orderBy: { seq: 'asc' },
    take: CASE_RECEIPT_LIMIT,
  });
  const actions = receipts.flatMap((r) => {
    const action = actionOfReceipt(r.kind, r.payload);
    return action ? [{ seq: r.seq, action: action as IntendedAction, violation: r.violation ? (r.violationReason ?? 'Violation') : null }] : [];
  });
  return { run, actions, truncated: receipts.length === CASE_RECEIPT_LIMIT };
}
