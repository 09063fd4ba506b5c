import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getApprovalRequest, lastDecidedSnapshot } from '@/lib/approvals/queries';
import { getContractOrThrow } from '@/lib/contracts/queries';
import { mayDecide } from '@/lib/domain/approval-policy';
import { diffSnapshots } from '@/lib/domain/contract-diff';
import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { Age } from '@/components/ui/age';
import { ContractStatusBadge, TierBadge, contractRef } from '@/components/contracts/tier-badge';
import { RiskReasons } from '@/components/contracts/risk-reasons';
import { ContractLenses } from '@/components/contracts/contract-lenses';
import { DecisionForm } from '../_components/decision-form';

export const metadata: Metadata = { title: 'Decide' };

export default async function DecisionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser();
  const { id } = await params;
  const request = await getApprovalRequest(id);
  if (!request) notFound();
  if (!can(actor.roles, request.kind === 'APPROVER' ? 'approval:decide' : 'approval:cosign')) redirect('/not-allowed');
  const c = await getContractOrThrow(request.contractId);
  const earlier = await lastDecidedSnapshot(c.id, request.contractVersion.version);
  const changes = earlier ? diffSnapshots(earlier.snapshot as Record<string, unknown>, request.contractVersion.snapshot as Record<string, unknown>) : [];
  const reasons = c.versions.find((v) => v.version === request.contractVersion.version)?.assessment?.reasons ?? [];

  const blocker =
    request.status !== 'PENDING'
      ? `This request is ${request.status.toLowerCase().replace('_', ' ')}.`
      : !mayDecide(actor.id, c)
        ? 'You requested or delegated this contract, so someone else must decide it.'
        : request.assigneeId && request.assigneeId !== actor.id && !request.escalatedAt
          ? `This request is assigned to ${request.assignee?.name}.`
          : request.contractVersion.version !== c.currentVersion
            ? `The contract changed after this request was made (now version ${c.currentVersion}).`
            : null;

  return (
    <div className="space-y-6">
      <header>
        <p className="font-mono text-sm text-slate-500">
          {contractRef(c.number)} · version {request.contractVersion.version} · {request.kind === 'APPROVER' ? 'approval' : 'security co-sign'}
        </p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">{c.title}</h1>
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <TierBadge tier={c.tier} /> <ContractStatusBadge status={c.status} />
          {request.escalatedAt && <Badge tone="danger">Escalated</Badge>}
          <span>
            asked <Age since={request.createdAt} /> · {request.assignee ? `assigned to ${request.assignee.name}` : 'role queue'} ·{' '}
            <Link href={`/contracts/${c.id}`} className="text-brand-700 underline">
              full contract
            </Link>
          </span>
        </div>
      </header>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="grid gap-6 xl:grid-cols-2">
          <ContractLenses c={c} />
        </div>
        <div className="space-y-6">
          <Card title="Your decision">
            {request.decision ? (
              <p className="text-sm text-slate-700">
                <span className="font-medium">{request.decision.decider.name}</span> decided {request.decision.outcome.toLowerCase().replace('_', ' ')}: {request.decision.reason}
              </p>
            ) : blocker ? (
              <p className="text-sm text-slate-700">{blocker}</p>
            ) : (
              <DecisionForm requestId={request.id} contractId={c.id} />
            )}
          </Card>
          <Card title="Why this tier">
            <RiskReasons reasons={reasons} />
          </Card>
          {earlier && (
            <Card title={`Changed since version ${earlier.version} (last decided)`}>
              {changes.length === 0 ? (
                <p className="text-sm text-slate-600">No change to the contract itself.</p>
              ) : (
                <ul className="space-y-1 text-sm">
                  {changes.map((ch) => (
                    <li key={ch.field}>
                      <span className="font-medium">{ch.label}:</span>{' '}
                      {ch.kind === 'list' ? [...ch.added.map((x) => `+ ${x}`), ...ch.removed.map((x) => `− ${x}`)].join(', ') : `${ch.before || '(empty)'} → ${ch.after || '(empty)'}`}
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
