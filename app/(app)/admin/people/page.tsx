import type { Metadata } from 'next';
import { requirePermission } from '@/lib/auth/session';
import { listPeople } from '@/lib/people/queries';
import { ROLE_LABELS } from '@/lib/auth/permissions';
import { Badge } from '@/components/ui/badge';
import { Age } from '@/components/ui/age';
import { EndSessionsButton } from './end-sessions-button';

export const metadata: Metadata = { title: 'People & teams' };

export default async function PeoplePage() {
  await requirePermission('user:manage');
  const people = await listPeople();

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">People &amp; teams</h1>
        <p className="mt-1 text-sm text-slate-600">Everyone who can sign in to Mandate, with the roles that decide what they may do.</p>
      </div>
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2.5">Person</th>
              <th scope="col" className="px-4 py-2.5">Team</th>
              <th scope="col" className="px-4 py-2.5">Roles</th>
              <th scope="col" className="px-4 py-2.5">Last sign-in</th>
              <th scope="col" className="px-4 py-2.5">Status</th>
              <th scope="col" className="px-4 py-2.5">
                <span className="sr-only">Sessions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {people.map((p) => (
              <tr key={p.id}>
                <td className="px-4 py-2.5">
                  <p className="font-medium text-slate-900">{p.name}</p>
                  <p className="text-xs text-slate-500">{[p.title, p.email].filter(Boolean).join(' · ')}</p>
                </td>
                <td className="px-4 py-2.5 text-slate-700">{p.team?.name ?? '—'}</td>
                <td className="px-4 py-2.5">
                  <div className="flex flex-wrap gap-1">
                    {p.roles.map((r) => (
                      <Badge key={r} tone="brand">
                        {ROLE_LABELS[r]}
                      </Badge>
                    ))}
                  </div>
                </td>
                <td className="px-4 py-2.5 text-slate-600">{p.lastSignInAt ? <Age since={p.lastSignInAt} /> : 'never'}</td>
                <td className="px-4 py-2.5">{p.active ? <Badge tone="success">Active</Badge> : <Badge>Deactivated</Badge>}</td>
                <td className="px-4 py-2.5 text-right">{p.active && <EndSessionsButton userId={p.id} name={p.name} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
