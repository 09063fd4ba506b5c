import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { authenticate, type Actor } from '@/lib/auth/session';
import { AppError } from '@/lib/server/errors';

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

/**
 * Every server action goes through here: session → zod → the command → errors mapped to a form
 * result. The command itself checks permissions and ownership; this wrapper only proves who asks.
 */
export function defineAction<S extends z.ZodType, Args extends unknown[], R>(
  schema: S,
  handler: (input: z.output<S>, actor: Actor, ...args: Args) => Promise<R>,
) {
  return async (raw: unknown, ...args: Args): Promise<FormResult<R>> => {
    try {
      const actor = await authenticate();
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, message: 'Some fields need your attention.', fieldErrors: fieldErrorsOf(parsed.error) };
      return { ok: true, data: await handler(parsed.data, actor, ...args) };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, message: error.userMessage, fieldErrors: error.fieldErrors };
      const reference = randomUUID().slice(0, 8);
      console.error(JSON.stringify({ level: 'error', msg: 'server action failed', reference, error: (error as Error).message }));
      return { ok: false, message: `Something went wrong on our side; nothing was saved. Reference ${reference}.` };
    }
  };
}
