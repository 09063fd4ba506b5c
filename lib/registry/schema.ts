import { z } from 'zod';
import { globProblem } from '@/lib/domain/globs';
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
});
export type SensitiveAreaInput = z.infer<typeof SensitiveAreaInput>;
