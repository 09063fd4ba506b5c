import { describe, expect, it, beforeAll } from 'vitest';
import { db } from '@/lib/db';
import { createUser, createAgentIdentity } from '@/lib/testing/factories';
import { dashboardFigures, figuresCsv } from './queries';
import { refreshDashboardRollups, rollupsAsOf } from './rollups';

const NOW = new Date('2026-11-20T12:00:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3600_000);
const DAY = 24;

describe('leadership dashboard figures', () => {
  beforeAll(async () => {
    const team = await db.team.create({ data: { slug: 'dash-fixture', name: 'Dashboard fixture' } });
    const person = await createUser({ roles: ['REQUESTER'] });
    const agent = await createAgentIdentity();
    const contract = async (tier: 'LOW' | 'MEDIUM' | 'HIGH', close?: { outcome: 'ACCEPTED' | 'REJECTED'; at: Date }) => {
      const c = await db.taskContract.create({
        data: { title: `fixture ${tier}`, tier, status: close ? 'CLOSED' : 'RUNNING', requesterId: person.id, teamId: team.id, agentIdentityId: agent.id, currentVersion: 1, ...(close ? { closedAt: close.at, closeOutOutcome: close.outcome, closeOutReason: 'fixture', closedById: person.id } : {}) },
      });
      const v = await db.contractVersion.create({ data: { contractId: c.id, version: 1, snapshot: {}, createdById: person.id } });
      return { ...c, versionId: v.id };
    };
    const c1 = await contract('LOW', { outcome: 'ACCEPTED', at: ago(1 * DAY) });
    const c2 = await contract('MEDIUM', { outcome: 'REJECTED', at: ago(2 * DAY) });
    const c3 = await contract('HIGH');
    const run = (c: { id: string; versionId: string }, data: { status: 'STARTED' | 'SUCCEEDED' | 'FAILED'; startedAt: Date; costCents: number; violationCount?: number; uncheckedCalls?: number }) =>
      db.run.create({ data: { contractId: c.id, contractVersionId: c.versionId, agentIdentityId: agent.id, ...data } });
    const r1 = await run(c1, { status: 'SUCCEEDED', startedAt: ago(2 * DAY), costCents: 100 });
    const r2 = await run(c2, { status: 'FAILED', startedAt: ago(3 * DAY), costCents: 300, violationCount: 2, uncheckedCalls: 1 });
    await run(c3, { status: 'STARTED', startedAt: ago(1 * DAY), costCents: 50 });
    const r4 = await run(c3, { status: 'SUCCEEDED', startedAt: ago(100 * DAY), costCents: 999 });
    await db.runMcpUsage.createMany({
      data: [
        { runId: r1.id, server: 'linear', tool: 'get_issue', calls: 3 },
        { runId: r2.id, server: 'linear', tool: 'get_issue', calls: 2 },
        { runId: r2.id, server: 'docs', tool: 'search', calls: 5 },
        { runId: r4.id, server: 'docs', tool: 'search', calls: 100 },
      ],
    });
    const approval = (hours: number, status: 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING', createdAt: Date, dueAt = NOW) =>
      db.approvalRequest.create({
        data: { contractId: c3.id, contractVersionId: c3.versionId, kind: 'APPROVER', status, queueRole: 'APPROVER', tier: 'HIGH', createdAt, dueAt, decidedAt: status === 'PENDING' ? null : new Date(createdAt.getTime() + hours * 3600_000) },
      });
    await approval(1, 'APPROVED', ago(10 * DAY));
    await approval(2, 'APPROVED', ago(9 * DAY));
    await approval(3, 'APPROVED', ago(8 * DAY));
    await approval(4, 'CHANGES_REQUESTED', ago(7 * DAY));
    await approval(0, 'PENDING', ago(5), ago(1));
    await approval(0, 'PENDING', ago(1), ago(-10));
    await db.securityException.create({ data: { contractId: c3.id, requesterId: person.id, what: 'a', why: 'b', requestedDays: 3, status: 'GRANTED', createdAt: ago(4 * DAY) } });
    await db.securityException.create({ data: { contractId: c3.id, requesterId: person.id, what: 'c', why: 'd', requestedDays: 3, status: 'REFUSED', createdAt: ago(3 * DAY) } });
    expect(await refreshDashboardRollups()).toBe(true);
  });

  it('matches hand-computed values for the team over 90 days', async () => {
    const f = await dashboardFigures({ team: 'dash-fixture', period: '90d' }, NOW);
    expect(f.team).toBe('Dashboard fixture');
    expect(f.runs).toEqual({ started: 3, finished: 2, succeeded: 1, completedShare: 0.667 });
    const perTier = f.runsByTier.reduce((acc, w) => ({ LOW: acc.LOW + w.LOW, MEDIUM: acc.MEDIUM + w.MEDIUM, HIGH: acc.HIGH + w.HIGH, STOP: acc.STOP + w.STOP }), { LOW: 0, MEDIUM: 0, HIGH: 0, STOP: 0 });
    expect(perTier).toEqual({ LOW: 1, MEDIUM: 1, HIGH: 1, STOP: 0 });
    expect(f.runsByTier.length).toBeGreaterThanOrEqual(13);
    expect(f.closeOut).toEqual({ closed: 2, accepted: 1, rejected: 1, acceptedShare: 0.5 });
    expect(f.rollbacks).toBe(1);
    // Decision times 1, 2, 3, 4 h: median 2.5 h, p90 (continuous) 3.7 h; one of four asked for changes.
    expect(f.approvals).toMatchObject({ decided: 4, latencyP50Hours: 2.5, latencyP90Hours: 3.7, changesRequested: 1, changesRequestedRate: 0.25 });
    // Two waiting: 5 h and 1 h old, one past its due time.
    expect(f.queue).toEqual({ pending: 2, overdue: 1, medianAgeHours: 3, oldestAgeHours: 5 });
    expect(f.violations).toEqual({ runsWithViolations: 1, violations: 2, uncheckedCalls: 1, exceptionsRequested: 2, exceptionsGranted: 1 });
    expect(f.cost).toEqual({ totalCents: 450, perFinishedRunCents: 200, perAcceptedChangeCents: 100 });
    expect(f.mcpUsage).toEqual([
      { server: 'docs', tool: 'search', calls: 5, runs: 1 },
      { server: 'linear', tool: 'get_issue', calls: 5, runs: 2 },
    ]);
    const csv = figuresCsv(f);
    expect(csv).toContain('approvals,latency median hours,2.5');
    expect(csv).toContain('cost,per accepted change USD,1.00');
  });

  it('reads rollups that a refresh brings up to date', async () => {
    const before = await dashboardFigures({ team: 'dash-fixture', period: '90d' }, NOW);
    const c = await db.taskContract.findFirstOrThrow({ where: { team: { slug: 'dash-fixture' }, tier: 'HIGH' }, include: { versions: true } });
    await db.run.create({ data: { contractId: c.id, contractVersionId: c.versions[0]!.id, agentIdentityId: c.agentIdentityId!, status: 'SUCCEEDED', startedAt: ago(5), costCents: 10 } });
    expect((await dashboardFigures({ team: 'dash-fixture', period: '90d' }, NOW)).runs.started).toBe(before.runs.started);
    await refreshDashboardRollups();
    expect((await dashboardFigures({ team: 'dash-fixture', period: '90d' }, NOW)).runs.started).toBe(before.runs.started + 1);
    expect(await rollupsAsOf()).toBeInstanceOf(Date);
    await db.run.deleteMany({ where: { contractId: c.id, startedAt: ago(5) } });
    await refreshDashboardRollups();
  });

  it('changes with the period and the team', async () => {
    const year = await dashboardFigures({ team: 'dash-fixture', period: '365d' }, NOW);
    expect(year.runs.started).toBe(4);
    expect(year.mcpUsage[0]).toEqual({ server: 'docs', tool: 'search', calls: 105, runs: 2 });
    const week = await dashboardFigures({ team: 'dash-fixture', period: '30d' }, NOW);
    expect(week.approvals.decided).toBe(4);
    const unknown = await dashboardFigures({ team: 'no-such-team', period: '90d' }, NOW);
    expect(unknown.runs.started).toBe(0);
    expect(unknown.approvals.latencyP50Hours).toBeNull();
  });
});
