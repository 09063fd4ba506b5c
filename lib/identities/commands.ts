import { db, type Tx } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';
import { recordKillOnRunningRuns } from '@/lib/runs/kill';
import { Prisma } from '@/lib/generated/prisma/client';
import type { z } from 'zod';
import { newAgentToken } from './tokens';
import { guardPolicyChange, recordOverride } from '@/lib/policy/simulation';
import type { ToolProfileInput } from '@/lib/policy/schema';
import type { CreateIdentityInput, CreateTokenInput, IdentityStatusInput, RevokeTokenInput, RotateTokenInput } from './schema';
import type { KillSwitchInput } from '@/lib/registry/schema';

const HOUR = 3600_000;

export async function createIdentity(actor: Actor, input: CreateIdentityInput) {
  assertCan(actor, 'identity:manage');
  try {
    return await db.$transaction(async (tx) => {
      const owner = await tx.user.findFirst({ where: { id: input.ownerId, active: true }, select: { teamId: true } });
      if (!owner) throw new AppError('VALIDATION', 'Some fields need your attention.', { ownerId: ['Choose an active person'] });
      const identity = await tx.agentIdentity.create({
        data: { name: input.name, kind: input.kind, description: input.description, ownerId: input.ownerId, teamId: owner.teamId, toolProfile: { tools: input.tools, commands: input.commands } },
        select: { id: true, name: true },
      });
      await tx.auditEvent.create({ data: { actorId: actor.id, action: 'identity.created', targetType: 'AgentIdentity', targetId: identity.id, after: { ...input } } });
      return identity;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('VALIDATION', 'Some fields need your attention.', { name: ['An agent identity with this name exists already'] });
    }
    throw error;
  }
}

export async function setIdentityStatus(actor: Actor, input: z.infer<typeof IdentityStatusInput>) {
  assertCan(actor, 'identity:manage');
  return db.$transaction(async (tx) => {
    await changeIdentityStatus(tx, actor, input);
    return { identityId: input.identityId };
  });
}

/** The status change inside the caller's transaction (an incident's containment uses it too); returns the audit event id. */
export async function changeIdentityStatus(tx: Tx, actor: Actor, input: z.infer<typeof IdentityStatusInput>): Promise<bigint> {
  assertCan(actor, 'identity:manage');
  const before = await tx.agentIdentity.findUnique({ where: { id: input.identityId }, select: { status: true, name: true } });
  if (!before) throw new AppError('NOT_FOUND', 'That agent identity does not exist.');
  if (before.status === 'REVOKED') throw new AppError('CONFLICT', `${before.name} is revoked for good; create a new identity instead.`);
  if (before.status === input.status) throw new AppError('CONFLICT', `${before.name} is already ${input.status.toLowerCase()}.`);
  await tx.agentIdentity.update({ where: { id: input.identityId }, data: { status: input.status, statusReason: input.reason } });
  const audit = await tx.auditEvent.create({
    data: { actorId: actor.id, action: 'identity.status-changed', targetType: 'AgentIdentity', targetId: input.identityId, before: { status: before.status }, after: { status: input.status, reason: input.reason } },
    select: { id: true },
  });
  return audit.id;
}

/** Revokes every live token of an identity at once (no new runs can start); returns the audit event id. */
export async function revokeAllTokens(tx: Tx, actor: Actor, identityId: string, reason: string): Promise<{ auditId: bigint; count: number }> {
  assertCan(actor, 'identity:manage');
  const live = await tx.agentToken.findMany({ where: { identityId, revokedAt: null, expiresAt: { gt: new Date() } }, select: { id: true, prefix: true } });
  if (!live.length) throw new AppError('CONFLICT', 'This identity has no live token to revoke.');
  await tx.agentToken.updateMany({ where: { id: { in: live.map((t) => t.id) } }, data: { revokedAt: new Date(), revokedReason: reason } });
  const audit = await tx.auditEvent.create({
    data: { actorId: actor.id, action: 'identity.tokens-revoked', targetType: 'AgentIdentity', targetId: identityId, after: { reason, tokens: live.map((t) => t.prefix) } },
    select: { id: true },
  });
  return { auditId: audit.id, count: live.length };
}

/** Changes the tools and commands an identity's agent may use; guarded by the policy cases like every policy change. */
export async function updateToolProfile(actor: Actor, input: ToolProfileInput) {
  assertCan(actor, 'identity:manage');
  return db.$transaction(async (tx) => {
    const before = await tx.agentIdentity.findUnique({ where: { id: input.identityId }, select: { toolProfile: true } });
    if (!before) throw new AppError('NOT_FOUND', 'That agent identity does not exist.');
    const impact = await guardPolicyChange(tx, { kind: 'tool-profile', profile: input }, input.overrideReason);
    const after = { tools: input.tools, commands: input.commands };
    await tx.agentIdentity.update({ where: { id: input.identityId }, data: { toolProfile: after } });
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'identity.tool-profile-changed', targetType: 'AgentIdentity', targetId: input.identityId, before: before.toolProfile as Prisma.InputJsonObject, after } });
    await recordOverride(tx, actor, impact, input.overrideReason, { type: 'AgentIdentity', id: input.identityId });
    return { identityId: input.identityId };
  });
}

/** Kill switch on an identity: takes effect on the next API call; the reason is required both ways. */
export async function setIdentityKillSwitch(actor: Actor, input: z.infer<typeof KillSwitchInput>) {
  assertCan(actor, 'registry:kill');
  return db.$transaction(async (tx) => {
    const changed = await tx.agentIdentity.updateMany({
      where: { id: input.id, killedAt: input.on ? null : { not: null } },
      data: input.on ? { killedAt: new Date(), killReason: input.reason } : { killedAt: null, killReason: null },
    });
    if (!changed.count) throw new AppError('CONFLICT', input.on ? 'The kill switch is already on.' : 'The kill switch is already off.');
    await tx.auditEvent.create({ data: { actorId: actor.id, action: input.on ? 'identity.killed' : 'identity.kill-lifted', targetType: 'AgentIdentity', targetId: input.id, after: { reason: input.reason } } });
    if (input.on) {
      const identity = await tx.agentIdentity.findUniqueOrThrow({ where: { id: input.id }, select: { name: true } });
      await recordKillOnRunningRuns(tx, { identityId: input.id }, identity.name, input.reason, actor.name);
    }
    return { id: input.id };
  });
}

/** Creates a token and returns it once; only its hash and prefix are kept. */
export async function createToken(actor: Actor, input: z.infer<typeof CreateTokenInput>) {
  assertCan(actor, 'identity:manage');
  return db.$transaction((tx) => insertToken(tx, actor, input, null));
}

async function insertToken(tx: Tx, actor: Actor, input: z.infer<typeof CreateTokenInput>, rotatedFromId: string | null) {
  const identity = await tx.agentIdentity.findUnique({ where: { id: input.identityId }, select: { status: true, name: true } });
  if (!identity) throw new AppError('NOT_FOUND', 'That agent identity does not exist.');
  if (identity.status === 'REVOKED') throw new AppError('CONFLICT', `${identity.name} is revoked; it cannot get new tokens.`);
  const { token, prefix, hash } = newAgentToken();
  const row = await tx.agentToken.create({
    data: { identityId: input.identityId, name: input.name, prefix, tokenHash: hash, createdById: actor.id, expiresAt: new Date(Date.now() + input.expiresInDays * 24 * HOUR), rotatedFromId },
    select: { id: true, prefix: true, expiresAt: true },
  });
  await tx.auditEvent.create({ data: { actorId: actor.id, action: 'token.created', targetType: 'AgentToken', targetId: row.id, after: { identity: identity.name, prefix, name: input.name, expiresAt: row.expiresAt } } });
  return { ...row, token };
}

export async function revokeToken(actor: Actor, input: z.infer<typeof RevokeTokenInput>) {
  assertCan(actor, 'identity:manage');
  return db.$transaction(async (tx) => {
    const changed = await tx.agentToken.updateMany({ where: { id: input.tokenId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: input.reason } });
    if (!changed.count) throw new AppError('CONFLICT', 'That token is already revoked or does not exist.');
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'token.revoked', targetType: 'AgentToken', targetId: input.tokenId, after: { reason: input.reason } } });
    return { tokenId: input.tokenId };
  });
}

/** A new token that replaces an old one; the old keeps working for the chosen grace period, then dies. */
export async function rotateToken(actor: Actor, input: z.infer<typeof RotateTokenInput>) {
  assertCan(actor, 'identity:manage');
  return db.$transaction(async (tx) => {
    const old = await tx.agentToken.findUnique({ where: { id: input.tokenId }, select: { id: true, identityId: true, name: true, revokedAt: true, expiresAt: true, rotatedTo: { select: { id: true } } } });
    if (!old || old.revokedAt) throw new AppError('CONFLICT', 'Only a live token can be rotated.');
    if (old.rotatedTo) throw new AppError('CONFLICT', 'This token was rotated already.');
    const days = Math.round((old.expiresAt.getTime() - Date.now()) / (24 * HOUR));
    const fresh = await insertToken(tx, actor, { identityId: old.identityId, name: old.name, expiresInDays: Math.min(365, Math.max(days, 30)) }, old.id);
    await tx.agentToken.update({ where: { id: old.id }, data: { graceEndsAt: new Date(Date.now() + input.graceHours * HOUR) } });
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'token.rotated', targetType: 'AgentToken', targetId: old.id, after: { replacedBy: fresh.prefix, graceHours: input.graceHours } } });
    return fresh;
  });
}
