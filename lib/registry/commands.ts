import { db, type Tx } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';
import { recordKillOnRunningRuns } from '@/lib/runs/kill';
import { Prisma } from '@/lib/generated/prisma/client';
import type { z } from 'zod';
import { capabilityPolicyProblem, missingServerControls } from '@/lib/domain/agent-access';
import { parseToolsList } from './import-tools';
import { guardPolicyChange, recordOverride } from '@/lib/policy/simulation';
import type { DescribeCapabilityInput, ImportToolsInput, KillSwitchInput, RegisterServerInput, SensitiveAreaInput, ServerControlsInput } from './schema';

const AREA_FIELDS = { id: true, name: true, category: true, pattern: true, tier: true, description: true, enabled: true } as const;

function duplicatePattern(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * Creates or changes a sensitive area; the classifier reads it on the next submit. The policy guard
 * runs first (a change that lets a policy case through is refused without a written override).
 * Audited with before/after.
 */
export async function saveSensitiveArea(actor: Actor, input: SensitiveAreaInput, areaId: string | null) {
  assertCan(actor, 'area:manage');
  const { overrideReason, ...fields } = input;
  try {
    return await db.$transaction(async (tx) => {
      if (areaId && !(await tx.sensitiveArea.findUnique({ where: { id: areaId }, select: { id: true } }))) {
        throw new AppError('NOT_FOUND', 'That sensitive area no longer exists.');
      }
      const impact = await guardPolicyChange(tx, { kind: 'sensitive-area', areaId, area: input }, overrideReason);
      if (areaId) {
        const before = await tx.sensitiveArea.findUniqueOrThrow({ where: { id: areaId }, select: AREA_FIELDS });
        const after = await tx.sensitiveArea.update({ where: { id: areaId }, data: fields, select: AREA_FIELDS });
        await tx.auditEvent.create({ data: { actorId: actor.id, action: 'sensitive-area.updated', targetType: 'SensitiveArea', targetId: areaId, before, after } });
        await recordOverride(tx, actor, impact, overrideReason, { type: 'SensitiveArea', id: areaId });
        return after;
      }
      const created = await tx.sensitiveArea.create({ data: { ...fields, ownerId: actor.id }, select: AREA_FIELDS });
      await tx.auditEvent.create({ data: { actorId: actor.id, action: 'sensitive-area.created', targetType: 'SensitiveArea', targetId: created.id, after: created } });
      await recordOverride(tx, actor, impact, overrideReason, { type: 'SensitiveArea', id: created.id });
      return created;
    });
  } catch (error) {
    if (duplicatePattern(error)) throw new AppError('VALIDATION', 'Some fields need your attention.', { pattern: ['Another area already uses this exact pattern'] });
    throw error;
  }
}

// ───────────── MCP servers and capabilities ─────────────

/** Registers a server; its tools arrive by import and start blocked. */
export async function registerServer(actor: Actor, input: RegisterServerInput) {
  assertCan(actor, 'registry:manage');
  try {
    return await db.$transaction(async (tx) => {
      const owner = await tx.user.findFirst({ where: { id: input.ownerId, active: true }, select: { teamId: true } });
      if (!owner) throw new AppError('VALIDATION', 'Some fields need your attention.', { ownerId: ['Choose an active person'] });
      const server = await tx.mcpServer.create({ data: { ...input, teamId: owner.teamId }, select: { id: true, slug: true } });
      await tx.auditEvent.create({ data: { actorId: actor.id, action: 'mcp-server.registered', targetType: 'McpServer', targetId: server.id, after: input } });
      return server;
    });
  } catch (error) {
    if (duplicatePattern(error)) throw new AppError('VALIDATION', 'Some fields need your attention.', { slug: ['Another server already uses this slug'] });
    throw error;
  }
}

/** Records which controls a server has. Losing one puts every capability above "blocked" back to blocked. */
export async function updateServerControls(actor: Actor, input: z.infer<typeof ServerControlsInput>) {
  assertCan(actor, 'registry:manage');
  return db.$transaction(async (tx) => {
    const before = await tx.mcpServer.findUnique({ where: { id: input.serverId }, select: { hasLogging: true, hasOwnerReview: true, hasKillSwitch: true } });
    if (!before) throw new AppError('NOT_FOUND', 'That server does not exist.');
    const { serverId, ...controls } = input;
    await tx.mcpServer.update({ where: { id: serverId }, data: controls });
    const reblocked = missingServerControls(controls).length
      ? (await tx.mcpCapability.updateMany({ where: { serverId, policy: { not: 'BLOCKED' } }, data: { policy: 'BLOCKED' } })).count
      : 0;
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'mcp-server.controls-changed', targetType: 'McpServer', targetId: serverId, before, after: { ...controls, capabilitiesReblocked: reblocked } } });
    return { serverId, reblocked };
  });
}

/** Imports a tools/list answer: all tools or none. New tools start blocked; known ones keep their policy. */
export async function importTools(actor: Actor, input: z.infer<typeof ImportToolsInput>) {
  assertCan(actor, 'registry:manage');
  const parsed = parseToolsList(input.json);
  if (!parsed.ok) throw new AppError('VALIDATION', 'Nothing was imported.', { json: parsed.problems });
  return db.$transaction(async (tx) => {
    const server = await tx.mcpServer.findUnique({ where: { id: input.serverId }, select: { id: true, capabilities: { select: { toolName: true } } } });
    if (!server) throw new AppError('NOT_FOUND', 'That server does not exist.');
    const known = new Set(server.capabilities.map((c) => c.toolName));
    const added = parsed.tools.filter((t) => !known.has(t.name));
    const updated = parsed.tools.filter((t) => known.has(t.name));
    if (added.length) {
      await tx.mcpCapability.createMany({
        data: added.map((t) => ({ serverId: server.id, toolName: t.name, toolDescription: t.description, inputSchema: t.inputSchema as Prisma.InputJsonObject, policy: 'BLOCKED' as const })),
      });
    }
    for (const t of updated) {
      await tx.mcpCapability.update({ where: { serverId_toolName: { serverId: server.id, toolName: t.name } }, data: { toolDescription: t.description, inputSchema: t.inputSchema as Prisma.InputJsonObject } });
    }
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'mcp-server.tools-imported', targetType: 'McpServer', targetId: server.id, after: { added: added.map((t) => t.name), updated: updated.map((t) => t.name) } } });
    return { added: added.length, updated: updated.length };
  });
}

/** Describes what a tool really grants and sets its policy, within the rules of lib/domain/agent-access. */
export async function describeCapability(actor: Actor, input: z.infer<typeof DescribeCapabilityInput>) {
  assertCan(actor, 'registry:manage');
  return db.$transaction(async (tx) => {
    const before = await tx.mcpCapability.findUnique({
      where: { id: input.capabilityId },
      select: { businessCapability: true, dataClass: true, access: true, policy: true, server: { select: { hasLogging: true, hasOwnerReview: true, hasKillSwitch: true } } },
    });
    if (!before) throw new AppError('NOT_FOUND', 'That capability does not exist.');
    const problem = capabilityPolicyProblem(input.policy, input, before.server);
    if (problem) throw new AppError('VALIDATION', 'Some fields need your attention.', { policy: [problem] });
    const impact = await guardPolicyChange(tx, { kind: 'capability', capability: input }, input.overrideReason);
    const { capabilityId, overrideReason, ...data } = input;
    await tx.mcpCapability.update({ where: { id: capabilityId }, data });
    const old = { businessCapability: before.businessCapability, dataClass: before.dataClass, access: before.access, policy: before.policy };
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'mcp-capability.described', targetType: 'McpCapability', targetId: capabilityId, before: old, after: data } });
    await recordOverride(tx, actor, impact, overrideReason, { type: 'McpCapability', id: capabilityId });
    return { capabilityId };
  });
}

/** Kill switch on a server: boundary checks and new runs refuse its tools at once. */
export async function setServerKillSwitch(actor: Actor, input: z.infer<typeof KillSwitchInput>) {
  assertCan(actor, 'registry:kill');
  return db.$transaction(async (tx) => {
    await switchServerKill(tx, actor, input);
    return { id: input.id };
  });
}

/** The kill switch inside the caller's transaction (an incident's containment uses it too); returns the audit event id. */
export async function switchServerKill(tx: Tx, actor: Actor, input: z.infer<typeof KillSwitchInput>): Promise<bigint> {
  assertCan(actor, 'registry:kill');
  const changed = await tx.mcpServer.updateMany({
    where: { id: input.id, killedAt: input.on ? null : { not: null } },
    data: input.on ? { killedAt: new Date(), killReason: input.reason } : { killedAt: null, killReason: null },
  });
  if (!changed.count) throw new AppError('CONFLICT', input.on ? 'The kill switch is already on.' : 'The kill switch is already off.');
  const audit = await tx.auditEvent.create({ data: { actorId: actor.id, action: input.on ? 'mcp-server.killed' : 'mcp-server.kill-lifted', targetType: 'McpServer', targetId: input.id, after: { reason: input.reason } }, select: { id: true } });
  if (input.on) {
    const server = await tx.mcpServer.findUniqueOrThrow({ where: { id: input.id }, select: { slug: true } });
    await recordKillOnRunningRuns(tx, { serverId: input.id }, server.slug, input.reason, actor.name);
  }
  return audit.id;
}
