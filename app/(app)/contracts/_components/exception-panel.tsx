'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import type { FormResult } from '@/lib/server/action';
import { decideExceptionAction, requestExceptionAction } from '../../approvals/actions';

const field = 'mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset focus:ring-2 focus:ring-brand-600';

function useSubmit() {
  const router = useRouter();
  const [result, setResult] = useState<FormResult<unknown> | null>(null);
  const [pending, start] = useTransition();
  const run = (action: () => Promise<FormResult<unknown>>) =>
    start(async () => {
      const res = await action();
      setResult(res);
      if (res.ok) router.refresh();
    });
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const message = result && !result.ok && !Object.keys(errors).length ? result.message : undefined;
  return { run, pending, errors, message };
}

function Field({ id, label, errors, rows = 2, value, onChange }: { id: string; label: string; errors?: string[]; rows?: number; value: string; onChange: (v: string) => void }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}</label>
      <textarea id={id} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={errors ? true : undefined} aria-describedby={errors ? `${id}-error` : undefined} className={`${field} ${errors ? 'ring-red-500' : 'ring-slate-300'}`} />
      {errors && <p id={`${id}-error`} className="mt-1 text-sm text-red-700">{errors.join(' ')}</p>}
    </div>
  );
}

/** The requester asks security for a time-boxed exception to a Stop block. */
export function RequestExceptionForm({ contractId }: { contractId: string }) {
  const [v, setV] = useState({ what: '', why: '', compensatingControls: '', days: '7' });
  const { run, pending, errors, message } = useSubmit();
  return (
    <form aria-label="Ask for a security exception" className="space-y-3" onSubmit={(e) => { e.preventDefault(); run(() => requestExceptionAction({ contractId, ...v })); }}>
      {message && <p role="alert" className="text-sm text-red-700">{message}</p>}
      <Field id="x-what" label="What the exception should allow" value={v.what} onChange={(what) => setV({ ...v, what })} errors={errors.what} />
      <Field id="x-why" label="Why it is needed" value={v.why} onChange={(why) => setV({ ...v, why })} errors={errors.why} />
      <Field id="x-controls" label="Compensating controls" value={v.compensatingControls} onChange={(compensatingControls) => setV({ ...v, compensatingControls })} errors={errors.compensatingControls} />
      <div>
        <label htmlFor="x-days" className="block text-sm font-medium text-slate-800">For how many days</label>
        <input id="x-days" inputMode="numeric" value={v.days} onChange={(e) => setV({ ...v, days: e.target.value })} aria-invalid={errors.days ? true : undefined} className={`${field} w-24 ${errors.days ? 'ring-red-500' : 'ring-slate-300'}`} />
        {errors.days && <p className="mt-1 text-sm text-red-700">{errors.days.join(' ')}</p>}
      </div>
      <Button type="submit" disabled={pending}>{pending ? 'Sending…' : 'Ask security'}</Button>
    </form>
  );
}

/** Security grants or refuses, with a reason. */
export function DecideExceptionForm({ exceptionId }: { exceptionId: string }) {
  const [reason, setReason] = useState('');
  const { run, pending, errors, message } = useSubmit();
  const decide = (outcome: 'GRANT' | 'REFUSE') => run(() => decideExceptionAction({ exceptionId, outcome, reason }));
  return (
    <form aria-label="Decide the exception" className="space-y-3" onSubmit={(e) => e.preventDefault()}>
      {message && <p role="alert" className="text-sm text-red-700">{message}</p>}
      <Field id="x-reason" label="Your reason (required)" value={reason} onChange={setReason} errors={errors.reason} rows={3} />
      <div className="flex gap-2">
        <Button onClick={() => decide('GRANT')} disabled={pending}>Grant exception</Button>
        <Button variant="secondary" onClick={() => decide('REFUSE')} disabled={pending}>Refuse</Button>
      </div>
    </form>
  );
}
