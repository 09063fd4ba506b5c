'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FieldError, fieldClass } from '@/components/ui/form-error';
import { useFormAction } from '@/components/ui/use-form-action';
import { setIdentityKillSwitchAction, setServerKillSwitchAction } from '../actions';

/** One click (and a required reason) to cut an identity or a server off; lifting it is just as deliberate. */
export function KillSwitch({ id, target, name, on }: { id: string; target: 'identity' | 'server'; name: string; on: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { run, pending, fieldErrors, message } = useFormAction();
  const action = target === 'identity' ? setIdentityKillSwitchAction : setServerKillSwitchAction;
  if (!open) {
    return (
      <Button variant={on ? 'secondary' : 'primary'} className={on ? '' : 'bg-red-700 hover:bg-red-800'} onClick={() => setOpen(true)}>
        {on ? 'Lift the kill switch' : 'Kill switch'}
      </Button>
    );
  }
  return (
    <form
      aria-label={on ? `Lift the kill switch for ${name}` : `Kill switch for ${name}`}
      className="space-y-2 rounded-md bg-red-50 p-3 ring-1 ring-red-200"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => action({ id, on: !on, reason }), () => setOpen(false));
      }}
    >
      {message && !fieldErrors.reason && <p role="alert" className="text-sm text-red-800">{message}</p>}
      <label htmlFor={`kill-${id}`} className="block text-sm font-medium text-red-900">
        {on ? 'Why lift it?' : `Why stop ${name} now?`} (required)
      </label>
      <textarea id={`kill-${id}`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} className={fieldClass(Boolean(fieldErrors.reason))} aria-describedby={fieldErrors.reason ? `kill-${id}-error` : undefined} />
      <FieldError id={`kill-${id}`} errors={fieldErrors.reason} />
      <div className="flex gap-2">
        <Button type="submit" disabled={pending} className={on ? '' : 'bg-red-700 hover:bg-red-800'}>
          {on ? 'Lift it' : 'Stop it now'}
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
