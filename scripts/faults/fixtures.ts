// Shared state of a fault-test session, and the records the scenarios start from (written straight
// to the scratch database with the test factories; everything under test goes through HTTP).
import type pg from 'pg';
import { call, type App, type AppEnv, type ScratchPostgres } from './harness';
import type { Report } from './report';

export type Ctx = {
  pg: ScratchPostgres;
  /** The test's own connections, for checks and monitoring (not the app's). */
  admin: pg.Pool;
  /** The copied production build the apps run from. */
  appDir: string;
  secret: string;
  report: Report;
  /** The id of decideApprovalAction in this build. */
  decideActionId: string;
};

/** The environment every app process of a session shares (the same secret and signing key). */
export function appEnv(ctx: Ctx, extra: AppEnv = {}, applicationName?: string): AppEnv {
  return {
    DATABASE_URL: ctx.pg.url(applicationName),
    NEXTAUTH_SECRET: ctx.secret,
    EVIDENCE_SIGNING_KEY: process.env.EVIDENCE_SIGNING_KEY!,
    AGENT_RATE_LIMIT_PER_MINUTE: '1000000',
    ...extra,
  };
}

export type StartedRun = { id: string; token: string; agentToken: string; serverSlug: string };

/** A runnable contract with unlimited budgets, and a run started on it through the API. */
export async function startedRun(app: App): Promise<StartedRun> {
  const { createRunnableContract } = await import('../../lib/testing/factories');
  const fx = await createRunnableContract({ allowGlobs: ['src/billing/**'], localCommands: ['npm test'], budget: { maxCostCents: 0, maxToolCalls: 0, maxWallMinutes: 0 } });
  const started = await call(app.base, '/api/v1/runs', { token: fx.agentToken, body: { contract: `MDT-${fx.contract.number}` } });
  if (started.status !== 201) throw new Error(`Starting a run answered ${started.status}: ${started.text.slice(0, 300)}`);
  const body = started.body as { run: { id: string }; runToken: string };
  return { id: body.run.id, token: body.runToken, agentToken: fx.agentToken, serverSlug: fx.server.slug };
}

/** A Medium contract in review with one approval request open to the approver queue, and two approvers. */
export async function pendingApproval() {
  const { createActor, createRunnableContract, TEST_PASSWORD } = await import('../../lib/testing/factories');
  const { db } = await import('../../lib/db');
  const fx = await createRunnableContract({ status: 'IN_REVIEW', tier: 'MEDIUM' });
  const version = await db.contractVersion.findFirstOrThrow({ where: { contractId: fx.contract.id, version: 1 } });
  const request = await db.approvalRequest.create({
    data: { contractId: fx.contract.id, contractVersionId: version.id, kind: 'APPROVER', queueRole: 'APPROVER', tier: 'MEDIUM', dueAt: new Date(Date.now() + 86_400_000) },
  });
  const approvers = [await createActor(['APPROVER']), await createActor(['APPROVER'])];
  return { requestId: request.id, contractId: fx.contract.id, approvers, password: TEST_PASSWORD };
}

export const DECISION_REASON = 'Scope, tests and rollback plan checked for the fault tests.';
