import { expect, test } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

const TOOLS = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  result: {
    tools: [
      { name: 'read_ticket', description: 'Fetch a ticket with comments', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } },
      { name: 'search_articles', description: 'Search help-center articles', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } },
      { name: 'close_ticket', description: 'Close a ticket', inputSchema: { type: 'object' } },
    ],
  },
});

test.beforeEach(async ({ page }) => {
  await signIn(page, DEMO.security.email);
  await expect(page.getByRole('heading', { name: /Good to see you/ })).toBeVisible();
});

test('security registers a server from tools/list, describes two capabilities and sets their policies', async ({ page }) => {
  await page.getByRole('link', { name: 'MCP registry' }).click();
  const register = page.getByRole('form', { name: 'Register an MCP server' });
  await register.getByLabel('Name').fill('Zendesk tickets');
  await register.getByLabel('Slug').fill('zendesk-tickets');
  await register.getByLabel('Endpoint (URL or command)').fill('https://mcp.northwind.internal/zendesk');
  await register.getByLabel('Accountable owner').selectOption({ label: 'Elena García' });
  await register.getByRole('button', { name: 'Register server' }).click();
  await page.getByRole('link', { name: 'Zendesk tickets' }).click();
  await expect(page.getByRole('note')).toContainText('Every tool stays blocked until this server has logging, an owner review, a kill switch');

  const importer = page.getByRole('form', { name: 'Import tools' });
  await importer.getByLabel(/Paste the server/).fill('{"tools": [{"name": 1}]}');
  await importer.getByRole('button', { name: 'Import tools' }).click();
  await expect(importer.getByText('tools[0].name')).toBeVisible();
  await importer.getByLabel(/Paste the server/).fill(TOOLS);
  await importer.getByRole('button', { name: 'Import tools' }).click();
  await expect(importer.getByText('Imported: 3 new (blocked until described), 0 updated.')).toBeVisible();

  const readTicket = page.getByRole('form', { name: 'Describe read_ticket' });
  await readTicket.getByLabel('Business capability it grants').fill('read customer ticket detail, including contact data');
  await readTicket.getByLabel('Data class').selectOption('CUSTOMER');
  await readTicket.getByLabel('Policy').selectOption('NEEDS_APPROVAL');
  await readTicket.getByRole('button', { name: 'Save' }).click();
  await expect(readTicket.getByText('Stays blocked until the server has logging, an owner review, a kill switch.')).toBeVisible();

  const controls = page.getByRole('form', { name: 'Server controls' });
  for (const label of ['Calls are logged', 'Owner has reviewed the tools', 'A kill switch cuts it off']) await controls.getByLabel(label).check();
  await controls.getByRole('button', { name: 'Save controls' }).click();
  await expect(page.getByRole('note')).toHaveCount(0);

  await readTicket.getByRole('button', { name: 'Save' }).click();
  await expect(readTicket.getByText('Saved.')).toBeVisible();
  const search = page.getByRole('form', { name: 'Describe search_articles' });
  await search.getByLabel('Business capability it grants').fill('search public help-center articles');
  await search.getByLabel('Data class').selectOption('PUBLIC');
  await search.getByLabel('Policy').selectOption('DEFAULT_READ');
  await search.getByRole('button', { name: 'Save' }).click();
  await expect(search.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('listitem').filter({ hasText: 'read_ticket' }).first()).toContainText('Needs approval');
  await expect(page.getByRole('listitem').filter({ hasText: 'search_articles' }).first()).toContainText('Allowed by default');
  await expect(page.getByRole('listitem').filter({ hasText: 'close_ticket' }).first()).toContainText('Not described');
  await snap(page, 'mcp-server');
});

test('security creates an identity and a token that is shown once, then only by prefix', async ({ page }) => {
  await page.getByRole('link', { name: 'Agents' }).click();
  const form = page.getByRole('form', { name: 'Register an agent identity' });
  await form.getByLabel('Name').fill('release-notes-bot');
  await form.getByLabel('Kind').selectOption('CI_AGENT');
  await form.getByLabel('Accountable owner').selectOption({ label: 'Lena Novak' });
  await form.getByLabel(/Approved tools/).fill('Read\nEdit');
  await form.getByRole('button', { name: 'Register identity' }).click();
  await page.getByRole('link', { name: 'release-notes-bot' }).click();

  const create = page.getByRole('form', { name: 'Create a token' });
  await create.getByLabel('Token name').fill('CI runner');
  await create.getByLabel('Expires in (days)').fill('30');
  await create.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^mdt_[A-Za-z0-9_-]{8}_/);
  await snap(page, 'identity-token-shown-once');

  const api = await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  expect(await api.json()).toMatchObject({ identity: 'release-notes-bot' });

  await page.getByRole('button', { name: 'I have stored it' }).click();
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(page.getByText(`${token.slice(0, 12)}…`)).toBeVisible();
});

test('the kill switch on a server cuts it off and flags the contracts that depend on it', async ({ page }) => {
  await page.goto('/security/mcp');
  await page.getByRole('link', { name: 'Ledger read replica' }).click();
  await expect(page.getByTestId('affected-contract').first()).toBeVisible();
  const serverUrl = page.url();
  await page.getByRole('button', { name: 'Kill switch' }).click();
  await page.getByLabel(/Why stop Ledger read replica now/).fill('Replica returned unmasked account numbers in a tool result.');
  await page.getByRole('button', { name: 'Stop it now' }).click();
  await expect(page.getByText('Kill switch: Replica returned unmasked account numbers in a tool result.')).toBeVisible();
  await expect(page.getByTestId('affected-contract').first()).toContainText('Server killed');
  await snap(page, 'mcp-server-killed');

  await page.getByTestId('affected-contract').first().getByRole('link').click();
  await expect(page.getByText('server killed').first()).toBeVisible();

  await page.goto(serverUrl);
  await page.getByRole('button', { name: 'Lift the kill switch' }).click();
  await page.getByLabel(/Why lift it/).fill('Masking fixed and verified on the replica.');
  await page.getByRole('button', { name: 'Lift it' }).click();
  await expect(page.getByRole('button', { name: 'Kill switch' })).toBeVisible();
});
