'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FieldError, fieldClass } from '@/components/ui/form-error';
import { useFormAction } from '@/components/ui/use-form-action';
import { ImpactPanel, OverrideField, usePolicyImpact } from '@/components/policy/impact-panel';
import { createIdentityAction, createTokenAction, revokeTokenAction, rotateTokenAction, setIdentityStatusAction, updateToolProfileAction } from '../actions';

export function CreateIdentityForm({ people }: { people: { id: string; name: string }[] }) {
  const empty = { name: '', kind: 'LOCAL_CODING_AGENT', description: '', ownerId: '', tools: '', commands: '' };
  const [v, setV] = useState(empty);
  const { run, pending, fieldErrors: e, message } = useFormAction();
  const set = (k: keyof typeof v) => (ev: { target: { value: string } }) => setV({ ...v, [k]: ev.target.value });
  return (
    <form aria-label="Register an agent identity" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" onSubmit={(ev) => { ev.preventDefault(); run(() => createIdentityAction(v), () => setV(empty)); }}>
      {message && !Object.keys(e).length && <p role="alert" className="text-sm text-red-700 sm:col-span-2 lg:col-span-4">{message}</p>}
      <div>
        <label htmlFor="id-name" className="text-xs font-medium text-slate-600">Name</label>
        <input id="id-name" className={fieldClass(Boolean(e.name))} placeholder="ci-fixer-bot" value={v.name} onChange={set('name')} aria-describedby={e.name ? 'id-name-error' : undefined} />
        <FieldError id="id-name" errors={e.name} />
      </div>
      <div>
        <label htmlFor="id-kind" className="text-xs font-medium text-slate-600">Kind</label>
        <select id="id-kind" className={fieldClass(false)} value={v.kind} onChange={set('kind')}>
          <option value="LOCAL_CODING_AGENT">Local coding agent</option>
          <option value="CI_AGENT">CI agent</option>
          <option value="ENTERPRISE_ASSISTANT">Enterprise assistant</option>
        </select>
      </div>
      <div>
        <label htmlFor="id-owner" className="text-xs font-medium text-slate-600">Accountable owner</label>
        <select id="id-owner" className={fieldClass(Boolean(e.ownerId))} value={v.ownerId} onChange={set('ownerId')} aria-describedby={e.ownerId ? 'id-owner-error' : undefined}>
          <option value="">Choose…</option>
          {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
        <FieldError id="id-owner" errors={e.ownerId} />
      </div>
      <div>
        <label htmlFor="id-description" className="text-xs font-medium text-slate-600">What it is for</label>
        <input id="id-description" className={fieldClass(false)} value={v.description} onChange={set('description')} />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor="id-tools" className="text-xs font-medium text-slate-600">Approved tools (one per line)</label>
        <textarea id="id-tools" rows={2} className={`${fieldClass(false)} font-mono`} placeholder={'Read\nEdit'} value={v.tools} onChange={set('tools')} />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor="id-commands" className="text-xs font-medium text-slate-600">Approved local commands (one per line)</label>
        <textarea id="id-commands" rows={2} className={`${fieldClass(false)} font-mono`} placeholder="npm test" value={v.commands} onChange={set('commands')} />
      </div>
      <div><Button type="submit" disabled={pending}>{pending ? 'Registering…' : 'Register identity'}</Button></div>
    </form>
  );
}

export function IdentityStatusForm({ identityId, status }: { identityId: string; status: string }) {
  const [v, setV] = useState({ status: status === 'ACTIVE' ? 'SUSPENDED' : 'ACTIVE', reason: '' });
  const { run, pending, fieldErrors: e, message } = useFormAction();
  if (status === 'REVOKED') return <p className="text-sm text-slate-600">Revoked for good.</p>;
  return (
    <form aria-label="Change status" className="flex flex-wrap items-end gap-2" onSubmit={(ev) => { ev.preventDefault(); run(() => setIdentityStatusAction({ identityId, ...v }), () => setV({ ...v, reason: '' })); }}>
      {message && !Object.keys(e).length && <p role="alert" className="w-full text-sm text-red-700">{message}</p>}
      <div>
        <label htmlFor="st-status" className="text-xs font-medium text-slate-600">New status</label>
        <select id="st-status" className={fieldClass(false)} value={v.status} onChange={(ev) => setV({ ...v, status: ev.target.value })}>
          {['ACTIVE', 'SUSPENDED', 'REVOKED'].filter((s) => s !== status).map((s) => <option key={s} value={s}>{s.toLowerCase()}</option>)}
        </select>
      </div>
      <div className="min-w-64 flex-1">
        <label htmlFor="st-reason" className="text-xs font-medium text-slate-600">Reason (required)</label>
        <input id="st-reason" className={fieldClass(Boolean(e.reason))} value={v.reason} onChange={(ev) => setV({ ...v, reason: ev.target.value })} aria-describedby={e.reason ? 'st-reason-error' : undefined} />
        <FieldError id="st-reason" errors={e.reason} />
      </div>
      <Button type="submit" variant="secondary" disabled={pending}>Change status</Button>
    </form>
  );
}

/** Edits the tools and commands an identity's agent may use, with the policy impact shown before saving. */
export function ToolProfileForm({ identityId, tools, commands }: { identityId: string; tools: string[]; commands: string[] }) {
  const original = { tools: tools.join('\n'), commands: commands.join('\n') };
  const [v, setV] = useState(original);
  const [saved, setSaved] = useState(original);
  const [overrideReason, setOverrideReason] = useState('');
  const { run, pending, fieldErrors: e, message, ok } = useFormAction();
  const lines = (t: string) => t.split('\n').map((x) => x.trim()).filter(Boolean);
  const changed = lines(v.tools).join('\n') !== lines(saved.tools).join('\n') || lines(v.commands).join('\n') !== lines(saved.commands).join('\n');
  const simulated = usePolicyImpact(changed ? { kind: 'tool-profile', profile: { identityId, ...v } } : null);
  return (
    <form
      aria-label="Edit the tool profile"
      className="grid gap-3 sm:grid-cols-2"
      onSubmit={(ev) => {
        ev.preventDefault();
        run(() => updateToolProfileAction({ identityId, ...v, overrideReason }), () => { setSaved(v); setOverrideReason(''); });
      }}
    >
      {message && !Object.keys(e).length && <p role="alert" className="text-sm text-red-700 sm:col-span-2">{message}</p>}
      <div>
        <label htmlFor="tp-tools" className="text-xs font-medium text-slate-600">Tools (one per line)</label>
        <textarea id="tp-tools" rows={7} className={`${fieldClass(Boolean(e.tools))} font-mono text-xs`} value={v.tools} onChange={(ev) => setV({ ...v, tools: ev.target.value })} />
      </div>
      <div>
        <label htmlFor="tp-commands" className="text-xs font-medium text-slate-600">Commands (one per line)</label>
        <textarea id="tp-commands" rows={7} className={`${fieldClass(Boolean(e.commands))} font-mono text-xs`} value={v.commands} onChange={(ev) => setV({ ...v, commands: ev.target.value })} />
      </div>
      {changed && (
        <div className="sm:col-span-2">
          <ImpactPanel {...simulated} />
        </div>
      )}
      {changed && (simulated.impact?.regressions.length || e.overrideReason) ? (
        <div className="sm:col-span-2">
          <OverrideField id="tp-override" value={overrideReason} onChange={setOverrideReason} errors={e.overrideReason} />
        </div>
      ) : null}
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" variant="secondary" disabled={pending || !changed}>{pending ? 'Saving…' : 'Save tool profile'}</Button>
        {ok && !changed && <p role="status" className="text-xs text-emerald-800">Saved.</p>}
      </div>
    </form>
  );
}

/** The token exactly once, with the warning that it will not be shown again. */
function ShownOnce({ token, onDone }: { token: { token: string; prefix: string }; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="rounded-md bg-amber-50 p-3 ring-1 ring-amber-200">
      <p className="text-sm font-semibold text-amber-900">Copy this token now: Mandate keeps only a hash and will not show it again.</p>
      <code data-testid="new-token" className="mt-2 block break-all rounded bg-white px-2 py-1.5 font-mono text-xs text-slate-900 ring-1 ring-amber-200">{token.token}</code>
      <div className="mt-2 flex gap-2">
        <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => navigator.clipboard?.writeText(token.token).then(() => setCopied(true))}>{copied ? 'Copied' : 'Copy'}</Button>
        <Button variant="ghost" className="px-2.5 py-1 text-xs" onClick={onDone}>I have stored it</Button>
      </div>
    </div>
  );
}

export function CreateTokenForm({ identityId }: { identityId: string }) {
  const [v, setV] = useState({ name: '', expiresInDays: '90' });
  const [shown, setShown] = useState<{ token: string; prefix: string } | null>(null);
  const { run, pending, fieldErrors: e, message } = useFormAction();
  if (shown) return <ShownOnce token={shown} onDone={() => setShown(null)} />;
  return (
    <form aria-label="Create a token" className="flex flex-wrap items-end gap-2" onSubmit={(ev) => { ev.preventDefault(); run(() => createTokenAction({ identityId, ...v }), (t) => { setShown(t); setV({ name: '', expiresInDays: '90' }); }); }}>
      {message && !Object.keys(e).length && <p role="alert" className="w-full text-sm text-red-700">{message}</p>}
      <div className="min-w-48 flex-1">
        <label htmlFor="tok-name" className="text-xs font-medium text-slate-600">Token name</label>
        <input id="tok-name" className={fieldClass(Boolean(e.name))} placeholder="CI runner" value={v.name} onChange={(ev) => setV({ ...v, name: ev.target.value })} aria-describedby={e.name ? 'tok-name-error' : undefined} />
        <FieldError id="tok-name" errors={e.name} />
      </div>
      <div className="w-32">
        <label htmlFor="tok-days" className="text-xs font-medium text-slate-600">Expires in (days)</label>
        <input id="tok-days" inputMode="numeric" className={fieldClass(Boolean(e.expiresInDays))} value={v.expiresInDays} onChange={(ev) => setV({ ...v, expiresInDays: ev.target.value })} aria-describedby={e.expiresInDays ? 'tok-days-error' : undefined} />
        <FieldError id="tok-days" errors={e.expiresInDays} />
      </div>
      <Button type="submit" disabled={pending}>{pending ? 'Creating…' : 'Create token'}</Button>
    </form>
  );
}

export function TokenActions({ tokenId, prefix }: { tokenId: string; prefix: string }) {
  const [mode, setMode] = useState<'none' | 'revoke' | 'rotate'>('none');
  const [reason, setReason] = useState('');
  const [grace, setGrace] = useState('24');
  const [shown, setShown] = useState<{ token: string; prefix: string } | null>(null);
  const { run, pending, fieldErrors: e, message } = useFormAction();
  if (shown) return <ShownOnce token={shown} onDone={() => setShown(null)} />;
  if (mode === 'none') {
    return (
      <div className="flex gap-2">
        <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => setMode('rotate')} aria-label={`Rotate ${prefix}`}>Rotate</Button>
        <Button variant="secondary" className="px-2.5 py-1 text-xs text-red-800" onClick={() => setMode('revoke')} aria-label={`Revoke ${prefix}`}>Revoke</Button>
      </div>
    );
  }
  return (
    <form className="flex flex-wrap items-end gap-2" aria-label={mode === 'revoke' ? `Revoke ${prefix}` : `Rotate ${prefix}`} onSubmit={(ev) => {
      ev.preventDefault();
      if (mode === 'revoke') run(() => revokeTokenAction({ tokenId, reason }), () => setMode('none'));
      else run(() => rotateTokenAction({ tokenId, graceHours: grace }), (t) => { setShown(t); setMode('none'); });
    }}>
      {message && !Object.keys(e).length && <p role="alert" className="w-full text-sm text-red-700">{message}</p>}
      {mode === 'revoke' ? (
        <div className="min-w-56 flex-1">
          <label htmlFor={`rv-${tokenId}`} className="text-xs font-medium text-slate-600">Why revoke? (required)</label>
          <input id={`rv-${tokenId}`} className={fieldClass(Boolean(e.reason))} value={reason} onChange={(ev) => setReason(ev.target.value)} aria-describedby={e.reason ? `rv-${tokenId}-error` : undefined} />
          <FieldError id={`rv-${tokenId}`} errors={e.reason} />
        </div>
      ) : (
        <div className="w-44">
          <label htmlFor={`gr-${tokenId}`} className="text-xs font-medium text-slate-600">Old token works for (hours)</label>
          <input id={`gr-${tokenId}`} inputMode="numeric" className={fieldClass(Boolean(e.graceHours))} value={grace} onChange={(ev) => setGrace(ev.target.value)} aria-describedby={e.graceHours ? `gr-${tokenId}-error` : undefined} />
          <FieldError id={`gr-${tokenId}`} errors={e.graceHours} />
        </div>
      )}
      <Button type="submit" disabled={pending} className="px-2.5 py-1 text-xs">{mode === 'revoke' ? 'Revoke now' : 'Rotate'}</Button>
      <Button variant="ghost" className="px-2.5 py-1 text-xs" onClick={() => setMode('none')}>Cancel</Button>
    </form>
  );
}
