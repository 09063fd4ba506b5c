import { requireUser } from '@/lib/auth/session';
import { can, ROLE_LABELS } from '@/lib/auth/permissions';
import { NAV_ITEMS } from '@/components/shell/nav-items';
import { AppHeader } from '@/components/shell/app-header';
import { QueryProvider } from '@/components/providers/query-provider';
import { unreadCount } from '@/lib/notifications/queries';
import { queueCounts } from '@/lib/approvals/queries';

// The gate here is for the visitor's convenience; every page, action and route checks again itself.
export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireUser();
  const [unread, queue] = await Promise.all([
    unreadCount(actor),
    can(actor.roles, 'approval:decide') || can(actor.roles, 'approval:cosign') ? queueCounts(actor) : null,
  ]);
  const items = NAV_ITEMS.filter((item) => !item.permission || [item.permission].flat().some((p) => can(actor.roles, p)));
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <AppHeader
        items={items.map((item) => (item.href === '/approvals' && queue ? { ...item, count: queue.mine + queue.role } : item))}
        unread={unread}
        user={{ name: actor.name, email: actor.email, roleLabels: actor.roles.map((r) => ROLE_LABELS[r]) }}
      />
      <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:py-8">
        <QueryProvider>{children}</QueryProvider>
      </main>
    </>
  );
}
