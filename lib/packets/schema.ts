import { z } from 'zod';

/**
 * The review packet: one stable, documented shape (`mandate.review-packet.v1`) for the page, the
 * Markdown and the JSON export. Its JSON Schema is generated from this zod schema and served at
 * /api/schemas/review-packet.json.
 */

const tier = z.enum(['LOW', 'MEDIUM', 'HIGH', 'STOP']);
const iso = z.string().describe('ISO 8601 date-time, UTC');
const person = z.object({ name: z.string(), email: z.string() });

export const PacketContent = z.object({
  format: z.literal('mandate.review-packet.v1'),
  generatedAt: iso,
  contract: z.object({
    ref: z.string(),
    id: z.string(),
    title: z.string(),
    version: z.number().int(),
    tier,
    tierReasons: z.array(z.object({ rule: z.string(), tier, message: z.string() })),
    requester: person,
    delegatedBy: person.nullable(),
    namedApprover: person.nullable(),
    team: z.string(),
    engineering: z.object({
      task: z.string(),
      repository: z.string(),
      baseBranch: z.string(),
      scope: z.array(z.string()),
      blocks: z.array(z.string()),
      checks: z.array(z.string()),
      deliverables: z.array(z.string()),
    }),
    security: z.object({
      agent: z.string().nullable(),
      allowedData: z.array(z.string()),
      blockedItems: z.array(z.string()),
      blockedFreeText: z.string(),
      capabilities: z.array(z.object({ name: z.string(), businessCapability: z.string().nullable(), policy: z.string(), access: z.string() })),
      localCommands: z.array(z.string()),
      budget: z.object({ maxCostCents: z.number().int(), maxToolCalls: z.number().int(), maxWallMinutes: z.number().int() }),
    }),
  }),
  run: z.object({
    id: z.string(),
    status: z.string(),
    agent: z.string(),
    startedAt: iso,
    finishedAt: iso.nullable(),
    summary: z.string(),
    patchRef: z.string().nullable(),
    costCents: z.number().int(),
    toolCalls: z.number().int(),
  }),
  scope: z.object({
    inScope: z.array(z.object({ path: z.string(), reads: z.number().int(), writes: z.number().int() })),
    outOfScope: z.array(z.object({ path: z.string(), reads: z.number().int(), writes: z.number().int() })),
  }),
  commands: z.array(z.object({ seq: z.number().int(), command: z.string(), exitCode: z.number().nullable() })),
  checks: z.array(z.object({ name: z.string(), status: z.string(), detail: z.string().nullable() })),
  toolCalls: z.array(z.object({ name: z.string(), count: z.number().int() })),
  mcpCalls: z.array(z.object({ server: z.string(), tool: z.string(), count: z.number().int() })),
  approvals: z.array(z.object({ kind: z.string(), status: z.string(), decidedBy: z.string().nullable(), outcome: z.string().nullable(), reason: z.string().nullable(), decidedAt: iso.nullable() })),
  exceptions: z.array(z.object({ what: z.string(), status: z.string(), decidedBy: z.string().nullable(), reason: z.string().nullable() })),
  violations: z.array(z.object({ seq: z.number().int(), reason: z.string() })),
  risk: z.object({
    residualRisk: z.string().describe("The requester's own statement"),
    observed: z.array(z.string()).describe('Risks Mandate sees in the records: violations, unchecked calls, skipped or failed checks, high-tier areas touched'),
  }),
  rollback: z.object({ steps: z.string(), verification: z.string(), executors: z.string(), author: z.string(), updatedAt: iso }).nullable(),
  evidence: z.object({
    receipts: z.number().int(),
    headHash: z.string().nullable(),
    intact: z.boolean(),
    checkpoint: z.object({ seq: z.number().int(), headHash: z.string(), keyId: z.string(), signature: z.string(), createdAt: iso }).nullable(),
  }),
  closeOut: z
    .object({ outcome: z.enum(['ACCEPTED', 'REJECTED']), by: z.string(), reason: z.string(), at: iso })
    .nullable(),
});
export type PacketContent = z.infer<typeof PacketContent>;

export const ExportedReceipt = z.object({
  runId: z.string(),
  seq: z.number().int(),
  kind: z.string(),
  payload: z.unknown(),
  clientTimestamp: iso,
  receivedAt: iso,
  idempotencyKey: z.string(),
  toolUseId: z.string().nullable(),
  violation: z.boolean(),
  violationReason: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});

/** The JSON export: the packet plus everything needed to check its evidence offline with the public key alone. */
export const PacketExport = z.object({
  $schema: z.string(),
  packet: PacketContent,
  frozen: z.boolean().describe('True once the accountable person closed the contract: this packet will never change'),
  packetVersion: z.number().int().nullable(),
  evidence: z.object({
    receipts: z.array(ExportedReceipt),
    checkpoint: z.object({ runId: z.string(), seq: z.number().int(), headHash: z.string(), keyId: z.string(), signature: z.string() }).nullable(),
    signatureScheme: z.literal('ed25519 over RFC 8785 JSON {type:"mandate.checkpoint.v1", runId, seq, headHash}'),
    hashScheme: z.literal('sha256 hex over RFC 8785 JSON of the receipt fields plus prevHash'),
  }),
});
export type PacketExport = z.infer<typeof PacketExport>;

export const ROLLBACK_TEMPLATE = {
  steps: '1. Revert the pull request (git revert <merge sha>) and deploy the revert through the normal pipeline.\n2. …',
  verification: 'Run the contract checks on main after the revert; compare with the last green build. Watch <dashboard/alert> for 30 minutes.',
  executors: 'Any engineer on the owning team; out of hours, the on-call engineer.',
};

export const RollbackNoteInput = z.object({
  contractId: z.string().min(1),
  steps: z.string().trim().min(20, 'Write the steps to undo the change (at least 20 characters)').max(8000),
  verification: z.string().trim().min(10, 'Say how to check that the rollback worked (at least 10 characters)').max(4000),
  executors: z.string().trim().min(3, 'Say who can carry it out').max(1000),
});
export type RollbackNoteInput = z.infer<typeof RollbackNoteInput>;

export const CloseOutInput = z.object({
  runId: z.string().min(1),
  outcome: z.enum(['ACCEPTED', 'REJECTED'], { message: 'Choose accept or reject' }),
  reason: z.string().trim().min(10, 'Give the reason in a sentence (at least 10 characters)').max(4000),
});
export type CloseOutInput = z.infer<typeof CloseOutInput>;
