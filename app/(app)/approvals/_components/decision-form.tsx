'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import type { QueueItem } from '@/lib/approvals/queries';
import type { DecideApprovalInput } from '@/lib/approvals/schema';
import { decideApprovalAction } from '../actions';
import { queueKey } from './queue-view';

type QueueData = { items: QueueItem[]; counts: { mine: number; role: number } };
const SCOPES = ['mine', 'role'] as const;

/** Approve, request changes or reject, always with a written reason. The queues drop the item at once and get it back if the server refuses. */
export function DecisionForm({ requestId, contractId }: { requestId: string; contractId: string }) {
  const router = useRouter();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ message?: string; reason?: string[] }>({});

  const mutation = useMutation({
    mutationFn: async (outcome: DecideApprovalInput['outcome']) => {
      const result = await decideApprovalAction({ requestId, outcome, reason });
      if (!result.ok) throw Object.assign(new Error(result.message ?? 'Not recorded.'), { fieldErrors: result.fieldErrors });
      return result.data;
    },
    onMutate: async () => {
      setError({});
      await client.cancelQueries({ queryKey: ['approval-queue'] });
      const previous = SCOPES.map((s) => [s, client.getQueryData<QueueData>(queueKey(s))] as const);
      for (const [s, data] of previous) {
        if (data) client.setQueryData<QueueData>(queueKey(s), { ...data, items: data.items.filter((i) => i.id !== requestId) });
      }
      return { previous };
    },
    onError: (e: Error & { fieldErrors?: Record<string, string[]> }, _outcome, context) => {
      for (const [s, data] of context?.previous ?? []) client.setQueryData(queueKey(s), data);
      setError({ message: e.message, reason: e.fieldErrors?.reason });
    },
    onSuccess: () => {
      router.push(`/contracts/${contractId}`);
      router.refresh();
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['approval-queue'] }),
  });

  return (
    <form className="space-y-3" onSubmit={(e) => e.preventDefault()} aria-label="Decision">
      {error.message && !error.reason && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {error.message}
        </p>
      )}
      <div>
        <label htmlFor="reason" className="block text-sm font-medium text-slate-800">
          Your reason (required)
        </label>
        <textarea
          id="reason"
          rows={4}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error.reason ? true : undefined}
          aria-describedby={error.reason ? 'reason-error' : 'reason-hint'}
          className={`mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset focus:ring-2 focus:ring-brand-600 ${error.reason ? 'ring-red-500' : 'ring-slate-300'}`}
        />
        <p id="reason-hint" className="mt-1 text-xs text-slate-500">
          This is the record of why a human trusted the work: what you checked and what you accept.
        </p>
        {error.reason && (
          <p id="reason-error" className="mt-1 text-sm text-red-700">
            {error.reason.join(' ')}
          </p>
        )}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => mutation.mutate('APPROVE')} disabled={mutation.isPending}>
          Approve
        </Button>
        <Button variant="secondary" onClick={() => mutation.mutate('REQUEST_CHANGES')} disabled={mutation.isPending}>
          Request changes
        </Button>
        <Button variant="secondary" className="text-red-800" onClick={() => mutation.mutate('REJECT')} disabled={mutation.isPending}>
          Reject
        </Button>
      </div>
    </form>
  );
}
