// Scenario 0: what actually arrives in the app's code when PostgreSQL goes away, through each of the
// app's own database paths (lib/db.ts: Prisma through adapter-pg, the pool, pgTransaction, the
// relaxed pool), with queries in flight during a fast and an immediate shutdown, and while it is
// down. Every error must be classified as "database unavailable" (lib/server/errors.ts), nothing may
// escape as an uncaught exception, and every path must work again once PostgreSQL is back.
import { closeDb, db, pgTransaction, relaxedQuery, sqlQuery } from '../../lib/db';
import { isDatabaseUnavailable } from '../../lib/server/errors';
import { sleep } from './harness';
import type { Ctx } from './fixtures';

type Probe = [label: string, run: () => Promise<unknown>];

const inFlight = (): Probe[] => [
  ['Prisma $queryRaw', () => db.$queryRaw`SELECT pg_sleep(20)`],
  ['Prisma interactive transaction', () => db.$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(20)`, { timeout: 60_000 })],
  ['pool query (sqlQuery)', () => sqlQuery('SELECT pg_sleep(20)', [])],
  ['pgTransaction', () => pgTransaction((sql) => sql.query('SELECT pg_sleep(20)', []))],
  ['relaxed pool (rate limits)', () => relaxedQuery('SELECT pg_sleep(20)', [])],
];

const whileDown = (): Probe[] => [
  ['Prisma findMany', () => db.user.findMany({ take: 1 })],
  ['Prisma $queryRaw', () => db.$queryRaw`SELECT 1`],
  ['Prisma interactive transaction', () => db.$transaction(async (tx) => tx.user.count())],
  ['Prisma batch transaction', () => db.$transaction([db.user.count()])],
  ['pool query (sqlQuery)', () => sqlQuery('SELECT 1', [])],
  ['pgTransaction', () => pgTransaction((sql) => sql.query('SELECT 1', []))],
  ['relaxed pool (rate limits)', () => relaxedQuery('SELECT 1', [])],
];

/** A short description of an error: its class, codes and the adapter's kind, however deep. */
function shape(error: unknown): string {
  const e = error as { constructor?: { name?: string }; code?: unknown; message?: string; meta?: { driverAdapterError?: { cause?: { kind?: string; code?: string } } } };
  const cause = e.meta?.driverAdapterError?.cause;
  const parts = [e.constructor?.name ?? typeof error, typeof e.code === 'string' ? e.code : null, cause ? `adapter ${cause.kind}${cause.code ? ` ${cause.code}` : ''}` : null];
  const message = (e.message ?? '').split('\n').filter(Boolean).at(-1)?.slice(0, 70);
  return `${parts.filter(Boolean).join(' ')}: ${message}`;
}

export async function errorShapes(ctx: Ctx): Promise<void> {
  const s = ctx.report.section('0. What arrives when PostgreSQL goes away (the app’s own database paths)');
  const uncaught: string[] = [];
  const onUncaught = (error: unknown) => uncaught.push(String((error as Error)?.message ?? error));
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  const seen: { when: string; label: string; shape: string; unavailable: boolean }[] = [];
  const record = async (when: string, probes: Probe[], during?: () => Promise<void>) => {
    const pending = probes.map(([label, run]) => run().then(() => ({ label, error: null as unknown }), (error: unknown) => ({ label, error })));
    if (during) await during();
    for (const { label, error } of await Promise.all(pending)) {
      seen.push({ when, label, shape: error ? shape(error) : 'no error', unavailable: error ? isDatabaseUnavailable(error) : false });
    }
  };
  try {
    await closeDb(); // fresh pools for this process
    await db.$queryRaw`SELECT 1`;
    await relaxedQuery('SELECT 1', []);

    await record('in flight, fast shutdown', inFlight(), async () => {
      await sleep(500);
      await ctx.pg.stopFast();
    });
    await record('while down', whileDown());
    await ctx.pg.start();
    await record('in flight, immediate shutdown', inFlight(), async () => {
      await sleep(500);
      await ctx.pg.stopImmediate();
    });
    await ctx.pg.start();

    // Back: the same pools and client, no restart of anything in this process.
    const after: string[] = [];
    let afterOk = true;
    for (const [label, run] of [
      ['Prisma', () => db.user.count()],
      ['pool', () => sqlQuery('SELECT 1', [])],
      ['pgTransaction', () => pgTransaction((sql) => sql.query('SELECT 1', []))],
      ['relaxed pool', () => relaxedQuery('SELECT 1', [])],
    ] as Probe[]) {
      // The first query on a pool may meet a connection the restart cut; one retry is what a client does.
      const once = await run().then(() => null, (error: unknown) => error);
      const again = once ? await run().then(() => null, (error: unknown) => error) : null;
      after.push(`${label}: ${once ? `first query failed (${shape(once)}, classified ${isDatabaseUnavailable(once) ? 'unavailable' : 'OTHER'}), then ${again ? `failed again: ${shape(again)}` : 'ok'}` : 'ok'}`);
      if (again || (once && !isDatabaseUnavailable(once))) afterOk = false;
    }

    // Control: real SQL errors are not "unavailable".
    const twice = async (run: () => Promise<unknown>) => {
      await run();
      await run();
    };
    const controls = await Promise.all([
      sqlQuery('SELECT * FROM "NoSuchTable"', []).then(() => null, (e: unknown) => e),
      db.$queryRaw`SELECT * FROM "NoSuchTable"`.then(() => null, (e: unknown) => e),
      twice(() => sqlQuery(`INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES ('control-pg', '2026-01-01', 1)`, [])).then(() => null, (e: unknown) => e),
      twice(() => db.$executeRaw`INSERT INTO "RateLimitBucket" ("key", "windowStart", "count") VALUES ('control-prisma', '2026-01-01', 1)`).then(() => null, (e: unknown) => e),
    ]);

    for (const x of seen) s.figure(`${x.when} · ${x.label}`, `${x.shape} → ${x.unavailable ? '503' : 'NOT classified'}`);
    after.forEach((line) => s.figure('after the restart', line));
    controls.forEach((c, i) => s.figure(`control ${i + 1}`, c ? `${shape(c)} → ${isDatabaseUnavailable(c) ? 'classified unavailable!' : 'not unavailable (500)'}` : 'no error?!'));
    s.figure('uncaught exceptions', uncaught.length);

    s.check(seen.length > 0 && seen.every((x) => x.unavailable), 'every error from every database path was classified as "database unavailable"', seen.filter((x) => !x.unavailable).map((x) => `${x.when} · ${x.label}: ${x.shape}`).join('; '));
    s.check(afterOk, 'every database path works again after the restart, in the same process (pools reconnect)', after.join('; '));
    s.check(controls.every((c) => c && !isDatabaseUnavailable(c)), 'real SQL errors (missing table, unique violation; pg and Prisma) are not classified as unavailable');
    s.check(uncaught.length === 0, 'no uncaught exception while connections died (checked-out clients included)', uncaught.slice(0, 3).join(' | '));
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    if (!ctx.pg.running) await ctx.pg.start();
    await closeDb();
  }
}
