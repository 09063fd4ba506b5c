import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, email);
  await expect(page.getByRole('heading', { name: /Good to see you/ })).toBeVisible();
  return page;
}

async function fileContract(page: Page, d: { title: string; allow: string; approver?: string; secrets?: boolean }) {
  await page.goto('/contracts/new');
  await page.getByLabel('Title', { exact: true }).fill(d.title);
  await page.getByLabel('Description').fill(`${d.title}: change only the listed paths and run the checks.`);
  await page.getByLabel('Repository', { exact: true }).fill('northwind/payments-api');
  await page.getByLabel('File scope: paths the agent may change').fill(d.allow);
  await page.getByLabel('Checks to run').fill('npm test');
  await page.getByLabel('Agent identity').selectOption({ label: 'claude-code-northwind' });
  if (d.approver) await page.getByLabel(/Named approver/).selectOption({ label: d.approver });
  if (d.secrets) {
    await page.getByRole('group', { name: 'Data the agent may see' }).getByLabel('Secrets and credentials').check();
    await page.getByRole('group', { name: 'Blocked data and actions' }).getByLabel('Secrets and credentials').uncheck();
  }
  await page.getByLabel(/Rollback plan/).fill('Revert the PR and re-run the export smoke test on staging.');
  await page.getByRole('button', { name: 'Submit contract' }).click();
  await expect(page.getByRole('heading', { name: d.title })).toBeVisible();
  return page.url();
}

test('a High contract is approved by its named approver and co-signed by security', async ({ browser }) => {
  const title = 'Page the invoice export by merchant';
  const priya = await as(browser, DEMO.requester.email);
  const contractUrl = await fileContract(priya, { title, allow: 'billing/export/**', approver: 'Elena García — Engineering Manager, Customer Experience' });
  await expect(priya.getByText('In review').first()).toBeVisible();
  await expect(priya.getByRole('link', { name: 'Decide' })).toHaveCount(0);

  const elena = await as(browser, DEMO.approver.email);
  await elena.getByRole('link', { name: /Approvals/ }).click();
  await expect(elena.getByRole('tab', { name: /Assigned to me/ })).toHaveAttribute('aria-selected', 'true');
  await snap(elena, 'approvals-queue');
  await elena.getByRole('link', { name: title }).click();
  await expect(elena.getByRole('heading', { name: 'Engineering view' })).toBeVisible();
  await elena.getByRole('button', { name: 'Approve' }).click();
  await expect(elena.getByText('Write the reason in at least 10 characters')).toBeVisible();
  await elena.getByLabel('Your reason (required)').fill('Scope is only the export; tests cover paging; rollback is a revert.');
  await snap(elena, 'approval-decision');
  await elena.getByRole('button', { name: 'Approve' }).click();
  await expect(elena).toHaveURL(contractUrl);
  await expect(elena.getByText('Elena García:')).toBeVisible();

  const sam = await as(browser, DEMO.security.email);
  await sam.goto('/approvals');
  await sam.getByRole('tab', { name: /My role's queue/ }).click();
  await sam.getByRole('link', { name: title }).click();
  await sam.getByLabel('Your reason (required)').fill('No new data access, change is behind review; co-signed.');
  await sam.getByRole('button', { name: 'Approve' }).click();
  await expect(sam).toHaveURL(contractUrl);
  await expect(sam.getByText('Approved', { exact: true }).first()).toBeVisible();
  await snap(sam, 'contract-approved');

  await priya.reload();
  await expect(priya.getByText('Approved', { exact: true }).first()).toBeVisible();
  await priya.goto('/notifications');
  await expect(priya.getByRole('link', { name: /Sam Okafor approved/ })).toBeVisible();
});

test('a Stop contract stays blocked until security grants an exception', async ({ browser }) => {
  const title = 'Rotate the ledger signing key';
  const priya = await as(browser, DEMO.requester.email);
  const contractUrl = await fileContract(priya, { title, allow: 'src/ledger/signing.ts', secrets: true });
  await expect(priya.getByText('Blocked', { exact: true }).first()).toBeVisible();
  const ask = priya.getByRole('form', { name: 'Ask for a security exception' });
  await ask.getByLabel('What the exception should allow').fill('Read the ledger signing key reference once');
  await ask.getByLabel('Why it is needed').fill('The key is due for rotation this week');
  await ask.getByLabel('Compensating controls').fill('Pairing with security; the agent writes only the vault reference');
  await ask.getByRole('button', { name: 'Ask security' }).click();
  await expect(priya.getByText('requested', { exact: true }).first()).toBeVisible();

  const sam = await as(browser, DEMO.security.email);
  await sam.goto(contractUrl);
  await sam.getByLabel('Your reason (required)').fill('Granted for seven days with pairing; key reference only.');
  await sam.getByRole('button', { name: 'Grant exception' }).click();
  await expect(sam.getByText('granted', { exact: true }).first()).toBeVisible();
  await expect(sam.getByText('In review').first()).toBeVisible();
  await snap(sam, 'contract-exception-granted');
});

test('security searches the audit log and exports it as CSV', async ({ browser }) => {
  const sam = await as(browser, DEMO.security.email);
  await sam.getByRole('link', { name: 'Audit log' }).click();
  await sam.getByLabel('Action').fill('approval.decided');
  await sam.getByRole('button', { name: 'Search' }).click();
  await expect(sam).toHaveURL(/action=approval.decided/);
  const rows = sam.locator('tbody tr');
  await expect(rows.first()).toContainText('approval.decided');
  await snap(sam, 'audit-log');
  const [download] = await Promise.all([sam.waitForEvent('download'), sam.getByRole('link', { name: 'Export CSV' }).click()]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString('utf8');
  expect(text.split('\r\n')[0]).toBe('id,time_utc,actor,actor_email,action,target_type,target_id,before,after');
  expect(text).toContain('approval.decided');
  expect(text).not.toContain('contract.created');

  const priya = await as(browser, DEMO.requester.email);
  await priya.goto('/audit');
  await expect(priya.getByRole('heading', { name: 'You are not allowed to see this' })).toBeVisible();
  const res = await priya.request.get('/audit/export');
  expect(res.status()).toBe(403);
});
