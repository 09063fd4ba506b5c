'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { TierBadge, contractRef } from '@/components/contracts/tier-badge';
import { Badge } from '@/components/ui/badge';
import { formatMinutes } from '@/components/ui/age';
import type { QueueItem, QueueScope } from '@/lib/approvals/queries';

type QueueData = { items: QueueItem[]; counts: { mine: number; role: number } };

async function fetchQueue(scope: QueueScope): Promise<QueueData> {
  const res = await fetch(`/api/approvals/queue?scope=${scope}`, { cache: 'no-store' });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? 'The queue could not be loaded.');
  return res.json();
}

export const queueKey = (scope: QueueScope) => ['approval-queue', scope] as const;

function Waiting({ item }: { item: QueueItem }) {
  const waited = formatMinutes(item.waitingMinutes);
  return item.overdueMinutes > 0 ? (
    <span className="text-red-800">
      waiting {waited} · <strong>past target by {formatMinutes(item.overdueMinutes)}</strong>
    </span>
  ) : (
    <span className="text-slate-600">
      waiting {waited} · target in {formatMinutes(item.dueInMinutes)}
    </span>
  );
}

export function QueueView({ initial, roles }: { initial: Record<QueueScope, QueueData>; roles: string }) {
  const [scope, setScope] = useState<QueueScope>('mine');
  const query = useQuery({ queryKey: queueKey(scope), queryFn: () => fetchQueue(scope), initialData: initial[scope], refetchInterval: 15_000 });
  const counts = query.data.counts;

  return (
    <div className="space-y-4">
      <div role="tablist" aria-label="Queues" className="flex gap-2">
        {(
          [
            ['mine', 'Assigned to me', counts.mine],
            ['role', `My role's queue (${roles})`, counts.role],
          ] as const
        ).map(([key, label, count]) => (
          <button
            key={key}
            role="tab"
            aria-selected={scope === key}
            onClick={() => setScope(key)}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 aria-selected:bg-slate-900 aria-selected:text-white aria-selected:ring-slate-900"
          >
            {label} <span className="tabular-nums">({count})</span>
          </button>
        ))}
        {query.isFetching && <span className="self-center text-xs text-slate-500">refreshing…</span>}
      </div>
      {query.isError && <p role="alert" className="text-sm text-red-700">{(query.error as Error).message}</p>}
      <ul role="tabpanel" aria-label={scope === 'mine' ? 'Assigned to me' : "My role's queue"} className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        {query.data.items.length === 0 && <li className="px-4 py-6 text-sm text-slate-500">Nothing is waiting here.</li>}
        {query.data.items.map((item) => (
          <li key={item.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3">
            <span className="font-mono text-xs text-slate-500">{contractRef(item.contract.number)}</span>
            <Link href={`/approvals/${item.id}`} className="min-w-0 flex-1 basis-48 text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
              {item.contract.title}
            </Link>
            <TierBadge tier={item.tier} />
            <Badge tone={item.kind === 'APPROVER' ? 'brand' : 'warning'}>{item.kind === 'APPROVER' ? 'Approval' : 'Security co-sign'}</Badge>
            {item.escalated && <Badge tone="danger">Escalated</Badge>}
            <span className="w-full text-xs">
              <span className="text-slate-500">
                {item.contract.requester} · {item.contract.team} · {item.assignee ? `assigned to ${item.assignee}` : 'queue'} ·{' '}
              </span>
              <Waiting item={item} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
