import { db, type Tx } from '@/lib/db';
import { observedRisks, summarizeReceipts } from '@/lib/domain/packet';
import type { RiskReason } from '@/lib/domain/risk';
import { effectiveBlocks } from '@/lib/domain/risk';
import { ChainWalker } from '@/lib/domain/evidence-chain';
import { storedReceipt } from '@/lib/evidence/verify';
import type { PacketContent, PacketExport } from './schema';

export const PACKET_SCHEMA_URL = '/api/schemas/review-packet.json';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const who = (u: { name: string; email: string } | null) => (u ? { name: u.name, email: u.email } : null);

async function loadRecords(runId: string, client: Tx = db) {
  const run = await client.run.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      startedAt: true,
      finishedAt: true,
      summary: true,
      patchRef: true,
      costCents: true,
      toolCalls: true,
      uncheckedCalls: true,
      checkResults: true,
      contractVersionId: true,
      contractVersion: { select: { version: true, assessment: { select: { tier: true, reasons: true } } } },
      agentIdentity: { select: { name: true } },
      contract: {
        select: {
          id: true,
          number: true,
          title: true,
          description: true,
          tier: true,
          repository: true,
          baseBranch: true,
          allowGlobs: true,
          blockGlobs: true,
          checks: true,
          deliverables: true,
          allowedData: true,
          blockedItems: true,
          blockedFreeText: true,
          localCommands: true,
          budgetMaxCostCents: true,
          budgetMaxToolCalls: true,
          budgetMaxWallMinutes: true,
          residualRisk: true,
          status: true,
          closedAt: true,
          closeOutOutcome: true,
          closeOutReason: true,
          closedBy: { select: { name: true } },
          requester: { select: { name: true, email: true } },
          delegatedBy: { select: { name: true, email: true } },
          namedApprover: { select: { name: true, email: true } },
          team: { select: { name: true } },
          agentIdentity: { select: { name: true } },
          capabilities: { select: { capability: { select: { toolName: true, businessCapability: true, policy: true, access: true, server: { select: { slug: true } } } } } },
          exceptions: { orderBy: { createdAt: 'asc' }, select: { what: true, status: true, decisionReason: true, decidedBy: { select: { name: true } } } },
          rollbackNotes: { orderBy: { updatedAt: 'desc' }, take: 1, select: { steps: true, verification: true, executors: true, updatedAt: true, author: { select: { name: true } } } },
        },
      },
      checkpoints: { orderBy: { seq: 'desc' }, take: 1, select: { seq: true, headHash: true, keyId: true, signature: true, createdAt: true } },
    },
  });
  if (!run) return null;
  // One after another: this also runs inside transactions (the seed), where queries must not overlap.
  const receipts = await client.evidenceReceipt.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
  const approvals = await client.approvalRequest.findMany({
    where: { contractVersionId: run.contractVersionId },
    orderBy: { createdAt: 'asc' },
    select: { kind: true, status: true, decidedAt: true, decision: { select: { outcome: true, reason: true, decider: { select: { name: true } } } } },
  });
  const areas = await client.sensitiveArea.findMany({ select: { id: true, name: true, category: true, pattern: true, tier: true, enabled: true } });
  return { run, receipts, approvals, areas };
}

type Records = NonNullable<Awaited<ReturnType<typeof loadRecords>>>;

function exportedReceipts(records: Records): PacketExport['evidence']['receipts'] {
  return records.receipts.map(storedReceipt);
}

/** Every section of the packet, generated from the records of one run; never typed by hand. */
function generate(records: Records, receipts: PacketExport['evidence']['receipts'], now: Date): PacketContent {
  const { run, approvals, areas } = records;
  const c = run.contract;
  const walker = new ChainWalker();
  const intact = receipts.every((r) => walker.push(r) === null);
  const checkpoint = run.checkpoints[0] ?? null;
  const signed = checkpoint !== null && checkpoint.seq === receipts.length && checkpoint.headHash === walker.head;
  const summary = summarizeReceipts(receipts, c.allowGlobs);
  const checks = ((Array.isArray(run.checkResults) ? run.checkResults : []) as { name: string; status: string; detail?: string }[]).map((k) => ({ name: k.name, status: k.status, detail: k.detail || null }));
  const reasons = ((run.contractVersion.assessment?.reasons ?? []) as RiskReason[]).map((r) => ({ rule: r.rule, tier: r.tier, message: r.message }));
  const note = c.rollbackNotes[0];
  return {
    format: 'mandate.review-packet.v1',
    generatedAt: now.toISOString(),
    contract: {
      ref: `MDT-${c.number}`,
      id: c.id,
      title: c.title,
      version: run.contractVersion.version,
      tier: run.contractVersion.assessment?.tier ?? c.tier ?? 'MEDIUM',
      tierReasons: reasons,
      requester: who(c.requester)!,
      delegatedBy: who(c.delegatedBy),
      namedApprover: who(c.namedApprover),
      team: c.team.name,
      engineering: { task: c.description, repository: c.repository, baseBranch: c.baseBranch, scope: c.allowGlobs, blocks: effectiveBlocks(c), checks: c.checks, deliverables: c.deliverables },
      security: {
        agent: c.agentIdentity?.name ?? null,
        allowedData: c.allowedData,
        blockedItems: c.blockedItems,
        blockedFreeText: c.blockedFreeText,
        capabilities: c.capabilities.map(({ capability: k }) => ({ name: `${k.server.slug}/${k.toolName}`, businessCapability: k.businessCapability, policy: k.policy, access: k.access })),
        localCommands: c.localCommands,
        budget: { maxCostCents: c.budgetMaxCostCents, maxToolCalls: c.budgetMaxToolCalls, maxWallMinutes: c.budgetMaxWallMinutes },
      },
    },
    run: { id: run.id, status: run.status, agent: run.agentIdentity.name, startedAt: run.startedAt.toISOString(), finishedAt: iso(run.finishedAt), summary: run.summary, patchRef: run.patchRef, costCents: run.costCents, toolCalls: run.toolCalls },
    scope: { inScope: summary.inScope, outOfScope: summary.outOfScope },
    commands: summary.commands,
    checks,
    toolCalls: summary.toolCalls,
    mcpCalls: summary.mcpCalls,
    approvals: approvals.map((a) => ({ kind: a.kind, status: a.status, decidedBy: a.decision?.decider.name ?? null, outcome: a.decision?.outcome ?? null, reason: a.decision?.reason ?? null, decidedAt: iso(a.decidedAt) })),
    exceptions: c.exceptions.map((x) => ({ what: x.what, status: x.status, decidedBy: x.decidedBy?.name ?? null, reason: x.decisionReason })),
    violations: summary.violations,
    risk: {
      residualRisk: c.residualRisk,
      observed: observedRisks({
        violations: summary.violations.length,
        uncheckedCalls: run.uncheckedCalls,
        checks,
        requiredChecks: c.checks,
        writtenPaths: [...summary.inScope, ...summary.outOfScope].filter((f) => f.writes > 0).map((f) => f.path),
        areas,
        chainIntact: intact,
        signed: run.status === 'STARTED' ? true : signed,
      }),
    },
    rollback: note ? { steps: note.steps, verification: note.verification, executors: note.executors, author: note.author.name, updatedAt: note.updatedAt.toISOString() } : null,
    evidence: { receipts: receipts.length, headHash: receipts.length ? walker.head : null, intact, checkpoint: checkpoint ? { ...checkpoint, createdAt: checkpoint.createdAt.toISOString() } : null },
    closeOut: c.closedAt && c.closeOutOutcome ? { outcome: c.closeOutOutcome as 'ACCEPTED' | 'REJECTED', by: c.closedBy?.name ?? '', reason: c.closeOutReason ?? '', at: c.closedAt.toISOString() } : null,
  };
}

export type BuiltPacket = { content: PacketContent; frozen: boolean; packetVersion: number | null; export: PacketExport };

/**
 * The packet of a run: the frozen one when the contract was closed (stored, never changed), else one
 * generated now from the records. The export carries the receipts and the signed checkpoint.
 */
export async function buildPacket(runId: string, now = new Date()): Promise<BuiltPacket | null> {
  const records = await loadRecords(runId);
  if (!records) return null;
  const receipts = exportedReceipts(records);
  const frozenRow = await db.reviewPacket.findFirst({ where: { runId, status: 'FROZEN' }, orderBy: { version: 'desc' }, select: { version: true, content: true } });
  const content = frozenRow ? (frozenRow.content as PacketContent) : generate(records, receipts, now);
  const cp = records.run.checkpoints[0];
  return {
    content,
    frozen: frozenRow !== null,
    packetVersion: frozenRow?.version ?? null,
    export: {
      $schema: PACKET_SCHEMA_URL,
      packet: content,
      frozen: frozenRow !== null,
      packetVersion: frozenRow?.version ?? null,
      evidence: {
        receipts,
        checkpoint: cp ? { runId, seq: cp.seq, headHash: cp.headHash, keyId: cp.keyId, signature: cp.signature } : null,
        signatureScheme: 'ed25519 over RFC 8785 JSON {type:"mandate.checkpoint.v1", runId, seq, headHash}',
        hashScheme: 'sha256 hex over RFC 8785 JSON of the receipt fields plus prevHash',
      },
    },
  };
}

/** Generates the packet content as of now (for freezing at close-out), ignoring any frozen version. */
export async function generatePacketContent(runId: string, now = new Date(), client: Tx = db): Promise<PacketContent | null> {
  const records = await loadRecords(runId, client);
  return records ? generate(records, exportedReceipts(records), now) : null;
}
