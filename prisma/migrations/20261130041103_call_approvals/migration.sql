-- CreateEnum
CREATE TYPE "CallApprovalStatus" AS ENUM ('PENDING', 'APPROVED', 'DENIED', 'USED');

-- CreateTable
CREATE TABLE "CallApproval" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "server" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "argumentsHash" TEXT NOT NULL,
    "arguments" JSONB NOT NULL,
    "reasons" JSONB NOT NULL,
    "status" "CallApprovalStatus" NOT NULL DEFAULT 'PENDING',
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "note" TEXT,
    "usedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CallApproval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CallApproval_runId_status_idx" ON "CallApproval"("runId", "status");

-- CreateIndex
CREATE INDEX "CallApproval_runId_server_tool_argumentsHash_idx" ON "CallApproval"("runId", "server", "tool", "argumentsHash");

-- AddForeignKey
ALTER TABLE "CallApproval" ADD CONSTRAINT "CallApproval_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallApproval" ADD CONSTRAINT "CallApproval_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
