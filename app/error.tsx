'use client';

import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

/**
 * A page that failed on the server. In production Next.js sends the browser only a digest, never the
 * message or stack; the digest is what the server log carries next to the real error.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center px-6">
      <p className="text-sm font-semibold text-brand-700">Error</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">This page could not be shown</h1>
      <p className="mt-3 text-sm leading-relaxed text-slate-600">
        Something went wrong on our side; nothing you entered was lost or half-saved. Try again, and if it keeps happening, give an admin this reference
        {error.digest ? (
          <>
            : <code className="rounded bg-slate-100 px-1 py-0.5 text-slate-800">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-6 flex gap-3">
        <button type="button" onClick={reset} className={buttonClasses('primary')}>
          Try again
        </button>
        <Link href="/" className={buttonClasses('secondary')}>
          Back to my work
        </Link>
      </div>
    </main>
  );
}
