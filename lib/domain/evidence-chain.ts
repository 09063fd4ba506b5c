import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** prevHash of a run's first receipt. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a receipt's hash covers: everything stored about it except the hash itself. */
export type ChainedReceipt = {
  runId: string;
  seq: number;
  kind: string;
  payload: unknown;
  clientTimestamp: string;
  receivedAt: string;
  idempotencyKey: string;
  toolUseId: string | null;
  violation: boolean;
  violationReason: string | null;
};

/** SHA-256 over the RFC 8785 canonical JSON of the receipt and the hash before it. */
export function receiptHash(prevHash: string, receipt: ChainedReceipt): string {
  const body = canonicalize({ prevHash, ...receipt });
  if (body === undefined) throw new Error('receipt cannot be canonicalised');
  return createHash('sha256').update(body).digest('hex');
}

export type StoredReceipt = ChainedReceipt & { prevHash: string; hash: string };

/** Exactly the hashed fields of a stored row (rows carry more: ids, relations). */
export function chainedFields(r: ChainedReceipt): ChainedReceipt {
  return {
    runId: r.runId,
    seq: r.seq,
    kind: r.kind,
    payload: r.payload,
    clientTimestamp: r.clientTimestamp,
    receivedAt: r.receivedAt,
    idempotencyKey: r.idempotencyKey,
    toolUseId: r.toolUseId,
    violation: r.violation,
    violationReason: r.violationReason,
  };
}

export type ChainVerdict =
  | { intact: true; count: number; headHash: string }
  | { intact: false; count: number; brokenAtSeq: number; reason: string };

/**
 * Walks a chain one receipt at a time (so a long run can be streamed from the database): `push`
 * returns null while the chain holds, or the reason it breaks at this receipt.
 */
export class ChainWalker {
  count = 0;
  head = GENESIS_HASH;

  push(r: StoredReceipt): { brokenAtSeq: number; reason: string } | null {
    const seq = this.count + 1;
    if (r.seq !== seq) return { brokenAtSeq: seq, reason: `receipt ${seq} is missing` };
    if (r.prevHash !== this.head) return { brokenAtSeq: seq, reason: `receipt ${seq} does not point at receipt ${seq - 1}` };
    if (receiptHash(r.prevHash, chainedFields(r)) !== r.hash) return { brokenAtSeq: seq, reason: `receipt ${seq} was changed after it was written` };
    this.count = seq;
    this.head = r.hash;
    return null;
  }
}

/** Walks a run's receipts in seq order; the first mismatch names the receipt where the chain breaks. */
export function verifyChain(receipts: readonly StoredReceipt[]): ChainVerdict {
  const walker = new ChainWalker();
  for (const r of receipts) {
    const broken = walker.push(r);
    if (broken) return { intact: false, count: receipts.length, ...broken };
  }
  return { intact: true, count: receipts.length, headHash: walker.head };
}
