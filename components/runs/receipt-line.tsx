import type { ReceiptKind } from '@/lib/generated/prisma/enums';

export const KIND_LABEL: Record<ReceiptKind, string> = {
  FILE_READ: 'File read',
  FILE_WRITE: 'File written',
  COMMAND: 'Command',
  TOOL_CALL: 'Tool call',
  MCP_CALL: 'MCP call',
  APPROVAL_REQUESTED: 'Approval asked',
  TEST_RESULT: 'Test result',
  NOTE: 'Note',
  COST: 'Cost',
};

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const reasons = (v: unknown) => (Array.isArray(v) ? v.map(str).join('; ') : str(v));

/** Was this receipt written by the MCP gateway (not reported by the agent)? */
export function viaGateway(payload: unknown): boolean {
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  return p.via === 'gateway' || (typeof p.event === 'string' && p.event.startsWith('gateway.'));
}

/** One line saying what a receipt reports, by kind; the raw payload stays one click away. */
export function receiptSummary(kind: ReceiptKind, payload: unknown): string {
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  switch (kind) {
    case 'FILE_READ':
    case 'FILE_WRITE':
      return `${str(p.path)}${typeof p.linesAdded === 'number' ? ` (+${p.linesAdded} −${p.linesRemoved ?? 0})` : ''}`;
    case 'COMMAND':
      return `$ ${str(p.command)}${typeof p.exitCode === 'number' ? `  → exit ${p.exitCode}` : ''}`;
    case 'MCP_CALL':
      return [
        `${str(p.server)}/${str(p.tool)}${p.arguments && typeof p.arguments === 'object' ? ` ${clip(JSON.stringify(p.arguments), 120)}` : ''}`,
        p.outcome ? str(p.outcome) : null,
        typeof p.resultBytes === 'number' ? `${p.resultBytes} bytes` : null,
        typeof p.latencyMs === 'number' ? `${p.latencyMs} ms` : null,
        Array.isArray(p.redactions) && p.redactions.length ? `${p.redactions.length} redacted` : null,
        typeof p.cutOffBecause === 'string' ? `cut off: ${p.cutOffBecause}` : null,
        p.approval && typeof p.approval === 'object' ? `approved by ${str((p.approval as { by?: unknown }).by)}` : null,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'TOOL_CALL':
      return str(p.name ?? p.tool);
    case 'TEST_RESULT':
      return `${str(p.name)}: ${str(p.status)}${typeof p.passed === 'number' ? ` (${p.passed} passed, ${p.failed ?? 0} failed)` : ''}`;
    case 'COST':
      return `$${(Number(p.cents ?? 0) / 100).toFixed(2)}${typeof p.inputTokens === 'number' ? ` · ${p.inputTokens.toLocaleString('en')} in / ${Number(p.outputTokens ?? 0).toLocaleString('en')} out tokens` : ''}`;
    case 'NOTE':
      if (p.event === 'run.started') return `Run started on ${str(p.contract)} (version ${str(p.contractVersion)}) by ${str(p.agent)}`;
      if (p.event === 'run.finished') return `Run finished: ${str(p.outcome)}${p.patchRef ? ` · ${str(p.patchRef)}` : ''}`;
      if (p.event === 'gateway.refused') return `Gateway refused ${str(p.server)}/${str(p.tool)}: ${reasons(p.reasons)}`;
      if (p.event === 'gateway.needs-approval') return `Gateway held ${str(p.server)}/${str(p.tool)} for a person's approval: ${reasons(p.reasons)}`;
      if (p.event === 'call.approved' || p.event === 'call.denied') return `${str(p.by)} ${p.event === 'call.approved' ? 'approved' : 'denied'} the held call ${str(p.server)}/${str(p.tool)}${p.note ? `: ${str(p.note)}` : ''}`;
      if (p.event === 'kill-switch') return `Kill switch on ${str(p.target)} by ${str(p.by)}: ${str(p.reason)}`;
      if (p.event === 'contract-frozen') return `${str(p.target)} frozen by ${str(p.by)}: ${str(p.reason)}`;
      return str(p.message ?? p.note ?? payload);
    case 'APPROVAL_REQUESTED':
      return str(p.what ?? p.reason ?? payload);
  }
}
