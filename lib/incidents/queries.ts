import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { ReceiptKind } from '@/lib/generated/prisma/enums';
import { containmentOptions, mergeTimeline, type ContainmentState, type IncidentStatus, type TimelineEntry } from '@/lib/domain/incident';

/** A run with at most this many receipts shows all of them on the incident timeline; longer runs show what matters. */
export const FULL_TIMELINE_RECEIPTS = 300;
const AUDIT_LIMIT = 300;

export async function listIncidents(status: 'open' | 'all') {
  return db.incident.findMany({
    where: status === 'open' ? { status: { in: ['OPEN', 'CONTAINED'] } } : {},
    select: {
      id: true,
      number: true,
      title: true,
      severity: true,
      status: true,
      source: true,
      openedAt: true,
      containedAt: true,
      resolvedAt: true,
      owner: { select: { name: true } },
      contract: { select: { number: true } },
      agentIdentity: { select: { name: true } },
    },
    orderBy: [{ status: 'asc' }, { openedAt: 'desc' }],
    take: 200,
  });
}

/** The median minutes from opening to containment over every contained incident (not only those listed). */
export async function medianMinutesToContain(): Promise<number | null> {
  const rows = await db.$queryRaw<{ median: number | null }[]>`
    SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("containedAt" - "openedAt")) / 60))::float8 AS "median"
    FROM "Incident" WHERE "containedAt" IS NOT NULL`;
  return rows[0]?.median ?? null;
}

/** Runs with boundary violations that no incident covers yet: security's triage list. */
export async function untriagedViolations() {
  return db.run.findMany({
    where: { violationCount: { gt: 0 }, incidents: { none: {} } },
    select: {
      id: true,
      violationCount: true,
      startedAt: true,
      status: true,
      contract: { select: { number: true, title: true } },
      agentIdentity: { select: { name: true } },
      receipts: { where: { violation: true }, select: { seq: true, violationReason: true }, orderBy: { seq: 'asc' }, take: 1 },
    },
    orderBy: { startedAt: 'desc' },
    take: 20,
  });
}

export type ReceiptEntry = TimelineEntry & { source: 'receipt'; seq: number; kind: ReceiptKind; payload: unknown; violation: string | null; hash: string };
export type AuditEntry = TimelineEntry & { source: 'audit'; id: string; action: string; actor: string; targetType: string; after: unknown };
export type ActionEntry = TimelineEntry & { source: 'incident'; kind: string; actor: string; note: string; auditEventId: string | null };
export type IncidentTimelineEntry = ReceiptEntry | AuditEntry | ActionEntry;

/**
 * The incident page: the incident, what it is linked to and their live state, and a timeline merged
 * from the run's evidence chain, the audit log of everything linked, and the incident's own actions.
 * Nothing on the timeline is typed by a person except the notes of containment actions.
 */
export async function incidentPage(id: string) {
  const incident = await db.incident.findUnique({
    where: { id },
    select: {
      id: true,
      number: true,
      title: true,
      severity: true,
      status: true,
      source: true,
      summary: true,
      sourceSeq: true,
      resolution: true,
      reviewWhat: true,
      reviewWhy: true,
      reviewFollowUps: true,
      openedAt: true,
      containedAt: true,
      resolvedAt: true,
      reviewedAt: true,
      ownerId: true,
      owner: { select: { name: true } },
      openedBy: { select: { name: true } },
      run: { select: { id: true, status: true, startedAt: true, receiptCount: true } },
      contract: { select: { id: true, number: true, title: true, status: true, frozenAt: true } },
      mcpServer: { select: { id: true, slug: true, killedAt: true } },
      agentIdentity: { select: { id: true, name: true, status: true, killedAt: true, _count: { select: { tokens: { where: { revokedAt: null, expiresAt: { gt: new Date() } } } } } } },
      actions: { select: { id: true, kind: true, note: true, auditEventId: true, createdAt: true, actor: { select: { name: true } } }, orderBy: { createdAt: 'asc' } },
    },
  });
  if (!incident) return null;

  const state: ContainmentState = {
    server: incident.mcpServer ? { slug: incident.mcpServer.slug, killed: incident.mcpServer.killedAt !== null } : null,
    identity: incident.agentIdentity
      ? { name: incident.agentIdentity.name, status: incident.agentIdentity.status, killed: incident.agentIdentity.killedAt !== null, liveTokens: incident.agentIdentity._count.tokens }
      : null,
    contract: incident.contract ? { ref: `MDT-${incident.contract.number}`, frozen: incident.contract.frozenAt !== null } : null,
  };

  let order = 0;
  const receipts: ReceiptEntry[] = [];
  let receiptsShown: 'all' | 'notable' = 'all';
  if (incident.run) {
    const where: Prisma.EvidenceReceiptWhereInput = { runId: incident.run.id };
    if (incident.run.receiptCount > FULL_TIMELINE_RECEIPTS) {
      receiptsShown = 'notable';
      const around = incident.sourceSeq ? [{ seq: { gte: incident.sourceSeq - 5, lte: incident.sourceSeq + 5 } }] : [];
      where.OR = [{ violation: true }, { kind: 'NOTE' }, ...around];
    }
    const rows = await db.evidenceReceipt.findMany({
      where,
      select: { seq: true, kind: true, payload: true, violation: true, violationReason: true, receivedAt: true, hash: true },
      orderBy: { seq: 'asc' },
      take: 1_000,
    });
    for (const r of rows) {
      receipts.push({ source: 'receipt', key: `r${r.seq}`, order: order++, at: r.receivedAt, seq: r.seq, kind: r.kind, payload: r.payload, violation: r.violation ? (r.violationReason ?? 'Violation') : null, hash: r.hash });
    }
  }

  const targets: Prisma.AuditEventWhereInput[] = [{ targetType: 'Incident', targetId: incident.id }];
  if (incident.run) targets.push({ targetType: 'Run', targetId: incident.run.id });
  if (incident.contract) targets.push({ targetType: 'TaskContract', targetId: incident.contract.id });
  if (incident.agentIdentity) targets.push({ targetType: 'AgentIdentity', targetId: incident.agentIdentity.id });
  if (incident.mcpServer) targets.push({ targetType: 'McpServer', targetId: incident.mcpServer.id });
  // Linked records have long histories; the timeline starts a day before the run (or the incident).
  const since = new Date((incident.run?.startedAt ?? incident.openedAt).getTime() - 24 * 3600_000);
  const select = { id: true, action: true, targetType: true, after: true, createdAt: true, actorAgent: true, actor: { select: { name: true } } } as const;
  // The incident's own events always show (a busy run cannot push them out); the linked records'
  // events are capped. `incident.contained` is left out: the response row says the same, with its note.
  const [own, linked] = await Promise.all([
    db.auditEvent.findMany({ where: { targetType: 'Incident', targetId: incident.id, action: { not: 'incident.contained' } }, select, orderBy: { createdAt: 'asc' } }),
    db.auditEvent.findMany({ where: { OR: targets.slice(1), createdAt: { gte: since } }, select, orderBy: { createdAt: 'asc' }, take: AUDIT_LIMIT }),
  ]);
  const audits = [...own, ...linked].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.id - b.id));
  const auditEntries: AuditEntry[] = audits.map((a) => ({
    source: 'audit',
    key: `a${a.id}`,
    order: order++,
    at: a.createdAt,
    id: a.id.toString(),
    action: a.action,
    actor: a.actor?.name ?? a.actorAgent ?? 'system',
    targetType: a.targetType,
    after: a.after,
  }));
  const actionEntries: ActionEntry[] = incident.actions.map((a) => ({
    source: 'incident',
    key: `i${a.id}`,
    order: order++,
    at: a.createdAt,
    kind: a.kind,
    actor: a.actor.name,
    note: a.note,
    auditEventId: a.auditEventId?.toString() ?? null,
  }));

  return {
    incident: { ...incident, status: incident.status as IncidentStatus },
    options: containmentOptions(state),
    timeline: mergeTimeline<IncidentTimelineEntry>(receipts, auditEntries, actionEntries),
    receiptsShown,
    auditTruncated: linked.length === AUDIT_LIMIT,
  };
}
export type IncidentPage = NonNullable<Awaited<ReturnType<typeof incidentPage>>>;

/** What a new incident is linked to (ids for the form, names for the page). A run brings its contract and identity. */
export type DraftLink = { runId: string | null; seq: number | null; serverId: string | null; server: string | null; identityId: string | null; identity: string | null; contractId: string | null; contract: string | null };
const NO_LINK: DraftLink = { runId: null, seq: null, serverId: null, server: null, identityId: null, identity: null, contractId: null, contract: null };

/** What the "open an incident" form starts from: a run (and its violation), a server, an identity or a contract. */
export async function incidentDraft(from: { run?: string; seq?: number; server?: string; identity?: string; contract?: string }) {
  const people = await db.user.findMany({ where: { active: true }, select: { id: true, name: true, roles: true }, orderBy: { name: 'asc' } });
  if (from.run) {
    const run = await db.run.findUnique({
      where: { id: from.run },
      select: { id: true, contract: { select: { id: true, number: true, title: true, closeOutOutcome: true } }, agentIdentity: { select: { id: true, name: true } } },
    });
    if (run) {
      const receipt = from.seq ? await db.evidenceReceipt.findUnique({ where: { runId_seq: { runId: run.id, seq: from.seq } }, select: { seq: true, violation: true, violationReason: true } }) : null;
      const violation = receipt?.violation ? receipt : null;
      const rejected = run.contract.closeOutOutcome === 'REJECTED';
      const ref = `MDT-${run.contract.number}`;
      return {
        people,
        link: { ...NO_LINK, runId: run.id, seq: violation?.seq ?? null, contract: `${ref} ${run.contract.title}`, identity: run.agentIdentity.name } satisfies DraftLink,
        values: {
          source: violation ? 'violation' : rejected ? 'rejected-result' : 'manual',
          title: violation ? `${run.agentIdentity.name} crossed the boundary of ${ref}` : rejected ? `Rejected result on ${ref}` : `Run of ${ref}`,
          summary: violation?.violationReason ?? '',
          severity: 'SEV3',
        },
      };
    }
  }
  const server = from.server ? await db.mcpServer.findUnique({ where: { id: from.server }, select: { id: true, slug: true, killedAt: true, killReason: true } }) : null;
  const identity = from.identity ? await db.agentIdentity.findUnique({ where: { id: from.identity }, select: { id: true, name: true, killedAt: true, killReason: true } }) : null;
  const contract = from.contract ? await db.taskContract.findUnique({ where: { id: from.contract }, select: { id: true, number: true, title: true } }) : null;
  const killed = (server?.killedAt && server) || (identity?.killedAt && identity) || null;
  return {
    people,
    link: {
      ...NO_LINK,
      serverId: server?.id ?? null,
      server: server?.slug ?? null,
      identityId: identity?.id ?? null,
      identity: identity?.name ?? null,
      contractId: contract?.id ?? null,
      contract: contract ? `MDT-${contract.number} ${contract.title}` : null,
    } satisfies DraftLink,
    values: {
      source: killed ? 'kill-switch' : 'manual',
      title: killed ? `Kill switch thrown on ${'slug' in killed ? killed.slug : killed.name}` : '',
      summary: killed?.killReason ?? '',
      severity: 'SEV3',
    },
  };
}
