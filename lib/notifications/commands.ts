import { db, type Tx } from '@/lib/db';
import type { Role } from '@/lib/generated/prisma/enums';
import type { Actor } from '@/lib/auth/session';

/** Marks the person's own notifications read; the where clause is the authorization. */
export async function markAllRead(actor: Actor) {
  const { count } = await db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: new Date() } });
  return { marked: count };
}

export type Note = { kind: string; title: string; body?: string; href?: string };

/** Tells every active person holding `role` (but those in `except`), inside the caller's transaction. */
export async function notifyRole(tx: Tx, role: Role, note: Note, except: string[] = []) {
  const people = await tx.user.findMany({ where: { active: true, roles: { has: role }, id: { notIn: except } }, select: { id: true } });
  if (people.length) await tx.notification.createMany({ data: people.map((p) => ({ userId: p.id, ...note })) });
}
