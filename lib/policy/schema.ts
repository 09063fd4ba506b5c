import { z } from 'zod';
import { EXPECTED_VERDICTS } from '@/lib/domain/policy-case';
import { DATA_ITEMS } from '@/lib/domain/risk';
import { DescribeCapabilityInput, overrideReason, SensitiveAreaInput } from '@/lib/registry/schema';
import { parseActionLines } from './actions';

const DATA_KEYS = Object.keys(DATA_ITEMS) as [keyof typeof DATA_ITEMS, ...(keyof typeof DATA_ITEMS)[]];
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => [...new Set((Array.isArray(v) ? v : (v ?? '').split('\n')).map((s) => s.trim()).filter(Boolean))]);

const caseFields = {
  name: z.string().trim().min(3, 'Name the case (at least 3 characters), e.g. "Agents never edit the session helper"').max(120, 'At most 120 characters'),
  note: z.string().trim().max(2000, 'At most 2000 characters').default(''),
  expected: z.enum(EXPECTED_VERDICTS, { message: 'Choose what the policy must do: deny, or ask a person' }),
};

/** A case written by hand: actions one per line (lib/policy/actions), the agent identity and the data it may see. */
export const PolicyCaseInput = z.object({
  ...caseFields,
  actions: z
    .string()
    .max(50_000, 'At most 50,000 characters')
    .transform((text, ctx) => {
      const parsed = parseActionLines(text);
      for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
      if (!parsed.problems.length && !parsed.actions.length) ctx.addIssue({ code: 'custom', message: 'Write at least one action, e.g. write src/billing/ledger.ts' });
      if (parsed.actions.length > 200) ctx.addIssue({ code: 'custom', message: 'At most 200 actions in one case' });
      return parsed.actions;
    }),
  identityId: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => v || null),
  allowedData: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(DATA_KEYS, { message: 'Unknown kind of data' })).max(DATA_KEYS.length)),
});
export type PolicyCaseInput = z.infer<typeof PolicyCaseInput>;

/** A case saved from a run: the chosen receipts (by sequence number) become the actions. */
export const CaseFromRunInput = z.object({
  ...caseFields,
  runId: z.string().min(1).max(64),
  seqs: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.coerce.number().int().min(1).max(2_147_483_647)).min(1, 'Choose at least one receipt').max(200, 'At most 200 receipts in one case'),
  ),
});
export type CaseFromRunInput = z.infer<typeof CaseFromRunInput>;

/** Retiring a case takes it out of the guard, so it takes a written reason, as an override does. */
export const CaseActiveInput = z
  .object({ caseId: z.string().min(1).max(64), active: z.boolean(), reason: z.string().trim().max(2000).default('') })
  .superRefine((v, ctx) => {
    if (!v.active && v.reason.length < 20) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why this case should stop guarding policy (at least 20 characters); it goes into the audit log' });
  });

/** An identity's tool profile: the non-file tools and commands its agent may use. */
export const ToolProfileInput = z.object({
  identityId: z.string().min(1).max(64),
  tools: list,
  commands: list,
  overrideReason,
});
export type ToolProfileInput = z.infer<typeof ToolProfileInput>;

/** A change to simulate before it is saved: the same inputs the save actions take. */
export const PolicyChangeInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sensitive-area'), areaId: z.string().min(1).max(64).nullable(), area: SensitiveAreaInput }),
  z.object({ kind: z.literal('capability'), capability: DescribeCapabilityInput }),
  z.object({ kind: z.literal('tool-profile'), profile: ToolProfileInput }),
]);
export type PolicyChangeInput = z.infer<typeof PolicyChangeInput>;
