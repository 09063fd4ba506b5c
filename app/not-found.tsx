import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Not found' };

/** Every unknown address: says nothing about what exists, or about the app's internals. */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center px-6">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">There is nothing at this address</h1>
      <p className="mt-3 text-sm leading-relaxed text-slate-600">The link may be mistyped, or what it pointed to was removed. Contracts, runs and incidents keep their addresses for good.</p>
      <div className="mt-6">
        <Link href="/" className={buttonClasses('primary')}>
          Back to my work
        </Link>
      </div>
    </main>
  );
}
