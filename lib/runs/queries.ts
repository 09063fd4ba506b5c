import { db } from '@/lib/db';
import type { ReceiptKind } from '@/lib/generated/prisma/enums';
import type { Prisma } from '@/lib/generated/prisma/client';
import { verifyRunEvidence, type RunEvidenceVerdict } from '@/lib/evidence/verify';
import { signingKey } from '@/lib/evidence/signing';
import { RECEIPT_KINDS } from './schema';
import { runContextById } from './context';
import { claudeSettings } from './claude-settings';

export const TIMELINE_PAGE = 200;
/** Above this many receipts the page does not re-verify the whole chain on every view. */
export const VERIFY_ON_PAGE_MAX = 20_000;

export type TimelineFilter = { kind?: ReceiptKind; violations?: boolean; after?: number };

export function parseTimelineFilter(search: Record<string, string | string[] | undefined>): TimelineFilter {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const kind = one(search.kind);
  const after = Number(one(search.after));
  return {
    kind: (RECEIPT_KINDS as readonly string[]).includes(kind ?? '') ? (kind as ReceiptKind) : undefined,
    violations: one(search.violations) === '1',
    after: Number.isInteger(after) && after > 0 ? after : undefined,
  };
}

/** The run for its page, with the wall time it has used (up to now while it runs). */
export async function getRun(runId: string, now = new Date()) {
  const run = await db.run.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      startedAt: true,
      finishedAt: true,
      summary: true,
      patchRef: true,
      checkResults: true,
      costCents: true,
      toolCalls: true,
      violationCount: true,
      uncheckedCalls: true,
      receiptCount: true,
      headHash: true,
      runTokenPrefix: true,
      runTokenExpiresAt: true,
      agentIdentity: { select: { id: true, name: true } },
      contract: { select: { id: true, number: true, title: true, tier: true, status: true, budgetMaxCostCents: true, budgetMaxToolCalls: true, budgetMaxWallMinutes: true, requesterId: true, delegatedById: true, requester: { select: { name: true } } } },
      contractVersion: { select: { version: true } },
    },
  });
  if (!run) return null;
  const end = run.finishedAt ?? now;
  return {
    ...run,
    wallMinutes: Math.max(0, Math.round((end.getTime() - run.startedAt.getTime()) / 60_000)),
    tokenExpired: run.status === 'STARTED' && run.runTokenExpiresAt !== null && run.runTokenExpiresAt <= now,
  };
}

export async function runTimeline(runId: string, filter: TimelineFilter) {
  const where: Prisma.EvidenceReceiptWhereInput = { runId, ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.violations ? { violation: true } : {}), ...(filter.after ? { seq: { gt: filter.after } } : {}) };
  const rows = await db.evidenceReceipt.findMany({
    where,
    orderBy: { seq: 'asc' },
    take: TIMELINE_PAGE + 1,
    select: { seq: true, kind: true, payload: true, clientTimestamp: true, receivedAt: true, toolUseId: true, violation: true, violationReason: true, hash: true },
  });
  return { rows: rows.slice(0, TIMELINE_PAGE), nextAfter: rows.length > TIMELINE_PAGE ? rows[TIMELINE_PAGE - 1]!.seq : null };
}

export async function runKindCounts(runId: string) {
  const groups = await db.evidenceReceipt.groupBy({ by: ['kind'], where: { runId }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.kind, g._count._all])) as Partial<Record<ReceiptKind, number>>;
}

export async function runViolations(runId: string) {
  return db.evidenceReceipt.findMany({ where: { runId, violation: true }, orderBy: { seq: 'asc' }, take: 50, select: { seq: true, kind: true, payload: true, violationReason: true, receivedAt: true } });
}

export async function runDecisionCounts(runId: string) {
  const groups = await db.boundaryCheck.groupBy({ by: ['verdict'], where: { runId }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.verdict, g._count._all])) as Partial<Record<'ALLOW' | 'DENY' | 'NEEDS_APPROVAL', number>>;
}

export type ChainStatus = ({ checked: true } & RunEvidenceVerdict) | { checked: false; reason: string };

/** The badge's answer: the chain and its checkpoints verified with the app's public key. */
export async function runChainStatus(runId: string, receiptCount: number): Promise<ChainStatus> {
  if (receiptCount > VERIFY_ON_PAGE_MAX) return { checked: false, reason: `${receiptCount} receipts: run npm run evidence:verify -- ${runId} to check the whole chain` };
  let key;
  try {
    key = signingKey();
  } catch (error) {
    return { checked: false, reason: (error as Error).message };
  }
  return { checked: true, ...(await verifyRunEvidence(runId, new Map([[key.keyId, key.publicKey]]))) };
}

export async function runClaudeSettings(runId: string) {
  const ctx = await runContextById(runId);
  return ctx ? claudeSettings(ctx.boundary) : null;
}
