import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createActor, createRunnableContract } from '@/lib/testing/factories';
import { appendReceipts } from '@/lib/evidence/append';
import { signingKey } from '@/lib/evidence/signing';
import { verifyRunEvidence } from '@/lib/evidence/verify';
import { runContextById } from '@/lib/runs/context';
import { startRun } from '@/lib/runs/commands';
import { containIncident, liftFreeze, openIncident, resolveIncident, reviewIncident } from './commands';
import { incidentPage } from './queries';
import { OpenIncidentInput } from './schema';

const keys = () => new Map([[signingKey().keyId, signingKey().publicKey]]);

async function violatingRun() {
  const fixture = await createRunnableContract({ status: 'APPROVED', tier: 'HIGH', allowGlobs: ['tools/csv-import/**'] });
  const token = await db.agentToken.findFirstOrThrow({ where: { identityId: fixture.identity.id } });
  const agent = { identityId: fixture.identity.id, identityName: fixture.identity.name, tokenId: token.id, tokenPrefix: token.prefix };
  const started = await startRun(agent, { contract: fixture.contract.id }, 'http://mandate.test');
  const at = new Date();
  await appendReceipts((await runContextById(started.run.id))!, [
    { kind: 'FILE_WRITE', payload: { path: 'tools/csv-import/escape.ts' }, clientTimestamp: at, idempotencyKey: 'ok', toolUseId: null },
    { kind: 'FILE_WRITE', payload: { path: 'tools/shared/session-token.ts' }, clientTimestamp: at, idempotencyKey: 'bad', toolUseId: null },
  ]);
  return { ...fixture, runId: started.run.id, agent };
}

const input = (over: Record<string, unknown>) =>
  OpenIncidentInput.parse({ title: 'Agent edited the session helper', severity: 'SEV2', source: 'violation', summary: 'Out-of-scope write to a shared auth helper.', ...over });

describe('incidents', () => {
  it('opens from a violation with its links resolved on the server, and notifies security', async () => {
    const security = await createActor(['SECURITY']);
    const colleague = await createActor(['SECURITY']);
    const run = await violatingRun();
    // A receipt that is not a violation cannot be the source of a violation incident.
    await expect(openIncident(security, input({ ownerId: security.id, runId: run.runId, seq: 2 }))).rejects.toMatchObject({ fieldErrors: { seq: ['Receipt 2 is not a boundary violation'] } });
    const requester = await createActor(['REQUESTER']);
    await expect(openIncident(requester, input({ ownerId: requester.id, runId: run.runId, seq: 3 }))).rejects.toThrow();

    const opened = await openIncident(security, input({ ownerId: security.id, runId: run.runId, seq: 3, identityId: 'forged', contractId: 'forged' }));
    const row = await db.incident.findUniqueOrThrow({ where: { id: opened.id } });
    expect(row).toMatchObject({ status: 'OPEN', contractId: run.contract.id, agentIdentityId: run.identity.id, sourceSeq: 3 });
    expect(await db.notification.count({ where: { userId: colleague.id, href: `/incidents/${opened.id}` } })).toBe(1);
    expect(await db.notification.count({ where: { userId: security.id, href: `/incidents/${opened.id}` } })).toBe(0);
  });

  it('contains by suspending the identity and freezing the contract, resolves, reviews; the timeline shows it all', async () => {
    const security = await createActor(['SECURITY']);
    const run = await violatingRun();
    const { id } = await openIncident(security, input({ ownerId: security.id, runId: run.runId, seq: 3 }));

    await expect(reviewIncident(security, { incidentId: id, what: 'x'.repeat(20), why: 'y'.repeat(20), followUps: 'z'.repeat(10) })).rejects.toThrow(/open cannot get its closing review/);
    await containIncident(security, { incidentId: id, action: 'suspend-identity', reason: 'Stop the agent while we look' });
    expect((await db.agentIdentity.findUniqueOrThrow({ where: { id: run.identity.id } })).status).toBe('SUSPENDED');
    const contained = await db.incident.findUniqueOrThrow({ where: { id } });
    expect(contained.status).toBe('CONTAINED');
    expect(contained.containedAt).not.toBeNull();
    await expect(containIncident(security, { incidentId: id, action: 'suspend-identity', reason: 'Stop the agent again' })).rejects.toThrow(/already suspended/);

    await containIncident(security, { incidentId: id, action: 'freeze-contract', reason: 'No more runs on this contract' });
    const frozen = await db.taskContract.findUniqueOrThrow({ where: { id: run.contract.id } });
    expect(frozen.frozenAt).not.toBeNull();
    // The running run gets the freeze in its chain, which still verifies; no new run can start.
    const last = await db.evidenceReceipt.findFirstOrThrow({ where: { runId: run.runId }, orderBy: { seq: 'desc' } });
    expect(last.violationReason).toMatch(/was frozen while the run was going: INC-\d+: No more runs/);
    expect((await verifyRunEvidence(run.runId, keys())).intact).toBe(true);
    await db.run.update({ where: { id: run.runId }, data: { status: 'ABORTED', finishedAt: new Date() } });
    await db.taskContract.update({ where: { id: run.contract.id }, data: { status: 'APPROVED' } });
    await db.agentIdentity.update({ where: { id: run.identity.id }, data: { status: 'ACTIVE' } });
    await expect(startRun(run.agent, { contract: run.contract.id }, 'http://mandate.test')).rejects.toThrow(/frozen by an incident/);

    await containIncident(security, { incidentId: id, action: 'revoke-tokens', reason: 'Rotate after the incident' });
    expect(await db.agentToken.count({ where: { identityId: run.identity.id, revokedAt: null } })).toBe(0);

    await resolveIncident(security, { incidentId: id, resolution: 'The helper edit was reverted in PR 2270.' });
    await reviewIncident(security, { incidentId: id, what: 'The agent edited a shared session helper outside scope.', why: 'The hook recorded it after the fact; it ran unchecked.', followUps: 'Policy case PC-1 saved.' });
    await liftFreeze(security, { incidentId: id, reason: 'Contract re-scoped and re-approved' });
    expect((await db.taskContract.findUniqueOrThrow({ where: { id: run.contract.id } })).frozenAt).toBeNull();

    const page = (await incidentPage(id))!;
    expect(page.incident.status).toBe('REVIEWED');
    const kinds = page.timeline.map((e) => (e.source === 'receipt' ? `r${e.seq}` : e.source === 'audit' ? e.action : `i:${e.kind}`));
    expect(kinds).toEqual(expect.arrayContaining(['r3', 'incident.opened', 'identity.status-changed', 'i:suspend-identity', 'contract.frozen', 'i:freeze-contract', 'identity.tokens-revoked', 'incident.reviewed', 'contract.unfrozen']));
    expect(kinds.indexOf('r3')).toBeLessThan(kinds.indexOf('incident.opened'));
    // Each containment action links the audit event its command wrote.
    const suspend = page.timeline.find((e) => e.source === 'incident' && e.kind === 'suspend-identity');
    const audit = page.timeline.find((e) => e.source === 'audit' && e.action === 'identity.status-changed');
    expect(suspend && 'auditEventId' in suspend && audit && 'id' in audit && suspend.auditEventId === audit.id).toBe(true);
  });

  it('lets a non-security owner resolve and review, but not contain', async () => {
    const security = await createActor(['SECURITY']);
    const lead = await createActor(['APPROVER']);
    const { id } = await openIncident(security, OpenIncidentInput.parse({ title: 'Wrong ticket closed by an agent', severity: 'SEV4', source: 'manual', ownerId: lead.id, summary: 'A ticket was closed by the triage agent.' }));
    expect(await db.notification.count({ where: { userId: lead.id, href: `/incidents/${id}` } })).toBe(1);
    await expect(containIncident(lead, { incidentId: id, action: 'other', reason: 'I closed it myself' })).rejects.toThrow();
    await resolveIncident(lead, { incidentId: id, resolution: 'Ticket reopened; no customer saw it.' });
    expect((await db.incident.findUniqueOrThrow({ where: { id } })).status).toBe('RESOLVED');
    const stranger = await createActor(['APPROVER']);
    await expect(reviewIncident(stranger, { incidentId: id, what: 'x'.repeat(20), why: 'y'.repeat(20), followUps: 'z'.repeat(10) })).rejects.toThrow();
  });

  it('lifts a freeze only from the incident that put it, and not while another open incident froze the contract', async () => {
    const security = await createActor(['SECURITY']);
    const run = await violatingRun();
    const first = await openIncident(security, input({ ownerId: security.id, runId: run.runId, seq: 3 }));
    const second = await openIncident(security, input({ ownerId: security.id, runId: run.runId, seq: 3, title: 'Same run, second look' }));
    await containIncident(security, { incidentId: first.id, action: 'freeze-contract', reason: 'No more runs on this contract' });
    await containIncident(security, { incidentId: second.id, action: 'other', reason: 'Contained by the first incident' });
    await expect(liftFreeze(security, { incidentId: second.id, reason: 'Looks fine from here' })).rejects.toThrow(/did not freeze MDT-\d+/);
    // Both incidents froze it: the first cannot lift it while the second is open.
    await db.incidentAction.create({ data: { incidentId: second.id, kind: 'freeze-contract', actorId: security.id, note: 'froze it too' } });
    await expect(liftFreeze(security, { incidentId: first.id, reason: 'Re-scoped and re-approved' })).rejects.toThrow(/also froze MDT-\d+ and is still open/);
    await resolveIncident(security, { incidentId: second.id, resolution: 'Nothing more to do here.' });
    await liftFreeze(security, { incidentId: first.id, reason: 'Re-scoped and re-approved' });
    expect((await db.taskContract.findUniqueOrThrow({ where: { id: run.contract.id } })).frozenAt).toBeNull();
  });
});
