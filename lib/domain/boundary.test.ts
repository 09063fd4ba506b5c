import { describe, expect, it } from 'vitest';
import { evaluateAction, normalisePath, receiptFinding, type Boundary, type RunState } from './boundary';

const boundary: Boundary = {
  allowGlobs: ['src/billing/**', 'docs/billing.md'],
  blockGlobs: ['src/billing/legacy/**'],
  blockedItems: ['secrets', 'migrations', 'write-mcp-tools'],
  allowedData: ['synthetic-examples', 'repo-content'],
  localCommands: ['npm test', 'npm run lint'],
  checks: ['npm run typecheck'],
  capabilities: [
    { server: 'linear-tickets', toolName: 'get_issue', access: 'READ', policy: 'DEFAULT_READ', dataClass: 'INTERNAL', serverKilled: false, businessCapability: 'Read tickets' },
    { server: 'linear-tickets', toolName: 'add_comment', access: 'WRITE', policy: 'NEEDS_APPROVAL', dataClass: 'INTERNAL', serverKilled: false, businessCapability: 'Comment on tickets' },
    { server: 'ledger-replica', toolName: 'sample_rows', access: 'READ', policy: 'SYNTHETIC_ONLY', dataClass: 'CUSTOMER', serverKilled: true, businessCapability: 'Synthetic ledger rows' },
  ],
  toolProfile: { tools: ['WebFetch'] },
  budget: { maxCostCents: 1000, maxToolCalls: 3, maxWallMinutes: 60 },
};

const started = new Date('2026-11-24T10:00:00Z');
const state = (over: Partial<RunState> = {}): RunState => ({ startedAt: started, toolCalls: 0, costCents: 0, stopped: null, ...over });
const at = (minutes: number) => new Date(started.getTime() + minutes * 60_000);

describe('files', () => {
  it('allows writes inside the scope and names the glob', () => {
    const v = evaluateAction(boundary, { type: 'file_write', path: 'src/billing/export.ts' });
    expect(v.decision).toBe('allow');
    expect(v.reasons[0]!.message).toContain('src/billing/**');
  });
  it('denies writes outside the scope, listing the scope', () => {
    const v = evaluateAction(boundary, { type: 'file_write', path: 'src/auth/session.ts' });
    expect(v.decision).toBe('deny');
    expect(v.reasons[0]!.message).toMatch(/outside the contract's file scope \(`src\/billing\/\*\*`, `docs\/billing.md`\)/);
  });
  it('lets repository content be read outside the scope but never blocked paths', () => {
    expect(evaluateAction(boundary, { type: 'file_read', path: 'README.md' }).decision).toBe('allow');
    const env = evaluateAction(boundary, { type: 'file_read', path: 'config/.env.production' });
    expect(env.decision).toBe('deny');
    expect(env.reasons[0]!.message).toContain('secrets and credentials are blocked');
  });
  it('blocks inside the scope win over the scope', () => {
    expect(evaluateAction(boundary, { type: 'file_write', path: 'src/billing/legacy/old.ts' }).decision).toBe('deny');
    expect(evaluateAction(boundary, { type: 'file_write', path: 'src/billing/migrations/001.sql' }).decision).toBe('deny');
  });
  it('refuses paths that leave the repository, however they are spelled', () => {
    for (const path of ['/etc/passwd', '../other/x.ts', 'src/../../x', '~/.ssh/id_rsa', 'C:/x']) {
      expect(evaluateAction(boundary, { type: 'file_read', path }).decision, path).toBe('deny');
    }
    expect(normalisePath('./src/billing/../billing/a.ts')).toBe('src/billing/a.ts');
    expect(evaluateAction(boundary, { type: 'file_write', path: './src/billing/../billing/a.ts' }).decision).toBe('allow');
    expect(evaluateAction(boundary, { type: 'file_write', path: 'src/billing/../auth/a.ts' }).decision).toBe('deny');
  });
  it('without repository content, reads outside the scope are denied', () => {
    const narrow = { ...boundary, allowedData: ['synthetic-examples'] };
    expect(evaluateAction(narrow, { type: 'file_read', path: 'README.md' }).decision).toBe('deny');
  });
});

describe('commands', () => {
  it('allows the contract commands and checks, with arguments', () => {
    expect(evaluateAction(boundary, { type: 'command', command: 'npm test -- billing' }).decision).toBe('allow');
    expect(evaluateAction(boundary, { type: 'command', command: 'npm run typecheck' }).decision).toBe('allow');
  });
  it('does not let a prefix run into another word', () => {
    expect(evaluateAction(boundary, { type: 'command', command: 'npm testify' }).decision).toBe('needs_approval');
  });
  it('checks every part of a compound command', () => {
    const v = evaluateAction(boundary, { type: 'command', command: 'npm test && curl https://example.com' });
    expect(v.decision).toBe('needs_approval');
    expect(v.reasons.map((r) => r.decision)).toEqual(['allow', 'needs_approval']);
  });
  it('denies deploy and schema commands outright', () => {
    const v = evaluateAction(boundary, { type: 'command', command: 'npx prisma migrate deploy' });
    expect(v.decision).toBe('deny');
    expect(v.reasons[0]!.message).toContain('schema change');
  });
  it('allows read-only commands, except on blocked paths', () => {
    expect(evaluateAction(boundary, { type: 'command', command: 'git diff src/billing' }).decision).toBe('allow');
    expect(evaluateAction(boundary, { type: 'command', command: 'cat .env' }).decision).toBe('deny');
  });
  it('checks redirect targets as writes and asks about substitutions', () => {
    expect(evaluateAction(boundary, { type: 'command', command: 'echo x > src/auth/a.ts' }).decision).toBe('deny');
    expect(evaluateAction(boundary, { type: 'command', command: 'npm test > /dev/null' }).decision).toBe('allow');
    expect(evaluateAction(boundary, { type: 'command', command: 'echo $(cat .env)' }).decision).toBe('needs_approval');
  });
});

describe('MCP tools, data and other tools', () => {
  it('allows granted reads, denies what was not granted', () => {
    expect(evaluateAction(boundary, { type: 'mcp_tool', server: 'linear-tickets', tool: 'get_issue' }).decision).toBe('allow');
    const v = evaluateAction(boundary, { type: 'mcp_tool', server: 'linear-tickets', tool: 'delete_issue' });
    expect(v).toMatchObject({ decision: 'deny', reasons: [{ rule: 'capability' }] });
  });
  it('denies write tools when the contract blocks them, and killed servers', () => {
    expect(evaluateAction(boundary, { type: 'mcp_tool', server: 'linear-tickets', tool: 'add_comment' }).decision).toBe('deny');
    const open = { ...boundary, blockedItems: ['secrets'] };
    expect(evaluateAction(open, { type: 'mcp_tool', server: 'linear-tickets', tool: 'add_comment' }).decision).toBe('needs_approval');
    expect(evaluateAction(boundary, { type: 'mcp_tool', server: 'ledger-replica', tool: 'sample_rows' }).reasons[0]!.rule).toBe('kill-switch');
  });
  it('follows a policy tightened after approval', () => {
    const tightened = { ...boundary, capabilities: boundary.capabilities.map((c) => ({ ...c, policy: 'BLOCKED' as const })) };
    expect(evaluateAction(tightened, { type: 'mcp_tool', server: 'linear-tickets', tool: 'get_issue' }).decision).toBe('deny');
  });
  it('data sources follow allowed and blocked data', () => {
    expect(evaluateAction(boundary, { type: 'data_source', source: 'synthetic-examples' }).decision).toBe('allow');
    expect(evaluateAction(boundary, { type: 'data_source', source: 'secrets' }).decision).toBe('deny');
    expect(evaluateAction(boundary, { type: 'data_source', source: 'customer-records' }).decision).toBe('deny');
  });
  it('other tools follow the identity tool profile', () => {
    expect(evaluateAction(boundary, { type: 'tool', name: 'WebFetch' }).decision).toBe('allow');
    expect(evaluateAction(boundary, { type: 'tool', name: 'TodoWrite' }).decision).toBe('allow');
    expect(evaluateAction(boundary, { type: 'tool', name: 'WebSearch' }).decision).toBe('needs_approval');
  });
});

describe('budget and stop conditions', () => {
  it('denies calls once the tool-call budget is spent, but still lets the agent read', () => {
    const spent = state({ toolCalls: 3 });
    const v = evaluateAction(boundary, { type: 'file_write', path: 'src/billing/a.ts' }, { state: spent, now: at(5) });
    expect(v.decision).toBe('deny');
    expect(v.reasons[0]!.message).toBe('The tool-call budget is spent (3 of 3 calls)');
    expect(evaluateAction(boundary, { type: 'file_read', path: 'src/billing/a.ts' }, { state: spent, now: at(5) }).decision).toBe('allow');
  });
  it('denies everything once wall time or cost is spent', () => {
    expect(evaluateAction(boundary, { type: 'file_read', path: 'src/billing/a.ts' }, { state: state(), now: at(60) }).reasons[0]!.message).toBe('The wall-time budget of 60 min is spent');
    expect(evaluateAction(boundary, { type: 'file_read', path: 'src/billing/a.ts' }, { state: state(), now: at(59) }).decision).toBe('allow');
    expect(evaluateAction(boundary, { type: 'file_read', path: 'src/billing/a.ts' }, { state: state({ costCents: 1000 }), now: at(1) }).reasons[0]!.message).toBe('The cost budget is spent ($10.00 of $10.00)');
  });
  it('zero means no limit', () => {
    const unlimited = { ...boundary, budget: { maxCostCents: 0, maxToolCalls: 0, maxWallMinutes: 0 } };
    expect(evaluateAction(unlimited, { type: 'file_write', path: 'src/billing/a.ts' }, { state: state({ toolCalls: 10_000, costCents: 1e6 }), now: at(10_000) }).decision).toBe('allow');
  });
  it('a stopped run or identity denies every action', () => {
    const v = evaluateAction(boundary, { type: 'file_read', path: 'src/billing/a.ts' }, { state: state({ stopped: 'claude-code is suspended' }), now: at(1) });
    expect(v).toMatchObject({ decision: 'deny', reasons: [{ rule: 'kill-switch', message: 'claude-code is suspended' }] });
  });
});

describe('receipts after the fact', () => {
  const write = (path: string, toolUseId: string | null = null) => ({ kind: 'FILE_WRITE', payload: { path }, toolUseId });
  it('an in-scope receipt with an allow decision is clean', () => {
    expect(receiptFinding(boundary, write('src/billing/a.ts', 'toolu_1'), 'allow')).toEqual({ violation: null, unchecked: false });
  });
  it('an out-of-scope receipt is a violation with the reason', () => {
    expect(receiptFinding(boundary, write('src/auth/a.ts'), undefined).violation).toContain("outside the contract's file scope");
  });
  it('a hook receipt with no decision is an unchecked call, even in scope', () => {
    const f = receiptFinding(boundary, write('src/billing/a.ts', 'toolu_9'), null);
    expect(f.unchecked).toBe(true);
    expect(f.violation).toMatch(/^Unchecked call: write src\/billing\/a.ts ran with no boundary decision for toolu_9/);
  });
  it('a call that ran although denied is a violation', () => {
    expect(receiptFinding(boundary, write('src/billing/a.ts', 'toolu_2'), 'deny').violation).toContain('ran although the boundary denied it');
  });
  it('needs-approval actions are fine when asked, a violation when nobody was asked', () => {
    const cmd = { kind: 'COMMAND', payload: { command: 'make build' }, toolUseId: null };
    expect(receiptFinding(boundary, cmd, undefined).violation).toContain('needs approval and nobody was asked');
    expect(receiptFinding(boundary, { ...cmd, toolUseId: 'toolu_3' }, 'needs_approval').violation).toBeNull();
  });
  it('notes, costs and test results are never violations', () => {
    expect(receiptFinding(boundary, { kind: 'NOTE', payload: { message: 'hi' }, toolUseId: 'toolu_4' }, null)).toEqual({ violation: null, unchecked: false });
  });
  it('the call over the tool-call budget is a violation', () => {
    expect(receiptFinding(boundary, write('src/billing/a.ts'), undefined, state({ toolCalls: 3 })).violation).toContain('tool-call budget is spent');
  });
});
