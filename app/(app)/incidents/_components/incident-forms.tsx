'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { FieldError, fieldClass } from '@/components/ui/form-error';
import { useFormAction } from '@/components/ui/use-form-action';
import { INCIDENT_SOURCES, SEVERITIES, SEVERITY_LABEL, SOURCE_LABEL, type ContainmentOption } from '@/lib/domain/incident';
import { containIncidentAction, liftFreezeAction, openIncidentAction, resolveIncidentAction, reviewIncidentAction } from '../actions';

type Links = { runId?: string | null; seq?: number | null; serverId?: string | null; identityId?: string | null; contractId?: string | null };

export function OpenIncidentForm({ people, links, initial, defaultOwnerId }: { people: { id: string; name: string; security: boolean }[]; links: Links; initial: { title: string; summary: string; severity: string; source: string }; defaultOwnerId: string }) {
  const router = useRouter();
  const [v, setV] = useState({ ...initial, ownerId: defaultOwnerId });
  const { run, pending, fieldErrors: e, message } = useFormAction();
  const set = (k: keyof typeof v) => (ev: { target: { value: string } }) => setV({ ...v, [k]: ev.target.value });
  const linkErrors = [...(e.runId ?? []), ...(e.seq ?? []), ...(e.serverId ?? []), ...(e.identityId ?? []), ...(e.contractId ?? [])];
  return (
    <form
      aria-label="Open an incident"
      className="grid gap-3 sm:grid-cols-3"
      onSubmit={(ev) => {
        ev.preventDefault();
        run(() => openIncidentAction({ ...v, runId: links.runId ?? '', seq: links.seq ?? '', serverId: links.serverId ?? '', identityId: links.identityId ?? '', contractId: links.contractId ?? '' }), (row) => router.push(`/incidents/${row.id}`));
      }}
    >
      {message && !Object.keys(e).length && <p role="alert" className="text-sm text-red-700 sm:col-span-3">{message}</p>}
      {linkErrors.length > 0 && <p role="alert" className="text-sm text-red-700 sm:col-span-3">{linkErrors.join(' ')}</p>}
      <div className="sm:col-span-3">
        <label htmlFor="inc-title" className="text-xs font-medium text-slate-600">Title</label>
        <input id="inc-title" className={fieldClass(Boolean(e.title))} value={v.title} onChange={set('title')} aria-describedby={e.title ? 'inc-title-error' : undefined} />
        <FieldError id="inc-title" errors={e.title} />
      </div>
      <div>
        <label htmlFor="inc-severity" className="text-xs font-medium text-slate-600">Severity</label>
        <select id="inc-severity" className={fieldClass(Boolean(e.severity))} value={v.severity} onChange={set('severity')}>
          {SEVERITIES.map((s) => <option key={s} value={s}>{SEVERITY_LABEL[s]}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="inc-source" className="text-xs font-medium text-slate-600">Opened from</label>
        <select id="inc-source" className={fieldClass(Boolean(e.source))} value={v.source} onChange={set('source')} aria-describedby={e.source ? 'inc-source-error' : undefined}>
          {INCIDENT_SOURCES.map((s) => <option key={s} value={s}>{SOURCE_LABEL[s]}</option>)}
        </select>
        <FieldError id="inc-source" errors={e.source} />
      </div>
      <div>
        <label htmlFor="inc-owner" className="text-xs font-medium text-slate-600">Owner of the response</label>
        <select id="inc-owner" className={fieldClass(Boolean(e.ownerId))} value={v.ownerId} onChange={set('ownerId')} aria-describedby={e.ownerId ? 'inc-owner-error' : undefined}>
          <option value="">Choose…</option>
          {people.map((p) => <option key={p.id} value={p.id}>{p.name}{p.security ? ' (security)' : ''}</option>)}
        </select>
        <FieldError id="inc-owner" errors={e.ownerId} />
      </div>
      <div className="sm:col-span-3">
        <label htmlFor="inc-summary" className="text-xs font-medium text-slate-600">What is known so far</label>
        <textarea id="inc-summary" rows={3} className={fieldClass(Boolean(e.summary))} value={v.summary} onChange={set('summary')} aria-describedby={e.summary ? 'inc-summary-error' : undefined} />
        <FieldError id="inc-summary" errors={e.summary} />
      </div>
      <div className="sm:col-span-3">
        <Button type="submit" variant="danger" disabled={pending}>{pending ? 'Opening…' : 'Open the incident'}</Button>
      </div>
    </form>
  );
}

export function ContainmentPanel({ incidentId, options }: { incidentId: string; options: ContainmentOption[] }) {
  const [action, setAction] = useState(options.find((o) => o.available)?.action ?? 'other');
  const [reason, setReason] = useState('');
  const { run, pending, fieldErrors: e, message } = useFormAction();
  return (
    <form aria-label="Contain" className="space-y-3" onSubmit={(ev) => { ev.preventDefault(); run(() => containIncidentAction({ incidentId, action, reason }), () => setReason('')); }}>
      <fieldset>
        <legend className="text-xs font-medium text-slate-600">Containment action</legend>
        <div className="mt-1 space-y-1">
          {options.map((o) => (
            <label key={o.action} className={`flex items-start gap-2 text-sm ${o.available ? 'text-slate-800' : 'text-slate-400'}`}>
              <input type="radio" name="containment" className="mt-0.5" value={o.action} checked={action === o.action} disabled={!o.available} onChange={() => setAction(o.action)} />
              <span>
                {o.label}
                {o.why && <span className="block text-xs">{o.why}</span>}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor="contain-reason" className="text-xs font-medium text-slate-600">Reason (audited, shown on the timeline)</label>
        <input id="contain-reason" className={fieldClass(Boolean(e.reason))} value={reason} onChange={(ev) => setReason(ev.target.value)} aria-describedby={e.reason ? 'contain-reason-error' : undefined} />
        <FieldError id="contain-reason" errors={e.reason} />
      </div>
      {message && !e.reason && <p role="alert" className="text-sm text-red-700">{message}</p>}
      <Button type="submit" variant="danger" disabled={pending}>{pending ? 'Working…' : 'Take the action'}</Button>
    </form>
  );
}

export function LiftFreezeForm({ incidentId, contractRef }: { incidentId: string; contractRef: string }) {
  const [reason, setReason] = useState('');
  const { run, pending, fieldErrors: e, message } = useFormAction();
  return (
    <form aria-label="Lift the freeze" className="flex flex-wrap items-end gap-2" onSubmit={(ev) => { ev.preventDefault(); run(() => liftFreezeAction({ incidentId, reason }), () => setReason('')); }}>
      <div className="min-w-64 flex-1">
        <label htmlFor="lift-reason" className="text-xs font-medium text-slate-600">{contractRef} is frozen. Reason to lift the freeze</label>
        <input id="lift-reason" className={fieldClass(Boolean(e.reason))} value={reason} onChange={(ev) => setReason(ev.target.value)} aria-describedby={e.reason ? 'lift-reason-error' : undefined} />
        <FieldError id="lift-reason" errors={e.reason} />
      </div>
      <Button type="submit" variant="secondary" disabled={pending}>Lift the freeze</Button>
      {message && !e.reason && <p role="alert" className="w-full text-sm text-red-700">{message}</p>}
    </form>
  );
}

export function ResolveForm({ incidentId }: { incidentId: string }) {
  const [resolution, setResolution] = useState('');
  const { run, pending, fieldErrors: e, message } = useFormAction();
  return (
    <form aria-label="Resolve" className="space-y-2" onSubmit={(ev) => { ev.preventDefault(); run(() => resolveIncidentAction({ incidentId, resolution })); }}>
      <label htmlFor="resolution" className="text-xs font-medium text-slate-600">How it was resolved</label>
      <textarea id="resolution" rows={3} className={fieldClass(Boolean(e.resolution))} value={resolution} onChange={(ev) => setResolution(ev.target.value)} aria-describedby={e.resolution ? 'resolution-error' : undefined} />
      <FieldError id="resolution" errors={e.resolution} />
      {message && !e.resolution && <p role="alert" className="text-sm text-red-700">{message}</p>}
      <Button type="submit" disabled={pending}>{pending ? 'Saving…' : 'Resolve the incident'}</Button>
    </form>
  );
}

export function ReviewForm({ incidentId }: { incidentId: string }) {
  const [v, setV] = useState({ what: '', why: '', followUps: '' });
  const { run, pending, fieldErrors: e, message } = useFormAction();
  const area = (k: keyof typeof v, label: string) => (
    <div>
      <label htmlFor={`review-${k}`} className="text-xs font-medium text-slate-600">{label}</label>
      <textarea id={`review-${k}`} rows={3} className={fieldClass(Boolean(e[k]))} value={v[k]} onChange={(ev) => setV({ ...v, [k]: ev.target.value })} aria-describedby={e[k] ? `review-${k}-error` : undefined} />
      <FieldError id={`review-${k}`} errors={e[k]} />
    </div>
  );
  return (
    <form aria-label="Closing review" className="space-y-3" onSubmit={(ev) => { ev.preventDefault(); run(() => reviewIncidentAction({ incidentId, ...v })); }}>
      {area('what', 'What happened')}
      {area('why', 'Why the boundary allowed or caught it')}
      {area('followUps', 'Follow-ups (policy cases saved, policy changes, owners)')}
      {message && !Object.keys(e).length && <p role="alert" className="text-sm text-red-700">{message}</p>}
      <Button type="submit" disabled={pending}>{pending ? 'Saving…' : 'Save the review'}</Button>
    </form>
  );
}
