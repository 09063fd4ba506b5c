import { matchesGlob } from './globs';
import { BLOCK_ITEMS, COMMAND_RULES, DATA_ITEMS, effectiveBlocks, type CapabilityRule } from './risk';

/**
 * The run boundary: is this intended action inside what the approved contract allows? Pure, and the
 * only implementation: the check endpoint asks it before a tool call, receipt ingestion asks it
 * after, the MCP gateway and policy cases reuse it.
 */

export const ACTION_TYPES = ['file_read', 'file_write', 'command', 'mcp_tool', 'data_source', 'tool'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export type IntendedAction =
  | { type: 'file_read'; path: string }
  | { type: 'file_write'; path: string }
  | { type: 'command'; command: string }
  | { type: 'mcp_tool'; server: string; tool: string }
  | { type: 'data_source'; source: string }
  | { type: 'tool'; name: string };

export type Decision = 'allow' | 'deny' | 'needs_approval';
export type BoundaryReason = { rule: string; decision: Decision; message: string };
export type Verdict = { decision: Decision; reasons: BoundaryReason[] };

/** A capability the contract was granted, with its live registry state. */
export type GrantedCapability = Pick<CapabilityRule, 'toolName' | 'access' | 'policy' | 'dataClass' | 'serverKilled' | 'businessCapability'> & { server: string };

export type Boundary = {
  allowGlobs: readonly string[];
  blockGlobs: readonly string[];
  blockedItems: readonly string[];
  allowedData: readonly string[];
  localCommands: readonly string[];
  checks: readonly string[];
  capabilities: readonly GrantedCapability[];
  /** The agent identity's approved tool profile (non-file, non-shell tools such as WebFetch). */
  toolProfile: { tools: readonly string[] };
  budget: { maxCostCents: number; maxToolCalls: number; maxWallMinutes: number };
};

/** What the run has spent so far, and whether its identity or run may still act at all. */
export type RunState = { startedAt: Date; toolCalls: number; costCents: number; stopped: string | null };

/** Actions that count against the tool-call budget. */
export const CALL_ACTIONS: readonly ActionType[] = ['file_write', 'command', 'mcp_tool', 'tool'];

/** Read-only shell commands any contract may run (their path arguments are still checked against blocks). */
const READ_ONLY_COMMANDS = ['ls', 'pwd', 'cat', 'head', 'tail', 'wc', 'grep', 'rg', 'diff', 'echo', 'which', 'git status', 'git diff', 'git log', 'git show', 'git branch', 'git rev-parse'];

/** Agent tools with no side effect outside the agent itself. */
const INERT_TOOLS = ['TodoWrite', 'TodoRead', 'ExitPlanMode', 'Task', 'Agent'];

const RANK: Record<Decision, number> = { allow: 0, needs_approval: 1, deny: 2 };

function verdict(reasons: BoundaryReason[]): Verdict {
  const decision = reasons.reduce<Decision>((worst, r) => (RANK[r.decision] > RANK[worst] ? r.decision : worst), 'allow');
  return { decision, reasons };
}

const allow = (rule: string, message: string): BoundaryReason => ({ rule, decision: 'allow', message });
const deny = (rule: string, message: string): BoundaryReason => ({ rule, decision: 'deny', message });
const ask = (rule: string, message: string): BoundaryReason => ({ rule, decision: 'needs_approval', message });

/** A repository path in canonical form (`src/a.ts`), or null when it leaves the repository. */
export function normalisePath(path: string): string | null {
  const trimmed = path.trim().replace(/\\/g, '/');
  if (trimmed === '' || trimmed.startsWith('/') || /^[A-Za-z]:\//.test(trimmed) || trimmed.startsWith('~')) return null;
  const parts: string[] = [];
  for (const part of trimmed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length ? parts.join('/') : null;
}

function blockFor(boundary: Boundary, path: string): string | null {
  return effectiveBlocks(boundary).find((glob) => matchesGlob(glob, path)) ?? null;
}

function blockLabel(boundary: Boundary, glob: string): string {
  if (boundary.blockGlobs.includes(glob)) return `the contract's block \`${glob}\``;
  const item = Object.entries(BLOCK_ITEMS).find(([key, v]) => boundary.blockedItems.includes(key) && (v.paths as readonly string[]).includes(glob));
  return item ? `\`${glob}\` (${item[1].label.toLowerCase()} are blocked)` : `\`${glob}\``;
}

function fileReasons(boundary: Boundary, raw: string, write: boolean): BoundaryReason[] {
  const path = normalisePath(raw);
  if (!path) return [deny('outside-repository', `\`${raw}\` is outside the repository; the contract only covers repository paths`)];
  const block = blockFor(boundary, path);
  if (block) return [deny('blocked-path', `\`${path}\` matches ${blockLabel(boundary, block)}`)];
  const scope = boundary.allowGlobs.find((glob) => matchesGlob(glob, path));
  if (scope) return [allow('file-scope', `\`${path}\` is inside the file scope (\`${scope}\`)`)];
  if (!write && boundary.allowedData.includes('repo-content')) {
    return [allow('repo-content', `Reading \`${path}\` is allowed: the contract allows repository content`)];
  }
  const scopeText = boundary.allowGlobs.length ? boundary.allowGlobs.map((g) => `\`${g}\``).join(', ') : 'no paths';
  return [deny('file-scope', `\`${path}\` is outside the contract's file scope (${scopeText})`)];
}

/** Splits a shell line at its operators; substitutions are reported, not parsed. */
function segments(command: string): string[] {
  return command
    .split(/&&|\|\||;|\||\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function startsWithCommand(segment: string, allowed: string): boolean {
  const a = allowed.trim();
  return a.length > 0 && (segment === a || segment.startsWith(`${a} `));
}

function commandReasons(boundary: Boundary, command: string): BoundaryReason[] {
  if (/\$\(|`|<\(/.test(command)) {
    return [ask('command', `\`${command}\` uses shell substitution; Mandate cannot see what it runs, so a person must approve it`)];
  }
  const parts = segments(command);
  if (parts.length === 0) return [deny('command', 'The command is empty')];
  const reasons: BoundaryReason[] = [];
  for (const part of parts) {
    const redirect = /(?:^|\s)\d?>>?\s*([^\s&|;]+)/.exec(part);
    if (redirect && redirect[1] !== '/dev/null' && !redirect[1]!.startsWith('&')) {
      for (const r of fileReasons(boundary, redirect[1]!, true)) reasons.push({ ...r, message: `Redirect: ${r.message}` });
    }
    const dangerous = COMMAND_RULES.find((rule) => rule.tier === 'STOP' && rule.pattern.test(part));
    const listed = [...boundary.localCommands, ...boundary.checks].find((c) => startsWithCommand(part, c));
    if (dangerous && !listed) {
      reasons.push(deny('command', `\`${part}\` is a ${dangerous.what}; the contract does not allow it`));
      continue;
    }
    if (listed) {
      reasons.push(allow('command', `\`${part}\` is allowed by the contract (\`${listed}\`)`));
      continue;
    }
    const readOnly = READ_ONLY_COMMANDS.find((c) => startsWithCommand(part, c));
    if (readOnly) {
      const blocked = part
        .split(/\s+/)
        .slice(readOnly.split(' ').length)
        .filter((arg) => !arg.startsWith('-'))
        .map((arg) => ({ arg, path: normalisePath(arg.replace(/^['"]|['"]$/g, '')) }))
        .find(({ path }) => path !== null && blockFor(boundary, path) !== null);
      reasons.push(
        blocked
          ? deny('blocked-path', `\`${part}\` reads \`${blocked.path}\`, which matches ${blockLabel(boundary, blockFor(boundary, blocked.path!)!)}`)
          : allow('command', `\`${part}\` is a read-only command`),
      );
      continue;
    }
    const listedText = boundary.localCommands.length ? boundary.localCommands.map((c) => `\`${c}\``).join(', ') : 'none';
    reasons.push(ask('command', `\`${part}\` is not among the contract's commands (${listedText})`));
  }
  return reasons;
}

function mcpReasons(boundary: Boundary, server: string, tool: string): BoundaryReason[] {
  const name = `${server}/${tool}`;
  const cap = boundary.capabilities.find((c) => c.server === server && c.toolName === tool);
  if (!cap) return [deny('capability', `${name} is not one of the contract's MCP capabilities`)];
  const what = cap.businessCapability ?? 'an undescribed capability';
  if (cap.serverKilled) return [deny('kill-switch', `${server}'s kill switch is on`)];
  if (cap.policy === 'BLOCKED') return [deny('capability', `${name} (${what}) is blocked by policy`)];
  if (cap.access === 'WRITE' && boundary.blockedItems.includes('write-mcp-tools')) {
    return [deny('capability', `${name} can write, and the contract blocks write-capable MCP tools`)];
  }
  if (cap.policy === 'SYNTHETIC_ONLY' && !boundary.allowedData.every((d) => d === 'synthetic-examples' || d === 'repo-content')) {
    return [deny('capability', `${name} (${what}) is for synthetic data only, and this contract allows real data`)];
  }
  if (cap.policy === 'NEEDS_APPROVAL' && cap.access === 'WRITE') {
    return [ask('capability', `${name} (${what}) writes, and its policy asks a person to approve each call`)];
  }
  return [allow('capability', `${name} (${what}) is granted by the contract`)];
}

function dataReasons(boundary: Boundary, source: string): BoundaryReason[] {
  const label = (DATA_ITEMS as Record<string, { label: string }>)[source]?.label ?? source;
  if (boundary.blockedItems.includes(source)) return [deny('data', `${label} is blocked by the contract`)];
  if (boundary.allowedData.includes(source)) return [allow('data', `${label} is allowed by the contract`)];
  return [deny('data', `${label} is not among the data the contract allows (${boundary.allowedData.join(', ') || 'none'})`)];
}

/** Tools that search the repository without naming one path. */
const SEARCH_TOOLS = ['Glob', 'Grep', 'LS'];

function toolReasons(boundary: Boundary, name: string): BoundaryReason[] {
  if (SEARCH_TOOLS.includes(name)) {
    return boundary.allowedData.includes('repo-content')
      ? [allow('repo-content', `${name} searches the repository, and the contract allows repository content`)]
      : [ask('repo-content', `${name} searches the whole repository, and the contract does not allow repository content beyond its file scope`)];
  }
  if (INERT_TOOLS.includes(name)) return [allow('tool', `${name} has no effect outside the agent`)];
  if (boundary.toolProfile.tools.includes(name)) return [allow('tool', `${name} is in the agent's approved tool profile`)];
  return [ask('tool', `${name} is not in the agent's approved tool profile`)];
}

function budgetReasons(boundary: Boundary, action: IntendedAction, state: RunState, now: Date, wallTime: boolean): BoundaryReason[] {
  const { maxWallMinutes, maxToolCalls, maxCostCents } = boundary.budget;
  const out: BoundaryReason[] = [];
  if (wallTime && maxWallMinutes > 0 && now.getTime() - state.startedAt.getTime() >= maxWallMinutes * 60_000) {
    out.push(deny('budget', `The wall-time budget of ${maxWallMinutes} min is spent`));
  }
  if (maxToolCalls > 0 && CALL_ACTIONS.includes(action.type) && state.toolCalls >= maxToolCalls) {
    out.push(deny('budget', `The tool-call budget is spent (${state.toolCalls} of ${maxToolCalls} calls)`));
  }
  if (maxCostCents > 0 && state.costCents >= maxCostCents) {
    out.push(deny('budget', `The cost budget is spent ($${(state.costCents / 100).toFixed(2)} of $${(maxCostCents / 100).toFixed(2)})`));
  }
  return out;
}

/**
 * Is `action` inside the run's boundary? Returns allow / deny / needs approval with every reason.
 * With `state`, the run's stop conditions (kill switch, finished run) and its budget count too.
 */
export function evaluateAction(
  boundary: Boundary,
  action: IntendedAction,
  options: { state?: RunState; now?: Date; wallTime?: boolean } = {},
): Verdict {
  const { state, now = new Date(), wallTime = true } = options;
  const reasons: BoundaryReason[] = [];
  if (state?.stopped) reasons.push(deny('kill-switch', state.stopped));
  if (state) reasons.push(...budgetReasons(boundary, action, state, now, wallTime));
  // A stopped run or a spent budget is the whole answer: what the scope would say no longer matters.
  if (reasons.length) return verdict(reasons);
  switch (action.type) {
    case 'file_read':
      reasons.push(...fileReasons(boundary, action.path, false));
      break;
    case 'file_write':
      reasons.push(...fileReasons(boundary, action.path, true));
      break;
    case 'command':
      reasons.push(...commandReasons(boundary, action.command));
      break;
    case 'mcp_tool':
      reasons.push(...mcpReasons(boundary, action.server, action.tool));
      break;
    case 'data_source':
      reasons.push(...dataReasons(boundary, action.source));
      break;
    case 'tool':
      reasons.push(...toolReasons(boundary, action.name));
      break;
  }
  return verdict(reasons);
}

/** The action a receipt reports, when it reports one (notes, costs and test results do not). */
export function actionOfReceipt(kind: string, payload: unknown): IntendedAction | null {
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  switch (kind) {
    case 'FILE_READ':
      return str(p.path) ? { type: 'file_read', path: str(p.path)! } : null;
    case 'FILE_WRITE':
      return str(p.path) ? { type: 'file_write', path: str(p.path)! } : null;
    case 'COMMAND':
      return str(p.command) ? { type: 'command', command: str(p.command)! } : null;
    case 'MCP_CALL':
      return str(p.server) && str(p.tool) ? { type: 'mcp_tool', server: str(p.server)!, tool: str(p.tool)! } : null;
    case 'TOOL_CALL':
      return str(p.name ?? p.tool) ? { type: 'tool', name: str(p.name ?? p.tool)! } : null;
    default:
      return null;
  }
}

/** A short human description of an action, for timelines and reasons. */
export function describeAction(action: IntendedAction): string {
  switch (action.type) {
    case 'file_read':
      return `read ${action.path}`;
    case 'file_write':
      return `write ${action.path}`;
    case 'command':
      return `run \`${action.command}\``;
    case 'mcp_tool':
      return `call ${action.server}/${action.tool}`;
    case 'data_source':
      return `use data: ${action.source}`;
    case 'tool':
      return `use tool ${action.name}`;
  }
}

export type ReceiptFinding = { violation: string | null; unchecked: boolean };

/**
 * What a receipt says about the boundary after the fact. `prior` is the decision the check gave for
 * the receipt's tool_use_id (null: no decision was ever asked for; undefined: the receipt names no
 * tool_use_id). Out-of-scope actions, calls that ran although denied, calls that needed approval and
 * never asked, and hook receipts with no decision at all (unchecked calls) are violations.
 */
export function receiptFinding(
  boundary: Boundary,
  receipt: { kind: string; payload: unknown; toolUseId: string | null },
  prior: Decision | null | undefined,
  state?: RunState,
): ReceiptFinding {
  const action = actionOfReceipt(receipt.kind, receipt.payload);
  if (!action) return { violation: null, unchecked: false };
  const v = evaluateAction(boundary, action, { state, wallTime: false });
  const denied = v.reasons.filter((r) => r.decision === 'deny').map((r) => r.message);
  const problems: string[] = [];
  const unchecked = receipt.toolUseId !== null && prior === null;
  if (unchecked) problems.push(`Unchecked call: ${describeAction(action)} ran with no boundary decision for ${receipt.toolUseId} (the pre-call check was skipped)`);
  if (prior === 'deny') problems.push(`${describeAction(action)} ran although the boundary denied it`);
  if (denied.length) problems.push(...denied);
  else if (v.decision === 'needs_approval' && prior !== 'allow' && prior !== 'needs_approval') {
    problems.push(`${describeAction(action)} needs approval and nobody was asked: ${v.reasons.filter((r) => r.decision === 'needs_approval').map((r) => r.message).join('; ')}`);
  }
  return { violation: problems.length ? problems.join('. ') : null, unchecked };
}
