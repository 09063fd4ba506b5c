import type { KeyObject } from 'node:crypto';
import { db } from '@/lib/db';
import { ChainWalker, type StoredReceipt } from '@/lib/domain/evidence-chain';
import { checkpointSignatureValid } from './checkpoint';

export type RunEvidenceVerdict = {
  runId: string;
  intact: boolean;
  receipts: number;
  headHash: string | null;
  checkpoints: { count: number; lastSeq: number | null; lastKeyId: string | null };
  /** Where and why it breaks, when it does. */
  brokenAtSeq?: number;
  reason?: string;
};

const PAGE = 5_000;

/** A stored receipt row in the form the chain hashes (timestamps as ISO strings). */
export function storedReceipt(r: {
  runId: string;
  seq: number;
  kind: string;
  payload: unknown;
  clientTimestamp: Date;
  receivedAt: Date;
  idempotencyKey: string;
  toolUseId: string | null;
  violation: boolean;
  violationReason: string | null;
  prevHash: string;
  hash: string;
}): StoredReceipt {
  return {
    runId: r.runId,
    seq: r.seq,
    kind: r.kind,
    payload: r.payload,
    clientTimestamp: r.clientTimestamp.toISOString(),
    receivedAt: r.receivedAt.toISOString(),
    idempotencyKey: r.idempotencyKey,
    toolUseId: r.toolUseId,
    violation: r.violation,
    violationReason: r.violationReason,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/**
 * Verifies one run's evidence from the database: every receipt's hash and link, the run's recorded
 * head, and every signed checkpoint (its hash must be the receipt's at that seq, and its signature
 * must verify with a known public key). A finished run must have a checkpoint on its last receipt,
 * so rewriting every row consistently, or cutting the tail off, is still caught.
 */
export async function verifyRunEvidence(runId: string, publicKeys: ReadonlyMap<string, KeyObject>): Promise<RunEvidenceVerdict> {
  const run = await db.run.findUnique({ where: { id: runId }, select: { status: true, receiptCount: true, headHash: true } });
  if (!run) throw new Error(`There is no run ${runId}.`);
  const checkpoints = await db.signedCheckpoint.findMany({ where: { runId }, orderBy: { seq: 'asc' }, select: { seq: true, headHash: true, keyId: true, signature: true } });
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const last = checkpoints.at(-1);
  const walker = new ChainWalker();
  const base = { runId, checkpoints: { count: checkpoints.length, lastSeq: last?.seq ?? null, lastKeyId: last?.keyId ?? null } };
  const broken = (brokenAtSeq: number, reason: string): RunEvidenceVerdict => ({ ...base, intact: false, receipts: walker.count, headHash: walker.count ? walker.head : null, brokenAtSeq, reason });

  for (const c of checkpoints) {
    const key = publicKeys.get(c.keyId);
    if (!key) return broken(c.seq, `the checkpoint at receipt ${c.seq} is signed by an unknown key (${c.keyId})`);
    if (!checkpointSignatureValid(key, { runId, ...c })) return broken(c.seq, `the signature of the checkpoint at receipt ${c.seq} does not verify`);
  }

  let after = 0;
  for (;;) {
    const page = await db.evidenceReceipt.findMany({ where: { runId, seq: { gt: after } }, orderBy: { seq: 'asc' }, take: PAGE });
    for (const r of page) {
      const problem = walker.push(storedReceipt(r));
      if (problem) return broken(problem.brokenAtSeq, problem.reason);
      const cp = bySeq.get(r.seq);
      if (cp && cp.headHash !== r.hash) return broken(r.seq, `receipt ${r.seq} does not match its signed checkpoint: the chain was rewritten`);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }

  if (last && last.seq > walker.count) return broken(walker.count + 1, `a signed checkpoint covers ${last.seq} receipts but only ${walker.count} are stored`);
  if (run.receiptCount !== walker.count || (run.headHash ?? null) !== (walker.count ? walker.head : null)) {
    return broken(Math.min(run.receiptCount, walker.count) + 1, `the run records ${run.receiptCount} receipts, the chain holds ${walker.count}`);
  }
  if (run.status !== 'STARTED' && walker.count > 0 && last?.seq !== walker.count) {
    return broken(walker.count, `the run finished but its last receipt (${walker.count}) has no signed checkpoint`);
  }
  return { ...base, intact: true, receipts: walker.count, headHash: walker.count ? walker.head : null };
}
