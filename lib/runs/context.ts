import { db, type Tx } from '@/lib/db';
import type { Boundary, RunState } from '@/lib/domain/boundary';
import { hashToken } from '@/lib/identities/tokens';
import { bearer } from '@/lib/server/api';
import { AppError } from '@/lib/server/errors';

/** Everything a run-token request needs, read in one query: the run, its live stop conditions and its boundary. */
export type RunContext = {
  runId: string;
  contractId: string;
  contractRef: string;
  identityId: string;
  identityName: string;
  boundary: Boundary;
  state: RunState;
  rateKey: string;
};

const runSelect = {
  id: true,
  status: true,
  startedAt: true,
  toolCalls: true,
  costCents: true,
  runTokenExpiresAt: true,
  agentIdentity: { select: { id: true, name: true, status: true, statusReason: true, killedAt: true, killReason: true, toolProfile: true } },
  contract: {
    select: {
      id: true,
      number: true,
      status: true,
      frozenAt: true,
      allowGlobs: true,
      blockGlobs: true,
      blockedItems: true,
      allowedData: true,
      localCommands: true,
      checks: true,
      budgetMaxCostCents: true,
      budgetMaxToolCalls: true,
      budgetMaxWallMinutes: true,
      capabilities: {
        select: {
          capability: {
            select: { toolName: true, access: true, policy: true, dataClass: true, businessCapability: true, server: { select: { slug: true, killedAt: true } } },
          },
        },
      },
    },
  },
} as const;

type RunRow = NonNullable<Awaited<ReturnType<typeof loadRun>>>;

function loadRun(where: { id: string } | { runTokenHash: string }, client: Tx = db) {
  return client.run.findUnique({ where, select: runSelect });
}

/** Why the run may no longer act, or null: kill switch, suspended or revoked identity, frozen contract. */
function stoppedBecause(row: RunRow): string | null {
  const identity = row.agentIdentity;
  if (identity.killedAt) return `The kill switch of ${identity.name} is on${identity.killReason ? `: ${identity.killReason}` : ''}`;
  if (identity.status !== 'ACTIVE') return `${identity.name} is ${identity.status.toLowerCase()}${identity.statusReason ? `: ${identity.statusReason}` : ''}`;
  if (row.contract.frozenAt) return `MDT-${row.contract.number} is frozen`;
  return null;
}

export function toRunContext(row: RunRow): RunContext {
  const c = row.contract;
  const profile = (row.agentIdentity.toolProfile ?? {}) as { tools?: unknown };
  return {
    runId: row.id,
    contractId: c.id,
    contractRef: `MDT-${c.number}`,
    identityId: row.agentIdentity.id,
    identityName: row.agentIdentity.name,
    boundary: {
      allowGlobs: c.allowGlobs,
      blockGlobs: c.blockGlobs,
      blockedItems: c.blockedItems,
      allowedData: c.allowedData,
      localCommands: c.localCommands,
      checks: c.checks,
      capabilities: c.capabilities.map(({ capability: cap }) => ({
        server: cap.server.slug,
        toolName: cap.toolName,
        access: cap.access,
        policy: cap.policy,
        dataClass: cap.dataClass,
        businessCapability: cap.businessCapability,
        serverKilled: cap.server.killedAt !== null,
      })),
      toolProfile: { tools: Array.isArray(profile.tools) ? profile.tools.filter((t): t is string => typeof t === 'string') : [] },
      budget: { maxCostCents: c.budgetMaxCostCents, maxToolCalls: c.budgetMaxToolCalls, maxWallMinutes: c.budgetMaxWallMinutes },
    },
    state: { startedAt: row.startedAt, toolCalls: row.toolCalls, costCents: row.costCents, stopped: stoppedBecause(row) },
    rateKey: `run:${row.id}`,
  };
}

/**
 * The run behind a run token, refused when the token is unknown, belongs to another run, or is dead
 * (run finished, or wall time plus grace over). Kill switches do not refuse the token: the check
 * answers "deny" with the reason, and receipts are still taken as evidence (and flagged).
 */
export async function authenticateRun(request: Request, runId: string): Promise<RunContext> {
  const row = await loadRun({ runTokenHash: hashToken(bearer(request, 'mdr')) });
  if (!row) throw new AppError('UNAUTHENTICATED', 'This run token is not known.');
  if (row.id !== runId) throw new AppError('FORBIDDEN', 'This run token belongs to another run; a run token only works for its own run.');
  if (row.status !== 'STARTED') throw new AppError('UNAUTHENTICATED', `This run has finished (${row.status.toLowerCase()}); its token no longer works.`);
  if (row.runTokenExpiresAt && row.runTokenExpiresAt.getTime() <= Date.now()) {
    throw new AppError('UNAUTHENTICATED', `This run token expired at ${row.runTokenExpiresAt.toISOString()} (wall-time budget plus grace); start a new run.`);
  }
  return toRunContext(row);
}

/** The same context for server-side use (the run page, the gateway), by run id. */
export async function runContextById(runId: string, client: Tx = db): Promise<RunContext | null> {
  const row = await loadRun({ id: runId }, client);
  return row ? toRunContext(row) : null;
}
