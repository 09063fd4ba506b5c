import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePermission } from '@/lib/auth/session';
import { db } from '@/lib/db';
import { listPolicyCases } from '@/lib/policy/queries';
import { formatAction } from '@/lib/policy/actions';
import { TIER_LABEL } from '@/lib/domain/risk';
import { PolicyTabs } from '@/components/policy/policy-tabs';
import { Card, EmptyState } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { ExpectedBadge, HoldsBadge, VerdictBadge } from '@/components/policy/verdict-badge';
import { CaseActiveToggle, NewCaseForm } from './_components/case-forms';

export const metadata: Metadata = { title: 'Policy cases' };

export default async function PolicyCasesPage() {
  await requirePermission('policy:manage');
  const [cases, identities] = await Promise.all([listPolicyCases(), db.agentIdentity.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } })]);
  const active = cases.filter((c) => c.active);
  const failing = active.filter((c) => !c.holds);
  return (
    <div className="space-y-6">
      <PolicyTabs current="/security/policy-cases" />
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Policy cases</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Regression cases for the policy: &ldquo;an agent doing this must be denied&rdquo; or &ldquo;must ask a person first&rdquo;. Each is judged now against the
          live sensitive areas, MCP capability policies and tool profiles: a contract covering the actions is classified (Stop is denied, Medium and High need
          approval) and each action goes through the run boundary. A policy change that would make an active case pass is refused unless security writes an
          override reason. Teams can run the same check in CI with <code className="font-mono text-xs">npm run policy:check</code>.
        </p>
        <p className="mt-2 flex flex-wrap gap-2 text-sm">
          <Badge tone="neutral">{active.length} active</Badge>
          <Badge tone="success">{active.length - failing.length} hold</Badge>
          {failing.length > 0 && <Badge tone="critical">{failing.length} fail</Badge>}
        </p>
      </div>

      <Card title="Write a case by hand">
        <NewCaseForm identities={identities} />
        <p className="mt-3 text-xs text-slate-500">Or open a run and choose &ldquo;Save as policy case&rdquo; to replay what an agent actually did.</p>
      </Card>

      <section aria-label="Cases" className="space-y-3">
        {cases.length === 0 && <EmptyState>No policy cases yet.</EmptyState>}
        {cases.map((c) => (
          <article key={c.id} id={c.ref} aria-label={`${c.ref} ${c.name}`} className={`scroll-mt-20 rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ${c.active && !c.holds ? 'ring-red-300' : 'ring-slate-200'} ${c.active ? '' : 'opacity-60'}`}>
            <header className="flex flex-wrap items-center gap-2">
              <span className="font-mono text-xs text-slate-500">{c.ref}</span>
              <h2 className="text-sm font-semibold text-slate-900">{c.name}</h2>
              <ExpectedBadge expected={c.expected} />
              <span className="text-xs text-slate-500">now:</span>
              <VerdictBadge decision={c.evaluation.decision} />
              {c.active ? <HoldsBadge holds={c.holds} /> : <Badge>Retired</Badge>}
              <span className="ml-auto">
                <CaseActiveToggle caseId={c.id} active={c.active} name={c.ref} />
              </span>
            </header>
            <p className="mt-1 text-xs text-slate-500">
              {c.context.identity ? <>as <span className="font-mono">{c.context.identity}</span></> : 'any agent'} · data: {c.context.allowedData.join(', ') || 'none'} · by {c.createdBy}{' '}
              {c.createdAt.toISOString().slice(0, 10)}
              {c.sourceRun && (
                <>
                  {' '}· from{' '}
                  <Link href={`/runs/${c.sourceRun.id}`} className="text-brand-700 hover:underline">
                    a run of {c.sourceRun.contractRef}
                  </Link>
                </>
              )}
            </p>
            {c.note && <p className="mt-1 text-sm text-slate-700">{c.note}</p>}
            <div className="mt-2 grid gap-3 lg:grid-cols-2">
              <ol className="space-y-0.5 rounded-md bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-200">
                {c.evaluation.actions.map((a, i) => (
                  <li key={i} className="flex items-start gap-2">
                    <span className="min-w-0 flex-1 break-all">{formatAction(a.action)}</span>
                    <span title={`On its own: a ${TIER_LABEL[a.tier]} contract; the boundary says ${a.verdict.decision.replace('_', ' ')}`}>
                      <VerdictBadge decision={a.decision} />
                    </span>
                  </li>
                ))}
              </ol>
              <div className="text-xs text-slate-600">
                <p className="font-medium text-slate-700">
                  Why: a contract covering these actions would be {TIER_LABEL[c.evaluation.assessment.tier]}
                </p>
                <ul className="mt-1 list-disc space-y-0.5 pl-4">
                  {c.evaluation.because.map((b) => (
                    <li key={b}>{b}</li>
                  ))}
                </ul>
              </div>
            </div>
          </article>
        ))}
      </section>
    </div>
  );
}
