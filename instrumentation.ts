// Runs once when the Next.js server starts. With MANDATE_GATEWAY_PORT set, the MCP gateway also
// listens on that port, outside the page framework's request path (see lib/gateway/listener.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const port = Number(process.env.MANDATE_GATEWAY_PORT ?? '');
  if (!Number.isInteger(port) || port <= 0) return;
  const started = globalThis as unknown as { mandateGatewayListener?: boolean };
  if (started.mandateGatewayListener) return;
  started.mandateGatewayListener = true;
  const { startGatewayListener } = await import('./lib/gateway/listener');
  const { port: actual } = await startGatewayListener(port);
  const { log } = await import('./lib/server/log');
  log.info({ port: actual }, 'MCP gateway listener started');
}
