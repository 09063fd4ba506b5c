import { describe, expect, it } from 'vitest';
import { claudeSettings } from './claude-settings';

const boundary = {
  allowGlobs: ['src/billing/**'],
  blockGlobs: ['src/billing/legacy/**'],
  blockedItems: ['secrets', 'write-mcp-tools'],
  localCommands: ['npm test'],
  checks: ['npm run lint'],
  capabilities: [
    { server: 'linear', toolName: 'get_issue', access: 'READ' as const, policy: 'DEFAULT_READ' as const, dataClass: 'INTERNAL' as const, serverKilled: false, businessCapability: null },
    { server: 'linear', toolName: 'add_comment', access: 'WRITE' as const, policy: 'NEEDS_APPROVAL' as const, dataClass: 'INTERNAL' as const, serverKilled: false, businessCapability: null },
  ],
};

describe('Claude Code settings from a contract', () => {
  it('allows the scope and the commands, denies the blocks, and wires both hooks', () => {
    const s = claudeSettings(boundary);
    expect(s.permissions.allow).toEqual(['Edit(/src/billing/**)', 'Bash(npm test)', 'Bash(npm test *)', 'Bash(npm run lint)', 'Bash(npm run lint *)', 'mcp__linear__get_issue']);
    expect(s.permissions.deny).toEqual(expect.arrayContaining(['Read(/src/billing/legacy/**)', 'Edit(/src/billing/legacy/**)', 'Read(/**/*.env*)', 'Edit(/**/secrets/**)', 'Bash(terraform apply *)', 'mcp__linear__add_comment']));
    expect(s.permissions.ask).toEqual([]);
    expect(s.hooks.PreToolUse[0]!.hooks[0]!.command).toBe('node "$CLAUDE_PROJECT_DIR/.claude/hooks/mandate-hook.mjs" pre');
    expect(s.hooks.PostToolUse[0]!.hooks[0]!.command).toMatch(/ post$/);
  });
  it('asks for write tools whose policy needs approval when the contract allows write tools', () => {
    const s = claudeSettings({ ...boundary, blockedItems: ['secrets'] });
    expect(s.permissions.ask).toEqual(['mcp__linear__add_comment']);
    expect(s.permissions.deny).not.toContain('mcp__linear__add_comment');
  });
  it('does not deny a dangerous command the contract explicitly lists', () => {
    const s = claudeSettings({ ...boundary, localCommands: ['npx prisma migrate dev'] });
    expect(s.permissions.deny).not.toContain('Bash(npx prisma migrate *)');
    expect(s.permissions.deny).toContain('Bash(terraform apply *)');
  });
});
