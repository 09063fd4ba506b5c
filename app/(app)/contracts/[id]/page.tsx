import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/lib/auth/session';
import { getContractOrThrow } from '@/lib/contracts/queries';
import { AppError } from '@/lib/server/errors';
import { diffSnapshots } from '@/lib/domain/contract-diff';
import { TIER_LABEL } from '@/lib/domain/risk';
import { EDITABLE_BY_REQUESTER } from '@/lib/domain/contract-lifecycle';
import { Card, EmptyState } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { Age } from '@/components/ui/age';
import { buttonClasses } from '@/components/ui/button';
import { ContractStatusBadge, TierBadge, contractRef } from '@/components/contracts/tier-badge';
import { RiskReasons } from '@/components/contracts/risk-reasons';
import { ContractLenses } from '@/components/contracts/contract-lenses';
import { can } from '@/lib/auth/permissions';
import { mayDecide } from '@/lib/domain/approval-policy';
import { DecideExceptionForm, RequestExceptionForm } from '../_components/exception-panel';

export const metadata: Metadata = { title: 'Task contract' };


export default async function ContractPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ saved?: string }> }) {
  const actor = await requirePermission('contract:read');
  const { id } = await params;
  const { saved } = await searchParams;
  const c = await getContractOrThrow(id).catch((e) => {
    if (e instanceof AppError && e.code === 'NOT_FOUND') notFound();
    throw e;
  });
  const current = c.versions[0];
  const previous = c.versions[1];
  const reasons = current?.assessment?.reasons ?? [];
  const canEdit = c.requesterId === actor.id && EDITABLE_BY_REQUESTER.includes(c.status);

  return (
    <div className="space-y-6">
      {saved && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200">
          Draft saved. Submit it when it is ready for the agent.
        </p>
      )}
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <p className="font-mono text-sm text-slate-500">
            {contractRef(c.number)} · {c.currentVersion ? `version ${c.currentVersion}` : 'not submitted yet'}
          </p>
          <h1 className="mt-1 text-2xl font-semibold text-slate-900">{c.title}</h1>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <TierBadge tier={c.tier} />
            <ContractStatusBadge status={c.status} />
            {c.frozenAt && <Badge tone="critical">Frozen</Badge>}
            {c.incidents.map((i) => (
              <Link key={i.id} href={`/incidents/${i.id}`} className="text-sm font-medium text-red-800 underline">
                INC-{i.number} open
              </Link>
            ))}
            <span className="text-sm text-slate-600">
              {c.requester.name} · {c.team.name} · {c.repository || 'no repository yet'}
            </span>
          </div>
        </div>
        {canEdit && !c.frozenAt && (
          <Link href={`/contracts/${c.id}/edit`} className={buttonClasses('secondary')}>
            {c.status === 'DRAFT' || c.status === 'CHANGES_REQUESTED' ? 'Edit contract' : 'Change and resubmit'}
          </Link>
        )}
      </header>

      {c.status === 'BLOCKED' && (
        <div role="alert" className="rounded-lg bg-red-50 p-4 text-sm text-red-900 ring-1 ring-red-200">
          <p className="font-semibold">Blocked at Stop tier: nothing runs until security grants an exception.</p>
          <p className="mt-1">
            The way forward: narrow the scope or block the items behind the Stop reasons below and resubmit, or ask security for a time-boxed
            exception with compensating controls. With a granted exception the contract is handled as High: a named approver and a security co-sign.
          </p>
        </div>
      )}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="grid gap-6 xl:grid-cols-2">
          <ContractLenses c={c} />
        </div>

        <div className="space-y-6">
          <Card title={`Why ${c.tier ? TIER_LABEL[c.tier] : 'no tier yet'}`}>
            {reasons.length ? <RiskReasons reasons={reasons} /> : <EmptyState>The tier is computed when the contract is submitted.</EmptyState>}
            {current?.assessment && current.assessment.tier !== current.assessment.computedTier && (
              <p className="mt-3 text-xs text-slate-500">Computed {TIER_LABEL[current.assessment.computedTier]}; raised by the requester.</p>
            )}
          </Card>

          {(c.status === 'BLOCKED' || c.exceptions.length > 0) && (
            <Card title="Security exception">
              {c.exceptions.length > 0 && (
                <ul className="mb-3 divide-y divide-slate-100">
                  {c.exceptions.map((x) => (
                    <li key={x.id} className="py-2 text-sm">
                      <div className="flex items-center gap-2">
                        <Badge tone={x.status === 'GRANTED' ? 'success' : x.status === 'REQUESTED' ? 'warning' : 'neutral'}>{x.status.toLowerCase()}</Badge>
                        <span className="text-xs text-slate-500">
                          asked <Age since={x.createdAt} /> for {x.requestedDays} days
                        </span>
                      </div>
                      <p className="mt-1 text-slate-900">{x.what}</p>
                      <p className="text-slate-600">Why: {x.why}</p>
                      <p className="text-slate-600">Controls: {x.compensatingControls}</p>
                      {x.decisionReason && (
                        <p className="mt-1 text-slate-700">
                          <span className="font-medium">{x.decidedBy?.name}:</span> {x.decisionReason}
                        </p>
                      )}
                      {x.status === 'REQUESTED' && can(actor.roles, 'exception:decide') && mayDecide(actor.id, c) && (
                        <div className="mt-3">
                          <DecideExceptionForm exceptionId={x.id} />
                        </div>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {c.status === 'BLOCKED' && c.requesterId === actor.id && !c.exceptions.some((x) => x.status === 'REQUESTED') && <RequestExceptionForm contractId={c.id} />}
            </Card>
          )}

          <Card title="Approvals">
            {c.approvals.length === 0 ? (
              <EmptyState>{c.tier === 'LOW' ? 'Low tier: normal code review, no named approver.' : 'No approval requested yet.'}</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {c.approvals.map((a) => (
                  <li key={a.id} className="py-2 text-sm">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium text-slate-900">{a.kind === 'APPROVER' ? 'Approver' : 'Security co-sign'}</span>
                      <Badge tone={a.status === 'APPROVED' ? 'success' : a.status === 'PENDING' ? 'warning' : a.status === 'VOIDED' ? 'neutral' : 'danger'}>
                        {a.status.toLowerCase().replace('_', ' ')}
                      </Badge>
                      <span className="text-xs text-slate-500">v{a.contractVersion.version}</span>
                    </div>
                    <p className="text-xs text-slate-500">
                      {a.assignee ? `assigned to ${a.assignee.name}` : `${a.queueRole?.toLowerCase()} queue`} · asked <Age since={a.createdAt} />
                    </p>
                    {a.status === 'PENDING' && mayDecide(actor.id, c) && can(actor.roles, a.kind === 'APPROVER' ? 'approval:decide' : 'approval:cosign') && (!a.assigneeId || a.assigneeId === actor.id || a.escalatedAt) && (
                      <Link href={`/approvals/${a.id}`} className={buttonClasses('primary', 'mt-2 px-2.5 py-1 text-xs')}>
                        Decide
                      </Link>
                    )}
                    {a.decision && (
                      <p className="mt-1 text-slate-700">
                        <span className="font-medium">{a.decision.decider.name}:</span> {a.decision.reason}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card title="Runs">
            {c.runs.length === 0 ? (
              <EmptyState>No agent run yet.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {c.runs.map((r) => (
                  <li key={r.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                    <Badge tone={r.status === 'SUCCEEDED' ? 'success' : r.status === 'STARTED' ? 'brand' : 'danger'}>{r.status === 'STARTED' ? 'running' : r.status.toLowerCase()}</Badge>
                    <Link href={`/runs/${r.id}`} className="text-brand-700 hover:underline">
                      Run started <Age since={r.startedAt} /> · {r.receiptCount} receipts
                    </Link>
                    {r.violationCount > 0 && <Badge tone="danger">{r.violationCount} violation</Badge>}
                    {r.patchRef && (
                      <a href={r.patchRef} className="text-brand-700 underline" rel="noreferrer">
                        patch
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Versions">
          {c.versions.length === 0 ? (
            <EmptyState>Not submitted yet: versions are frozen on each submit.</EmptyState>
          ) : (
            <ol className="space-y-4">
              {c.versions.map((v, i) => {
                const older = c.versions[i + 1];
                const changes = older ? diffSnapshots(older.snapshot as Record<string, unknown>, v.snapshot as Record<string, unknown>) : [];
                return (
                  <li key={v.id} aria-label={`Version ${v.version}`}>
                    <p className="text-sm font-medium text-slate-900">
                      Version {v.version} {v.assessment && <TierBadge tier={v.assessment.tier} />}{' '}
                      <span className="font-normal text-slate-500">
                        by {v.createdBy.name}, <Age since={v.createdAt} />
                      </span>
                    </p>
                    {older && (
                      <div className="mt-1 rounded-md bg-slate-50 p-3 ring-1 ring-slate-100">
                        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Changes since version {older.version}</p>
                        {changes.length === 0 ? (
                          <p className="text-sm text-slate-600">No change to the contract itself.</p>
                        ) : (
                          <ul className="mt-1 space-y-1 text-sm">
                            {changes.map((ch) => (
                              <li key={ch.field}>
                                <span className="font-medium text-slate-800">{ch.label}: </span>
                                {ch.kind === 'list' ? (
                                  <>
                                    {ch.added.map((x) => (
                                      <ins key={`+${x}`} className="mr-1 rounded bg-emerald-100 px-1 font-mono text-[0.8rem] text-emerald-900 no-underline">
                                        + {x}
                                      </ins>
                                    ))}
                                    {ch.removed.map((x) => (
                                      <del key={`-${x}`} className="mr-1 rounded bg-red-100 px-1 font-mono text-[0.8rem] text-red-900">
                                        − {x}
                                      </del>
                                    ))}
                                  </>
                                ) : (
                                  <>
                                    <del className="rounded bg-red-100 px-1 text-red-900">{ch.before || '(empty)'}</del> →{' '}
                                    <ins className="rounded bg-emerald-100 px-1 text-emerald-900 no-underline">{ch.after || '(empty)'}</ins>
                                  </>
                                )}
                              </li>
                            ))}
                          </ul>
                        )}
                      </div>
                    )}
                  </li>
                );
              })}
            </ol>
          )}
          {previous === undefined && current && <p className="mt-2 text-xs text-slate-500">One version so far.</p>}
        </Card>

        <Card title="Timeline">
          {c.timeline.length === 0 ? (
            <EmptyState>Nothing recorded yet.</EmptyState>
          ) : (
            <ol className="space-y-2">
              {c.timeline.map((e) => (
                <li key={e.id} className="flex gap-3 text-sm">
                  <span className="w-20 shrink-0 text-xs text-slate-500">
                    <Age since={e.createdAt} />
                  </span>
                  <span className="text-slate-800">
                    <span className="font-mono text-xs">{e.action}</span>{' '}
                    <span className="text-slate-500">by {e.actor?.name ?? e.actorAgent ?? 'Mandate'}</span>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </div>
  );
}
