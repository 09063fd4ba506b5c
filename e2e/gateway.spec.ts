import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

const CONTRACT = 'Collect CSV export answers from the support handbook into an FAQ';

test('an agent works through the MCP gateway: the registry shows how to connect, the run page shows what the gateway recorded', async ({ page, baseURL }) => {
  await signIn(page, DEMO.security.email);
  await expect(page.getByRole('heading', { name: /Sam/ })).toBeVisible();

  // The registry page: where to point the agent, and a config to paste.
  await page.getByRole('link', { name: 'MCP registry', exact: true }).click();
  await page.getByRole('link', { name: 'Support desk' }).click();
  const gatewayUrl = `${baseURL}/api/v1/mcp/support-desk`;
  await expect(page.getByTestId('gateway-url')).toHaveText(gatewayUrl);
  const claude = JSON.parse((await page.getByTestId('gateway-claude-config').textContent())!);
  expect(claude.mcpServers['support-desk']).toEqual({ type: 'http', url: gatewayUrl, headers: { Authorization: 'Bearer ${MANDATE_RUN_TOKEN}' } });
  await expect(page.getByTestId('gateway-generic-config')).toContainText('"Mandate-Run": "<run id>"');
  await page.getByRole('heading', { name: 'Through the Mandate gateway' }).scrollIntoViewIfNeeded();
  await snap(page, 'gateway-registry');

  // The Integrations page: one .mcp.json for every server the gateway can front (not the stdio one).
  await page.getByRole('link', { name: 'Integrations', exact: true }).click();
  const mcpJson = JSON.parse((await page.getByTestId('gateway-mcp-json').textContent())!);
  expect(Object.keys(mcpJson.mcpServers).sort()).toEqual(['ledger-replica', 'linear-tickets', 'support-desk']);
  await expect(page.getByText('Engineering docs search runs over stdio')).toBeVisible();
  await page.getByRole('heading', { name: 'MCP servers through the Mandate gateway' }).scrollIntoViewIfNeeded();
  await snap(page, 'gateway-integrations');

  // A token for the agent named on the contract, and a run started with it.
  await page.goto('/security/identities');
  await page.getByRole('link', { name: 'claude-code-northwind' }).click();
  const create = page.getByRole('form', { name: 'Create a token' });
  await create.getByLabel('Token name').fill('gateway e2e');
  await create.getByRole('button', { name: 'Create token' }).click();
  const agentToken = (await page.getByTestId('new-token').textContent())!.trim();
  await page.goto('/contracts?status=all');
  const href = await page.getByRole('link', { name: CONTRACT }).getAttribute('href');
  const contractId = href!.split('/').at(-1)!;
  const started = await fetch(`${baseURL}/api/v1/runs`, { method: 'POST', headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ contract: contractId }) });
  const run = (await started.json()) as { run: { id: string }; runToken: string };
  expect(started.status, JSON.stringify(run)).toBe(201);

  // The agent's MCP client, pointed at the gateway: it sees and may call only what the contract grants.
  const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(gatewayUrl), { requestInit: { headers: { authorization: `Bearer ${run.runToken}` } } }));
  expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['search_docs', 'write_comment']);
  const answer = await client.callTool({ name: 'search_docs', arguments: { query: 'export', apiKey: 'sk-e2e-do-not-store' } });
  expect(JSON.stringify(answer.content)).toContain('Exporting data for a customer');
  await expect(client.callTool({ name: 'read_ticket', arguments: { id: 'SUP-101' } })).rejects.toThrow(/Mandate refused support-desk\/read_ticket: .*not one of the contract's MCP capabilities/);

  // A write whose policy asks a person for each call: held, and the requester decides in the browser.
  const comment = { name: 'write_comment', arguments: { ticket: 'SUP-101', body: 'The FAQ now covers large CSV exports.' } };
  await expect(client.callTool(comment)).rejects.toThrow(new RegExp(`waits for a person's approval .*decides at ${baseURL}/runs/${run.run.id}#held-calls`));
  const requester = await page.context().browser()!.newPage();
  await signIn(requester, 'tomas.silva@northwind.example');
  await expect(requester.getByRole('heading', { name: /Tomás/ })).toBeVisible();
  await requester.goto(`/runs/${run.run.id}#held-calls`);
  const held = requester.getByRole('region', { name: 'Calls held for a decision' });
  await expect(held).toContainText('support-desk/write_comment');
  await expect(held).toContainText('The FAQ now covers large CSV exports.');
  await held.getByRole('button', { name: 'Deny' }).click();
  await expect(held.getByText('Say why the call is denied')).toBeVisible();
  await snap(requester, 'gateway-held-call');
  await held.getByRole('button', { name: 'Approve this call' }).click();
  await expect(held).toContainText('approved, not used yet');
  await requester.close();
  const posted = await client.callTool(comment);
  expect(JSON.stringify(posted.content)).toContain('Comment added to SUP-101');
  await client.close();

  // The run page: the gateway's receipts, secrets redacted, the refusal, an intact chain.
  await page.goto(`/runs/${run.run.id}`);
  const receipts = page.getByTestId('receipt');
  await expect(receipts.filter({ hasText: 'support-desk/search_docs' })).toContainText('"apiKey":"[redacted: secret field]"');
  await expect(receipts.filter({ hasText: 'support-desk/search_docs' })).toContainText('written by the Mandate gateway');
  await expect(receipts.filter({ hasText: 'Gateway refused support-desk/read_ticket' })).toHaveCount(1);
  await expect(page.getByText('sk-e2e-do-not-store')).toHaveCount(0);
  await expect(receipts.filter({ hasText: 'support-desk/write_comment' }).filter({ hasText: 'approved by Tomás Silva' })).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Calls held for a decision' })).toContainText('approved and sent');
  await expect(page.getByText(/Chain intact/i).first()).toBeVisible();
  await snap(page, 'gateway-run');
});
