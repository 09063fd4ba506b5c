// Signing in through next-auth and calling a server action, over plain HTTP, as a browser would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function cookiesOf(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    if (at > 0) out.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
  }
  return out;
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

export type SignInOutcome = { status: number; error: string | null; cookie: string | null };

/**
 * next-auth's credentials sign-in: GET /api/auth/csrf (token and cookie), then the form POST to
 * /api/auth/callback/credentials with json=true. `error` is next-auth's error code from the answer
 * (CredentialsSignin, locked:<minutes>, …), null on success; `cookie` carries the session then.
 */
export async function signIn(base: string, email: string, password: string, forwardedFor: string): Promise<SignInOutcome> {
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers: { 'x-forwarded-for': forwardedFor } });
  const jar = cookiesOf(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar), 'x-forwarded-for': forwardedFor, origin: base },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true', callbackUrl: `${base}/` }).toString(),
  });
  for (const [k, v] of cookiesOf(res)) jar.set(k, v);
  const text = await res.text();
  let url = '';
  try {
    url = (JSON.parse(text) as { url?: string }).url ?? '';
  } catch {
    url = res.headers.get('location') ?? '';
  }
  const error = url ? new URL(url, base).searchParams.get('error') : `no answer (${res.status})`;
  const session = [...jar.keys()].find((k) => k.endsWith('next-auth.session-token'));
  return { status: res.status, error, cookie: session && !error ? cookieHeader(jar) : null };
}

/** The id of a server action in the production build (`filename` as in the source tree). */
export function serverActionId(appDir: string, filename: string, exportedName: string): string {
  const manifest = JSON.parse(readFileSync(join(appDir, '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, v]) => v.filename === filename && v.exportedName === exportedName);
  if (!found) throw new Error(`No server action ${exportedName} of ${filename} in the build's manifest`);
  return found[0];
}

export type ActionAnswer = { status: number; result: { ok: boolean; message?: string; data?: unknown } | null; text: string };

/**
 * Calls a server action the way the browser's router does: POST to the page with the action's id
 * in `Next-Action` and the arguments as a JSON array; the answer is an RSC payload in which the
 * action's return value is one JSON row.
 */
export async function callAction(base: string, pagePath: string, actionId: string, args: unknown[], cookie: string): Promise<ActionAnswer> {
  try {
    const res = await fetch(`${base}${pagePath}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', origin: base, cookie },
      body: JSON.stringify(args),
    });
    const text = await res.text();
    let result: ActionAnswer['result'] = null;
    for (const line of text.split('\n')) {
      const json = /^[0-9a-f]+:(\{.*\})$/.exec(line)?.[1];
      if (!json) continue;
      try {
        const row = JSON.parse(json) as Record<string, unknown>;
        if (typeof row.ok === 'boolean') {
          result = row as ActionAnswer['result'];
          break;
        }
      } catch {
        // another kind of row
      }
    }
    return { status: res.status, result, text };
  } catch (error) {
    return { status: 0, result: null, text: (error as Error).message };
  }
}
