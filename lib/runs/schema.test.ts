import { describe, expect, it } from 'vitest';
import { ReceiptInput } from './schema';

const base = { kind: 'MCP_CALL', payload: { server: 'support-desk', tool: 'write_comment' }, clientTimestamp: new Date().toISOString(), idempotencyKey: 'k-1' };

describe('receipts an agent posts', () => {
  it('cannot pass for what only Mandate writes', () => {
    const issues = (r: unknown) => (ReceiptInput.safeParse(r).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(issues({ ...base, payload: { ...base.payload, via: 'gateway' } })).toEqual(['payload.via']);
    expect(issues({ ...base, kind: 'NOTE', payload: { event: 'call.approved', by: 'Alice' } })).toEqual(['payload.event']);
    expect(issues({ ...base, kind: 'NOTE', payload: { event: 'gateway.refused' } })).toEqual(['payload.event']);
    expect(issues({ ...base, idempotencyKey: 'gw_123' })).toEqual(['idempotencyKey']);
    expect(issues({ ...base, payload: { ...base.payload, via: 'hook' } })).toEqual([]);
    expect(issues({ ...base, kind: 'NOTE', payload: { event: 'agent.thought' } })).toEqual([]);
  });
});
