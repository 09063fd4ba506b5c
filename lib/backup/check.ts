import type { KeyObject } from 'node:crypto';
import { ChainWalker, type StoredReceipt } from '@/lib/domain/evidence-chain';
import { checkpointSignatureValid, keyIdOf, publicKeyFromPem } from '@/lib/evidence/checkpoint';
import type { RunEvidenceVerdict } from '@/lib/evidence/verify';
import { walkArchive } from './archive';
import { BackupRefused, type ArchiveHeader } from './format';

export type ArchiveCheck = {
  header: ArchiveHeader;
  rows: number;
  /** The keys checkpoints were checked with, and whether they came from the archive itself (not independent evidence). */
  keys: { keyId: string; fromArchive: boolean }[];
  runs: RunEvidenceVerdict[];
};

type RunRow = { id: string; status: string; receiptCount: number; headHash: string | null };
type CheckpointRow = { runId: string; seq: number; headHash: string; keyId: string; signature: string };
type ReceiptRow = Omit<StoredReceipt, 'clientTimestamp' | 'receivedAt'> & { clientTimestamp: string; receivedAt: string };

/** A `timestamp` column holds UTC without an offset; the chain hashes Date.toISOString() of it. */
const isoUtc = (ts: string) => new Date(/(Z|[+-]\d\d(:?\d\d)?)$/.test(ts) ? ts : `${ts}Z`).toISOString();

function parseRows<T>(lines: Buffer[]): T[] {
  return lines.map((l) => JSON.parse(l.toString('utf8')) as T);
}

function keysFor(header: ArchiveHeader, given?: ReadonlyMap<string, KeyObject>) {
  if (given?.size) return { keys: given, fromArchive: false };
  const keys = new Map<string, KeyObject>();
  for (const k of header.evidence.publicKeys) {
    const key = publicKeyFromPem(k.publicKeyPem);
    if (keyIdOf(key) !== k.keyId) throw new BackupRefused(`The archive's public key ${k.keyId} is not the key its PEM holds (${keyIdOf(key)}).`);
    keys.set(k.keyId, key);
  }
  return { keys, fromArchive: true };
}

/**
 * Checks an archive without any database: every table's row count and SHA-256 against the header,
 * then every run's evidence chain and signed checkpoints, with the same rules as `npm run
 * evidence:verify` (lib/evidence/verify.ts). Keys: the ones given, else those the header carries.
 */
export async function checkArchive(file: string, options: { publicKeys?: ReadonlyMap<string, KeyObject> } = {}): Promise<ArchiveCheck> {
  const runs: RunRow[] = [];
  const checkpoints = new Map<string, CheckpointRow[]>();
  // Pass 1: every hash, plus the runs and their checkpoints (small next to the receipts).
  const header = await walkArchive(file, {
    rows(table, lines) {
      if (table === 'Run') runs.push(...parseRows<RunRow>(lines));
      if (table === 'SignedCheckpoint') {
        for (const c of parseRows<CheckpointRow>(lines)) checkpoints.set(c.runId, [...(checkpoints.get(c.runId) ?? []), c]);
      }
    },
  });
  for (const table of ['Run', 'SignedCheckpoint', 'EvidenceReceipt']) {
    if (!header.tables[table]) throw new BackupRefused(`The archive has no ${table} table, so its evidence cannot be checked.`);
  }
  const { keys, fromArchive } = keysFor(header, options.publicKeys);

  // Pass 2: the receipts, one chain walker per run. Rows come in id order, which is each run's seq
  // order; anything out of order waits for its turn.
  type Walk = { walker: ChainWalker; pending: Map<number, StoredReceipt>; bySeq: Map<number, CheckpointRow>; broken?: { brokenAtSeq: number; reason: string } };
  const walks = new Map<string, Walk>();
  const walkOf = (runId: string): Walk => {
    let w = walks.get(runId);
    if (!w) {
      const cps = (checkpoints.get(runId) ?? []).sort((a, b) => a.seq - b.seq);
      walks.set(runId, (w = { walker: new ChainWalker(), pending: new Map(), bySeq: new Map(cps.map((c) => [c.seq, c])) }));
    }
    return w;
  };
  const step = (w: Walk, r: StoredReceipt) => {
    const problem = w.walker.push(r);
    if (problem) w.broken = problem;
    else if (w.bySeq.has(r.seq) && w.bySeq.get(r.seq)!.headHash !== r.hash) w.broken = { brokenAtSeq: r.seq, reason: `receipt ${r.seq} does not match its signed checkpoint: the chain was rewritten` };
  };
  await walkArchive(file, {
    rows(table, lines) {
      if (table !== 'EvidenceReceipt') return;
      for (const row of parseRows<ReceiptRow>(lines)) {
        const w = walkOf(row.runId);
        if (w.broken) continue;
        const r: StoredReceipt = { ...row, clientTimestamp: isoUtc(row.clientTimestamp), receivedAt: isoUtc(row.receivedAt) };
        if (r.seq > w.walker.count + 1) {
          w.pending.set(r.seq, r);
          continue;
        }
        step(w, r);
        for (let next = w.pending.get(w.walker.count + 1); next && !w.broken; next = w.pending.get(w.walker.count + 1)) {
          w.pending.delete(next.seq);
          step(w, next);
        }
      }
    },
  });

  const verdicts = runs.map((run): RunEvidenceVerdict => {
    const w = walkOf(run.id);
    const cps = [...w.bySeq.values()];
    const last = cps.at(-1);
    const base = { runId: run.id, checkpoints: { count: cps.length, lastSeq: last?.seq ?? null, lastKeyId: last?.keyId ?? null } };
    const count = w.walker.count;
    const head = count ? w.walker.head : null;
    const broken = (brokenAtSeq: number, reason: string): RunEvidenceVerdict => ({ ...base, intact: false, receipts: count, headHash: head, brokenAtSeq, reason });
    for (const c of cps) {
      const key = keys.get(c.keyId);
      if (!key) return broken(c.seq, `the checkpoint at receipt ${c.seq} is signed by an unknown key (${c.keyId})`);
      if (!checkpointSignatureValid(key, c)) return broken(c.seq, `the signature of the checkpoint at receipt ${c.seq} does not verify`);
    }
    if (w.broken) return broken(w.broken.brokenAtSeq, w.broken.reason);
    if (w.pending.size) return broken(count + 1, `receipt ${count + 1} is missing`);
    if (last && last.seq > count) return broken(count + 1, `a signed checkpoint covers ${last.seq} receipts but only ${count} are stored`);
    if (run.receiptCount !== count || (run.headHash ?? null) !== head) return broken(Math.min(run.receiptCount, count) + 1, `the run records ${run.receiptCount} receipts, the chain holds ${count}`);
    if (run.status !== 'STARTED' && count > 0 && last?.seq !== count) return broken(count, `the run finished but its last receipt (${count}) has no signed checkpoint`);
    return { ...base, intact: true, receipts: count, headHash: head };
  });

  return {
    header,
    rows: Object.values(header.tables).reduce((sum, t) => sum + t.rows, 0),
    keys: [...keys.keys()].map((keyId) => ({ keyId, fromArchive })),
    runs: verdicts,
  };
}
