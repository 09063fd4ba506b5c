import { relaxedQuery } from '@/lib/db';

const WINDOW_MS = 60_000;

export function agentRateLimit(): number {
  const raw = Number(process.env.AGENT_RATE_LIMIT_PER_MINUTE ?? '');
  return Number.isInteger(raw) && raw > 0 ? raw : 600;
}

export type RateVerdict = { ok: true } | { ok: false; limit: number; retryAfterSeconds: number };

/**
 * Fixed one-minute windows counted in Postgres (one atomic upsert), so every app instance shares
 * the same count. Old windows are swept now and then by whoever passes.
 */
export async function consumeRateLimit(key: string, limit = agentRateLimit(), now = new Date()): Promise<RateVerdict> {
  const windowStart = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
  const rows = await relaxedQuery<{ count: number }>(
    `INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES ($1, $2, 1)
     ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitBucket"."count" + 1
     RETURNING "count"`,
    [key, windowStart.toISOString()],
  );
  if (Math.random() < 0.001) {
    await relaxedQuery('DELETE FROM "RateLimitBucket" WHERE "windowStart" < $1', [new Date(now.getTime() - 60 * WINDOW_MS).toISOString()]);
  }
  const count = Number(rows[0]?.count ?? 0);
  if (count <= limit) return { ok: true };
  return { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now.getTime()) / 1000)) };
}
