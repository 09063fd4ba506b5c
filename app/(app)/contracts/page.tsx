import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePermission } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { listContracts } from '@/lib/contracts/queries';
import { ContractListQuery } from '@/lib/contracts/schema';
import { TIER_LABEL, TIERS } from '@/lib/domain/risk';
import { CONTRACT_STATUSES } from '@/lib/domain/contract-lifecycle';
import { buttonClasses } from '@/components/ui/button';
import { Age } from '@/components/ui/age';
import { ContractStatusBadge, TierBadge, contractRef } from '@/components/contracts/tier-badge';

export const metadata: Metadata = { title: 'Task contracts' };

const selectClass = 'mt-1 block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300';
const STATUS_WORDS: Record<string, string> = { IN_REVIEW: 'In review', CHANGES_REQUESTED: 'Changes requested' };

export default async function ContractsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('contract:read');
  const query = ContractListQuery.parse(await searchParams);
  const { items, total, pages, teams, agents } = await listContracts(actor, query);
  const link = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, page })) if (v !== undefined && v !== '' && !(k === 'sort' && v === 'updated') && !(k === 'size' && v === 20) && !(k === 'page' && v === 1)) params.set(k, String(v));
    const s = params.toString();
    return s ? `/contracts?${s}` : '/contracts';
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Task contracts</h1>
          <p className="mt-1 text-sm text-slate-600">Every contract in the organisation: one record that engineering, security and leadership share.</p>
        </div>
        {can(actor.roles, 'contract:create') && (
          <Link href="/contracts/new" className={buttonClasses('primary')}>
            New contract
          </Link>
        )}
      </div>

      <form method="get" className="grid gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-3 lg:grid-cols-7" aria-label="Filter contracts">
        <div className="sm:col-span-3 lg:col-span-2">
          <label htmlFor="q" className="text-xs font-medium text-slate-600">Search</label>
          <input id="q" name="q" defaultValue={query.q ?? ''} placeholder="Title, repository or MDT-12" className={selectClass} />
        </div>
        <div>
          <label htmlFor="status" className="text-xs font-medium text-slate-600">Status</label>
          <select id="status" name="status" defaultValue={query.status ?? ''} className={selectClass}>
            <option value="">Any</option>
            {CONTRACT_STATUSES.filter((s) => s !== 'SUBMITTED').map((s) => (
              <option key={s} value={s}>{STATUS_WORDS[s] ?? s.charAt(0) + s.slice(1).toLowerCase()}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="tier" className="text-xs font-medium text-slate-600">Tier</label>
          <select id="tier" name="tier" defaultValue={query.tier ?? ''} className={selectClass}>
            <option value="">Any</option>
            {TIERS.map((t) => (
              <option key={t} value={t}>{TIER_LABEL[t]}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="team" className="text-xs font-medium text-slate-600">Team</label>
          <select id="team" name="team" defaultValue={query.team ?? ''} className={selectClass}>
            <option value="">Any</option>
            {teams.map((t) => (
              <option key={t.slug} value={t.slug}>{t.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="agent" className="text-xs font-medium text-slate-600">Agent identity</label>
          <select id="agent" name="agent" defaultValue={query.agent ?? ''} className={selectClass}>
            <option value="">Any</option>
            {agents.map((a) => (
              <option key={a.name} value={a.name}>{a.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="sort" className="text-xs font-medium text-slate-600">Sort by</label>
          <select id="sort" name="sort" defaultValue={query.sort} className={selectClass}>
            <option value="updated">Last activity</option>
            <option value="created">Newest</option>
            <option value="tier">Highest tier</option>
            <option value="number">Number</option>
          </select>
        </div>
        <div className="flex items-end gap-3 sm:col-span-3 lg:col-span-7">
          <label className="inline-flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="mine" value="1" defaultChecked={query.mine === '1'} className="rounded border-slate-300" /> Only mine
          </label>
          <button type="submit" className={buttonClasses('secondary', 'ml-auto')}>Apply filters</button>
          <Link href="/contracts" className="text-sm text-slate-600 underline">Clear</Link>
        </div>
      </form>

      <p className="text-sm text-slate-600" aria-live="polite">
        {total} contract{total === 1 ? '' : 's'}
        {pages > 1 && ` · page ${query.page} of ${pages}`}
      </p>

      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2.5">Contract</th>
              <th scope="col" className="px-4 py-2.5">Tier</th>
              <th scope="col" className="px-4 py-2.5">Status</th>
              <th scope="col" className="hidden px-4 py-2.5 md:table-cell">Requester · team</th>
              <th scope="col" className="hidden px-4 py-2.5 lg:table-cell">Agent</th>
              <th scope="col" className="px-4 py-2.5">Activity</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.length === 0 && (
              <tr>
                <td colSpan={6} className="px-4 py-6 text-center text-slate-500">No contract matches these filters.</td>
              </tr>
            )}
            {items.map((c) => (
              <tr key={c.id} className="hover:bg-slate-50">
                <td className="px-4 py-2.5">
                  <Link href={`/contracts/${c.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                    <span className="mr-2 font-mono text-xs text-slate-500">{contractRef(c.number)}</span>
                    {c.title}
                  </Link>
                  <p className="text-xs text-slate-500">{c.repository}</p>
                </td>
                <td className="px-4 py-2.5"><TierBadge tier={c.tier} /></td>
                <td className="px-4 py-2.5"><ContractStatusBadge status={c.status} /></td>
                <td className="hidden px-4 py-2.5 text-slate-700 md:table-cell">{c.requester.name} · {c.team.name}</td>
                <td className="hidden px-4 py-2.5 font-mono text-xs text-slate-600 lg:table-cell">{c.agentIdentity?.name ?? '—'}</td>
                <td className="px-4 py-2.5 whitespace-nowrap text-slate-600"><Age since={c.updatedAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {pages > 1 && (
        <nav aria-label="Pages" className="flex items-center justify-between">
          {query.page > 1 ? <Link href={link(query.page - 1)} className={buttonClasses('secondary')}>Previous</Link> : <span />}
          {query.page < pages ? <Link href={link(query.page + 1)} className={buttonClasses('secondary')}>Next</Link> : <span />}
        </nav>
      )}
    </div>
  );
}
