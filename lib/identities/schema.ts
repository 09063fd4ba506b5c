import { z } from 'zod';

const reason = z.string().trim().min(10, 'Give a reason of at least 10 characters; it goes into the audit log').max(2000);
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => [...new Set((Array.isArray(v) ? v : (v ?? '').split('\n')).map((s) => s.trim()).filter(Boolean))]);

export const CreateIdentityInput = z.object({
  name: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Lowercase letters, digits and dashes, 2–63 characters (e.g. ci-fixer-bot)'),
  kind: z.enum(['LOCAL_CODING_AGENT', 'CI_AGENT', 'ENTERPRISE_ASSISTANT'], { message: 'Choose the kind of agent' }),
  description: z.string().trim().max(1000).default(''),
  ownerId: z.string().min(1, 'Choose the person accountable for this agent'),
  tools: list,
  commands: list,
});
export type CreateIdentityInput = z.infer<typeof CreateIdentityInput>;

export const IdentityStatusInput = z.object({
  identityId: z.string().min(1),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'REVOKED']),
  reason,
});

export const CreateTokenInput = z.object({
  identityId: z.string().min(1),
  name: z.string().trim().min(2, 'Name the token, e.g. "laptop of Priya" or "CI runner"').max(80),
  expiresInDays: z.coerce.number({ message: 'Enter a number of days' }).int().min(1, 'At least 1 day').max(365, 'At most 365 days'),
});

export const RevokeTokenInput = z.object({ tokenId: z.string().min(1), reason });

export const RotateTokenInput = z.object({
  tokenId: z.string().min(1),
  graceHours: z.coerce.number().int().min(0, 'Cannot be negative').max(168, 'At most 7 days (168 hours)'),
});
