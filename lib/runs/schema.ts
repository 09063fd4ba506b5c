import { z } from 'zod';
import { ACTION_TYPES } from '@/lib/domain/boundary';
import { isStorableText, jsonDepth, MAX_JSON_DEPTH, UNSTORABLE_TEXT_MESSAGE, unstorableTextPath } from '@/lib/domain/storable-text';

/** The agent API's bodies: one zod schema each, shared by the route handlers and the OpenAPI document. */

export const RECEIPT_KINDS = ['FILE_READ', 'FILE_WRITE', 'COMMAND', 'TOOL_CALL', 'MCP_CALL', 'APPROVAL_REQUESTED', 'TEST_RESULT', 'NOTE', 'COST'] as const;

/** The most receipts one batch may carry. */
export const MAX_BATCH = 500;
/** The largest payload of one receipt, as JSON. */
export const MAX_PAYLOAD_BYTES = 32 * 1024;

const text = (max: number, what: string) => z.string().trim().min(1, `${what} is required`).max(max, `${what} is longer than ${max} characters`).refine(isStorableText, `${what} ${UNSTORABLE_TEXT_MESSAGE}`);
/** Free text that is stored as it is sent: Postgres refuses NUL and broken Unicode (lib/domain/storable-text). */
const storable = (what: string) => [isStorableText, `${what} ${UNSTORABLE_TEXT_MESSAGE}`] as const;

export const StartRunInput = z
  .object({
    contract: text(40, 'contract').regex(/^(MDT-\d{1,9}|c[a-z0-9]{20,32})$/i, 'Give the contract as MDT-<number> or its id').describe('The contract to run: "MDT-12" or its id.'),
  })
  .strict();
export type StartRunInput = z.infer<typeof StartRunInput>;

const payload = z
  .record(z.string(), z.unknown())
  .describe('What happened, as a JSON object. FILE_READ/FILE_WRITE: {path}; COMMAND: {command, exitCode}; MCP_CALL: {server, tool}; TOOL_CALL: {name}; COST: {cents}; TEST_RESULT: {name, status}.')
  .superRefine((value, ctx) => {
    if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return ctx.addIssue({ code: 'custom', message: `The payload nests deeper than ${MAX_JSON_DEPTH} levels` });
    const json = JSON.stringify(value);
    if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) ctx.addIssue({ code: 'custom', message: `The payload is larger than ${MAX_PAYLOAD_BYTES / 1024} KB as JSON` });
    const bad = unstorableTextPath(value);
    if (bad) ctx.addIssue({ code: 'custom', message: `The payload ${UNSTORABLE_TEXT_MESSAGE}${bad.length ? ` (at ${bad.join('.')})` : ''}` });
  });

const kindPayloads: Partial<Record<(typeof RECEIPT_KINDS)[number], { field: string; type: 'string' | 'number' }[]>> = {
  FILE_READ: [{ field: 'path', type: 'string' }],
  FILE_WRITE: [{ field: 'path', type: 'string' }],
  COMMAND: [{ field: 'command', type: 'string' }],
  MCP_CALL: [
    { field: 'server', type: 'string' },
    { field: 'tool', type: 'string' },
  ],
  COST: [{ field: 'cents', type: 'number' }],
};

export const ReceiptInput = z
  .object({
    kind: z.enum(RECEIPT_KINDS, { message: `kind must be one of ${RECEIPT_KINDS.join(', ')}` }),
    payload,
    clientTimestamp: z.iso
      .datetime({ offset: true, message: 'clientTimestamp must be an ISO 8601 date-time, e.g. 2026-11-24T10:15:00.000Z' })
      .refine((v) => {
        const t = Date.parse(v);
        return t > Date.UTC(2000, 0, 1) && t < Date.now() + 24 * 3600_000;
      }, 'clientTimestamp is not a plausible time (after 2000, not more than a day ahead)'),
    idempotencyKey: z
      .string()
      .min(1, 'idempotencyKey is required')
      .max(200, 'idempotencyKey is longer than 200 characters')
      .regex(/^[A-Za-z0-9._:@/+=-]+$/, 'idempotencyKey may hold letters, digits and . _ : @ / + = -')
      .describe('The same key twice in one run is stored once.'),
    toolUseId: z.string().min(1).max(200).refine(...storable('toolUseId')).optional().describe("Claude Code's tool_use_id, when the receipt reports a tool call."),
  })
  .strict()
  .superRefine((r, ctx) => {
    // What only Mandate writes (the gateway's receipts, decisions on held calls) cannot be posted by an agent.
    if (r.payload.via === 'gateway') ctx.addIssue({ code: 'custom', path: ['payload', 'via'], message: 'payload.via "gateway" is reserved for receipts the MCP gateway writes' });
    if (typeof r.payload.event === 'string' && /^(gateway|call)\./.test(r.payload.event)) ctx.addIssue({ code: 'custom', path: ['payload', 'event'], message: 'Events starting with "gateway." or "call." are reserved for Mandate' });
    if (/^(gw_|call-decision:)/.test(r.idempotencyKey)) ctx.addIssue({ code: 'custom', path: ['idempotencyKey'], message: 'Keys starting with "gw_" or "call-decision:" are reserved for Mandate' });
    for (const { field, type } of kindPayloads[r.kind] ?? []) {
      const value = r.payload[field];
      const ok = type === 'string' ? typeof value === 'string' && value.length > 0 && value.length <= 4000 : typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e9;
      if (!ok) ctx.addIssue({ code: 'custom', path: ['payload', field], message: `A ${r.kind} receipt needs payload.${field} (${type === 'string' ? 'a non-empty string' : 'a number ≥ 0'})` });
    }
  });
export type ReceiptInput = z.infer<typeof ReceiptInput>;

export const ReceiptBatchInput = z
  .object({ receipts: z.array(ReceiptInput).min(1, 'Send at least one receipt').max(MAX_BATCH, `A batch holds at most ${MAX_BATCH} receipts`) })
  .strict();

/**
 * `{ receipts: [...] }` with up to MAX_BATCH receipts, stored all or nothing; a single receipt object
 * is taken as a batch of one (so its field errors are named `receipts.0.…`).
 */
export const ReceiptsInput = z.preprocess(
  (body) => (body && typeof body === 'object' && !Array.isArray(body) && !('receipts' in body) ? { receipts: [body] } : body),
  ReceiptBatchInput,
);
export type ReceiptsInput = z.infer<typeof ReceiptsInput>;

export const IntendedActionInput = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('file_read'), path: text(4000, 'path') }).strict(),
    z.object({ type: z.literal('file_write'), path: text(4000, 'path') }).strict(),
    z.object({ type: z.literal('command'), command: text(8000, 'command') }).strict(),
    z.object({ type: z.literal('mcp_tool'), server: text(200, 'server'), tool: text(200, 'tool') }).strict(),
    z.object({ type: z.literal('data_source'), source: text(200, 'source') }).strict(),
    z.object({ type: z.literal('tool'), name: text(200, 'name') }).strict(),
  ],
  { message: `action.type must be one of ${ACTION_TYPES.join(', ')}` },
);

export const CheckInput = z
  .object({
    action: IntendedActionInput,
    toolUseId: z.string().min(1).max(200).refine(...storable('toolUseId')).optional().describe("Claude Code's tool_use_id: the receipt that follows is matched to this decision."),
  })
  .strict();
export type CheckInput = z.infer<typeof CheckInput>;

export const CheckResultInput = z
  .object({
    name: text(200, 'name'),
    command: z.string().max(2000).refine(...storable('command')).optional(),
    status: z.enum(['passed', 'failed', 'skipped'], { message: 'status must be passed, failed or skipped' }),
    detail: z.string().max(4000).refine(...storable('detail')).optional(),
  })
  .strict();

export const PATCH_REF = /^(https?:\/\/\S{3,2000}|[0-9a-f]{7,40})$/i;

export const FinishInput = z
  .object({
    outcome: z.enum(['succeeded', 'failed', 'aborted'], { message: 'outcome must be succeeded, failed or aborted' }),
    summary: z.string().trim().max(4000, 'summary is longer than 4000 characters').refine(...storable('summary')).default(''),
    checks: z.array(CheckResultInput).max(100, 'At most 100 check results').default([]),
    patchRef: z.string().trim().regex(PATCH_REF, 'patchRef must be a PR or commit URL (http/https) or a commit SHA (7–40 hex digits)').refine(...storable('patchRef')).optional(),
    costCents: z.number().int('costCents must be whole cents').min(0).max(100_000_000).optional().describe("The run's total cost in cents, as the agent counts it."),
  })
  .strict();
export type FinishInput = z.infer<typeof FinishInput>;

/** What Claude Code sends to a hook on stdin (or to an HTTP hook as the body); unknown fields are kept out. */
export const ClaudeHookInput = z.object({
  hook_event_name: z.enum(['PreToolUse', 'PostToolUse'], { message: 'hook_event_name must be PreToolUse or PostToolUse' }),
  tool_name: text(200, 'tool_name'),
  tool_input: z
    .record(z.string(), z.unknown())
    .default({})
    .superRefine((value, ctx) => {
      if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return ctx.addIssue({ code: 'custom', message: `tool_input nests deeper than ${MAX_JSON_DEPTH} levels` });
      const bad = unstorableTextPath(value);
      if (bad) ctx.addIssue({ code: 'custom', path: bad, message: `tool_input ${UNSTORABLE_TEXT_MESSAGE}` });
    }),
  tool_use_id: z.string().min(1).max(200).refine(...storable('tool_use_id')).optional(),
  tool_response: z.unknown().optional(),
  session_id: z.string().max(200).refine(...storable('session_id')).optional(),
  cwd: z.string().max(4000).refine(...storable('cwd')).optional(),
});
export type ClaudeHookInput = z.infer<typeof ClaudeHookInput>;

export const AbortRunInput = z.object({
  runId: z.string().min(1),
  reason: z.string().trim().min(10, 'Say why the run is stopped (at least 10 characters)').max(2000),
});
export type AbortRunInput = z.infer<typeof AbortRunInput>;
