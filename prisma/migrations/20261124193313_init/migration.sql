-- CreateEnum
CREATE TYPE "Role" AS ENUM ('REQUESTER', 'APPROVER', 'SECURITY', 'LEADER', 'ADMIN');

-- CreateEnum
CREATE TYPE "AgentKind" AS ENUM ('LOCAL_CODING_AGENT', 'CI_AGENT', 'ENTERPRISE_ASSISTANT');

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'REVOKED');

-- CreateEnum
CREATE TYPE "McpTransport" AS ENUM ('STDIO', 'STREAMABLE_HTTP', 'SSE');

-- CreateEnum
CREATE TYPE "DataClass" AS ENUM ('PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'CUSTOMER', 'REGULATED');

-- CreateEnum
CREATE TYPE "CapabilityAccess" AS ENUM ('READ', 'WRITE');

-- CreateEnum
CREATE TYPE "CapabilityPolicy" AS ENUM ('DEFAULT_READ', 'NEEDS_APPROVAL', 'SYNTHETIC_ONLY', 'BLOCKED');

-- CreateEnum
CREATE TYPE "RiskTier" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'STOP');

-- CreateEnum
CREATE TYPE "ContractStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'READY', 'IN_REVIEW', 'APPROVED', 'CHANGES_REQUESTED', 'REJECTED', 'BLOCKED', 'RUNNING', 'COMPLETED', 'CLOSED');

-- CreateEnum
CREATE TYPE "ApprovalKind" AS ENUM ('APPROVER', 'SECURITY_COSIGN');

-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'CHANGES_REQUESTED', 'EXPIRED', 'VOIDED');

-- CreateEnum
CREATE TYPE "DecisionOutcome" AS ENUM ('APPROVE', 'REQUEST_CHANGES', 'REJECT');

-- CreateEnum
CREATE TYPE "ExceptionStatus" AS ENUM ('REQUESTED', 'GRANTED', 'REFUSED', 'EXPIRED', 'REVOKED');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('STARTED', 'SUCCEEDED', 'FAILED', 'ABORTED');

-- CreateEnum
CREATE TYPE "ReceiptKind" AS ENUM ('FILE_READ', 'FILE_WRITE', 'COMMAND', 'TOOL_CALL', 'MCP_CALL', 'APPROVAL_REQUESTED', 'TEST_RESULT', 'NOTE', 'COST');

-- CreateEnum
CREATE TYPE "PacketStatus" AS ENUM ('DRAFT', 'FROZEN');

-- CreateEnum
CREATE TYPE "IncidentSeverity" AS ENUM ('SEV1', 'SEV2', 'SEV3', 'SEV4');

-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('OPEN', 'CONTAINED', 'RESOLVED', 'REVIEWED');

-- CreateEnum
CREATE TYPE "PolicyVerdict" AS ENUM ('ALLOW', 'DENY', 'NEEDS_APPROVAL');

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT,
    "roles" "Role"[],
    "teamId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastSignInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStartsAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RateLimitBucket_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "AppSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppSetting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AgentIdentity" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AgentKind" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT NOT NULL,
    "teamId" TEXT,
    "toolProfile" JSONB NOT NULL,
    "status" "AgentStatus" NOT NULL DEFAULT 'ACTIVE',
    "statusReason" TEXT,
    "killedAt" TIMESTAMP(3),
    "killReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentToken" (
    "id" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "rotatedFromId" TEXT,
    "graceEndsAt" TIMESTAMP(3),

    CONSTRAINT "AgentToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "McpServer" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "transport" "McpTransport" NOT NULL,
    "endpoint" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "teamId" TEXT,
    "hasLogging" BOOLEAN NOT NULL DEFAULT false,
    "hasOwnerReview" BOOLEAN NOT NULL DEFAULT false,
    "hasKillSwitch" BOOLEAN NOT NULL DEFAULT false,
    "killedAt" TIMESTAMP(3),
    "killReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "McpServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "McpCapability" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "toolName" TEXT NOT NULL,
    "toolDescription" TEXT NOT NULL DEFAULT '',
    "inputSchema" JSONB,
    "businessCapability" TEXT,
    "dataClass" "DataClass" NOT NULL DEFAULT 'INTERNAL',
    "access" "CapabilityAccess" NOT NULL DEFAULT 'READ',
    "policy" "CapabilityPolicy" NOT NULL DEFAULT 'BLOCKED',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "McpCapability_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SensitiveArea" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "tier" "RiskTier" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "ownerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SensitiveArea_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskContract" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "status" "ContractStatus" NOT NULL DEFAULT 'DRAFT',
    "requesterId" TEXT NOT NULL,
    "delegatedById" TEXT,
    "teamId" TEXT NOT NULL,
    "agentIdentityId" TEXT,
    "namedApproverId" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "repository" TEXT NOT NULL DEFAULT '',
    "baseBranch" TEXT NOT NULL DEFAULT 'main',
    "allowGlobs" TEXT[],
    "blockGlobs" TEXT[],
    "checks" TEXT[],
    "deliverables" TEXT[],
    "allowedData" TEXT[],
    "blockedItems" TEXT[],
    "blockedFreeText" TEXT NOT NULL DEFAULT '',
    "localCommands" TEXT[],
    "budgetMaxCostCents" INTEGER NOT NULL DEFAULT 0,
    "budgetMaxToolCalls" INTEGER NOT NULL DEFAULT 0,
    "budgetMaxWallMinutes" INTEGER NOT NULL DEFAULT 0,
    "rollbackPlan" TEXT NOT NULL DEFAULT '',
    "residualRisk" TEXT NOT NULL DEFAULT '',
    "tierRaisedTo" "RiskTier",
    "tierRaiseReason" TEXT,
    "tier" "RiskTier",
    "currentVersion" INTEGER NOT NULL DEFAULT 0,
    "submittedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "closedById" TEXT,
    "closeOutOutcome" TEXT,
    "closeOutReason" TEXT,
    "frozenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TaskContract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractCapability" (
    "contractId" TEXT NOT NULL,
    "capabilityId" TEXT NOT NULL,

    CONSTRAINT "ContractCapability_pkey" PRIMARY KEY ("contractId","capabilityId")
);

-- CreateTable
CREATE TABLE "ContractVersion" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContractVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RiskAssessment" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "computedTier" "RiskTier" NOT NULL,
    "tier" "RiskTier" NOT NULL,
    "reasons" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RiskAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalRequest" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "contractVersionId" TEXT NOT NULL,
    "kind" "ApprovalKind" NOT NULL,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'PENDING',
    "assigneeId" TEXT,
    "queueRole" "Role",
    "tier" "RiskTier" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "escalatedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "ApprovalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "deciderId" TEXT NOT NULL,
    "outcome" "DecisionOutcome" NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecurityException" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "compensatingControls" TEXT NOT NULL DEFAULT '',
    "requestedDays" INTEGER NOT NULL,
    "status" "ExceptionStatus" NOT NULL DEFAULT 'REQUESTED',
    "decidedById" TEXT,
    "decisionReason" TEXT,
    "decidedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityException_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "contractVersionId" TEXT NOT NULL,
    "agentIdentityId" TEXT NOT NULL,
    "tokenId" TEXT,
    "status" "RunStatus" NOT NULL DEFAULT 'STARTED',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "summary" TEXT NOT NULL DEFAULT '',
    "patchRef" TEXT,
    "checkResults" JSONB,
    "costCents" INTEGER NOT NULL DEFAULT 0,
    "toolCalls" INTEGER NOT NULL DEFAULT 0,
    "violationCount" INTEGER NOT NULL DEFAULT 0,
    "runTokenPrefix" TEXT,
    "runTokenHash" TEXT,
    "runTokenExpiresAt" TIMESTAMP(3),
    "receiptCount" INTEGER NOT NULL DEFAULT 0,
    "headHash" TEXT,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceReceipt" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" "ReceiptKind" NOT NULL,
    "payload" JSONB NOT NULL,
    "clientTimestamp" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "idempotencyKey" TEXT NOT NULL,
    "toolUseId" TEXT,
    "violation" BOOLEAN NOT NULL DEFAULT false,
    "violationReason" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "EvidenceReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignedCheckpoint" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "headHash" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignedCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewPacket" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "PacketStatus" NOT NULL DEFAULT 'DRAFT',
    "content" JSONB NOT NULL,
    "decision" TEXT,
    "decisionBy" TEXT,
    "reason" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewPacket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RollbackNote" (
    "id" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "steps" TEXT NOT NULL,
    "verification" TEXT NOT NULL,
    "executors" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RollbackNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "actorId" TEXT,
    "actorAgent" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "requestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "href" TEXT,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "severity" "IncidentSeverity" NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'OPEN',
    "source" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "openedById" TEXT NOT NULL,
    "contractId" TEXT,
    "runId" TEXT,
    "mcpServerId" TEXT,
    "agentIdentityId" TEXT,
    "summary" TEXT NOT NULL DEFAULT '',
    "reviewWhat" TEXT,
    "reviewWhy" TEXT,
    "reviewFollowUps" TEXT,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "containedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "reviewedAt" TIMESTAMP(3),

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentAction" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyCase" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "actions" JSONB NOT NULL,
    "boundary" JSONB NOT NULL,
    "expectedVerdict" "PolicyVerdict" NOT NULL,
    "sourceRunId" TEXT,
    "createdById" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_slug_key" ON "Team"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_teamId_idx" ON "User"("teamId");

-- CreateIndex
CREATE INDEX "RateLimitBucket_windowStart_idx" ON "RateLimitBucket"("windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "AgentIdentity_name_key" ON "AgentIdentity"("name");

-- CreateIndex
CREATE INDEX "AgentIdentity_status_idx" ON "AgentIdentity"("status");

-- CreateIndex
CREATE UNIQUE INDEX "AgentToken_prefix_key" ON "AgentToken"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "AgentToken_tokenHash_key" ON "AgentToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "AgentToken_rotatedFromId_key" ON "AgentToken"("rotatedFromId");

-- CreateIndex
CREATE INDEX "AgentToken_identityId_idx" ON "AgentToken"("identityId");

-- CreateIndex
CREATE UNIQUE INDEX "McpServer_slug_key" ON "McpServer"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "McpCapability_serverId_toolName_key" ON "McpCapability"("serverId", "toolName");

-- CreateIndex
CREATE INDEX "SensitiveArea_enabled_idx" ON "SensitiveArea"("enabled");

-- CreateIndex
CREATE UNIQUE INDEX "SensitiveArea_pattern_key" ON "SensitiveArea"("pattern");

-- CreateIndex
CREATE UNIQUE INDEX "TaskContract_number_key" ON "TaskContract"("number");

-- CreateIndex
CREATE INDEX "TaskContract_status_updatedAt_idx" ON "TaskContract"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "TaskContract_requesterId_status_idx" ON "TaskContract"("requesterId", "status");

-- CreateIndex
CREATE INDEX "TaskContract_teamId_status_idx" ON "TaskContract"("teamId", "status");

-- CreateIndex
CREATE INDEX "TaskContract_tier_status_idx" ON "TaskContract"("tier", "status");

-- CreateIndex
CREATE INDEX "TaskContract_agentIdentityId_idx" ON "TaskContract"("agentIdentityId");

-- CreateIndex
CREATE INDEX "TaskContract_namedApproverId_idx" ON "TaskContract"("namedApproverId");

-- CreateIndex
CREATE INDEX "ContractCapability_capabilityId_idx" ON "ContractCapability"("capabilityId");

-- CreateIndex
CREATE UNIQUE INDEX "ContractVersion_contractId_version_key" ON "ContractVersion"("contractId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "RiskAssessment_versionId_key" ON "RiskAssessment"("versionId");

-- CreateIndex
CREATE INDEX "RiskAssessment_contractId_createdAt_idx" ON "RiskAssessment"("contractId", "createdAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_assigneeId_status_createdAt_idx" ON "ApprovalRequest"("assigneeId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_queueRole_status_createdAt_idx" ON "ApprovalRequest"("queueRole", "status", "createdAt");

-- CreateIndex
CREATE INDEX "ApprovalRequest_contractId_status_idx" ON "ApprovalRequest"("contractId", "status");

-- CreateIndex
CREATE INDEX "ApprovalRequest_status_dueAt_idx" ON "ApprovalRequest"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalDecision_requestId_key" ON "ApprovalDecision"("requestId");

-- CreateIndex
CREATE INDEX "ApprovalDecision_deciderId_createdAt_idx" ON "ApprovalDecision"("deciderId", "createdAt");

-- CreateIndex
CREATE INDEX "SecurityException_contractId_status_idx" ON "SecurityException"("contractId", "status");

-- CreateIndex
CREATE INDEX "SecurityException_status_createdAt_idx" ON "SecurityException"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Run_runTokenPrefix_key" ON "Run"("runTokenPrefix");

-- CreateIndex
CREATE UNIQUE INDEX "Run_runTokenHash_key" ON "Run"("runTokenHash");

-- CreateIndex
CREATE INDEX "Run_contractId_startedAt_idx" ON "Run"("contractId", "startedAt");

-- CreateIndex
CREATE INDEX "Run_agentIdentityId_startedAt_idx" ON "Run"("agentIdentityId", "startedAt");

-- CreateIndex
CREATE INDEX "Run_status_startedAt_idx" ON "Run"("status", "startedAt");

-- CreateIndex
CREATE INDEX "EvidenceReceipt_runId_receivedAt_idx" ON "EvidenceReceipt"("runId", "receivedAt");

-- CreateIndex
CREATE INDEX "EvidenceReceipt_receivedAt_idx" ON "EvidenceReceipt"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EvidenceReceipt_runId_seq_key" ON "EvidenceReceipt"("runId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "EvidenceReceipt_runId_idempotencyKey_key" ON "EvidenceReceipt"("runId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "SignedCheckpoint_runId_seq_key" ON "SignedCheckpoint"("runId", "seq");

-- CreateIndex
CREATE INDEX "ReviewPacket_contractId_createdAt_idx" ON "ReviewPacket"("contractId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewPacket_runId_version_key" ON "ReviewPacket"("runId", "version");

-- CreateIndex
CREATE INDEX "RollbackNote_contractId_idx" ON "RollbackNote"("contractId");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_createdAt_idx" ON "AuditEvent"("targetType", "targetId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_createdAt_idx" ON "AuditEvent"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_action_createdAt_idx" ON "AuditEvent"("action", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_number_key" ON "Incident"("number");

-- CreateIndex
CREATE INDEX "Incident_status_openedAt_idx" ON "Incident"("status", "openedAt");

-- CreateIndex
CREATE INDEX "IncidentAction_incidentId_createdAt_idx" ON "IncidentAction"("incidentId", "createdAt");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentIdentity" ADD CONSTRAINT "AgentIdentity_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentIdentity" ADD CONSTRAINT "AgentIdentity_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentToken" ADD CONSTRAINT "AgentToken_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "AgentIdentity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentToken" ADD CONSTRAINT "AgentToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentToken" ADD CONSTRAINT "AgentToken_rotatedFromId_fkey" FOREIGN KEY ("rotatedFromId") REFERENCES "AgentToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpServer" ADD CONSTRAINT "McpServer_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpServer" ADD CONSTRAINT "McpServer_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpCapability" ADD CONSTRAINT "McpCapability_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SensitiveArea" ADD CONSTRAINT "SensitiveArea_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskContract" ADD CONSTRAINT "TaskContract_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskContract" ADD CONSTRAINT "TaskContract_delegatedById_fkey" FOREIGN KEY ("delegatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskContract" ADD CONSTRAINT "TaskContract_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskContract" ADD CONSTRAINT "TaskContract_agentIdentityId_fkey" FOREIGN KEY ("agentIdentityId") REFERENCES "AgentIdentity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskContract" ADD CONSTRAINT "TaskContract_namedApproverId_fkey" FOREIGN KEY ("namedApproverId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskContract" ADD CONSTRAINT "TaskContract_closedById_fkey" FOREIGN KEY ("closedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractCapability" ADD CONSTRAINT "ContractCapability_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractCapability" ADD CONSTRAINT "ContractCapability_capabilityId_fkey" FOREIGN KEY ("capabilityId") REFERENCES "McpCapability"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractVersion" ADD CONSTRAINT "ContractVersion_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractVersion" ADD CONSTRAINT "ContractVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskAssessment" ADD CONSTRAINT "RiskAssessment_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskAssessment" ADD CONSTRAINT "RiskAssessment_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ContractVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_contractVersionId_fkey" FOREIGN KEY ("contractVersionId") REFERENCES "ContractVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ApprovalRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_deciderId_fkey" FOREIGN KEY ("deciderId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityException" ADD CONSTRAINT "SecurityException_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityException" ADD CONSTRAINT "SecurityException_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityException" ADD CONSTRAINT "SecurityException_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_contractVersionId_fkey" FOREIGN KEY ("contractVersionId") REFERENCES "ContractVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_agentIdentityId_fkey" FOREIGN KEY ("agentIdentityId") REFERENCES "AgentIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "AgentToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceReceipt" ADD CONSTRAINT "EvidenceReceipt_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignedCheckpoint" ADD CONSTRAINT "SignedCheckpoint_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewPacket" ADD CONSTRAINT "ReviewPacket_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewPacket" ADD CONSTRAINT "ReviewPacket_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewPacket" ADD CONSTRAINT "ReviewPacket_decisionBy_fkey" FOREIGN KEY ("decisionBy") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollbackNote" ADD CONSTRAINT "RollbackNote_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollbackNote" ADD CONSTRAINT "RollbackNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_openedById_fkey" FOREIGN KEY ("openedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "TaskContract"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_mcpServerId_fkey" FOREIGN KEY ("mcpServerId") REFERENCES "McpServer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_agentIdentityId_fkey" FOREIGN KEY ("agentIdentityId") REFERENCES "AgentIdentity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentAction" ADD CONSTRAINT "IncidentAction_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentAction" ADD CONSTRAINT "IncidentAction_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyCase" ADD CONSTRAINT "PolicyCase_sourceRunId_fkey" FOREIGN KEY ("sourceRunId") REFERENCES "Run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyCase" ADD CONSTRAINT "PolicyCase_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
