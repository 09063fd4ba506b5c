import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentActor } from '@/lib/auth/session';
import { env, oidcEnabled } from '@/lib/env';
import { listDemoAccounts } from '@/lib/people/queries';
import { DEMO_PASSWORD } from '@/lib/demo';
import { localPath } from '@/lib/server/local-path';
import { SignInForm } from './_components/sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

const ERROR_MESSAGES: Record<string, string> = {
  OAuthSignin: 'Single sign-on could not start. Try again or use your password.',
  OAuthCallback: 'Single sign-on did not complete. Try again.',
  AccessDenied: 'Your single sign-on account is not registered in Mandate. Ask an admin to add you.',
  SessionRequired: 'Sign in to continue.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string; notice?: string }> }) {
  if (await currentActor()) redirect('/');
  const { error, callbackUrl, notice } = await searchParams;
  const e = env();
  const demoAccounts = e.MANDATE_DEMO ? await listDemoAccounts() : [];
  const safeCallback = localPath(callbackUrl);

  return (
    <main className="flex min-h-screen flex-col lg:flex-row">
      <section className="bg-slate-900 px-6 py-10 text-slate-100 lg:flex lg:w-2/5 lg:flex-col lg:justify-between lg:px-12 lg:py-14">
        <div>
          <p className="text-2xl font-semibold tracking-tight text-white">Mandate</p>
          <p className="mt-4 max-w-md text-base leading-relaxed text-slate-300">
            One operating model for AI agents at work: what the agent was allowed to do, what it actually did, and why a
            human trusted the result.
          </p>
        </div>
        <ul className="mt-8 hidden space-y-3 text-sm text-slate-400 lg:block">
          <li>Task contracts with explainable risk tiers</li>
          <li>Named approvals bound to the exact contract version</li>
          <li>Evidence receipts, append-only and hash-chained</li>
        </ul>
      </section>

      <section className="flex flex-1 items-start justify-center px-4 py-10 sm:px-6 lg:items-center">
        <div className="w-full max-w-md">
          <h1 className="text-xl font-semibold text-slate-900">Sign in</h1>
          <p className="mt-1 text-sm text-slate-600">Use the account your Mandate admin created for you.</p>
          {notice === 'password-changed' && (
            <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
              Your password was changed and your sessions ended. Sign in with the new password.
            </p>
          )}
          <SignInForm
            callbackUrl={safeCallback}
            initialError={error ? (ERROR_MESSAGES[error] ?? 'Sign-in failed. Try again.') : undefined}
            sso={oidcEnabled(e) ? { name: e.OIDC_NAME } : undefined}
            demo={demoAccounts.length ? { password: DEMO_PASSWORD, accounts: demoAccounts } : undefined}
          />
        </div>
      </section>
    </main>
  );
}
