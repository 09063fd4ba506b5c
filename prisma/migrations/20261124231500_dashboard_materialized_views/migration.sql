-- Leadership dashboard rollups: daily aggregates per team (and tier), refreshed by the app every few
-- minutes (REFRESH … CONCURRENTLY, so readers never wait). A year of figures reads a few thousand
-- rollup rows instead of every run, approval and receipt.

CREATE MATERIALIZED VIEW "DashboardRunsDaily" AS
SELECT date_trunc('day', r."startedAt") AS "day", c."teamId", COALESCE(c."tier"::text, 'MEDIUM') AS "tier",
       count(*)::int AS "runs",
       count(*) FILTER (WHERE r."status" <> 'STARTED')::int AS "finished",
       count(*) FILTER (WHERE r."status" = 'SUCCEEDED')::int AS "succeeded",
       count(*) FILTER (WHERE r."violationCount" > 0)::int AS "withViolations",
       COALESCE(sum(r."violationCount"), 0)::int AS "violations",
       COALESCE(sum(r."uncheckedCalls"), 0)::int AS "unchecked",
       COALESCE(sum(r."costCents"), 0)::bigint AS "costCents",
       COALESCE(sum(r."costCents") FILTER (WHERE r."status" <> 'STARTED'), 0)::bigint AS "finishedCostCents"
FROM "Run" r JOIN "TaskContract" c ON c."id" = r."contractId"
GROUP BY 1, 2, 3;
CREATE UNIQUE INDEX "DashboardRunsDaily_key" ON "DashboardRunsDaily" ("day", "teamId", "tier");

CREATE MATERIALIZED VIEW "DashboardClosedDaily" AS
SELECT date_trunc('day', c."closedAt") AS "day", c."teamId",
       count(*)::int AS "closed",
       count(*) FILTER (WHERE c."closeOutOutcome" = 'ACCEPTED')::int AS "accepted",
       count(*) FILTER (WHERE c."closeOutOutcome" = 'REJECTED')::int AS "rejected",
       COALESCE(sum(rc."cost") FILTER (WHERE c."closeOutOutcome" = 'ACCEPTED'), 0)::bigint AS "acceptedCostCents"
FROM "TaskContract" c
LEFT JOIN LATERAL (SELECT sum(r."costCents") AS "cost" FROM "Run" r WHERE r."contractId" = c."id") rc ON true
WHERE c."closedAt" IS NOT NULL
GROUP BY 1, 2;
CREATE UNIQUE INDEX "DashboardClosedDaily_key" ON "DashboardClosedDaily" ("day", "teamId");

-- Latency percentiles stay exact: one narrow row per decided request.
CREATE MATERIALIZED VIEW "DashboardApprovalLatency" AS
SELECT a."id", a."decidedAt", c."teamId",
       (extract(epoch FROM a."decidedAt" - a."createdAt") / 3600)::float8 AS "hours",
       a."status" = 'CHANGES_REQUESTED' AS "changesRequested"
FROM "ApprovalRequest" a JOIN "TaskContract" c ON c."id" = a."contractId"
WHERE a."decidedAt" IS NOT NULL AND a."status" IN ('APPROVED', 'REJECTED', 'CHANGES_REQUESTED');
CREATE UNIQUE INDEX "DashboardApprovalLatency_key" ON "DashboardApprovalLatency" ("id");
CREATE INDEX "DashboardApprovalLatency_decidedAt" ON "DashboardApprovalLatency" ("decidedAt") INCLUDE ("teamId", "hours", "changesRequested");
CREATE INDEX "DashboardApprovalLatency_team" ON "DashboardApprovalLatency" ("teamId", "decidedAt") INCLUDE ("hours", "changesRequested");

CREATE MATERIALIZED VIEW "DashboardMcpDaily" AS
SELECT date_trunc('day', r."startedAt") AS "day", c."teamId", u."server", u."tool",
       sum(u."calls")::int AS "calls", count(*)::int AS "runs"
FROM "RunMcpUsage" u JOIN "Run" r ON r."id" = u."runId" JOIN "TaskContract" c ON c."id" = r."contractId"
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX "DashboardMcpDaily_key" ON "DashboardMcpDaily" ("day", "teamId", "server", "tool");
