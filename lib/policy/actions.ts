import type { IntendedAction } from '@/lib/domain/boundary';

/**
 * Actions as people write them in a policy case, one per line:
 *   write tools/internal-tools/shared/session-token.ts
 *   read config/.env.production
 *   run kubectl apply -f deploy/k8s/api.yaml
 *   call linear-tickets/create_comment
 *   tool WebFetch
 *   data customer-records
 */
export const ACTION_SYNTAX = ['write <path>', 'read <path>', 'run <command>', 'call <server>/<tool>', 'tool <name>', 'data <source>'] as const;

export function formatAction(action: IntendedAction): string {
  switch (action.type) {
    case 'file_write':
      return `write ${action.path}`;
    case 'file_read':
      return `read ${action.path}`;
    case 'command':
      return `run ${action.command}`;
    case 'mcp_tool':
      return `call ${action.server}/${action.tool}`;
    case 'tool':
      return `tool ${action.name}`;
    case 'data_source':
      return `data ${action.source}`;
  }
}

export type ParsedActions = { actions: IntendedAction[]; problems: string[] };

export function parseActionLines(text: string): ParsedActions {
  const actions: IntendedAction[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [verb = '', ...rest] = line.split(/\s+/);
    const arg = line.slice(verb.length).trim();
    const where = `Line ${i + 1}`;
    if (!arg) return void problems.push(`${where}: "${verb}" needs ${ACTION_SYNTAX.find((s) => s.startsWith(`${verb.toLowerCase()} `))?.split(' ')[1] ?? 'an argument'}`);
    if (arg.length > 4000) return void problems.push(`${where}: longer than 4000 characters`);
    switch (verb.toLowerCase()) {
      case 'write':
        return void actions.push({ type: 'file_write', path: arg });
      case 'read':
        return void actions.push({ type: 'file_read', path: arg });
      case 'run':
        return void actions.push({ type: 'command', command: arg });
      case 'call': {
        const slash = arg.indexOf('/');
        if (slash <= 0 || slash === arg.length - 1 || rest.length > 1) return void problems.push(`${where}: write the MCP tool as call <server>/<tool>, e.g. call linear-tickets/create_comment`);
        return void actions.push({ type: 'mcp_tool', server: arg.slice(0, slash), tool: arg.slice(slash + 1) });
      }
      case 'tool':
        return void actions.push({ type: 'tool', name: arg });
      case 'data':
        return void actions.push({ type: 'data_source', source: arg });
      default:
        problems.push(`${where}: start with one of ${ACTION_SYNTAX.map((s) => s.split(' ')[0]).join(', ')} (not "${verb}")`);
    }
  });
  return { actions, problems };
}
