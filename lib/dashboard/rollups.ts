import { pgTransaction, sqlQuery } from '@/lib/db';
import { errorFields, log } from '@/lib/server/log';

/** The dashboard's materialized rollups (see the dashboard_materialized_views migration). */
export const ROLLUP_VIEWS = ['DashboardRunsDaily', 'DashboardClosedDaily', 'DashboardMcpDaily', 'DashboardExceptionsDaily', 'DashboardLatencyWeekly', 'DashboardLatencyPeriods'] as const;
const KEY = 'dashboard.rollups.refreshedAt';
/** Any number that identifies "refreshing the dashboard rollups" among advisory locks. */
const LOCK = 0x6d616e64;

export function rollupMaxAgeMs(): number {
  const seconds = Number(process.env.DASHBOARD_REFRESH_SECONDS ?? '');
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 300) * 1000;
}

export async function rollupsAsOf(): Promise<Date | null> {
  const [row] = await sqlQuery<{ at: string | null }>(`SELECT "value"->>'at' AS "at" FROM "AppSetting" WHERE "key" = $1`, [KEY]);
  return row?.at ? new Date(row.at) : null;
}

/**
 * Refreshes every rollup without blocking readers (REFRESH … CONCURRENTLY). One instance at a time:
 * whoever does not get the advisory lock returns false and leaves it to the one that did.
 */
export async function refreshDashboardRollups(): Promise<boolean> {
  return pgTransaction(async (sql) => {
    const [{ locked }] = await sql.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS "locked"', [LOCK]) as [{ locked: boolean }];
    if (!locked) return false;
    const at = new Date();
    for (const view of ROLLUP_VIEWS) await sql.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY "${view}"`, []);
    await sql.query(
      `INSERT INTO "AppSetting" ("key", "value", "updatedAt") VALUES ($1, $2::jsonb, now())
       ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value", "updatedAt" = now()`,
      [KEY, JSON.stringify({ at: at.toISOString() })],
    );
    return true;
  });
}

/**
 * Before reading the dashboard: rollups never refreshed → refresh now (once); older than the
 * configured age → refresh in the background and answer with the figures as of the last refresh.
 */
export async function ensureFreshRollups(now = new Date()): Promise<Date | null> {
  const asOf = await rollupsAsOf();
  if (!asOf) {
    await refreshDashboardRollups();
    return rollupsAsOf();
  }
  if (now.getTime() - asOf.getTime() > rollupMaxAgeMs()) {
    refreshDashboardRollups().catch((error) => log.error(errorFields(error), 'dashboard rollup refresh failed'));
  }
  return asOf;
}
