'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/server/action';
import { saveDraft, submitContract } from '@/lib/contracts/commands';
import { SaveDraftInput, SubmitContractInput } from '@/lib/contracts/schema';

const ContractId = z.string().min(1).max(64).nullable();

function contractIdOf(value: unknown): string | null {
  const parsed = ContractId.safeParse(value ?? null);
  return parsed.success ? parsed.data : null;
}

export const saveDraftAction = defineAction(SaveDraftInput, async (input, actor, contractId: string | null) => {
  const saved = await saveDraft(actor, input, contractIdOf(contractId));
  revalidatePath('/contracts');
  return saved;
});

export const submitContractAction = defineAction(SubmitContractInput, async (input, actor, contractId: string | null) => {
  const submitted = await submitContract(actor, input, contractIdOf(contractId));
  revalidatePath('/contracts');
  revalidatePath(`/contracts/${submitted.id}`);
  return submitted;
});
