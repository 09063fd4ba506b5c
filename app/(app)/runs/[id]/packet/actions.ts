'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/server/action';
import { closeOut, saveRollbackNote } from '@/lib/packets/commands';
import { CloseOutInput, RollbackNoteInput } from '@/lib/packets/schema';

/** The run whose packet page to refresh: an argument from the client, so checked like any input. */
const RunId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).nullable().catch(null);

export const saveRollbackNoteAction = defineAction(RollbackNoteInput, async (input, actor, runId: string) => {
  const note = await saveRollbackNote(actor, input);
  const id = RunId.parse(runId);
  // The note is saved by now: refreshing the page must not fail on a malformed run id.
  if (id) revalidatePath(`/runs/${id}/packet`);
  else revalidatePath('/runs/[id]/packet', 'page');
  return note;
});

export const closeOutAction = defineAction(CloseOutInput, async (input, actor) => {
  const packet = await closeOut(actor, input);
  revalidatePath(`/runs/${input.runId}/packet`);
  revalidatePath(`/runs/${input.runId}`);
  return packet;
});
