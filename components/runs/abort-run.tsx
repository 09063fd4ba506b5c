'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useFormAction } from '@/components/ui/use-form-action';
import { abortRunAction } from '@/app/(app)/runs/[id]/actions';

/** Stop a run the agent did not finish; the reason goes into its evidence chain. */
export function AbortRun({ runId, expired }: { runId: string; expired: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { run, pending, fieldErrors, message } = useFormAction();
  if (!open) {
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {expired ? 'The run token expired: abort the run' : 'Abort the run'}
      </Button>
    );
  }
  return (
    <form aria-label="Abort the run" className="max-w-xl space-y-2 rounded-md bg-white p-3 ring-1 ring-slate-200" onSubmit={(e) => { e.preventDefault(); run(() => abortRunAction({ runId, reason })); }}>
      {message && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">{message}</p>}
      <label htmlFor="abort-reason" className="block text-sm font-medium text-slate-800">Why the run is stopped (required)</label>
      <textarea id="abort-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={fieldErrors.reason ? true : undefined} aria-describedby={fieldErrors.reason ? 'abort-reason-error' : undefined} className={`block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset focus:ring-2 focus:ring-brand-600 ${fieldErrors.reason ? 'ring-red-500' : 'ring-slate-300'}`} />
      {fieldErrors.reason && <p id="abort-reason-error" className="text-sm text-red-700">{fieldErrors.reason.join(' ')}</p>}
      <div className="flex gap-2">
        <Button type="submit" variant="danger" disabled={pending}>{pending ? 'Stopping…' : 'Abort the run'}</Button>
        <Button type="button" variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
      </div>
    </form>
  );
}
