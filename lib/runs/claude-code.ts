import { redacted } from '@/lib/evidence/redaction';
import type { IntendedAction, Verdict } from '@/lib/domain/boundary';
import type { ReceiptDraft } from '@/lib/evidence/append';
import type { ClaudeHookInput } from './schema';

/**
 * Claude Code hook payloads ↔ Mandate. One translation, used by the HTTP hook endpoint; the
 * downloadable command hook forwards the raw payload there, so there is no second copy of it.
 */

const READ_TOOLS = ['Read', 'NotebookRead'];
const WRITE_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];
const SEARCH_TOOLS = ['Glob', 'Grep', 'LS'];
const MAX_TEXT = 2_000;

/** A path the hook gives (absolute) as a repository path, when it lies under the session's directory. */
export function repoPath(path: string, cwd: string | undefined): string {
  if (cwd && path.startsWith('/')) {
    const root = cwd.replace(/\/+$/, '');
    if (path === root) return '.';
    if (path.startsWith(`${root}/`)) return path.slice(root.length + 1);
  }
  return path;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** `mcp__<server>__<tool>` → server and tool. */
export function mcpName(toolName: string): { server: string; tool: string } | null {
  const m = /^mcp__(.+?)__(.+)$/.exec(toolName);
  return m ? { server: m[1]!, tool: m[2]! } : null;
}

export function hookAction(input: ClaudeHookInput): IntendedAction {
  const name = input.tool_name;
  const ti = input.tool_input;
  const path = str(ti.file_path) ?? str(ti.notebook_path);
  if (READ_TOOLS.includes(name) && path) return { type: 'file_read', path: repoPath(path, input.cwd) };
  if (WRITE_TOOLS.includes(name) && path) return { type: 'file_write', path: repoPath(path, input.cwd) };
  if (SEARCH_TOOLS.includes(name) && str(ti.path)) {
    const path = repoPath(str(ti.path)!, input.cwd);
    // Searching from the project root is a repository-wide search, not a read of one path.
    if (path !== '.') return { type: 'file_read', path };
  }
  if (name === 'Bash' && str(ti.command)) return { type: 'command', command: str(ti.command)! };
  const mcp = mcpName(name);
  if (mcp) return { type: 'mcp_tool', ...mcp };
  return { type: 'tool', name };
}

function clip(value: unknown): unknown {
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}… (${value.length} chars)` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map(clip);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).slice(0, 50).map(([k, v]) => [k, clip(v)]));
  return value;
}

function responseSize(response: unknown): number {
  if (response === undefined) return 0;
  try {
    return Buffer.byteLength(JSON.stringify(response) ?? '');
  } catch {
    return 0;
  }
}

/** The receipt a PostToolUse payload becomes. Its idempotency key is the tool_use_id, so a retried hook is stored once. */
export function hookReceipt(input: ClaudeHookInput, now: Date): ReceiptDraft {
  const action = hookAction(input);
  const response = input.tool_response as Record<string, unknown> | undefined;
  const common = { hookTool: input.tool_name, responseBytes: responseSize(input.tool_response), ...(input.session_id ? { sessionId: input.session_id } : {}) };
  let kind: ReceiptDraft['kind'];
  let payload: Record<string, unknown>;
  switch (action.type) {
    case 'file_read':
      kind = 'FILE_READ';
      payload = { path: action.path, ...common };
      break;
    case 'file_write':
      kind = 'FILE_WRITE';
      payload = { path: action.path, ...common };
      break;
    case 'command':
      kind = 'COMMAND';
      payload = {
        command: action.command,
        ...(str(input.tool_input.description) ? { description: clip(input.tool_input.description) } : {}),
        ...(typeof response?.exitCode === 'number' ? { exitCode: response.exitCode } : {}),
        ...(response?.interrupted === true ? { interrupted: true } : {}),
        ...common,
      };
      break;
    case 'mcp_tool':
      kind = 'MCP_CALL';
      payload = { server: action.server, tool: action.tool, arguments: clip(redacted(input.tool_input)), ...common };
      break;
    default:
      kind = 'TOOL_CALL';
      payload = { name: input.tool_name, input: clip(redacted(input.tool_input)), ...common };
  }
  const key = input.tool_use_id ? `claude:${input.tool_use_id}` : `claude:${input.session_id ?? 'session'}:${now.getTime()}:${input.tool_name}`;
  return { kind, payload, clientTimestamp: now, idempotencyKey: key.slice(0, 200).replace(/[^A-Za-z0-9._:@/+=-]/g, '_'), toolUseId: input.tool_use_id ?? null };
}

/** Claude Code's PreToolUse answer: deny with the reason, ask a person, or stay silent and let Claude's own rules apply. */
export function preToolUseOutput(verdict: Verdict) {
  const why = (d: Verdict['decision']) => verdict.reasons.filter((r) => r.decision === d).map((r) => r.message).join('; ');
  if (verdict.decision === 'deny') {
    return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: `Mandate: outside the approved contract. ${why('deny')}` } };
  }
  if (verdict.decision === 'needs_approval') {
    return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: `Mandate: needs a person's approval. ${why('needs_approval')}` } };
  }
  return { suppressOutput: true };
}

/** Claude Code's PostToolUse answer: a recorded violation is fed back to the agent. */
export function postToolUseOutput(violation: string | null) {
  if (!violation) return { suppressOutput: true };
  return { decision: 'block', reason: `Mandate recorded a boundary violation on this run: ${violation}` };
}
