'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/server/action';
import { decideApproval, decideException, requestException } from '@/lib/approvals/commands';
import { DecideApprovalInput, DecideExceptionInput, RequestExceptionInput } from '@/lib/approvals/schema';

export const decideApprovalAction = defineAction(DecideApprovalInput, async (input, actor) => {
  const result = await decideApproval(actor, input);
  revalidatePath(`/contracts/${result.contractId}`);
  revalidatePath('/approvals');
  return result;
});

export const requestExceptionAction = defineAction(RequestExceptionInput, async (input, actor) => {
  const result = await requestException(actor, input);
  revalidatePath(`/contracts/${result.contractId}`);
  return result;
});

export const decideExceptionAction = defineAction(DecideExceptionInput, async (input, actor) => {
  const result = await decideException(actor, input);
  revalidatePath(`/contracts/${result.contractId}`);
  return result;
});
