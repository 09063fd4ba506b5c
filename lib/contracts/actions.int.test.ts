import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import { contractInput, createActor, createAgentIdentity, createUser, ensureSensitiveAreas } from '@/lib/testing/factories';

// The actions run for real; only "who is signed in" and Next's cache revalidation are stand-ins.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock('@/lib/auth/session', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/auth/session')>();
  const { AppError } = await import('@/lib/server/errors');
  return {
    ...original,
    authenticate: async () => {
      if (!session.actor) throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
      return session.actor;
    },
  };
});
vi.mock('next/cache', () => ({ revalidatePath: vi.fn() }));

const { saveDraftAction, submitContractAction } = await import('@/app/(app)/contracts/actions');

const actorFor = (roles: Actor['roles']): Promise<Actor> => createActor(roles);

let identityId: string;
const valid = () => contractInput(identityId, { rollbackPlan: '' });

describe('contract server actions', () => {
  beforeAll(async () => {
    await ensureSensitiveAreas();
    identityId = (await createAgentIdentity()).id;
  });
  beforeEach(() => {
    session.actor = null;
  });

  it('refuses a signed-out caller', async () => {
    expect(await submitContractAction(valid(), null)).toEqual({ ok: false, message: 'Your session has ended. Sign in again.' });
  });

  it('refuses a contract from someone without the requester role, and writes nothing', async () => {
    session.actor = await actorFor(['APPROVER']);
    const before = await db.taskContract.count();
    expect(await submitContractAction(valid(), null)).toEqual({ ok: false, message: 'Your role does not allow this.' });
    expect(await saveDraftAction(valid(), null)).toEqual({ ok: false, message: 'Your role does not allow this.' });
    expect(await db.taskContract.count()).toBe(before);
  });

  it('answers invalid data with a message per field, and writes nothing', async () => {
    session.actor = await actorFor(['REQUESTER']);
    const before = await db.taskContract.count();
    const result = await submitContractAction({ ...valid(), title: 'x', allowGlobs: 'src/{a,b\n/etc/passwd', checks: '', budgetMaxToolCalls: 'lots' }, null);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors?.title).toEqual(['Give the task a title of at least 3 characters']);
    expect(result.fieldErrors?.allowGlobs).toEqual(['"src/{a,b": a { has no matching }', '"/etc/passwd": paths are relative to the repository root: drop the leading /']);
    expect(result.fieldErrors?.checks).toEqual(['List at least one check to run, e.g. npm test']);
    expect(result.fieldErrors?.budgetMaxToolCalls).toEqual(['Enter a whole number']);
    expect(await db.taskContract.count()).toBe(before);
  });

  it('demands a rollback plan once the tier reaches High', async () => {
    session.actor = await actorFor(['REQUESTER']);
    const result = await submitContractAction({ ...valid(), allowGlobs: 'billing/export/**' }, null);
    expect(result).toMatchObject({ ok: false, fieldErrors: { rollbackPlan: [expect.stringContaining('High tier needs a rollback plan')] } });
  });

  it('refuses a contract that names an inactive agent identity or a blocked capability', async () => {
    session.actor = await actorFor(['REQUESTER']);
    const owner = await createUser();
    const suspended = await db.agentIdentity.create({ data: { name: `suspended-${owner.id}`, kind: 'CI_AGENT', ownerId: owner.id, toolProfile: {}, status: 'SUSPENDED' } });
    const server = await db.mcpServer.create({ data: { slug: `srv-${owner.id}`, name: 'Replica', transport: 'STDIO', endpoint: 'x', ownerId: owner.id } });
    const blocked = await db.mcpCapability.create({ data: { serverId: server.id, toolName: 'drop_table', policy: 'BLOCKED' } });
    const result = await submitContractAction({ ...valid(), agentIdentityId: suspended.id, capabilityIds: [blocked.id] }, null);
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        agentIdentityId: [`${suspended.name} is not active; choose an active identity`],
        capabilityIds: [`${server.slug}/drop_table is blocked by policy and cannot be requested`],
      },
    });
  });

  it('submits a documentation fix as Low and ready, with version 1, its assessment and an audit event', async () => {
    session.actor = await actorFor(['REQUESTER']);
    const result = await submitContractAction(valid(), null);
    expect(result).toMatchObject({ ok: true, data: { version: 1, status: 'READY', tier: 'LOW' } });
    if (!result.ok) return;
    const stored = await db.taskContract.findUniqueOrThrow({ where: { id: result.data.id }, include: { versions: { include: { assessment: true } }, approvals: true } });
    expect(stored.versions).toHaveLength(1);
    expect(stored.versions[0]!.assessment).toMatchObject({ tier: 'LOW', computedTier: 'LOW' });
    expect(stored.approvals).toEqual([]);
    expect(await db.auditEvent.count({ where: { targetId: stored.id, action: 'contract.submitted' } })).toBe(1);
  });

  it('routes High work to review with an approver request and a security co-sign, and a resubmit voids them for version 2', async () => {
    session.actor = await actorFor(['REQUESTER']);
    const high = { ...valid(), allowGlobs: 'billing/**', rollbackPlan: 'Revert the PR; the export endpoint is stateless.' };
    const first = await submitContractAction(high, null);
    expect(first).toMatchObject({ ok: true, data: { status: 'IN_REVIEW', tier: 'HIGH' } });
    if (!first.ok) return;
    const firstRequests = await db.approvalRequest.findMany({ where: { contractId: first.data.id } });
    expect(firstRequests.map((r) => r.kind).sort()).toEqual(['APPROVER', 'SECURITY_COSIGN']);

    const second = await submitContractAction({ ...high, allowGlobs: 'billing/export/**' }, first.data.id);
    expect(second).toMatchObject({ ok: true, data: { version: 2, status: 'IN_REVIEW', tier: 'HIGH' } });
    const requests = await db.approvalRequest.findMany({ where: { contractId: first.data.id }, include: { contractVersion: true } });
    expect(requests.filter((r) => r.status === 'VOIDED').map((r) => r.contractVersion.version)).toEqual([1, 1]);
    expect(requests.filter((r) => r.status === 'PENDING').map((r) => r.contractVersion.version)).toEqual([2, 2]);
  });

  it('blocks Stop work and says so', async () => {
    session.actor = await actorFor(['REQUESTER']);
    const both = await submitContractAction({ ...valid(), allowedData: ['repo-content', 'secrets'], blockedItems: ['secrets'] }, null);
    expect(both).toMatchObject({ ok: false, fieldErrors: { blockedItems: ['Secrets and credentials is both allowed and blocked: untick one of them'] } });
    const result = await submitContractAction({ ...valid(), allowedData: ['repo-content', 'secrets'], blockedItems: [], rollbackPlan: 'Rotate back to the previous secret version in the vault.' }, null);
    expect(result).toMatchObject({ ok: true, data: { status: 'BLOCKED', tier: 'STOP' } });
  });

  it("does not let anyone edit someone else's contract", async () => {
    session.actor = await actorFor(['REQUESTER']);
    const mine = await saveDraftAction(valid(), null);
    if (!mine.ok) throw new Error('draft not saved');
    session.actor = await actorFor(['REQUESTER']);
    expect(await submitContractAction(valid(), mine.data.id)).toEqual({ ok: false, message: 'That contract does not exist or is not yours to edit.' });
    expect(await saveDraftAction({ ...valid(), title: 'Hijacked' }, mine.data.id)).toEqual({ ok: false, message: 'That contract does not exist or is not yours to edit.' });
    expect((await db.taskContract.findUniqueOrThrow({ where: { id: mine.data.id } })).title).toBe(valid().title);
  });

  it('refuses to resubmit a closed contract with the lifecycle reason', async () => {
    session.actor = await actorFor(['REQUESTER']);
    const done = await submitContractAction(valid(), null);
    if (!done.ok) throw new Error('not submitted');
    await db.taskContract.update({ where: { id: done.data.id }, data: { status: 'CLOSED' } });
    expect(await submitContractAction(valid(), done.data.id)).toEqual({ ok: false, message: 'A contract that is closed cannot be submitted.' });
  });
});
