'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/server/action';
import { markAllRead } from '@/lib/notifications/commands';

export const markAllReadAction = defineAction(z.object({}), async (_input, actor) => {
  const result = await markAllRead(actor);
  revalidatePath('/', 'layout');
  return result;
});
