-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "resolution" TEXT,
ADD COLUMN     "sourceSeq" INTEGER;

-- AlterTable
ALTER TABLE "IncidentAction" ADD COLUMN     "auditEventId" BIGINT;

-- AlterTable
ALTER TABLE "PolicyCase" DROP COLUMN "boundary",
ADD COLUMN     "context" JSONB NOT NULL,
ADD COLUMN     "number" SERIAL NOT NULL,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "PolicyCase_number_key" ON "PolicyCase"("number");

-- CreateIndex
CREATE INDEX "PolicyCase_active_createdAt_idx" ON "PolicyCase"("active", "createdAt");
