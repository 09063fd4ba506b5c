import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { getMyWork } from '@/lib/home/queries';
import { Card, EmptyState } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { Age } from '@/components/ui/age';
import { ContractStatusBadge, TierBadge, contractRef } from '@/components/contracts/tier-badge';
import { ROLE_LABELS } from '@/lib/auth/permissions';

export const metadata: Metadata = { title: 'My work' };

function Stat({ label, value, tone = 'text-slate-900' }: { label: string; value: string | number; tone?: string }) {
  return (
    <div className="rounded-md bg-slate-50 px-3 py-2 ring-1 ring-slate-100">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`mt-0.5 text-xl font-semibold tabular-nums ${tone}`}>{value}</dd>
    </div>
  );
}

function Overdue({ overdue }: { overdue: boolean }) {
  return overdue ? <Badge tone="danger">Past target</Badge> : <Badge>Within target</Badge>;
}

export default async function MyWorkPage() {
  const actor = await requireUser();
  const work = await getMyWork(actor);
  const firstName = actor.name.split(' ')[0];
  const sections = [work.contracts, work.approvals, work.security, work.pulse, work.org].filter(Boolean).length;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Good to see you, {firstName}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {actor.title ? `${actor.title} · ` : ''}
          {actor.teamName ?? 'No team'} · {actor.roles.map((r) => ROLE_LABELS[r]).join(', ')}
        </p>
      </div>

      <div className={`grid gap-6 ${sections > 1 ? 'lg:grid-cols-2' : 'max-w-3xl'}`}>
        {work.contracts && (
          <Card title="My task contracts" action={<span className="text-xs text-slate-500">open, most recent first</span>}>
            {work.contracts.byStatus.length > 0 && (
              <div className="mb-3 flex flex-wrap gap-2" aria-label="Open contracts by status">
                {work.contracts.byStatus.map((s) => (
                  <span key={s.status} className="inline-flex items-center gap-1">
                    <ContractStatusBadge status={s.status} />
                    <span className="text-xs tabular-nums text-slate-600">{s.count}</span>
                  </span>
                ))}
              </div>
            )}
            {work.contracts.items.length === 0 ? (
              <EmptyState>You have no open task contracts.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {work.contracts.items.map((c) => (
                  <li key={c.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5">
                    <span className="font-mono text-xs text-slate-500">{contractRef(c.number)}</span>
                    <Link href={`/contracts/${c.id}`} className="min-w-0 flex-1 basis-48 text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline sm:truncate">
                      {c.title}
                    </Link>
                    <TierBadge tier={c.tier} />
                    <ContractStatusBadge status={c.status} />
                    <span className="w-full text-xs text-slate-500">
                      {c.repository} · updated <Age since={c.updatedAt} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}

        {work.approvals && (
          <Card title="Waiting for my approval" action={<span className="text-xs text-slate-500">highest tier first, then oldest</span>}>
            {work.approvals.length === 0 ? (
              <EmptyState>Nothing is waiting for you. New requests assigned to you or your role appear here.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {work.approvals.map((a) => (
                  <li key={a.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5">
                    <span className="font-mono text-xs text-slate-500">{contractRef(a.contract.number)}</span>
                    <Link href={`/approvals/${a.id}`} className="min-w-0 flex-1 basis-48 text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline sm:truncate">
                      {a.contract.title}
                    </Link>
                    <TierBadge tier={a.tier} />
                    <Overdue overdue={a.overdue} />
                    <span className="w-full text-xs text-slate-500">
                      from {a.contract.requester.name} · {a.assigneeId ? 'assigned to you' : 'approver queue'} · waiting{' '}
                      <Age since={a.createdAt} suffix="" />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}

        {work.security && (
          <Card title="Security desk">
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              <Stat label="Blocked (Stop tier)" value={work.security.counts.blocked} />
              <Stat label="Open incidents" value={work.security.counts.openIncidents} tone={work.security.counts.openIncidents ? 'text-red-700' : undefined} />
              <Stat label="Killed MCP servers" value={work.security.counts.killedServers} />
              <Stat label="Identities not active" value={work.security.counts.suspendedIdentities} />
            </dl>
            <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Co-signs waiting</h3>
            {work.security.cosigns.length === 0 ? (
              <EmptyState>No High-tier contract is waiting for a security co-sign.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {work.security.cosigns.map((a) => (
                  <li key={a.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                    <span className="font-mono text-xs text-slate-500">{contractRef(a.contract.number)}</span>
                    <Link href={`/approvals/${a.id}`} className="min-w-0 flex-1 basis-48 text-sm text-slate-900 hover:text-brand-700 hover:underline sm:truncate">
                      {a.contract.title}
                    </Link>
                    <Overdue overdue={a.overdue} />
                  </li>
                ))}
              </ul>
            )}
            <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Exception requests</h3>
            {work.security.exceptions.length === 0 ? (
              <EmptyState>No security exception is waiting for a decision.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100">
                {work.security.exceptions.map((x) => (
                  <li key={x.id} className="py-2">
                    <p className="text-sm text-slate-900">
                      <span className="font-mono text-xs text-slate-500">{contractRef(x.contract.number)}</span> {x.what}
                    </p>
                    <p className="text-xs text-slate-500">
                      asked by {x.requester.name} · <Age since={x.createdAt} />
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}

        {work.pulse && (
          <Card title="Pilot pulse" action={<span className="text-xs text-slate-500">last {work.pulse.days} days</span>}>
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              <Stat label="Agent runs" value={work.pulse.runs} />
              <Stat label="Runs succeeded" value={work.pulse.runs ? `${Math.round((work.pulse.succeeded / work.pulse.runs) * 100)}%` : '—'} />
              <Stat label="Changes accepted" value={work.pulse.accepted} />
              <Stat label="Boundary violations" value={work.pulse.violations} tone={work.pulse.violations ? 'text-red-700' : undefined} />
            </dl>
            <p className="mt-3 text-sm text-slate-600">
              Agent spend: <span className="font-medium tabular-nums text-slate-900">${(work.pulse.costCents / 100).toFixed(2)}</span>
              {work.pulse.accepted > 0 && (
                <> · ${(work.pulse.costCents / 100 / work.pulse.accepted).toFixed(2)} per accepted change</>
              )}
            </p>
            <div className="mt-3 flex flex-wrap gap-3" aria-label="Contracts submitted by tier">
              {work.pulse.contractsByTier.map((t) => (
                <span key={t.tier} className="inline-flex items-center gap-1.5">
                  <TierBadge tier={t.tier} /> <span className="text-sm tabular-nums text-slate-700">{t.count}</span>
                </span>
              ))}
            </div>
          </Card>
        )}

        {work.org && (
          <Card title="Organisation">
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3">
              <Stat label="Active people" value={work.org.people} />
              <Stat label="Teams" value={work.org.teams.length} />
            </dl>
            <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">People per role</h3>
            <ul className="mt-1 flex flex-wrap gap-2">
              {work.org.roleCounts.map((r) => (
                <li key={r.role}>
                  <Badge>
                    {ROLE_LABELS[r.role]} · {r.count}
                  </Badge>
                </li>
              ))}
            </ul>
            <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-500">Teams</h3>
            <ul className="mt-1 divide-y divide-slate-100">
              {work.org.teams.map((t) => (
                <li key={t.id} className="flex justify-between py-1.5 text-sm">
                  <span className="text-slate-900">{t.name}</span>
                  <span className="tabular-nums text-slate-500">{t.members} people</span>
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
    </div>
  );
}
