import { describe, expect, it } from 'vitest';
import { observedRisks, summarizeReceipts } from './packet';

const r = (seq: number, kind: string, payload: object, violation: string | null = null) => ({ seq, kind, payload, violation: violation !== null, violationReason: violation });

describe('summarizeReceipts', () => {
  const receipts = [
    r(1, 'NOTE', { event: 'run.started' }),
    r(2, 'FILE_READ', { path: './src/billing/a.ts' }),
    r(3, 'FILE_WRITE', { path: 'src/billing/a.ts' }),
    r(4, 'FILE_READ', { path: 'README.md' }),
    r(5, 'FILE_WRITE', { path: 'src/auth/x.ts' }, 'outside the scope'),
    r(6, 'COMMAND', { command: 'npm test', exitCode: 1 }),
    r(7, 'MCP_CALL', { server: 'linear', tool: 'get_issue' }),
    r(8, 'MCP_CALL', { server: 'linear', tool: 'get_issue' }),
    r(9, 'TOOL_CALL', { name: 'WebFetch' }),
  ];
  const s = summarizeReceipts(receipts, ['src/billing/**']);
  it('splits files into the scope and outside it, normalising paths and counting reads and writes', () => {
    expect(s.inScope).toEqual([{ path: 'src/billing/a.ts', reads: 1, writes: 1 }]);
    expect(s.outOfScope).toEqual([{ path: 'src/auth/x.ts', reads: 0, writes: 1 }, { path: 'README.md', reads: 1, writes: 0 }]);
  });
  it('lists commands with exit codes, counts tools and MCP calls, and the violations', () => {
    expect(s.commands).toEqual([{ seq: 6, command: 'npm test', exitCode: 1 }]);
    expect(s.mcpCalls).toEqual([{ server: 'linear', tool: 'get_issue', count: 2 }]);
    expect(s.toolCalls).toEqual([{ name: 'WebFetch', count: 1 }]);
    expect(s.violations).toEqual([{ seq: 5, reason: 'outside the scope' }]);
  });
});

describe('observedRisks', () => {
  const base = { violations: 0, uncheckedCalls: 0, checks: [], requiredChecks: [], writtenPaths: [], areas: [], chainIntact: true, signed: true };
  it('is empty for a clean run', () => {
    expect(observedRisks(base)).toEqual([]);
  });
  it('names what the records show', () => {
    const risks = observedRisks({
      ...base,
      violations: 2,
      uncheckedCalls: 1,
      checks: [{ name: 'npm test', status: 'failed' }, { name: 'npm run e2e', status: 'skipped' }],
      requiredChecks: ['npm test', 'npm run lint'],
      writtenPaths: ['src/payments/ledger.ts', 'docs/x.md'],
      areas: [
        { id: '1', name: 'Payments', category: 'payments', pattern: '**/payments/**', tier: 'HIGH', enabled: true },
        { id: '2', name: 'Docs', category: 'docs', pattern: 'docs/**', tier: 'MEDIUM', enabled: true },
      ],
      chainIntact: false,
      signed: false,
    });
    expect(risks).toEqual([
      'The evidence chain does not verify: treat this run’s evidence as untrustworthy.',
      'The run’s last receipt has no signed checkpoint.',
      '2 boundary violations recorded during the run.',
      '1 tool call ran without a boundary check (unchecked).',
      'Check failed: npm test.',
      'Check skipped: npm run e2e.',
      'The contract’s check `npm run lint` has no reported result.',
      'Changed src/payments/ledger.ts, inside the High sensitive area Payments (`**/payments/**`).',
    ]);
  });
});
