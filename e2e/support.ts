import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../lib/demo';

/** Seeded demo accounts, one per role (prisma/seed/demo-org.ts). */
export const DEMO = {
  requester: { email: 'priya.raman@northwind.example', firstName: 'Priya' },
  approver: { email: 'elena.garcia@northwind.example', firstName: 'Elena' },
  security: { email: 'sam.okafor@northwind.example', firstName: 'Sam' },
  leader: { email: 'james.whitfield@northwind.example', firstName: 'James' },
  admin: { email: 'alex.morgan@northwind.example', firstName: 'Alex' },
} as const;

export async function signIn(page: Page, email: string, password: string = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

export async function expectSignInPage(page: Page) {
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}
