import type { Metadata } from 'next';
import { formatMinutes } from '@/components/ui/age';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { requirePermission } from '@/lib/auth/session';
import { DashboardQuery, dashboardFigures, PERIODS } from '@/lib/dashboard/queries';
import { LatencyChart, McpUsageChart, RunsByTierChart } from '@/components/dashboard/charts';

export const metadata: Metadata = { title: 'Dashboard' };

const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const hours = (h: number | null) => (h === null ? '—' : h < 1 ? `${Math.round(h * 60)} min` : `${h} h`);
const money = (cents: number | null) => (cents === null ? '—' : `$${(cents / 100).toFixed(2)}`);

function Tile({ label, value, detail, tone = 'neutral' }: { label: string; value: string; detail?: string; tone?: 'neutral' | 'bad' }) {
  return (
    <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className={`mt-1 text-2xl font-semibold ${tone === 'bad' ? 'text-red-700' : 'text-slate-900'}`}>{value}</p>
      {detail && <p className="mt-0.5 text-xs text-slate-500">{detail}</p>}
    </div>
  );
}

function ChartCard({ title, chart, table }: { title: string; chart: ReactNode; table: ReactNode }) {
  return (
    <section aria-label={title} className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <h2 className="border-b border-slate-100 px-4 py-3 text-sm font-semibold text-slate-900">{title}</h2>
      <div className="px-4 py-3">
        {chart}
        <details className="mt-2">
          <summary className="cursor-pointer text-xs font-medium text-brand-700">Table of the numbers</summary>
          <div className="mt-2 max-h-72 overflow-auto">{table}</div>
        </details>
      </div>
    </section>
  );
}

function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="w-full text-left text-xs">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-slate-200 text-slate-500">
          {head.map((h) => <th key={h} scope="col" className="py-1 pr-3 font-medium">{h}</th>)}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r, i) => (
          <tr key={i}>{r.map((c, j) => (j === 0 ? <th key={j} scope="row" className="py-1 pr-3 font-normal">{c}</th> : <td key={j} className="py-1 pr-3 tabular-nums">{c}</td>))}</tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission('dashboard:read');
  const raw = await searchParams;
  const query = DashboardQuery.parse({ team: typeof raw.team === 'string' ? raw.team : undefined, period: typeof raw.period === 'string' ? raw.period : undefined });
  const f = await dashboardFigures(query);
  const href = (over: Partial<DashboardQuery>) => {
    const q = new URLSearchParams();
    const merged = { ...query, ...over };
    if (merged.team) q.set('team', merged.team);
    q.set('period', merged.period);
    return `/dashboard?${q}`;
  };
  const exportHref = `/dashboard/export?${new URLSearchParams({ ...(query.team ? { team: query.team } : {}), period: query.period })}`;

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Leadership dashboard</h1>
          <p className="mt-1 text-sm text-slate-600">
            {f.team ?? 'All teams'} · {f.from.toISOString().slice(0, 10)} to {f.to.toISOString().slice(0, 10)}
            {f.asOf && <span className="text-slate-500"> · figures as of {f.asOf.toISOString().slice(11, 16)} UTC (refreshed every few minutes; the approval queue is live)</span>}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <nav aria-label="Team" className="flex flex-wrap gap-1.5 text-xs">
            <Link href={href({ team: undefined })} aria-current={!query.team ? 'true' : undefined} className="rounded-full px-2.5 py-1 font-medium ring-1 ring-inset ring-slate-200 aria-[current=true]:bg-slate-900 aria-[current=true]:text-white">All teams</Link>
            {f.teams.map((t) => (
              <Link key={t.slug} href={href({ team: t.slug })} aria-current={query.team === t.slug ? 'true' : undefined} className="rounded-full px-2.5 py-1 font-medium ring-1 ring-inset ring-slate-200 aria-[current=true]:bg-slate-900 aria-[current=true]:text-white">{t.name}</Link>
            ))}
          </nav>
          <nav aria-label="Period" className="flex gap-1.5 text-xs">
            {(Object.keys(PERIODS) as DashboardQuery['period'][]).map((p) => (
              <Link key={p} href={href({ period: p })} aria-current={query.period === p ? 'true' : undefined} className="rounded-full px-2.5 py-1 font-medium ring-1 ring-inset ring-slate-200 aria-[current=true]:bg-brand-600 aria-[current=true]:text-white">{p.replace('d', ' days')}</Link>
            ))}
          </nav>
          <a href={exportHref} className="rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">Export CSV</a>
        </div>
      </header>

      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Tile label="Runs" value={String(f.runs.started)} detail={`${pct(f.runs.completedShare)} completed · ${f.runs.succeeded} succeeded`} />
        <Tile label="Results accepted" value={pct(f.closeOut.acceptedShare)} detail={`${f.closeOut.accepted} of ${f.closeOut.closed} closed · ${f.rollbacks} rejected (rolled back)`} />
        <Tile label="Approval latency" value={hours(f.approvals.latencyP50Hours)} detail={`median · p90 ${hours(f.approvals.latencyP90Hours)} · ${f.approvals.decided} decisions`} />
        <Tile label="Changes requested" value={pct(f.approvals.changesRequestedRate)} detail={`${f.approvals.changesRequested} of ${f.approvals.decided} decisions`} />
        <Tile label="Approval queue" value={String(f.queue.pending)} detail={`${f.queue.overdue} overdue · median age ${hours(f.queue.medianAgeHours)} · oldest ${hours(f.queue.oldestAgeHours)}`} tone={f.queue.overdue ? 'bad' : 'neutral'} />
        <Tile label="Boundary violations" value={String(f.violations.violations)} detail={`in ${f.violations.runsWithViolations} run(s) · ${f.violations.uncheckedCalls} unchecked call(s)`} tone={f.violations.violations ? 'bad' : 'neutral'} />
        <Tile label="Security exceptions" value={String(f.violations.exceptionsRequested)} detail={`${f.violations.exceptionsGranted} granted`} />
        <Tile
          label="Incidents"
          value={String(f.incidents.opened)}
          detail={`${f.incidents.open} open now · median time to contain ${f.incidents.containMedianMinutes === null ? '—' : formatMinutes(f.incidents.containMedianMinutes)}`}
          tone={f.incidents.open ? 'bad' : 'neutral'}
        />
        <Tile label="Cost per run" value={money(f.cost.perFinishedRunCents)} detail={`${money(f.cost.perAcceptedChangeCents)} per accepted change · ${money(f.cost.totalCents)} total`} />
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <ChartCard
          title="Runs by tier per week"
          chart={<RunsByTierChart data={f.runsByTier} />}
          table={<DataTable caption="Runs by tier per week" head={['Week of', 'Low', 'Medium', 'High', 'Stop']} rows={f.runsByTier.map((w) => [w.week, w.LOW, w.MEDIUM, w.HIGH, w.STOP])} />}
        />
        <ChartCard
          title="Approval latency per week"
          chart={<LatencyChart data={f.approvals.byWeek} />}
          table={<DataTable caption="Approval latency per week" head={['Week of', 'Median', 'p90', 'Decisions']} rows={f.approvals.byWeek.map((w) => [w.week, hours(w.p50), hours(w.p90), w.decided])} />}
        />
      </div>

      <ChartCard
        title="MCP capability usage"
        chart={f.mcpUsage.length ? <McpUsageChart data={f.mcpUsage.map((m) => ({ name: `${m.server}/${m.tool}`, calls: m.calls }))} /> : <p className="py-6 text-sm text-slate-500">No MCP call in this period.</p>}
        table={<DataTable caption="MCP capability usage" head={['Capability', 'Calls', 'Runs']} rows={f.mcpUsage.map((m) => [`${m.server}/${m.tool}`, m.calls, m.runs])} />}
      />
    </div>
  );
}
