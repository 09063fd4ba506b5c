'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/server/action';
import { saveSensitiveArea } from '@/lib/registry/commands';
import { SensitiveAreaInput } from '@/lib/registry/schema';

const AreaId = z.string().min(1).max(64).nullable().catch(null);

export const saveSensitiveAreaAction = defineAction(SensitiveAreaInput, async (input, actor, areaId: string | null) => {
  const area = await saveSensitiveArea(actor, input, AreaId.parse(areaId));
  revalidatePath('/security/sensitive-areas');
  return area;
});
