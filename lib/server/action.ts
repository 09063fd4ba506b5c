import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { authenticate, type Actor } from '@/lib/auth/session';
import { UNSTORABLE_TEXT_MESSAGE, unstorableTextPath } from '@/lib/domain/storable-text';
import { AppError, isDatabaseUnavailable } from '@/lib/server/errors';
import { errorFields, log, requestIdOf } from '@/lib/server/log';

/** The one result shape every form receives. */
export type FormResult<T = undefined> = { ok: true; data: T } | { ok: false; message?: string; fieldErrors?: Record<string, string[]> };

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

const REFUSAL_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'RATE_LIMITED']);

/** Which action and request (the build's action id names it in .next/server/server-reference-manifest.json). */
async function requestOf(): Promise<{ actionId?: string; requestId?: string }> {
  try {
    const { headers } = await import('next/headers');
    const h = await headers();
    return { actionId: h.get('next-action')?.slice(0, 64) ?? undefined, requestId: requestIdOf(h) };
  } catch {
    return {}; // outside a request (tests, scripts)
  }
}

/**
 * Every server action goes through here: session → zod → the command → errors mapped to a form
 * result. The command itself checks permissions and ownership; this wrapper only proves who asks.
 */
export function defineAction<S extends z.ZodType, Args extends unknown[], R>(
  schema: S,
  handler: (input: z.output<S>, actor: Actor, ...args: Args) => Promise<R>,
) {
  return async (raw: unknown, ...args: Args): Promise<FormResult<R>> => {
    let actorId: string | undefined;
    try {
      const actor = await authenticate();
      actorId = actor.id;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, message: 'Some fields need your attention.', fieldErrors: fieldErrorsOf(parsed.error) };
      // Text Postgres cannot store (NUL, lone surrogates) is refused like any invalid field, not left to fail the query.
      const unstorable = unstorableTextPath(parsed.data);
      if (unstorable) return { ok: false, message: 'Some fields need your attention.', fieldErrors: { [unstorable.length ? String(unstorable[0]) : '_form']: [`This ${UNSTORABLE_TEXT_MESSAGE}`] } };
      if (unstorableTextPath(args)) return { ok: false, message: `The request ${UNSTORABLE_TEXT_MESSAGE}.` };
      return { ok: true, data: await handler(parsed.data, actor, ...args) };
    } catch (error) {
      if (error instanceof AppError) {
        // Refusals are security events (ASVS 16.3.2): who was refused what, never the input.
        if (REFUSAL_CODES.has(error.code)) log.warn({ event: 'action.refused', code: error.code, actorId, ...(await requestOf()), reason: error.userMessage }, 'server action refused');
        return { ok: false, message: error.userMessage, fieldErrors: error.fieldErrors };
      }
      if (isDatabaseUnavailable(error)) {
        log.warn({ event: 'database.unavailable', actorId, ...errorFields(error) }, 'server action: database unavailable');
        return { ok: false, message: 'The database is unavailable right now; nothing was saved. Try again in a moment.' };
      }
      const reference = randomUUID().slice(0, 8);
      log.error({ reference, ...errorFields(error) }, 'server action failed');
      return { ok: false, message: `Something went wrong on our side; nothing was saved. Reference ${reference}.` };
    }
  };
}
