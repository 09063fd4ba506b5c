import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AppError } from '@/lib/server/errors';
import { unreachableBecause } from './config';

export type UpstreamServer = { id: string; slug: string; name: string; transport: 'STDIO' | 'STREAMABLE_HTTP' | 'SSE'; endpoint: string };

/**
 * One connected MCP client per run and upstream server, kept by this process between the run's
 * calls: the initialize handshake happens once per run, not once per call, and no two runs share an
 * upstream session (a stateful server keeps nothing of one run for the next). A client that fails or
 * closes is dropped and the next call connects again; one unused for IDLE_MS is closed.
 */
const IDLE_MS = 5 * 60_000;
type Pooled = { client: Promise<Client>; usedAt: number };
const globalForUpstream = globalThis as unknown as { mandateUpstreams?: Map<string, Pooled>; mandateUpstreamSweep?: NodeJS.Timeout };
const pool: Map<string, Pooled> = (globalForUpstream.mandateUpstreams ??= new Map());
globalForUpstream.mandateUpstreamSweep ??= setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of pool) {
    if (now - entry.usedAt < IDLE_MS) continue;
    pool.delete(key);
    void entry.client.then((c) => c.close()).catch(() => undefined);
  }
}, 60_000).unref();

const keyOf = (s: UpstreamServer, runId: string) => `${s.id}|${s.transport}|${s.endpoint}|${runId}`;

async function connect(server: UpstreamServer, key: string): Promise<Client> {
  const client = new Client({ name: 'mandate-gateway', version: '1.0.0' });
  const url = new URL(server.endpoint);
  const transport = server.transport === 'SSE' ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url);
  client.onclose = () => {
    if (pool.get(key)?.client === promise) pool.delete(key);
  };
  const promise = client.connect(transport, { timeout: 10_000 }).then(() => client);
  return promise;
}

export async function upstreamClient(server: UpstreamServer, runId: string): Promise<Client> {
  const problem = unreachableBecause(server);
  if (problem) throw new AppError('CONFLICT', problem);
  const key = keyOf(server, runId);
  const entry = pool.get(key);
  let promise = entry?.client;
  if (entry) entry.usedAt = Date.now();
  if (!promise) {
    const created = connect(server, key);
    promise = created;
    pool.set(key, { client: created, usedAt: Date.now() });
    created.catch(() => {
      if (pool.get(key)?.client === created) pool.delete(key);
    });
  }
  try {
    return await promise;
  } catch (error) {
    throw new AppError('UNAVAILABLE', `${server.name} did not answer the MCP handshake: ${(error as Error).message}`);
  }
}

/** Drops a client after a transport failure, so the next call connects again. */
export function dropUpstream(server: UpstreamServer, runId: string): void {
  const key = keyOf(server, runId);
  const entry = pool.get(key);
  pool.delete(key);
  void entry?.client.then((c) => c.close()).catch(() => undefined);
}

/** Closes every upstream client (tests and the benchmark call this before they stop). */
export async function closeUpstreams(): Promise<void> {
  const all = [...pool.values()];
  pool.clear();
  await Promise.all(all.map((p) => p.client.then((c) => c.close()).catch(() => undefined)));
}
