import { db } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import type { SensitiveAreaInput } from './schema';

const AREA_FIELDS = { id: true, name: true, category: true, pattern: true, tier: true, description: true, enabled: true } as const;

function duplicatePattern(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Creates or changes a sensitive area; the classifier reads it on the next submit. Audited with before/after. */
export async function saveSensitiveArea(actor: Actor, input: SensitiveAreaInput, areaId: string | null) {
  assertCan(actor, 'area:manage');
  try {
    return await db.$transaction(async (tx) => {
      if (areaId) {
        const before = await tx.sensitiveArea.findUnique({ where: { id: areaId }, select: AREA_FIELDS });
        if (!before) throw new AppError('NOT_FOUND', 'That sensitive area no longer exists.');
        const after = await tx.sensitiveArea.update({ where: { id: areaId }, data: input, select: AREA_FIELDS });
        await tx.auditEvent.create({ data: { actorId: actor.id, action: 'sensitive-area.updated', targetType: 'SensitiveArea', targetId: areaId, before, after } });
        return after;
      }
      const created = await tx.sensitiveArea.create({ data: { ...input, ownerId: actor.id }, select: AREA_FIELDS });
      await tx.auditEvent.create({ data: { actorId: actor.id, action: 'sensitive-area.created', targetType: 'SensitiveArea', targetId: created.id, after: created } });
      return created;
    });
  } catch (error) {
    if (duplicatePattern(error)) throw new AppError('VALIDATION', 'Some fields need your attention.', { pattern: ['Another area already uses this exact pattern'] });
    throw error;
  }
}
