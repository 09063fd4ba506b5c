import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/lib/auth/session';
import { runActionReceipts, CASE_RECEIPT_LIMIT } from '@/lib/policy/queries';
import { formatAction } from '@/lib/policy/actions';
import { Card, EmptyState } from '@/components/ui/card';
import { CaseFromRunForm } from '@/app/(app)/security/policy-cases/_components/case-forms';

export const metadata: Metadata = { title: 'Save as policy case' };

export default async function RunPolicyCasePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission('policy:manage');
  const { id } = await params;
  const data = await runActionReceipts(id);
  if (!data) notFound();
  const { run, actions, truncated } = data;
  const ref = `MDT-${run.contract.number}`;
  const firstViolation = actions.find((a) => a.violation);
  return (
    <div className="space-y-6">
      <header>
        <p className="text-sm text-slate-500">
          <Link href={`/runs/${run.id}`} className="text-brand-700 hover:underline">← Run of {ref}</Link> · agent <span className="font-mono">{run.agentIdentity.name}</span>
        </p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">Save as policy case</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Choose what the agent did that the policy must stop next time. The case replays these actions as {run.agentIdentity.name}, with the data {ref} allowed
          ({run.contract.allowedData.join(', ') || 'none'}), against the live policy, and guards every change to sensitive areas, capability policies and tool profiles.
        </p>
      </header>
      <Card title={`Actions in this run (${actions.length}${truncated ? `, the first ${CASE_RECEIPT_LIMIT}` : ''})`}>
        {actions.length === 0 ? (
          <EmptyState>This run has no file, command, MCP or tool receipts to replay.</EmptyState>
        ) : (
          <CaseFromRunForm
            runId={run.id}
            receipts={actions.map((a) => ({ seq: a.seq, text: formatAction(a.action), violation: a.violation }))}
            suggestedName={firstViolation ? `${ref}: ${formatAction(firstViolation.action)}`.slice(0, 120) : ''}
          />
        )}
      </Card>
    </div>
  );
}
