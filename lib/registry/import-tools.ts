import { ToolsListPayload } from './schema';

export type ParsedTool = { name: string; description: string; inputSchema: Record<string, unknown> };

/** Parses a tools/list answer into tools, or explains precisely what is wrong with it. */
export function parseToolsList(json: string): { ok: true; tools: ParsedTool[] } | { ok: false; problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, problems: [`Not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = ToolsListPayload.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((i) => (i.code === 'invalid_union' ? i.errors.flat() : [i]));
    const problems = [...new Set(issues.map((i) => `${formatPath(i.path)}: ${i.message}`))].slice(0, 10);
    return { ok: false, problems: problems.length ? problems : ['Expected { "tools": [...] } or a JSON-RPC response with result.tools'] };
  }
  const tools = parsed.data.tools.map((t) => ({ name: t.name, description: t.description ?? t.title ?? '', inputSchema: t.inputSchema as Record<string, unknown> }));
  const seen = new Set<string>();
  const duplicates = tools.filter((t) => (seen.has(t.name) ? true : (seen.add(t.name), false))).map((t) => t.name);
  if (duplicates.length) return { ok: false, problems: [`Tool names must be unique; repeated: ${[...new Set(duplicates)].join(', ')}`] };
  if (tools.length === 0) return { ok: false, problems: ['The list has no tools'] };
  return { ok: true, tools };
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

