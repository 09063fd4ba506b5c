import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePermission } from '@/lib/auth/session';
import { AuditQuery } from '@/lib/audit/schema';
import { searchAudit } from '@/lib/audit/queries';
import { buttonClasses } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Audit log' };

const input = 'mt-1 block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-inset ring-slate-300';

function summary(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission('audit:read');
  const query = AuditQuery.parse(await searchParams);
  const { rows, total, pages } = await searchAudit(query);
  const params = (page?: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, page })) if (v !== undefined && v !== '' && !(k === 'page' && (v === 1 || v === undefined))) p.set(k, String(v));
    return p.toString();
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Audit log</h1>
          <p className="mt-1 text-sm text-slate-600">Every state change and decision, written in the same transaction as the change. The database refuses to edit or delete these rows.</p>
        </div>
        <a href={`/audit/export?${params()}`} className={buttonClasses('secondary')} download>
          Export CSV
        </a>
      </div>
      <form method="get" aria-label="Filter the audit log" className="grid gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:grid-cols-3 lg:grid-cols-6">
        <div>
          <label htmlFor="action" className="text-xs font-medium text-slate-600">Action</label>
          <input id="action" name="action" defaultValue={query.action ?? ''} placeholder="approval.decided" className={input} />
        </div>
        <div>
          <label htmlFor="actor" className="text-xs font-medium text-slate-600">Actor</label>
          <input id="actor" name="actor" defaultValue={query.actor ?? ''} placeholder="name, e-mail or agent" className={input} />
        </div>
        <div>
          <label htmlFor="target" className="text-xs font-medium text-slate-600">Target type or id</label>
          <input id="target" name="target" defaultValue={query.target ?? ''} placeholder="TaskContract" className={input} />
        </div>
        <div>
          <label htmlFor="from" className="text-xs font-medium text-slate-600">From</label>
          <input id="from" name="from" type="date" defaultValue={query.from ?? ''} className={input} />
        </div>
        <div>
          <label htmlFor="to" className="text-xs font-medium text-slate-600">To</label>
          <input id="to" name="to" type="date" defaultValue={query.to ?? ''} className={input} />
        </div>
        <div className="flex items-end gap-3">
          <button type="submit" className={buttonClasses('secondary')}>Search</button>
          <Link href="/audit" className="text-sm text-slate-600 underline">Clear</Link>
        </div>
      </form>
      <p className="text-sm text-slate-600" aria-live="polite">
        {total} event{total === 1 ? '' : 's'}
        {pages > 1 && ` · page ${query.page} of ${pages}`}
      </p>
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2.5">Time (UTC)</th>
              <th scope="col" className="px-4 py-2.5">Actor</th>
              <th scope="col" className="px-4 py-2.5">Action</th>
              <th scope="col" className="px-4 py-2.5">Target</th>
              <th scope="col" className="px-4 py-2.5">Before → after</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 && (
              <tr>
                <td colSpan={5} className="px-4 py-6 text-center text-slate-500">No event matches.</td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={r.id} className="align-top">
                <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600">{r.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td className="px-4 py-2 text-slate-800">{r.actor?.name ?? r.actorAgent ?? <span className="text-slate-500">Mandate</span>}</td>
                <td className="px-4 py-2 font-mono text-xs text-slate-900">{r.action}</td>
                <td className="px-4 py-2 text-xs text-slate-600">
                  {r.targetType}
                  <span className="block font-mono text-[0.7rem] text-slate-400">{r.targetId}</span>
                </td>
                <td className="max-w-md px-4 py-2 font-mono text-xs break-all text-slate-600">
                  {summary(r.before)}
                  {r.before && r.after ? ' → ' : ''}
                  {summary(r.after)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav aria-label="Pages" className="flex justify-between">
          {query.page > 1 ? <Link href={`/audit?${params(query.page - 1)}`} className={buttonClasses('secondary')}>Newer</Link> : <span />}
          {query.page < pages ? <Link href={`/audit?${params(query.page + 1)}`} className={buttonClasses('secondary')}>Older</Link> : <span />}
        </nav>
      )}
    </div>
  );
}
