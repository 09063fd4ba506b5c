import { createHash, randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ErrorCode, InitializeRequestSchema, JSONRPCRequestSchema, ListToolsRequestSchema, McpError, PingRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { sqlQuery } from '@/lib/db';
import { evaluateAction, type IntendedAction, type Verdict } from '@/lib/domain/boundary';
import { redact, type RedactionPattern } from '@/lib/domain/redaction';
import { isStorableText, jsonDepth, MAX_JSON_DEPTH, UNSTORABLE_TEXT_MESSAGE, unstorableTextPath } from '@/lib/domain/storable-text';
import { configuredPatterns } from '@/lib/evidence/redaction';
import type { ReceiptDraft } from '@/lib/evidence/append';
import { authenticateRunOf, runContextById, RUN_HEADER, type RunContext } from '@/lib/runs/context';
import { MAX_BODY_BYTES, problem, readLimited } from '@/lib/server/api';
import { AppError, DATABASE_RETRY_AFTER_SECONDS, ERROR_STATUS, isDatabaseUnavailable } from '@/lib/server/errors';
import { publicOrigin } from '@/lib/server/origin';
import { consumeRateLimit } from '@/lib/server/rate-limit';
import { heldCall, type HeldCall } from './approvals';
import { cacheKey, cached } from './cache';
import { evidenceMode, record, recordingProblem, type Decision } from './recorder';
import { unreachableBecause } from './config';
import { dropUpstream, upstreamClient, type UpstreamServer } from './upstream';
import { errorFields, log } from '@/lib/server/log';

/**
 * The MCP gateway: Mandate in the path between an agent and a registered MCP server. Each request
 * is authenticated to a run; tools/list shows only what the run's contract may use; every tools/call
 * goes through the same boundary function as /api/v1/runs/{id}/check before it is forwarded, and
 * every forwarded call lands in the run's hash chain as a receipt, with secrets redacted.
 */

/** JSON-RPC error codes of the gateway's refusals (the server-defined range). */
export const GATEWAY_ERROR = { DENIED: -32001, NEEDS_APPROVAL: -32002, UPSTREAM: -32003, CUT_OFF: -32004, NO_RECEIPT: -32005 } as const;

/** How often a forwarded call re-reads the kill switches while it waits for the upstream. */
export const KILL_POLL_MS = 200;
/** The longest a forwarded call may take. */
export const CALL_TIMEOUT_MS = 120_000;
/** Arguments larger than this are stored as their size and digest, not in full. */
export const MAX_STORED_ARGUMENT_BYTES = 16 * 1024;

const patterns = configuredPatterns;

async function findServer(slug: string): Promise<UpstreamServer | null> {
  const rows = await sqlQuery<UpstreamServer>('SELECT "id", "slug", "name", "transport"::text AS "transport", "endpoint" FROM "McpServer" WHERE "slug" = $1', [slug]);
  return rows[0] ?? null;
}

/**
 * Calls each run made through this process, so the tool-call budget holds between cache refreshes
 * and for concurrent requests: the larger of this count and the run's row (which also has the calls
 * other instances and the hook reported). Counted synchronously right after the decision, so two
 * requests cannot both take the last call.
 */
const callCounts = new Map<string, number>();
function callsSoFar(ctx: RunContext): number {
  return Math.max(callCounts.get(ctx.runId) ?? 0, ctx.state.toolCalls);
}
function countCall(ctx: RunContext): void {
  if (callCounts.size > 50_000) callCounts.clear();
  callCounts.set(ctx.runId, callsSoFar(ctx) + 1);
}

/** How long a held call keeps its request open waiting for a decision (MANDATE_GATEWAY_HOLD_SECONDS, default 0: answer at once). */
export function holdSeconds(): number {
  const raw = Number(process.env.MANDATE_GATEWAY_HOLD_SECONDS ?? 0);
  return Number.isFinite(raw) && raw > 0 ? Math.min(raw, 300) : 0;
}

/** Polls the held call once a second until it is decided, the time is up, the caller goes away, or a kill switch stops the run. */
async function waitForDecision(ctx: RunContext, server: UpstreamServer, call: Parameters<typeof heldCall>[1], ms: number, signal: AbortSignal): Promise<HeldCall> {
  const deadline = Date.now() + ms;
  let held: HeldCall = await heldCall(ctx, call);
  while (held.state === 'pending' && Date.now() < deadline && !signal.aborted) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(1000, deadline - Date.now()));
      signal.addEventListener('abort', done, { once: true });
    });
    // The caller went away: do not use an approval for a call nobody will read the answer of.
    if (signal.aborted) break;
    const stopped = await stoppedNow(ctx, server);
    if (stopped) throw new McpError(GATEWAY_ERROR.DENIED, `Mandate: ${stopped}; the held call ${server.slug}/${call.tool} will not run.`);
    held = await heldCall(ctx, call);
  }
  return held;
}

/** The arguments as they go into evidence: secrets redacted, very large ones reduced to size and digest. */
export function storedArguments(args: Record<string, unknown>, list: readonly RedactionPattern[]) {
  const { value, redactions, more } = redact(args, list, 'arguments');
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json);
  const listed = more ? { redactions, moreRedactions: more } : { redactions };
  if (bytes <= MAX_STORED_ARGUMENT_BYTES) return { arguments: value, ...listed };
  return { arguments: null, argumentsOmitted: { bytes, sha256: createHash('sha256').update(json).digest('hex') }, ...listed };
}

/** Why the run, its identity, its contract or this server may no longer act, read fresh from the database. */
async function stoppedNow(ctx: RunContext, server: UpstreamServer): Promise<string | null> {
  const rows = await sqlQuery<{ killed: boolean; killReason: string | null; status: string; statusReason: string | null; frozen: boolean; serverKilled: boolean; serverKillReason: string | null; runStatus: string }>(
    `SELECT a."killedAt" IS NOT NULL AS "killed", a."killReason", a."status"::text AS "status", a."statusReason", c."frozenAt" IS NOT NULL AS "frozen",
            s."killedAt" IS NOT NULL AS "serverKilled", s."killReason" AS "serverKillReason", r."status"::text AS "runStatus"
     FROM "Run" r JOIN "AgentIdentity" a ON a."id" = r."agentIdentityId" JOIN "TaskContract" c ON c."id" = r."contractId" JOIN "McpServer" s ON s."id" = $2
     WHERE r."id" = $1`,
    [ctx.runId, server.id],
  );
  const row = rows[0];
  if (!row) return 'The run or the server no longer exists';
  if (row.serverKilled) return `${server.slug}'s kill switch is on${row.serverKillReason ? `: ${row.serverKillReason}` : ''}`;
  if (row.killed) return `The kill switch of ${ctx.identityName} is on${row.killReason ? `: ${row.killReason}` : ''}`;
  if (row.status !== 'ACTIVE') return `${ctx.identityName} is ${row.status.toLowerCase()}${row.statusReason ? `: ${row.statusReason}` : ''}`;
  if (row.frozen) return `${ctx.contractRef} is frozen`;
  if (row.runStatus !== 'STARTED') return `The run has finished (${row.runStatus.toLowerCase()})`;
  return null;
}

/** Runs `work` with a signal that fires when the caller goes away or a kill switch is thrown. */
async function watched<T>(ctx: RunContext, server: UpstreamServer, outer: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<{ result?: T; error?: unknown; cutOff: string | null }> {
  const controller = new AbortController();
  let cutOff: string | null = null;
  const onOuter = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onOuter);
  let polling = false;
  const timer = setInterval(() => {
    if (polling || controller.signal.aborted) return;
    polling = true;
    stoppedNow(ctx, server)
      .then((reason) => {
        if (reason && !controller.signal.aborted) {
          cutOff = reason;
          controller.abort(new Error(reason));
        }
      })
      .catch(() => undefined)
      .finally(() => (polling = false));
  }, KILL_POLL_MS);
  try {
    return { result: await work(controller.signal), cutOff };
  } catch (error) {
    return { error, cutOff };
  } finally {
    clearInterval(timer);
    outer.removeEventListener('abort', onOuter);
  }
}

async function listTools(ctx: RunContext, server: UpstreamServer): Promise<Tool[]> {
  if (ctx.state.stopped) throw new McpError(GATEWAY_ERROR.DENIED, `Mandate: ${ctx.state.stopped}; no tool of ${server.slug} may be used.`);
  const cap = ctx.boundary.capabilities.find((c) => c.server === server.slug && c.serverKilled);
  if (cap) throw new McpError(GATEWAY_ERROR.DENIED, `Mandate: ${server.slug}'s kill switch is on; no tool of it may be used.`);
  const client = await upstreamOrError(server, ctx.runId);
  // Every page of the upstream's list; the gateway answers with the filtered whole.
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined).catch((error: unknown) => {
      dropUpstream(server, ctx.runId);
      throw new McpError(GATEWAY_ERROR.UPSTREAM, `${server.name} did not list its tools: ${(error as Error).message}`);
    });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor && tools.length < 10_000);
  // Hidden: tools the contract does not grant, and granted ones the policy blocks for this contract.
  return tools.filter((t) => evaluateAction(ctx.boundary, { type: 'mcp_tool', server: server.slug, tool: t.name }, { wallTime: false }).decision !== 'deny');
}

async function upstreamOrError(server: UpstreamServer, runId: string) {
  try {
    return await upstreamClient(server, runId);
  } catch (error) {
    throw new McpError(GATEWAY_ERROR.UPSTREAM, (error as Error).message);
  }
}

/** Writes the decision and its receipt: before answering in sync mode, right behind the answer in async mode. */
async function evidence(ctx: RunContext, decision: Decision, draft: ReceiptDraft, server: UpstreamServer, tool: string): Promise<void> {
  const written = record(ctx, decision, [draft]);
  if (evidenceMode() === 'async') {
    written.catch(() => undefined);
    return;
  }
  try {
    await written;
  } catch (error) {
    // No receipt, no result: the agent must not act on a call the evidence does not show.
    throw new McpError(GATEWAY_ERROR.NO_RECEIPT, `${server.slug}/${tool}: Mandate could not record this call (${(error as Error).message}); its result is withheld.`);
  }
}

async function callTool(ctx: RunContext, server: UpstreamServer, params: { name: string; arguments?: Record<string, unknown> }, signal: AbortSignal, origin: string, timing: { upstreamMs: number }): Promise<CallToolResult> {
  // A call whose name or arguments Postgres cannot hold could not be recorded: refused before anything else.
  if (jsonDepth(params.arguments, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new McpError(ErrorCode.InvalidParams, `Mandate refused this call: its arguments nest deeper than ${MAX_JSON_DEPTH} levels, so it could not be recorded. Nothing was forwarded.`);
  const unstorable = !isStorableText(params.name) ? ['name'] : unstorableTextPath(params.arguments ?? {});
  if (unstorable) throw new McpError(ErrorCode.InvalidParams, `Mandate refused this call: its ${unstorable[0] === 'name' && unstorable.length === 1 ? 'tool name' : `argument ${['arguments', ...unstorable].join('.')}`} ${UNSTORABLE_TEXT_MESSAGE}, so it could not be recorded. Nothing was forwarded.`);
  const unrecorded = recordingProblem(ctx.runId);
  if (unrecorded) throw new McpError(GATEWAY_ERROR.NO_RECEIPT, `Mandate could not record this run's earlier calls (${unrecorded}); calls are refused until evidence can be written again.`);
  const now = new Date();
  const action: IntendedAction = { type: 'mcp_tool', server: server.slug, tool: params.name };
  // The budget counts what this process let through, not only what the (possibly cached) context says.
  const verdict = evaluateAction(ctx.boundary, action, { state: { ...ctx.state, toolCalls: callsSoFar(ctx) }, now });
  if (verdict.decision === 'allow') countCall(ctx);
  const decision: Decision = { callId: `gw_${randomUUID()}`, action, verdict, at: now };
  const stored = storedArguments(params.arguments ?? {}, patterns());
  const why = (d: Verdict['decision']) => verdict.reasons.filter((r) => r.decision === d).map((r) => r.message).join('; ');

  // A call held for a person: through once an approval fits it exactly; otherwise filed and refused.
  let approval: { id: string; by: string } | null = null;
  if (verdict.decision === 'needs_approval') {
    // A person can only approve what they can see: arguments that were redacted or are too large to
    // show cannot be approved call by call.
    if (stored.redactions.length || stored.arguments === null) {
      const hidden = stored.arguments === null ? 'are too large to show' : `hold secrets (${stored.redactions.map((r) => r.path).join(', ')})`;
      await evidence(ctx, decision, { kind: 'NOTE', payload: { event: 'gateway.refused', server: server.slug, tool: params.name, ...stored, reasons: [`The arguments ${hidden}, so nobody can approve this call as sent`] }, clientTimestamp: now, idempotencyKey: decision.callId, toolUseId: null }, server, params.name);
      throw new McpError(GATEWAY_ERROR.DENIED, `Mandate refused ${server.slug}/${params.name}: it needs a person's approval, and its arguments ${hidden}, so the person could not see what they approve. Send it without them.`);
    }
    // Reach the server first, so that an approval is not used up by a call that cannot be made.
    await upstreamOrError(server, ctx.runId);
    const call = { server: server.slug, tool: params.name, args: params.arguments ?? {}, storedArgs: stored.arguments, reasons: verdict.reasons.filter((r) => r.decision === 'needs_approval').map((r) => r.message) };
    let checkRecorded = false;
    const note = async (event: string, held: HeldCall, suffix: string) => {
      await evidence(ctx, { ...decision, recordCheck: !checkRecorded }, { kind: 'NOTE', payload: { event, server: server.slug, tool: params.name, ...stored, approval: held.id, reasons: verdict.reasons.map((r) => r.message) }, clientTimestamp: new Date(), idempotencyKey: `${decision.callId}:${suffix}`, toolUseId: null }, server, params.name);
      checkRecorded = true;
    };
    let held = await heldCall(ctx, call);
    let waited = false;
    if (held.state === 'pending' && holdSeconds() > 0) {
      // Keep the request open a while: a person who decides quickly lets the call run in this request.
      await note('gateway.needs-approval', held, 'held');
      waited = true;
      held = await waitForDecision(ctx, server, call, holdSeconds() * 1000, signal);
    }
    if (held.state === 'approved') {
      approval = { id: held.id, by: held.by };
      decision.recordCheck = !checkRecorded;
      if (waited) {
        // The world may have moved during the wait (budget, policy, grants): decide again.
        const fresh = await runContextById(ctx.runId);
        const again = fresh ? evaluateAction(fresh.boundary, action, { state: { ...fresh.state, toolCalls: callsSoFar(fresh) }, now: new Date() }) : null;
        if (!again || again.decision === 'deny') {
          const reasons = again ? again.reasons.filter((r) => r.decision === 'deny').map((r) => r.message).join('; ') : 'the run no longer exists';
          await note('gateway.refused', held, 'stale');
          throw new McpError(GATEWAY_ERROR.DENIED, `Mandate refused ${server.slug}/${params.name} after its approval: ${reasons}.`);
        }
      }
    } else {
      if (held.state === 'denied') await note('gateway.refused', held, 'denied');
      else if (!waited) await note('gateway.needs-approval', held, 'held');
      if (held.state === 'denied') throw new McpError(GATEWAY_ERROR.DENIED, `Mandate: ${held.by} denied ${server.slug}/${params.name} with these arguments${held.note ? `: ${held.note}` : ''}.`);
      throw new McpError(
        GATEWAY_ERROR.NEEDS_APPROVAL,
        `Mandate: ${server.slug}/${params.name} waits for a person's approval and was not run (${why('needs_approval')}). The requester of ${ctx.contractRef} decides at ${origin}/runs/${ctx.runId}#held-calls; once approved, send the same call again.`,
      );
    }
  } else if (verdict.decision === 'deny') {
    // The refusal is evidence too: the agent tried, the gateway said no, nothing reached the server.
    await evidence(ctx, decision, { kind: 'NOTE', payload: { event: 'gateway.refused', server: server.slug, tool: params.name, ...stored, reasons: verdict.reasons.map((r) => r.message) }, clientTimestamp: now, idempotencyKey: decision.callId, toolUseId: null }, server, params.name);
    throw new McpError(GATEWAY_ERROR.DENIED, `Mandate refused ${server.slug}/${params.name}: ${why('deny')}.`);
  }

  if (approval) countCall(ctx);
  const client = await upstreamOrError(server, ctx.runId);
  const started = performance.now();
  const outcome = await watched(ctx, server, signal, (s) => client.callTool({ name: params.name, arguments: params.arguments ?? {} }, undefined, { signal: s, timeout: CALL_TIMEOUT_MS }) as Promise<CallToolResult>);
  timing.upstreamMs = performance.now() - started;
  const latencyMs = Math.round(timing.upstreamMs * 10) / 10;
  const result = outcome.result;
  const status = outcome.cutOff ? 'cut-off' : outcome.error ? (signal.aborted ? 'caller-gone' : 'upstream-error') : result?.isError ? 'tool-error' : 'ok';
  if (outcome.error && !outcome.cutOff && !(outcome.error instanceof McpError)) dropUpstream(server, ctx.runId);
  // Upstream error texts can echo the arguments back: they go through the same redaction.
  const errorText = outcome.error ? String(redact((outcome.error as Error).message, patterns()).value) : null;

  await evidence(
    ctx,
    decision,
    {
      kind: 'MCP_CALL',
      payload: {
        server: server.slug,
        tool: params.name,
        via: 'gateway',
        ...stored,
        ...(approval ? { approval: { id: approval.id, by: approval.by } } : {}),
        outcome: status,
        latencyMs,
        resultBytes: result ? Buffer.byteLength(JSON.stringify(result)) : 0,
        ...(outcome.cutOff ? { cutOffBecause: outcome.cutOff } : errorText ? { error: errorText.slice(0, 500) } : {}),
      },
      clientTimestamp: now,
      idempotencyKey: decision.callId,
      toolUseId: decision.callId,
    },
    server,
    params.name,
  );
  if (outcome.cutOff) throw new McpError(GATEWAY_ERROR.CUT_OFF, `Mandate cut off ${server.slug}/${params.name} while it ran: ${outcome.cutOff}.`);
  if (outcome.error) {
    if (outcome.error instanceof McpError) throw outcome.error;
    throw new McpError(GATEWAY_ERROR.UPSTREAM, `${server.name} failed on ${params.name}: ${errorText}`);
  }
  return result!;
}

/**
 * The rate limit off the hot path: each request is counted in Postgres (shared by every instance) in
 * the background, and a run over its limit is refused from the next request on, until the window ends.
 */
const overLimit = new Map<string, { until: number; limit: number }>();
function rateLimited(key: string): { limit: number; retryAfterSeconds: number } | null {
  const held = overLimit.get(key);
  if (held && held.until > Date.now()) return { limit: held.limit, retryAfterSeconds: Math.max(1, Math.ceil((held.until - Date.now()) / 1000)) };
  if (held) overLimit.delete(key);
  consumeRateLimit(key)
    .then((v) => {
      if (!v.ok) overLimit.set(key, { until: Date.now() + v.retryAfterSeconds * 1000, limit: v.limit });
    })
    .catch(() => undefined);
  return null;
}

/** The requests the gateway's MCP server answers, with the shape of each. */
const REQUEST_SCHEMAS = new Map<string, { safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }>([
  ['initialize', InitializeRequestSchema],
  ['ping', PingRequestSchema],
  ['tools/list', ListToolsRequestSchema],
  ['tools/call', CallToolRequestSchema],
]);

/**
 * A JSON-RPC request whose params do not fit its method. The SDK checks them only inside its handler
 * wrapper and answers a mismatch as an internal error (-32603) carrying zod's issue list; it is the
 * caller's mistake, so it is answered as invalid params (-32602), saying which.
 */
function invalidParams(body: unknown): { id: string | number; message: string } | null {
  const message = JSONRPCRequestSchema.safeParse(body);
  if (!message.success) return null;
  const schema = REQUEST_SCHEMAS.get(message.data.method);
  const parsed = schema?.safeParse(body);
  if (!parsed || parsed.success) return null;
  const issues = (parsed.error?.issues ?? []).slice(0, 5).map((i) => `${i.path.map(String).join('.') || 'request'}: ${i.message}`);
  return { id: message.data.id, message: `Invalid ${message.data.method} request: ${issues.join('; ')}` };
}

/** One HTTP request to `/api/v1/mcp/{server}`: authenticate, rate-limit, then speak MCP (stateless, JSON responses). */
export async function handleGatewayRequest(request: Request, slug: string): Promise<Response> {
  const begun = performance.now();
  let ctx: RunContext;
  let server: UpstreamServer | null;
  try {
    const auth = cacheKey('auth', request.headers.get('authorization'), request.headers.get(RUN_HEADER));
    ctx = await cached(auth, () => authenticateRunOf(request), (c) => c.tokenExpiresAtMs === null || c.tokenExpiresAtMs > Date.now());
    const limit = rateLimited(ctx.rateKey);
    if (limit) {
      return problem(429, 'Too many requests for this run.', `The limit is ${limit.limit} requests a minute; try again in ${limit.retryAfterSeconds} s.`, undefined, { 'Retry-After': String(limit.retryAfterSeconds) });
    }
    server = await cached(`server:${slug}`, () => findServer(slug));
  } catch (error) {
    if (error instanceof AppError) return problem(ERROR_STATUS[error.code], error.userMessage);
    if (isDatabaseUnavailable(error)) {
      return problem(503, 'The database is unavailable right now.', `Try again in ${DATABASE_RETRY_AFTER_SECONDS} s.`, undefined, { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) });
    }
    throw error;
  }
  if (!server) return problem(404, `No MCP server "${slug}" is registered.`, 'The gateway URL names a server by its slug, as shown on its registry page.');
  const unreachable = unreachableBecause(server);
  if (unreachable) return problem(409, unreachable);

  const origin = publicOrigin(request);
  const found = server;
  const run = ctx;
  const mcp = new Server(
    { name: `mandate-gateway/${found.slug}`, version: '1.0.0' },
    { capabilities: { tools: {} }, instructions: `Tools of ${found.name}, through Mandate for ${run.contractRef}: only what the contract allows is listed, and every call is checked and recorded.` },
  );
  mcp.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await listTools(run, found) }));
  const timing = { upstreamMs: 0 };
  mcp.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    try {
      return await callTool(run, found, req.params, AbortSignal.any([extra.signal, request.signal]), origin, timing);
    } catch (error) {
      if (error instanceof McpError) throw error;
      if (isDatabaseUnavailable(error)) {
        throw new McpError(ErrorCode.InternalError, `Mandate's database is unavailable right now; try ${found.slug}/${req.params.name} again in ${DATABASE_RETRY_AFTER_SECONDS} s. Nothing was forwarded unless its receipt says so.`);
      }
      // Never the internals (a database error's text) to the agent: a reference to the log instead.
      const reference = randomUUID().slice(0, 8);
      log.error({ reference, runId: run.runId, server: found.slug, tool: req.params.name, ...errorFields(error) }, 'gateway call failed');
      throw new McpError(ErrorCode.InternalError, `Mandate could not handle ${found.slug}/${req.params.name}; nothing was forwarded unless its receipt says so. Reference ${reference}.`);
    }
  });
  let parsedBody: unknown;
  if (request.method === 'POST') {
    const text = await readLimited(request);
    if (text === null) return problem(413, `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`, 'Send one JSON-RPC message per request, with smaller arguments.');
    try {
      parsedBody = JSON.parse(text);
    } catch {
      return problem(400, 'The body is not valid JSON-RPC.', 'Send one JSON-RPC message per request.');
    }
    // One message per request, so the rate limit and the budget count every call.
    if (Array.isArray(parsedBody)) return problem(400, 'JSON-RPC batches are not accepted by the gateway.', 'Send one message per request.');
    const invalid = invalidParams(parsedBody);
    if (invalid) return Response.json({ jsonrpc: '2.0', id: invalid.id, error: { code: ErrorCode.InvalidParams, message: invalid.message } }, { headers: { 'Cache-Control': 'no-store' } });
  }
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  const ready = performance.now();
  await mcp.connect(transport);
  try {
    const response = await transport.handleRequest(request, parsedBody === undefined ? undefined : { parsedBody });
    // Where the time went, for the benchmark and for anyone watching latency: before the MCP
    // handling (auth, limits, lookups), waiting on the upstream, and the gateway's whole share.
    const total = performance.now() - begun;
    response.headers.set('Server-Timing', `pre;dur=${(ready - begun).toFixed(2)}, upstream;dur=${timing.upstreamMs.toFixed(2)}, gateway;dur=${(total - timing.upstreamMs).toFixed(2)}`);
    return response;
  } finally {
    void mcp.close();
  }
}
