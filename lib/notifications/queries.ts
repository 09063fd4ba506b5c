import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';

export function unreadCount(actor: Actor) {
  return db.notification.count({ where: { userId: actor.id, readAt: null } });
}

export function listNotifications(actor: Actor) {
  return db.notification.findMany({
    where: { userId: actor.id },
    select: { id: true, kind: true, title: true, body: true, href: true, readAt: true, createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: 100,
  });
}
