/** The one error type for user-facing failures; its code decides the HTTP status in one place. */
export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(userMessage);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// What arrives when Postgres is stopped, restarting or unreachable (found by experiment, see
// scripts/faults/): pg's socket errors and its own "Connection terminated unexpectedly"; a server
// error with SQLSTATE class 08 (connection exception) or 57P01–57P03 (admin/crash shutdown, cannot
// connect now) or 53300 (too many connections); and the same wrapped by Prisma's driver adapter —
// P1001/P1002/P1017, or P2010 with `meta.driverAdapterError.cause` of kind DatabaseNotReachable,
// ConnectionClosed, SocketTimeout, TooManyConnections or postgres with one of those SQLSTATEs.
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017']);
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|not queryable|Can't reach database server|server closed the connection unexpectedly/i;

/**
 * True when `error` says the database cannot be reached or dropped the connection (stopped,
 * restarting, failing over, out of connections): a condition to answer with 503 and Retry-After,
 * not a bug. Looks through `cause` chains and Prisma's `meta.driverAdapterError`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length && seen.size < 16) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof AppError) return false;
    const e = current as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    for (const code of [e.code, e.originalCode]) {
      if (typeof code !== 'string') continue;
      if (UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_PRISMA_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    if (typeof e.kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    queue.push(e.cause, e.meta?.driverAdapterError);
  }
  return false;
}
