'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { FieldError, fieldClass } from '@/components/ui/form-error';
import { useFormAction } from '@/components/ui/use-form-action';
import { DATA_ITEMS } from '@/lib/domain/risk';
import { ACTION_SYNTAX } from '@/lib/policy/actions';
import { createCaseFromRunAction, createPolicyCaseAction, setCaseActiveAction } from '../actions';

function ExpectedSelect({ id, value, onChange, errors }: { id: string; value: string; onChange: (v: string) => void; errors?: string[] }) {
  return (
    <div>
      <label htmlFor={id} className="text-xs font-medium text-slate-600">The policy must</label>
      <select id={id} className={fieldClass(Boolean(errors))} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={errors ? `${id}-error` : undefined}>
        <option value="DENY">deny these actions</option>
        <option value="NEEDS_APPROVAL">ask a person first (needs approval)</option>
      </select>
      <FieldError id={id} errors={errors} />
    </div>
  );
}

/** Name, expected verdict and note: the part every case has. */
function CaseHeader({ prefix, v, set, e }: { prefix: string; v: { name: string; expected: string; note: string }; set: (k: 'name' | 'expected' | 'note', value: string) => void; e: Record<string, string[]> }) {
  return (
    <>
      <div className="sm:col-span-2">
        <label htmlFor={`${prefix}-name`} className="text-xs font-medium text-slate-600">Name</label>
        <input id={`${prefix}-name`} className={fieldClass(Boolean(e.name))} placeholder="Agents never edit the shared session helper" value={v.name} onChange={(ev) => set('name', ev.target.value)} aria-describedby={e.name ? `${prefix}-name-error` : undefined} />
        <FieldError id={`${prefix}-name`} errors={e.name} />
      </div>
      <ExpectedSelect id={`${prefix}-expected`} value={v.expected} onChange={(x) => set('expected', x)} errors={e.expected} />
      <div className="sm:col-span-3">
        <label htmlFor={`${prefix}-note`} className="text-xs font-medium text-slate-600">Note (what happened, why it matters)</label>
        <textarea id={`${prefix}-note`} rows={2} className={fieldClass(Boolean(e.note))} value={v.note} onChange={(ev) => set('note', ev.target.value)} />
        <FieldError id={`${prefix}-note`} errors={e.note} />
      </div>
    </>
  );
}

export function NewCaseForm({ identities }: { identities: { id: string; name: string }[] }) {
  const empty = { name: '', expected: 'DENY', note: '', actions: '', identityId: '', allowedData: ['repo-content'] as string[] };
  const [v, setV] = useState(empty);
  const { run, pending, fieldErrors: e, message, ok } = useFormAction();
  const set = (k: keyof typeof v, value: string | string[]) => setV((x) => ({ ...x, [k]: value }));
  return (
    <form aria-label="Write a policy case" className="grid gap-3 sm:grid-cols-3" onSubmit={(ev) => { ev.preventDefault(); run(() => createPolicyCaseAction(v), () => setV(empty)); }}>
      {message && !Object.keys(e).length && <p role="alert" className="text-sm text-red-700 sm:col-span-3">{message}</p>}
      {ok && <p role="status" className="text-sm text-emerald-800 sm:col-span-3">Case saved; it now guards every policy change.</p>}
      <CaseHeader prefix="case" v={v} set={set} e={e} />
      <div className="sm:col-span-2">
        <label htmlFor="case-actions" className="text-xs font-medium text-slate-600">Actions, one per line</label>
        <textarea id="case-actions" rows={4} className={`${fieldClass(Boolean(e.actions))} font-mono text-xs`} placeholder={'write tools/internal-tools/shared/session-token.ts\nrun kubectl apply -f deploy/k8s/api.yaml'} value={v.actions} onChange={(ev) => set('actions', ev.target.value)} aria-describedby={`case-actions-hint${e.actions ? ' case-actions-error' : ''}`} />
        <p id="case-actions-hint" className="mt-1 text-xs text-slate-500">{ACTION_SYNTAX.join(' · ')}</p>
        {e.actions && (
          <ul id="case-actions-error" className="mt-1 space-y-0.5 text-sm text-red-700">
            {e.actions.map((p) => <li key={p}>{p}</li>)}
          </ul>
        )}
      </div>
      <div className="space-y-3">
        <div>
          <label htmlFor="case-identity" className="text-xs font-medium text-slate-600">Agent identity (its tool profile)</label>
          <select id="case-identity" className={fieldClass(Boolean(e.identityId))} value={v.identityId} onChange={(ev) => set('identityId', ev.target.value)} aria-describedby={e.identityId ? 'case-identity-error' : undefined}>
            <option value="">Any agent (no tool profile)</option>
            {identities.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </select>
          <FieldError id="case-identity" errors={e.identityId} />
        </div>
        <fieldset>
          <legend className="text-xs font-medium text-slate-600">Data the agent may see</legend>
          <div className="mt-1 grid gap-0.5">
            {Object.entries(DATA_ITEMS).map(([key, item]) => (
              <label key={key} className="inline-flex items-center gap-2 text-xs text-slate-700">
                <input type="checkbox" className="rounded border-slate-300" checked={v.allowedData.includes(key)} onChange={(ev) => set('allowedData', ev.target.checked ? [...v.allowedData, key] : v.allowedData.filter((d) => d !== key))} />
                {item.label}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <div className="sm:col-span-3">
        <Button type="submit" disabled={pending}>{pending ? 'Saving…' : 'Save the case'}</Button>
      </div>
    </form>
  );
}

type ActionReceipt = { seq: number; text: string; violation: string | null };

/** Choose receipts of a run (violations pre-chosen) and save them as a case. */
export function CaseFromRunForm({ runId, receipts, suggestedName }: { runId: string; receipts: ActionReceipt[]; suggestedName: string }) {
  const router = useRouter();
  const [v, setV] = useState({ name: suggestedName, expected: 'DENY', note: '' });
  const [seqs, setSeqs] = useState<number[]>(receipts.filter((r) => r.violation).map((r) => r.seq));
  const { run, pending, fieldErrors: e, message } = useFormAction();
  const set = (k: 'name' | 'expected' | 'note', value: string) => setV((x) => ({ ...x, [k]: value }));
  return (
    <form
      aria-label="Save as a policy case"
      className="grid gap-3 sm:grid-cols-3"
      onSubmit={(ev) => {
        ev.preventDefault();
        run(() => createCaseFromRunAction({ ...v, runId, seqs }), (row) => router.push(`/security/policy-cases#PC-${row.number}`));
      }}
    >
      {message && !Object.keys(e).length && <p role="alert" className="text-sm text-red-700 sm:col-span-3">{message}</p>}
      <fieldset className="sm:col-span-3" aria-describedby={e.seqs ? 'case-seqs-error' : undefined}>
        <legend className="text-xs font-medium text-slate-600">
          Receipts to replay ({seqs.length} chosen) ·{' '}
          <button type="button" className="text-brand-700 hover:underline" onClick={() => setSeqs(receipts.map((r) => r.seq))}>all</button>{' '}
          · <button type="button" className="text-brand-700 hover:underline" onClick={() => setSeqs(receipts.filter((r) => r.violation).map((r) => r.seq))}>violations only</button>
        </legend>
        <ul className="mt-1 max-h-96 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-inset ring-slate-200">
          {receipts.map((r) => (
            <li key={r.seq} className={r.violation ? 'bg-red-50' : ''}>
              <label className="flex items-start gap-3 px-3 py-1.5 text-sm">
                <input type="checkbox" className="mt-0.5 rounded border-slate-300" checked={seqs.includes(r.seq)} onChange={(ev) => setSeqs(ev.target.checked ? [...seqs, r.seq] : seqs.filter((s) => s !== r.seq))} />
                <span className="mt-0.5 w-10 shrink-0 text-right font-mono text-xs text-slate-500">#{r.seq}</span>
                <span className="min-w-0 flex-1">
                  <code className="break-all font-mono text-xs text-slate-900">{r.text}</code>
                  {r.violation && <span className="block text-xs text-red-800">{r.violation}</span>}
                </span>
              </label>
            </li>
          ))}
        </ul>
        <FieldError id="case-seqs" errors={e.seqs} />
      </fieldset>
      <CaseHeader prefix="run-case" v={v} set={set} e={e} />
      <div className="sm:col-span-3">
        <Button type="submit" disabled={pending || !seqs.length}>{pending ? 'Saving…' : 'Save as policy case'}</Button>
      </div>
    </form>
  );
}

export function CaseActiveToggle({ caseId, active, name }: { caseId: string; active: boolean; name: string }) {
  const { run, pending, message, fieldErrors } = useFormAction();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (active && open) {
    const id = `retire-${caseId}`;
    return (
      <form aria-label={`Retire ${name}`} className="flex w-full flex-wrap items-start gap-2" onSubmit={(e) => { e.preventDefault(); run(() => setCaseActiveAction({ caseId, active: false, reason }), () => setOpen(false)); }}>
        <label htmlFor={id} className="sr-only">Why {name} should stop guarding policy</label>
        <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why it should stop guarding policy (audited)" aria-invalid={fieldErrors.reason ? true : undefined} aria-describedby={fieldErrors.reason ? `${id}-error` : undefined} className={`min-w-0 flex-1 rounded-md border-0 px-2 py-1 text-xs ring-1 ring-inset ${fieldErrors.reason ? 'ring-red-500' : 'ring-slate-300'}`} />
        <Button type="submit" variant="danger" className="px-2 py-1 text-xs" disabled={pending}>Retire</Button>
        <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => setOpen(false)}>Cancel</Button>
        {fieldErrors.reason && <p id={`${id}-error`} className="w-full text-xs text-red-700">{fieldErrors.reason.join(' ')}</p>}
        {message && !fieldErrors.reason && <p role="alert" className="w-full text-xs text-red-700">{message}</p>}
      </form>
    );
  }
  return (
    <span className="inline-flex items-center gap-2">
      <Button variant="ghost" className="px-2 py-1 text-xs" disabled={pending} aria-label={`${active ? 'Retire' : 'Reactivate'} ${name}`} onClick={() => (active ? setOpen(true) : run(() => setCaseActiveAction({ caseId, active: true })))}>
        {active ? 'Retire' : 'Reactivate'}
      </Button>
      {message && <span role="alert" className="text-xs text-red-700">{message}</span>}
    </span>
  );
}
