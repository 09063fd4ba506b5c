import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { db } from '@/lib/db';
import { tokenAccess } from '@/lib/domain/agent-access';
import { hashToken } from '@/lib/identities/tokens';
import { AppError, ERROR_STATUS } from '@/lib/server/errors';
import { fieldErrorsOf } from '@/lib/server/action';

export type Agent = { identityId: string; identityName: string; tokenId: string; tokenPrefix: string };

/** RFC 9457 problem details; the one error shape of the agent API. */
export function problem(status: number, title: string, detail?: string, errors?: Record<string, string[]>): Response {
  return Response.json({ type: 'about:blank', title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) }, { status, headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' } });
}

const LAST_USED_EVERY_MS = 60_000;

/** The agent behind a bearer token, or a refusal with its reason. The token itself is never stored or logged. */
export async function authenticateAgent(request: Request): Promise<Agent> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(mdt_[A-Za-z0-9_-]+)$/.exec(header);
  if (!match) throw new AppError('UNAUTHENTICATED', 'Send the agent token as "Authorization: Bearer mdt_…".');
  const token = await db.agentToken.findUnique({
    where: { tokenHash: hashToken(match[1]!) },
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

/**
 * Every /api/v1 handler goes through here: token → zod → handler → JSON, with every failure as
 * problem JSON. Unexpected errors get a reference and a calm message; nothing internal leaks.
 */
export function defineApi<S extends z.ZodType | null, R>(schema: S, handler: (input: S extends z.ZodType ? z.output<S> : undefined, agent: Agent, request: Request) => Promise<R>) {
  return async (request: Request): Promise<Response> => {
    try {
      const agent = await authenticateAgent(request);
      let input: unknown = undefined;
      if (schema) {
        const body = await request.json().catch(() => Symbol.for('invalid'));
        if (body === Symbol.for('invalid')) return problem(400, 'The body is not valid JSON.');
        const parsed = schema.safeParse(body);
        if (!parsed.success) return problem(400, 'The body does not match the schema.', undefined, fieldErrorsOf(parsed.error));
        input = parsed.data;
      }
      return Response.json(await handler(input as never, agent, request), { headers: { 'Cache-Control': 'no-store' } });
    } catch (error) {
      if (error instanceof AppError) return problem(ERROR_STATUS[error.code], error.userMessage, undefined, error.fieldErrors);
      const reference = randomUUID().slice(0, 8);
      console.error(JSON.stringify({ level: 'error', msg: 'api handler failed', reference, path: new URL(request.url).pathname, error: (error as Error).message }));
      return problem(500, 'Something went wrong on our side.', `Reference ${reference}.`);
    }
  };
}
