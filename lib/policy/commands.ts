import { db } from '@/lib/db';
import { assertCan, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';
import { actionOfReceipt, type IntendedAction } from '@/lib/domain/boundary';
import type { CaseContext } from '@/lib/domain/policy-case';
import { DATA_ITEMS } from '@/lib/domain/risk';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { z } from 'zod';
import type { CaseActiveInput, CaseFromRunInput, PolicyCaseInput } from './schema';
import { lockPolicy } from './simulation';

async function insertCase(actor: Actor, data: { name: string; note: string; expected: 'DENY' | 'NEEDS_APPROVAL'; actions: IntendedAction[]; context: CaseContext; sourceRunId: string | null }) {
  return db.$transaction(async (tx) => {
    const row = await tx.policyCase.create({
      data: {
        name: data.name,
        note: data.note,
        expectedVerdict: data.expected,
        actions: data.actions as unknown as Prisma.InputJsonArray,
        context: data.context as unknown as Prisma.InputJsonObject,
        sourceRunId: data.sourceRunId,
        createdById: actor.id,
      },
      select: { id: true, number: true },
    });
    await tx.auditEvent.create({
      data: { actorId: actor.id, action: 'policy-case.created', targetType: 'PolicyCase', targetId: row.id, after: { name: data.name, expected: data.expected, actions: data.actions.length, sourceRunId: data.sourceRunId } },
    });
    return row;
  });
}

/** A case written by hand. */
export async function createPolicyCase(actor: Actor, input: PolicyCaseInput) {
  assertCan(actor, 'policy:manage');
  let identity: string | null = null;
  if (input.identityId) {
    const row = await db.agentIdentity.findUnique({ where: { id: input.identityId }, select: { name: true } });
    if (!row) throw new AppError('VALIDATION', 'Some fields need your attention.', { identityId: ['Choose an agent identity from the list'] });
    identity = row.name;
  }
  // A typo would make a case that holds forever and guards nothing: name only tools and data Mandate knows.
  const capabilities = await db.mcpCapability.findMany({ select: { toolName: true, server: { select: { slug: true } } } });
  const known = new Set(capabilities.map((c) => `${c.server.slug}/${c.toolName}`));
  const problems = input.actions.flatMap((a, i) => {
    if (a.type === 'mcp_tool' && !known.has(`${a.server}/${a.tool}`)) return [`Action ${i + 1}: ${a.server}/${a.tool} is not a registered MCP tool (server slug/tool name, as on the registry page)`];
    if (a.type === 'data_source' && !(a.source in DATA_ITEMS)) return [`Action ${i + 1}: "${a.source}" is not a data source Mandate knows (${Object.keys(DATA_ITEMS).join(', ')})`];
    return [];
  });
  if (problems.length) throw new AppError('VALIDATION', 'Some fields need your attention.', { actions: problems });
  return insertCase(actor, { ...input, context: { identity, allowedData: input.allowedData }, sourceRunId: null });
}

/**
 * A case from a scary run: the chosen receipts become the actions, in chain order, under the run's
 * agent identity and the data its contract allowed.
 */
export async function createCaseFromRun(actor: Actor, input: CaseFromRunInput) {
  assertCan(actor, 'policy:manage');
  const run = await db.run.findUnique({ where: { id: input.runId }, select: { id: true, agentIdentity: { select: { name: true } }, contract: { select: { allowedData: true } } } });
  if (!run) throw new AppError('NOT_FOUND', 'That run does not exist.');
  const seqs = [...new Set(input.seqs)].sort((a, b) => a - b);
  const receipts = await db.evidenceReceipt.findMany({ where: { runId: run.id, seq: { in: seqs } }, select: { seq: true, kind: true, payload: true }, orderBy: { seq: 'asc' } });
  const found = new Set(receipts.map((r) => r.seq));
  const missing = seqs.filter((s) => !found.has(s));
  const noAction = receipts.filter((r) => !actionOfReceipt(r.kind, r.payload)).map((r) => r.seq);
  if (missing.length || noAction.length) {
    const messages = [
      ...(missing.length ? [`Receipt ${missing.join(', ')} is not in this run`] : []),
      ...(noAction.length ? [`Receipt ${noAction.join(', ')} reports no action (a note, a cost or a result); choose file, command, MCP or tool receipts`] : []),
    ];
    throw new AppError('VALIDATION', 'Some fields need your attention.', { seqs: messages });
  }
  const actions = receipts.map((r) => actionOfReceipt(r.kind, r.payload)!);
  return insertCase(actor, { ...input, actions, context: { identity: run.agentIdentity.name, allowedData: run.contract.allowedData }, sourceRunId: run.id });
}

/** Retires a case (or brings it back); retired cases no longer guard policy changes. */
export async function setCaseActive(actor: Actor, input: z.infer<typeof CaseActiveInput>) {
  assertCan(actor, 'policy:manage');
  return db.$transaction(async (tx) => {
    await lockPolicy(tx);
    const changed = await tx.policyCase.updateMany({ where: { id: input.caseId, active: !input.active }, data: { active: input.active } });
    if (!changed.count) throw new AppError('CONFLICT', input.active ? 'That case is already active.' : 'That case is already retired.');
    await tx.auditEvent.create({ data: { actorId: actor.id, action: input.active ? 'policy-case.reactivated' : 'policy-case.retired', targetType: 'PolicyCase', targetId: input.caseId, after: input.reason ? { reason: input.reason } : undefined } });
    return { caseId: input.caseId };
  });
}
