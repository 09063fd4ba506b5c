import pg from 'pg';

/** A connection string (a client is opened and closed here) or a client the caller owns. */
export type Connection = string | pg.ClientBase;

export async function withClient<T>(connection: Connection, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (typeof connection !== 'string') return work(connection);
  const client = new pg.Client({ connectionString: connection });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Session settings for both directions, so that values render and parse the same whatever the
 * server's defaults: UTC, ISO dates, hex bytea, shortest exact floats.
 */
export const STABLE_SETTINGS = ["TimeZone = 'UTC'", "DateStyle = 'ISO, YMD'", "IntervalStyle = 'postgres'", "bytea_output = 'hex'", 'extra_float_digits = 1'];

export async function setLocal(client: pg.ClientBase, settings: string[]): Promise<void> {
  for (const s of settings) await client.query(`SET LOCAL ${s}`);
}
