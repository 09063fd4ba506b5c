'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FieldError, fieldClass } from '@/components/ui/form-error';
import { useFormAction } from '@/components/ui/use-form-action';
import { ImpactPanel, OverrideField, usePolicyImpact } from '@/components/policy/impact-panel';
import { describeCapabilityAction, importToolsAction, registerServerAction, updateServerControlsAction } from '../actions';

export function RegisterServerForm({ people }: { people: { id: string; name: string }[] }) {
  const empty = { name: '', slug: '', description: '', transport: 'STREAMABLE_HTTP', endpoint: '', ownerId: '' };
  const [v, setV] = useState(empty);
  const { run, pending, fieldErrors: e, message } = useFormAction();
  const set = (k: keyof typeof v) => (ev: { target: { value: string } }) => setV({ ...v, [k]: ev.target.value });
  const field = (k: keyof typeof v, label: string, placeholder = '') => (
    <div>
      <label htmlFor={`srv-${k}`} className="text-xs font-medium text-slate-600">{label}</label>
      <input id={`srv-${k}`} className={fieldClass(Boolean(e[k]))} placeholder={placeholder} value={v[k]} onChange={set(k)} aria-describedby={e[k] ? `srv-${k}-error` : undefined} />
      <FieldError id={`srv-${k}`} errors={e[k]} />
    </div>
  );
  return (
    <form aria-label="Register an MCP server" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" onSubmit={(ev) => { ev.preventDefault(); run(() => registerServerAction(v), () => setV(empty)); }}>
      {message && !Object.keys(e).length && <p role="alert" className="text-sm text-red-700 sm:col-span-2 lg:col-span-3">{message}</p>}
      {field('name', 'Name', 'Linear tickets')}
      {field('slug', 'Slug', 'linear-tickets')}
      <div>
        <label htmlFor="srv-transport" className="text-xs font-medium text-slate-600">Transport</label>
        <select id="srv-transport" className={fieldClass(false)} value={v.transport} onChange={set('transport')}>
          <option value="STREAMABLE_HTTP">Streamable HTTP</option>
          <option value="STDIO">stdio</option>
          <option value="SSE">SSE (legacy)</option>
        </select>
      </div>
      {field('endpoint', 'Endpoint (URL or command)', 'https://mcp.example.internal/linear')}
      <div>
        <label htmlFor="srv-ownerId" className="text-xs font-medium text-slate-600">Accountable owner</label>
        <select id="srv-ownerId" className={fieldClass(Boolean(e.ownerId))} value={v.ownerId} onChange={set('ownerId')} aria-describedby={e.ownerId ? 'srv-ownerId-error' : undefined}>
          <option value="">Choose…</option>
          {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
        <FieldError id="srv-ownerId" errors={e.ownerId} />
      </div>
      {field('description', 'Description')}
      <div><Button type="submit" disabled={pending}>{pending ? 'Registering…' : 'Register server'}</Button></div>
    </form>
  );
}

export function ServerControlsForm({ serverId, controls }: { serverId: string; controls: { hasLogging: boolean; hasOwnerReview: boolean; hasKillSwitch: boolean } }) {
  const [v, setV] = useState(controls);
  const { run, pending, message } = useFormAction();
  const boxes = [
    ['hasLogging', 'Calls are logged'],
    ['hasOwnerReview', 'Owner has reviewed the tools'],
    ['hasKillSwitch', 'A kill switch cuts it off'],
  ] as const;
  return (
    <form aria-label="Server controls" className="flex flex-wrap items-center gap-4" onSubmit={(ev) => { ev.preventDefault(); run(() => updateServerControlsAction({ serverId, ...v })); }}>
      {boxes.map(([k, label]) => (
        <label key={k} className="inline-flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" className="rounded border-slate-300" checked={v[k]} onChange={(ev) => setV({ ...v, [k]: ev.target.checked })} /> {label}
        </label>
      ))}
      <Button type="submit" variant="secondary" disabled={pending}>Save controls</Button>
      {message && <p role="alert" className="w-full text-sm text-red-700">{message}</p>}
    </form>
  );
}

export function ImportToolsForm({ serverId }: { serverId: string }) {
  const [json, setJson] = useState('');
  const { run, pending, fieldErrors: e, message, ok } = useFormAction();
  const [done, setDone] = useState<string | null>(null);
  return (
    <form aria-label="Import tools" className="space-y-2" onSubmit={(ev) => { ev.preventDefault(); run(() => importToolsAction({ serverId, json }), (r) => { setDone(`Imported: ${r.added} new (blocked until described), ${r.updated} updated.`); setJson(''); }); }}>
      <label htmlFor="tools-json" className="block text-sm font-medium text-slate-800">Paste the server&apos;s answer to <code className="font-mono">tools/list</code>, or choose the file</label>
      <textarea id="tools-json" rows={5} className={`${fieldClass(Boolean(e.json))} font-mono text-xs`} value={json} onChange={(ev) => setJson(ev.target.value)} placeholder='{"tools": [{"name": "read_ticket", "inputSchema": {"type": "object"}}]}' aria-describedby={e.json ? 'tools-json-error' : undefined} />
      {e.json && (
        <ul id="tools-json-error" className="space-y-0.5 text-sm text-red-700">
          {e.json.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      {message && !e.json && <p role="alert" className="text-sm text-red-700">{message}</p>}
      {ok && done && <p role="status" className="text-sm text-emerald-800">{done}</p>}
      <div className="flex flex-wrap items-center gap-3">
        <input type="file" accept="application/json,.json" aria-label="tools/list JSON file" className="text-sm" onChange={async (ev) => setJson((await ev.target.files?.[0]?.text()) ?? '')} />
        <Button type="submit" disabled={pending || !json}>{pending ? 'Importing…' : 'Import tools'}</Button>
      </div>
    </form>
  );
}

type Capability = { id: string; toolName: string; toolDescription: string; businessCapability: string | null; dataClass: string; access: string; policy: string };

export function CapabilityEditor({ capability }: { capability: Capability }) {
  const original = { businessCapability: capability.businessCapability ?? '', dataClass: capability.dataClass, access: capability.access, policy: capability.policy };
  const [v, setV] = useState(original);
  const [saved, setSaved] = useState(original);
  const [overrideReason, setOverrideReason] = useState('');
  const { run, pending, fieldErrors: e, message, ok } = useFormAction();
  const id = `cap-${capability.id}`;
  const changed = v.dataClass !== saved.dataClass || v.access !== saved.access || v.policy !== saved.policy;
  const simulated = usePolicyImpact(changed ? { kind: 'capability', capability: { capabilityId: capability.id, ...v } } : null);
  return (
    <form aria-label={`Describe ${capability.toolName}`} className="grid gap-2 sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))_auto]" onSubmit={(ev) => { ev.preventDefault(); run(() => describeCapabilityAction({ capabilityId: capability.id, ...v, overrideReason }), () => { setSaved(v); setOverrideReason(''); }); }}>
      <div>
        <label htmlFor={`${id}-business`} className="text-xs font-medium text-slate-600">Business capability it grants</label>
        <input id={`${id}-business`} className={fieldClass(false)} placeholder="read customer escalation detail" value={v.businessCapability} onChange={(ev) => setV({ ...v, businessCapability: ev.target.value })} />
      </div>
      <div>
        <label htmlFor={`${id}-class`} className="text-xs font-medium text-slate-600">Data class</label>
        <select id={`${id}-class`} className={fieldClass(false)} value={v.dataClass} onChange={(ev) => setV({ ...v, dataClass: ev.target.value })}>
          {['PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'CUSTOMER', 'REGULATED'].map((c) => <option key={c} value={c}>{c.toLowerCase()}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-access`} className="text-xs font-medium text-slate-600">Access</label>
        <select id={`${id}-access`} className={fieldClass(false)} value={v.access} onChange={(ev) => setV({ ...v, access: ev.target.value })}>
          <option value="READ">read</option>
          <option value="WRITE">write</option>
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-policy`} className="text-xs font-medium text-slate-600">Policy</label>
        <select id={`${id}-policy`} className={fieldClass(Boolean(e.policy))} value={v.policy} onChange={(ev) => setV({ ...v, policy: ev.target.value })} aria-describedby={e.policy ? `${id}-policy-error` : undefined}>
          <option value="DEFAULT_READ">allowed by default</option>
          <option value="NEEDS_APPROVAL">needs approval</option>
          <option value="SYNTHETIC_ONLY">synthetic data only</option>
          <option value="BLOCKED">blocked</option>
        </select>
      </div>
      <div className="flex items-end">
        <Button type="submit" variant="secondary" disabled={pending}>{pending ? 'Saving…' : 'Save'}</Button>
      </div>
      {changed && (
        <div className="sm:col-span-2 lg:col-span-5">
          <ImpactPanel {...simulated} />
        </div>
      )}
      {changed && (simulated.impact?.regressions.length || e.overrideReason) ? (
        <div className="sm:col-span-2 lg:col-span-5">
          <OverrideField id={`${id}-override`} value={overrideReason} onChange={setOverrideReason} errors={e.overrideReason} />
        </div>
      ) : null}
      <div className="sm:col-span-2 lg:col-span-5">
        <FieldError id={`${id}-policy`} errors={e.policy} />
        {message && !e.policy && !e.overrideReason && <p role="alert" className="text-sm text-red-700">{message}</p>}
        {ok && <p role="status" className="text-xs text-emerald-800">Saved.</p>}
      </div>
    </form>
  );
}
