// Accounting of one run's receipts after a fault: what the clients sent against what is stored.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type pg from 'pg';

export type Ledger = {
  runId: string;
  /** Distinct idempotency keys the clients sent (each until it was acknowledged). */
  sent: number;
  /** Of those, stored in the run. */
  stored: number;
  /** Rows beyond one per sent key. */
  duplicated: number;
  /** Sent keys with no row. */
  lost: number;
  /** Receipts in the run that no client of the test sent (the run's start). */
  others: number;
  /** seq runs 1..n without gaps or repeats, and the run row's count agrees. */
  contiguous: boolean;
  intact: boolean;
  reason?: string;
};

export async function publicKeys(): Promise<Map<string, KeyObject>> {
  const { keyIdOf } = await import('../../lib/evidence/checkpoint');
  const pub = createPublicKey(createPrivateKey(process.env.EVIDENCE_SIGNING_KEY!));
  return new Map([[keyIdOf(pub), pub]]);
}

export async function ledger(admin: pg.Pool, runId: string, sentKeys: Iterable<string>): Promise<Ledger> {
  const keys = [...new Set(sentKeys)];
  const { rows: [mine] } = await admin.query<{ rows: string; distinct: string }>(
    `SELECT count(*) AS "rows", count(DISTINCT "idempotencyKey") AS "distinct" FROM "EvidenceReceipt" WHERE "runId" = $1 AND "idempotencyKey" = ANY($2::text[])`,
    [runId, keys],
  );
  const { rows: [all] } = await admin.query<{ rows: string; seqs: string; min: number | null; max: number | null; recorded: number }>(
    `SELECT count(*) AS "rows", count(DISTINCT e."seq") AS "seqs", min(e."seq") AS "min", max(e."seq") AS "max",
            (SELECT "receiptCount" FROM "Run" WHERE "id" = $1) AS "recorded"
     FROM "EvidenceReceipt" e WHERE e."runId" = $1`,
    [runId],
  );
  const rows = Number(mine!.rows);
  const distinct = Number(mine!.distinct);
  const total = Number(all!.rows);
  const contiguous = total === Number(all!.seqs) && (total === 0 || (all!.min === 1 && all!.max === total)) && all!.recorded === total;
  const { verifyRunEvidence } = await import('../../lib/evidence/verify');
  const verdict = await verifyRunEvidence(runId, await publicKeys());
  return {
    runId,
    sent: keys.length,
    stored: distinct,
    duplicated: rows - distinct,
    lost: keys.length - distinct,
    others: total - rows,
    contiguous,
    intact: verdict.intact,
    reason: verdict.reason,
  };
}

/** Sums of several runs' ledgers. */
export function totals(ledgers: Ledger[]) {
  return {
    sent: ledgers.reduce((n, l) => n + l.sent, 0),
    stored: ledgers.reduce((n, l) => n + l.stored, 0),
    duplicated: ledgers.reduce((n, l) => n + l.duplicated, 0),
    lost: ledgers.reduce((n, l) => n + l.lost, 0),
    contiguous: ledgers.every((l) => l.contiguous),
    intact: ledgers.every((l) => l.intact),
    reasons: ledgers.filter((l) => !l.intact).map((l) => `${l.runId}: ${l.reason}`),
  };
}
