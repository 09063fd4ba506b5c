'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/server/action';
import { createIdentity, createToken, revokeToken, rotateToken, setIdentityKillSwitch, setIdentityStatus, updateToolProfile } from '@/lib/identities/commands';
import { ToolProfileInput } from '@/lib/policy/schema';
import { CreateIdentityInput, CreateTokenInput, IdentityStatusInput, RevokeTokenInput, RotateTokenInput } from '@/lib/identities/schema';
import { describeCapability, importTools, registerServer, setServerKillSwitch, updateServerControls } from '@/lib/registry/commands';
import { DescribeCapabilityInput, ImportToolsInput, KillSwitchInput, RegisterServerInput, ServerControlsInput } from '@/lib/registry/schema';

const refresh = () => revalidatePath('/', 'layout');

export const createIdentityAction = defineAction(CreateIdentityInput, async (input, actor) => {
  const identity = await createIdentity(actor, input);
  refresh();
  return identity;
});
export const setIdentityStatusAction = defineAction(IdentityStatusInput, async (input, actor) => {
  const r = await setIdentityStatus(actor, input);
  refresh();
  return r;
});
export const updateToolProfileAction = defineAction(ToolProfileInput, async (input, actor) => {
  const r = await updateToolProfile(actor, input);
  refresh();
  return r;
});
export const setIdentityKillSwitchAction = defineAction(KillSwitchInput, async (input, actor) => {
  const r = await setIdentityKillSwitch(actor, input);
  refresh();
  return r;
});
/** The only place a token is ever returned: the page shows it once and never again. */
export const createTokenAction = defineAction(CreateTokenInput, async (input, actor) => {
  const t = await createToken(actor, input);
  refresh();
  return { prefix: t.prefix, token: t.token, expiresAt: t.expiresAt.toISOString() };
});
export const revokeTokenAction = defineAction(RevokeTokenInput, async (input, actor) => {
  const r = await revokeToken(actor, input);
  refresh();
  return r;
});
export const rotateTokenAction = defineAction(RotateTokenInput, async (input, actor) => {
  const t = await rotateToken(actor, input);
  refresh();
  return { prefix: t.prefix, token: t.token, expiresAt: t.expiresAt.toISOString() };
});
export const registerServerAction = defineAction(RegisterServerInput, async (input, actor) => {
  const s = await registerServer(actor, input);
  refresh();
  return s;
});
export const updateServerControlsAction = defineAction(ServerControlsInput, async (input, actor) => {
  const r = await updateServerControls(actor, input);
  refresh();
  return r;
});
export const importToolsAction = defineAction(ImportToolsInput, async (input, actor) => {
  const r = await importTools(actor, input);
  refresh();
  return r;
});
export const describeCapabilityAction = defineAction(DescribeCapabilityInput, async (input, actor) => {
  const r = await describeCapability(actor, input);
  refresh();
  return r;
});
export const setServerKillSwitchAction = defineAction(KillSwitchInput, async (input, actor) => {
  const r = await setServerKillSwitch(actor, input);
  refresh();
  return r;
});
