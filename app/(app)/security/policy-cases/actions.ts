'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/server/action';
import { createCaseFromRun, createPolicyCase, setCaseActive } from '@/lib/policy/commands';
import { CaseActiveInput, CaseFromRunInput, PolicyCaseInput, PolicyChangeInput } from '@/lib/policy/schema';
import { simulatePolicyChange } from '@/lib/policy/simulation';

export const simulatePolicyChangeAction = defineAction(PolicyChangeInput, (input, actor) => simulatePolicyChange(actor, input));

export const createPolicyCaseAction = defineAction(PolicyCaseInput, async (input, actor) => {
  const row = await createPolicyCase(actor, input);
  revalidatePath('/security/policy-cases');
  return row;
});

export const createCaseFromRunAction = defineAction(CaseFromRunInput, async (input, actor) => {
  const row = await createCaseFromRun(actor, input);
  revalidatePath('/security/policy-cases');
  return row;
});

export const setCaseActiveAction = defineAction(CaseActiveInput, async (input, actor) => {
  const row = await setCaseActive(actor, input);
  revalidatePath('/security/policy-cases');
  return row;
});
