import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO, signIn, snap } from './support';

// The web-security controls of docs/security.md, checked against the production server.

test('pages carry a script nonce policy without unsafe-inline, every script has the nonce, and the page works under it', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto('/sign-in');
  const csp = response!.headers()['content-security-policy']!;
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  expect(nonce).toBeTruthy();
  expect(scriptSrc).not.toContain('unsafe-inline');
  expect(scriptSrc).not.toContain('unsafe-eval');
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "default-src 'self'"]) expect(csp).toContain(directive);

  // Every script element the server sent carries this response's nonce (Next.js adds it from the policy).
  const scripts = await page.locator('script').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);

  // A second request gets a fresh nonce.
  const again = await page.request.get('/sign-in');
  expect(again.headers()['content-security-policy']).not.toContain(nonce!);

  // Hydrated and interactive under the policy: the client-side validation answers.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Enter your password')).toBeVisible();
  await signIn(page, DEMO.security.email);
  await expect(page).not.toHaveURL(/sign-in/);
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

test('requests get an id, a plausible incoming id is kept, and HSTS is sent only over TLS', async ({ request }) => {
  const plain = await request.get('/api/health');
  expect(plain.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(plain.headers()['strict-transport-security']).toBeUndefined();

  const kept = await request.get('/api/health', { headers: { 'x-request-id': 'lb-7f3a9c21-req' } });
  expect(kept.headers()['x-request-id']).toBe('lb-7f3a9c21-req');
  const replaced = await request.get('/api/health', { headers: { 'x-request-id': 'bad id\twith "junk"' } });
  expect(replaced.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

  const tls = await request.get('/sign-in', { headers: { 'x-forwarded-proto': 'https' } });
  expect(tls.headers()['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(tls.headers()['content-security-policy']).toContain('upgrade-insecure-requests');
});

test('the session cookie is httpOnly and SameSite=Lax, and lives no longer than the session', async ({ page, context }) => {
  await signIn(page, DEMO.requester.email);
  await expect(page).not.toHaveURL(/sign-in/);
  const session = (await context.cookies()).find((c) => c.name.endsWith('next-auth.session-token'))!;
  expect(session).toBeDefined();
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe('Lax');
  expect(session.path).toBe('/');
  // Over plain HTTP (this test) the cookie cannot be Secure; with an https NEXTAUTH_URL it is `__Secure-` and Secure.
  expect(session.expires * 1000).toBeLessThanOrEqual(Date.now() + 8 * 3600_000 + 60_000);
  const csrf = (await context.cookies()).find((c) => c.name.endsWith('next-auth.csrf-token'))!;
  expect(csrf.httpOnly).toBe(true);
});

test('a server action posted from another origin is refused and changes nothing', async ({ page }) => {
  await signIn(page, DEMO.approver.email);
  await expect(page).not.toHaveURL(/sign-in/);
  // The action's id, from the build's manifest (what the page's own button sends).
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, { filename: string; exportedName: string }> };
  const actionId = Object.entries(manifest.node).find(([, a]) => a.exportedName === 'markAllReadAction')![0];
  const post = (origin: string) =>
    page.request.post('/notifications', { headers: { 'next-action': actionId, origin, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' }, data: '[{}]' });

  const forged = await post('https://evil.example');
  expect(forged.status()).toBeGreaterThanOrEqual(400);
  expect(await forged.text()).not.toMatch(/"ok":true/);

  // The same call from the app's own origin goes through: the refusal was about the origin.
  const own = await post(new URL(page.url()).origin);
  expect(own.status()).toBe(200);
  expect(await own.text()).toMatch(/"ok":true/);
});

test('repeated failed sign-ins lock the account with a notice, even for an address that has no account', async ({ page }) => {
  const email = `nobody-${Date.now()}@northwind.example`;
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `wrong-password-${i}`);
    await expect(page.locator('form').getByRole('alert')).toBeVisible();
  }
  await signIn(page, email, 'wrong-password-again');
  await expect(page.locator('form').getByRole('alert')).toHaveText(/Too many failed attempts\. Sign-in is paused for this account; try again in 15 minutes\./);
  await snap(page, 'sign-in-locked');
});

test('error pages and API errors say nothing about the internals', async ({ page, request }) => {
  const missing = await page.goto('/contracts/definitely-not-a-contract/../../no-such-page');
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'There is nothing at this address' })).toBeVisible();
  await snap(page, 'not-found');
  const html = await missing!.text();
  for (const leak of ['node_modules', '/work/', 'at Object.', 'prisma', 'Error:']) expect(html).not.toContain(leak);

  const api = await request.post('/api/v1/runs/not-a-run/receipts', { headers: { authorization: 'Bearer mdr_nope' }, data: '{not json' });
  expect(api.status()).toBe(401);
  const body = await api.text();
  expect(JSON.parse(body)).toMatchObject({ status: 401, title: expect.any(String) });
  for (const leak of ['node_modules', 'stack', 'prisma', 'SELECT']) expect(body).not.toContain(leak);
});

test.describe('next-auth endpoints (authorization matrix rows run over HTTP)', () => {
  async function csrfAndSignOut(request: APIRequestContext, headers: Record<string, string> = {}) {
    const csrf = await request.get('/api/auth/csrf', { headers });
    expect(csrf.status()).toBe(200);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const out = await request.post('/api/auth/signout', { headers, form: { csrfToken, json: 'true' } });
    expect(out.status()).toBe(200);
  }

  test('GET and POST /api/auth/* answer everyone: no credentials, a session, an agent or run token', async ({ page, request }) => {
    await csrfAndSignOut(request);
    await csrfAndSignOut(request, { authorization: 'Bearer mdt_AbCdEfGh_not-a-real-token' });
    await csrfAndSignOut(request, { authorization: 'Bearer mdr_AbCdEfGh_not-a-real-token' });
    await signIn(page, DEMO.leader.email);
    await expect(page).not.toHaveURL(/sign-in/);
    await csrfAndSignOut(page.request);
  });

  test('sign-in without the CSRF token is refused', async ({ request }) => {
    const res = await request.post('/api/auth/callback/credentials', { form: { email: DEMO.requester.email, password: 'whatever-it-is', json: 'true' }, maxRedirects: 0 });
    expect(((await res.json()) as { url: string }).url).toContain('csrf=true');
    const session = await request.get('/api/auth/session');
    expect(await session.json()).toEqual({});
  });
});
