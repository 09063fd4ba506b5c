import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { listNotifications } from '@/lib/notifications/queries';
import { Age } from '@/components/ui/age';
import { MarkReadButton } from './mark-read-button';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage() {
  const actor = await requireUser();
  const items = await listNotifications(actor);
  const unread = items.filter((n) => !n.readAt).length;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Notifications</h1>
          <p className="mt-1 text-sm text-slate-600">{unread ? `${unread} unread` : 'All read'} · assignments, decisions, exceptions and escalations.</p>
        </div>
        {unread > 0 && <MarkReadButton />}
      </div>
      <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        {items.length === 0 && <li className="px-4 py-6 text-sm text-slate-500">Nothing yet.</li>}
        {items.map((n) => (
          <li key={n.id} className={`px-4 py-3 ${n.readAt ? '' : 'bg-brand-50/60'}`}>
            <p className="text-sm font-medium text-slate-900">
              {!n.readAt && <span className="sr-only">Unread: </span>}
              {n.href ? (
                <Link href={n.href} className="hover:underline">
                  {n.title}
                </Link>
              ) : (
                n.title
              )}
            </p>
            {n.body && <p className="text-sm text-slate-600">{n.body}</p>}
            <p className="text-xs text-slate-500">
              <Age since={n.createdAt} />
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
