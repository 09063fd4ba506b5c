'use server';
import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/server/action';
import { abortRun } from '@/lib/runs/commands';
import { AbortRunInput } from '@/lib/runs/schema';

export const abortRunAction = defineAction(AbortRunInput, async (input, actor) => {
  const result = await abortRun(actor, input);
  revalidatePath(`/runs/${input.runId}`);
  return { status: result.run.status };
});
