import type { PacketContent } from './schema';

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const list = (items: readonly string[], empty = '—') => (items.length ? items.map((i) => `- ${i}`).join('\n') : empty);
const cell = (s: string | number | null | undefined) => String(s ?? '—').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: string[], rows: (string | number | null)[][], empty: string): string {
  if (!rows.length) return empty;
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** The packet as Markdown: every section of the page, in the same order, for a PR description or a ticket. */
export function packetMarkdown(p: PacketContent, meta: { frozen: boolean; version: number | null }): string {
  const c = p.contract;
  const status = meta.frozen ? `Frozen packet, version ${meta.version}` : `Draft: generated ${p.generatedAt}, changes until close-out`;
  return `# Review packet — ${c.ref}: ${c.title}

${status} · tier **${c.tier}** · team ${c.team} · requested by ${c.requester.name}${c.namedApprover ? ` · named approver ${c.namedApprover.name}` : ''}

## Why this tier
${list(c.tierReasons.map((r) => `${r.tier}: ${r.message}`))}

## Engineering view
- Task: ${c.engineering.task || '—'}
- Repository: ${c.engineering.repository || '—'} (${c.engineering.baseBranch})
- File scope: ${c.engineering.scope.map(code).join(', ') || '—'}
- Blocked paths: ${c.engineering.blocks.map(code).join(', ') || '—'}
- Checks: ${c.engineering.checks.map(code).join(', ') || '—'}
- Deliverables: ${c.engineering.deliverables.join(', ') || '—'}

## Security view
- Agent identity: ${c.security.agent ?? '—'}
- Allowed data: ${c.security.allowedData.join(', ') || '—'}
- Blocked: ${[...c.security.blockedItems, c.security.blockedFreeText].filter(Boolean).join(', ') || '—'}
- MCP capabilities: ${c.security.capabilities.map((k) => `${k.name} (${k.businessCapability ?? 'undescribed'}, ${k.policy.toLowerCase().replace('_', ' ')})`).join('; ') || 'none'}
- Local commands: ${c.security.localCommands.map(code).join(', ') || '—'}
- Budget: ${money(c.security.budget.maxCostCents)}, ${c.security.budget.maxToolCalls} tool calls, ${c.security.budget.maxWallMinutes} min

## The run
- Run ${p.run.id} by ${p.run.agent}: **${p.run.status.toLowerCase()}**, ${p.run.startedAt} → ${p.run.finishedAt ?? 'still running'}
- Cost ${money(p.run.costCents)}, ${p.run.toolCalls} tool calls
- Patch: ${p.run.patchRef ?? '—'}
- Summary: ${p.run.summary || '—'}

## Scope vs files touched
In scope:

${table(['Path', 'Reads', 'Writes'], p.scope.inScope.map((f) => [code(f.path), f.reads, f.writes]), '_No file inside the scope was touched._')}

Outside the scope:

${table(['Path', 'Reads', 'Writes'], p.scope.outOfScope.map((f) => [code(f.path), f.reads, f.writes]), '_Nothing outside the scope._')}

## Commands and checks
${table(['#', 'Command', 'Exit'], p.commands.map((x) => [x.seq, code(x.command), x.exitCode]), '_No command was run._')}

${table(['Check', 'Result'], p.checks.map((k) => [k.name, k.status]), '_No check result was reported._')}

## Tool and MCP calls
${table(['MCP tool', 'Calls'], p.mcpCalls.map((m) => [`${m.server}/${m.tool}`, m.count]), '_No MCP call._')}

${table(['Tool', 'Calls'], p.toolCalls.map((t) => [t.name, t.count]), '_No other tool call._')}

## Approvals, exceptions, violations
${table(['Approval', 'Status', 'By', 'Reason'], p.approvals.map((a) => [a.kind, a.outcome ?? a.status, a.decidedBy, a.reason]), '_No approval was needed._')}

${table(['Exception', 'Status', 'By', 'Reason'], p.exceptions.map((x) => [x.what, x.status, x.decidedBy, x.reason]), '_No security exception._')}

${table(['Receipt', 'Violation'], p.violations.map((v) => [`#${v.seq}`, v.reason]), '_No boundary violation._')}

## Residual risk
The requester: ${p.risk.residualRisk || '—'}

What the records show:
${list(p.risk.observed, '- Nothing beyond the above.')}

## Rollback note
${p.rollback ? `Steps:\n\n${p.rollback.steps}\n\nHow to verify: ${p.rollback.verification}\n\nWho can execute it: ${p.rollback.executors}\n\n_By ${p.rollback.author}, ${p.rollback.updatedAt}_` : '_No rollback note._'}

## Evidence
- ${p.evidence.receipts} receipts, chain ${p.evidence.intact ? 'intact' : '**BROKEN**'}, head ${p.evidence.headHash ? code(p.evidence.headHash) : '—'}
- Signed checkpoint: ${p.evidence.checkpoint ? `receipt ${p.evidence.checkpoint.seq}, key ${code(p.evidence.checkpoint.keyId)}, signature ${code(p.evidence.checkpoint.signature)}` : '—'}

## Close-out
${p.closeOut ? `**${p.closeOut.outcome === 'ACCEPTED' ? 'Accepted' : 'Rejected'}** by ${p.closeOut.by} on ${p.closeOut.at}: ${p.closeOut.reason}` : '_Not closed yet._'}
`;
}
