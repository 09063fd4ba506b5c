'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/server/action';
import { endPersonSessions, EndSessionsInput } from '@/lib/people/sessions';

export const endSessionsAction = defineAction(EndSessionsInput, async (input, actor) => {
  const result = await endPersonSessions(actor, input);
  revalidatePath('/admin/people');
  return result;
});
