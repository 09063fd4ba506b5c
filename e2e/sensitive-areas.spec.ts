import { expect, test } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

test('security adds a sensitive area and a requester cannot reach the page', async ({ page, browser }) => {
  await signIn(page, DEMO.security.email);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policy', exact: true }).click();
  const add = page.getByRole('form', { name: 'Add a sensitive area' });
  await add.getByLabel('Name').fill('fraud rules');
  await add.getByLabel('Path pattern').fill('**/fraud/**');
  await add.getByLabel('Category').selectOption('regulated');
  await add.getByLabel('Tier when touched').selectOption('HIGH');
  await add.getByRole('button', { name: 'Add area' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: '**/fraud/**' })).toContainText('fraud rules');

  await add.getByLabel('Name').fill('bad');
  await add.getByLabel('Path pattern').fill('/etc/**');
  await add.getByRole('button', { name: 'Add area' }).click();
  await expect(add.getByText('Not a usable pattern: paths are relative to the repository root: drop the leading /')).toBeVisible();
  await snap(page, 'sensitive-areas');

  const other = await browser.newPage();
  await signIn(other, DEMO.requester.email);
  await expect(other.getByRole('heading', { name: /Good to see you/ })).toBeVisible();
  await other.goto('/security/sensitive-areas');
  await expect(other.getByRole('heading', { name: 'You are not allowed to see this' })).toBeVisible();
  await other.close();
});
