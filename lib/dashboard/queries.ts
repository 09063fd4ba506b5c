import { z } from 'zod';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { ensureFreshRollups } from './rollups';

/** The dashboard's filters, from the URL; the page and the CSV export share them. */
export const PERIODS = { '30d': 30, '90d': 90, '180d': 180, '365d': 365 } as const;
export const DashboardQuery = z.object({
  team: z.string().trim().max(60).regex(/^[a-z0-9-]*$/).optional().catch(undefined),
  period: z.enum(Object.keys(PERIODS) as [keyof typeof PERIODS, ...(keyof typeof PERIODS)[]]).catch('90d').default('90d'),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

export type Figures = Awaited<ReturnType<typeof dashboardFigures>>;

const TIER_ORDER = ['LOW', 'MEDIUM', 'HIGH', 'STOP'] as const;

/**
 * Every leadership figure for a team and period, each computed in SQL: sums over the daily rollups
 * (materialized views refreshed every few minutes), exact latency percentiles over one narrow row per
 * decision, and the live approval queue. Nothing loads rows into Node to count them.
 */
export async function dashboardFigures(query: DashboardQuery, now = new Date(), timings?: Record<string, number>) {
  const timed = <T,>(label: string, q: PromiseLike<T>): Promise<T> => {
    const started = performance.now();
    return Promise.resolve(q).then((v) => {
      if (timings) timings[label] = performance.now() - started;
      return v;
    });
  };
  const days = PERIODS[query.period];
  const from = new Date(now.getTime() - days * 86_400_000);
  const team = query.team ? await db.team.findUnique({ where: { slug: query.team }, select: { id: true, name: true } }) : null;
  const teamIs = (alias: string) => (team ? Prisma.sql`AND ${Prisma.raw(`${alias}."teamId"`)} = ${team.id}` : query.team ? Prisma.sql`AND false` : Prisma.empty);
  const asOf = await ensureFreshRollups(now);
  // Rollups hold whole days: the period starts at the beginning of its first day.
  const fromDay = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));

  const runsByWeekQ = timed('runsByWeek', db.$queryRaw<{ week: Date; tier: string; runs: number }[]>`
    SELECT date_trunc('week', d."day") AS "week", d."tier", sum(d."runs")::int AS "runs"
    FROM "DashboardRunsDaily" d
    WHERE d."day" >= ${fromDay} AND d."day" < ${now} ${teamIs('d')}
    GROUP BY 1, 2 ORDER BY 1`);

  const runsQ = timed('runs', db.$queryRaw<{ started: number; finished: number; succeeded: number; withViolations: number; violations: number; unchecked: number; costCents: number; finishedCostCents: number }[]>`
    SELECT COALESCE(sum(d."runs"), 0)::int AS "started", COALESCE(sum(d."finished"), 0)::int AS "finished", COALESCE(sum(d."succeeded"), 0)::int AS "succeeded",
           COALESCE(sum(d."withViolations"), 0)::int AS "withViolations", COALESCE(sum(d."violations"), 0)::int AS "violations", COALESCE(sum(d."unchecked"), 0)::int AS "unchecked",
           COALESCE(sum(d."costCents"), 0)::float8 AS "costCents", COALESCE(sum(d."finishedCostCents"), 0)::float8 AS "finishedCostCents"
    FROM "DashboardRunsDaily" d
    WHERE d."day" >= ${fromDay} AND d."day" < ${now} ${teamIs('d')}`);

  const closedQ = timed('closed', db.$queryRaw<{ closed: number; accepted: number; rejected: number; acceptedCostCents: number }[]>`
    SELECT COALESCE(sum(d."closed"), 0)::int AS "closed", COALESCE(sum(d."accepted"), 0)::int AS "accepted", COALESCE(sum(d."rejected"), 0)::int AS "rejected",
           COALESCE(sum(d."acceptedCostCents"), 0)::float8 AS "acceptedCostCents"
    FROM "DashboardClosedDaily" d
    WHERE d."day" >= ${fromDay} AND d."day" < ${now} ${teamIs('d')}`);

  const latencyQ = timed('latency', db.$queryRaw<{ decided: number; p50: number | null; p90: number | null; changesRequested: number }[]>`
    SELECT count(*)::int AS "decided",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY l."hours") AS "p50",
           percentile_cont(0.9) WITHIN GROUP (ORDER BY l."hours") AS "p90",
           count(*) FILTER (WHERE l."changesRequested")::int AS "changesRequested"
    FROM "DashboardApprovalLatency" l
    WHERE l."decidedAt" >= ${fromDay} AND l."decidedAt" < ${now} ${teamIs('l')}`);

  const latencyByWeekQ = timed('latencyByWeek', db.$queryRaw<{ week: Date; p50: number; p90: number; decided: number }[]>`
    SELECT date_trunc('week', l."decidedAt") AS "week",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY l."hours") AS "p50",
           percentile_cont(0.9) WITHIN GROUP (ORDER BY l."hours") AS "p90",
           count(*)::int AS "decided"
    FROM "DashboardApprovalLatency" l
    WHERE l."decidedAt" >= ${fromDay} AND l."decidedAt" < ${now} ${teamIs('l')}
    GROUP BY 1 ORDER BY 1`);

  // The queue is "now", so it reads the live table (pending requests only, by index).
  const queueQ = timed('queue', db.$queryRaw<{ pending: number; overdue: number; medianAgeHours: number | null; oldestAgeHours: number | null }[]>`
    SELECT count(*)::int AS "pending",
           count(*) FILTER (WHERE a."dueAt" < ${now})::int AS "overdue",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${now}::timestamp - a."createdAt") / 3600) AS "medianAgeHours",
           max(extract(epoch FROM ${now}::timestamp - a."createdAt") / 3600)::float8 AS "oldestAgeHours"
    FROM "ApprovalRequest" a JOIN "TaskContract" c ON c."id" = a."contractId"
    WHERE a."status" = 'PENDING' ${teamIs('c')}`);

  const exceptionsQ = timed('exceptions', db.$queryRaw<{ requested: number; granted: number }[]>`
    SELECT count(*)::int AS "requested", count(*) FILTER (WHERE x."status" IN ('GRANTED', 'EXPIRED'))::int AS "granted"
    FROM "SecurityException" x JOIN "TaskContract" c ON c."id" = x."contractId"
    WHERE x."createdAt" >= ${from} AND x."createdAt" < ${now} ${teamIs('c')}`);

  const mcpUsageQ = timed('mcpUsage', db.$queryRaw<{ server: string; tool: string; calls: number; runs: number }[]>`
    SELECT d."server", d."tool", sum(d."calls")::int AS "calls", sum(d."runs")::int AS "runs"
    FROM "DashboardMcpDaily" d
    WHERE d."day" >= ${fromDay} AND d."day" < ${now} ${teamIs('d')}
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 12`);

  const teamsQ = timed('teams', db.team.findMany({ select: { slug: true, name: true }, orderBy: { name: 'asc' } }));
  // Independent aggregates: run side by side on the pool, so the page waits for the slowest one only.
  const [runsByWeek, [runs], [closed], [latency], latencyByWeek, [queue], [exceptions], mcpUsage, teams] = await Promise.all([
    runsByWeekQ,
    runsQ,
    closedQ,
    latencyQ,
    latencyByWeekQ,
    queueQ,
    exceptionsQ,
    mcpUsageQ,
    teamsQ,
  ]);

  // Weeks with no runs still show, so the chart's time axis is honest.
  const weeks: string[] = [];
  const monday = (d: Date) => {
    const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7));
    return x;
  };
  for (let w = monday(from); w < now; w = new Date(w.getTime() + 7 * 86_400_000)) weeks.push(w.toISOString().slice(0, 10));
  const weekKey = (d: Date) => d.toISOString().slice(0, 10);
  const tierWeeks = weeks.map((week) => ({ week, ...Object.fromEntries(TIER_ORDER.map((t) => [t, runsByWeek.find((r) => weekKey(r.week) === week && r.tier === t)?.runs ?? 0])) })) as ({ week: string } & Record<(typeof TIER_ORDER)[number], number>)[];
  const latencyWeeks = weeks.map((week) => {
    const row = latencyByWeek.find((r) => weekKey(r.week) === week);
    return { week, p50: row ? round(row.p50) : null, p90: row ? round(row.p90) : null, decided: row?.decided ?? 0 };
  });

  return {
    query,
    asOf,
    team: team?.name ?? null,
    teams,
    from,
    to: now,
    runsByTier: tierWeeks,
    runs: {
      started: runs!.started,
      finished: runs!.finished,
      succeeded: runs!.succeeded,
      completedShare: share(runs!.finished, runs!.started),
    },
    closeOut: { closed: closed!.closed, accepted: closed!.accepted, rejected: closed!.rejected, acceptedShare: share(closed!.accepted, closed!.closed) },
    approvals: {
      decided: latency!.decided,
      latencyP50Hours: latency!.p50 === null ? null : round(latency!.p50),
      latencyP90Hours: latency!.p90 === null ? null : round(latency!.p90),
      changesRequested: latency!.changesRequested,
      changesRequestedRate: share(latency!.changesRequested, latency!.decided),
      byWeek: latencyWeeks,
    },
    queue: { pending: queue!.pending, overdue: queue!.overdue, medianAgeHours: queue!.medianAgeHours === null ? null : round(queue!.medianAgeHours), oldestAgeHours: queue!.oldestAgeHours === null ? null : round(queue!.oldestAgeHours) },
    violations: { runsWithViolations: runs!.withViolations, violations: runs!.violations, uncheckedCalls: runs!.unchecked, exceptionsRequested: exceptions!.requested, exceptionsGranted: exceptions!.granted },
    mcpUsage,
    cost: {
      totalCents: runs!.costCents,
      perFinishedRunCents: runs!.finished ? Math.round(runs!.finishedCostCents / runs!.finished) : null,
      perAcceptedChangeCents: closed!.accepted ? Math.round(closed!.acceptedCostCents / closed!.accepted) : null,
    },
    rollbacks: closed!.rejected,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function share(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 1000) / 1000 : null;
}

/** The same figures as CSV: one line per figure, then the weekly series. */
export function figuresCsv(f: Figures): string {
  const esc = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
  };
  const lines: unknown[][] = [
    ['section', 'figure', 'value'],
    ['filter', 'team', f.team ?? 'all teams'],
    ['filter', 'period', `${f.from.toISOString().slice(0, 10)} to ${f.to.toISOString().slice(0, 10)}`],
    ['runs', 'started', f.runs.started],
    ['runs', 'finished', f.runs.finished],
    ['runs', 'completed share', f.runs.completedShare],
    ['close-out', 'closed', f.closeOut.closed],
    ['close-out', 'accepted', f.closeOut.accepted],
    ['close-out', 'accepted share', f.closeOut.acceptedShare],
    ['close-out', 'rejected (rolled back)', f.rollbacks],
    ['approvals', 'decided', f.approvals.decided],
    ['approvals', 'latency median hours', f.approvals.latencyP50Hours],
    ['approvals', 'latency p90 hours', f.approvals.latencyP90Hours],
    ['approvals', 'changes requested rate', f.approvals.changesRequestedRate],
    ['queue', 'pending', f.queue.pending],
    ['queue', 'overdue', f.queue.overdue],
    ['queue', 'median age hours', f.queue.medianAgeHours],
    ['queue', 'oldest age hours', f.queue.oldestAgeHours],
    ['violations', 'runs with violations', f.violations.runsWithViolations],
    ['violations', 'violations', f.violations.violations],
    ['violations', 'unchecked calls', f.violations.uncheckedCalls],
    ['exceptions', 'requested', f.violations.exceptionsRequested],
    ['exceptions', 'granted', f.violations.exceptionsGranted],
    ['cost', 'total USD', (f.cost.totalCents / 100).toFixed(2)],
    ['cost', 'per finished run USD', f.cost.perFinishedRunCents === null ? null : (f.cost.perFinishedRunCents / 100).toFixed(2)],
    ['cost', 'per accepted change USD', f.cost.perAcceptedChangeCents === null ? null : (f.cost.perAcceptedChangeCents / 100).toFixed(2)],
    ...f.mcpUsage.map((m) => ['mcp usage', `${m.server}/${m.tool}`, m.calls]),
    ...f.runsByTier.flatMap((w) => TIER_ORDER.map((t) => [`runs week ${w.week}`, t, w[t]])),
    ...f.approvals.byWeek.map((w) => [`approval latency week ${w.week}`, 'median / p90 hours', w.p50 === null ? '' : `${w.p50} / ${w.p90}`]),
  ];
  return lines.map((l) => l.map(esc).join(',')).join('\n') + '\n';
}
