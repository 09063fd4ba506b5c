import { db, type Tx } from '@/lib/db';
import { actionOfReceipt, CALL_ACTIONS, receiptFinding, type Decision } from '@/lib/domain/boundary';
import { chainedFields, GENESIS_HASH, receiptHash, type ChainedReceipt } from '@/lib/domain/evidence-chain';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { ReceiptKind } from '@/lib/generated/prisma/enums';
import { notifyRole } from '@/lib/notifications/commands';
import type { RunContext } from '@/lib/runs/context';
import { AppError } from '@/lib/server/errors';
import { signCheckpoint } from './signing';

export type ReceiptDraft = { kind: ReceiptKind; payload: Record<string, unknown>; clientTimestamp: Date; idempotencyKey: string; toolUseId: string | null };

export type AppendedReceipt = { idempotencyKey: string; seq: number; hash: string; duplicate: boolean; violation: string | null };
export type AppendResult = { stored: number; duplicates: number; violations: number; headHash: string; receipts: AppendedReceipt[] };

/** Long runs get a signed checkpoint every this many receipts, or after this long, whichever comes first. */
export const CHECKPOINT_EVERY_RECEIPTS = 1000;
export const CHECKPOINT_EVERY_MS = 10 * 60_000;

const VERDICT_DECISION = { ALLOW: 'allow', DENY: 'deny', NEEDS_APPROVAL: 'needs_approval' } as const satisfies Record<string, Decision>;

type LockedRun = {
  status: string;
  receiptCount: number;
  headHash: string | null;
  toolCalls: number;
  costCents: number;
  checkpointedSeq: number;
  checkpointedAt: Date | null;
};

/** What Postgres will give back for this payload: JSON-normalised, so the hash covers exactly what is stored. */
function storedForm(payload: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
}

/** Signs the chain head as a checkpoint, inside the caller's transaction. */
export async function writeCheckpoint(tx: Tx, runId: string, seq: number, headHash: string, now = new Date()) {
  const signed = signCheckpoint({ runId, seq, headHash });
  await tx.signedCheckpoint.create({ data: { runId, seq, headHash, keyId: signed.keyId, signature: signed.signature, createdAt: now } });
  await tx.run.update({ where: { id: runId }, data: { checkpointedSeq: seq, checkpointedAt: now } });
  return signed;
}

/**
 * Appends receipts to a run's hash chain, all or nothing. The run row is locked (SELECT … FOR UPDATE)
 * for the length of the transaction, so concurrent appends queue up behind each other and the chain
 * never forks. A key already stored (or repeated in the batch) is answered with the stored receipt
 * and not stored again. Each new receipt is checked against the boundary: violations are stored on
 * the receipt, counted on the run, audited, and security is told once per append.
 */
export async function appendReceipts(ctx: RunContext, drafts: ReceiptDraft[], options: { allowFinished?: boolean; tx?: Tx } = {}): Promise<AppendResult> {
  const work = async (tx: Tx): Promise<AppendResult> => {
    const [run] = await tx.$queryRaw<LockedRun[]>`
      SELECT "status", "receiptCount", "headHash", "toolCalls", "costCents", "checkpointedSeq", "checkpointedAt"
      FROM "Run" WHERE "id" = ${ctx.runId} FOR UPDATE`;
    if (!run) throw new AppError('NOT_FOUND', 'This run does not exist.');
    if (run.status !== 'STARTED' && !options.allowFinished) throw new AppError('CONFLICT', `This run has finished (${run.status.toLowerCase()}); it takes no more receipts.`);

    const keys = [...new Set(drafts.map((d) => d.idempotencyKey))];
    const existing = await tx.evidenceReceipt.findMany({ where: { runId: ctx.runId, idempotencyKey: { in: keys } }, select: { idempotencyKey: true, seq: true, hash: true, violationReason: true } });
    const known = new Map(existing.map((r) => [r.idempotencyKey, { seq: r.seq, hash: r.hash, violation: r.violationReason }]));

    const toolUseIds = [...new Set(drafts.flatMap((d) => (d.toolUseId ? [d.toolUseId] : [])))];
    const checks = toolUseIds.length
      ? await tx.boundaryCheck.findMany({ where: { runId: ctx.runId, toolUseId: { in: toolUseIds } }, select: { toolUseId: true, verdict: true }, orderBy: { id: 'asc' } })
      : [];
    const prior = new Map(checks.map((c) => [c.toolUseId!, VERDICT_DECISION[c.verdict]]));

    const receivedAt = new Date();
    let seq = run.receiptCount;
    let head = run.headHash ?? GENESIS_HASH;
    let { toolCalls, costCents } = run;
    let violations = 0;
    let unchecked = 0;
    const rows: Prisma.EvidenceReceiptCreateManyInput[] = [];
    const answers: AppendedReceipt[] = [];

    for (const draft of drafts) {
      const stored = known.get(draft.idempotencyKey);
      if (stored) {
        answers.push({ idempotencyKey: draft.idempotencyKey, seq: stored.seq, hash: stored.hash, duplicate: true, violation: stored.violation });
        continue;
      }
      const payload = storedForm(draft.payload);
      const finding = receiptFinding(
        ctx.boundary,
        { kind: draft.kind, payload, toolUseId: draft.toolUseId },
        draft.toolUseId ? (prior.get(draft.toolUseId) ?? null) : undefined,
        { ...ctx.state, toolCalls, costCents },
      );
      const action = actionOfReceipt(draft.kind, payload);
      if (action && CALL_ACTIONS.includes(action.type)) toolCalls++;
      if (draft.kind === 'COST' && typeof payload.cents === 'number') costCents += Math.round(payload.cents);
      if (finding.violation) violations++;
      if (finding.unchecked) unchecked++;

      seq++;
      const fields: ChainedReceipt = chainedFields({
        runId: ctx.runId,
        seq,
        kind: draft.kind,
        payload,
        clientTimestamp: draft.clientTimestamp.toISOString(),
        receivedAt: receivedAt.toISOString(),
        idempotencyKey: draft.idempotencyKey,
        toolUseId: draft.toolUseId,
        violation: finding.violation !== null,
        violationReason: finding.violation,
      });
      const hash = receiptHash(head, fields);
      rows.push({ ...fields, kind: draft.kind, payload: payload as Prisma.InputJsonObject, clientTimestamp: draft.clientTimestamp, receivedAt, prevHash: head, hash });
      known.set(draft.idempotencyKey, { seq, hash, violation: finding.violation });
      answers.push({ idempotencyKey: draft.idempotencyKey, seq, hash, duplicate: false, violation: finding.violation });
      head = hash;
    }

    if (rows.length) {
      await tx.evidenceReceipt.createMany({ data: rows });
      await tx.run.update({
        where: { id: ctx.runId },
        data: { receiptCount: seq, headHash: head, toolCalls, costCents, violationCount: { increment: violations }, uncheckedCalls: { increment: unchecked } },
      });
      const due = seq - run.checkpointedSeq >= CHECKPOINT_EVERY_RECEIPTS || (run.checkpointedAt !== null && receivedAt.getTime() - run.checkpointedAt.getTime() >= CHECKPOINT_EVERY_MS);
      if (due && run.status === 'STARTED') await writeCheckpoint(tx, ctx.runId, seq, head, receivedAt);
    }

    if (violations) {
      const flagged = answers.filter((a) => !a.duplicate && a.violation);
      await tx.auditEvent.create({
        data: {
          actorAgent: ctx.identityName,
          action: 'run.boundary-violation',
          targetType: 'Run',
          targetId: ctx.runId,
          after: { contract: ctx.contractRef, count: violations, unchecked, receipts: flagged.slice(0, 20).map((a) => ({ seq: a.seq, reason: a.violation })) },
        },
      });
      await notifyRole(tx, 'SECURITY', {
        kind: 'run.violation',
        title: `${ctx.contractRef}: ${violations === 1 ? 'a boundary violation' : `${violations} boundary violations`} by ${ctx.identityName}`,
        body: flagged[0]!.violation!.slice(0, 300),
        href: `/runs/${ctx.runId}`,
      });
    }

    const stored = rows.length;
    return { stored, duplicates: drafts.length - stored, violations, headHash: head, receipts: answers };
  };
  return options.tx ? work(options.tx) : db.$transaction(work, { timeout: 30_000 });
}
