import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, receiptHash, verifyChain, type ChainedReceipt, type StoredReceipt } from './evidence-chain';

function chain(count: number): StoredReceipt[] {
  const out: StoredReceipt[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const fields: ChainedReceipt = {
      runId: 'run_1',
      seq,
      kind: 'COMMAND',
      payload: { command: `npm test -- part ${seq}`, exitCode: 0 },
      clientTimestamp: new Date(Date.UTC(2026, 10, 1, 10, seq)).toISOString(),
      receivedAt: new Date(Date.UTC(2026, 10, 1, 10, seq, 1)).toISOString(),
      idempotencyKey: `key-${seq}`,
      toolUseId: null,
      violation: false,
      violationReason: null,
    };
    const hash = receiptHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('evidence chain', () => {
  it('verifies an untouched chain and reports its head', () => {
    const receipts = chain(5);
    expect(verifyChain(receipts)).toEqual({ intact: true, count: 5, headHash: receipts[4]!.hash });
  });

  it('hashes the same content the same way whatever the key order of the payload', () => {
    const [r] = chain(1);
    const { prevHash, hash, ...fields } = r!;
    const reordered = { ...fields, payload: { exitCode: 0, command: 'npm test -- part 1' } };
    expect(receiptHash(prevHash, reordered)).toBe(hash);
  });

  it('names the receipt whose payload was changed', () => {
    const receipts = chain(4);
    receipts[2] = { ...receipts[2]!, payload: { command: 'rm -rf /', exitCode: 0 } };
    expect(verifyChain(receipts)).toMatchObject({ intact: false, brokenAtSeq: 3, reason: 'receipt 3 was changed after it was written' });
  });

  it('notices a violation flag that was cleared after the fact', () => {
    const receipts = chain(2);
    receipts[1] = { ...receipts[1]!, violation: true };
    expect(verifyChain(receipts)).toMatchObject({ intact: false, brokenAtSeq: 2 });
  });

  it('notices a receipt removed from the middle', () => {
    const receipts = chain(4);
    receipts.splice(1, 1);
    expect(verifyChain(receipts)).toMatchObject({ intact: false, brokenAtSeq: 2, reason: 'receipt 2 is missing' });
  });

  it('treats an empty run as an intact chain at the genesis hash', () => {
    expect(verifyChain([])).toEqual({ intact: true, count: 0, headHash: GENESIS_HASH });
  });
});
