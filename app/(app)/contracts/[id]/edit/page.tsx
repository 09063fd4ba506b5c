import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requirePermission } from '@/lib/auth/session';
import { loadContractFormOptions } from '@/lib/registry/queries';
import { getContractForEdit } from '@/lib/contracts/queries';
import { contractRef } from '@/components/contracts/tier-badge';
import { ContractForm } from '../../_components/contract-form';

export const metadata: Metadata = { title: 'Edit task contract' };

export default async function EditContractPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('contract:create');
  const { id } = await params;
  const contract = await getContractForEdit(actor, id);
  if (!contract) notFound();
  const options = await loadContractFormOptions();
  const draft = contract.status === 'DRAFT' || contract.status === 'CHANGES_REQUESTED';
  return (
    <div className="space-y-6">
      <div>
        <p className="font-mono text-sm text-slate-500">{contractRef(contract.number)}</p>
        <h1 className="text-2xl font-semibold text-slate-900">Edit task contract</h1>
        <p className="mt-1 text-sm text-slate-600">
          {draft
            ? 'Save as you go; submitting freezes a version and routes it by tier.'
            : `Version ${contract.currentVersion} is submitted. Resubmitting creates version ${contract.currentVersion + 1}, voids earlier approvals and routes it again.`}
        </p>
      </div>
      <ContractForm contractId={contract.id} mode={draft ? 'draft' : 'resubmit'} initial={contract.values} options={{ ...options, actorId: actor.id }} />
    </div>
  );
}
