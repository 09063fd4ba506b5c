import { z } from 'zod';
import { BLOCK_ITEMS, DATA_ITEMS, TIERS } from '@/lib/domain/risk';
import { globProblem } from '@/lib/domain/globs';
import { CONTRACT_STATUSES } from '@/lib/domain/contract-lifecycle';

export const DELIVERABLES = {
  patch: 'Patch (PR or commit)',
  summary: 'Summary of what changed',
  'review-packet': 'Review packet',
  'rollback-note': 'Rollback note',
} as const;

/** Budget defaults per tier: what a run may spend before the boundary check denies more. */
export const BUDGET_DEFAULTS = {
  LOW: { budgetMaxCostCents: 400, budgetMaxToolCalls: 80, budgetMaxWallMinutes: 30 },
  MEDIUM: { budgetMaxCostCents: 1200, budgetMaxToolCalls: 250, budgetMaxWallMinutes: 90 },
  HIGH: { budgetMaxCostCents: 2500, budgetMaxToolCalls: 400, budgetMaxWallMinutes: 120 },
  STOP: { budgetMaxCostCents: 2500, budgetMaxToolCalls: 400, budgetMaxWallMinutes: 120 },
} as const;

/** Textareas hold one item per line; the schema turns them into trimmed, de-duplicated lists. */
const lines = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => [...new Set((Array.isArray(v) ? v : (v ?? '').split('\n')).map((s) => s.trim()).filter(Boolean))]);

const globList = lines.superRefine((globs, ctx) => {
  for (const glob of globs) {
    const problem = globProblem(glob);
    if (problem) ctx.addIssue({ code: 'custom', message: `"${glob}": ${problem}` });
  }
});

const choice = <T extends string>(options: readonly T[], label: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(options as [T, ...T[]], { message: `Unknown ${label}` })))
    .transform((v) => [...new Set(v)]);

const optionalId = z
  .string()
  .optional()
  .transform((v) => (v ? v : null));

const money = z.coerce.number({ message: 'Enter a number' }).min(0, 'Cannot be negative').max(100_000, 'At most $100,000');
const count = (max: number, what: string) => z.coerce.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(1, `At least 1 ${what}`).max(max, `At most ${max} ${what}`);

const fields = {
  title: z.string().trim().min(3, 'Give the task a title of at least 3 characters').max(140, 'Keep the title under 140 characters'),
  description: z.string().trim().max(5000, 'Keep the description under 5,000 characters').default(''),
  repository: z
    .string()
    .trim()
    .max(200)
    .regex(/^$|^[\w.-]+\/[\w.-]+$/, 'Use owner/name, e.g. northwind/payments-api')
    .default(''),
  baseBranch: z.string().trim().max(200).regex(/^[\w./-]*$/, 'Letters, digits, / . - and _ only').default('main'),
  allowGlobs: globList,
  blockGlobs: globList,
  checks: lines,
  deliverables: choice(Object.keys(DELIVERABLES) as (keyof typeof DELIVERABLES)[], 'deliverable'),
  delegatedById: optionalId,
  namedApproverId: optionalId,
  agentIdentityId: optionalId,
  allowedData: choice(Object.keys(DATA_ITEMS) as (keyof typeof DATA_ITEMS)[], 'kind of data'),
  blockedItems: choice(Object.keys(BLOCK_ITEMS) as (keyof typeof BLOCK_ITEMS)[], 'blocked item'),
  blockedFreeText: z.string().trim().max(2000).default(''),
  capabilityIds: lines,
  localCommands: lines,
  budgetMaxCost: money,
  budgetMaxToolCalls: count(10_000, 'tool calls'),
  budgetMaxWallMinutes: count(24 * 60, 'minutes'),
  rollbackPlan: z.string().trim().max(5000).default(''),
  tierRaisedTo: z
    .enum([...TIERS, ''])
    .optional()
    .transform((v) => (v ? v : null)),
  tierRaiseReason: z.string().trim().max(1000).default(''),
};

/** A draft saves with little more than a title; everything else is checked on submit. */
export const SaveDraftInput = z.object({
  ...fields,
  budgetMaxCost: money.default(0),
  budgetMaxToolCalls: z.coerce.number().int().min(0).max(10_000).default(0),
  budgetMaxWallMinutes: z.coerce.number().int().min(0).max(24 * 60).default(0),
});
export type SaveDraftInput = z.infer<typeof SaveDraftInput>;

/** Submitting validates every part of the contract. Tier-dependent rules (rollback plan) are checked with the assessment. */
export const SubmitContractInput = z
  .object({
    ...fields,
    description: fields.description.refine((v) => v.length >= 20, 'Describe the task in at least 20 characters: what and why'),
    repository: fields.repository.refine((v) => v.length > 0, 'Name the repository (owner/name)'),
    allowGlobs: fields.allowGlobs.refine((v) => v.length > 0, 'List at least one path the agent may change'),
    checks: fields.checks.refine((v) => v.length > 0, 'List at least one check to run, e.g. npm test'),
    deliverables: fields.deliverables.refine((v) => v.length > 0, 'Choose at least one deliverable'),
    agentIdentityId: z.string({ message: 'Choose the agent identity that will do the work' }).min(1, 'Choose the agent identity that will do the work'),
    allowedData: fields.allowedData.refine((v) => v.length > 0, 'Choose what data the agent may see'),
  })
  .superRefine((c, ctx) => {
    if (c.tierRaisedTo && c.tierRaiseReason.length < 10) {
      ctx.addIssue({ code: 'custom', path: ['tierRaiseReason'], message: 'Say why you raise the tier (at least 10 characters)' });
    }
    for (const glob of c.allowGlobs) {
      if (c.blockGlobs.includes(glob)) ctx.addIssue({ code: 'custom', path: ['blockGlobs'], message: `"${glob}" is both allowed and blocked` });
    }
    for (const item of c.allowedData) {
      if ((c.blockedItems as string[]).includes(item)) {
        ctx.addIssue({ code: 'custom', path: ['blockedItems'], message: `${DATA_ITEMS[item].label} is both allowed and blocked: untick one of them` });
      }
    }
  });
export type SubmitContractInput = z.infer<typeof SubmitContractInput>;

export type ContractFields = SaveDraftInput;

const PAGE_SIZE_MAX = 100;

/** The contracts list's query string: shareable URLs, validated like any other input. */
export const ContractListQuery = z.object({
  mine: z.enum(['1']).optional().catch(undefined),
  status: z.enum(CONTRACT_STATUSES).optional().catch(undefined),
  tier: z.enum(TIERS).optional().catch(undefined),
  team: z.string().max(64).optional().catch(undefined),
  agent: z.string().max(64).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(['updated', 'created', 'tier', 'number']).default('updated').catch('updated'),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
  size: z.coerce.number().int().min(5).max(PAGE_SIZE_MAX).default(20).catch(20),
});
export type ContractListQuery = z.infer<typeof ContractListQuery>;
