import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { listIdentities } from '@/lib/identities/queries';
import { listPeople } from '@/lib/people/queries';
import { Card } from '@/components/ui/card';
import { IdentityState, KIND_LABEL } from '@/components/agents/identity-state';
import { CreateIdentityForm } from '../_components/identity-forms';

export const metadata: Metadata = { title: 'Agent identities' };

export default async function IdentitiesPage() {
  const actor = await requireUser();
  const [identities, people] = await Promise.all([listIdentities(), can(actor.roles, 'identity:manage') ? listPeople() : []]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Agent identities</h1>
        <p className="mt-1 text-sm text-slate-600">Every agent that acts for the company, with an accountable owner, an approved tool profile and its API tokens.</p>
      </div>
      {can(actor.roles, 'identity:manage') && (
        <Card title="Register an agent identity">
          <CreateIdentityForm people={people.filter((p) => p.active).map((p) => ({ id: p.id, name: p.name }))} />
        </Card>
      )}
      <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        {identities.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3">
            <Link href={`/security/identities/${i.id}`} className="font-mono text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
              {i.name}
            </Link>
            <IdentityState status={i.status} killedAt={i.killedAt} />
            <span className="min-w-0 flex-1 text-sm text-slate-600">
              {KIND_LABEL[i.kind]} · owner {i.owner.name}
            </span>
            <span className="text-xs text-slate-500">
              {i.liveTokens} live token{i.liveTokens === 1 ? '' : 's'} · {i.openContracts} open contract{i.openContracts === 1 ? '' : 's'}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
