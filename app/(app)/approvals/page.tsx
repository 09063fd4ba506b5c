import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { can, ROLE_LABELS } from '@/lib/auth/permissions';
import { listQueue, queueCounts } from '@/lib/approvals/queries';
import { QueueView } from './_components/queue-view';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  const actor = await requireUser();
  if (!can(actor.roles, 'approval:decide') && !can(actor.roles, 'approval:cosign')) redirect('/not-allowed');
  const [mine, role, counts] = await Promise.all([listQueue(actor, 'mine'), listQueue(actor, 'role'), queueCounts(actor)]);
  const roles = actor.roles.filter((r) => r === 'APPROVER' || r === 'SECURITY').map((r) => ROLE_LABELS[r]).join(', ');
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Approvals</h1>
        <p className="mt-1 text-sm text-slate-600">Highest tier first, then oldest. A request past its target is flagged and opens to the whole role queue.</p>
      </div>
      <QueueView initial={{ mine: { items: mine, counts }, role: { items: role, counts } }} roles={roles} />
    </div>
  );
}
