import { z } from 'zod';

/** A person's decision on one MCP call the gateway held (the form on the run page and its server action). */
export const DecideCallInput = z
  .object({
    approvalId: z.string().min(1),
    decision: z.enum(['approve', 'deny'], { message: 'Choose approve or deny' }),
    note: z.string().trim().max(1000, 'Keep the note under 1000 characters').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'deny' && v.note.length < 5) ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say why the call is denied (at least 5 characters); the agent is told' });
  });
export type DecideCallInput = z.infer<typeof DecideCallInput>;
