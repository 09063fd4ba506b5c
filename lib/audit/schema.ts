import { z } from 'zod';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/** The audit log's filters, from the query string (page and CSV export share them). */
export const AuditQuery = z.object({
  action: z.string().trim().max(100).optional().catch(undefined),
  actor: z.string().trim().max(200).optional().catch(undefined),
  target: z.string().trim().max(100).optional().catch(undefined),
  from: date,
  to: date,
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
