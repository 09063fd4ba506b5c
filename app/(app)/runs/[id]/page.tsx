import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { buttonClasses } from '@/components/ui/button';
import { getRun, parseTimelineFilter, runChainStatus, runClaudeSettings, runDecisionCounts, runKindCounts, runTimeline, runViolations } from '@/lib/runs/queries';
import { RECEIPT_KINDS } from '@/lib/runs/schema';
import { Card, EmptyState } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { Age, formatMinutes } from '@/components/ui/age';
import { CopyBlock } from '@/components/ui/copy-block';
import { TierBadge } from '@/components/contracts/tier-badge';
import { ChainBadge } from '@/components/runs/chain-badge';
import { AbortRun } from '@/components/runs/abort-run';
import { KIND_LABEL, receiptSummary, viaGateway } from '@/components/runs/receipt-line';
import { DecideCall } from '@/components/runs/held-calls';
import { heldCallsOfRun } from '@/lib/gateway/approvals';

const HELD_TONE = { PENDING: 'warning', APPROVED: 'success', USED: 'neutral', DENIED: 'danger' } as const;
const HELD_LABEL = { PENDING: 'waiting', APPROVED: 'approved, not used yet', USED: 'approved and sent', DENIED: 'denied' } as const;

export const metadata: Metadata = { title: 'Run' };

const STATUS_TONE = { STARTED: 'brand', SUCCEEDED: 'success', FAILED: 'danger', ABORTED: 'warning' } as const;
const CHECK_TONE = { passed: 'success', failed: 'danger', skipped: 'warning' } as const;

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

function Meter({ label, used, max, format = String }: { label: string; used: number; max: number; format?: (n: number) => string }) {
  const share = max > 0 ? Math.min(1, used / max) : 0;
  const over = max > 0 && used >= max;
  return (
    <div className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className={`mt-1 text-lg font-semibold ${over ? 'text-red-700' : 'text-slate-900'}`}>
        {format(used)} <span className="text-sm font-normal text-slate-500">{max > 0 ? `of ${format(max)}` : 'no limit'}</span>
      </p>
      {max > 0 && (
        <div className="mt-2 h-1.5 rounded-full bg-slate-100" aria-hidden>
          <div className={`h-1.5 rounded-full ${over ? 'bg-red-600' : share > 0.8 ? 'bg-amber-500' : 'bg-brand-600'}`} style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
      )}
    </div>
  );
}

export default async function RunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('run:read');
  const { id } = await params;
  const run = await getRun(id);
  if (!run) notFound();
  const filter = parseTimelineFilter(await searchParams);
  const [timeline, counts, violations, decisions, chain, settings, held] = await Promise.all([
    runTimeline(id, filter),
    runKindCounts(id),
    runViolations(id),
    runDecisionCounts(id),
    runChainStatus(id, run.receiptCount),
    runClaudeSettings(id),
    heldCallsOfRun(id),
  ]);
  const c = run.contract;
  const ref = `MDT-${c.number}`;
  const decider = actor.roles.includes('SECURITY') || [c.requesterId, c.delegatedById].includes(actor.id);
  const checks = (Array.isArray(run.checkResults) ? run.checkResults : []) as { name: string; command?: string; status: 'passed' | 'failed' | 'skipped'; detail?: string }[];
  const link = (over: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    const merged = { kind: filter.kind, violations: filter.violations ? '1' : undefined, ...over };
    for (const [k, v] of Object.entries(merged)) if (v) q.set(k, v);
    const s = q.toString();
    return `/runs/${id}${s ? `?${s}` : ''}#timeline`;
  };

  return (
    <div className="space-y-6">
      <header className="space-y-3">
        <p className="text-sm text-slate-500">
          <Link href={`/contracts/${c.id}`} className="font-mono text-brand-700 hover:underline">{ref}</Link> · version {run.contractVersion.version} · requested by {c.requester.name}
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold text-slate-900">Run of {c.title}</h1>
          <Badge tone={STATUS_TONE[run.status]}>{run.status === 'STARTED' ? 'running' : run.status.toLowerCase()}</Badge>
          {c.tier && <TierBadge tier={c.tier} />}
          {run.violationCount > 0 && <Badge tone="critical">{run.violationCount} boundary violation{run.violationCount === 1 ? '' : 's'}</Badge>}
        </div>
        <p className="text-sm text-slate-600">
          Agent <Link href={`/security/identities/${run.agentIdentity.id}`} className="font-mono text-brand-700 hover:underline">{run.agentIdentity.name}</Link> · started <Age since={run.startedAt} />
          {run.finishedAt ? <> · finished <Age since={run.finishedAt} /></> : run.runTokenPrefix && <> · run token <span className="font-mono">{run.runTokenPrefix}…</span></>}
          {run.patchRef && (
            <>
              {' '}· patch{' '}
              <a href={run.patchRef} className="break-all text-brand-700 underline" rel="noreferrer">{run.patchRef.replace(/^https?:\/\//, '')}</a>
            </>
          )}
        </p>
        <ChainBadge status={chain} />
        <div className="flex flex-wrap gap-2">
          {run.status !== 'STARTED' && (
            <Link href={`/runs/${id}/packet`} className={buttonClasses('primary')}>
              Review packet →
            </Link>
          )}
          {can(actor.roles, 'incident:manage') && (
            <Link href={`/incidents/new?run=${id}${violations[0] ? `&seq=${violations[0].seq}` : ''}`} className={buttonClasses(violations.length ? 'danger' : 'secondary')}>
              Open an incident
            </Link>
          )}
          {can(actor.roles, 'policy:manage') && (
            <Link href={`/runs/${id}/policy-case`} className={buttonClasses('secondary')}>
              Save as policy case
            </Link>
          )}
        </div>
        {run.status === 'STARTED' && decider && <AbortRun runId={id} expired={run.tokenExpired} />}
      </header>

      {held.length > 0 && (
        <section id="held-calls" aria-label="Calls held for a decision" className={`rounded-lg p-4 ring-1 ${held.some((h) => h.status === 'PENDING') ? 'bg-amber-50 ring-amber-200' : 'bg-white ring-slate-200'}`}>
          <h2 className="text-sm font-semibold text-slate-900">Calls held for a decision ({held.filter((h) => h.status === 'PENDING').length} waiting)</h2>
          <p className="mt-1 text-xs text-slate-600">The MCP gateway holds calls whose capability asks a person to approve each one. An approval lets exactly that call, with these arguments, through once, when the agent sends it again.</p>
          <ul className="mt-3 space-y-2">
            {held.map((h) => {
              const call = `${h.server}/${h.tool}`;
              const expired = (h.status === 'PENDING' || h.status === 'APPROVED') && h.expiresAt <= new Date();
              return (
                <li key={h.id} className="rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-200">
                  <div className="flex flex-wrap items-center gap-2">
                    <code className="font-mono text-sm font-medium text-slate-900">{call}</code>
                    <Badge tone={expired ? 'neutral' : HELD_TONE[h.status]}>{expired ? 'expired' : HELD_LABEL[h.status]}</Badge>
                    <span className="text-xs text-slate-500">
                      asked <Age since={h.requestedAt} />
                      {h.decidedBy && <> · {h.status === 'DENIED' ? 'denied' : 'approved'} by {h.decidedBy.name}</>}
                      {h.note && <> · “{h.note}”</>}
                    </span>
                  </div>
                  <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs text-slate-800">{JSON.stringify(h.arguments, null, 2)}</pre>
                  <p className="mt-1 text-xs text-slate-600">{(Array.isArray(h.reasons) ? h.reasons : []).map(String).join('; ')}</p>
                  {h.status === 'PENDING' && !expired && run.status === 'STARTED' && decider && <DecideCall approvalId={h.id} call={call} />}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Meter label="Cost" used={run.costCents} max={c.budgetMaxCostCents} format={money} />
        <Meter label="Tool calls" used={run.toolCalls} max={c.budgetMaxToolCalls} />
        <Meter label="Wall time" used={run.wallMinutes} max={c.budgetMaxWallMinutes} format={formatMinutes} />
        <div className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Boundary decisions</p>
          <p className="mt-1 text-sm text-slate-700">
            <span className="font-semibold text-slate-900">{decisions.ALLOW ?? 0}</span> allowed · <span className="font-semibold text-red-700">{decisions.DENY ?? 0}</span> denied · <span className="font-semibold text-amber-800">{decisions.NEEDS_APPROVAL ?? 0}</span> asked
          </p>
          <p className="mt-1 text-xs text-slate-500">{run.uncheckedCalls > 0 ? <span className="font-semibold text-red-700">{run.uncheckedCalls} unchecked call{run.uncheckedCalls === 1 ? '' : 's'}</span> : 'Every hook receipt had a decision'}</p>
        </div>
      </div>

      {violations.length > 0 && (
        <section aria-labelledby="violations" className="rounded-lg bg-red-50 p-4 ring-1 ring-red-200">
          <h2 id="violations" className="text-sm font-semibold text-red-900">Boundary violations ({run.violationCount})</h2>
          <p className="mt-1 text-xs text-red-800">Stored as evidence and reported to security when they arrived.</p>
          <ul className="mt-3 space-y-2">
            {violations.map((v) => (
              <li key={v.seq} className="rounded-md bg-white px-3 py-2 text-sm ring-1 ring-red-200">
                <a href={link({ after: v.seq > 1 ? String(v.seq - 1) : undefined })} className="font-mono text-xs text-red-800 hover:underline">#{v.seq}</a>{' '}
                <span className="font-medium text-slate-900">{KIND_LABEL[v.kind]}</span> <span className="font-mono text-xs text-slate-700">{receiptSummary(v.kind, v.payload)}</span>
                <p className="mt-1 text-red-900">{v.violationReason}</p>
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Checks">
          {checks.length === 0 ? (
            <EmptyState>{run.status === 'STARTED' ? 'Check results arrive when the run finishes.' : 'The run reported no check results.'}</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100">
              {checks.map((k, i) => (
                <li key={i} className="flex items-center justify-between gap-3 py-2 text-sm">
                  <span className="font-mono text-xs text-slate-800">{k.command ?? k.name}</span>
                  <Badge tone={CHECK_TONE[k.status] ?? 'neutral'}>{k.status}</Badge>
                </li>
              ))}
            </ul>
          )}
          {run.summary && <p className="mt-3 border-t border-slate-100 pt-3 text-sm text-slate-700">{run.summary}</p>}
        </Card>

        <Card title="Claude Code guard rails for this contract">
          <p className="text-sm text-slate-600">
            Put this in the repository&apos;s <code className="font-mono text-xs">.claude/settings.json</code>: Claude Code&apos;s own permission rules, made from the approved boundary, and the Mandate hooks (
            <Link href="/integrations" className="text-brand-700 underline">setup</Link>).
          </p>
          {settings && (
            <details className="mt-3">
              <summary className="cursor-pointer text-sm font-medium text-brand-700">Show .claude/settings.json</summary>
              <div className="mt-2">
                <CopyBlock text={JSON.stringify(settings, null, 2)} label=".claude/settings.json" testId="claude-settings" />
              </div>
            </details>
          )}
        </Card>
      </div>

      <section id="timeline" className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3">
          <h2 className="text-sm font-semibold text-slate-900">Evidence timeline</h2>
          <nav aria-label="Filter receipts" className="flex flex-wrap gap-1.5 text-xs">
            <FilterChip href={link({ kind: undefined, violations: undefined })} active={!filter.kind && !filter.violations}>All {run.receiptCount}</FilterChip>
            {RECEIPT_KINDS.filter((k) => counts[k]).map((k) => (
              <FilterChip key={k} href={link({ kind: k, violations: undefined })} active={filter.kind === k}>
                {KIND_LABEL[k]} {counts[k]}
              </FilterChip>
            ))}
            {run.violationCount > 0 && (
              <FilterChip href={link({ kind: undefined, violations: '1' })} active={Boolean(filter.violations)} danger>
                Violations {run.violationCount}
              </FilterChip>
            )}
          </nav>
        </header>
        {timeline.rows.length === 0 ? (
          <div className="px-4">
            <EmptyState>No receipt matches this filter.</EmptyState>
          </div>
        ) : (
          <ol className="divide-y divide-slate-100">
            {timeline.rows.map((r) => (
              <li key={r.seq} data-testid="receipt" className={`grid grid-cols-[2.5rem_minmax(0,1fr)] gap-x-3 gap-y-1 px-4 py-2 text-sm sm:grid-cols-[3.5rem_7.5rem_minmax(0,1fr)] ${r.violation ? 'bg-red-50' : ''}`}>
                <span className="font-mono text-xs text-slate-500">#{r.seq}</span>
                <span>
                  <Badge tone={r.violation ? 'danger' : r.kind === 'FILE_WRITE' || r.kind === 'COMMAND' || r.kind === 'MCP_CALL' ? 'info' : 'neutral'}>{KIND_LABEL[r.kind]}</Badge>
                </span>
                <div className="col-span-2 min-w-0 sm:col-span-1">
                  <p className="truncate font-mono text-xs text-slate-900" title={receiptSummary(r.kind, r.payload)}>{receiptSummary(r.kind, r.payload)}</p>
                  {r.violationReason && <p className="mt-0.5 text-xs font-medium text-red-800">{r.violationReason}</p>}
                  <p className="mt-0.5 text-xs text-slate-500">
                    <time dateTime={r.clientTimestamp.toISOString()}>{r.clientTimestamp.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>
                    {viaGateway(r.payload) && <span className="font-medium text-slate-700"> · written by the Mandate gateway</span>}
                    {r.toolUseId && <span className="font-mono"> · {r.toolUseId}</span>}
                    <span className="font-mono" title={r.hash}> · {r.hash.slice(0, 12)}…</span>
                  </p>
                </div>
              </li>
            ))}
          </ol>
        )}
        {timeline.nextAfter && (
          <div className="border-t border-slate-100 px-4 py-3 text-sm">
            <Link href={link({ after: String(timeline.nextAfter) })} className="text-brand-700 underline">Next receipts →</Link>
          </div>
        )}
      </section>
    </div>
  );
}

function FilterChip({ href, active, danger, children }: { href: string; active: boolean; danger?: boolean; children: React.ReactNode }) {
  const tone = active ? (danger ? 'bg-red-700 text-white ring-red-700' : 'bg-slate-900 text-white ring-slate-900') : danger ? 'bg-white text-red-800 ring-red-200 hover:bg-red-50' : 'bg-white text-slate-700 ring-slate-200 hover:bg-slate-50';
  return (
    <Link href={href} aria-current={active ? 'true' : undefined} className={`rounded-full px-2.5 py-1 font-medium ring-1 ring-inset ${tone}`}>
      {children}
    </Link>
  );
}
