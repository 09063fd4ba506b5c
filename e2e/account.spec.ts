import { expect, test } from '@playwright/test';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { DEMO, signIn, snap } from './support';

// A person of its own (the demo accounts' password must stay as it is for the other journeys).
const OLD = 'harbour lantern copper ninety';
const NEW = 'violet orchard engine seventeen';
const email = `casey.brandt.${Date.now()}@northwind.example`;

test.beforeAll(async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`INSERT INTO "User" ("id", "email", "name", "roles", "passwordHash", "updatedAt") VALUES ($1, $2, 'Casey Brandt', '{REQUESTER}', $3, now())`, [`e2e-${Date.now()}`, email, await hash(OLD)]);
  await client.end();
});

test('a person changes their password: checks, then every session ends and only the new password works', async ({ page, browser }) => {
  // A second device, signed in before the change.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email, OLD);
  await expect(otherPage).not.toHaveURL(/sign-in/);

  await signIn(page, email, OLD);
  await expect(page).not.toHaveURL(/sign-in/);
  await page.getByRole('link', { name: /Casey Brandt/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();

  const submit = page.getByRole('button', { name: 'Change password and sign in again' });
  await page.getByLabel('Current password').fill('not the password');
  await page.getByLabel('New password', { exact: true }).fill(NEW);
  await page.getByLabel('New password again').fill(NEW);
  await submit.click();
  await expect(page.getByText('That is not your current password')).toBeVisible();

  await page.getByLabel('Current password').fill(OLD);
  await page.getByLabel('New password', { exact: true }).fill('casey brandt 2026');
  await page.getByLabel('New password again').fill('casey brandt 2026');
  await submit.click();
  await expect(page.getByText(/own name or e-mail|easy to guess|commonly used/)).toBeVisible();

  await page.getByLabel('New password', { exact: true }).fill(NEW);
  await page.getByLabel('New password again').fill(`${NEW}!`);
  await submit.click();
  await expect(page.getByText('The two new passwords differ')).toBeVisible();
  await snap(page, 'account-password-errors');

  await page.getByLabel('New password again').fill(NEW);
  await submit.click();
  await expect(page).toHaveURL(/sign-in\?notice=password-changed/);
  await expect(page.getByRole('status')).toHaveText('Your password was changed and your sessions ended. Sign in with the new password.');
  await snap(page, 'account-password-changed');

  // The other device's session is over too.
  await otherPage.goto('/contracts');
  await expect(otherPage).toHaveURL(/sign-in/);
  await other.close();

  await signIn(page, email, OLD);
  await expect(page.locator('form').getByRole('alert')).toHaveText('That e-mail and password do not match an account.');
  await signIn(page, email, NEW);
  await expect(page).not.toHaveURL(/sign-in/);
});

test('signing out ends the session on the server: a copy of the cookie no longer works', async ({ page, browser }) => {
  await signIn(page, email, NEW);
  await expect(page).not.toHaveURL(/sign-in/);
  const cookies = await page.context().cookies();
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/sign-in/);

  const thief = await browser.newContext();
  await thief.addCookies(cookies);
  const stolen = await thief.newPage();
  await stolen.goto('/contracts');
  await expect(stolen).toHaveURL(/sign-in/);
  await thief.close();
});

test('an admin ends all sessions of a person from People & teams', async ({ page, browser }) => {
  const casey = await browser.newContext();
  const caseyPage = await casey.newPage();
  await signIn(caseyPage, email, NEW);
  await expect(caseyPage).not.toHaveURL(/sign-in/);

  await signIn(page, DEMO.admin.email);
  await expect(page).not.toHaveURL(/sign-in/);
  await page.goto('/admin/people');
  const row = page.getByRole('row', { name: /Casey Brandt/ });
  await row.getByRole('button', { name: 'End sessions' }).click();
  await row.getByRole('button', { name: 'Sign Casey out everywhere' }).click();
  await expect(row.getByText('Sessions ended')).toBeVisible();
  await snap(page, 'admin-end-sessions');

  await caseyPage.goto('/contracts');
  await expect(caseyPage).toHaveURL(/sign-in/);
  await casey.close();
});
