import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';

/** Marks the person's own notifications read; the where clause is the authorization. */
export async function markAllRead(actor: Actor) {
  const { count } = await db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: new Date() } });
  return { marked: count };
}
