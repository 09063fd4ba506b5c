import { z } from 'zod';
import { db } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';

export const EndSessionsInput = z.object({ userId: z.string().trim().min(1).max(64) });

/** An admin ends every session of a person at once (a lost laptop, someone leaving): they must sign in again. */
export async function endPersonSessions(actor: Actor, input: z.infer<typeof EndSessionsInput>) {
  assertCan(actor, 'user:manage');
  return db.$transaction(async (tx) => {
    const ended = await tx.user.updateMany({ where: { id: input.userId }, data: { sessionsValidFrom: new Date() } });
    if (!ended.count) throw new AppError('NOT_FOUND', 'That person does not exist.');
    await tx.auditEvent.create({ data: { actorId: actor.id, action: 'auth.sessions-ended', targetType: 'User', targetId: input.userId, after: { by: 'admin' } } });
    return { userId: input.userId };
  });
}
