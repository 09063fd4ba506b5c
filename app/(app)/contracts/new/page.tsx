import type { Metadata } from 'next';
import { requirePermission } from '@/lib/auth/session';
import { loadContractFormOptions } from '@/lib/registry/queries';
import { ContractForm, EMPTY_CONTRACT } from '../_components/contract-form';

export const metadata: Metadata = { title: 'New task contract' };

export default async function NewContractPage() {
  const actor = await requirePermission('contract:create');
  const options = await loadContractFormOptions();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">New task contract</h1>
        <p className="mt-1 text-sm text-slate-600">Say what the agent may do. The tier on the right updates as you type and is what approvers will see.</p>
      </div>
      <ContractForm contractId={null} mode="draft" initial={EMPTY_CONTRACT} options={{ ...options, actorId: actor.id }} />
    </div>
  );
}
