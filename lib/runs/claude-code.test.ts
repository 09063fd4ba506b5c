import { describe, expect, it } from 'vitest';
import { hookAction, hookReceipt, postToolUseOutput, preToolUseOutput, repoPath } from './claude-code';

const cwd = '/home/dev/repo';
const input = (tool_name: string, tool_input: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ hook_event_name: 'PreToolUse' as const, tool_name, tool_input, cwd, tool_use_id: 'toolu_1', ...extra });

describe('Claude Code hook translation', () => {
  it('makes absolute paths under the session directory repository paths, and leaves others alone', () => {
    expect(repoPath('/home/dev/repo/src/a.ts', cwd)).toBe('src/a.ts');
    expect(repoPath('/etc/passwd', cwd)).toBe('/etc/passwd');
    expect(repoPath('/home/dev/repository/x', cwd)).toBe('/home/dev/repository/x');
  });
  it('maps each tool to the action the boundary checks', () => {
    expect(hookAction(input('Read', { file_path: `${cwd}/src/a.ts` }))).toEqual({ type: 'file_read', path: 'src/a.ts' });
    expect(hookAction(input('Edit', { file_path: `${cwd}/src/a.ts` }))).toEqual({ type: 'file_write', path: 'src/a.ts' });
    expect(hookAction(input('NotebookEdit', { notebook_path: `${cwd}/n.ipynb` }))).toEqual({ type: 'file_write', path: 'n.ipynb' });
    expect(hookAction(input('Grep', { pattern: 'x', path: `${cwd}/src` }))).toEqual({ type: 'file_read', path: 'src' });
    expect(hookAction(input('Grep', { pattern: 'x' }))).toEqual({ type: 'tool', name: 'Grep' });
    expect(hookAction(input('Glob', { pattern: '**/*.ts', path: cwd }))).toEqual({ type: 'tool', name: 'Glob' });
    expect(hookAction(input('Bash', { command: 'npm test' }))).toEqual({ type: 'command', command: 'npm test' });
    expect(hookAction(input('mcp__linear-tickets__get_issue', { id: 1 }))).toEqual({ type: 'mcp_tool', server: 'linear-tickets', tool: 'get_issue' });
    expect(hookAction(input('WebFetch', { url: 'https://x' }))).toEqual({ type: 'tool', name: 'WebFetch' });
  });
  it('turns PostToolUse into a receipt keyed by the tool_use_id, with long inputs clipped', () => {
    const d = hookReceipt({ ...input('mcp__docs__search', { query: 'x'.repeat(5000) }), hook_event_name: 'PostToolUse', tool_response: { ok: true } }, new Date('2026-11-24T10:00:00Z'));
    expect(d).toMatchObject({ kind: 'MCP_CALL', idempotencyKey: 'claude:toolu_1', toolUseId: 'toolu_1', payload: { server: 'docs', tool: 'search', responseBytes: 11 } });
    expect(String((d.payload.arguments as { query: string }).query)).toMatch(/… \(5000 chars\)$/);
  });
  it('answers deny with the reasons, ask for approval, and stays silent on allow', () => {
    expect(preToolUseOutput({ decision: 'deny', reasons: [{ rule: 'file-scope', decision: 'deny', message: 'outside' }] })).toEqual({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'Mandate: outside the approved contract. outside' } });
    expect(preToolUseOutput({ decision: 'needs_approval', reasons: [{ rule: 'command', decision: 'needs_approval', message: 'unlisted' }] }).hookSpecificOutput?.permissionDecision).toBe('ask');
    expect(preToolUseOutput({ decision: 'allow', reasons: [] })).toEqual({ suppressOutput: true });
    expect(postToolUseOutput('bad')).toEqual({ decision: 'block', reason: 'Mandate recorded a boundary violation on this run: bad' });
  });
});
