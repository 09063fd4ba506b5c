import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { AuditQuery } from './schema';

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_MAX = 50_000;

function auditWhere(q: AuditQuery): Prisma.AuditEventWhereInput {
  return {
    ...(q.action ? { action: { contains: q.action, mode: 'insensitive' } } : {}),
    ...(q.target ? { OR: [{ targetType: { equals: q.target, mode: 'insensitive' } }, { targetId: q.target }] } : {}),
    ...(q.actor
      ? { OR: [{ actor: { name: { contains: q.actor, mode: 'insensitive' } } }, { actor: { email: { contains: q.actor, mode: 'insensitive' } } }, { actorAgent: { contains: q.actor, mode: 'insensitive' } }] }
      : {}),
    ...(q.from || q.to
      ? { createdAt: { ...(q.from ? { gte: new Date(`${q.from}T00:00:00Z`) } : {}), ...(q.to ? { lt: new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000) } : {}) } }
      : {}),
  };
}

const SELECT = {
  id: true,
  action: true,
  targetType: true,
  targetId: true,
  actorAgent: true,
  before: true,
  after: true,
  createdAt: true,
  actor: { select: { name: true, email: true } },
} as const;

export async function searchAudit(q: AuditQuery) {
  const where = auditWhere(q);
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({ where, select: SELECT, orderBy: { id: 'desc' }, skip: (q.page - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE }),
    db.auditEvent.count({ where }),
  ]);
  return { rows: rows.map((r) => ({ ...r, id: r.id.toString() })), total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

/** Rows for the CSV export, newest first, in batches so that a large export does not load everything at once. */
export async function* auditRowsForExport(q: AuditQuery, batch = 2_000) {
  const where = auditWhere(q);
  let cursor: bigint | undefined;
  let sent = 0;
  while (sent < AUDIT_EXPORT_MAX) {
    const rows = await db.auditEvent.findMany({ where: cursor ? { AND: [where, { id: { lt: cursor } }] } : where, select: SELECT, orderBy: { id: 'desc' }, take: batch });
    if (rows.length === 0) return;
    yield rows;
    sent += rows.length;
    cursor = rows.at(-1)!.id;
  }
}
