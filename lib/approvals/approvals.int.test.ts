import { beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import type { Role } from '@/lib/generated/prisma/enums';
import { submitContract } from '@/lib/contracts/commands';
import { SubmitContractInput } from '@/lib/contracts/schema';
import { contractInput, createActor, createAgentIdentity, ensureSensitiveAreas } from '@/lib/testing/factories';
import { decideApproval, decideException, requestException, sweepApprovals } from './commands';

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/auth/session', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/auth/session')>();
  return { ...original, authenticate: async () => session.actor! };
});
vi.mock('next/cache', () => ({ revalidatePath: vi.fn() }));

let agentId: string;
const REASON = 'Checked the scope, the tests and the rollback plan.';

async function submit(requester: Actor, over: Record<string, unknown> = {}) {
  return submitContract(requester, SubmitContractInput.parse(contractInput(agentId, over)), null);
}
async function pending(contractId: string, kind: 'APPROVER' | 'SECURITY_COSIGN') {
  return db.approvalRequest.findFirstOrThrow({ where: { contractId, kind, status: 'PENDING' } });
}
const failure = (p: Promise<unknown>) => p.then(() => null, (e: Error & { code?: string }) => ({ code: e.code, message: e.message }));

beforeAll(async () => {
  await ensureSensitiveAreas();
  agentId = (await createAgentIdentity()).id;
});

describe('deciding approvals', () => {
  it('approves High work only after a named approver and a security co-sign by two different people', async () => {
    const requester = await createActor(['REQUESTER']);
    const approver = await createActor(['APPROVER']);
    const security = await createActor(['SECURITY', 'APPROVER']);
    const c = await submit(requester, { allowGlobs: 'billing/export/**', namedApproverId: approver.id });
    expect(c).toMatchObject({ tier: 'HIGH', status: 'IN_REVIEW' });

    expect(await decideApproval(approver, { requestId: (await pending(c.id, 'APPROVER')).id, outcome: 'APPROVE', reason: REASON })).toMatchObject({ contractStatus: 'IN_REVIEW' });
    expect(await decideApproval(security, { requestId: (await pending(c.id, 'SECURITY_COSIGN')).id, outcome: 'APPROVE', reason: REASON })).toMatchObject({ contractStatus: 'APPROVED' });
    const approvals = await db.approvalRequest.findMany({ where: { contractId: c.id } });
    expect(approvals.every((a) => a.status === 'APPROVED' && a.expiresAt !== null)).toBe(true);
    expect(await db.notification.count({ where: { userId: requester.id, kind: 'approval.decided' } })).toBe(2);
  });

  it('refuses the same person giving both High signatures', async () => {
    const requester = await createActor(['REQUESTER']);
    const both = await createActor(['SECURITY', 'APPROVER']);
    const c = await submit(requester, { allowGlobs: 'billing/export/**' });
    await decideApproval(both, { requestId: (await pending(c.id, 'APPROVER')).id, outcome: 'APPROVE', reason: REASON });
    expect(await failure(decideApproval(both, { requestId: (await pending(c.id, 'SECURITY_COSIGN')).id, outcome: 'APPROVE', reason: REASON }))).toEqual({
      code: 'FORBIDDEN',
      message: 'You already signed this version; the approver and the security co-sign must be two different people.',
    });
  });

  it('refuses the requester, even one who holds the approver role, also through the server action', async () => {
    const requester = await createActor(['REQUESTER', 'APPROVER']);
    const c = await submit(requester, { allowGlobs: 'src/webhooks/**' });
    const request = await pending(c.id, 'APPROVER');
    expect(await failure(decideApproval(requester, { requestId: request.id, outcome: 'APPROVE', reason: REASON }))).toMatchObject({ code: 'FORBIDDEN' });

    session.actor = requester;
    const { decideApprovalAction } = await import('@/app/(app)/approvals/actions');
    expect(await decideApprovalAction({ requestId: request.id, outcome: 'APPROVE', reason: REASON })).toEqual({
      ok: false,
      message: 'You requested or delegated this contract, so someone else must decide it.',
    });
    expect((await db.approvalRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING');
  });

  it('demands a written reason', async () => {
    session.actor = await createActor(['APPROVER']);
    const { decideApprovalAction } = await import('@/app/(app)/approvals/actions');
    expect(await decideApprovalAction({ requestId: 'x', outcome: 'APPROVE', reason: 'ok' })).toMatchObject({ ok: false, fieldErrors: { reason: [expect.stringContaining('at least 10 characters')] } });
  });

  it('sends the contract back with changes requested and voids what is still pending', async () => {
    const requester = await createActor(['REQUESTER']);
    const approver = await createActor(['APPROVER']);
    const c = await submit(requester, { allowGlobs: 'billing/export/**' });
    await decideApproval(approver, { requestId: (await pending(c.id, 'APPROVER')).id, outcome: 'REQUEST_CHANGES', reason: 'Add a test for the empty export first.' });
    expect((await db.taskContract.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('CHANGES_REQUESTED');
    expect(await db.approvalRequest.count({ where: { contractId: c.id, status: 'PENDING' } })).toBe(0);
  });

  // Exactly one decision wins, run 20 times: two approvers press at the same moment.
  for (let round = 1; round <= 20; round++) {
    it(`stores exactly one of two simultaneous decisions and tells the other who decided first (round ${round})`, async () => {
      const requester = await createActor(['REQUESTER']);
      const [a, b] = [await createActor(['APPROVER']), await createActor(['APPROVER'])];
      const c = await submit(requester, { allowGlobs: 'src/webhooks/**' });
      const request = await pending(c.id, 'APPROVER');
      const results = await Promise.allSettled([
        decideApproval(a, { requestId: request.id, outcome: 'APPROVE', reason: REASON }),
        decideApproval(b, { requestId: request.id, outcome: 'REJECT', reason: 'Not this quarter, conflicts with the rewrite.' }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const decisions = await db.approvalDecision.findMany({ where: { requestId: request.id }, include: { decider: true } });
      expect(decisions).toHaveLength(1);
      expect(lost[0]!.reason.code).toBe('CONFLICT');
      expect(lost[0]!.reason.message).toContain(`${decisions[0]!.decider.name} already`);
      const contract = await db.taskContract.findUniqueOrThrow({ where: { id: c.id } });
      expect(contract.status).toBe(decisions[0]!.outcome === 'APPROVE' ? 'APPROVED' : 'REJECTED');
    });
  }
});

describe('security exceptions', () => {
  it('keeps Stop work blocked until security grants an exception, then routes it as High', async () => {
    const requester = await createActor(['REQUESTER']);
    const security = await createActor(['SECURITY']);
    const c = await submit(requester, { allowedData: ['repo-content', 'secrets'] });
    expect(c).toMatchObject({ tier: 'STOP', status: 'BLOCKED' });
    expect(await db.approvalRequest.count({ where: { contractId: c.id } })).toBe(0);

    const asked = await requestException(requester, { contractId: c.id, what: 'Read the payouts API key once', why: 'The key leaked and must rotate', compensatingControls: 'Pairing with security during the run', days: 3 });
    expect(await failure(requestException(requester, { contractId: c.id, what: 'Again please, same thing', why: 'Second try at it', compensatingControls: 'Same controls as before', days: 3 }))).toMatchObject({ code: 'CONFLICT' });
    expect(await failure(decideException(requester as Actor, { exceptionId: asked.exceptionId, outcome: 'GRANT', reason: REASON }))).toMatchObject({ code: 'FORBIDDEN' });

    await decideException(security, { exceptionId: asked.exceptionId, outcome: 'GRANT', reason: 'Three days, paired, key reference only.' });
    const after = await db.taskContract.findUniqueOrThrow({ where: { id: c.id }, include: { approvals: true } });
    expect(after.status).toBe('IN_REVIEW');
    expect(after.approvals.map((a) => a.kind).sort()).toEqual(['APPROVER', 'SECURITY_COSIGN']);
    expect((await db.securityException.findUniqueOrThrow({ where: { id: asked.exceptionId } })).expiresAt).not.toBeNull();
  });

  it('re-blocks Stop work when its exception expires', async () => {
    const requester = await createActor(['REQUESTER']);
    const security = await createActor(['SECURITY']);
    const c = await submit(requester, { allowedData: ['repo-content', 'secrets'] });
    const asked = await requestException(requester, { contractId: c.id, what: 'Read the payouts API key once', why: 'The key leaked and must rotate', compensatingControls: 'Pairing with security during the run', days: 1 });
    await decideException(security, { exceptionId: asked.exceptionId, outcome: 'GRANT', reason: 'One day, paired, key reference only.' });
    await sweepApprovals(new Date(Date.now() + 2 * 24 * 3600_000));
    expect((await db.taskContract.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('BLOCKED');
    expect((await db.securityException.findUniqueOrThrow({ where: { id: asked.exceptionId } })).status).toBe('EXPIRED');
  });
});

describe('time rules', () => {
  it('flags a request past its target and offers it to the role queue, once', async () => {
    const requester = await createActor(['REQUESTER']);
    const named = await createActor(['APPROVER']);
    const c = await submit(requester, { allowGlobs: 'src/webhooks/**', namedApproverId: named.id });
    const request = await pending(c.id, 'APPROVER');
    const later = new Date(Date.now() + 25 * 3600_000);
    await sweepApprovals(later);
    await sweepApprovals(later);
    const flagged = await db.approvalRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(flagged.escalatedAt).not.toBeNull();
    expect(await db.auditEvent.count({ where: { targetId: request.id, action: 'approval.escalated' } })).toBe(1);
    const other = await createActor(['APPROVER']);
    await decideApproval(other, { requestId: request.id, outcome: 'APPROVE', reason: REASON });
  });

  it('sends an unused approval back to review when it expires', async () => {
    const requester = await createActor(['REQUESTER']);
    const approver = await createActor(['APPROVER']);
    const c = await submit(requester, { allowGlobs: 'src/webhooks/**' });
    await decideApproval(approver, { requestId: (await pending(c.id, 'APPROVER')).id, outcome: 'APPROVE', reason: REASON });
    await sweepApprovals(new Date(Date.now() + 8 * 24 * 3600_000));
    const after = await db.taskContract.findUniqueOrThrow({ where: { id: c.id }, include: { approvals: true } });
    expect(after.status).toBe('IN_REVIEW');
    expect(after.approvals.map((a) => a.status).sort()).toEqual(['EXPIRED', 'PENDING']);
  });
});

// Who may do what: every approval action for every role. Separation of duties aside, the role decides.
describe('authorization table for approval actions', () => {
  const ROLES: Role[] = ['REQUESTER', 'APPROVER', 'SECURITY', 'LEADER', 'ADMIN'];
  const TABLE: Record<string, Record<Role, boolean>> = {
    'decide an approver request': { REQUESTER: false, APPROVER: true, SECURITY: false, LEADER: false, ADMIN: false },
    'co-sign as security': { REQUESTER: false, APPROVER: false, SECURITY: true, LEADER: false, ADMIN: false },
    'ask for an exception (own contract)': { REQUESTER: true, APPROVER: false, SECURITY: false, LEADER: false, ADMIN: false },
    'grant an exception': { REQUESTER: false, APPROVER: false, SECURITY: true, LEADER: false, ADMIN: false },
  };

  async function attempt(action: string, role: Role): Promise<boolean> {
    const requester = await createActor(['REQUESTER']);
    const actor = action === 'ask for an exception (own contract)' ? { ...(await createActor([role])) } : await createActor([role]);
    const stop = action.includes('exception');
    const c = await submit(action === 'ask for an exception (own contract)' ? actor : requester, stop ? { allowedData: ['repo-content', 'secrets'] } : { allowGlobs: 'billing/export/**' }).catch(() => null);
    if (!c) return false; // could not even file the contract: no requester role
    try {
      if (action === 'decide an approver request') await decideApproval(actor, { requestId: (await pending(c.id, 'APPROVER')).id, outcome: 'APPROVE', reason: REASON });
      if (action === 'co-sign as security') await decideApproval(actor, { requestId: (await pending(c.id, 'SECURITY_COSIGN')).id, outcome: 'APPROVE', reason: REASON });
      if (action === 'ask for an exception (own contract)') await requestException(actor, { contractId: c.id, what: 'Read the payouts API key once', why: 'The key leaked and must rotate', compensatingControls: 'Pairing with security', days: 2 });
      if (action === 'grant an exception') {
        const asked = await requestException(requester, { contractId: c.id, what: 'Read the payouts API key once', why: 'The key leaked and must rotate', compensatingControls: 'Pairing with security', days: 2 });
        await decideException(actor, { exceptionId: asked.exceptionId, outcome: 'GRANT', reason: REASON });
      }
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'FORBIDDEN') return false;
      throw error;
    }
  }

  for (const [action, expected] of Object.entries(TABLE)) {
    for (const role of ROLES) {
      it(`${expected[role] ? 'lets' : 'refuses'} ${role.toLowerCase()} ${action}`, async () => {
        expect(await attempt(action, role)).toBe(expected[role]);
      });
    }
  }
});
