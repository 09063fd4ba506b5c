'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useFormAction } from '@/components/ui/use-form-action';
import { closeOutAction, saveRollbackNoteAction } from '@/app/(app)/runs/[id]/packet/actions';
import { ROLLBACK_TEMPLATE } from '@/lib/packets/schema';

function Area({ id, label, value, onChange, errors, hint, rows = 4 }: { id: string; label: string; value: string; onChange: (v: string) => void; errors?: string[]; hint?: string; rows?: number }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={`mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset focus:ring-2 focus:ring-brand-600 ${errors?.length ? 'ring-red-500' : 'ring-slate-300'}`}
      />
      {hint && !errors?.length && <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p>}
      {errors?.length ? <p id={`${id}-error`} className="mt-1 text-sm text-red-700">{errors.join(' ')}</p> : null}
    </div>
  );
}

/** Write or update the rollback note; the template fills empty fields with a starting point. */
export function RollbackNoteForm({ contractId, runId, initial }: { contractId: string; runId: string; initial: { steps: string; verification: string; executors: string } | null }) {
  const [v, setV] = useState(initial ?? { steps: '', verification: '', executors: '' });
  const [open, setOpen] = useState(initial === null);
  const { run, pending, fieldErrors, message, ok } = useFormAction();
  if (!open) {
    return (
      <Button variant="secondary" className="print:hidden" onClick={() => setOpen(true)}>
        Edit the rollback note
      </Button>
    );
  }
  return (
    <form
      aria-label="Rollback note"
      className="space-y-3 print:hidden"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => saveRollbackNoteAction({ contractId, ...v }, runId), () => setOpen(false));
      }}
    >
      {message && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">{message}</p>}
      <Area id="rb-steps" label="Steps to undo the change" rows={5} value={v.steps} onChange={(steps) => setV({ ...v, steps })} errors={fieldErrors.steps} />
      <Area id="rb-verification" label="How to verify the rollback worked" rows={3} value={v.verification} onChange={(verification) => setV({ ...v, verification })} errors={fieldErrors.verification} />
      <Area id="rb-executors" label="Who can execute it" rows={2} value={v.executors} onChange={(executors) => setV({ ...v, executors })} errors={fieldErrors.executors} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>{pending ? 'Saving…' : 'Save the rollback note'}</Button>
        <Button
          type="button"
          variant="ghost"
          onClick={() => setV({ steps: v.steps || ROLLBACK_TEMPLATE.steps, verification: v.verification || ROLLBACK_TEMPLATE.verification, executors: v.executors || ROLLBACK_TEMPLATE.executors })}
        >
          Start from the template
        </Button>
        {initial && <Button type="button" variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>}
      </div>
      {ok && <p role="status" className="text-sm text-emerald-800">Saved.</p>}
    </form>
  );
}

/** Accept or reject the result, with the reason that closes the contract and freezes the packet. */
export function CloseOutForm({ runId, needsRollback }: { runId: string; needsRollback: boolean }) {
  const [reason, setReason] = useState('');
  const { run, pending, fieldErrors, message } = useFormAction();
  const submit = (outcome: 'ACCEPTED' | 'REJECTED') => run(() => closeOutAction({ runId, outcome, reason }));
  return (
    <form aria-label="Close-out" className="space-y-3 print:hidden" onSubmit={(e) => e.preventDefault()}>
      {message && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">{message}</p>}
      {needsRollback && <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">This contract is High tier or above: the rollback note above is required before close-out.</p>}
      <Area id="close-reason" label="Your reason (required)" value={reason} onChange={setReason} errors={fieldErrors.reason} hint="What you checked and why you accept or reject the result. It closes the contract and freezes this packet." />
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => submit('ACCEPTED')} disabled={pending}>Accept the result</Button>
        <Button variant="danger" onClick={() => submit('REJECTED')} disabled={pending}>Reject the result</Button>
      </div>
    </form>
  );
}

export function PrintButton() {
  return (
    <Button variant="secondary" className="print:hidden" onClick={() => window.print()}>
      Print / save as PDF
    </Button>
  );
}
