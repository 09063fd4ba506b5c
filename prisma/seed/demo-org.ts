// Builds the demo organisation from prisma/seed/demo-data.ts. Idempotent: the directory (people,
// teams, agents, MCP registry, sensitive areas) is upserted by natural keys; the history (contracts,
// approvals, runs, evidence, audit) is written once, in one transaction, guarded by an AppSetting.
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import type { ReceiptKind, RiskTier } from '@/lib/generated/prisma/enums';
import { hashPassword } from '@/lib/auth/password';
import { DEMO_PASSWORD } from '@/lib/demo';
import { GENESIS_HASH, receiptHash } from '@/lib/domain/evidence-chain';
import { prismaSql, writeCheckpoint } from '@/lib/evidence/append';
import { generatePacketContent } from '@/lib/packets/build';
import { classify, type ContractForRisk, type Registry } from '@/lib/domain/risk';
import { parseActionLines } from '@/lib/policy/actions';
import {
  CONTRACTS,
  IDENTITIES,
  PEOPLE,
  POLICY_CASES,
  SENSITIVE_AREAS,
  SERVERS,
  STANDARD_BLOCKS,
  TEAMS,
  budgetFor,
  deliverablesFor,
  type ContractSpec,
  type DecisionSpec,
  type PersonKey,
} from './demo-data';

export const SEED_MARKER = 'seed.demo-org';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

type Tx = Prisma.TransactionClient;
type Ids = {
  people: Record<PersonKey, string>;
  teams: Record<string, string>;
  identities: Record<string, string>;
  capabilities: Record<string, string>;
  registry: Registry;
};
type AuditRow = Prisma.AuditEventCreateManyInput;

async function upsertDirectory(db: PrismaClient): Promise<Ids> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const teams: Record<string, string> = {};
  for (const t of TEAMS) {
    const row = await db.team.upsert({ where: { slug: t.slug }, update: { name: t.name, description: t.description }, create: t });
    teams[t.slug] = row.id;
  }
  const people = {} as Record<PersonKey, string>;
  for (const p of PEOPLE) {
    const data = { name: p.name, title: p.title, roles: [...p.roles], teamId: p.team ? teams[p.team]! : null };
    const row = await db.user.upsert({ where: { email: p.email }, update: data, create: { ...data, email: p.email, passwordHash } });
    people[p.key] = row.id;
  }
  const identities: Record<string, string> = {};
  for (const i of IDENTITIES) {
    const data = { kind: i.kind, description: i.description, ownerId: people[i.owner], teamId: teams[i.team]!, toolProfile: i.toolProfile };
    const row = await db.agentIdentity.upsert({ where: { name: i.name }, update: data, create: { ...data, name: i.name } });
    identities[i.key] = row.id;
  }
  const capabilities: Record<string, string> = {};
  const capabilityRules: Registry['capabilities'][number][] = [];
  for (const s of SERVERS) {
    const { capabilities: caps, owner, team, ...fields } = s;
    const data = { ...fields, ownerId: people[owner], teamId: teams[team]! };
    const server = await db.mcpServer.upsert({ where: { slug: s.slug }, update: data, create: data });
    for (const c of caps) {
      const capData = { toolDescription: c.description, businessCapability: c.business, dataClass: c.dataClass, access: c.access, policy: c.policy };
      const row = await db.mcpCapability.upsert({
        where: { serverId_toolName: { serverId: server.id, toolName: c.tool } },
        update: capData,
        create: { ...capData, serverId: server.id, toolName: c.tool },
      });
      capabilities[`${s.slug}/${c.tool}`] = row.id;
      capabilityRules.push({ id: row.id, serverName: s.slug, toolName: c.tool, businessCapability: c.business, dataClass: c.dataClass, access: c.access, policy: c.policy, serverKilled: server.killedAt !== null });
    }
  }
  const areaRules: Registry['sensitiveAreas'][number][] = [];
  for (const a of SENSITIVE_AREAS) {
    const { owner, ...fields } = a;
    const row = await db.sensitiveArea.upsert({ where: { pattern: a.pattern }, update: {}, create: { ...fields, ownerId: people[owner] } });
    areaRules.push({ id: row.id, name: row.name, category: row.category, pattern: row.pattern, tier: row.tier, enabled: row.enabled });
  }
  return { people, teams, identities, capabilities, registry: { sensitiveAreas: areaRules, capabilities: capabilityRules } };
}

// ───────────── contracts and their history ─────────────

function riskInput(spec: ContractSpec, allow: string[], ids: Ids): ContractForRisk {
  return {
    allowGlobs: allow,
    blockGlobs: spec.block ?? [],
    allowedData: spec.data ?? ['repo-content'],
    blockedItems: spec.blockedItems ?? STANDARD_BLOCKS,
    capabilityIds: (spec.capabilities ?? []).map((c) => ids.capabilities[c]!),
    localCommands: spec.commands ?? spec.checks,
  };
}

function snapshot(spec: ContractSpec, allow: string[], tier: RiskTier | null) {
  const budget = budgetFor(tier);
  return {
    title: spec.title,
    description: spec.description,
    repository: spec.repository,
    baseBranch: 'main',
    allowGlobs: allow,
    blockGlobs: spec.block ?? [],
    checks: spec.checks,
    deliverables: deliverablesFor(tier),
    allowedData: spec.data ?? ['repo-content'],
    blockedItems: spec.blockedItems ?? STANDARD_BLOCKS,
    blockedFreeText: '',
    capabilities: spec.capabilities ?? [],
    localCommands: spec.commands ?? spec.checks,
    budgetMaxCostCents: budget.costCents,
    budgetMaxToolCalls: budget.toolCalls,
    budgetMaxWallMinutes: budget.wallMinutes,
    rollbackPlan: spec.rollbackPlan ?? '',
  };
}

/** A concrete file for a glob, for the evidence an agent would have produced. */
function fileFor(glob: string, variant: 'main' | 'test'): string {
  if (!/[*?]/.test(glob)) return glob;
  const dir = glob.replace(/\/\*\*.*$/, '').replace(/\*.*$/, '');
  const doc = dir.startsWith('docs');
  const name = doc ? 'index.md' : variant === 'test' ? 'index.test.ts' : 'index.ts';
  return `${dir}/${name}`;
}

type ReceiptDraft = { kind: ReceiptKind; payload: Prisma.InputJsonValue; violation?: string };

function receiptsFor(spec: ContractSpec, ref: string, allow: string[]): ReceiptDraft[] {
  const run = spec.run!;
  const out: ReceiptDraft[] = [{ kind: 'NOTE', payload: { message: `Run started on ${ref}`, agent: spec.identity } }];
  const files = allow.slice(0, 3).flatMap((g) => [...new Set([fileFor(g, 'main'), fileFor(g, 'test')])]);
  for (const path of files) out.push({ kind: 'FILE_READ', payload: { path } });
  for (const cap of spec.capabilities ?? []) {
    const [server, tool] = cap.split('/');
    out.push({ kind: 'MCP_CALL', payload: { server, tool, arguments: { query: spec.title.toLowerCase().slice(0, 40) }, resultBytes: 4_812, outcome: 'ok' } });
  }
  for (const path of files) out.push({ kind: 'FILE_WRITE', payload: { path, linesAdded: 24, linesRemoved: 9 } });
  if (run.violation) {
    // The story the demo tells: a subagent's edit skipped the pre-call check, and its receipt caught it.
    out.push({
      kind: 'FILE_WRITE',
      payload: { path: run.violation, linesAdded: 3, linesRemoved: 1, hookTool: 'Edit' },
      violation: `\`${run.violation}\` is outside the contract's file scope (${allow.map((g) => `\`${g}\``).join(', ')})`,
    });
  }
  if (run.outcome === 'STARTED') return out.slice(0, Math.max(3, Math.ceil(out.length / 2)));
  spec.checks.forEach((command, i) => {
    const failed = run.outcome === 'FAILED' && i === spec.checks.length - 1;
    out.push({ kind: 'COMMAND', payload: { command, exitCode: failed ? 1 : 0, durationMs: 8_000 + i * 2_500 } });
    out.push({ kind: 'TEST_RESULT', payload: { name: command, status: failed ? 'failed' : 'passed', passed: failed ? 41 : 57, failed: failed ? 3 : 0 } });
  });
  out.push({ kind: 'COST', payload: { cents: 180 + out.length * 23, inputTokens: 412_000 + out.length * 9_000, outputTokens: 18_400 } });
  out.push({ kind: 'NOTE', payload: { message: run.summary } });
  return out;
}

async function writeRun(tx: Tx, spec: ContractSpec, ctx: { contractId: string; versionId: string; number: number; allow: string[]; identityId: string; startedAt: Date; now: Date }, audit: AuditRow[]) {
  const run = spec.run!;
  const finished = run.outcome !== 'STARTED';
  const drafts = receiptsFor(spec, `MDT-${ctx.number}`, ctx.allow);
  const finishedAt = finished ? new Date(ctx.startedAt.getTime() + drafts.length * 90_000) : null;
  const checkResults = finished
    ? spec.checks.map((command, i) => ({ name: command, command, status: run.outcome === 'FAILED' && i === spec.checks.length - 1 ? 'failed' : 'passed', detail: '' }))
    : undefined;
  const created = await tx.run.create({
    data: {
      contractId: ctx.contractId,
      contractVersionId: ctx.versionId,
      agentIdentityId: ctx.identityId,
      status: run.outcome,
      startedAt: ctx.startedAt,
      finishedAt,
      summary: run.summary,
      patchRef: run.pr ? `https://github.com/${spec.repository}/pull/${run.pr}` : null,
      checkResults,
    },
  });

  let prev = GENESIS_HASH;
  const rows: Prisma.EvidenceReceiptCreateManyInput[] = [];
  const checks: Prisma.BoundaryCheckCreateManyInput[] = [];
  drafts.forEach((d, i) => {
    const clientTimestamp = new Date(ctx.startedAt.getTime() + i * 90_000);
    const receivedAt = new Date(clientTimestamp.getTime() + 350);
    const toolUseId = ['FILE_WRITE', 'FILE_READ', 'COMMAND', 'MCP_CALL'].includes(d.kind) ? `toolu_${created.id.slice(-8)}${String(i + 1).padStart(3, '0')}` : null;
    const payload = d.payload as Record<string, unknown>;
    if (toolUseId && !d.violation) {
      const action = d.kind === 'COMMAND' ? { type: 'command', command: payload.command } : d.kind === 'MCP_CALL' ? { type: 'mcp_tool', server: payload.server, tool: payload.tool } : { type: d.kind === 'FILE_WRITE' ? 'file_write' : 'file_read', path: payload.path };
      checks.push({ runId: created.id, toolUseId, actionType: action.type as string, action: action as Prisma.InputJsonObject, verdict: 'ALLOW', reasons: [{ rule: 'seed', decision: 'allow', message: 'Inside the contract boundary' }], createdAt: new Date(clientTimestamp.getTime() - 40) });
    }
    const violation = d.violation ? `Unchecked call: write ${payload.path} ran with no boundary decision for ${toolUseId} (the pre-call check was skipped). ${d.violation}` : null;
    const fields = {
      runId: created.id,
      seq: i + 1,
      kind: d.kind,
      payload: d.payload,
      clientTimestamp: clientTimestamp.toISOString(),
      receivedAt: receivedAt.toISOString(),
      idempotencyKey: toolUseId ? `claude:${toolUseId}` : `${created.id}-${i + 1}`,
      toolUseId,
      violation: violation !== null,
      violationReason: violation,
    };
    const hash = receiptHash(prev, fields);
    rows.push({ ...fields, clientTimestamp, receivedAt, prevHash: prev, hash });
    prev = hash;
  });
  await tx.evidenceReceipt.createMany({ data: rows });
  if (checks.length) await tx.boundaryCheck.createMany({ data: checks });
  const mcpUse = new Map<string, { runId: string; server: string; tool: string; calls: number }>();
  for (const d of drafts) {
    if (d.kind !== 'MCP_CALL') continue;
    const p = d.payload as { server: string; tool: string };
    const key = `${p.server}/${p.tool}`;
    const use = mcpUse.get(key) ?? { runId: created.id, server: p.server, tool: p.tool, calls: 0 };
    use.calls++;
    mcpUse.set(key, use);
  }
  if (mcpUse.size) await tx.runMcpUsage.createMany({ data: [...mcpUse.values()] });
  const costCents = drafts.reduce((sum, d) => sum + (d.kind === 'COST' ? (d.payload as { cents: number }).cents : 0), 0);
  const toolCalls = drafts.filter((d) => ['FILE_WRITE', 'COMMAND', 'TOOL_CALL', 'MCP_CALL'].includes(d.kind)).length;
  const violationCount = drafts.filter((d) => d.violation).length;
  const agentName = IDENTITIES.find((i) => i.key === spec.identity)!.name;
  await tx.run.update({ where: { id: created.id }, data: { receiptCount: rows.length, headHash: prev, costCents, toolCalls, violationCount, uncheckedCalls: violationCount } });
  if (finishedAt) await writeCheckpoint(prismaSql(tx), created.id, rows.length, prev, finishedAt);

  audit.push({ actorAgent: agentName, action: 'run.started', targetType: 'Run', targetId: created.id, after: { contract: `MDT-${ctx.number}` }, createdAt: ctx.startedAt });
  if (violationCount) {
    audit.push({ actorAgent: agentName, action: 'run.boundary-violation', targetType: 'Run', targetId: created.id, after: { path: run.violation }, createdAt: rows.find((r) => r.violation)!.receivedAt as Date });
  }
  if (finishedAt) {
    audit.push({ actorAgent: agentName, action: 'run.finished', targetType: 'Run', targetId: created.id, before: { status: 'STARTED' }, after: { status: run.outcome, patchRef: created.patchRef }, createdAt: finishedAt });
  }
  return { run: created, finishedAt, violationCount };
}

async function writeContract(tx: Tx, spec: ContractSpec, ids: Ids, now: Date, audit: AuditRow[]): Promise<string> {
  const createdAt = new Date(now.getTime() - spec.daysAgo * DAY);
  const submittedAt = new Date(createdAt.getTime() + 40 * 60 * 1000);
  const at = (hours: number) => new Date(Math.min(submittedAt.getTime() + hours * HOUR, now.getTime() - 5 * 60 * 1000));
  const requesterId = ids.people[spec.requester];
  const draft = spec.status === 'DRAFT';
  const assessment = draft ? null : classify(riskInput(spec, spec.allow, ids), ids.registry);
  const tier = assessment?.tier ?? null;
  if (tier !== spec.expectTier) throw new Error(`Seed data is out of step with the classifier: "${spec.title}" is ${tier}, expected ${spec.expectTier}`);
  const content = snapshot(spec, spec.allow, tier);
  const budget = budgetFor(tier);

  const contract = await tx.taskContract.create({
    data: {
      status: spec.status,
      requesterId,
      teamId: ids.teams[spec.team]!,
      agentIdentityId: ids.identities[spec.identity]!,
      namedApproverId: spec.namedApprover ? ids.people[spec.namedApprover] : null,
      title: spec.title,
      description: spec.description,
      repository: spec.repository,
      allowGlobs: spec.allow,
      blockGlobs: spec.block ?? [],
      checks: spec.checks,
      deliverables: content.deliverables,
      allowedData: content.allowedData,
      blockedItems: content.blockedItems,
      localCommands: content.localCommands,
      budgetMaxCostCents: budget.costCents,
      budgetMaxToolCalls: budget.toolCalls,
      budgetMaxWallMinutes: budget.wallMinutes,
      rollbackPlan: spec.rollbackPlan ?? '',
      tier,
      currentVersion: draft ? 0 : spec.previousAllow ? 2 : 1,
      submittedAt: draft ? null : submittedAt,
      createdAt,
      capabilities: { create: (spec.capabilities ?? []).map((c) => ({ capabilityId: ids.capabilities[c]! })) },
    },
  });
  const ref = `MDT-${contract.number}`;
  audit.push({ actorId: requesterId, action: 'contract.created', targetType: 'TaskContract', targetId: contract.id, after: { title: spec.title }, createdAt });
  if (draft || !assessment) return contract.id;

  // Versions: an earlier scope first when the requester edited after submitting.
  const versions: { id: string; version: number }[] = [];
  const scopes = spec.previousAllow ? [spec.previousAllow, spec.allow] : [spec.allow];
  for (const [index, allow] of scopes.entries()) {
    const version = index + 1;
    const versionAt = version === 1 ? submittedAt : at(1);
    const a = classify(riskInput(spec, allow, ids), ids.registry);
    const row = await tx.contractVersion.create({
      data: { contractId: contract.id, version, snapshot: snapshot(spec, allow, a.tier), createdById: requesterId, createdAt: versionAt },
    });
    await tx.riskAssessment.create({ data: { contractId: contract.id, versionId: row.id, computedTier: a.computedTier, tier: a.tier, reasons: a.reasons, createdAt: versionAt } });
    audit.push({
      actorId: requesterId,
      action: version === 1 ? 'contract.submitted' : 'contract.resubmitted',
      targetType: 'TaskContract',
      targetId: contract.id,
      before: version === 1 ? { status: 'DRAFT' } : { version: version - 1, allowGlobs: scopes[index - 1] },
      after: { version, tier: a.tier, allowGlobs: allow },
      createdAt: versionAt,
    });
    versions.push(row);
  }
  const current = versions.at(-1)!;

  // Security exception (Stop tier).
  let reviewFrom = 0;
  if (spec.exception) {
    const x = spec.exception;
    const decidedAt = x.status === 'REQUESTED' ? null : at(3);
    const exception = await tx.securityException.create({
      data: {
        contractId: contract.id,
        requesterId,
        what: x.what,
        why: x.why,
        compensatingControls: x.controls,
        requestedDays: 7,
        status: x.status,
        decidedById: x.by ? ids.people[x.by] : null,
        decisionReason: x.reason ?? null,
        decidedAt,
        expiresAt: x.status === 'GRANTED' ? new Date(decidedAt!.getTime() + 7 * DAY) : null,
        createdAt: at(0.2),
      },
    });
    audit.push({ actorId: requesterId, action: 'exception.requested', targetType: 'SecurityException', targetId: exception.id, after: { contract: ref, what: x.what }, createdAt: at(0.2) });
    if (decidedAt && x.by) {
      audit.push({ actorId: ids.people[x.by], action: `exception.${x.status.toLowerCase()}`, targetType: 'SecurityException', targetId: exception.id, before: { status: 'REQUESTED' }, after: { status: x.status, reason: x.reason }, createdAt: decidedAt });
    }
    if (x.status === 'GRANTED') reviewFrom = 3;
  }
  // Stop stays blocked until security grants an exception; then it is handled as High.
  if (tier === 'STOP' && spec.exception?.status !== 'GRANTED') return contract.id;

  // Approvals: Medium one approver; High (and Stop with a granted exception) a named approver plus a security co-sign.
  if (tier === 'LOW') {
    await runAndClose(tx, spec, ids, { contractId: contract.id, versionId: current.id, number: contract.number, requesterId, startAfter: at(1), now }, audit);
    return contract.id;
  }
  const high = tier === 'HIGH' || tier === 'STOP';
  if (spec.previousAllow) {
    await tx.approvalRequest.create({
      data: { contractId: contract.id, contractVersionId: versions[0]!.id, kind: 'APPROVER', status: 'VOIDED', assigneeId: spec.namedApprover ? ids.people[spec.namedApprover] : null, queueRole: spec.namedApprover ? null : 'APPROVER', tier: assessment.tier, createdAt: submittedAt, dueAt: new Date(submittedAt.getTime() + DAY), decidedAt: at(1) },
    });
  }
  const requestedAt = at(reviewFrom + (spec.previousAllow ? 1 : 0));
  const requests: { kind: 'APPROVER' | 'SECURITY_COSIGN'; decision?: DecisionSpec }[] = [{ kind: 'APPROVER', decision: spec.approver }];
  if (high) requests.push({ kind: 'SECURITY_COSIGN', decision: spec.cosign });
  let lastDecision = requestedAt;
  const sentBack = spec.approver && spec.approver.outcome !== 'APPROVE';
  for (const r of requests) {
    const d = r.decision;
    const decidedAt = d ? at(reviewFrom + d.afterHours) : null;
    const status = d
      ? ({ APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', REJECT: 'REJECTED' } as const)[d.outcome]
      : sentBack
        ? 'VOIDED'
        : 'PENDING';
    const assigneeId = r.kind === 'APPROVER' ? (spec.namedApprover ? ids.people[spec.namedApprover] : null) : null;
    const request = await tx.approvalRequest.create({
      data: {
        contractId: contract.id,
        contractVersionId: current.id,
        kind: r.kind,
        status,
        assigneeId,
        queueRole: assigneeId ? null : r.kind === 'APPROVER' ? 'APPROVER' : 'SECURITY',
        tier: assessment.tier,
        createdAt: requestedAt,
        dueAt: new Date(requestedAt.getTime() + DAY),
        decidedAt: decidedAt ?? (status === 'VOIDED' ? lastDecision : null),
        expiresAt: status === 'APPROVED' ? new Date(decidedAt!.getTime() + 7 * DAY) : null,
      },
    });
    audit.push({ action: 'approval.requested', targetType: 'ApprovalRequest', targetId: request.id, after: { contract: ref, kind: r.kind, assigneeId }, createdAt: requestedAt });
    if (assigneeId && status === 'PENDING') {
      await tx.notification.create({
        data: { userId: assigneeId, kind: 'approval.assigned', title: `${ref} needs your approval`, body: `${spec.title} (${tier} tier)`, createdAt: requestedAt },
      });
    }
    if (d && decidedAt) {
      await tx.approvalDecision.create({ data: { requestId: request.id, deciderId: ids.people[d.by], outcome: d.outcome, reason: d.reason, createdAt: decidedAt } });
      audit.push({ actorId: ids.people[d.by], action: 'approval.decided', targetType: 'ApprovalRequest', targetId: request.id, before: { status: 'PENDING' }, after: { status, reason: d.reason }, createdAt: decidedAt });
      await tx.notification.create({
        data: { userId: requesterId, kind: 'approval.decided', title: `${ref}: ${d.outcome.toLowerCase().replace('_', ' ')}`, body: d.reason, createdAt: decidedAt },
      });
      lastDecision = decidedAt;
    }
  }
  if (['APPROVED', 'RUNNING', 'COMPLETED', 'CLOSED'].includes(spec.status)) {
    audit.push({ action: 'contract.approved', targetType: 'TaskContract', targetId: contract.id, before: { status: 'IN_REVIEW' }, after: { status: 'APPROVED', version: current.version }, createdAt: lastDecision });
  }
  await runAndClose(tx, spec, ids, { contractId: contract.id, versionId: current.id, number: contract.number, requesterId, startAfter: new Date(lastDecision.getTime() + HOUR), now }, audit);
  return contract.id;
}

async function runAndClose(
  tx: Tx,
  spec: ContractSpec,
  ids: Ids,
  ctx: { contractId: string; versionId: string; number: number; requesterId: string; startAfter: Date; now: Date },
  audit: AuditRow[],
) {
  if (!spec.run) return;
  const startedAt = spec.run.outcome === 'STARTED' ? new Date(ctx.now.getTime() - 20 * 60 * 1000) : ctx.startAfter;
  const { run, finishedAt } = await writeRun(
    tx,
    spec,
    { contractId: ctx.contractId, versionId: ctx.versionId, number: ctx.number, allow: spec.allow, identityId: ids.identities[spec.identity]!, startedAt, now: ctx.now },
    audit,
  );
  const tier = spec.expectTier;
  // Closed High runs had their rollback note written before close-out; the open ones still owe theirs.
  if (finishedAt && spec.closeOut && (tier === 'HIGH' || tier === 'STOP')) {
    const note = await tx.rollbackNote.create({
      data: {
        contractId: ctx.contractId,
        steps: spec.rollbackPlan ?? 'Revert the pull request.',
        verification: 'Run the contract checks on main after the revert and compare with the last green build.',
        executors: 'Any engineer on the owning team, or the on-call engineer out of hours.',
        authorId: ctx.requesterId,
        createdAt: finishedAt,
      },
    });
    audit.push({ actorId: ctx.requesterId, action: 'rollback-note.written', targetType: 'RollbackNote', targetId: note.id, createdAt: finishedAt });
  }
  if (spec.closeOut && finishedAt) {
    const closedAt = new Date(Math.min(finishedAt.getTime() + DAY, ctx.now.getTime() - HOUR));
    await tx.taskContract.update({
      where: { id: ctx.contractId },
      data: { closedAt, closedById: ids.people[spec.closeOut.by], closeOutOutcome: spec.closeOut.outcome, closeOutReason: spec.closeOut.reason },
    });
    audit.push({ actorId: ids.people[spec.closeOut.by], action: 'contract.closed', targetType: 'TaskContract', targetId: ctx.contractId, before: { status: 'COMPLETED' }, after: { status: 'CLOSED', outcome: spec.closeOut.outcome, reason: spec.closeOut.reason }, createdAt: closedAt });
    // Close-out froze the packet: generated from the records, like the app does.
    const content = await generatePacketContent(run.id, closedAt, tx);
    await tx.reviewPacket.create({
      data: { contractId: ctx.contractId, runId: run.id, version: 1, status: 'FROZEN', content: content as unknown as Prisma.InputJsonObject, decision: spec.closeOut.outcome, decisionBy: ids.people[spec.closeOut.by], reason: spec.closeOut.reason, decidedAt: closedAt, createdAt: closedAt },
    });
  }
}

/**
 * What security did after earlier scares: policy cases, and one reviewed incident (the rejected CI
 * workflow result). The violation on "Harden CSV import" is left for security to triage: the demo
 * (and its browser test) opens that incident from the run page.
 */
async function writeResponseHistory(tx: Tx, ids: Ids, now: Date, audit: AuditRow[]) {
  const sam = ids.people.sam;
  for (const c of POLICY_CASES) {
    const parsed = parseActionLines(c.actions);
    if (parsed.problems.length) throw new Error(`Seed policy case "${c.name}": ${parsed.problems.join('; ')}`);
    const createdAt = new Date(now.getTime() - c.daysAgo * DAY);
    const identity = IDENTITIES.find((i) => i.key === c.identity)!;
    const row = await tx.policyCase.create({
      data: { name: c.name, note: c.note, expectedVerdict: c.expected, actions: parsed.actions, context: { identity: identity.name, allowedData: [...c.data] }, createdById: sam, createdAt },
    });
    audit.push({ actorId: sam, action: 'policy-case.created', targetType: 'PolicyCase', targetId: row.id, after: { name: c.name, expected: c.expected, actions: parsed.actions.length, sourceRunId: null }, createdAt });
  }

  const contract = await tx.taskContract.findFirstOrThrow({
    where: { title: 'Run contract tests in the CI workflow' },
    select: { id: true, number: true, closedAt: true, agentIdentityId: true, runs: { select: { id: true } } },
  });
  const openedAt = new Date(contract.closedAt!.getTime() + 2 * HOUR);
  const containedAt = new Date(openedAt.getTime() + 25 * 60 * 1000);
  const resolvedAt = new Date(openedAt.getTime() + 6 * HOUR);
  const reviewedAt = new Date(openedAt.getTime() + 2 * DAY);
  const resolution = 'The PR was closed unmerged; networking opened the broker route; the contract will be re-filed.';
  const incident = await tx.incident.create({
    data: {
      title: `Required CI job from MDT-${contract.number} would have blocked every pull request`,
      severity: 'SEV3',
      status: 'REVIEWED',
      source: 'rejected-result',
      ownerId: ids.people.lena,
      openedById: sam,
      contractId: contract.id,
      runId: contract.runs[0]?.id ?? null,
      agentIdentityId: contract.agentIdentityId,
      summary: 'ci-fixer-bot added the Pact job as a required check; the broker is unreachable from CI runners, so every PR would go red once merged.',
      resolution,
      reviewWhat: 'The agent did what the contract said, but the contract made a new job required before the broker was reachable from CI.',
      reviewWhy: 'The boundary allowed it: the workflow file was in scope and the change was approved. The checks caught the failure before merge.',
      reviewFollowUps: 'Contracts that add required CI checks name the networking prerequisite (Lena). No policy change needed.',
      openedAt,
      containedAt,
      resolvedAt,
      reviewedAt,
    },
  });
  await tx.incidentAction.create({ data: { incidentId: incident.id, kind: 'other', actorId: ids.people.lena, note: 'Closed the pull request unmerged; branch protection unchanged.', createdAt: containedAt } });
  audit.push(
    { actorId: sam, action: 'incident.opened', targetType: 'Incident', targetId: incident.id, after: { number: incident.number, severity: 'SEV3', source: 'rejected-result', owner: 'Lena Novak' }, createdAt: openedAt },
    { actorId: ids.people.lena, action: 'incident.contained', targetType: 'Incident', targetId: incident.id, after: { action: 'Contained another way', reason: 'Closed the pull request unmerged' }, createdAt: containedAt },
    { actorId: ids.people.lena, action: 'incident.resolved', targetType: 'Incident', targetId: incident.id, after: { resolution }, createdAt: resolvedAt },
    { actorId: ids.people.lena, action: 'incident.reviewed', targetType: 'Incident', targetId: incident.id, createdAt: reviewedAt },
  );
}

export async function seedDemoOrg(db: PrismaClient, opts: { now?: Date } = {}): Promise<{ created: boolean; summary: Record<string, number> }> {
  const now = opts.now ?? new Date();
  const ids = await upsertDirectory(db);
  const already = await db.appSetting.findUnique({ where: { key: SEED_MARKER } });
  if (!already) {
    await db.$transaction(
      async (tx) => {
        const audit: AuditRow[] = [];
        // Oldest first, so that contract numbers follow time.
        for (const spec of [...CONTRACTS].sort((a, b) => b.daysAgo - a.daysAgo)) {
          const from = audit.length;
          const contractId = await writeContract(tx, spec, ids, now, audit);
          const lastActivity = Math.max(...audit.slice(from).map((e) => (e.createdAt as Date).getTime()));
          await tx.taskContract.update({ where: { id: contractId }, data: { updatedAt: new Date(lastActivity) } });
        }
        await writeResponseHistory(tx, ids, now, audit);
        await tx.auditEvent.createMany({ data: audit.sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime()) });
        await tx.appSetting.create({ data: { key: SEED_MARKER, value: { version: 1, seededAt: now.toISOString() } } });
      },
      { timeout: 120_000 },
    );
  }
  const [people, contracts, runs, receipts] = await Promise.all([db.user.count(), db.taskContract.count(), db.run.count(), db.evidenceReceipt.count()]);
  return { created: !already, summary: { people, contracts, runs, receipts } };
}
