import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleGatewayRequest } from './gateway';
import { errorFields, log } from '@/lib/server/log';

/**
 * The gateway on a listener of its own (MANDATE_GATEWAY_PORT), inside the app's server process: same
 * handler, same database pool and caches as /api/v1/mcp/{server} on the app's port, without the
 * page framework's request path in between. Same paths, so only the port differs.
 */

const PATH = /^\/api\/v1\/mcp\/([^/?#]+)\/?(?:[?#].*)?$/;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function startGatewayListener(port: number, host = '0.0.0.0'): Promise<{ server: Server; port: number }> {
  const server = createServer(async (req, res) => {
    const match = PATH.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ title: 'The gateway serves /api/v1/mcp/{server} only.', status: 404 }));
      return;
    }
    try {
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
      if (body === null) {
        res.writeHead(413, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ title: 'The body is larger than 4 MB.', status: 413 }));
        return;
      }
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      // The caller going away aborts the request, and with it a held or forwarded call.
      const gone = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined, signal: gone.signal });
      const response = await handleGatewayRequest(request, decodeURIComponent(match[1]!));
      const out: Record<string, string> = {};
      response.headers.forEach((value, key) => (out[key] = value));
      res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      log.error(errorFields(error), 'gateway listener failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ title: 'Something went wrong on our side.', status: 500 }));
    }
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}
