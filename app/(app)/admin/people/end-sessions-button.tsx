'use client';

import { useState } from 'react';
import { useFormAction } from '@/components/ui/use-form-action';
import { endSessionsAction } from './actions';

/** Ends every session of one person, after a second click that says what it does. */
export function EndSessionsButton({ userId, name }: { userId: string; name: string }) {
  const { run, pending, message, ok } = useFormAction();
  const [confirming, setConfirming] = useState(false);
  if (ok) return <span className="text-xs text-emerald-700">Sessions ended</span>;
  const small = 'rounded-md px-2 py-1 text-xs font-medium ring-1';
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {confirming ? (
        <>
          <button type="button" disabled={pending} className={`${small} bg-red-600 text-white ring-red-600 hover:bg-red-700`} onClick={() => run(() => endSessionsAction({ userId }))}>
            {pending ? 'Ending…' : `Sign ${name.split(' ')[0]} out everywhere`}
          </button>
          <button type="button" className={`${small} text-slate-700 ring-slate-300`} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" className={`${small} text-slate-700 ring-slate-300 hover:bg-slate-50`} onClick={() => setConfirming(true)}>
          End sessions
        </button>
      )}
      {message && (
        <span role="alert" className="text-xs text-red-700">
          {message}
        </span>
      )}
    </span>
  );
}
