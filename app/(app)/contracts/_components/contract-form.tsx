'use client';

import { useMemo, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { TierBadge } from '@/components/contracts/tier-badge';
import { RiskReasons } from '@/components/contracts/risk-reasons';
import { BLOCK_ITEMS, classify, DATA_ITEMS, TIER_LABEL, TIERS, type Tier } from '@/lib/domain/risk';
import { BUDGET_DEFAULTS, DELIVERABLES, SaveDraftInput } from '@/lib/contracts/schema';
import { toRiskInput } from '@/lib/contracts/risk-input';
import type { ContractFormOptions } from '@/lib/registry/queries';
import type { FormResult } from '@/lib/server/action';
import { saveDraftAction, submitContractAction } from '../actions';

export type ContractFormValues = {
  title: string;
  description: string;
  repository: string;
  baseBranch: string;
  allowGlobs: string;
  blockGlobs: string;
  checks: string;
  deliverables: string[];
  delegatedById: string;
  namedApproverId: string;
  agentIdentityId: string;
  allowedData: string[];
  blockedItems: string[];
  blockedFreeText: string;
  capabilityIds: string[];
  localCommands: string;
  budgetMaxCost: string;
  budgetMaxToolCalls: string;
  budgetMaxWallMinutes: string;
  rollbackPlan: string;
  tierRaisedTo: string;
  tierRaiseReason: string;
};

export const EMPTY_CONTRACT: ContractFormValues = {
  title: '',
  description: '',
  repository: '',
  baseBranch: 'main',
  allowGlobs: '',
  blockGlobs: '',
  checks: '',
  deliverables: ['patch', 'summary'],
  delegatedById: '',
  namedApproverId: '',
  agentIdentityId: '',
  allowedData: ['repo-content'],
  blockedItems: ['secrets', 'production-records', 'migrations', 'deploy-config'],
  blockedFreeText: '',
  capabilityIds: [],
  localCommands: '',
  budgetMaxCost: '',
  budgetMaxToolCalls: '',
  budgetMaxWallMinutes: '',
  rollbackPlan: '',
  tierRaisedTo: '',
  tierRaiseReason: '',
};

type Props = { contractId: string | null; mode: 'draft' | 'resubmit'; initial: ContractFormValues; options: ContractFormOptions & { actorId: string } };

const POLICY_LABEL = { DEFAULT_READ: 'Allowed by default', NEEDS_APPROVAL: 'Needs approval', SYNTHETIC_ONLY: 'Synthetic data only', BLOCKED: 'Blocked' } as const;

const inputClass = 'mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset focus:ring-2 focus:ring-inset focus:ring-brand-600';

function Section({ step, title, hint, children }: { step: number; title: string; hint: string; children: React.ReactNode }) {
  return (
    <fieldset className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5">
      <legend className="sr-only">{title}</legend>
      <div className="mb-4">
        <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">Step {step}</p>
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <p className="text-sm text-slate-600">{hint}</p>
      </div>
      <div className="space-y-4">{children}</div>
    </fieldset>
  );
}

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={`${id}-error`} className="mt-1 space-y-0.5 text-sm text-red-700">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

export function ContractForm({ contractId, mode, initial, options }: Props) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [result, setResult] = useState<FormResult<unknown> | null>(null);
  const [pending, startTransition] = useTransition();
  const fieldErrors = result && !result.ok ? (result.fieldErrors ?? {}) : {};

  const set = <K extends keyof ContractFormValues>(key: K, value: ContractFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const toggle = (key: 'deliverables' | 'allowedData' | 'blockedItems' | 'capabilityIds', item: string) =>
    setValues((v) => ({ ...v, [key]: v[key].includes(item) ? v[key].filter((x) => x !== item) : [...v[key], item] }));

  // The live preview runs the same pure classifier the server runs on submit.
  const preview = useMemo(() => {
    const parsed = SaveDraftInput.safeParse({ ...values, title: values.title || 'untitled' });
    const input = parsed.success
      ? parsed.data
      : { ...SaveDraftInput.parse({ title: 'untitled' }), capabilityIds: values.capabilityIds, allowedData: [], blockedItems: [] };
    return { assessment: classify(toRiskInput(input), options.registry), invalidScope: !parsed.success };
  }, [values, options.registry]);
  const tier: Tier = preview.assessment.tier;
  const budgetDefaults = BUDGET_DEFAULTS[tier];
  const highOrAbove = tier === 'HIGH' || tier === 'STOP';

  const describedBy = (name: string, hint?: boolean) => [hint ? `${name}-hint` : null, fieldErrors[name] ? `${name}-error` : null].filter(Boolean).join(' ') || undefined;
  const invalid = (name: string) => (fieldErrors[name] ? true : undefined);
  const ring = (name: string) => (fieldErrors[name] ? 'ring-red-500' : 'ring-slate-300');

  function payload() {
    return {
      ...values,
      budgetMaxCost: values.budgetMaxCost || String(budgetDefaults.budgetMaxCostCents / 100),
      budgetMaxToolCalls: values.budgetMaxToolCalls || String(budgetDefaults.budgetMaxToolCalls),
      budgetMaxWallMinutes: values.budgetMaxWallMinutes || String(budgetDefaults.budgetMaxWallMinutes),
    };
  }

  function run(kind: 'draft' | 'submit') {
    startTransition(async () => {
      const action = kind === 'draft' ? saveDraftAction : submitContractAction;
      const res = (await action(payload(), contractId)) as FormResult<{ id: string }>;
      setResult(res);
      if (res.ok) {
        router.push(`/contracts/${res.data.id}${kind === 'draft' ? '?saved=1' : ''}`);
        router.refresh();
      } else {
        window.scrollTo({ top: 0, behavior: 'smooth' });
      }
    });
  }

  const capabilities = options.registry.capabilities;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        run('submit');
      }}
      className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]"
    >
      <div className="space-y-6">
        {result && !result.ok && (
          <div role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200">
            {result.message ?? 'Some fields need your attention.'}
          </div>
        )}

        <Section step={1} title="The task" hint="What the agent should do, where, and how you will know it worked.">
          <div>
            <label htmlFor="title" className="block text-sm font-medium text-slate-800">Title</label>
            <input id="title" className={`${inputClass} ${ring('title')}`} value={values.title} onChange={(e) => set('title', e.target.value)} aria-invalid={invalid('title')} aria-describedby={describedBy('title')} />
            <Errors id="title" errors={fieldErrors.title} />
          </div>
          <div>
            <label htmlFor="description" className="block text-sm font-medium text-slate-800">Description</label>
            <textarea id="description" rows={4} className={`${inputClass} ${ring('description')}`} value={values.description} onChange={(e) => set('description', e.target.value)} aria-invalid={invalid('description')} aria-describedby={describedBy('description')} />
            <Errors id="description" errors={fieldErrors.description} />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor="repository" className="block text-sm font-medium text-slate-800">Repository</label>
              <input id="repository" placeholder="northwind/payments-api" className={`${inputClass} ${ring('repository')}`} value={values.repository} onChange={(e) => set('repository', e.target.value)} aria-invalid={invalid('repository')} aria-describedby={describedBy('repository')} />
              <Errors id="repository" errors={fieldErrors.repository} />
            </div>
            <div>
              <label htmlFor="baseBranch" className="block text-sm font-medium text-slate-800">Base branch</label>
              <input id="baseBranch" className={`${inputClass} ${ring('baseBranch')}`} value={values.baseBranch} onChange={(e) => set('baseBranch', e.target.value)} aria-invalid={invalid('baseBranch')} aria-describedby={describedBy('baseBranch')} />
              <Errors id="baseBranch" errors={fieldErrors.baseBranch} />
            </div>
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor="allowGlobs" className="block text-sm font-medium text-slate-800">File scope: paths the agent may change</label>
              <textarea id="allowGlobs" rows={3} placeholder={'billing/export/**\nsrc/lib/pagination.ts'} className={`${inputClass} font-mono ${ring('allowGlobs')}`} value={values.allowGlobs} onChange={(e) => set('allowGlobs', e.target.value)} aria-invalid={invalid('allowGlobs')} aria-describedby={describedBy('allowGlobs', true)} />
              <p id="allowGlobs-hint" className="mt-1 text-xs text-slate-500">One glob per line, relative to the repository root.</p>
              <Errors id="allowGlobs" errors={fieldErrors.allowGlobs} />
            </div>
            <div>
              <label htmlFor="blockGlobs" className="block text-sm font-medium text-slate-800">Explicitly blocked paths</label>
              <textarea id="blockGlobs" rows={3} placeholder="**/auth/**" className={`${inputClass} font-mono ${ring('blockGlobs')}`} value={values.blockGlobs} onChange={(e) => set('blockGlobs', e.target.value)} aria-invalid={invalid('blockGlobs')} aria-describedby={describedBy('blockGlobs')} />
              <Errors id="blockGlobs" errors={fieldErrors.blockGlobs} />
            </div>
          </div>
          <div>
            <label htmlFor="checks" className="block text-sm font-medium text-slate-800">Checks to run</label>
            <textarea id="checks" rows={2} placeholder="npm test -- billing" className={`${inputClass} font-mono ${ring('checks')}`} value={values.checks} onChange={(e) => set('checks', e.target.value)} aria-invalid={invalid('checks')} aria-describedby={describedBy('checks')} />
            <Errors id="checks" errors={fieldErrors.checks} />
          </div>
          <div role="group" aria-labelledby="deliverables-label" aria-describedby={describedBy('deliverables')}>
            <p id="deliverables-label" className="text-sm font-medium text-slate-800">Deliverables</p>
            <div className="mt-1 flex flex-wrap gap-x-5 gap-y-2">
              {Object.entries(DELIVERABLES).map(([key, label]) => (
                <label key={key} className="inline-flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" className="rounded border-slate-300" checked={values.deliverables.includes(key)} onChange={() => toggle('deliverables', key)} />
                  {label}
                </label>
              ))}
            </div>
            <Errors id="deliverables" errors={fieldErrors.deliverables} />
          </div>
        </Section>

        <Section step={2} title="Permission boundary" hint="Who asks, which agent acts, and what data it may and may not see.">
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor="agentIdentityId" className="block text-sm font-medium text-slate-800">Agent identity</label>
              <select id="agentIdentityId" className={`${inputClass} ${ring('agentIdentityId')}`} value={values.agentIdentityId} onChange={(e) => set('agentIdentityId', e.target.value)} aria-invalid={invalid('agentIdentityId')} aria-describedby={describedBy('agentIdentityId')}>
                <option value="">Choose an active identity…</option>
                {options.identities.map((i) => (
                  <option key={i.id} value={i.id}>{i.name}</option>
                ))}
              </select>
              <Errors id="agentIdentityId" errors={fieldErrors.agentIdentityId} />
            </div>
            <div>
              <label htmlFor="delegatedById" className="block text-sm font-medium text-slate-800">Delegated by (optional)</label>
              <select id="delegatedById" className={`${inputClass} ${ring('delegatedById')}`} value={values.delegatedById} onChange={(e) => set('delegatedById', e.target.value)} aria-describedby={describedBy('delegatedById')}>
                <option value="">Nobody: my own task</option>
                {options.people.map((p) => (
                  <option key={p.id} value={p.id}>{p.name}</option>
                ))}
              </select>
              <Errors id="delegatedById" errors={fieldErrors.delegatedById} />
            </div>
          </div>
          <div>
            <label htmlFor="namedApproverId" className="block text-sm font-medium text-slate-800">
              Named approver {tier === 'LOW' ? <span className="font-normal text-slate-500">(Low needs none)</span> : <span className="font-normal text-slate-500">(otherwise the approver queue decides)</span>}
            </label>
            <select id="namedApproverId" className={`${inputClass} ${ring('namedApproverId')}`} value={values.namedApproverId} onChange={(e) => set('namedApproverId', e.target.value)} aria-invalid={invalid('namedApproverId')} aria-describedby={describedBy('namedApproverId')}>
              <option value="">Approver queue</option>
              {options.people
                .filter((p) => p.roles.includes('APPROVER') && p.id !== options.actorId && p.id !== values.delegatedById)
                .map((p) => (
                  <option key={p.id} value={p.id}>{p.name} — {p.title}</option>
                ))}
            </select>
            <Errors id="namedApproverId" errors={fieldErrors.namedApproverId} />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <div role="group" aria-labelledby="allowedData-label" aria-describedby={describedBy('allowedData')}>
              <p id="allowedData-label" className="text-sm font-medium text-slate-800">Data the agent may see</p>
              <div className="mt-1 space-y-1.5">
                {Object.entries(DATA_ITEMS).map(([key, item]) => (
                  <label key={key} className="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" className="rounded border-slate-300" checked={values.allowedData.includes(key)} onChange={() => toggle('allowedData', key)} />
                    {item.label}
                    {item.tier && <span className="text-xs text-slate-500">(at least {TIER_LABEL[item.tier]})</span>}
                  </label>
                ))}
              </div>
              <Errors id="allowedData" errors={fieldErrors.allowedData} />
            </div>
            <div role="group" aria-labelledby="blockedItems-label" aria-describedby={describedBy('blockedItems')}>
              <p id="blockedItems-label" className="text-sm font-medium text-slate-800">Blocked data and actions</p>
              <div className="mt-1 space-y-1.5">
                {Object.entries(BLOCK_ITEMS).map(([key, item]) => (
                  <label key={key} className="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" className="rounded border-slate-300" checked={values.blockedItems.includes(key)} onChange={() => toggle('blockedItems', key)} />
                    {item.label}
                  </label>
                ))}
              </div>
              <Errors id="blockedItems" errors={fieldErrors.blockedItems} />
              <label htmlFor="blockedFreeText" className="mt-3 block text-sm font-medium text-slate-800">Anything else blocked</label>
              <input id="blockedFreeText" className={`${inputClass} ring-slate-300`} value={values.blockedFreeText} onChange={(e) => set('blockedFreeText', e.target.value)} />
            </div>
          </div>
        </Section>

        <Section step={3} title="Tools, MCP capabilities and budget" hint="What the agent may call, and how much it may spend before the boundary check says no.">
          <div role="group" aria-labelledby="capabilities-label" aria-describedby={describedBy('capabilityIds')}>
            <p id="capabilities-label" className="text-sm font-medium text-slate-800">MCP capabilities and data sources</p>
            <ul className="mt-2 divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
              {capabilities.map((c) => {
                const blocked = c.policy === 'BLOCKED' || c.serverKilled;
                return (
                  <li key={c.id} className="flex items-start gap-3 px-3 py-2">
                    <input
                      id={`cap-${c.id}`}
                      type="checkbox"
                      className="mt-1 rounded border-slate-300 disabled:opacity-40"
                      checked={values.capabilityIds.includes(c.id)}
                      disabled={blocked && !values.capabilityIds.includes(c.id)}
                      onChange={() => toggle('capabilityIds', c.id)}
                    />
                    <label htmlFor={`cap-${c.id}`} className="min-w-0 flex-1 text-sm">
                      <span className="font-mono text-slate-900">{c.serverName}/{c.toolName}</span>
                      <span className="block text-slate-600">{c.businessCapability ?? 'Not described yet: blocked until security describes it'}</span>
                      <span className="block text-xs text-slate-500">
                        {c.dataClass.toLowerCase()} data · {c.access.toLowerCase()} · {c.serverKilled ? 'server switched off' : POLICY_LABEL[c.policy]}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
            <Errors id="capabilityIds" errors={fieldErrors.capabilityIds} />
          </div>
          <div>
            <label htmlFor="localCommands" className="block text-sm font-medium text-slate-800">Local commands allowed</label>
            <textarea id="localCommands" rows={2} placeholder={'npm test\nnpm run lint'} className={`${inputClass} font-mono ${ring('localCommands')}`} value={values.localCommands} onChange={(e) => set('localCommands', e.target.value)} aria-describedby={describedBy('localCommands')} />
            <Errors id="localCommands" errors={fieldErrors.localCommands} />
          </div>
          <div className="grid gap-4 sm:grid-cols-3">
            {(
              [
                ['budgetMaxCost', 'Max cost (USD)', String(budgetDefaults.budgetMaxCostCents / 100)],
                ['budgetMaxToolCalls', 'Max tool and MCP calls', String(budgetDefaults.budgetMaxToolCalls)],
                ['budgetMaxWallMinutes', 'Max wall time (minutes)', String(budgetDefaults.budgetMaxWallMinutes)],
              ] as const
            ).map(([key, label, fallback]) => (
              <div key={key}>
                <label htmlFor={key} className="block text-sm font-medium text-slate-800">{label}</label>
                <input id={key} inputMode="decimal" placeholder={`${fallback} (${TIER_LABEL[tier]} default)`} className={`${inputClass} ${ring(key)}`} value={values[key]} onChange={(e) => set(key, e.target.value)} aria-invalid={invalid(key)} aria-describedby={describedBy(key)} />
                <Errors id={key} errors={fieldErrors[key]} />
              </div>
            ))}
          </div>
        </Section>

        <Section step={4} title="Rollback and tier" hint="How to undo the change (required from High up), and an optional raise of the tier.">
          <div>
            <label htmlFor="rollbackPlan" className="block text-sm font-medium text-slate-800">
              Rollback plan {highOrAbove ? <span className="text-red-700">(required for {TIER_LABEL[tier]})</span> : <span className="font-normal text-slate-500">(optional below High)</span>}
            </label>
            <textarea id="rollbackPlan" rows={3} className={`${inputClass} ${ring('rollbackPlan')}`} value={values.rollbackPlan} onChange={(e) => set('rollbackPlan', e.target.value)} aria-invalid={invalid('rollbackPlan')} aria-describedby={describedBy('rollbackPlan')} />
            <Errors id="rollbackPlan" errors={fieldErrors.rollbackPlan} />
          </div>
          <div className="grid gap-4 sm:grid-cols-[12rem_minmax(0,1fr)]">
            <div>
              <label htmlFor="tierRaisedTo" className="block text-sm font-medium text-slate-800">Raise the tier to</label>
              <select id="tierRaisedTo" className={`${inputClass} ${ring('tierRaisedTo')}`} value={values.tierRaisedTo} onChange={(e) => set('tierRaisedTo', e.target.value)} aria-invalid={invalid('tierRaisedTo')} aria-describedby={describedBy('tierRaisedTo')}>
                <option value="">No raise</option>
                {TIERS.filter((t) => TIERS.indexOf(t) > TIERS.indexOf(preview.assessment.computedTier) || t === values.tierRaisedTo).map((t) => (
                  <option key={t} value={t}>{TIER_LABEL[t]}</option>
                ))}
              </select>
              <Errors id="tierRaisedTo" errors={fieldErrors.tierRaisedTo} />
            </div>
            <div>
              <label htmlFor="tierRaiseReason" className="block text-sm font-medium text-slate-800">Why</label>
              <input id="tierRaiseReason" className={`${inputClass} ${ring('tierRaiseReason')}`} value={values.tierRaiseReason} onChange={(e) => set('tierRaiseReason', e.target.value)} aria-invalid={invalid('tierRaiseReason')} aria-describedby={describedBy('tierRaiseReason')} />
              <Errors id="tierRaiseReason" errors={fieldErrors.tierRaiseReason} />
            </div>
          </div>
        </Section>
      </div>

      <aside className="lg:sticky lg:top-6 lg:self-start">
        <section aria-labelledby="tier-preview" aria-live="polite" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <h2 id="tier-preview" className="text-sm font-semibold text-slate-900">Risk tier</h2>
          <div className="mt-2 flex items-center gap-2" data-testid="tier-preview">
            <TierBadge tier={tier} />
            {tier !== preview.assessment.computedTier && <span className="text-xs text-slate-500">computed {TIER_LABEL[preview.assessment.computedTier]}</span>}
          </div>
          {preview.invalidScope && <p className="mt-2 text-xs text-amber-800">Some input is not valid yet; the preview ignores it.</p>}
          <RiskReasons reasons={preview.assessment.reasons} className="mt-3" />
          {tier === 'STOP' && (
            <p className="mt-3 rounded-md bg-red-50 p-2 text-xs text-red-800 ring-1 ring-red-200">
              Stop tier: after you submit, nothing runs until security grants an exception. Narrow the scope or block the items above to lower it.
            </p>
          )}
        </section>
        <div className="mt-4 flex flex-col gap-2">
          <Button type="submit" disabled={pending}>{pending ? 'Working…' : mode === 'resubmit' ? 'Resubmit as a new version' : 'Submit contract'}</Button>
          {mode === 'draft' && (
            <Button variant="secondary" disabled={pending} onClick={() => run('draft')}>
              Save draft
            </Button>
          )}
        </div>
      </aside>
    </form>
  );
}
