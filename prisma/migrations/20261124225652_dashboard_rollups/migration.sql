-- CreateTable
CREATE TABLE "RunMcpUsage" (
    "runId" TEXT NOT NULL,
    "server" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RunMcpUsage_pkey" PRIMARY KEY ("runId","server","tool")
);

-- CreateIndex
CREATE INDEX "ApprovalRequest_decidedAt_idx" ON "ApprovalRequest"("decidedAt");

-- CreateIndex
CREATE INDEX "Run_startedAt_idx" ON "Run"("startedAt");

-- CreateIndex
CREATE INDEX "TaskContract_closedAt_idx" ON "TaskContract"("closedAt");

-- AddForeignKey
ALTER TABLE "RunMcpUsage" ADD CONSTRAINT "RunMcpUsage_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill from the receipts already stored.
INSERT INTO "RunMcpUsage" ("runId", "server", "tool", "calls")
SELECT "runId", "payload"->>'server', "payload"->>'tool', count(*)::int
FROM "EvidenceReceipt"
WHERE "kind" = 'MCP_CALL' AND "payload"->>'server' IS NOT NULL AND "payload"->>'tool' IS NOT NULL
GROUP BY 1, 2, 3;
