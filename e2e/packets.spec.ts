import { expect, test } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

test('a finished High run: its packet is filled from the records, the rollback note is demanded, close-out freezes it, exports work', async ({ page }) => {
  await signIn(page, DEMO.approver.email);
  await expect(page.getByRole('heading', { name: /Elena/ })).toBeVisible();
  await page.goto('/contracts?q=Tighten+permission+checks');
  await page.getByRole('link', { name: 'Tighten permission checks on admin exports' }).click();
  await page.getByRole('link', { name: /Run started/ }).first().click();
  await page.getByRole('link', { name: 'Review packet →' }).click();

  await expect(page.getByRole('heading', { name: 'Review packet: Tighten permission checks on admin exports' })).toBeVisible();
  await expect(page.getByText('Draft · generated from the records now')).toBeVisible();
  const section = (name: string) => page.getByRole('region', { name });
  await expect(section('Contract and why this tier')).toContainText('src/permissions/**');
  await expect(section('Contract and why this tier')).toContainText('claude-code-northwind');
  await expect(section('Scope vs files touched').getByRole('row')).not.toHaveCount(0);
  await expect(section('Commands and check results')).toContainText('npm test -- permissions exports');
  await expect(section('Approvals, exceptions and violations')).toContainText('Elena García');
  await expect(section('Approvals, exceptions and violations')).toContainText('Closes a finding from the Q3 pentest');
  await expect(section('Patch and evidence')).toContainText('intact');
  await expect(section('Patch and evidence')).toContainText('ed25519:');
  await expect(section('Rollback note')).toContainText('Required before close-out');
  await snap(page, 'packet-draft');

  // Close-out is refused until the rollback note exists.
  const closeOut = page.getByRole('form', { name: 'Close-out' });
  await closeOut.getByLabel('Your reason (required)').fill('Checked the four export routes and the new tests; access only narrows.');
  await closeOut.getByRole('button', { name: 'Accept the result' }).click();
  await expect(closeOut.getByRole('alert')).toContainText('write the rollback note before close-out');

  const note = page.getByRole('form', { name: 'Rollback note' });
  await note.getByRole('button', { name: 'Start from the template' }).click();
  await expect(note.getByLabel('Steps to undo the change')).toHaveValue(/Revert the pull request/);
  await note.getByRole('button', { name: 'Save the rollback note' }).click();
  await expect(section('Rollback note')).toContainText('Written by');

  await closeOut.getByRole('button', { name: 'Accept the result' }).click();
  await expect(page.getByText('Frozen · version 1')).toBeVisible();
  await expect(section('Close-out')).toContainText('Accepted');
  await expect(section('Close-out')).toContainText('access only narrows');
  await expect(page.getByRole('button', { name: 'Edit the rollback note' })).toHaveCount(0);
  await snap(page, 'packet-frozen');

  // Downloads.
  const runUrl = page.url().replace(/\/packet$/, '');
  const md = await page.request.get(`${runUrl}/packet/export?format=md`);
  expect(md.headers()['content-disposition']).toMatch(/attachment; filename="MDT-\d+-packet-v1.md"/);
  expect(await md.text()).toContain('# Review packet — MDT-');
  const json = await (await page.request.get(`${runUrl}/packet/export?format=json`)).json();
  expect(json).toMatchObject({ frozen: true, packetVersion: 1, packet: { closeOut: { outcome: 'ACCEPTED' } } });
  expect(json.evidence.receipts.length).toBe(json.packet.evidence.receipts);
  expect(json.evidence.checkpoint.seq).toBe(json.evidence.receipts.length);
  const schema = await (await page.request.get('/api/schemas/review-packet.json')).json();
  expect(schema.title).toBe('Mandate review packet export');

  // The printed view: no app chrome, no forms.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print / save as PDF' })).toBeHidden();
  await snap(page, 'packet-print');
});
