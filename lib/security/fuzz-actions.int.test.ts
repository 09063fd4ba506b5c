import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db, sqlQuery } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import { submitContract } from '@/lib/contracts/commands';
import { SubmitContractInput } from '@/lib/contracts/schema';
import { requestException } from '@/lib/approvals/commands';
import { openIncident } from '@/lib/incidents/commands';
import { createPolicyCase } from '@/lib/policy/commands';
import { PolicyCaseInput } from '@/lib/policy/schema';
import { OpenIncidentInput } from '@/lib/incidents/schema';
import { changesSince, closeSnapshots, markDb } from '@/lib/testing/db-snapshot';
import { contractInput, createActor, createRunnableContract, ensureSensitiveAreas } from '@/lib/testing/factories';
import { CaseTally, FUZZ_SEED, fuzzParams, lengthBoundaries, materialize, nastyNumber, nastyString, nastyValue } from '@/lib/testing/fuzz';
import { POST as startRoute } from '@/app/api/v1/runs/route';
import { POST as receiptsRoute } from '@/app/api/v1/runs/[id]/receipts/route';
import { POST as finishRoute } from '@/app/api/v1/runs/[id]/finish/route';

/**
 * Property-based fuzzing of every server action. The actions are found, not listed: every
 * app/**\/actions.ts is imported and each export is an action, so a new one is fuzzed without editing
 * this file. Each is called as a person holding every role (so validation and the commands are really
 * reached), with generated input: arbitrary JSON, objects with the action's own schema keys (read
 * from the zod schema it was defined with) holding valid, boundary and broken values, ids of real rows
 * now and then, and arbitrary extra arguments. Properties: never a thrown exception, never the
 * "Something went wrong on our side" result (the 5xx of a form), and a refusal (ok: false) changes no
 * row of any table. FUZZ_SEED and FUZZ_SCALE change the seed and the number of runs; FUZZ_VERBOSE=1
 * prints why each action refused (how deep the inputs get), FUZZ_DEBUG=<actionName> its inputs.
 */

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
/** Each action's zod schema, captured as defineAction builds it. */
const registry = vi.hoisted(() => ({ schemas: new Map<unknown, unknown>() }));

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
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn(), updateTag: vi.fn(), refresh: vi.fn() }));
vi.mock('@/lib/server/action', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/server/action')>();
  return {
    ...original,
    defineAction: ((schema: unknown, handler: never) => {
      const action = original.defineAction(schema as z.ZodType, handler);
      registry.schemas.set(action, schema);
      return action;
    }) as typeof original.defineAction,
  };
});

const previousLogLevel = vi.hoisted(() => {
  const previous = process.env.LOG_LEVEL;
  // Thousands of calls, and failures are reported by the properties: keep the log quiet.
  process.env.LOG_LEVEL ??= 'fatal';
  return { value: previous };
});

// ---------------------------------------------------------------------------------------------
// Discovery

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const files = (readdirSync(join(ROOT, 'app'), { recursive: true }) as string[]).filter((f) => f.split(/[\\/]/).at(-1) === 'actions.ts').sort();

type Action = (input: unknown, ...args: unknown[]) => Promise<unknown>;
type Found = { name: string; file: string; action: Action; schema: z.ZodType | undefined };
const actions: Found[] = [];
const notFunctions: string[] = [];
for (const file of files) {
  const mod = (await import(join(ROOT, 'app', file))) as Record<string, unknown>;
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value !== 'function') {
      notFunctions.push(`app/${file}: ${name} (${typeof value})`);
      continue;
    }
    actions.push({ name, file: `app/${file}`, action: value as Action, schema: registry.schemas.get(value) as z.ZodType | undefined });
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures: rows the generated ids point at, so commands run past "not found"

const tally = new CaseTally();
const began = Date.now();
let actor: Actor;
const pools: Record<string, string[]> = {};
let areasBefore: { id: string; name: string; category: string; pattern: string; tier: 'LOW' | 'MEDIUM' | 'HIGH' | 'STOP'; description: string; enabled: boolean }[] = [];
let casesBefore = new Set<string>();

const BASE = 'http://mandate.test';
const post = (path: string, token: string, body: unknown) => new Request(`${BASE}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function fixtures() {
  await ensureSensitiveAreas();
  areasBefore = await db.sensitiveArea.findMany({ select: { id: true, name: true, category: true, pattern: true, tier: true, description: true, enabled: true } });
  casesBefore = new Set((await db.policyCase.findMany({ select: { id: true } })).map((c) => c.id));
  actor = await createActor(['REQUESTER', 'APPROVER', 'SECURITY', 'LEADER', 'ADMIN']);
  const other = await createActor(['REQUESTER']);
  const approver = await createActor(['APPROVER']);

  // Agent identities with tokens, servers with capabilities, approved contracts; runs on some of them.
  const fxs = [];
  for (let i = 0; i < 3; i++) {
    const fx = await createRunnableContract({ tools: [{ name: 'read_ticket' }, { name: 'write_comment', access: 'WRITE', policy: 'NEEDS_APPROVAL' }] });
    // The factory makes each owner a security person, notified of every violation: keep that to the actor.
    await db.user.update({ where: { id: fx.identity.ownerId }, data: { active: false } });
    if (i < 2) await db.taskContract.update({ where: { id: fx.contract.id }, data: { requesterId: actor.id } });
    fxs.push(fx);
  }
  const runs: string[] = [];
  for (const fx of fxs.slice(0, 2)) {
    const res = await startRoute(post('/api/v1/runs', fx.agentToken, { contract: `MDT-${fx.contract.number}` }));
    const body = (await res.json()) as { run: { id: string }; runToken: string };
    expect(res.status, JSON.stringify(body)).toBe(201);
    runTokens.set(body.run.id, body.runToken);
    const now = new Date().toISOString();
    await receiptsRoute(
      post(`/api/v1/runs/${body.run.id}/receipts`, body.runToken, {
        receipts: [
          { kind: 'FILE_WRITE', payload: { path: 'src/billing/a.ts' }, clientTimestamp: now, idempotencyKey: 'a' },
          { kind: 'FILE_WRITE', payload: { path: 'src/auth/session.ts' }, clientTimestamp: now, idempotencyKey: 'b' },
          { kind: 'COMMAND', payload: { command: 'rm -rf /' }, clientTimestamp: now, idempotencyKey: 'c' },
        ],
      }),
      params(body.run.id),
    );
    runs.push(body.run.id);
    await db.callApproval.create({
      data: { runId: body.run.id, server: fx.server.slug, tool: 'write_comment', argumentsHash: 'f'.repeat(64), arguments: { ticket: 'SUP-1' }, reasons: ['needs approval'], expiresAt: new Date(Date.now() + 3600_000) },
    });
  }

  // Contracts in review (approval requests, one the actor may decide), one blocked at Stop (with an exception request).
  const identityId = fxs[2]!.identity.id;
  const reviewA = await submitContract(other, SubmitContractInput.parse(contractInput(identityId, { allowGlobs: 'billing/**', rollbackPlan: 'Revert the pull request; the export is stateless.' })), null);
  const reviewB = await submitContract(actor, SubmitContractInput.parse(contractInput(identityId, { allowGlobs: 'billing/export/**', rollbackPlan: 'Revert the pull request; the export is stateless.' })), null);
  const blocked = await submitContract(actor, SubmitContractInput.parse(contractInput(identityId, { allowedData: ['repo-content', 'secrets'], blockedItems: [], rollbackPlan: 'Rotate back to the previous secret in the vault.' })), null);
  await requestException(actor, { contractId: blocked.id, what: 'Read the staging secret once', why: 'The export job needs it to test', compensatingControls: 'Rotated right after the run', days: 3 });
  const incident = await openIncident(actor, OpenIncidentInput.parse({ title: 'Fuzz incident', severity: 'SEV3', source: 'manual', ownerId: actor.id, summary: 'Opened by the fuzz test fixtures.', runId: runs[0]!, serverId: fxs[0]!.server.id }));
  await createPolicyCase(actor, PolicyCaseInput.parse({ name: 'Fuzz case: agents never touch auth', expected: 'DENY', actions: 'write src/auth/session.ts', allowedData: [] }));
  const area = await db.sensitiveArea.create({ data: { name: 'fuzz area', category: 'other', pattern: `fuzz-${Date.now()}/**`, tier: 'MEDIUM' } });

  const contracts = [...fxs.map((f) => f.contract.id), reviewA.id, reviewB.id, blocked.id];
  const identities = fxs.map((f) => f.identity.id);
  const servers = fxs.map((f) => f.server.id);
  pools.contract = contracts;
  pools.run = runs;
  pools.identity = identities;
  pools.server = servers;
  pools.capability = fxs.flatMap((f) => f.caps.map((c) => c.id));
  pools.token = (await db.agentToken.findMany({ where: { identityId: { in: identities } }, select: { id: true } })).map((t) => t.id);
  pools.request = (await db.approvalRequest.findMany({ where: { contractId: { in: [reviewA.id, reviewB.id] } }, select: { id: true } })).map((r) => r.id);
  pools.exception = (await db.securityException.findMany({ where: { contractId: blocked.id }, select: { id: true } })).map((r) => r.id);
  pools.approval = (await db.callApproval.findMany({ where: { runId: { in: runs } }, select: { id: true } })).map((r) => r.id);
  pools.incident = [(incident as { id: string }).id];
  pools.case = (await db.policyCase.findMany({ where: { id: { notIn: [...casesBefore] } }, select: { id: true } })).map((c) => c.id);
  pools.area = [area.id];
  pools.user = [actor.id, other.id, approver.id];
  pools.approver = [approver.id];
  pools.identityName = (await db.agentIdentity.findMany({ where: { id: { in: identities } }, select: { name: true } })).map((i) => i.name);
  pools.serverSlug = fxs.map((f) => f.server.slug);
  pools.any = Object.values(pools).flat();

  // The second run finishes: close-out and rollback notes have something to work on.
  const finished = runs[1]!;
  const done = await finishRoute(post(`/api/v1/runs/${finished}/finish`, runTokens.get(finished)!, { outcome: 'succeeded', summary: 'Done' }), params(finished));
  expect(done.status).toBe(200);
}

/** Run tokens are shown once; the fixtures keep them here. */
const runTokens = new Map<string, string>();

/** Which pool of real ids a field draws from, by its name; null when it is not an id. */
function poolFor(field: string): string[] | null {
  const f = field.toLowerCase();
  const table: [RegExp, string][] = [
    [/^contractid$/, 'contract'],
    [/^runid$/, 'run'],
    [/^(identityid|agentidentityid)$/, 'identity'],
    [/^serverid$/, 'server'],
    [/^capabilityids?$/, 'capability'],
    [/^tokenid$/, 'token'],
    [/^requestid$/, 'request'],
    [/^exceptionid$/, 'exception'],
    [/^approvalid$/, 'approval'],
    [/^incidentid$/, 'incident'],
    [/^caseid$/, 'case'],
    [/^areaid$/, 'area'],
    [/^(ownerid|delegatedbyid|namedapproverid|userid|assigneeid)$/, 'user'],
  ];
  for (const [re, pool] of table) if (re.test(f)) return pools[pool] ?? [];
  if (f === 'id' || f.endsWith('id') || f.endsWith('ids')) return pools.any ?? [];
  return null;
}

// ---------------------------------------------------------------------------------------------
// Generators driven by each action's schema (as JSON Schema, input side)

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
};

const TEXT = 'Fuzzed text that is long enough for any minimum: the agent changed the export and nothing else. ';
const GLOBS = ['docs/**', 'src/billing/**', 'fuzz/a.md', '**', 'src/{a,b', '/etc/passwd', '**/*.env*', 'src/[abc].ts', 'migrations/**'];
const TOOLS_JSON = [
  JSON.stringify({ tools: [{ name: 'fuzz_tool', description: 'A tool', inputSchema: { type: 'object' } }] }),
  JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'read_ticket', inputSchema: { type: 'object' } }, { name: 'fuzz.other/x', title: '\u0000', inputSchema: { type: 'object' } }] } }),
  JSON.stringify({ tools: [{ name: 'nul_tool', description: 'has \u0000 inside', inputSchema: { type: 'object', properties: { a: { description: '\u0000' } } } }] }),
  JSON.stringify({ tools: [{ name: 'surrogate_tool', description: 'x\ud800y', inputSchema: { type: 'object' } }] }),
  JSON.stringify({ tools: Array.from({ length: 300 }, (_, i) => ({ name: `t${i}`, inputSchema: { type: 'object' } })) }),
  JSON.stringify({ tools: [{ name: 'a'.repeat(128), inputSchema: { type: 'object', deep: JSON.parse('['.repeat(3000) + ']'.repeat(3000)) } }] }),
  '{"tools": [',
  '[]',
];

/** Realistic, valid values for fields whose meaning the schema does not carry (lists in a textarea, globs, enums behind a transform, ids). */
function hintFor(field: string): fc.Arbitrary<unknown> | null {
  const f = field.toLowerCase();
  const GOOD_GLOBS = ['docs/**', 'src/billing/**', 'fuzz/a.md', 'src/[abc].ts', 'migrations/**', 'docs/policies/refunds.md'];
  if (f === 'blockglobs') return fc.constantFrom('', 'infra/**', ['vendor/**', 'infra/**']);
  if (/globs$|^pattern$/.test(f)) return fc.oneof(fc.constantFrom(...GOOD_GLOBS), fc.array(fc.constantFrom(...GOOD_GLOBS), { minLength: 1, maxLength: 3 }));
  if (f === 'checks' || f === 'localcommands' || f === 'commands') return fc.oneof(fc.constantFrom('npm test', 'npm run lint\nnpm test'), fc.array(fc.constantFrom('npm test', 'make', 'rm -rf /'), { minLength: 1, maxLength: 3 }));
  if (f === 'tools') return fc.oneof(fc.constantFrom('WebFetch', 'Bash\nWebFetch', ''), fc.array(fc.constantFrom('WebFetch', 'Task', 'Bash'), { maxLength: 3 }));
  if (f === 'deliverables') return fc.oneof(fc.constantFrom('patch', 'summary', 'review-packet'), fc.array(fc.constantFrom('patch', 'summary', 'rollback-note'), { minLength: 1, maxLength: 3 }));
  if (f === 'alloweddata') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom('repo-content', 'synthetic-examples', ['repo-content', 'internal-docs']) }, { weight: 1, arbitrary: fc.constantFrom(['repo-content', 'secrets'], 'customer-records') });
  if (f === 'blockeditems') return fc.oneof(fc.constantFrom('secrets', 'migrations'), fc.constant([]));
  if (f === 'json') return fc.constantFrom(...TOOLS_JSON);
  if (f === 'actions') return fc.constantFrom('write src/auth/session.ts', 'read config/.env\nrun rm -rf /', 'mcp srv/tool');
  if (f === 'repository') return fc.constantFrom('northwind/docs', 'a/b');
  if (f === 'endpoint') return fc.constantFrom('http://localhost:1/mcp', 'npx some-server');
  if (f === 'name') return fc.constantFrom(...(pools.identityName ?? []), ...(pools.serverSlug ?? []), 'fuzz-agent', 'Fuzz name');
  if (f === 'slug') return fc.constantFrom(...(pools.serverSlug ?? []), 'fuzz-server');
  if (f === 'namedapproverid') return fc.constantFrom('', pools.approver![0]!);
  if (f === 'delegatedbyid') return fc.constantFrom('', pools.user![1]!);
  if (f === 'tierraisedto') return fc.constantFrom('', '', '', 'STOP');
  if (f === 'seq') return fc.integer({ min: 1, max: 6 });
  if (f === 'seqs') return fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 });
  if (/^(rollbackplan|description|summary|reason|what|why|followups|resolution|steps|verification|compensatingcontrols|tierraisereason|note)$/.test(f)) return fc.constant(TEXT);
  const ids = poolFor(field);
  if (ids && ids.length) return fc.constantFrom(...ids);
  return null;
}

/** Plausible but wrong values for the same fields: bad globs, unknown choices, ids past integer range, text that is not an id. */
function badHintFor(field: string): fc.Arbitrary<unknown> | null {
  const f = field.toLowerCase();
  if (/globs$|^pattern$/.test(f)) return fc.oneof(fc.constantFrom(...GLOBS), fc.constantFrom(...GLOBS).map((g) => `${g}\n${g}`), fc.constant('a/'.repeat(3000)));
  if (f === 'deliverables' || f === 'alloweddata' || f === 'blockeditems') return fc.constantFrom('nope', ['patch', 'nope'], 'production-data', ['secrets', 'SECRETS']);
  if (f === 'actions') return fc.constantFrom('teleport x', '', 'write ' + 'a/'.repeat(3000), 'write \u0000', 'mcp /');
  if (f === 'repository') return fc.constantFrom('no-slash', 'a/b/c', '../x/y');
  if (f === 'endpoint') return fc.constantFrom('file:///etc/passwd', 'javascript:alert(1)', '');
  if (f === 'seq') return fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1, '3', '', 0, -1);
  if (f === 'seqs') return fc.constantFrom([2 ** 31], [2 ** 53 - 1], ['1', '2'], '2', [], [0]);
  if (poolFor(field)) return fc.constantFrom(...(pools.any ?? []), 'c' + 'x'.repeat(24), ' ', '../etc');
  return null;
}

function stringValue(js: JsonSchema): fc.Arbitrary<string> {
  const min = js.minLength ?? 0;
  const max = Math.min(js.maxLength ?? 300, 100_000);
  const text = fc.integer({ min, max: Math.max(min, Math.min(max, 150)) }).map((n) => TEXT.repeat(Math.ceil(n / TEXT.length) + 1).slice(0, n));
  const edges = fc.constantFrom(min, max).map((n) => 'b'.repeat(n));
  if (!js.pattern) return fc.oneof(text, edges);
  // With a pattern, only what matches it: strings fast-check writes from the regex, and the edge lengths
  // when they match (checked here, once: a filter that never passes would spin forever).
  const re = new RegExp(js.pattern);
  const fits = (v: string) => re.test(v) && v.length >= min && v.length <= max;
  const fittingEdges = [min, max].map((n) => 'b'.repeat(n)).filter(fits);
  try {
    const matching = fc.stringMatching(re, { size: 'small' }).filter((v) => v.length >= min && v.length <= max);
    return fittingEdges.length ? fc.oneof(matching, fc.constantFrom(...fittingEdges)) : matching;
  } catch {
    return fc.oneof(text, edges);
  }
}

function numberValue(js: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max(js.minimum ?? -1_000_000, -(2 ** 53));
  const max = Math.min(js.maximum ?? 1_000_000, 2 ** 53);
  const inside = integer ? fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }) : fc.double({ min, max, noNaN: true });
  return fc.oneof({ weight: 3, arbitrary: inside }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
}

/** A value that fits the schema (mostly; hints may not), for the field named `field`. */
function validValue(js: JsonSchema, field = '', depth = 0): fc.Arbitrary<unknown> {
  const hint = field ? hintFor(field) : null;
  const fromSchema = schemaValue(js, depth);
  // A field with a hint mostly gets it: its schema alone (a string, or a list of strings) says too little to be valid by chance.
  return hint ? fc.oneof({ weight: 9, arbitrary: hint }, { weight: 1, arbitrary: fromSchema }) : fromSchema;
}

function schemaValue(js: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const alternatives = js.anyOf ?? js.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => schemaValue(a, depth)));
  if (js.const !== undefined) return fc.constant(js.const);
  if (js.enum?.length) return fc.constantFrom(...js.enum);
  const type = Array.isArray(js.type) ? js.type[0] : js.type;
  switch (type) {
    case 'object':
      return objectValue(js, depth);
    case 'string':
      return stringValue(js);
    case 'integer':
      return numberValue(js, true);
    case 'number':
      return numberValue(js, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(depth > 3 ? nastyValue : schemaValue(js.items ?? {}, depth + 1), { minLength: js.minItems ?? 0, maxLength: Math.max(js.minItems ?? 0, Math.min(js.maxItems ?? 3, 3)) });
    default:
      return nastyValue;
  }
}

function objectValue(js: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = js.properties ?? {};
  const shape = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, depth > 3 ? nastyValue : validValue(p, k, depth + 1)]));
  // Every key most of the time: a schema that checks presence in a refinement lists fewer keys as required than it needs.
  return fc.oneof({ weight: 3, arbitrary: fc.record(shape) }, { weight: 1, arbitrary: fc.record(shape, { requiredKeys: js.required ?? [] }) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A value this field must refuse (or survive): the wrong type, just past its limits, or nasty text. */
function invalidValue(js: JsonSchema, field = ''): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [nastyValue];
  const bad = field ? badHintFor(field) : null;
  if (bad) options.push(bad, bad);
  if (js.minLength !== undefined && js.minLength > 0) options.push(fc.constant('c'.repeat(js.minLength - 1)), fc.constant(' '.repeat(js.minLength + 2)));
  if (js.maxLength !== undefined && js.maxLength <= 2_000_000) options.push(fc.constant('d'.repeat(js.maxLength + 1)), fc.constant('\u0000'.repeat(Math.min(js.maxLength, 50))));
  if (js.minimum !== undefined) options.push(fc.constantFrom(js.minimum - 1, String(js.minimum - 1), js.minimum - 0.5));
  if (js.maximum !== undefined) options.push(fc.constantFrom(js.maximum + 1, String(js.maximum + 1), 2 ** 31, 1e308));
  if (js.enum?.length) options.push(fc.constantFrom(...js.enum.map((e) => (typeof e === 'string' ? e.toLowerCase() : e)), '', 'NOT_A_CHOICE'));
  options.push(nastyNumber, lengthBoundaries(), nastyString);
  return fc.oneof(...options);
}

/** The action's input: a valid-looking object with up to three fields broken, removed, or extra keys added. */
function mutatedInput(js: JsonSchema): fc.Arbitrary<unknown> {
  const variants = js.anyOf ?? js.oneOf;
  if (variants?.length) return fc.oneof(...variants.map(mutatedInput));
  const props = js.properties ?? {};
  const keys = Object.keys(props);
  if (!keys.length) return fc.oneof(fc.constant({}), fc.dictionary(nastyString, nastyValue, { maxKeys: 3 }));
  const nested = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, p.type === 'object' || p.anyOf || p.oneOf ? fc.oneof(mutatedInput(p), invalidValue(p, k)) : invalidValue(p, k)]));
  return fc
    .record({
      base: objectValue(js, 0),
      bad: fc.record(nested, { requiredKeys: keys }),
      pick: fc.array(fc.nat({ max: keys.length - 1 }), { minLength: 1, maxLength: 3 }),
      drop: fc.option(fc.nat({ max: keys.length - 1 }), { freq: 4 }),
      extra: fc.option(fc.tuple(fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'id', 'actorId', 'roles')), nastyValue), { freq: 4 }),
    })
    .map(({ base, bad, pick, drop, extra }) => {
      const out: Record<string, unknown> = { ...base };
      for (const i of pick) out[keys[i]!] = (bad as Record<string, unknown>)[keys[i]!];
      if (drop !== null) delete out[keys[drop]!];
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
      return out;
    });
}

/**
 * The input side of the schema, with the output side filled in where the input says nothing (z.coerce
 * takes anything in, yet a number within limits is what passes).
 */
function merged(input: JsonSchema, output: JsonSchema | undefined): JsonSchema {
  if (!output) return input;
  const meaningful = Object.keys(input).some((k) => !['$schema', 'description', 'default'].includes(k));
  if (!meaningful) return output;
  if (input.properties && output.properties) {
    return { ...input, properties: Object.fromEntries(Object.entries(input.properties).map(([k, v]) => [k, merged(v, output.properties![k])])) };
  }
  return input;
}

function inputFor(found: Found): fc.Arbitrary<unknown> {
  const toJson = (io: 'input' | 'output') => (found.schema ? (z.toJSONSchema(found.schema, { io, unrepresentable: 'any' }) as JsonSchema) : {});
  const js = merged(toJson('input'), toJson('output'));
  return fc.oneof(
    { weight: 2, arbitrary: nastyValue },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, '', 0, [], {}, new FormData()) },
    { weight: 4, arbitrary: schemaValue(js, 0) },
    { weight: 6, arbitrary: mutatedInput(js) },
  );
}

/** Extra positional arguments: a contract, run or area id for the actions that take one, garbage for the rest. */
const extraArgs = (): fc.Arbitrary<unknown[]> =>
  fc.array(fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constantFrom(...pools.any!) }, { weight: 3, arbitrary: nastyValue }, { weight: 1, arbitrary: fc.constant(undefined) }), { maxLength: 2 });

// ---------------------------------------------------------------------------------------------

/** FUZZ_VERBOSE=1: why each action refused, to see how deep the generated input gets. */
const refusals = new Map<string, Map<string, number>>();
function why(name: string, r: { message?: string; fieldErrors?: Record<string, string[]> }) {
  const key = r.fieldErrors ? `fields: ${Object.keys(r.fieldErrors).sort().join(',')}` : String(r.message).slice(0, 90);
  const m = refusals.get(name) ?? new Map<string, number>();
  m.set(key, (m.get(key) ?? 0) + 1);
  refusals.set(name, m);
}

const GENERIC_FAILURE = /Something went wrong on our side|database is unavailable/i;

/** The data an action returns travels to the browser: plain data only. */
function plainData(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || ['string', 'number', 'boolean', 'bigint', 'undefined'].includes(typeof value)) return true;
  if (typeof value !== 'object' || seen.has(value)) return typeof value === 'object';
  seen.add(value);
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.every((v) => plainData(v, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => plainData(v, seen));
}

/** Cases per action: ~5,000 in all; the ones that run the policy simulation over every contract get fewer. */
const RUNS: Record<string, number> = { default: 175, simulatePolicyChangeAction: 90, saveSensitiveAreaAction: 110, describeCapabilityAction: 140, updateToolProfileAction: 140, importToolsAction: 120, submitContractAction: 200, saveDraftAction: 200 };

beforeAll(async () => {
  await fixtures();
  session.actor = actor;
  console.log(`[fuzz-actions] FUZZ_SEED=${FUZZ_SEED}: ${actions.length} actions in ${files.length} files (set FUZZ_SEED / FUZZ_SCALE to change the seed and the number of runs)`);
}, 120_000);

afterAll(async () => {
  // What the fuzzing created that acts on everyone (sensitive areas, policy cases) must not outlive it:
  // the database is shared with the other test files.
  await sqlQuery(`UPDATE "SensitiveArea" SET "enabled" = false WHERE NOT ("id" = ANY($1::text[]))`, [areasBefore.map((a) => a.id)]);
  for (const { id, ...area } of areasBefore) await db.sensitiveArea.update({ where: { id }, data: area });
  await sqlQuery(`UPDATE "PolicyCase" SET "active" = false WHERE NOT ("id" = ANY($1::text[]))`, [[...casesBefore]]);
  await closeSnapshots();
  if (previousLogLevel.value === undefined) delete process.env.LOG_LEVEL;
  if (process.env.FUZZ_VERBOSE) for (const [name, m] of refusals) console.log(name, [...m].sort((a, b) => b[1] - a[1]).slice(0, 14));
  console.log(tally.summary('fuzz-actions', Date.now() - began));
});

describe('fuzzing every server action', () => {
  it('finds the actions: every export of an actions.ts is a function with a schema', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
    expect(notFunctions, 'an actions.ts ("use server") may only export functions').toEqual([]);
    expect(actions.length).toBeGreaterThanOrEqual(30);
    expect(actions.filter((a) => !a.schema).map((a) => `${a.file}: ${a.name}`), 'every action goes through defineAction').toEqual([]);
  });

  it('detects what it must: an insert, an update, a delete, an append-only insert; not a rolled-back write', async () => {
    const detect = async (work: () => Promise<unknown>) => {
      const mark = await markDb();
      await work();
      return (await changesSince(mark)).map((c) => `${c.table} ${c.after - c.before >= 0 ? '+' : ''}${c.after - c.before}${c.touched ? ` touched ${c.touched}` : ''}`);
    };
    let id = '';
    expect(await detect(async () => (id = (await db.notification.create({ data: { userId: actor.id, kind: 'fuzz', title: 'detector' } })).id))).toEqual(['Notification +1 touched 1']);
    expect(await detect(() => db.notification.update({ where: { id }, data: { readAt: new Date() } }))).toEqual(['Notification +0 touched 1']);
    expect(await detect(() => db.notification.delete({ where: { id } }))).toEqual(['Notification -1']);
    expect(await detect(() => db.auditEvent.create({ data: { actorId: actor.id, action: 'fuzz.detector', targetType: 'Test', targetId: 'x' } }))).toEqual(['AuditEvent +1 touched 1']);
    const rolledBack = () =>
      db
        .$transaction(async (tx) => {
          await tx.notification.create({ data: { userId: actor.id, kind: 'fuzz', title: 'rolled back' } });
          throw new Error('roll back');
        })
        .catch((error: Error) => expect(error.message).toBe('roll back'));
    expect(await detect(rolledBack)).toEqual([]);
    expect(await detect(() => db.$queryRawUnsafe('SELECT "id" FROM "Run" LIMIT 1 FOR UPDATE'))).toEqual([]);
  });

  for (const found of actions) {
    it(`${found.name} (${found.file}): never throws, never "something went wrong", and a refusal writes nothing`, async () => {
      session.actor = actor;
      await fc.assert(
        fc.asyncProperty(inputFor(found), extraArgs(), async (input, args) => {
          const mark = await markDb();
          if (process.env.FUZZ_DEBUG === found.name) console.log(JSON.stringify(input)?.slice(0, 600));
          let result: unknown;
          try {
            result = await found.action(materialize(input), ...args.map(materialize));
          } catch (error) {
            tally.add(found.name, 'threw');
            throw new Error(`${found.name} threw instead of returning a result: ${(error as Error)?.stack ?? String(error)}`);
          }
          const r = result as { ok?: unknown; message?: unknown; data?: unknown };
          tally.add(found.name, r?.ok === true ? 'ok' : 'refused');
          if (process.env.FUZZ_VERBOSE && r?.ok === false) why(found.name, r as { message?: string; fieldErrors?: Record<string, string[]> });
          expect(typeof r?.ok, `${found.name} returned ${JSON.stringify(result)?.slice(0, 300)}`).toBe('boolean');
          if (r.ok === false) {
            expect(String(r.message ?? ''), `${found.name}: ${JSON.stringify(result).slice(0, 500)}`).not.toMatch(GENERIC_FAILURE);
            const changes = await changesSince(mark);
            expect(changes, `${found.name} refused (${JSON.stringify(result).slice(0, 300)}) yet wrote`).toEqual([]);
          } else {
            expect(plainData(r.data), `${found.name} returned data the browser cannot receive`).toBe(true);
          }
        }),
        fuzzParams(found.name, RUNS[found.name] ?? RUNS.default!),
      );
    }, 600_000);
  }
});
