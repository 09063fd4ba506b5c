'use server';
import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/server/action';
import { abortRun } from '@/lib/runs/commands';
import { AbortRunInput } from '@/lib/runs/schema';
import { decideCall } from '@/lib/gateway/approvals';
import { DecideCallInput } from '@/lib/gateway/schema';

export const abortRunAction = defineAction(AbortRunInput, async (input, actor) => {
  const result = await abortRun(actor, input);
  revalidatePath(`/runs/${input.runId}`);
  return { status: result.run.status };
});

export const decideCallAction = defineAction(DecideCallInput, async (input, actor) => {
  const result = await decideCall(actor, input);
  revalidatePath('/runs/[id]', 'page');
  return result;
});
