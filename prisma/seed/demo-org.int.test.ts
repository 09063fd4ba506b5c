import { beforeAll, describe, expect, it } from 'vitest';
import { listPolicyCases } from '@/lib/policy/queries';
import { db } from '@/lib/db';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { keyIdOf } from '@/lib/evidence/checkpoint';
import { verifyRunEvidence } from '@/lib/evidence/verify';
import { CapabilityPolicy, ContractStatus, RiskTier, Role } from '@/lib/generated/prisma/enums';
import { seedDemoOrg } from './demo-org';

const DEMO_DOMAIN = '@northwind.example';

describe('the demo organisation seed', () => {
  let first: Awaited<ReturnType<typeof seedDemoOrg>>;

  beforeAll(async () => {
    first = await seedDemoOrg(db);
  }, 60_000);

  it('creates the organisation once and nothing more on a second run', async () => {
    expect(first.created).toBe(true);
    const again = await seedDemoOrg(db);
    expect(again).toEqual({ created: false, summary: first.summary });
  });

  it('covers every role, tier, resting contract state and capability policy', async () => {
    const roles = new Set((await db.user.findMany({ select: { roles: true } })).flatMap((u) => u.roles));
    expect([...roles].sort()).toEqual(Object.values(Role).sort());
    const tiers = await db.taskContract.groupBy({ by: ['tier'], _count: true });
    expect(tiers.map((t) => t.tier).filter(Boolean).sort()).toEqual(Object.values(RiskTier).sort());
    const statuses = (await db.taskContract.groupBy({ by: ['status'], _count: true })).map((s) => s.status).sort();
    // SUBMITTED is transient: a submitted contract is routed (ready, review or blocked) in the same transaction.
    expect(statuses).toEqual(Object.values(ContractStatus).filter((s) => s !== 'SUBMITTED').sort());
    const policies = (await db.mcpCapability.groupBy({ by: ['policy'], _count: true })).map((p) => p.policy).sort();
    expect(policies).toEqual(Object.values(CapabilityPolicy).sort());
  });

  it('stores for every submitted contract an assessment whose tier matches the contract', async () => {
    const contracts = await db.taskContract.findMany({
      where: { status: { not: 'DRAFT' }, requester: { email: { endsWith: DEMO_DOMAIN } } },
      select: { tier: true, currentVersion: true, versions: { select: { version: true, assessment: { select: { tier: true, reasons: true } } } } },
    });
    for (const c of contracts) {
      const current = c.versions.find((v) => v.version === c.currentVersion);
      expect(current?.assessment?.tier).toBe(c.tier);
      expect((current?.assessment?.reasons as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('writes an intact, signed evidence chain for every run, with its head on the run', async () => {
    const runs = await db.run.findMany({ where: { contract: { requester: { email: { endsWith: DEMO_DOMAIN } } } }, select: { id: true, status: true, headHash: true, receiptCount: true } });
    expect(runs.length).toBeGreaterThan(5);
    const pub = createPublicKey(createPrivateKey(process.env.EVIDENCE_SIGNING_KEY!));
    for (const run of runs) {
      const verdict = await verifyRunEvidence(run.id, new Map([[keyIdOf(pub), pub]]));
      expect(verdict).toMatchObject({ intact: true, receipts: run.receiptCount, headHash: run.headHash });
      if (run.status !== 'STARTED') expect(verdict.checkpoints.lastSeq).toBe(run.receiptCount);
    }
  });

  it('never lets people approve their own work, and uses two different people for High sign-offs', async () => {
    const decisions = await db.approvalDecision.findMany({
      select: { deciderId: true, request: { select: { kind: true, contractId: true, contract: { select: { requesterId: true, delegatedById: true } } } } },
    });
    expect(decisions.length).toBeGreaterThan(10);
    for (const d of decisions) {
      expect(d.deciderId).not.toBe(d.request.contract.requesterId);
      expect(d.deciderId).not.toBe(d.request.contract.delegatedById);
    }
    const byContract = new Map<string, typeof decisions>();
    for (const d of decisions) byContract.set(d.request.contractId, [...(byContract.get(d.request.contractId) ?? []), d]);
    for (const list of byContract.values()) {
      const approver = list.find((d) => d.request.kind === 'APPROVER');
      const cosign = list.find((d) => d.request.kind === 'SECURITY_COSIGN');
      if (approver && cosign) expect(approver.deciderId).not.toBe(cosign.deciderId);
    }
  });

  it('records a boundary violation on one run, left for security to triage, and a reviewed incident from a rejected result', async () => {
    const violating = await db.run.findMany({ where: { violationCount: { gt: 0 }, contract: { requester: { email: { endsWith: DEMO_DOMAIN } } } }, select: { id: true, incidents: { select: { status: true } } } });
    expect(violating).toHaveLength(1);
    expect(violating[0]!.incidents).toEqual([]);
    const reviewed = await db.incident.findMany({ where: { openedBy: { email: { endsWith: DEMO_DOMAIN } } }, select: { status: true, source: true, containedAt: true, openedAt: true } });
    expect(reviewed).toMatchObject([{ status: 'REVIEWED', source: 'rejected-result' }]);
    expect(reviewed[0]!.containedAt!.getTime()).toBeGreaterThan(reviewed[0]!.openedAt.getTime());
  });

  it('seeds policy cases that all hold against the seeded policy', async () => {
    const cases = await listPolicyCases();
    const seeded = cases.filter((c) => c.createdBy === 'Sam Okafor');
    expect(seeded.length).toBeGreaterThanOrEqual(4);
    expect(seeded.filter((c) => !c.holds).map((c) => c.name)).toEqual([]);
  });
});
