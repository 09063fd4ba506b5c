import { describe, expect, it } from 'vitest';
import { parseToolsList } from './import-tools';

const tool = (name: string) => ({ name, description: `${name} tool`, inputSchema: { type: 'object', properties: {} } });

describe('importing a tools/list answer', () => {
  it('reads the bare result and the whole JSON-RPC response', () => {
    expect(parseToolsList(JSON.stringify({ tools: [tool('read_ticket')] }))).toMatchObject({ ok: true, tools: [{ name: 'read_ticket' }] });
    expect(parseToolsList(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: [tool('a'), tool('b')] } }))).toMatchObject({ ok: true, tools: [{ name: 'a' }, { name: 'b' }] });
  });
  it('says where malformed JSON breaks', () => {
    const result = parseToolsList('{"tools": [');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/^Not valid JSON: /);
  });
  it('names the tool and the field that is wrong', () => {
    const result = parseToolsList(JSON.stringify({ tools: [tool('ok'), { description: 'no name', inputSchema: { type: 'object' } }] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContain('tools[1].name: Invalid input: expected string, received undefined');
  });
  it('refuses repeated names and empty lists', () => {
    expect(parseToolsList(JSON.stringify({ tools: [tool('x'), tool('x')] }))).toEqual({ ok: false, problems: ['Tool names must be unique; repeated: x'] });
    expect(parseToolsList(JSON.stringify({ tools: [] }))).toEqual({ ok: false, problems: ['The list has no tools'] });
  });
});
