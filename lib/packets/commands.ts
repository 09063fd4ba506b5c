import { db } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { transition } from '@/lib/domain/contract-lifecycle';
import type { Prisma } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/server/errors';
import { generatePacketContent } from './build';
import type { CloseOutInput, RollbackNoteInput } from './schema';

/** Tiers whose close-out needs a rollback note. */
export const ROLLBACK_REQUIRED: readonly string[] = ['HIGH', 'STOP'];

/**
 * Who accepts or rejects the result: the contract's named approver; else whoever approved this
 * version; else (a Low contract nobody had to approve) the requester.
 */
export function accountablePersonId(contract: { namedApproverId: string | null; requesterId: string }, approvers: readonly string[]): string {
  return contract.namedApproverId ?? approvers[0] ?? contract.requesterId;
}

/** The accountable person for the result of a run on this contract version. */
export async function accountableFor(contract: { namedApproverId: string | null; requesterId: string }, contractVersionId: string): Promise<string> {
  const approvers = await db.approvalDecision.findMany({
    where: { request: { contractVersionId, kind: 'APPROVER' }, outcome: 'APPROVE' },
    orderBy: { createdAt: 'asc' },
    select: { deciderId: true },
  });
  return accountablePersonId(contract, approvers.map((d) => d.deciderId));
}

export async function saveRollbackNote(actor: Actor, input: RollbackNoteInput) {
  assertCan(actor, 'contract:read');
  const contract = await db.taskContract.findUnique({ where: { id: input.contractId }, select: { id: true, number: true, status: true, requesterId: true, delegatedById: true, namedApproverId: true } });
  if (!contract) throw new AppError('NOT_FOUND', 'This contract does not exist.');
  const involved = [contract.requesterId, contract.delegatedById, contract.namedApproverId].includes(actor.id) || actor.roles.includes('APPROVER') || actor.roles.includes('SECURITY');
  if (!involved) throw new AppError('FORBIDDEN', 'Only the requester, the approvers or security may write the rollback note.');
  if (contract.status === 'CLOSED') throw new AppError('CONFLICT', `MDT-${contract.number} is closed: its packet and rollback note are frozen.`);
  const data = { steps: input.steps, verification: input.verification, executors: input.executors };
  return db.$transaction(async (tx) => {
    const existing = await tx.rollbackNote.findFirst({ where: { contractId: contract.id }, orderBy: { updatedAt: 'desc' } });
    const note = existing
      ? await tx.rollbackNote.update({ where: { id: existing.id }, data: { ...data, authorId: actor.id } })
      : await tx.rollbackNote.create({ data: { ...data, contractId: contract.id, authorId: actor.id } });
    await tx.auditEvent.create({
      data: { actorId: actor.id, action: existing ? 'rollback-note.updated' : 'rollback-note.written', targetType: 'TaskContract', targetId: contract.id, before: existing ? { steps: existing.steps, verification: existing.verification, executors: existing.executors } : undefined, after: data },
    });
    return { id: note.id };
  });
}

/**
 * The accountable person accepts or rejects the result with a written reason. This closes the
 * contract and freezes the packet: its content is stored as a new version that is never edited.
 */
export async function closeOut(actor: Actor, input: CloseOutInput) {
  assertCan(actor, 'contract:read');
  const run = await db.run.findUnique({
    where: { id: input.runId },
    select: {
      id: true,
      status: true,
      contractVersionId: true,
      contract: { select: { id: true, number: true, title: true, status: true, tier: true, requesterId: true, namedApproverId: true, _count: { select: { rollbackNotes: true } } } },
    },
  });
  if (!run) throw new AppError('NOT_FOUND', 'This run does not exist.');
  const c = run.contract;
  const ref = `MDT-${c.number}`;
  if (run.status === 'STARTED') throw new AppError('CONFLICT', 'The run is still going: close-out comes after it finishes.');
  const accountable = await accountableFor(c, run.contractVersionId);
  if (actor.id !== accountable) {
    const name = (await db.user.findUnique({ where: { id: accountable }, select: { name: true } }))?.name ?? 'the accountable person';
    throw new AppError('FORBIDDEN', `Only ${name} can accept or reject the result of ${ref}.`);
  }
  const move = transition(c.status, 'close', 'approver', c.tier ?? 'MEDIUM');
  if (!move.ok) throw new AppError('CONFLICT', `${ref} cannot be closed: ${move.reason}.`);
  if (c.tier && ROLLBACK_REQUIRED.includes(c.tier) && c._count.rollbackNotes === 0) {
    throw new AppError('VALIDATION', `${ref} is ${c.tier === 'HIGH' ? 'High' : 'Stop'} tier: write the rollback note before close-out.`, { rollback: ['A rollback note is required from High tier up'] });
  }
  const now = new Date();
  const content = await generatePacketContent(run.id, now);
  if (!content) throw new AppError('NOT_FOUND', 'This run does not exist.');
  content.closeOut = { outcome: input.outcome, by: actor.name, reason: input.reason, at: now.toISOString() };

  return db.$transaction(async (tx) => {
    const closed = await tx.taskContract.updateMany({
      where: { id: c.id, status: 'COMPLETED' },
      data: { status: 'CLOSED', closedAt: now, closedById: actor.id, closeOutOutcome: input.outcome, closeOutReason: input.reason },
    });
    if (!closed.count) throw new AppError('CONFLICT', `${ref} changed meanwhile; reload the page.`);
    const last = await tx.reviewPacket.findFirst({ where: { runId: run.id }, orderBy: { version: 'desc' }, select: { version: true } });
    const packet = await tx.reviewPacket.create({
      data: { contractId: c.id, runId: run.id, version: (last?.version ?? 0) + 1, status: 'FROZEN', content: content as unknown as Prisma.InputJsonObject, decision: input.outcome, decisionBy: actor.id, reason: input.reason, decidedAt: now },
      select: { id: true, version: true },
    });
    await tx.auditEvent.create({
      data: { actorId: actor.id, action: 'contract.closed', targetType: 'TaskContract', targetId: c.id, before: { status: 'COMPLETED' }, after: { status: 'CLOSED', outcome: input.outcome, reason: input.reason, packet: packet.id, packetVersion: packet.version } },
    });
    if (c.requesterId !== actor.id) {
      await tx.notification.create({
        data: { userId: c.requesterId, kind: 'contract.closed', title: `${ref}: result ${input.outcome === 'ACCEPTED' ? 'accepted' : 'rejected'} by ${actor.name}`, body: input.reason.slice(0, 300), href: `/runs/${run.id}/packet` },
      });
    }
    return packet;
  });
}
