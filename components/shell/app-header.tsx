'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { signOut } from 'next-auth/react';
import type { NavItem } from './nav-items';

type Props = { items: NavItem[]; unread: number; user: { name: string; email: string; roleLabels: string[] } };

function isActive(pathname: string, item: NavItem): boolean {
  if (item.href === '/') return pathname === '/';
  return [item.href, ...(item.also ?? [])].some((href) => pathname === href || pathname.startsWith(`${href}/`));
}

export function AppHeader({ items, unread, user }: Props) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);

  const links = items.map((item) => (
    <Link
      key={item.href}
      href={item.href}
      onClick={() => setOpen(false)}
      aria-current={isActive(pathname, item) ? 'page' : undefined}
      className="whitespace-nowrap rounded-md px-2.5 py-2 text-sm font-medium text-slate-300 hover:bg-slate-800 hover:text-white aria-[current=page]:bg-slate-800 aria-[current=page]:text-white"
    >
      {item.label}
      {item.count ? (
        <span className="ml-1.5 rounded-full bg-amber-400 px-1.5 py-0.5 text-xs font-semibold text-slate-900" aria-label={`${item.count} waiting`}>
          {item.count}
        </span>
      ) : null}
    </Link>
  ));
  const bell = (
    <Link
      href="/notifications"
      onClick={() => setOpen(false)}
      className="flex items-center whitespace-nowrap rounded-md px-2.5 py-2 text-sm font-medium text-slate-300 hover:bg-slate-800 hover:text-white"
      aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
      title="Notifications"
    >
      <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5">
        <path d="M10 2a6 6 0 0 0-6 6v2.59l-1.7 1.7A1 1 0 0 0 3 14h14a1 1 0 0 0 .7-1.71L16 10.6V8a6 6 0 0 0-6-6Zm0 16a3 3 0 0 1-2.83-2h5.66A3 3 0 0 1 10 18Z" />
      </svg>
      {unread ? <span className="ml-1 rounded-full bg-red-500 px-1.5 py-0.5 text-xs font-semibold text-white">{unread}</span> : null}
    </Link>
  );

  return (
    <header className="bg-slate-900 print:hidden">
      <div className="mx-auto flex max-w-7xl items-center gap-4 px-4 py-3 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight text-white">
          Mandate
        </Link>
        <nav aria-label="Main" className="hidden flex-1 items-center gap-1 lg:flex">
          {links}
        </nav>
        <div className="ml-auto hidden shrink-0 items-center gap-3 lg:flex">
          {bell}
          <Link href="/account" className="rounded-md px-2 py-1 text-right hover:bg-slate-800" title="Your account">
            <p className="whitespace-nowrap text-sm font-medium text-white">{user.name}</p>
            <p className="text-xs text-slate-400">{user.roleLabels.join(' · ')}</p>
          </Link>
          <button
            type="button"
            onClick={() => signOut({ callbackUrl: '/sign-in' })}
            className="rounded-md px-3 py-2 text-sm font-medium text-slate-300 ring-1 ring-slate-700 hover:bg-slate-800 hover:text-white"
          >
            Sign out
          </button>
        </div>
        <button
          type="button"
          className="ml-auto rounded-md px-3 py-2 text-sm font-medium text-slate-200 ring-1 ring-slate-700 lg:hidden"
          aria-expanded={open}
          aria-controls="mobile-nav"
          onClick={() => setOpen((v) => !v)}
        >
          Menu
        </button>
      </div>
      {open && (
        <div id="mobile-nav" className="border-t border-slate-800 px-4 pb-4 lg:hidden">
          <nav aria-label="Main" className="flex flex-col gap-1 pt-2">
            {links}
            {bell}
          </nav>
          <div className="mt-3 flex items-center justify-between border-t border-slate-800 pt-3">
            <Link href="/account" title="Your account">
              <p className="whitespace-nowrap text-sm font-medium text-white">{user.name}</p>
              <p className="text-xs text-slate-400">{user.roleLabels.join(' · ')}</p>
            </Link>
            <button
              type="button"
              onClick={() => signOut({ callbackUrl: '/sign-in' })}
              className="rounded-md px-3 py-2 text-sm font-medium text-slate-200 ring-1 ring-slate-700"
            >
              Sign out
            </button>
          </div>
        </div>
      )}
    </header>
  );
}
