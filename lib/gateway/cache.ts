import { createHash } from 'node:crypto';
import pg from 'pg';
import { databaseUrl } from '@/lib/env';

/**
 * What the gateway keeps in memory between calls: each run's authenticated context (its boundary
 * and stop conditions) and each server's endpoint. Kept honest three ways:
 *  - every change that can alter a boundary NOTIFYs `mandate_policy` at commit (database triggers),
 *    and this process drops everything it keeps when it hears one: a kill switch applies at once;
 *  - an entry older than FRESH_MS is served once more while it is read again in the background, and
 *    one older than MAX_AGE_MS is never served;
 *  - while the LISTEN connection is down, nothing is kept at all.
 */

export const FRESH_MS = 1_000;
export const MAX_AGE_MS = 10_000;
const CHANNEL = 'mandate_policy';

type Entry<T> = { value: T; at: number; refreshing: boolean };

type CacheState = { entries: Map<string, Entry<unknown>>; listening: boolean; listener?: pg.Client; connecting?: Promise<void>; generation: number; retryAt?: number };

/** After a failed LISTEN connection, wait this long before the next try (the database may be down). */
const RETRY_MS = 2_000;
const state = globalThis as unknown as { mandateGatewayCache?: CacheState };
const cache: CacheState = (state.mandateGatewayCache ??= { entries: new Map(), listening: false, generation: 0 });

/** Drops everything kept (a policy change was committed somewhere). */
export function invalidateGatewayCache(): void {
  cache.entries.clear();
  cache.generation++;
}

function listen(): Promise<void> {
  if (cache.listening || cache.connecting) return cache.connecting ?? Promise.resolve();
  if (cache.retryAt && Date.now() < cache.retryAt) return Promise.resolve();
  const client = new pg.Client({ connectionString: databaseUrl() });
  const lost = () => {
    if (cache.listener !== client) return;
    cache.listening = false;
    cache.listener = undefined;
    invalidateGatewayCache();
    client.end().catch(() => undefined);
  };
  client.on('notification', () => invalidateGatewayCache());
  client.on('error', lost);
  client.on('end', lost);
  cache.connecting = client
    .connect()
    .then(() => client.query(`LISTEN ${CHANNEL}`))
    .then(() => {
      cache.listener = client;
      cache.listening = true;
      // Whatever was read before we listened may have missed a change.
      invalidateGatewayCache();
    })
    .catch(() => {
      cache.retryAt = Date.now() + RETRY_MS;
      client.end().catch(() => undefined);
    })
    .finally(() => {
      cache.connecting = undefined;
    });
  return cache.connecting;
}

/** Stops listening (tests and the benchmark, before they close the database). */
export async function stopGatewayListener(): Promise<void> {
  const client = cache.listener;
  cache.listener = undefined;
  cache.listening = false;
  invalidateGatewayCache();
  await client?.end().catch(() => undefined);
}

export const cacheKey = (...parts: (string | null | undefined)[]) => createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex');

/**
 * The kept value for `key`, or a fresh one from `load`. Errors are not kept. `valid` can refuse a
 * kept value (a token that expired since).
 */
export async function cached<T>(key: string, load: () => Promise<T>, valid: (value: T) => boolean = () => true): Promise<T> {
  if (!cache.listening) {
    void listen();
    return load();
  }
  const now = Date.now();
  const entry = cache.entries.get(key) as Entry<T> | undefined;
  if (entry && now - entry.at < MAX_AGE_MS && valid(entry.value)) {
    if (now - entry.at >= FRESH_MS && !entry.refreshing) {
      entry.refreshing = true;
      const generation = cache.generation;
      load()
        .then((value) => {
          if (cache.generation === generation) cache.entries.set(key, { value, at: Date.now(), refreshing: false });
        })
        .catch(() => {
          cache.entries.delete(key);
        });
    }
    return entry.value;
  }
  const generation = cache.generation;
  const value = await load();
  // A change heard while this was being read: do not keep what may predate it.
  if (cache.generation === generation) cache.entries.set(key, { value, at: Date.now(), refreshing: false });
  return value;
}
