import { z } from 'zod';
import { globProblem } from '@/lib/domain/globs';
import { jsonDepth, MAX_JSON_DEPTH, UNSTORABLE_TEXT_MESSAGE, unstorableTextPath } from '@/lib/domain/storable-text';
import { TIERS } from '@/lib/domain/risk';

export const AREA_CATEGORIES = [
  'auth',
  'billing',
  'payments',
  'customer-data',
  'permissions',
  'concurrency',
  'migrations',
  'deployment',
  'internal-tools',
  'regulated',
  'production-scripts',
  'secrets',
  'other',
] as const;

/** A written reason to save a change the policy cases say must not be made; audited with the cases it breaks. */
export const overrideReason = z
  .string()
  .trim()
  .max(2000, 'At most 2000 characters')
  .transform((v) => v || null)
  .optional();

export const SensitiveAreaInput = z.object({
  name: z.string().trim().min(2, 'Name the area (at least 2 characters)').max(80),
  category: z.enum(AREA_CATEGORIES, { message: 'Choose a category' }),
  pattern: z
    .string()
    .trim()
    .min(1, 'Give a path pattern, e.g. **/billing/**')
    .max(200)
    .superRefine((glob, ctx) => {
      const problem = globProblem(glob);
      if (problem) ctx.addIssue({ code: 'custom', message: `Not a usable pattern: ${problem}` });
    }),
  tier: z.enum(TIERS, { message: 'Choose a tier' }),
  description: z.string().trim().max(500).default(''),
  enabled: z.preprocess((v) => v === true || v === 'true' || v === 'on', z.boolean()).default(true),
  overrideReason,
});
export type SensitiveAreaInput = z.infer<typeof SensitiveAreaInput>;

export const RegisterServerInput = z.object({
  name: z.string().trim().min(2, 'Name the server').max(80),
  slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Lowercase letters, digits and dashes (e.g. linear-tickets)'),
  description: z.string().trim().max(1000).default(''),
  transport: z.enum(['STDIO', 'STREAMABLE_HTTP', 'SSE'], { message: 'Choose the transport' }),
  endpoint: z.string().trim().min(3, 'Give the URL or the command that starts it').max(500),
  ownerId: z.string().min(1, 'Choose the accountable owner'),
});
export type RegisterServerInput = z.infer<typeof RegisterServerInput>;

export const ServerControlsInput = z.object({
  serverId: z.string().min(1),
  hasLogging: z.boolean(),
  hasOwnerReview: z.boolean(),
  hasKillSwitch: z.boolean(),
});

export const DescribeCapabilityInput = z.object({
  capabilityId: z.string().min(1),
  businessCapability: z.string().trim().max(300).transform((v) => (v ? v : null)),
  dataClass: z.enum(['PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'CUSTOMER', 'REGULATED']),
  access: z.enum(['READ', 'WRITE']),
  policy: z.enum(['DEFAULT_READ', 'NEEDS_APPROVAL', 'SYNTHETIC_ONLY', 'BLOCKED']),
  overrideReason,
});

export const ImportToolsInput = z.object({ serverId: z.string().min(1), json: z.string().min(2, 'Paste the JSON the server returns to tools/list').max(2_000_000, 'That file is larger than 2 MB') });

/** One tool as MCP's tools/list describes it. */
const McpTool = z
  .object({
    name: z.string().min(1).max(128).regex(/^[A-Za-z0-9_.\-/]+$/, 'letters, digits, _ . - / only'),
    title: z.string().optional(),
    description: z.string().max(10_000).optional(),
    inputSchema: z.looseObject({ type: z.literal('object') }),
  })
  .superRefine((tool, ctx) => {
    // Stored as it is: Postgres refuses NUL and broken Unicode, and very deep JSON cannot be serialised.
    if (jsonDepth(tool.inputSchema, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return ctx.addIssue({ code: 'custom', path: ['inputSchema'], message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
    const bad = unstorableTextPath(tool);
    if (bad) ctx.addIssue({ code: 'custom', path: bad, message: UNSTORABLE_TEXT_MESSAGE });
  });
/** Either the bare result ({ tools: [...] }) or the whole JSON-RPC response ({ jsonrpc, id, result: { tools } }). */
export const ToolsListPayload = z.union([
  z.looseObject({ tools: z.array(McpTool) }),
  z.looseObject({ jsonrpc: z.literal('2.0'), result: z.looseObject({ tools: z.array(McpTool) }) }).transform((r) => r.result),
]);

export const KillSwitchInput = z.object({ id: z.string().min(1), on: z.boolean(), reason: z.string().trim().min(10, 'Give a reason of at least 10 characters; it goes into the audit log').max(2000) });
