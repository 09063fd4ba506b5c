import { handleGatewayRequest } from '@/lib/gateway/gateway';

/**
 * The MCP gateway in front of one registered server (Streamable HTTP). Point the agent's MCP client
 * here instead of at the server; authenticate with the run token (or the agent token plus a
 * Mandate-Run header).
 */
type Context = { params: Promise<{ server: string }> };

const handle = async (request: Request, context: Context) => handleGatewayRequest(request, (await context.params).server);

export const POST = handle;
export const GET = handle;
export const DELETE = handle;
