/** What an agent's MCP client needs to go through the gateway instead of straight to a server. */

export const gatewayPath = (slug: string) => `/api/v1/mcp/${encodeURIComponent(slug)}`;
export const gatewayUrl = (origin: string, slug: string) => `${origin.replace(/\/+$/, '')}${gatewayPath(slug)}`;

/**
 * Claude Code's project `.mcp.json`: the server keeps its registry slug as its name, so Claude
 * Code's tool names (`mcp__<slug>__<tool>`) match the permission rules Mandate writes for the
 * contract. `${MANDATE_RUN_TOKEN}` is expanded by Claude Code from its environment.
 */
export function claudeCodeMcpJson(origin: string, ...slugs: string[]): string {
  const server = (slug: string) => ({ type: 'http', url: gatewayUrl(origin, slug), headers: { Authorization: 'Bearer ${MANDATE_RUN_TOKEN}' } });
  return JSON.stringify({ mcpServers: Object.fromEntries(slugs.map((slug) => [slug, server(slug)])) }, null, 2);
}

/** Any other Streamable HTTP client: the agent identity's token plus the run it works for. */
export function genericMcpConfig(origin: string, slug: string): string {
  return JSON.stringify(
    { name: slug, transport: 'streamable-http', url: gatewayUrl(origin, slug), headers: { Authorization: 'Bearer <agent token, mdt_…>', 'Mandate-Run': '<run id>' } },
    null,
    2,
  );
}

/** Why the gateway cannot reach this server at all, or null. */
export function unreachableBecause(server: { name: string; transport: string; endpoint: string }): string | null {
  if (server.transport === 'STDIO') {
    return `${server.name} runs over stdio on the agent's machine, so no gateway can sit in its path. Register an HTTP endpoint for it (Streamable HTTP) to route it through Mandate.`;
  }
  try {
    const url = new URL(server.endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${server.name}'s endpoint is not an http(s) URL.`;
  } catch {
    return `${server.name}'s endpoint (${server.endpoint}) is not a URL.`;
  }
  return null;
}
