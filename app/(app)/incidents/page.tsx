import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePermission } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { listIncidents, medianMinutesToContain, untriagedViolations } from '@/lib/incidents/queries';
import { SOURCE_LABEL, type IncidentSource } from '@/lib/domain/incident';
import { Card, EmptyState } from '@/components/ui/card';
import { Age, formatMinutes } from '@/components/ui/age';
import { buttonClasses } from '@/components/ui/button';
import { IncidentStatusBadge, SeverityBadge } from '@/components/incidents/badges';

export const metadata: Metadata = { title: 'Incidents' };

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('incident:read');
  const all = (await searchParams).status === 'all';
  const [incidents, untriaged, toContain] = await Promise.all([listIncidents(all ? 'all' : 'open'), untriagedViolations(), medianMinutesToContain()]);
  const manage = can(actor.roles, 'incident:manage');
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Incidents</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            When an agent crosses its boundary, a kill switch is thrown or a result is rejected: who owns the response, what was done to contain it, and the
            review that keeps it from happening again. Timelines come from the evidence chain and the audit log.
          </p>
        </div>
        {manage && (
          <Link href="/incidents/new" className={buttonClasses('secondary')}>
            Open an incident by hand
          </Link>
        )}
      </div>
      {untriaged.length > 0 && (
        <section aria-label="Violations without an incident" className="rounded-lg bg-red-50 p-4 ring-1 ring-red-200">
          <h2 className="text-sm font-semibold text-red-900">Violations without an incident ({untriaged.length})</h2>
          <ul className="mt-2 space-y-2">
            {untriaged.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md bg-white px-3 py-2 text-sm ring-1 ring-red-200">
                <Link href={`/runs/${r.id}`} className="font-medium text-brand-700 hover:underline">
                  Run of MDT-{r.contract.number} {r.contract.title}
                </Link>
                <span className="text-xs text-slate-500">
                  {r.agentIdentity.name} · started <Age since={r.startedAt} /> · {r.violationCount} violation{r.violationCount === 1 ? '' : 's'}
                </span>
                {manage && (
                  <Link href={`/incidents/new?run=${r.id}${r.receipts[0] ? `&seq=${r.receipts[0].seq}` : ''}`} className="ml-auto text-sm font-medium text-red-800 underline">
                    Open an incident
                  </Link>
                )}
                {r.receipts[0]?.violationReason && <p className="w-full text-xs text-red-900">{r.receipts[0].violationReason}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Card
        title={all ? `All incidents (${incidents.length})` : `Open incidents (${incidents.length})`}
        action={
          <span className="flex items-center gap-3 text-sm">
            {toContain !== null && <span className="text-slate-600">median time to contain, all incidents: {formatMinutes(toContain)}</span>}
            <Link href={all ? '/incidents' : '/incidents?status=all'} className="text-brand-700 hover:underline">
              {all ? 'Open only' : 'Show all'}
            </Link>
          </span>
        }
      >
        {incidents.length === 0 ? (
          <EmptyState>{all ? 'No incidents yet.' : 'No open incident.'}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {incidents.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5 text-sm">
                <span className="w-14 font-mono text-xs text-slate-500">INC-{i.number}</span>
                <SeverityBadge severity={i.severity} />
                <Link href={`/incidents/${i.id}`} className="min-w-0 flex-1 font-medium text-brand-700 hover:underline">
                  {i.title}
                </Link>
                <IncidentStatusBadge status={i.status} />
                <span className="text-xs text-slate-500">
                  {SOURCE_LABEL[i.source as IncidentSource] ?? i.source} · {i.owner.name} · opened <Age since={i.openedAt} />
                  {i.containedAt && <> · contained in {formatMinutes((i.containedAt.getTime() - i.openedAt.getTime()) / 60_000)}</>}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
