import { z } from 'zod';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';

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
 * Every leadership figure for a team and period, each computed in SQL (aggregates over indexed
 * ranges and the per-run MCP rollup; nothing loads rows into Node to count them).
 */
export async function dashboardFigures(query: DashboardQuery, now = new Date()) {
  const days = PERIODS[query.period];
  const from = new Date(now.getTime() - days * 86_400_000);
  const team = query.team ? await db.team.findUnique({ where: { slug: query.team }, select: { id: true, name: true } }) : null;
  const teamFilter = team ? Prisma.sql`AND c."teamId" = ${team.id}` : query.team ? Prisma.sql`AND false` : Prisma.empty;

  const runsByWeek = await db.$queryRaw<{ week: Date; tier: string; runs: number }[]>`
    SELECT date_trunc('week', r."startedAt") AS "week", COALESCE(c."tier"::text, 'MEDIUM') AS "tier", count(*)::int AS "runs"
    FROM "Run" r JOIN "TaskContract" c ON c."id" = r."contractId"
    WHERE r."startedAt" >= ${from} AND r."startedAt" < ${now} ${teamFilter}
    GROUP BY 1, 2 ORDER BY 1`;

  const [runs] = await db.$queryRaw<{ started: number; finished: number; succeeded: number; withViolations: number; violations: number; unchecked: number; costCents: number; finishedCostCents: number }[]>`
    SELECT count(*)::int AS "started",
           count(*) FILTER (WHERE r."status" <> 'STARTED')::int AS "finished",
           count(*) FILTER (WHERE r."status" = 'SUCCEEDED')::int AS "succeeded",
           count(*) FILTER (WHERE r."violationCount" > 0)::int AS "withViolations",
           COALESCE(sum(r."violationCount"), 0)::int AS "violations",
           COALESCE(sum(r."uncheckedCalls"), 0)::int AS "unchecked",
           COALESCE(sum(r."costCents"), 0)::float8 AS "costCents",
           COALESCE(sum(r."costCents") FILTER (WHERE r."status" <> 'STARTED'), 0)::float8 AS "finishedCostCents"
    FROM "Run" r JOIN "TaskContract" c ON c."id" = r."contractId"
    WHERE r."startedAt" >= ${from} AND r."startedAt" < ${now} ${teamFilter}`;

  const [closed] = await db.$queryRaw<{ closed: number; accepted: number; rejected: number; acceptedCostCents: number }[]>`
    WITH closed AS (
      SELECT c."id", c."closeOutOutcome" FROM "TaskContract" c
      WHERE c."closedAt" >= ${from} AND c."closedAt" < ${now} ${teamFilter}
    )
    SELECT count(*)::int AS "closed",
           count(*) FILTER (WHERE "closeOutOutcome" = 'ACCEPTED')::int AS "accepted",
           count(*) FILTER (WHERE "closeOutOutcome" = 'REJECTED')::int AS "rejected",
           COALESCE((SELECT sum(r."costCents") FROM "Run" r JOIN closed k ON k."id" = r."contractId" WHERE k."closeOutOutcome" = 'ACCEPTED'), 0)::float8 AS "acceptedCostCents"
    FROM closed`;

  const [latency] = await db.$queryRaw<{ decided: number; p50: number | null; p90: number | null; changesRequested: number }[]>`
    SELECT count(*)::int AS "decided",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a."decidedAt" - a."createdAt") / 3600) AS "p50",
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM a."decidedAt" - a."createdAt") / 3600) AS "p90",
           count(*) FILTER (WHERE a."status" = 'CHANGES_REQUESTED')::int AS "changesRequested"
    FROM "ApprovalRequest" a JOIN "TaskContract" c ON c."id" = a."contractId"
    WHERE a."decidedAt" >= ${from} AND a."decidedAt" < ${now} AND a."status" IN ('APPROVED', 'REJECTED', 'CHANGES_REQUESTED') ${teamFilter}`;

  const latencyByWeek = await db.$queryRaw<{ week: Date; p50: number; p90: number; decided: number }[]>`
    SELECT date_trunc('week', a."decidedAt") AS "week",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a."decidedAt" - a."createdAt") / 3600) AS "p50",
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM a."decidedAt" - a."createdAt") / 3600) AS "p90",
           count(*)::int AS "decided"
    FROM "ApprovalRequest" a JOIN "TaskContract" c ON c."id" = a."contractId"
    WHERE a."decidedAt" >= ${from} AND a."decidedAt" < ${now} AND a."status" IN ('APPROVED', 'REJECTED', 'CHANGES_REQUESTED') ${teamFilter}
    GROUP BY 1 ORDER BY 1`;

  const [queue] = await db.$queryRaw<{ pending: number; overdue: number; medianAgeHours: number | null; oldestAgeHours: number | null }[]>`
    SELECT count(*)::int AS "pending",
           count(*) FILTER (WHERE a."dueAt" < ${now})::int AS "overdue",
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${now}::timestamp - a."createdAt") / 3600) AS "medianAgeHours",
           max(extract(epoch FROM ${now}::timestamp - a."createdAt") / 3600)::float8 AS "oldestAgeHours"
    FROM "ApprovalRequest" a JOIN "TaskContract" c ON c."id" = a."contractId"
    WHERE a."status" = 'PENDING' ${teamFilter}`;

  const [exceptions] = await db.$queryRaw<{ requested: number; granted: number }[]>`
    SELECT count(*)::int AS "requested", count(*) FILTER (WHERE x."status" IN ('GRANTED', 'EXPIRED'))::int AS "granted"
    FROM "SecurityException" x JOIN "TaskContract" c ON c."id" = x."contractId"
    WHERE x."createdAt" >= ${from} AND x."createdAt" < ${now} ${teamFilter}`;

  const mcpUsage = await db.$queryRaw<{ server: string; tool: string; calls: number; runs: number }[]>`
    SELECT u."server", u."tool", sum(u."calls")::int AS "calls", count(DISTINCT u."runId")::int AS "runs"
    FROM "RunMcpUsage" u JOIN "Run" r ON r."id" = u."runId" JOIN "TaskContract" c ON c."id" = r."contractId"
    WHERE r."startedAt" >= ${from} AND r."startedAt" < ${now} ${teamFilter}
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 12`;

  const teams = await db.team.findMany({ select: { slug: true, name: true }, orderBy: { name: 'asc' } });

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
