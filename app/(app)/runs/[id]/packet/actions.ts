'use server';
import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/server/action';
import { closeOut, saveRollbackNote } from '@/lib/packets/commands';
import { CloseOutInput, RollbackNoteInput } from '@/lib/packets/schema';

export const saveRollbackNoteAction = defineAction(RollbackNoteInput, async (input, actor, runId: string) => {
  const note = await saveRollbackNote(actor, input);
  revalidatePath(`/runs/${runId}/packet`);
  return note;
});

export const closeOutAction = defineAction(CloseOutInput, async (input, actor) => {
  const packet = await closeOut(actor, input);
  revalidatePath(`/runs/${input.runId}/packet`);
  revalidatePath(`/runs/${input.runId}`);
  return packet;
});
