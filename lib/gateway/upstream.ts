import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AppError } from '@/lib/server/errors';
import { unreachableBecause } from './config';

export { unreachableBecause };

export type UpstreamServer = { id: string; slug: string; name: string; transport: 'STDIO' | 'STREAMABLE_HTTP' | 'SSE'; endpoint: string };

/**
 * One connected MCP client per upstream server, shared by every gateway request of this process:
 * the initialize handshake happens once, not once per call. A client that fails or closes is
 * dropped, and the next call connects again.
 */
const globalForUpstream = globalThis as unknown as { mandateUpstreams?: Map<string, Promise<Client>> };
const pool: Map<string, Promise<Client>> = (globalForUpstream.mandateUpstreams ??= new Map());

const keyOf = (s: UpstreamServer) => `${s.id}|${s.transport}|${s.endpoint}`;

async function connect(server: UpstreamServer, key: string): Promise<Client> {
  const client = new Client({ name: 'mandate-gateway', version: '1.0.0' });
  const url = new URL(server.endpoint);
  const transport = server.transport === 'SSE' ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url);
  client.onclose = () => {
    if (pool.get(key) === promise) pool.delete(key);
  };
  const promise = client.connect(transport, { timeout: 10_000 }).then(() => client);
  return promise;
}

export async function upstreamClient(server: UpstreamServer): Promise<Client> {
  const problem = unreachableBecause(server);
  if (problem) throw new AppError('CONFLICT', problem);
  const key = keyOf(server);
  let promise = pool.get(key);
  if (!promise) {
    promise = connect(server, key);
    pool.set(key, promise);
    promise.catch(() => {
      if (pool.get(key) === promise) pool.delete(key);
    });
  }
  try {
    return await promise;
  } catch (error) {
    throw new AppError('UNAVAILABLE', `${server.name} (${server.endpoint}) did not answer the MCP handshake: ${(error as Error).message}`);
  }
}

/** Drops a client after a transport failure, so the next call connects again. */
export function dropUpstream(server: UpstreamServer): void {
  const key = keyOf(server);
  const promise = pool.get(key);
  pool.delete(key);
  void promise?.then((c) => c.close()).catch(() => undefined);
}

/** Closes every upstream client (tests and the benchmark call this before they stop). */
export async function closeUpstreams(): Promise<void> {
  const all = [...pool.values()];
  pool.clear();
  await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)));
}
