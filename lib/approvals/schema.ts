import { z } from 'zod';

const reason = z.string().trim().min(10, 'Write the reason in at least 10 characters: it is the record of why a human trusted this').max(4000);

export const DecideApprovalInput = z.object({
  requestId: z.string().min(1).max(64),
  outcome: z.enum(['APPROVE', 'REQUEST_CHANGES', 'REJECT'], { message: 'Choose approve, request changes or reject' }),
  reason,
});
export type DecideApprovalInput = z.infer<typeof DecideApprovalInput>;

export const RequestExceptionInput = z.object({
  contractId: z.string().min(1).max(64),
  what: z.string().trim().min(10, 'Say exactly what the exception allows (at least 10 characters)').max(1000),
  why: z.string().trim().min(10, 'Say why it is needed (at least 10 characters)').max(2000),
  compensatingControls: z.string().trim().min(10, 'Describe the compensating controls (at least 10 characters)').max(2000),
  days: z.coerce.number({ message: 'Enter a number of days' }).int('Whole days').min(1, 'At least 1 day').max(30, 'At most 30 days'),
});
export type RequestExceptionInput = z.infer<typeof RequestExceptionInput>;

export const DecideExceptionInput = z.object({
  exceptionId: z.string().min(1).max(64),
  outcome: z.enum(['GRANT', 'REFUSE'], { message: 'Choose grant or refuse' }),
  reason,
});
export type DecideExceptionInput = z.infer<typeof DecideExceptionInput>;
