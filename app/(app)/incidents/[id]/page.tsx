import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { incidentPage, type IncidentTimelineEntry } from '@/lib/incidents/queries';
import { CONTAINMENT_LABEL, SEVERITY_LABEL, SOURCE_LABEL, type ContainmentAction, type IncidentSource } from '@/lib/domain/incident';
import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { Age, formatMinutes } from '@/components/ui/age';
import { buttonClasses } from '@/components/ui/button';
import { IncidentStatusBadge, SeverityBadge } from '@/components/incidents/badges';
import { KIND_LABEL, receiptSummary } from '@/components/runs/receipt-line';
import { ContainmentPanel, LiftFreezeForm, ResolveForm, ReviewForm } from '../_components/incident-forms';

export const metadata: Metadata = { title: 'Incident' };

const STEPS = [
  { status: 'OPEN', label: 'Opened', at: 'openedAt' },
  { status: 'CONTAINED', label: 'Contained', at: 'containedAt' },
  { status: 'RESOLVED', label: 'Resolved', at: 'resolvedAt' },
  { status: 'REVIEWED', label: 'Reviewed', at: 'reviewedAt' },
] as const;

const stamp = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;

/** An audit event in words: the action, and the reason when it carries one. */
function auditText(e: Extract<IncidentTimelineEntry, { source: 'audit' }>): string {
  const after = (e.after && typeof e.after === 'object' ? e.after : {}) as Record<string, unknown>;
  const detail = ['reason', 'status', 'action', 'resolution', 'title'].map((k) => after[k]).find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
  return `${e.action}${detail ? `: ${detail.length > 200 ? `${detail.slice(0, 200)}…` : detail}` : ''}`;
}

function TimelineRow({ entry, runId, sourceSeq }: { entry: IncidentTimelineEntry; runId: string | null; sourceSeq: number | null }) {
  const time = <time dateTime={entry.at.toISOString()} className="w-32 shrink-0 font-mono text-xs text-slate-500">{stamp(entry.at).slice(5)}</time>;
  if (entry.source === 'receipt') {
    return (
      <li id={`receipt-${entry.seq}`} className={`flex flex-col gap-1 px-3 py-2 sm:flex-row sm:gap-3 ${entry.violation ? 'bg-red-50' : ''} ${entry.seq === sourceSeq ? 'ring-2 ring-inset ring-red-400' : ''}`}>
        {time}
        <span className="w-24 shrink-0">
          <Badge tone={entry.violation ? 'danger' : 'neutral'}>Evidence #{entry.seq}</Badge>
        </span>
        <span className="min-w-0 flex-1 text-sm">
          <span className="font-medium text-slate-900">{KIND_LABEL[entry.kind]}</span>{' '}
          <span className="break-all font-mono text-xs text-slate-700">{receiptSummary(entry.kind, entry.payload)}</span>
          {entry.violation && <span className="block text-xs text-red-800">{entry.violation}</span>}
          {runId && (
            <a href={`/runs/${runId}?after=${Math.max(0, entry.seq - 1)}#timeline`} className="block font-mono text-[11px] text-slate-400 hover:underline" title="This receipt in the run's hash chain">
              hash {entry.hash.slice(0, 16)}…
            </a>
          )}
        </span>
      </li>
    );
  }
  if (entry.source === 'audit') {
    return (
      <li id={`audit-${entry.id}`} className="flex flex-col gap-1 px-3 py-2 sm:flex-row sm:gap-3">
        {time}
        <span className="w-24 shrink-0">
          <Badge tone="info">Audit</Badge>
        </span>
        <span className="min-w-0 flex-1 text-sm text-slate-700">
          <span className="font-medium text-slate-900">{entry.actor}</span> · <span className="break-words">{auditText(entry)}</span>
        </span>
      </li>
    );
  }
  return (
    <li className="flex flex-col gap-1 bg-amber-50 px-3 py-2 sm:flex-row sm:gap-3">
      {time}
      <span className="w-24 shrink-0">
        <Badge tone="warning">Response</Badge>
      </span>
      <span className="min-w-0 flex-1 text-sm text-slate-800">
        <span className="font-medium">{CONTAINMENT_LABEL[entry.kind as ContainmentAction] ?? entry.kind}</span> by {entry.actor}: {entry.note}
        {entry.auditEventId && (
          <a href={`#audit-${entry.auditEventId}`} className="ml-1 text-xs text-brand-700 hover:underline">
            (audit event {entry.auditEventId})
          </a>
        )}
      </span>
    </li>
  );
}

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  // Security and leaders read every incident; its owner (who may be an engineering lead) reads their own.
  const actor = await requireUser();
  const data = await incidentPage((await params).id);
  if (!data) notFound();
  if (!can(actor.roles, 'incident:read') && data.incident.ownerId !== actor.id) redirect('/not-allowed');
  const { incident: i, options, timeline, receiptsShown, auditTruncated } = data;
  const manage = can(actor.roles, 'incident:manage');
  const ownerActs = manage || i.ownerId === actor.id;
  const reached = STEPS.findIndex((s) => s.status === i.status);

  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <p className="text-sm text-slate-500">
          <Link href="/incidents" className="text-brand-700 hover:underline">Incidents</Link> · INC-{i.number} · {SOURCE_LABEL[i.source as IncidentSource] ?? i.source}
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold text-slate-900">{i.title}</h1>
          <SeverityBadge severity={i.severity} />
          <IncidentStatusBadge status={i.status} />
        </div>
        <p className="text-sm text-slate-600">
          {SEVERITY_LABEL[i.severity]} · owner <span className="font-medium text-slate-900">{i.owner.name}</span> · opened by {i.openedBy.name} <Age since={i.openedAt} />
          {i.containedAt && <> · contained in {formatMinutes((i.containedAt.getTime() - i.openedAt.getTime()) / 60_000)}</>}
        </p>
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {i.run && <Link href={`/runs/${i.run.id}`} className="text-brand-700 hover:underline">Run ({i.run.receiptCount} receipts)</Link>}
          {i.contract && (
            <Link href={`/contracts/${i.contract.id}`} className="text-brand-700 hover:underline">
              MDT-{i.contract.number} {i.contract.title}
              {i.contract.frozenAt ? ' (frozen)' : ''}
            </Link>
          )}
          {i.agentIdentity && (
            <Link href={`/security/identities/${i.agentIdentity.id}`} className="font-mono text-brand-700 hover:underline">
              {i.agentIdentity.name} ({i.agentIdentity.killedAt ? 'killed' : i.agentIdentity.status.toLowerCase()})
            </Link>
          )}
          {i.mcpServer && (
            <Link href={`/security/mcp/${i.mcpServer.id}`} className="font-mono text-brand-700 hover:underline">
              {i.mcpServer.slug}
              {i.mcpServer.killedAt ? ' (killed)' : ''}
            </Link>
          )}
        </p>
        <ol aria-label="Progress" className="flex flex-wrap gap-2 pt-1">
          {STEPS.map((s, n) => {
            const at = i[s.at];
            return (
              <li key={s.status} className={`rounded-md px-3 py-1.5 text-xs ring-1 ring-inset ${n <= reached ? 'bg-brand-50 text-brand-800 ring-brand-100' : 'bg-white text-slate-400 ring-slate-200'}`}>
                <span className="font-semibold">{s.label}</span> {at ? stamp(at) : '—'}
              </li>
            );
          })}
        </ol>
      </header>

      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-label="Timeline" className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200 lg:col-span-2">
          <header className="border-b border-slate-100 px-4 py-3">
            <h2 className="text-sm font-semibold text-slate-900">Timeline</h2>
            <p className="text-xs text-slate-500">
              From the run&apos;s evidence chain{receiptsShown === 'notable' ? ' (violations, notes and the receipts around the one this incident is about)' : ''}, the audit log of
              everything linked{auditTruncated ? ' (first 300 events)' : ''}, and the response. Nothing here is retyped.
            </p>
          </header>
          <ol className="divide-y divide-slate-100">
            {timeline.map((e) => (
              <TimelineRow key={e.key} entry={e} runId={i.run?.id ?? null} sourceSeq={i.sourceSeq} />
            ))}
          </ol>
        </section>

        <div className="space-y-6">
          <Card title="What is known">
            <p className="whitespace-pre-line text-sm text-slate-700">{i.summary}</p>
            {i.resolution && (
              <div className="mt-3 border-t border-slate-100 pt-3">
                <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Resolution</h3>
                <p className="mt-1 whitespace-pre-line text-sm text-slate-700">{i.resolution}</p>
              </div>
            )}
          </Card>

          {manage && (i.status === 'OPEN' || i.status === 'CONTAINED') && (
            <Card title="Contain">
              <ContainmentPanel incidentId={i.id} options={options} />
            </Card>
          )}
          {manage && i.contract?.frozenAt && i.status !== 'OPEN' && i.actions.filter((a) => a.kind === 'freeze-contract' || a.kind === 'lift-freeze').at(-1)?.kind === 'freeze-contract' && (
            <Card title="Frozen contract">
              <LiftFreezeForm incidentId={i.id} contractRef={`MDT-${i.contract.number}`} />
            </Card>
          )}
          {ownerActs && (i.status === 'OPEN' || i.status === 'CONTAINED') && (
            <Card title="Resolve">
              <ResolveForm incidentId={i.id} />
            </Card>
          )}
          {ownerActs && i.status === 'RESOLVED' && (
            <Card title="Closing review">
              <ReviewForm incidentId={i.id} />
            </Card>
          )}
          {i.status === 'REVIEWED' && (
            <Card title="Closing review">
              <dl className="space-y-3 text-sm">
                {[
                  ['What happened', i.reviewWhat],
                  ['Why the boundary allowed or caught it', i.reviewWhy],
                  ['Follow-ups', i.reviewFollowUps],
                ].map(([label, text]) => (
                  <div key={label}>
                    <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
                    <dd className="mt-1 whitespace-pre-line text-slate-700">{text}</dd>
                  </div>
                ))}
              </dl>
            </Card>
          )}
          {i.run && can(actor.roles, 'policy:manage') && (
            <Card title="Make sure the policy catches it next time">
              <p className="text-sm text-slate-600">Save what the agent did as a policy case: every later change to sensitive areas, capability policies and tool profiles is checked against it.</p>
              <Link href={`/runs/${i.run.id}/policy-case`} className={`${buttonClasses('secondary')} mt-3`}>
                Save as policy case
              </Link>
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
