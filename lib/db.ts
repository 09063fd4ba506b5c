import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient, type Prisma } from '@/lib/generated/prisma/client';
import { databaseUrl } from '@/lib/env';
import { errorFields, log } from '@/lib/server/log';

type Clients = { prisma: PrismaClient; pool: pg.Pool; relaxed: pg.Pool };
const globalForDb = globalThis as unknown as { mandateDb?: Clients };

/** One pg pool per process, shared by Prisma (through its adapter) and the few hot paths that speak SQL. */
function clients(): Clients {
  if (!globalForDb.mandateDb) {
    const pool = new pg.Pool({ connectionString: databaseUrl(), max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    // Counters that are not evidence (rate-limit windows) skip the wait for the WAL flush: a crash may
    // forget the last few increments, which only makes a limit briefly more lenient.
    const relaxed = new pg.Pool({ connectionString: databaseUrl(), max: 4, options: '-c synchronous_commit=off' });
    // An idle connection that Postgres drops (restart, failover) must not take the process down.
    for (const p of [pool, relaxed]) {
      p.on('error', (error) => log.warn(errorFields(error), 'idle database connection lost'));
    }
    globalForDb.mandateDb = { pool, relaxed, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) };
  }
  return globalForDb.mandateDb;
}

/**
 * The one Prisma client. Created on first use (not at import, so `next build` needs no database)
 * and kept on globalThis so that dev-server reloads do not open a new pool each time.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = clients().prisma;
    const value = Reflect.get(client, prop, client);
    return typeof value === 'function' ? value.bind(client) : value;
  },
});

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Plain parameterised SQL ($1, $2, …), for hot paths where the ORM's per-row cost shows. */
export type Sql = { query<T = unknown>(text: string, params: unknown[]): Promise<T[]> };

/** Runs `work` in one transaction on a pooled connection; rolls back on any error. */
export async function pgTransaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await clients().pool.connect();
  const sql: Sql = { query: async <R>(text: string, params: unknown[]) => (await client.query(text, params)).rows as R[] };
  let broken = false;
  // A connection lost while checked out (a database restart) emits 'error' on the client, which pg's
  // pool does not listen to then: unheard, it would be an uncaught exception. The query in flight
  // fails with it anyway; the client is discarded on release.
  const lost = () => (broken = true);
  client.on('error', lost);
  try {
    await client.query('BEGIN');
    const result = await work(sql);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.removeListener('error', lost);
    client.release(broken);
  }
}

/** One statement on the relaxed pool (synchronous_commit off): for counters that are not evidence. */
export async function relaxedQuery<T = unknown>(text: string, params: unknown[]): Promise<T[]> {
  return (await clients().relaxed.query(text, params)).rows as T[];
}

/** One statement on the main pool, outside any transaction. Timestamps come back as text: select epoch ms instead. */
export async function sqlQuery<T = unknown>(text: string, params: unknown[]): Promise<T[]> {
  return (await clients().pool.query(text, params)).rows as T[];
}

/** Closes the client and both pools (scripts call this before stopping an embedded database). */
export async function closeDb(): Promise<void> {
  const current = globalForDb.mandateDb;
  if (!current) return;
  globalForDb.mandateDb = undefined;
  await current.prisma.$disconnect();
  await Promise.all([current.pool.end(), current.relaxed.end()]);
}
