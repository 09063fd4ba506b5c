import { matchesGlob } from './globs';
import { normalisePath } from './boundary';
import { TIER_LABEL, type SensitiveAreaRule } from './risk';

/** What a run's receipts add up to, for its review packet. Pure: receipts in, sections out. */

export type PacketReceipt = { seq: number; kind: string; payload: unknown; violation: boolean; violationReason: string | null; toolUseId?: string | null };

type FileUse = { path: string; reads: number; writes: number };

const obj = (p: unknown) => (p && typeof p === 'object' ? (p as Record<string, unknown>) : {});

export function summarizeReceipts(receipts: readonly PacketReceipt[], allowGlobs: readonly string[]) {
  const files = new Map<string, FileUse>();
  const commands: { seq: number; command: string; exitCode: number | null }[] = [];
  const tools = new Map<string, number>();
  const mcp = new Map<string, { server: string; tool: string; count: number }>();
  for (const r of receipts) {
    const p = obj(r.payload);
    if ((r.kind === 'FILE_READ' || r.kind === 'FILE_WRITE') && typeof p.path === 'string') {
      const path = normalisePath(p.path) ?? p.path;
      const use = files.get(path) ?? { path, reads: 0, writes: 0 };
      if (r.kind === 'FILE_READ') use.reads++;
      else use.writes++;
      files.set(path, use);
    } else if (r.kind === 'COMMAND' && typeof p.command === 'string') {
      commands.push({ seq: r.seq, command: p.command, exitCode: typeof p.exitCode === 'number' ? p.exitCode : null });
    } else if (r.kind === 'MCP_CALL' && typeof p.server === 'string' && typeof p.tool === 'string') {
      const key = `${p.server}/${p.tool}`;
      const m = mcp.get(key) ?? { server: p.server, tool: p.tool, count: 0 };
      m.count++;
      mcp.set(key, m);
    } else if (r.kind === 'TOOL_CALL') {
      const name = typeof p.name === 'string' ? p.name : typeof p.tool === 'string' ? p.tool : 'tool';
      tools.set(name, (tools.get(name) ?? 0) + 1);
    }
  }
  const all = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
  const inScope = (path: string) => allowGlobs.some((g) => matchesGlob(g, path));
  return {
    inScope: all.filter((f) => inScope(f.path)),
    // Reads outside the scope are normal (the agent looks around); writes outside it are what matter, and show first.
    outOfScope: all.filter((f) => !inScope(f.path)).sort((a, b) => b.writes - a.writes || a.path.localeCompare(b.path)),
    commands,
    toolCalls: [...tools.entries()].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
    mcpCalls: [...mcp.values()].sort((a, b) => b.count - a.count),
    violations: receipts.filter((r) => r.violation).map((r) => ({ seq: r.seq, reason: r.violationReason ?? 'Boundary violation' })),
  };
}

/**
 * Risks the records show, beyond what the requester wrote: violations, unchecked calls, checks that
 * failed or were skipped or never reported, written files in High/Stop sensitive areas, a finished
 * run with no signed checkpoint, a broken chain.
 */
export function observedRisks(input: {
  violations: number;
  uncheckedCalls: number;
  checks: readonly { name: string; status: string }[];
  requiredChecks: readonly string[];
  writtenPaths: readonly string[];
  areas: readonly SensitiveAreaRule[];
  chainIntact: boolean;
  signed: boolean;
}): string[] {
  const out: string[] = [];
  if (!input.chainIntact) out.push('The evidence chain does not verify: treat this run’s evidence as untrustworthy.');
  if (!input.signed) out.push('The run’s last receipt has no signed checkpoint.');
  if (input.violations) out.push(`${input.violations} boundary violation${input.violations === 1 ? '' : 's'} recorded during the run.`);
  if (input.uncheckedCalls) out.push(`${input.uncheckedCalls} tool call${input.uncheckedCalls === 1 ? '' : 's'} ran without a boundary check (unchecked).`);
  for (const c of input.checks) {
    if (c.status === 'failed') out.push(`Check failed: ${c.name}.`);
    if (c.status === 'skipped') out.push(`Check skipped: ${c.name}.`);
  }
  const reported = new Set(input.checks.map((c) => c.name));
  for (const name of input.requiredChecks) if (!reported.has(name)) out.push(`The contract’s check \`${name}\` has no reported result.`);
  for (const area of input.areas) {
    if (!area.enabled || (area.tier !== 'HIGH' && area.tier !== 'STOP')) continue;
    const hit = input.writtenPaths.find((p) => matchesGlob(area.pattern, p));
    if (hit) out.push(`Changed ${hit}, inside the ${TIER_LABEL[area.tier]} sensitive area ${area.name} (\`${area.pattern}\`).`);
  }
  return out;
}
