import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DEFAULT_PATTERNS, redact } from '@/lib/domain/redaction';

/**
 * The app's one logger: JSON lines on stdout (pino), one object per event, with the request id when
 * there is one. Fields that could hold credentials are censored by name, and free text (error
 * messages) goes through the same secret patterns the gateway redacts receipts with, so a token that
 * ends up in an exception message does not end up in the log.
 */
export const log = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: { service: 'mandate' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: ['password', 'token', 'secret', 'authorization', 'cookie', '*.password', '*.token', '*.secret', '*.authorization', '*.cookie', 'headers.*'],
    censor: '[redacted]',
  },
});

/** Free text for the log with secrets (tokens, keys, passwords in URLs…) replaced. */
export function scrub(text: string): string {
  return redact(text, DEFAULT_PATTERNS).value as string;
}

/** An error as log fields: its class and scrubbed message, never its stack's local values. */
export function errorFields(error: unknown): { error: string; errorType: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { error: scrub(e.message).slice(0, 2000), errorType: e.name };
}

const PLAUSIBLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The request id: the one a proxy in front (or ours) set when it looks like an id, else a new one. */
export function requestIdOf(headers: Headers): string {
  const given = headers.get('x-request-id');
  return given && PLAUSIBLE_ID.test(given) ? given : randomUUID();
}
