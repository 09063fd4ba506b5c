import { describe, expect, it } from 'vitest';
import { receiptSummary, viaGateway } from './receipt-line';

describe('receipt lines for what the gateway wrote', () => {
  it('shows a forwarded call with its arguments, outcome, size, latency and redactions', () => {
    const payload = { server: 'support-desk', tool: 'search_docs', via: 'gateway', arguments: { query: 'refund [redacted: GitHub token]' }, outcome: 'ok', resultBytes: 412, latencyMs: 3.1, redactions: [{ path: 'arguments.query', pattern: 'GitHub token' }] };
    expect(receiptSummary('MCP_CALL', payload)).toBe('support-desk/search_docs {"query":"refund [redacted: GitHub token]"} · ok · 412 bytes · 3.1 ms · 1 redacted');
    expect(viaGateway(payload)).toBe(true);
  });

  it('says why a call was refused or held, and who threw a kill switch', () => {
    expect(receiptSummary('NOTE', { event: 'gateway.refused', server: 'ledger-replica', tool: 'run_sql', reasons: ['ledger-replica/run_sql is blocked by policy'] })).toBe('Gateway refused ledger-replica/run_sql: ledger-replica/run_sql is blocked by policy');
    expect(receiptSummary('NOTE', { event: 'kill-switch', target: 'support-desk', by: 'Sam Okafor', reason: 'Leak' })).toBe('Kill switch on support-desk by Sam Okafor: Leak');
    expect(receiptSummary('NOTE', { event: 'call.approved', server: 'support-desk', tool: 'write_comment', by: 'Tomás Silva', note: null })).toBe('Tomás Silva approved the held call support-desk/write_comment');
    expect(receiptSummary('MCP_CALL', { server: 's', tool: 't', outcome: 'ok', approval: { id: 'a', by: 'Tomás Silva' } })).toBe('s/t · ok · approved by Tomás Silva');
    expect(viaGateway({ event: 'run.started' })).toBe(false);
    expect(receiptSummary('MCP_CALL', { server: 'linear', tool: 'get_issue' })).toBe('linear/get_issue');
  });
});
