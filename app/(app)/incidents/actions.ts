'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/server/action';
import { containIncident, liftFreeze, openIncident, resolveIncident, reviewIncident } from '@/lib/incidents/commands';
import { ContainInput, LiftFreezeInput, OpenIncidentInput, ResolveInput, ReviewInput } from '@/lib/incidents/schema';

const refresh = () => revalidatePath('/', 'layout');

export const openIncidentAction = defineAction(OpenIncidentInput, async (input, actor) => {
  const row = await openIncident(actor, input);
  refresh();
  return row;
});
export const containIncidentAction = defineAction(ContainInput, async (input, actor) => {
  const row = await containIncident(actor, input);
  refresh();
  return row;
});
export const liftFreezeAction = defineAction(LiftFreezeInput, async (input, actor) => {
  const row = await liftFreeze(actor, input);
  refresh();
  return row;
});
export const resolveIncidentAction = defineAction(ResolveInput, async (input, actor) => {
  const row = await resolveIncident(actor, input);
  refresh();
  return row;
});
export const reviewIncidentAction = defineAction(ReviewInput, async (input, actor) => {
  const row = await reviewIncident(actor, input);
  refresh();
  return row;
});
