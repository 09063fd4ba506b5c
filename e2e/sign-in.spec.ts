import { expect, test } from '@playwright/test';
import { DEMO, expectSignInPage, signIn, snap } from './support';

test.describe('signing in', () => {
  test('a signed-out visit to any page goes to sign-in', async ({ page }) => {
    for (const path of ['/', '/admin/people']) {
      await page.goto(path);
      await expectSignInPage(page);
    }
  });

  test('pages and the API answer with the security headers', async ({ page, request }) => {
    const response = await page.goto('/sign-in');
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['x-powered-by']).toBeUndefined();
    const api = await request.get('/api/health');
    expect(api.headers()['x-content-type-options']).toBe('nosniff');
  });

  test('the sign-in page lists the demo accounts in demo mode', async ({ page }) => {
    await page.goto('/sign-in');
    const demo = page.getByRole('region', { name: 'Demo accounts' });
    await expect(demo).toBeVisible();
    await expect(demo.getByText('Sam Okafor')).toBeVisible();
    await expect(demo.getByRole('listitem').first()).toBeVisible();
    expect(await demo.getByRole('listitem').count()).toBeGreaterThanOrEqual(8);
    await snap(page, 'sign-in');
  });

  test('a wrong password shows an error and keeps the visitor signed out', async ({ page }) => {
    await signIn(page, DEMO.requester.email, 'not-the-password');
    await expect(page.locator('form').getByRole('alert')).toHaveText('That e-mail and password do not match an account.');
    await snap(page, 'sign-in-wrong-password');
    await page.goto('/');
    await expectSignInPage(page);
  });

  test('empty fields get messages under the fields', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByText('Enter the e-mail address you were invited with')).toBeVisible();
    await expect(page.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Enter your password')).toBeVisible();
  });

  test('a demo account can be picked from the list', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: /Use Priya Raman's account/ }).click();
    await expect(page.getByLabel('E-mail')).toHaveValue(DEMO.requester.email);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Good to see you, Priya' })).toBeVisible();
  });
});

const HOMES = [
  { role: 'requester', account: DEMO.requester, section: 'My task contracts' },
  { role: 'approver', account: DEMO.approver, section: 'Waiting for my approval' },
  { role: 'security', account: DEMO.security, section: 'Security desk' },
  { role: 'leader', account: DEMO.leader, section: 'Pilot pulse' },
  { role: 'admin', account: DEMO.admin, section: 'Organisation' },
] as const;

for (const { role, account, section } of HOMES) {
  test(`the ${role} signs in, lands on their home and signs out`, async ({ page }) => {
    await signIn(page, account.email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: `Good to see you, ${account.firstName}` })).toBeVisible();
    await expect(page.getByRole('heading', { name: section })).toBeVisible();
    const peopleLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People & teams' });
    await expect(peopleLink).toHaveCount(role === 'admin' ? 1 : 0);
    await snap(page, `home-${role}`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectSignInPage(page);
    await page.goto('/');
    await expectSignInPage(page);
  });
}

test('someone without the admin role is shown the not-allowed page for admin areas', async ({ page }) => {
  await signIn(page, DEMO.requester.email);
  await expect(page.getByRole('heading', { name: /Good to see you/ })).toBeVisible();
  await page.goto('/admin/people');
  await expect(page.getByRole('heading', { name: 'You are not allowed to see this' })).toBeVisible();
  await snap(page, 'not-allowed');
});

test('the admin sees everyone with their roles', async ({ page }) => {
  await signIn(page, DEMO.admin.email);
  await page.getByRole('link', { name: 'People & teams' }).click();
  await expect(page.getByRole('heading', { name: 'People & teams' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Sam Okafor/ })).toBeVisible();
  expect(await page.getByRole('row').count()).toBeGreaterThanOrEqual(9);
  await snap(page, 'admin-people');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the home page fits and the menu opens', async ({ page }) => {
    await signIn(page, DEMO.approver.email);
    await expect(page.getByRole('heading', { name: 'Good to see you, Elena' })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My work' })).toBeVisible();
    await snap(page, 'home-phone');
  });
});
