import { expect, test } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

test('a violation becomes an incident, is contained from the incident page, reviewed, and turned into a policy case that refuses the relaxing change', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.security.email);
  await expect(page.getByRole('heading', { name: /Sam/ })).toBeVisible();

  // The seeded run with an out-of-scope write.
  await page.goto('/contracts?q=Harden+CSV+import');
  await page.getByRole('link', { name: 'Harden CSV import in the internal admin tool' }).click();
  await page.getByRole('link', { name: /Run started/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Boundary violations (1)' })).toBeVisible();
  const runUrl = page.url();

  // Open an incident from the violation: links and the summary come from the records.
  await page.getByRole('link', { name: 'Open an incident' }).click();
  await expect(page.getByRole('heading', { name: 'Open an incident' })).toBeVisible();
  await expect(page.getByText(/Linked to contract MDT-\d+ Harden CSV import.*agent claude-code-northwind.*violation at receipt #\d+/)).toBeVisible();
  const form = page.getByRole('form', { name: 'Open an incident' });
  await expect(form.getByLabel('Opened from')).toHaveValue('violation');
  await expect(form.getByLabel('What is known so far')).toHaveValue(/session-token\.ts/);
  await form.getByLabel('Title').fill('');
  await form.getByRole('button', { name: 'Open the incident' }).click();
  await expect(form.getByText('Give the incident a title (at least 5 characters)')).toBeVisible();
  await form.getByLabel('Title').fill('Agent edited the shared session helper outside MDT scope');
  await form.getByLabel('Severity').selectOption('SEV2');
  await form.getByRole('button', { name: 'Open the incident' }).click();

  await expect(page.getByRole('heading', { name: 'Agent edited the shared session helper outside MDT scope' })).toBeVisible();
  await expect(page.getByText('Open', { exact: true }).first()).toBeVisible();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline).toContainText('tools/internal-tools/shared/session-token.ts');
  await expect(timeline).toContainText('incident.opened');

  // Contain: suspend the identity from the incident page.
  const contain = page.getByRole('form', { name: 'Contain' });
  await contain.getByLabel('Suspend the agent identity').check();
  await contain.getByRole('button', { name: 'Take the action' }).click();
  await expect(contain.getByText(/Give a reason of at least 10 characters/)).toBeVisible();
  await contain.getByLabel(/Reason/).fill('Stop claude-code-northwind until the session helper edit is understood');
  await contain.getByRole('button', { name: 'Take the action' }).click();
  await expect(page.getByText('Contained', { exact: true }).first()).toBeVisible();
  await expect(timeline).toContainText('Suspend the agent identity by Sam Okafor');
  await expect(timeline).toContainText('identity.status-changed');
  await expect(page.getByRole('link', { name: 'claude-code-northwind (suspended)' })).toBeVisible();
  await snap(page, 'incident-contained');

  // Resolve, then the closing review.
  await page.getByLabel('How it was resolved').fill('The helper change was reverted in PR 2271 before release.');
  await page.getByRole('button', { name: 'Resolve the incident' }).click();
  const review = page.getByRole('form', { name: 'Closing review' });
  await review.getByLabel('What happened').fill('The agent edited tools/internal-tools/shared/session-token.ts, outside the CSV import scope.');
  await review.getByLabel('Why the boundary allowed or caught it').fill('The edit ran without a pre-call check (unchecked call); ingestion flagged it.');
  await review.getByLabel(/Follow-ups/).fill('Save the action as a policy case; keep internal tools High.');
  await review.getByRole('button', { name: 'Save the review' }).click();
  await expect(page.getByText('Reviewed', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Closing review' })).toContainText('ingestion flagged it');
  await snap(page, 'incident-reviewed');

  // Save the violating action as a policy case.
  await page.getByRole('link', { name: 'Save as policy case' }).click();
  const caseForm = page.getByRole('form', { name: 'Save as a policy case' });
  await expect(caseForm.getByText('Receipts to replay (1 chosen)')).toBeVisible();
  await caseForm.getByLabel('Name').fill('Agents never edit the shared session helper unasked');
  await caseForm.getByLabel('The policy must').selectOption('NEEDS_APPROVAL');
  await caseForm.getByLabel(/Note/).fill('From the Harden CSV import run.');
  await snap(page, 'policy-case-from-run');
  await caseForm.getByRole('button', { name: 'Save as policy case' }).click();
  await expect(page).toHaveURL(/\/security\/policy-cases#PC-\d+/);
  const saved = page.getByRole('article', { name: /Agents never edit the shared session helper unasked/ });
  await expect(saved).toContainText('write tools/internal-tools/shared/session-token.ts');
  await expect(saved).toContainText('Holds');
  await expect(saved).toContainText('internal tools');
  await snap(page, 'policy-cases');

  // Try to relax the matching sensitive area: the simulation lists the contracts and the failing case, the save is refused.
  await page.goto('/security/sensitive-areas');
  await page.getByRole('button', { name: 'Edit internal tools' }).click();
  const edit = page.getByRole('form', { name: 'Edit internal tools' });
  await edit.getByLabel('Enabled').uncheck();
  const impact = edit.getByRole('region', { name: 'Impact of this change' });
  await expect(impact.getByText('Policy cases that change verdict')).toBeVisible();
  await expect(impact).toContainText('Agents never edit the shared session helper unasked');
  await expect(impact).toContainText('Breaks the case');
  await expect(impact.getByText('Contracts that change tier')).toBeVisible();
  await expect(impact).toContainText('Harden CSV import in the internal admin tool');
  await snap(page, 'policy-simulation');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByText(/would become allowed\. Change the policy so the case still holds, or give a written reason/)).toBeVisible();
  await page.reload();
  await expect(page.getByRole('listitem').filter({ hasText: 'internal tools' }).getByText('Disabled')).toHaveCount(0);

  // The run page still tells the story; the agent is brought back after the review.
  await page.goto(runUrl);
  await page.getByRole('link', { name: 'claude-code-northwind' }).click();
  const status = page.getByRole('form', { name: 'Change status' });
  await status.getByLabel('New status').selectOption('ACTIVE');
  await status.getByLabel('Reason (required)').fill('INC reviewed; helper reverted, case saved.');
  await status.getByRole('button', { name: 'Change status' }).click();
  await expect(page.getByText('Active', { exact: true }).first()).toBeVisible();
});
