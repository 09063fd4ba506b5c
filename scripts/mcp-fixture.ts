// `npm run mcp:fixture`: the demo MCP server (a small support desk: read_ticket, search_docs,
// write_comment, slow_report) on Streamable HTTP, for trying the gateway by hand.
// `npm run dev` starts it by itself in demo mode; this runs it alone. MCP_FIXTURE_PORT picks the port.
import { startMcpFixture } from '../lib/testing/mcp-fixture';

const port = Number(process.env.MCP_FIXTURE_PORT ?? 3100);
const fixture = await startMcpFixture(port);
console.log(`Fixture MCP server on ${fixture.url} (Ctrl-C stops it)`);
const stop = () => void fixture.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
