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
      return `${str(p.server)}/${str(p.tool)}${typeof p.resultBytes === 'number' ? ` · ${p.resultBytes} bytes` : ''}${p.outcome ? ` · ${str(p.outcome)}` : ''}`;
    case 'TOOL_CALL':
      return str(p.name ?? p.tool);
    case 'TEST_RESULT':
      return `${str(p.name)}: ${str(p.status)}${typeof p.passed === 'number' ? ` (${p.passed} passed, ${p.failed ?? 0} failed)` : ''}`;
    case 'COST':
      return `$${(Number(p.cents ?? 0) / 100).toFixed(2)}${typeof p.inputTokens === 'number' ? ` · ${p.inputTokens.toLocaleString('en')} in / ${Number(p.outputTokens ?? 0).toLocaleString('en')} out tokens` : ''}`;
    case 'NOTE':
      if (p.event === 'run.started') return `Run started on ${str(p.contract)} (version ${str(p.contractVersion)}) by ${str(p.agent)}`;
      if (p.event === 'run.finished') return `Run finished: ${str(p.outcome)}${p.patchRef ? ` · ${str(p.patchRef)}` : ''}`;
      return str(p.message ?? p.note ?? payload);
    case 'APPROVAL_REQUESTED':
      return str(p.what ?? p.reason ?? payload);
  }
}
