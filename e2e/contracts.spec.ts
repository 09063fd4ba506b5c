import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

type Draft = { title: string; allow: string; checks?: string; rollback?: string; data?: string[] };

async function fillContract(page: Page, d: Draft) {
  await page.getByLabel('Title', { exact: true }).fill(d.title);
  await page.getByLabel('Description').fill(`${d.title}: the agent changes only the listed paths and runs the checks.`);
  await page.getByLabel('Repository', { exact: true }).fill('northwind/payments-api');
  await page.getByLabel('File scope: paths the agent may change').fill(d.allow);
  await page.getByLabel('Checks to run').fill(d.checks ?? 'npm test');
  await page.getByLabel('Agent identity').selectOption({ label: 'claude-code-northwind' });
  for (const item of d.data ?? []) {
    await page.getByRole('group', { name: 'Data the agent may see' }).getByLabel(item).check();
    const blocked = page.getByRole('group', { name: 'Blocked data and actions' }).getByLabel(item);
    if (await blocked.count()) await blocked.uncheck();
  }
  if (d.rollback) await page.getByLabel(/Rollback plan/).fill(d.rollback);
}

const preview = (page: Page) => page.getByRole('region', { name: 'Risk tier' });

test.beforeEach(async ({ page }) => {
  await signIn(page, DEMO.requester.email);
  await expect(page.getByRole('heading', { name: /Good to see you/ })).toBeVisible();
});

test('a documentation typo becomes Low and is ready to run at once', async ({ page }) => {
  await page.getByRole('link', { name: 'Contracts' }).click();
  await page.getByRole('link', { name: 'New contract' }).click();
  await fillContract(page, { title: 'Fix typo in the payouts FAQ', allow: 'docs/payouts/faq.md', checks: 'npm run docs:lint' });
  await expect(preview(page).getByTestId('tier-preview')).toContainText('Low tier');
  await page.getByRole('button', { name: 'Submit contract' }).click();
  await expect(page.getByRole('heading', { name: 'Fix typo in the payouts FAQ' })).toBeVisible();
  await expect(page.getByText('Ready to run')).toBeVisible();
  await expect(page.getByText('Documentation only, no sensitive tools or data → Low')).toBeVisible();
  await snap(page, 'contract-low-ready');
});

test('billing work shows High with the billing reason while typing and after submit; editing makes version 2 with a visible diff', async ({ page }) => {
  await page.goto('/contracts/new');
  await page.getByLabel('File scope: paths the agent may change').fill('billing/export/**');
  await expect(preview(page).getByTestId('tier-preview')).toContainText('High tier');
  await expect(preview(page)).toContainText('matches sensitive area billing');
  await snap(page, 'contract-form-high-preview');

  await fillContract(page, {
    title: 'Stream the invoice export in pages',
    allow: 'billing/export/**',
    checks: 'npm test -- billing/export',
    rollback: 'Revert the PR; the export endpoint is stateless. Verify with the export smoke test.',
  });
  await page.getByRole('button', { name: 'Submit contract' }).click();
  await expect(page.getByRole('heading', { name: 'Stream the invoice export in pages' })).toBeVisible();
  await expect(page.getByText('In review').first()).toBeVisible();
  await expect(page.getByRole('list', { name: 'Reasons for the tier' })).toContainText('matches sensitive area billing');
  await expect(page.getByText(/MDT-\d+ · version 1/)).toBeVisible();
  await snap(page, 'contract-high-detail');

  await page.getByRole('link', { name: 'Change and resubmit' }).click();
  await page.getByLabel('File scope: paths the agent may change').fill('billing/export/csv/**');
  await page.getByRole('button', { name: 'Resubmit as a new version' }).click();
  await expect(page.getByText(/MDT-\d+ · version 2/)).toBeVisible();
  const v2 = page.getByRole('listitem', { name: 'Version 2' });
  await expect(v2).toContainText('Changes since version 1');
  await expect(v2.locator('ins')).toContainText(['+ billing/export/csv/**']);
  await expect(v2.locator('del')).toContainText(['− billing/export/**']);
  await snap(page, 'contract-version-2-diff');
});

test('a contract asking for secrets shows Stop and stays blocked after submit', async ({ page }) => {
  await page.goto('/contracts/new');
  await fillContract(page, {
    title: 'Rotate the payouts API key',
    allow: 'src/payouts/client.ts',
    data: ['Secrets and credentials'],
    rollback: 'Switch back to the previous key version in the vault.',
  });
  await expect(preview(page).getByTestId('tier-preview')).toContainText('Stop tier');
  await expect(preview(page)).toContainText('nothing runs until security grants an exception');
  await page.getByRole('button', { name: 'Submit contract' }).click();
  await expect(page.getByRole('heading', { name: 'Rotate the payouts API key' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Blocked at Stop tier' })).toContainText('nothing runs until security grants an exception');
  await expect(page.getByText('Allows secrets and credentials → Stop')).toBeVisible();
  await snap(page, 'contract-stop-blocked');
});

test('a submit with missing parts keeps what was typed and says what is missing, field by field', async ({ page }) => {
  await page.goto('/contracts/new');
  await page.getByLabel('Title').fill('Half a contract');
  await page.getByLabel('File scope: paths the agent may change').fill('src/[oops');
  await page.getByRole('button', { name: 'Submit contract' }).click();
  await expect(page.getByText('"src/[oops": a [ has no matching ]')).toBeVisible();
  await expect(page.getByText('Choose the agent identity that will do the work')).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue('Half a contract');
  await snap(page, 'contract-form-errors');
});

test('the contracts list filters by tier and keeps the filter in the URL', async ({ page }) => {
  await page.goto('/contracts');
  await page.getByLabel('Tier').selectOption('STOP');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/tier=STOP/);
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toContainText('Stop tier');
  for (const row of await rows.all()) await expect(row).toContainText('Stop tier');
  await snap(page, 'contracts-list-stop');
});
