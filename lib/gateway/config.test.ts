import { describe, expect, it } from 'vitest';
import { claudeCodeMcpJson, gatewayUrl, genericMcpConfig } from './config';

describe('gateway client config', () => {
  it('points Claude Code at the gateway under the server slug, with the run token from the environment', () => {
    expect(JSON.parse(claudeCodeMcpJson('https://mandate.northwind.example/', 'support-desk'))).toEqual({
      mcpServers: { 'support-desk': { type: 'http', url: 'https://mandate.northwind.example/api/v1/mcp/support-desk', headers: { Authorization: 'Bearer ${MANDATE_RUN_TOKEN}' } } },
    });
  });

  it('puts several servers in one .mcp.json', () => {
    expect(Object.keys(JSON.parse(claudeCodeMcpJson('http://h', 'a', 'b')).mcpServers)).toEqual(['a', 'b']);
  });

  it('gives other clients the URL, the transport and both headers', () => {
    const config = JSON.parse(genericMcpConfig('http://localhost:3000', 'ledger-replica'));
    expect(config).toMatchObject({ transport: 'streamable-http', url: 'http://localhost:3000/api/v1/mcp/ledger-replica' });
    expect(Object.keys(config.headers)).toEqual(['Authorization', 'Mandate-Run']);
    expect(gatewayUrl('http://h', 'a b')).toBe('http://h/api/v1/mcp/a%20b');
  });
});
