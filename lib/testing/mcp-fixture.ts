import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/**
 * A small MCP server for tests, the benchmark and the demo: a support desk with a few tickets and
 * docs. Streamable HTTP at `/mcp`, stateless. It records every tool call it receives, so a test can
 * prove that a refused call never reached it.
 */

export type FixtureCall = { tool: string; arguments: Record<string, unknown>; at: Date };
export type McpFixture = { url: string; port: number; received: FixtureCall[]; close(): Promise<void> };

export const FIXTURE_TOOLS = [
  { name: 'read_ticket', description: 'Read one support ticket with its latest comments.', business: 'read support tickets', dataClass: 'CUSTOMER', access: 'READ' },
  { name: 'search_docs', description: 'Search the support handbook.', business: 'search the support handbook', dataClass: 'INTERNAL', access: 'READ' },
  { name: 'write_comment', description: 'Add a comment to a ticket.', business: 'post comments on support tickets', dataClass: 'INTERNAL', access: 'WRITE' },
  { name: 'slow_report', description: 'Build a ticket report; takes the given number of milliseconds.', business: 'build support reports', dataClass: 'INTERNAL', access: 'READ' },
] as const;

const TICKETS: Record<string, { title: string; status: string; comments: string[] }> = {
  'SUP-101': { title: 'CSV export times out for large accounts', status: 'open', comments: ['Reproduced with 40k rows.', 'Customer is on the Growth plan.'] },
  'SUP-102': { title: 'Refund shows twice in the ledger view', status: 'investigating', comments: ['Only in the read replica; primary is fine.'] },
  'SUP-103': { title: 'SSO login loops on Safari', status: 'closed', comments: ['Fixed by clearing the stale cookie.'] },
};

const DOCS = [
  { title: 'Escalating a ticket', body: 'Escalate after 2 business days without a reply, or at once for data loss.' },
  { title: 'Refund policy', body: 'Refunds within 30 days are automatic; later ones need a team lead.' },
  { title: 'Exporting data for a customer', body: 'Use the admin export, never a database dump; exports expire after 24 hours.' },
];

const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] });

function fixtureServer(received: FixtureCall[]): McpServer {
  const server = new McpServer({ name: 'support-desk-fixture', version: '1.0.0' });
  const record = (tool: string, args: Record<string, unknown>) => received.push({ tool, arguments: args, at: new Date() });
  server.registerTool('read_ticket', { description: FIXTURE_TOOLS[0].description, inputSchema: { id: z.string() } }, async (args) => {
    record('read_ticket', args);
    const ticket = TICKETS[args.id];
    return ticket ? text({ id: args.id, ...ticket }) : { ...text(`No ticket ${args.id}.`), isError: true };
  });
  server.registerTool('search_docs', { description: FIXTURE_TOOLS[1].description, inputSchema: { query: z.string(), apiKey: z.string().optional() } }, async (args) => {
    record('search_docs', args);
    const words = args.query.toLowerCase().split(/\s+/).filter(Boolean);
    return text(DOCS.filter((d) => words.some((w) => `${d.title} ${d.body}`.toLowerCase().includes(w))));
  });
  server.registerTool('write_comment', { description: FIXTURE_TOOLS[2].description, inputSchema: { ticket: z.string(), body: z.string() } }, async (args) => {
    record('write_comment', args);
    TICKETS[args.ticket]?.comments.push(args.body);
    return text(`Comment added to ${args.ticket}.`);
  });
  server.registerTool('slow_report', { description: FIXTURE_TOOLS[3].description, inputSchema: { ms: z.number().int().min(0).max(60_000) } }, async (args, extra) => {
    record('slow_report', args);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, args.ms);
      extra.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return text({ tickets: Object.keys(TICKETS).length, open: Object.values(TICKETS).filter((t) => t.status !== 'closed').length });
  });
  return server;
}

/** Starts the fixture on 127.0.0.1 (port 0 picks a free one). */
export async function startMcpFixture(port = 0): Promise<McpFixture> {
  const received: FixtureCall[] = [];
  const http: HttpServer = createServer(async (req, res) => {
    if (!req.url?.startsWith('/mcp')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('The MCP endpoint is /mcp.');
      return;
    }
    const server = fixtureServer(received);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end((error as Error).message);
    }
  });
  http.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/mcp`,
    port: actual,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
