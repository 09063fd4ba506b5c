import { expect, test } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

test('the leader dashboard shows charts and figures that follow the team filter in the URL, and exports CSV', async ({ page }) => {
  await signIn(page, DEMO.leader.email);
  await expect(page.getByRole('heading', { name: /James/ })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Leadership dashboard' })).toBeVisible();
  const runsChart = page.getByRole('region', { name: 'Runs by tier per week' });
  await expect(runsChart.locator('svg.recharts-surface').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'MCP capability usage' }).locator('svg.recharts-surface').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Approval latency per week' }).locator('svg.recharts-surface').first()).toBeVisible();
  const runsTile = page.locator('div', { has: page.getByText('Runs', { exact: true }) }).locator('p.text-2xl').first();
  const allRuns = Number(await runsTile.textContent());
  expect(allRuns).toBeGreaterThan(0);
  const allBars = await runsChart.locator('.recharts-bar-rectangle').count();
  await snap(page, 'dashboard-all');

  await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Payments Platform' }).click();
  await expect(page).toHaveURL(/team=payments/);
  await expect(page.getByText('Payments Platform ·')).toBeVisible();
  const paymentRuns = Number(await runsTile.textContent());
  expect(paymentRuns).toBeGreaterThan(0);
  expect(paymentRuns).toBeLessThan(allRuns);
  await expect.poll(() => runsChart.locator('.recharts-bar-rectangle').count()).not.toBe(allBars);
  // The numbers behind the chart, as a table.
  await runsChart.getByText('Table of the numbers').click();
  await expect(runsChart.getByRole('table', { name: 'Runs by tier per week' })).toBeVisible();
  await snap(page, 'dashboard-payments');

  await page.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: '30 days' }).click();
  await expect(page).toHaveURL(/team=payments&period=30d/);
  const csv = await page.request.get('/dashboard/export?team=payments&period=30d');
  expect(csv.headers()['content-disposition']).toContain('mandate-dashboard-payments-30d.csv');
  expect(await csv.text()).toContain('runs,started,');

  // Requesters do not see it.
  const other = await page.context().browser()!.newContext();
  const requester = await other.newPage();
  await signIn(requester, DEMO.requester.email);
  await expect(requester.getByRole('heading', { name: /Priya/ })).toBeVisible();
  await requester.goto('/dashboard');
  await expect(requester).toHaveURL(/not-allowed/);
  await other.close();
});
