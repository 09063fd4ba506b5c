-- Exact approval-latency percentiles, precomputed at refresh time: per week (per team and for all
-- teams) and for each period the dashboard offers (30/90/180/365 days up to the refresh). Percentiles
-- do not add up across days, so they are computed over the decisions themselves, once per refresh.
DROP MATERIALIZED VIEW "DashboardApprovalLatency";

CREATE MATERIALIZED VIEW "DashboardLatencyWeekly" AS
SELECT date_trunc('week', a."decidedAt") AS "week", COALESCE(c."teamId", '*') AS "teamKey",
       count(*)::int AS "decided",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a."decidedAt" - a."createdAt") / 3600) AS "p50",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM a."decidedAt" - a."createdAt") / 3600) AS "p90"
FROM "ApprovalRequest" a JOIN "TaskContract" c ON c."id" = a."contractId"
WHERE a."decidedAt" IS NOT NULL AND a."status" IN ('APPROVED', 'REJECTED', 'CHANGES_REQUESTED')
GROUP BY GROUPING SETS ((date_trunc('week', a."decidedAt"), c."teamId"), (date_trunc('week', a."decidedAt")));
CREATE UNIQUE INDEX "DashboardLatencyWeekly_key" ON "DashboardLatencyWeekly" ("teamKey", "week");

CREATE MATERIALIZED VIEW "DashboardLatencyPeriods" AS
WITH decided AS (
  SELECT a."decidedAt", c."teamId", extract(epoch FROM a."decidedAt" - a."createdAt") / 3600 AS "hours", a."status" = 'CHANGES_REQUESTED' AS "changesRequested"
  FROM "ApprovalRequest" a JOIN "TaskContract" c ON c."id" = a."contractId"
  WHERE a."decidedAt" IS NOT NULL AND a."status" IN ('APPROVED', 'REJECTED', 'CHANGES_REQUESTED')
    AND a."decidedAt" >= date_trunc('day', now() - interval '365 days')
), periods AS (SELECT unnest(ARRAY[30, 90, 180, 365]) AS "days")
SELECT p."days", COALESCE(d."teamId", '*') AS "teamKey",
       count(*)::int AS "decided",
       percentile_cont(0.5) WITHIN GROUP (ORDER BY d."hours") AS "p50",
       percentile_cont(0.9) WITHIN GROUP (ORDER BY d."hours") AS "p90",
       count(*) FILTER (WHERE d."changesRequested")::int AS "changesRequested"
FROM periods p JOIN decided d ON d."decidedAt" >= date_trunc('day', now() - make_interval(days => p."days"))
GROUP BY GROUPING SETS ((p."days", d."teamId"), (p."days"));
CREATE UNIQUE INDEX "DashboardLatencyPeriods_key" ON "DashboardLatencyPeriods" ("days", "teamKey");

CREATE MATERIALIZED VIEW "DashboardExceptionsDaily" AS
SELECT date_trunc('day', x."createdAt") AS "day", c."teamId",
       count(*)::int AS "requested",
       count(*) FILTER (WHERE x."status" IN ('GRANTED', 'EXPIRED'))::int AS "granted"
FROM "SecurityException" x JOIN "TaskContract" c ON c."id" = x."contractId"
GROUP BY 1, 2;
CREATE UNIQUE INDEX "DashboardExceptionsDaily_key" ON "DashboardExceptionsDaily" ("day", "teamId");
