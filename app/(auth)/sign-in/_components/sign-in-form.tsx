'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { SignInInput, SIGN_IN_ERRORS } from '@/lib/auth/schema';
import { ROLE_LABELS } from '@/lib/auth/permissions';
import type { DemoAccount } from '@/lib/people/queries';

type Props = {
  callbackUrl: string;
  initialError?: string;
  sso?: { name: string };
  demo?: { password: string; accounts: DemoAccount[] };
};

function describeError(code: string | null | undefined): string {
  if (code?.startsWith(SIGN_IN_ERRORS.lockedPrefix)) {
    const minutes = Number(code.slice(SIGN_IN_ERRORS.lockedPrefix.length)) || 15;
    return `Too many failed attempts. Sign-in is paused for this account; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  }
  if (code === SIGN_IN_ERRORS.inactive) return 'This account has been deactivated. Ask an admin to restore it.';
  return 'That e-mail and password do not match an account.';
}

export function SignInForm({ callbackUrl, initialError, sso, demo }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(initialError);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = SignInInput.safeParse({ email, password });
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), [i.message]])));
      setError(undefined);
      return;
    }
    setFieldErrors({});
    startTransition(async () => {
      const result = await signIn('credentials', { ...parsed.data, redirect: false, callbackUrl });
      if (!result || result.error) {
        setError(describeError(result?.error));
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    });
  }

  function fillAccount(account: DemoAccount) {
    setEmail(account.email);
    setPassword(demo!.password);
    setFieldErrors({});
    setError(undefined);
  }

  return (
    <>
      <form onSubmit={submit} noValidate className="mt-6 space-y-4" aria-describedby={error ? 'sign-in-error' : undefined}>
        {error && (
          <div id="sign-in-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
            {error}
          </div>
        )}
        <TextField
          name="email"
          label="E-mail"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={fieldErrors.email}
          required
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fieldErrors.password}
          required
        />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>

      {sso && (
        <div className="mt-4">
          <Button variant="secondary" className="w-full" onClick={() => signIn('oidc', { callbackUrl })}>
            Sign in with {sso.name}
          </Button>
        </div>
      )}

      {demo && (
        <section aria-labelledby="demo-accounts" className="mt-8 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="demo-accounts" className="text-sm font-semibold text-slate-900">
            Demo accounts
          </h2>
          <p className="mt-1 text-xs text-slate-600">
            This server runs in demo mode. Every account below uses the password{' '}
            <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-slate-800">{demo.password}</code>.
          </p>
          <ul className="mt-3 divide-y divide-slate-100">
            {demo.accounts.map((account) => (
              <li key={account.email} className="flex items-center justify-between gap-3 py-2">
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium text-slate-900">
                    {account.name} <span className="font-normal text-slate-500">· {account.title}</span>
                  </p>
                  <p className="truncate text-xs text-slate-500">
                    {account.roles.map((r) => ROLE_LABELS[r]).join(', ')}
                    {account.team ? ` · ${account.team.name}` : ''}
                  </p>
                </div>
                <Button variant="secondary" className="shrink-0 px-2.5 py-1 text-xs" onClick={() => fillAccount(account)} aria-label={`Use ${account.name}'s account`}>
                  Use
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
