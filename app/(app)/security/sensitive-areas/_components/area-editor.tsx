'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { AREA_CATEGORIES } from '@/lib/registry/schema';
import { TIER_LABEL, TIERS, type Tier } from '@/lib/domain/risk';
import type { FormResult } from '@/lib/server/action';
import { ImpactPanel, OverrideField, usePolicyImpact } from '@/components/policy/impact-panel';
import { saveSensitiveAreaAction } from '../actions';

type Area = { id: string; name: string; category: string; pattern: string; tier: Tier; description: string; enabled: boolean };
const EMPTY: Omit<Area, 'id'> = { name: '', category: 'other', pattern: '', tier: 'HIGH', description: '', enabled: true };
const field = 'mt-1 block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset';

/** Add or edit one sensitive area; on success the list re-renders from the server. */
export function AreaEditor({ area, onDone }: { area?: Area; onDone?: () => void }) {
  const router = useRouter();
  const [values, setValues] = useState<Omit<Area, 'id'>>(area ?? EMPTY);
  const [overrideReason, setOverrideReason] = useState('');
  const [result, setResult] = useState<FormResult<unknown> | null>(null);
  const original = area ? { name: area.name, category: area.category, pattern: area.pattern, tier: area.tier, description: area.description, enabled: area.enabled } : EMPTY;
  const changed = (['name', 'category', 'pattern', 'tier', 'enabled'] as const).some((k) => values[k] !== original[k]);
  const simulated = usePolicyImpact(changed && values.pattern.trim() ? { kind: 'sensitive-area', areaId: area?.id ?? null, area: values } : null);
  const [pending, start] = useTransition();
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const prefix = area ? `area-${area.id}` : 'new-area';
  const set = (k: keyof typeof values, v: string | boolean) => setValues((x) => ({ ...x, [k]: v }));
  const ring = (k: string) => (errors[k] ? 'ring-red-500' : 'ring-slate-300');
  const err = (k: string) =>
    errors[k] ? (
      <p id={`${prefix}-${k}-error`} className="mt-1 text-sm text-red-700">
        {errors[k].join(' ')}
      </p>
    ) : null;

  return (
    <form
      noValidate
      aria-label={area ? `Edit ${area.name}` : 'Add a sensitive area'}
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const res = await saveSensitiveAreaAction({ ...values, overrideReason }, area?.id ?? null);
          setResult(res);
          if (res.ok) {
            if (!area) setValues(EMPTY);
            setOverrideReason('');
            onDone?.();
            router.refresh();
          }
        });
      }}
    >
      {result && !result.ok && result.message && !Object.keys(errors).length && (
        <p role="alert" className="text-sm text-red-700 sm:col-span-2 lg:col-span-6">{result.message}</p>
      )}
      <div className="lg:col-span-1">
        <label htmlFor={`${prefix}-name`} className="text-xs font-medium text-slate-600">Name</label>
        <input id={`${prefix}-name`} className={`${field} ${ring('name')}`} value={values.name} onChange={(e) => set('name', e.target.value)} aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? `${prefix}-name-error` : undefined} />
        {err('name')}
      </div>
      <div className="lg:col-span-2">
        <label htmlFor={`${prefix}-pattern`} className="text-xs font-medium text-slate-600">Path pattern</label>
        <input id={`${prefix}-pattern`} className={`${field} font-mono ${ring('pattern')}`} placeholder="**/billing/**" value={values.pattern} onChange={(e) => set('pattern', e.target.value)} aria-invalid={errors.pattern ? true : undefined} aria-describedby={errors.pattern ? `${prefix}-pattern-error` : undefined} />
        {err('pattern')}
      </div>
      <div>
        <label htmlFor={`${prefix}-category`} className="text-xs font-medium text-slate-600">Category</label>
        <select id={`${prefix}-category`} className={`${field} ${ring('category')}`} value={values.category} onChange={(e) => set('category', e.target.value)}>
          {AREA_CATEGORIES.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
        {err('category')}
      </div>
      <div>
        <label htmlFor={`${prefix}-tier`} className="text-xs font-medium text-slate-600">Tier when touched</label>
        <select id={`${prefix}-tier`} className={`${field} ${ring('tier')}`} value={values.tier} onChange={(e) => set('tier', e.target.value)}>
          {TIERS.map((t) => (
            <option key={t} value={t}>{TIER_LABEL[t]}</option>
          ))}
        </select>
      </div>
      <div className="flex items-end gap-3">
        <label className="inline-flex items-center gap-2 pb-1.5 text-sm text-slate-700">
          <input type="checkbox" checked={values.enabled} onChange={(e) => set('enabled', e.target.checked)} className="rounded border-slate-300" /> Enabled
        </label>
      </div>
      <div className="sm:col-span-2 lg:col-span-5">
        <label htmlFor={`${prefix}-description`} className="text-xs font-medium text-slate-600">What lives there</label>
        <input id={`${prefix}-description`} className={`${field} ring-slate-300`} value={values.description} onChange={(e) => set('description', e.target.value)} />
      </div>
      {changed && values.pattern.trim() && (
        <div className="sm:col-span-2 lg:col-span-6">
          <ImpactPanel {...simulated} />
        </div>
      )}
      {(simulated.impact?.regressions.length || errors.overrideReason) && changed ? (
        <div className="sm:col-span-2 lg:col-span-5">
          <OverrideField id={`${prefix}-override`} value={overrideReason} onChange={setOverrideReason} errors={errors.overrideReason} />
        </div>
      ) : null}
      <div className="flex items-end gap-2 lg:col-start-6">
        <Button type="submit" disabled={pending} className="w-full">{pending ? 'Saving…' : area ? 'Save' : 'Add area'}</Button>
        {onDone && (
          <Button variant="ghost" onClick={onDone} disabled={pending}>Cancel</Button>
        )}
      </div>
    </form>
  );
}
