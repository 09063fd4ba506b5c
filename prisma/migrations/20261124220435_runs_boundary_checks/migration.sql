-- CreateEnum
CREATE TYPE "BoundaryVerdict" AS ENUM ('ALLOW', 'DENY', 'NEEDS_APPROVAL');

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "checkpointedAt" TIMESTAMP(3),
ADD COLUMN     "checkpointedSeq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "uncheckedCalls" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "BoundaryCheck" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "toolUseId" TEXT,
    "actionType" TEXT NOT NULL,
    "action" JSONB NOT NULL,
    "verdict" "BoundaryVerdict" NOT NULL,
    "reasons" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BoundaryCheck_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BoundaryCheck_runId_toolUseId_idx" ON "BoundaryCheck"("runId", "toolUseId");

-- CreateIndex
CREATE INDEX "BoundaryCheck_runId_createdAt_idx" ON "BoundaryCheck"("runId", "createdAt");

-- AddForeignKey
ALTER TABLE "BoundaryCheck" ADD CONSTRAINT "BoundaryCheck_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Signed checkpoints and boundary decisions are evidence too: append-only like the receipts.
CREATE TRIGGER "SignedCheckpoint_append_only"
  BEFORE UPDATE OR DELETE ON "SignedCheckpoint"
  FOR EACH ROW EXECUTE FUNCTION mandate_refuse_change();

CREATE TRIGGER "BoundaryCheck_append_only"
  BEFORE UPDATE OR DELETE ON "BoundaryCheck"
  FOR EACH ROW EXECUTE FUNCTION mandate_refuse_change();
