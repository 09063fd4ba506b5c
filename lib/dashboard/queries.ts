import { z } from 'zod';
import { sqlQuery } from '@/lib/db';
import { ensureFreshRollups, refreshDashboardRollups, rollupMaxAgeMs } from './rollups';
import { errorFields, log } from '@/lib/server/log';

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
  const days = PERIODS[query.period];
  const from = new Date(now.getTime() - days * 86_400_000);
  // Rollups hold whole days: the period starts at the beginning of its first day.
  const fromDay = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())).toISOString();
  const to = now.toISOString();
  // $3: the team's id; NULL for all teams; a value no team has for an unknown slug.
  const inRange = (alias: string) => `${alias}."day" >= $1::timestamp AND ${alias}."day" < $2::timestamp AND ($3::text IS NULL OR ${alias}."teamId" = $3)`;
  const figuresSql = `
    WITH team AS (SELECT "id", "name" FROM "Team" WHERE "slug" = $6)
    SELECT
      (SELECT "value"->>'at' FROM "AppSetting" WHERE "key" = 'dashboard.rollups.refreshedAt') AS "asOf",
      (SELECT "name" FROM team) AS "teamName",
      (SELECT COALESCE(json_agg(x ORDER BY x."week"), '[]') FROM (
         SELECT to_char(date_trunc('week', d."day"), 'YYYY-MM-DD') AS "week", d."tier", sum(d."runs")::int AS "runs"
         FROM "DashboardRunsDaily" d WHERE ${inRange('d')} GROUP BY 1, 2) x) AS "runsByWeek",
      (SELECT row_to_json(x) FROM (
         SELECT COALESCE(sum(d."runs"), 0)::int AS "started", COALESCE(sum(d."finished"), 0)::int AS "finished", COALESCE(sum(d."succeeded"), 0)::int AS "succeeded",
                COALESCE(sum(d."withViolations"), 0)::int AS "withViolations", COALESCE(sum(d."violations"), 0)::int AS "violations", COALESCE(sum(d."unchecked"), 0)::int AS "unchecked",
                COALESCE(sum(d."costCents"), 0)::float8 AS "costCents", COALESCE(sum(d."finishedCostCents"), 0)::float8 AS "finishedCostCents"
         FROM "DashboardRunsDaily" d WHERE ${inRange('d')}) x) AS "runs",
      (SELECT row_to_json(x) FROM (
         SELECT COALESCE(sum(d."closed"), 0)::int AS "closed", COALESCE(sum(d."accepted"), 0)::int AS "accepted", COALESCE(sum(d."rejected"), 0)::int AS "rejected",
                COALESCE(sum(d."acceptedCostCents"), 0)::float8 AS "acceptedCostCents"
         FROM "DashboardClosedDaily" d WHERE ${inRange('d')}) x) AS "closed",
      (SELECT row_to_json(x) FROM (
         SELECT COALESCE(max(l."decided"), 0)::int AS "decided", max(l."p50") AS "p50", max(l."p90") AS "p90", COALESCE(max(l."changesRequested"), 0)::int AS "changesRequested"
         FROM "DashboardLatencyPeriods" l WHERE l."days" = $4 AND l."teamKey" = $5) x) AS "latency",
      (SELECT COALESCE(json_agg(x ORDER BY x."week"), '[]') FROM (
         SELECT to_char(l."week", 'YYYY-MM-DD') AS "week", l."p50", l."p90", l."decided"
         FROM "DashboardLatencyWeekly" l WHERE l."teamKey" = $5 AND l."week" >= date_trunc('week', $1::timestamp) AND l."week" < $2::timestamp) x) AS "latencyByWeek",
      (SELECT row_to_json(x) FROM (
         SELECT count(*)::int AS "pending",
                count(*) FILTER (WHERE a."dueAt" < $2::timestamp)::int AS "overdue",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM $2::timestamp - a."createdAt") / 3600) AS "medianAgeHours",
                max(extract(epoch FROM $2::timestamp - a."createdAt") / 3600)::float8 AS "oldestAgeHours"
         FROM "ApprovalRequest" a
         WHERE a."status" = 'PENDING' AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM "TaskContract" c WHERE c."id" = a."contractId" AND c."teamId" = $3))) x) AS "queue",
      (SELECT row_to_json(x) FROM (
         SELECT COALESCE(sum(d."requested"), 0)::int AS "requested", COALESCE(sum(d."granted"), 0)::int AS "granted"
         FROM "DashboardExceptionsDaily" d WHERE ${inRange('d')}) x) AS "exceptions",
      (SELECT COALESCE(json_agg(x), '[]') FROM (
         SELECT d."server", d."tool", sum(d."calls")::int AS "calls", sum(d."runs")::int AS "runs"
         FROM "DashboardMcpDaily" d WHERE ${inRange('d')}
         GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 12) x) AS "mcpUsage",
      (SELECT row_to_json(x) FROM (
         SELECT count(*) FILTER (WHERE i."openedAt" >= $1::timestamp AND i."openedAt" < $2::timestamp)::int AS "opened",
                count(*) FILTER (WHERE i."status" IN ('OPEN', 'CONTAINED'))::int AS "open",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i."containedAt" - i."openedAt") / 60)
                  FILTER (WHERE i."containedAt" IS NOT NULL AND i."openedAt" >= $1::timestamp AND i."openedAt" < $2::timestamp) AS "containMedianMinutes"
         FROM "Incident" i
         WHERE ($3::text IS NULL OR EXISTS (SELECT 1 FROM "TaskContract" c WHERE c."id" = i."contractId" AND c."teamId" = $3))) x) AS "incidents",
      (SELECT json_agg(x ORDER BY x."name") FROM (SELECT "slug", "name" FROM "Team") x) AS "teams"`;

  type Row = {
    asOf: string | null;
    teamName: string | null;
    runsByWeek: { week: string; tier: string; runs: number }[];
    runs: { started: number; finished: number; succeeded: number; withViolations: number; violations: number; unchecked: number; costCents: number; finishedCostCents: number };
    closed: { closed: number; accepted: number; rejected: number; acceptedCostCents: number };
    latency: { decided: number; p50: number | null; p90: number | null; changesRequested: number };
    latencyByWeek: { week: string; p50: number; p90: number; decided: number }[];
    queue: { pending: number; overdue: number; medianAgeHours: number | null; oldestAgeHours: number | null };
    exceptions: { requested: number; granted: number };
    mcpUsage: { server: string; tool: string; calls: number; runs: number }[];
    incidents: { opened: number; open: number; containMedianMinutes: number | null };
    teams: { slug: string; name: string }[] | null;
  };
  const [teamRow] = query.team ? await sqlQuery<{ id: string }>('SELECT "id" FROM "Team" WHERE "slug" = $1', [query.team]) : [];
  // Unknown team: nothing matches. No team: every team.
  const teamId = teamRow?.id ?? (query.team ? '-none-' : null);
  // Every figure in one round trip.
  const run = async () => {
    const started = performance.now();
    const [row] = await sqlQuery<Row>(figuresSql, [fromDay, to, teamId, days, teamId ?? '*', query.team ?? '']);
    if (timings) timings.figures = performance.now() - started;
    return row!;
  };
  let row = await run();
  if (!row.asOf) {
    await ensureFreshRollups(now);
    row = await run();
  } else if (now.getTime() - Date.parse(row.asOf) > rollupMaxAgeMs()) {
    // Stale: answer with the last refresh now, refresh in the background for the next view.
    refreshDashboardRollups().catch((error) => log.error(errorFields(error), 'dashboard rollup refresh failed'));
  }
  const asOf = row.asOf ? new Date(row.asOf) : null;
  const team = row.teamName ? { name: row.teamName } : null;
  const { runsByWeek, runs, closed, latency, latencyByWeek, queue, exceptions, mcpUsage, incidents } = row;
  const teams = row.teams ?? [];

  // Weeks with no runs still show, so the chart's time axis is honest.
  const weeks: string[] = [];
  const monday = (d: Date) => {
    const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7));
    return x;
  };
  for (let w = monday(from); w < now; w = new Date(w.getTime() + 7 * 86_400_000)) weeks.push(w.toISOString().slice(0, 10));
  const tierWeeks = weeks.map((week) => ({ week, ...Object.fromEntries(TIER_ORDER.map((t) => [t, runsByWeek.find((r) => r.week === week && r.tier === t)?.runs ?? 0])) })) as ({ week: string } & Record<(typeof TIER_ORDER)[number], number>)[];
  const latencyWeeks = weeks.map((week) => {
    const row = latencyByWeek.find((r) => r.week === week);
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
      started: runs.started,
      finished: runs.finished,
      succeeded: runs.succeeded,
      completedShare: share(runs.finished, runs.started),
    },
    closeOut: { closed: closed.closed, accepted: closed.accepted, rejected: closed.rejected, acceptedShare: share(closed.accepted, closed.closed) },
    approvals: {
      decided: latency.decided,
      latencyP50Hours: latency.p50 === null ? null : round(latency.p50),
      latencyP90Hours: latency.p90 === null ? null : round(latency.p90),
      changesRequested: latency.changesRequested,
      changesRequestedRate: share(latency.changesRequested, latency.decided),
      byWeek: latencyWeeks,
    },
    queue: { pending: queue.pending, overdue: queue.overdue, medianAgeHours: queue.medianAgeHours === null ? null : round(queue.medianAgeHours), oldestAgeHours: queue.oldestAgeHours === null ? null : round(queue.oldestAgeHours) },
    violations: { runsWithViolations: runs.withViolations, violations: runs.violations, uncheckedCalls: runs.unchecked, exceptionsRequested: exceptions.requested, exceptionsGranted: exceptions.granted },
    incidents: { opened: incidents.opened, open: incidents.open, containMedianMinutes: incidents.containMedianMinutes === null ? null : round(incidents.containMedianMinutes) },
    mcpUsage,
    cost: {
      totalCents: runs.costCents,
      perFinishedRunCents: runs.finished ? Math.round(runs.finishedCostCents / runs.finished) : null,
      perAcceptedChangeCents: closed.accepted ? Math.round(closed.acceptedCostCents / closed.accepted) : null,
    },
    rollbacks: closed.rejected,
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
    ['incidents', 'opened', f.incidents.opened],
    ['incidents', 'open now', f.incidents.open],
    ['incidents', 'median minutes to contain', f.incidents.containMedianMinutes],
    ['cost', 'total USD', (f.cost.totalCents / 100).toFixed(2)],
    ['cost', 'per finished run USD', f.cost.perFinishedRunCents === null ? null : (f.cost.perFinishedRunCents / 100).toFixed(2)],
    ['cost', 'per accepted change USD', f.cost.perAcceptedChangeCents === null ? null : (f.cost.perAcceptedChangeCents / 100).toFixed(2)],
    ...f.mcpUsage.map((m) => ['mcp usage', `${m.server}/${m.tool}`, m.calls]),
    ...f.runsByTier.flatMap((w) => TIER_ORDER.map((t) => [`runs week ${w.week}`, t, w[t]])),
    ...f.approvals.byWeek.map((w) => [`approval latency week ${w.week}`, 'median / p90 hours', w.p50 === null ? '' : `${w.p50} / ${w.p90}`]),
  ];
  return lines.map((l) => l.map(esc).join(',')).join('\n') + '\n';
}
