'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useFormAction } from '@/components/ui/use-form-action';
import { decideCallAction } from '@/app/(app)/runs/[id]/actions';

/** Approve or deny one MCP call the gateway holds; the agent is told either way when it asks again. */
export function DecideCall({ approvalId, call }: { approvalId: string; call: string }) {
  const [note, setNote] = useState('');
  const { run, pending, fieldErrors, message } = useFormAction();
  const decide = (decision: 'approve' | 'deny') => run(() => decideCallAction({ approvalId, decision, note }));
  const id = `note-${approvalId}`;
  return (
    <form aria-label={`Decide on ${call}`} className="mt-2 space-y-2" onSubmit={(e) => e.preventDefault()}>
      {message && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">{message}</p>}
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">Note for the agent (required to deny)</label>
      <div className="flex flex-wrap items-start gap-2">
        <input id={id} value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={fieldErrors.note ? true : undefined} aria-describedby={fieldErrors.note ? `${id}-error` : undefined} className={`min-w-0 flex-1 rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset focus:ring-2 focus:ring-brand-600 ${fieldErrors.note ? 'ring-red-500' : 'ring-slate-300'}`} />
        <Button type="button" disabled={pending} onClick={() => decide('approve')}>Approve this call</Button>
        <Button type="button" variant="danger" disabled={pending} onClick={() => decide('deny')}>Deny</Button>
      </div>
      {fieldErrors.note && <p id={`${id}-error`} className="text-sm text-red-700">{fieldErrors.note.join(' ')}</p>}
    </form>
  );
}
