import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import type { Role } from '@/lib/generated/prisma/enums';
import { ACTION_MATRIX, ACTION_PRINCIPALS, renderMatrixMarkdown, ROUTE_MATRIX, ROUTE_PRINCIPALS, routeAllows, type ActionPrincipal, type RoutePrincipal } from '@/lib/security/authorization-matrix';
import { contractInput, createActor, createAgentIdentity, createRunnableContract, ensureSensitiveAreas, TEST_PASSWORD } from '@/lib/testing/factories';
import { startMcpFixture, type McpFixture } from '@/lib/testing/mcp-fixture';

// Every cell of the authorization matrix, executed. The actions and handlers run for real against
// the database; the only stand-ins are "who is signed in" (the session cookie → a person reloaded
// from the database, as currentActor does) and Next's cache revalidation.
const session = vi.hoisted(() => ({ userId: null as string | null, codes: [] as { code: string; message: string }[] }));
vi.mock('@/lib/auth/session', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/auth/session')>();
  const { AppError } = await import('@/lib/server/errors');
  const { db: database } = await import('@/lib/db');
  const currentActor = async (): Promise<Actor | null> => {
    if (!session.userId) return null;
    const user = await database.user.findFirst({ where: { id: session.userId, active: true }, select: { id: true, name: true, email: true, title: true, roles: true, teamId: true, team: { select: { name: true } } } });
    if (!user) return null;
    const { team, ...rest } = user;
    return { ...rest, teamName: team?.name ?? null };
  };
  return {
    ...original,
    currentActor,
    authenticate: async () => {
      const actor = await currentActor();
      if (!actor) throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
      return actor;
    },
  };
});
// Records the code of every AppError raised, so a refusal is told apart from a broken scenario.
vi.mock('@/lib/server/errors', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/server/errors')>();
  class RecordedAppError extends original.AppError {
    constructor(...args: ConstructorParameters<typeof original.AppError>) {
      super(...args);
      session.codes.push({ code: args[0], message: args[1] });
    }
  }
  return { ...original, AppError: RecordedAppError };
});
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const APP = join(process.cwd(), 'app');
const REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND']);
const REASON = 'Checked by the authorization matrix test.';

function filesNamed(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return filesNamed(path, name);
    return entry === name ? [path] : [];
  });
}

type ActionFn = (input: unknown, ...args: unknown[]) => Promise<{ ok: boolean; message?: string; fieldErrors?: unknown }>;

async function loadActions(): Promise<Map<string, ActionFn>> {
  const out = new Map<string, ActionFn>();
  for (const file of filesNamed(APP, 'actions.ts')) {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) out.set(`${relative(APP, file)}#${name}`, value as ActionFn);
  }
  return out;
}

function routeKeys(): string[] {
  return filesNamed(APP, 'route.ts').flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    // The URL path: route groups such as (app) are not part of it.
    const path = `/${relative(APP, file)}`.replace(/\/route\.ts$/, '').replace(/\/\([^)]+\)/g, '');
    const methods = [...source.matchAll(/export\s+(?:async\s+)?(?:const|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
    const reexported = /export\s*\{\s*handler\s+as\s+GET\s*,\s*handler\s+as\s+POST\s*\}/.test(source) ? ['GET', 'POST'] : [];
    return [...methods, ...reexported].map((m) => `${m} ${path}`);
  });
}

// ————— people ——————————————————————————————————————————————————————————————————————————————

const ROLE_OF: Record<Exclude<ActionPrincipal, 'signed-out' | 'owner'>, Role> = { requester: 'REQUESTER', approver: 'APPROVER', security: 'SECURITY', leader: 'LEADER', admin: 'ADMIN' };
const people = {} as Record<Exclude<ActionPrincipal, 'signed-out' | 'owner'>, Actor> & { opener: Actor };

let identityId: string;
let fixture: McpFixture;

beforeAll(async () => {
  await ensureSensitiveAreas();
  for (const [p, role] of Object.entries(ROLE_OF)) people[p as keyof typeof ROLE_OF] = await createActor([role]);
  people.opener = await createActor(['SECURITY']);
  identityId = (await createAgentIdentity()).id;
  fixture = await startMcpFixture();
});
afterAll(async () => {
  await fixture?.close();
});

// ————— scenarios: a fresh resource per cell, and the input that acts on it ——————————————————

type Scenario = { owner: Actor; args: unknown[] };
type RouteWorld = { r: Awaited<ReturnType<typeof runningRun>>; other: Awaited<ReturnType<typeof runningRun>> };
const tag = () => randomUUID().slice(0, 8);

async function requesterOwner(): Promise<Actor> {
  return createActor(['REQUESTER']);
}

async function draftOf(owner: Actor, over: Record<string, unknown> = {}) {
  const { saveDraft } = await import('@/lib/contracts/commands');
  const { SaveDraftInput } = await import('@/lib/contracts/schema');
  return saveDraft(owner, SaveDraftInput.parse(contractInput(identityId, over)), null);
}

async function submitted(owner: Actor, over: Record<string, unknown>) {
  const { submitContract } = await import('@/lib/contracts/commands');
  const { SubmitContractInput } = await import('@/lib/contracts/schema');
  return submitContract(owner, SubmitContractInput.parse(contractInput(identityId, over)), null);
}

const HIGH_TIER = { allowGlobs: 'src/billing/refunds.ts', rollbackPlan: 'Revert the pull request; nothing else depends on it.' };
const STOP_TIER = { allowedData: ['repo-content', 'secrets'], rollbackPlan: 'Revert the pull request; nothing else depends on it.' };

async function runningRun(over: Parameters<typeof createRunnableContract>[0] = {}) {
  const fx = await createRunnableContract(over);
  const { POST } = await import('@/app/api/v1/runs/route');
  const res = await POST(agentRequest('/api/v1/runs', fx.agentToken, { contract: `MDT-${fx.contract.number}` }));
  const body = await res.json();
  if (res.status !== 201) throw new Error(`run did not start: ${JSON.stringify(body)}`);
  const owner = await actorOf(fx.requester.id);
  return { ...fx, owner, runId: body.run.id as string, runToken: body.runToken as string };
}

async function finishedRun() {
  const r = await runningRun({ tier: 'MEDIUM' });
  const { POST } = await import('@/app/api/v1/runs/[id]/finish/route');
  const res = await POST(agentRequest(`/api/v1/runs/${r.runId}/finish`, r.runToken, { outcome: 'succeeded', summary: 'Done.' }), params({ id: r.runId }));
  if (res.status !== 200) throw new Error(`run did not finish: ${await res.text()}`);
  return r;
}

async function actorOf(id: string): Promise<Actor> {
  const u = await db.user.findUniqueOrThrow({ where: { id }, select: { id: true, name: true, email: true, title: true, roles: true, teamId: true, team: { select: { name: true } } } });
  return { id: u.id, name: u.name, email: u.email, title: u.title, roles: u.roles, teamId: u.teamId, teamName: u.team?.name ?? null };
}

async function incident(owner: Actor, over: { status?: 'OPEN' | 'CONTAINED' | 'RESOLVED'; contractId?: string } = {}) {
  return db.incident.create({
    data: { title: `Matrix incident ${tag()}`, severity: 'SEV3', status: over.status ?? 'OPEN', source: 'manual', ownerId: owner.id, openedById: people.opener.id, summary: 'Opened for the authorization matrix.', contractId: over.contractId },
  });
}

async function serverWithCapability() {
  const slug = `mx-${tag()}`;
  const server = await db.mcpServer.create({ data: { slug, name: slug, transport: 'STREAMABLE_HTTP', endpoint: 'http://localhost:1/mcp', ownerId: people.opener.id, hasLogging: true, hasOwnerReview: true, hasKillSwitch: true } });
  const capability = await db.mcpCapability.create({ data: { serverId: server.id, toolName: 'read_thing', businessCapability: 'Read a thing', access: 'READ', policy: 'DEFAULT_READ' } });
  return { server, capability };
}

async function tokenOf(identity: string) {
  const { newAgentToken } = await import('@/lib/identities/tokens');
  const t = newAgentToken();
  return db.agentToken.create({ data: { identityId: identity, name: 'matrix', prefix: t.prefix, tokenHash: t.hash, expiresAt: new Date(Date.now() + 86_400_000), createdById: people.opener.id } });
}

const area = () => ({ name: `Matrix area ${tag()}`, category: 'other', pattern: `matrix-${tag()}/**`, tier: 'MEDIUM', description: '', enabled: true });

const SCENARIOS: Record<string, () => Promise<Scenario>> = {
  '(app)/contracts/actions.ts#saveDraftAction': async () => {
    const owner = await requesterOwner();
    const draft = await draftOf(owner);
    return { owner, args: [contractInput(identityId, { title: 'Fix two typos in the refund policy' }), draft.id] };
  },
  '(app)/contracts/actions.ts#submitContractAction': async () => {
    const owner = await requesterOwner();
    const draft = await draftOf(owner);
    return { owner, args: [contractInput(identityId, { rollbackPlan: 'Revert the pull request.' }), draft.id] };
  },
  '(app)/approvals/actions.ts#decideApprovalAction': async () => {
    const owner = await requesterOwner();
    const contract = await submitted(owner, HIGH_TIER);
    const request = await db.approvalRequest.findFirstOrThrow({ where: { contractId: contract.id, kind: 'APPROVER', status: 'PENDING' } });
    if (request.assigneeId) throw new Error('the scenario needs an unassigned approval request');
    return { owner, args: [{ requestId: request.id, outcome: 'APPROVE', reason: REASON }] };
  },
  '(app)/approvals/actions.ts#requestExceptionAction': async () => {
    const owner = await requesterOwner();
    const contract = await submitted(owner, STOP_TIER);
    return { owner, args: [{ contractId: contract.id, what: 'Read the staging key file once.', why: 'The migration needs the key id.', compensatingControls: 'Pairing with security on the call.', days: 2 }] };
  },
  '(app)/approvals/actions.ts#decideExceptionAction': async () => {
    const owner = await requesterOwner();
    const contract = await submitted(owner, STOP_TIER);
    const { requestException } = await import('@/lib/approvals/commands');
    const { exceptionId } = await requestException(owner, { contractId: contract.id, what: 'Read the staging key file once.', why: 'The migration needs the key id.', compensatingControls: 'Pairing with security on the call.', days: 2 });
    return { owner, args: [{ exceptionId, outcome: 'GRANT', reason: REASON }] };
  },
  '(app)/notifications/actions.ts#markAllReadAction': async () => ({ owner: await requesterOwner(), args: [{}] }),
  '(app)/admin/people/actions.ts#endSessionsAction': async () => {
    const owner = await requesterOwner();
    return { owner, args: [{ userId: owner.id }] };
  },
  // Everyone starts from the factories' password; each principal changes its own once.
  '(app)/account/actions.ts#changePasswordAction': async () => ({ owner: await requesterOwner(), args: [{ current: TEST_PASSWORD, next: 'amber willow seventy lantern', confirm: 'amber willow seventy lantern' }] }),
  '(app)/runs/[id]/actions.ts#abortRunAction': async () => {
    const r = await runningRun();
    return { owner: r.owner, args: [{ runId: r.runId, reason: REASON }] };
  },
  '(app)/runs/[id]/actions.ts#decideCallAction': async () => {
    const r = await runningRun();
    const held = await db.callApproval.create({ data: { runId: r.runId, server: r.server.slug, tool: 'write_comment', argumentsHash: 'x'.repeat(64), arguments: { id: 'SUP-1' }, reasons: ['needs approval'], expiresAt: new Date(Date.now() + 3600_000) } });
    return { owner: r.owner, args: [{ approvalId: held.id, decision: 'approve', note: '' }] };
  },
  '(app)/runs/[id]/packet/actions.ts#saveRollbackNoteAction': async () => {
    const r = await finishedRun();
    return { owner: r.owner, args: [{ contractId: r.contract.id, steps: 'Revert the pull request and redeploy main.', verification: 'The checks pass on main.', executors: 'The owning team' }, r.runId] };
  },
  '(app)/runs/[id]/packet/actions.ts#closeOutAction': async () => {
    const r = await finishedRun();
    return { owner: r.owner, args: [{ runId: r.runId, outcome: 'ACCEPTED', reason: REASON }] };
  },
  '(app)/incidents/actions.ts#openIncidentAction': async () => {
    const owner = await requesterOwner();
    return { owner, args: [{ title: `Matrix incident ${tag()}`, severity: 'SEV3', source: 'manual', ownerId: owner.id, summary: 'Something to look into for the matrix.' }] };
  },
  '(app)/incidents/actions.ts#containIncidentAction': async () => {
    const owner = await requesterOwner();
    const row = await incident(owner);
    return { owner, args: [{ incidentId: row.id, action: 'other', reason: REASON }] };
  },
  '(app)/incidents/actions.ts#liftFreezeAction': async () => {
    const owner = await requesterOwner();
    const fx = await createRunnableContract();
    await db.taskContract.update({ where: { id: fx.contract.id }, data: { frozenAt: new Date() } });
    const row = await incident(owner, { status: 'CONTAINED', contractId: fx.contract.id });
    await db.incidentAction.create({ data: { incidentId: row.id, kind: 'freeze-contract', actorId: people.opener.id, note: 'frozen' } });
    return { owner, args: [{ incidentId: row.id, reason: REASON }] };
  },
  '(app)/incidents/actions.ts#resolveIncidentAction': async () => {
    const owner = await requesterOwner();
    const row = await incident(owner, { status: 'CONTAINED' });
    return { owner, args: [{ incidentId: row.id, resolution: 'The token was revoked and rotated.' }] };
  },
  '(app)/incidents/actions.ts#reviewIncidentAction': async () => {
    const owner = await requesterOwner();
    const row = await incident(owner, { status: 'RESOLVED' });
    return { owner, args: [{ incidentId: row.id, what: 'The agent wrote outside its scope once.', why: 'The boundary caught it at the check.', followUps: 'Policy case MX-1 saved.' }] };
  },
  '(app)/security/actions.ts#createIdentityAction': async () => {
    const owner = await requesterOwner();
    return { owner, args: [{ name: `mx-${tag()}`, kind: 'CI_AGENT', description: '', ownerId: owner.id, tools: '', commands: '' }] };
  },
  '(app)/security/actions.ts#setIdentityStatusAction': async () => ({ owner: await requesterOwner(), args: [{ identityId: (await createAgentIdentity()).id, status: 'SUSPENDED', reason: REASON }] }),
  '(app)/security/actions.ts#updateToolProfileAction': async () => ({ owner: await requesterOwner(), args: [{ identityId: (await createAgentIdentity()).id, tools: ['Read'], commands: ['npm test'] }] }),
  '(app)/security/actions.ts#setIdentityKillSwitchAction': async () => ({ owner: await requesterOwner(), args: [{ id: (await createAgentIdentity()).id, on: true, reason: REASON }] }),
  '(app)/security/actions.ts#createTokenAction': async () => ({ owner: await requesterOwner(), args: [{ identityId: (await createAgentIdentity()).id, name: 'CI runner', expiresInDays: 30 }] }),
  '(app)/security/actions.ts#revokeTokenAction': async () => ({ owner: await requesterOwner(), args: [{ tokenId: (await tokenOf((await createAgentIdentity()).id)).id, reason: REASON }] }),
  '(app)/security/actions.ts#rotateTokenAction': async () => ({ owner: await requesterOwner(), args: [{ tokenId: (await tokenOf((await createAgentIdentity()).id)).id, graceHours: 1 }] }),
  '(app)/security/actions.ts#registerServerAction': async () => {
    const owner = await requesterOwner();
    return { owner, args: [{ name: 'Matrix server', slug: `mx-${tag()}`, description: '', transport: 'STREAMABLE_HTTP', endpoint: 'https://mcp.example/mcp', ownerId: owner.id }] };
  },
  '(app)/security/actions.ts#updateServerControlsAction': async () => ({ owner: await requesterOwner(), args: [{ serverId: (await serverWithCapability()).server.id, hasLogging: true, hasOwnerReview: false, hasKillSwitch: true }] }),
  '(app)/security/actions.ts#importToolsAction': async () => ({
    owner: await requesterOwner(),
    args: [{ serverId: (await serverWithCapability()).server.id, json: JSON.stringify({ tools: [{ name: 'list_things', inputSchema: { type: 'object' } }] }) }],
  }),
  '(app)/security/actions.ts#describeCapabilityAction': async () => ({
    owner: await requesterOwner(),
    args: [{ capabilityId: (await serverWithCapability()).capability.id, businessCapability: 'Read a thing', dataClass: 'INTERNAL', access: 'READ', policy: 'NEEDS_APPROVAL' }],
  }),
  '(app)/security/actions.ts#setServerKillSwitchAction': async () => ({ owner: await requesterOwner(), args: [{ id: (await serverWithCapability()).server.id, on: true, reason: REASON }] }),
  '(app)/security/sensitive-areas/actions.ts#saveSensitiveAreaAction': async () => ({ owner: await requesterOwner(), args: [area(), null] }),
  '(app)/security/policy-cases/actions.ts#simulatePolicyChangeAction': async () => ({ owner: await requesterOwner(), args: [{ kind: 'sensitive-area', areaId: null, area: area() }] }),
  '(app)/security/policy-cases/actions.ts#createPolicyCaseAction': async () => ({
    owner: await requesterOwner(),
    args: [{ name: `Matrix case ${tag()}`, note: '', expected: 'DENY', actions: 'write config/secrets/keys.pem', allowedData: [] }],
  }),
  '(app)/security/policy-cases/actions.ts#createCaseFromRunAction': async () => {
    const r = await runningRun();
    const { POST } = await import('@/app/api/v1/runs/[id]/receipts/route');
    const res = await POST(agentRequest(`/api/v1/runs/${r.runId}/receipts`, r.runToken, { kind: 'FILE_WRITE', payload: { path: 'config/secrets/keys.pem' }, clientTimestamp: new Date().toISOString(), idempotencyKey: `mx-${tag()}` }), params({ id: r.runId }));
    const { receipts } = (await res.json()) as { receipts: { seq: number }[] };
    const seq = receipts[0]!.seq;
    return { owner: r.owner, args: [{ name: `Matrix case ${tag()}`, note: '', expected: 'DENY', runId: r.runId, seqs: [seq] }] };
  },
  '(app)/security/policy-cases/actions.ts#setCaseActiveAction': async () => {
    const owner = await requesterOwner();
    const row = await db.policyCase.create({ data: { name: `Matrix case ${tag()}`, actions: [{ type: 'file_write', path: 'config/secrets/keys.pem' }], context: {}, expectedVerdict: 'DENY', createdById: people.opener.id } });
    return { owner, args: [{ caseId: row.id, active: false, reason: 'Retired by the authorization matrix test.' }] };
  },
};

function caller(p: ActionPrincipal, owner: Actor): string | null {
  if (p === 'signed-out') return null;
  if (p === 'owner') return owner.id;
  return people[p].id;
}

async function writes(): Promise<number> {
  const [{ n }] = await db.$queryRaw<{ n: bigint }[]>`SELECT (SELECT count(*) FROM "AuditEvent") + (SELECT count(*) FROM "EvidenceReceipt") + (SELECT count(*) FROM "Notification") AS n`;
  return Number(n);
}

// ————— the tests ——————————————————————————————————————————————————————————————————————————

describe('authorization matrix', () => {
  it('has exactly one row per server action and one per route handler method', async () => {
    const actions = await loadActions();
    const code = [...actions.keys()].sort();
    const table = Object.keys(ACTION_MATRIX).sort();
    expect(code.filter((k) => !table.includes(k)), 'server actions without a row in lib/security/authorization-matrix.ts').toEqual([]);
    expect(table.filter((k) => !code.includes(k)), 'rows for server actions that do not exist').toEqual([]);
    expect(Object.keys(SCENARIOS).sort(), 'every action row needs a scenario in this test').toEqual(table);
    for (const [key, fn] of actions) expect(typeof fn, `${key} must be a server action`).toBe('function');

    const routes = routeKeys().sort();
    const routeTable = Object.keys(ROUTE_MATRIX).sort();
    expect(routes.filter((k) => !routeTable.includes(k)), 'route handlers without a row in lib/security/authorization-matrix.ts').toEqual([]);
    expect(routeTable.filter((k) => !routes.includes(k)), 'rows for route handlers that do not exist').toEqual([]);
  });

  it('is published: docs/authorization.md matches the table (npm run docs:authz)', () => {
    expect(readFileSync('docs/authorization.md', 'utf8')).toBe(renderMatrixMarkdown());
  });

  const results: string[] = [];
  afterAll(() => console.log(`authorization matrix: ${results.length} cells executed`));

  for (const [key, row] of Object.entries(ACTION_MATRIX)) {
    it(`server action ${key.split('#')[1]}: ${row.allow.join(', ')} allowed, everyone else refused`, async () => {
      const action = (await loadActions()).get(key)!;
      const failures: string[] = [];
      for (const p of ACTION_PRINCIPALS) {
        const scenario = await SCENARIOS[key]!();
        session.userId = caller(p, scenario.owner);
        session.codes = [];
        const before = await writes();
        const result = await action(...(scenario.args as [unknown, ...unknown[]]));
        const expectAllow = row.allow.includes(p);
        // The refusal is the error the action answered with, not just any error raised on the way.
        const code = session.codes.findLast((e) => e.message === result.message)?.code;
        if (expectAllow && !result.ok) failures.push(`${p}: expected allowed, got "${result.message}" ${JSON.stringify(result.fieldErrors ?? {})}`);
        if (!expectAllow) {
          if (result.ok) failures.push(`${p}: expected refused, but it succeeded`);
          else if (!code || !REFUSALS.has(code)) failures.push(`${p}: expected an authorization refusal, got ${code ?? 'no AppError'}: "${result.message}"`);
          else if ((await writes()) !== before) failures.push(`${p}: refused, but something was written`);
        }
        results.push(`${key} ${p}`);
      }
      session.userId = null;
      expect(failures).toEqual([]);
    });
  }

  // ————— route handlers —————

  async function routeWorld(): Promise<RouteWorld> {
    const r = await runningRun({ tools: [{ name: 'read_ticket' }] });
    await db.mcpServer.update({ where: { id: r.server.id }, data: { endpoint: fixture.url } });
    const other = await runningRun();
    return { r, other };
  }

  function credentials(p: RoutePrincipal, w: RouteWorld): { headers: Record<string, string>; userId: string | null } {
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    switch (p) {
      case 'anonymous':
        return { headers: {}, userId: null };
      case 'agent':
        return { headers: { ...bearer(w.r.agentToken), 'mandate-run': w.r.runId }, userId: null };
      case 'other-agent':
        return { headers: { ...bearer(w.other.agentToken), 'mandate-run': w.r.runId }, userId: null };
      case 'run':
        return { headers: bearer(w.r.runToken), userId: null };
      case 'other-run':
        return { headers: bearer(w.other.runToken), userId: null };
      default:
        return { headers: {}, userId: people[p].id };
    }
  }

  const ROUTE_CALLS: Record<string, (w: RouteWorld, headers: Record<string, string>) => Promise<Response>> = {
    'GET /api/health': async () => (await import('@/app/api/health/route')).GET(),
    'GET /api/evidence-key': async () => (await import('@/app/api/evidence-key/route')).GET(),
    'GET /api/schemas/review-packet.json': async () => (await import('@/app/api/schemas/review-packet.json/route')).GET(),
    'GET /api/v1/openapi.json': async (_w, h) => (await import('@/app/api/v1/openapi.json/route')).GET(new Request(`${BASE}/api/v1/openapi.json`, { headers: h })),
    'GET /api/approvals/queue': async (_w, h) => (await import('@/app/api/approvals/queue/route')).GET(new Request(`${BASE}/api/approvals/queue`, { headers: h })),
    'GET /audit/export': async (_w, h) => (await import('@/app/(app)/audit/export/route')).GET(new Request(`${BASE}/audit/export`, { headers: h })),
    'GET /dashboard/export': async (_w, h) => (await import('@/app/(app)/dashboard/export/route')).GET(new Request(`${BASE}/dashboard/export`, { headers: h })),
    'GET /runs/[id]/packet/export': async (w, h) => (await import('@/app/(app)/runs/[id]/packet/export/route')).GET(new Request(`${BASE}/runs/${w.r.runId}/packet/export`, { headers: h }), { params: Promise.resolve({ id: w.r.runId }) }),
    'GET /api/v1/me': async (_w, h) => (await import('@/app/api/v1/me/route')).GET(new Request(`${BASE}/api/v1/me`, { headers: h })),
    'POST /api/v1/runs': async (w, h) => {
      // A second approved contract naming the same agent (the world's own contract is already running).
      const fields = Object.fromEntries(Object.entries(w.r.contract).filter(([k]) => !['id', 'number', 'createdAt', 'updatedAt'].includes(k)));
      const next = await db.taskContract.create({ data: { ...fields, status: 'APPROVED', title: `Second contract ${tag()}` } as never });
      await db.contractVersion.create({ data: { contractId: next.id, version: 1, snapshot: {}, createdById: w.r.requester.id } });
      return (await import('@/app/api/v1/runs/route')).POST(jsonRequest('/api/v1/runs', h, { contract: `MDT-${next.number}` }));
    },
    'GET /api/v1/runs/[id]': async (w, h) => (await import('@/app/api/v1/runs/[id]/route')).GET(new Request(`${BASE}/api/v1/runs/${w.r.runId}`, { headers: h }), params({ id: w.r.runId })),
    'POST /api/v1/runs/[id]/receipts': async (w, h) =>
      (await import('@/app/api/v1/runs/[id]/receipts/route')).POST(jsonRequest(`/api/v1/runs/${w.r.runId}/receipts`, h, { kind: 'NOTE', payload: { text: 'matrix' }, clientTimestamp: new Date().toISOString(), idempotencyKey: `mx-${tag()}` }), params({ id: w.r.runId })),
    'POST /api/v1/runs/[id]/check': async (w, h) => (await import('@/app/api/v1/runs/[id]/check/route')).POST(jsonRequest(`/api/v1/runs/${w.r.runId}/check`, h, { action: { type: 'file_read', path: 'src/billing/a.ts' } }), params({ id: w.r.runId })),
    'POST /api/v1/runs/[id]/finish': async (w, h) => (await import('@/app/api/v1/runs/[id]/finish/route')).POST(jsonRequest(`/api/v1/runs/${w.r.runId}/finish`, h, { outcome: 'succeeded' }), params({ id: w.r.runId })),
    'POST /api/v1/runs/[id]/hooks/claude-code': async (w, h) =>
      (await import('@/app/api/v1/runs/[id]/hooks/claude-code/route')).POST(
        jsonRequest(`/api/v1/runs/${w.r.runId}/hooks/claude-code`, h, { hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: '/work/src/billing/a.ts' }, tool_use_id: `toolu_${tag()}`, cwd: '/work' }),
        params({ id: w.r.runId }),
      ),
    'POST /api/v1/mcp/[server]': async (w, h) => gateway('POST', w, h, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })),
    'GET /api/v1/mcp/[server]': async (w, h) => gateway('GET', w, h),
    'DELETE /api/v1/mcp/[server]': async (w, h) => gateway('DELETE', w, h),
  };

  // An allowed call must succeed (2xx), unless a route's own answer to a permitted caller is another status.
  const ALLOWED_STATUS: Record<string, number> = {};

  for (const [key, row] of Object.entries(ROUTE_MATRIX)) {
    // next-auth's own handler reads the request through next/headers, which exists only inside Next:
    // these rows run over HTTP against the production server (e2e/security.spec.ts).
    if (row.overHttp) continue;
    it(`route ${key}: ${row.allow === 'everyone' ? 'everyone' : row.allow.join(', ')} allowed, everyone else refused`, async () => {
      expect(ROUTE_CALLS[key], `a call for ${key} in this test`).toBeDefined();
      const failures: string[] = [];
      for (const p of ROUTE_PRINCIPALS) {
        const world = await routeWorld();
        const { headers, userId } = credentials(p, world);
        session.userId = userId;
        const before = await writes();
        const res = await ROUTE_CALLS[key]!(world, headers);
        const refused = res.status === 401 || res.status === 403 || res.status === 404;
        const success = ALLOWED_STATUS[key] ? res.status === ALLOWED_STATUS[key] : res.ok;
        if (res.status >= 500) failures.push(`${p}: ${res.status} ${await res.text()}`);
        else if (routeAllows(row, p) && !success) failures.push(`${p}: expected allowed, got ${res.status} ${await res.text()}`);
        else if (!routeAllows(row, p)) {
          if (!refused) failures.push(`${p}: expected refused, got ${res.status}`);
          else if ((await writes()) !== before) failures.push(`${p}: refused, but something was written`);
        }
        results.push(`${key} ${p}`);
      }
      session.userId = null;
      expect(failures).toEqual([]);
    });
  }
});

// ————— requests ——————————————————————————————————————————————————————————————————————————

const BASE = 'http://mandate.test';
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });

function agentRequest(path: string, token: string, body: unknown) {
  return jsonRequest(path, { authorization: `Bearer ${token}` }, body);
}

function jsonRequest(path: string, headers: Record<string, string>, body: unknown) {
  return new Request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function gateway(method: 'GET' | 'POST' | 'DELETE', w: RouteWorld, headers: Record<string, string>, body?: string) {
  const route = await import('@/app/api/v1/mcp/[server]/route');
  const request = new Request(`${BASE}/api/v1/mcp/${w.r.server.slug}`, { method, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body });
  return route[method](request, { params: Promise.resolve({ server: w.r.server.slug }) });
}
