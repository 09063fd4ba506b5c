import { describe, expect, it } from 'vitest';
import { formatAction, parseActionLines } from './actions';

describe('parseActionLines', () => {
  it('reads one action per line and formats them back', () => {
    const text = ['write tools/internal-tools/shared/session-token.ts', '  read config/.env.production', '', '# a comment', 'run kubectl apply -f deploy/k8s/api.yaml', 'call linear-tickets/create_comment', 'tool WebFetch', 'data customer-records'].join('\n');
    const parsed = parseActionLines(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.actions).toEqual([
      { type: 'file_write', path: 'tools/internal-tools/shared/session-token.ts' },
      { type: 'file_read', path: 'config/.env.production' },
      { type: 'command', command: 'kubectl apply -f deploy/k8s/api.yaml' },
      { type: 'mcp_tool', server: 'linear-tickets', tool: 'create_comment' },
      { type: 'tool', name: 'WebFetch' },
      { type: 'data_source', source: 'customer-records' },
    ]);
    expect(parseActionLines(parsed.actions.map(formatAction).join('\n')).actions).toEqual(parsed.actions);
  });

  it('names the line and what is wrong', () => {
    expect(parseActionLines('delete src/a.ts\nwrite\ncall linear-tickets').problems).toEqual([
      'Line 1: start with one of write, read, run, call, tool, data (not "delete")',
      'Line 2: "write" needs <path>',
      'Line 3: write the MCP tool as call <server>/<tool>, e.g. call linear-tickets/create_comment',
    ]);
  });
});
