import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Not allowed' };

const REASONS: Record<string, string> = {
  'sso-unknown': 'Your single sign-on account is not registered in Mandate. Ask an admin to add you with the right roles.',
};

export default async function NotAllowedPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center px-6">
      <p className="text-sm font-semibold text-brand-700">403</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">You are not allowed to see this</h1>
      <p className="mt-3 text-sm leading-relaxed text-slate-600">
        {(reason && REASONS[reason]) ??
          'Your roles do not include this area. If you need it for your work, ask an admin to grant the role; every role change is recorded in the audit log.'}
      </p>
      <div className="mt-6 flex gap-3">
        <Link href="/" className={buttonClasses('primary')}>
          Back to my work
        </Link>
        <Link href="/sign-in" className={buttonClasses('secondary')}>
          Sign in as someone else
        </Link>
      </div>
    </main>
  );
}
