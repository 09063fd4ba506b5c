'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge } from '@/components/ui/badge';
import { TierBadge } from '@/components/contracts/tier-badge';
import { ExpectedBadge, VerdictBadge } from '@/components/policy/verdict-badge';
import type { Impact } from '@/lib/domain/policy-case';
import type { PolicyChangeInput } from '@/lib/policy/schema';
import { simulatePolicyChangeAction } from '@/app/(app)/security/policy-cases/actions';

type Draft = { kind: PolicyChangeInput['kind'] } & Record<string, unknown>;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * The impact of a policy change while it is being edited: the server simulates it against the
 * open and recent contracts and every active policy case, with the same functions the save runs.
 */
export function usePolicyImpact(draft: Draft | null) {
  const key = useDebounced(draft ? JSON.stringify(draft) : null, 300);
  const query = useQuery({
    queryKey: ['policy-impact', key],
    queryFn: () => simulatePolicyChangeAction(JSON.parse(key!)),
    enabled: key !== null,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  const impact = query.data?.ok ? query.data.data : null;
  return { impact, invalid: query.data?.ok === false, pending: query.isFetching || (draft ? JSON.stringify(draft) : null) !== key };
}

export function ImpactPanel({ impact, invalid, pending }: { impact: Impact | null; invalid: boolean; pending: boolean }) {
  return (
    <section aria-label="Impact of this change" aria-busy={pending} className="rounded-md bg-slate-50 px-3 py-2.5 ring-1 ring-inset ring-slate-200">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-900">Impact of this change</h3>
        {impact && (
          <p className="text-xs text-slate-500">
            Simulated on {impact.contractsChecked} open and recent contract{impact.contractsChecked === 1 ? '' : 's'} and {impact.casesChecked} policy case
            {impact.casesChecked === 1 ? '' : 's'}
            {pending ? ' · updating…' : ''}
          </p>
        )}
      </div>
      {!impact && <p className="mt-1 text-sm text-slate-500">{invalid ? 'Fix the fields above to see what this change would do.' : 'Simulating…'}</p>}
      {impact && !impact.tierChanges.length && !impact.verdictChanges.length && (
        <p className="mt-1 text-sm text-slate-600">No contract changes tier and no policy case changes verdict.</p>
      )}
      {impact && impact.verdictChanges.length > 0 && (
        <div className="mt-2">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Policy cases that change verdict</h4>
          <ul className="mt-1 space-y-2">
            {impact.verdictChanges.map((v) => (
              <li key={v.id} className={`rounded-md bg-white px-2.5 py-2 ring-1 ring-inset ${v.regression ? 'ring-red-300' : 'ring-slate-200'}`}>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <Link href={`/security/policy-cases#${v.ref}`} className="font-medium text-brand-700 hover:underline">
                    {v.ref}
                  </Link>
                  <span className="text-slate-900">{v.name}</span>
                  <ExpectedBadge expected={v.expected} />
                  <VerdictBadge decision={v.from} />
                  <span aria-hidden>→</span>
                  <span className="sr-only">becomes</span>
                  <VerdictBadge decision={v.to} />
                  {v.regression && <Badge tone="critical">Breaks the case</Badge>}
                </div>
                <ul className="mt-1 list-disc pl-5 text-xs text-slate-600">
                  {v.because.map((b) => (
                    <li key={b}>{b}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
      {impact && impact.tierChanges.length > 0 && (
        <div className="mt-2">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Contracts that change tier</h4>
          <ul className="mt-1 divide-y divide-slate-200">
            {impact.tierChanges.map((t) => (
              <li key={t.id} className="py-1.5">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <Link href={`/contracts/${t.id}`} className="font-medium text-brand-700 hover:underline">
                    {t.ref}
                  </Link>
                  <span className="min-w-0 truncate text-slate-900">{t.title}</span>
                  <span className="text-xs text-slate-500">{t.status.toLowerCase().replace('_', ' ')}</span>
                  <TierBadge tier={t.from} />
                  <span aria-hidden>→</span>
                  <span className="sr-only">becomes</span>
                  <TierBadge tier={t.to} />
                </div>
                <ul className="mt-0.5 text-xs text-slate-600">
                  {t.removed.map((r) => (
                    <li key={`-${r.message}`}>
                      <span className="font-mono text-red-700">−</span> {r.message}
                    </li>
                  ))}
                  {t.added.map((r) => (
                    <li key={`+${r.message}`}>
                      <span className="font-mono text-emerald-700">+</span> {r.message}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The written override a change that breaks policy cases needs; shown once the simulation or the server says so. */
export function OverrideField({ id, value, onChange, errors }: { id: string; value: string; onChange: (v: string) => void; errors?: string[] }) {
  return (
    <div>
      <label htmlFor={id} className="text-xs font-medium text-red-800">
        Override reason (this change breaks a policy case; the reason is audited)
      </label>
      <textarea
        id={id}
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        className={`mt-1 block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ${errors?.length ? 'ring-red-500' : 'ring-slate-300'}`}
      />
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}
