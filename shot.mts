import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const base = process.env.BASE ?? 'http://localhost:3000';
const [who, path, width] = [process.argv[2] ?? '', process.argv[3] ?? '/', Number(process.argv[4] ?? 1280)];
const page = await browser.newPage({ viewport: { width, height: 900 } });
if (who) {
  await page.goto(base + '/sign-in');
  await page.getByLabel('E-mail').fill(who);
  await page.getByLabel('Password').fill('mandate-demo-2026');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(base + '/');
}
await page.goto(base + path);
await page.waitForLoadState('networkidle');
const out = `/tmp/shot-${(who.split('@')[0] || 'anon')}-${path.replace(/\W+/g, '_')}-${width}.png`;
await page.screenshot({ path: out, fullPage: true });
console.log(out);
await browser.close();
