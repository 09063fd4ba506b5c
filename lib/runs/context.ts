import { sqlQuery, type Tx } from '@/lib/db';
import type { Boundary, RunState } from '@/lib/domain/boundary';
import { hashToken } from '@/lib/identities/tokens';
import { authenticateAgent, bearer } from '@/lib/server/api';
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
  /** When the run token dies (wall time plus grace), as epoch ms; null when it does not. */
  tokenExpiresAtMs: number | null;
};

type RunRow = {
  id: string;
  status: string;
  startedAtMs: number;
  toolCalls: number;
  costCents: number;
  runTokenExpiresAtMs: number | null;
  identityId: string;
  identityName: string;
  identityStatus: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
  statusReason: string | null;
  killed: boolean;
  killReason: string | null;
  toolProfile: unknown;
  contractId: string;
  number: number;
  frozen: boolean;
  allowGlobs: string[];
  blockGlobs: string[];
  blockedItems: string[];
  allowedData: string[];
  localCommands: string[];
  checks: string[];
  budgetMaxCostCents: number;
  budgetMaxToolCalls: number;
  budgetMaxWallMinutes: number;
  capabilities: Boundary['capabilities'];
};

/**
 * The run, its identity, its contract and the contract's capabilities with their live registry
 * state, in one round trip: this runs before every boundary check and every receipt batch.
 */
async function loadRun(where: { id: string } | { runTokenHash: string }, client?: Tx): Promise<RunRow | null> {
  const text = `
    SELECT r."id", r."status"::text AS "status", (EXTRACT(EPOCH FROM r."startedAt") * 1000)::float8 AS "startedAtMs", r."toolCalls", r."costCents",
           (EXTRACT(EPOCH FROM r."runTokenExpiresAt") * 1000)::float8 AS "runTokenExpiresAtMs",
           a."id" AS "identityId", a."name" AS "identityName", a."status"::text AS "identityStatus", a."statusReason", a."killedAt" IS NOT NULL AS "killed", a."killReason", a."toolProfile",
           c."id" AS "contractId", c."number", c."frozenAt" IS NOT NULL AS "frozen", c."allowGlobs", c."blockGlobs", c."blockedItems", c."allowedData", c."localCommands", c."checks",
           c."budgetMaxCostCents", c."budgetMaxToolCalls", c."budgetMaxWallMinutes",
           COALESCE((
             SELECT json_agg(json_build_object(
               'server', s."slug", 'toolName', m."toolName", 'access', m."access", 'policy', m."policy", 'dataClass', m."dataClass",
               'businessCapability', m."businessCapability", 'serverKilled', s."killedAt" IS NOT NULL))
             FROM "ContractCapability" cc
             JOIN "McpCapability" m ON m."id" = cc."capabilityId"
             JOIN "McpServer" s ON s."id" = m."serverId"
             WHERE cc."contractId" = c."id"
           ), '[]'::json) AS "capabilities"
    FROM "Run" r
    JOIN "AgentIdentity" a ON a."id" = r."agentIdentityId"
    JOIN "TaskContract" c ON c."id" = r."contractId"
    WHERE ${'id' in where ? 'r."id"' : 'r."runTokenHash"'} = $1`;
  const param = 'id' in where ? where.id : where.runTokenHash;
  // Plain pg on the shared pool (no ORM in the path that runs before every tool call); inside a
  // Prisma transaction, the same SQL through it.
  const rows = client ? await client.$queryRawUnsafe<RunRow[]>(text, param) : await sqlQuery<RunRow>(text, [param]);
  return rows[0] ?? null;
}

/** Why the run may no longer act, or null: kill switch, suspended or revoked identity, frozen contract. */
function stoppedBecause(row: RunRow): string | null {
  if (row.killed) return `The kill switch of ${row.identityName} is on${row.killReason ? `: ${row.killReason}` : ''}`;
  if (row.identityStatus !== 'ACTIVE') return `${row.identityName} is ${row.identityStatus.toLowerCase()}${row.statusReason ? `: ${row.statusReason}` : ''}`;
  if (row.frozen) return `MDT-${row.number} is frozen`;
  return null;
}

export function toRunContext(row: RunRow): RunContext {
  const profile = (row.toolProfile ?? {}) as { tools?: unknown };
  return {
    runId: row.id,
    contractId: row.contractId,
    contractRef: `MDT-${row.number}`,
    identityId: row.identityId,
    identityName: row.identityName,
    boundary: {
      allowGlobs: row.allowGlobs,
      blockGlobs: row.blockGlobs,
      blockedItems: row.blockedItems,
      allowedData: row.allowedData,
      localCommands: row.localCommands,
      checks: row.checks,
      capabilities: row.capabilities,
      toolProfile: { tools: Array.isArray(profile.tools) ? profile.tools.filter((t): t is string => typeof t === 'string') : [] },
      budget: { maxCostCents: row.budgetMaxCostCents, maxToolCalls: row.budgetMaxToolCalls, maxWallMinutes: row.budgetMaxWallMinutes },
    },
    state: { startedAt: new Date(row.startedAtMs), toolCalls: row.toolCalls, costCents: row.costCents, stopped: stoppedBecause(row) },
    rateKey: `run:${row.id}`,
    tokenExpiresAtMs: row.runTokenExpiresAtMs,
  };
}

/** A run that may still act through its token: not finished, wall time plus grace not over. */
function liveRun(row: RunRow): RunContext {
  if (row.status !== 'STARTED') throw new AppError('UNAUTHENTICATED', `This run has finished (${row.status.toLowerCase()}); its token no longer works.`);
  if (row.runTokenExpiresAtMs !== null && row.runTokenExpiresAtMs <= Date.now()) {
    throw new AppError('UNAUTHENTICATED', `This run token expired at ${new Date(row.runTokenExpiresAtMs).toISOString()} (wall-time budget plus grace); start a new run.`);
  }
  return toRunContext(row);
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
  return liveRun(row);
}

/** The header that binds an agent-token request to one of that agent's runs. */
export const RUN_HEADER = 'Mandate-Run';

/**
 * The run a request acts for, when the path does not name it (the MCP gateway): the run token
 * (`Authorization: Bearer mdr_…`), or the agent identity's token plus a `Mandate-Run` header naming
 * a run of that identity.
 */
export async function authenticateRunOf(request: Request): Promise<RunContext> {
  const header = request.headers.get('authorization') ?? '';
  if (/^Bearer\s+mdt_/.test(header)) {
    const agent = await authenticateAgent(request);
    const runId = request.headers.get(RUN_HEADER)?.trim();
    if (!runId) throw new AppError('UNAUTHENTICATED', `With the agent token, name the run in a ${RUN_HEADER} header (the id you got when the run started).`);
    const row = await loadRun({ id: runId });
    if (!row) throw new AppError('UNAUTHENTICATED', `There is no run ${runId}.`);
    if (row.identityId !== agent.identityId) throw new AppError('FORBIDDEN', `Run ${runId} belongs to ${row.identityName}, not to ${agent.identityName}.`);
    return liveRun(row);
  }
  if (!/^Bearer\s+mdr_/.test(header)) {
    throw new AppError('UNAUTHENTICATED', `Send the run token as "Authorization: Bearer mdr_…", or the agent token ("Bearer mdt_…") with a ${RUN_HEADER} header.`);
  }
  const row = await loadRun({ runTokenHash: hashToken(bearer(request, 'mdr')) });
  if (!row) throw new AppError('UNAUTHENTICATED', 'This run token is not known.');
  return liveRun(row);
}

/** The same context for server-side use (the run page, the gateway), by run id. */
export async function runContextById(runId: string, client?: Tx): Promise<RunContext | null> {
  const row = await loadRun({ id: runId }, client);
  return row ? toRunContext(row) : null;
}
