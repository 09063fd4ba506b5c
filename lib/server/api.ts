import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { db } from '@/lib/db';
import { tokenAccess } from '@/lib/domain/agent-access';
import { hashToken } from '@/lib/identities/tokens';
import { AppError, DATABASE_RETRY_AFTER_SECONDS, ERROR_STATUS, isDatabaseUnavailable } from '@/lib/server/errors';
import { consumeRateLimit } from '@/lib/server/rate-limit';
import { errorFields, log, requestIdOf } from '@/lib/server/log';

export type Agent = { identityId: string; identityName: string; tokenId: string; tokenPrefix: string };

/** The largest request body the agent API reads (a full batch of receipts fits well inside). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** RFC 9457 problem details; the one error shape of the agent API. */
export function problem(status: number, title: string, detail?: string, errors?: Record<string, string[]>, headers: Record<string, string> = {}): Response {
  return Response.json(
    { type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) },
    { status, headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...headers } },
  );
}

/** Field errors keyed by their full path (`receipts.3.payload`), so a batch says which item is wrong. */
export function apiFieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_body';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

const LAST_USED_EVERY_MS = 60_000;

export function bearer(request: Request, prefix: 'mdt' | 'mdr'): string {
  const header = request.headers.get('authorization') ?? '';
  const match = new RegExp(`^Bearer\\s+(${prefix}_[A-Za-z0-9_-]+)$`).exec(header);
  if (!match) {
    throw new AppError('UNAUTHENTICATED', prefix === 'mdt' ? 'Send the agent token as "Authorization: Bearer mdt_…".' : 'Send the run token you got when the run started as "Authorization: Bearer mdr_…".');
  }
  return match[1]!;
}

/** The agent behind a bearer token, or a refusal with its reason. The token itself is never stored or logged. */
export async function authenticateAgent(request: Request): Promise<Agent> {
  const token = await db.agentToken.findUnique({
    where: { tokenHash: hashToken(bearer(request, 'mdt')) },
    select: { id: true, prefix: true, revokedAt: true, expiresAt: true, graceEndsAt: true, lastUsedAt: true, identity: { select: { id: true, name: true, status: true, killedAt: true } } },
  });
  if (!token) throw new AppError('UNAUTHENTICATED', 'This token is not known.');
  const now = new Date();
  const verdict = tokenAccess(token, token.identity, now);
  if (!verdict.ok) throw new AppError(verdict.about === 'token' ? 'UNAUTHENTICATED' : 'FORBIDDEN', verdict.reason);
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db.agentToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return { identityId: token.identity.id, identityName: token.identity.name, tokenId: token.id, tokenPrefix: token.prefix };
}

type RouteContext = { params: Promise<Record<string, string>> };

/**
 * The body as text, read no further than `max` bytes (a declared or streamed larger body is refused
 * without holding it in memory); null when it is too large.
 */
export async function readLimited(request: Request, max = MAX_BODY_BYTES): Promise<string | null> {
  if (Number(request.headers.get('content-length') ?? 0) > max) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readBody(request: Request, schema: z.ZodType): Promise<{ ok: true; data: unknown } | { ok: false; response: Response }> {
  const text = await readLimited(request);
  if (text === null) return { ok: false, response: problem(413, `The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`, 'Send receipts in smaller batches.') };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, response: problem(400, 'The body is not valid JSON.', text.length === 0 ? 'The body is empty; send a JSON object.' : undefined) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, response: problem(400, 'The body does not match the schema.', 'See `errors` for each field; nothing was stored.', apiFieldErrors(parsed.error)) };
  return { ok: true, data: parsed.data };
}

/**
 * The one pipeline of every /api/v1 handler: authenticate (agent or run token) → per-token rate
 * limit → zod body → handler → JSON. Every failure is problem JSON; unexpected errors get a
 * reference and a calm message, and nothing internal leaks.
 */
function pipeline<P, S extends z.ZodType | null, R>(
  authenticate: (request: Request, params: Record<string, string>) => Promise<P & { rateKey: string }>,
  schema: S,
  handler: (input: S extends z.ZodType ? z.output<S> : undefined, principal: P, request: Request) => Promise<R>,
  status = 200,
) {
  const run = async (request: Request, requestId: string, seen: { principal?: string }, context?: RouteContext): Promise<Response> => {
    try {
      const params = context ? await context.params : {};
      const principal = await authenticate(request, params);
      seen.principal = principal.rateKey;
      const limit = await consumeRateLimit(principal.rateKey);
      if (!limit.ok) {
        return problem(429, 'Too many requests for this token.', `The limit is ${limit.limit} requests a minute; try again in ${limit.retryAfterSeconds} s.`, undefined, { 'Retry-After': String(limit.retryAfterSeconds) });
      }
      let input: unknown = undefined;
      if (schema) {
        const body = await readBody(request, schema);
        if (!body.ok) return body.response;
        input = body.data;
      }
      return Response.json(await handler(input as never, principal, request), { status, headers: { 'Cache-Control': 'no-store' } });
    } catch (error) {
      if (error instanceof AppError) {
        return problem(ERROR_STATUS[error.code], error.userMessage, undefined, error.fieldErrors);
      }
      if (isDatabaseUnavailable(error)) {
        log.warn({ requestId, event: 'database.unavailable', ...errorFields(error) }, 'api: database unavailable');
        return problem(503, 'The database is unavailable right now.', `Try again in ${DATABASE_RETRY_AFTER_SECONDS} s. Resending receipts is safe: each idempotency key is stored once.`, undefined, { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) });
      }
      const reference = randomUUID().slice(0, 8);
      log.error({ requestId, reference, path: new URL(request.url).pathname, ...errorFields(error) }, 'api handler failed');
      return problem(500, 'Something went wrong on our side.', `Reference ${reference}.`);
    }
  };
  // One access-log line per request (never a header, body or query string), and the request id on the response.
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    const started = performance.now();
    const requestId = requestIdOf(request.headers);
    const seen: { principal?: string } = {};
    const response = await run(request, requestId, seen, context);
    response.headers.set('X-Request-Id', requestId);
    const level = response.status >= 500 ? 'error' : response.status >= 400 ? 'warn' : 'info';
    // principal: `token:<agent token id>` or `run:<run id>` (ids, never the token).
    log[level]({ requestId, method: request.method, path: new URL(request.url).pathname, status: response.status, principal: seen.principal, ms: Math.round(performance.now() - started) }, 'api request');
    return response;
  };
}

/** A handler authenticated with an agent identity's token (`mdt_…`). */
export function defineApi<S extends z.ZodType | null, R>(
  schema: S,
  handler: (input: S extends z.ZodType ? z.output<S> : undefined, agent: Agent, request: Request) => Promise<R>,
  options: { status?: number } = {},
) {
  const authenticate = async (request: Request) => {
    const agent = await authenticateAgent(request);
    return { ...agent, rateKey: `token:${agent.tokenId}` };
  };
  return pipeline(authenticate, schema, handler, options.status);
}

export { pipeline as defineApiWith };
