import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { requirePermission } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { packetPage } from '@/lib/packets/queries';
import { Badge } from '@/components/ui/badge';
import { TierBadge } from '@/components/contracts/tier-badge';
import { CloseOutForm, PrintButton, RollbackNoteForm } from '@/components/packets/packet-forms';

export const metadata: Metadata = { title: 'Review packet' };

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '—');

function Section({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="break-inside-avoid rounded-lg bg-white shadow-sm ring-1 ring-slate-200 print:shadow-none print:ring-slate-300">
      <h2 className="border-b border-slate-100 px-4 py-3 text-sm font-semibold text-slate-900">
        <span className="mr-2 text-slate-400">{n}.</span>
        {title}
      </h2>
      <div className="space-y-3 px-4 py-3 text-sm text-slate-700">{children}</div>
    </section>
  );
}

function Table({ head, rows, empty }: { head: string[]; rows: ReactNode[][]; empty: string }) {
  if (!rows.length) return <p className="text-slate-500">{empty}</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead>
        <tr className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          {head.map((h) => (
            <th key={h} scope="col" className="py-1.5 pr-3 font-medium">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((cell, j) => (
              <td key={j} className="py-1.5 pr-3 align-top">{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Dl({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[9rem_minmax(0,1fr)] gap-x-3 gap-y-1.5">
      {items.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="min-w-0 break-words text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const mono = (items: readonly string[]) => (items.length ? items.map((i) => <code key={i} className="mr-1.5 inline-block rounded bg-slate-100 px-1 font-mono text-xs">{i}</code>) : '—');

export default async function PacketPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission('run:read');
  const { id } = await params;
  const page = await packetPage(id, actor);
  if (!page) notFound();
  const p = page.content;
  const c = p.contract;
  const exportHref = (format: string) => `/runs/${id}/packet/export?format=${format}`;

  return (
    <div className="space-y-5 print:space-y-3">
      <header className="space-y-2">
        <p className="text-sm text-slate-500">
          <Link href={`/contracts/${c.id}`} className="font-mono text-brand-700 hover:underline">{c.ref}</Link> · version {c.version} ·{' '}
          <Link href={`/runs/${id}`} className="text-brand-700 hover:underline">run {p.run.status.toLowerCase()}</Link> · team {c.team}
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold text-slate-900">Review packet: {c.title}</h1>
          <TierBadge tier={c.tier} />
          {page.frozen ? (
            <Badge tone="success">Frozen · version {page.packetVersion}</Badge>
          ) : (
            <Badge tone="warning">Draft · generated from the records now</Badge>
          )}
        </div>
        <p className="text-sm text-slate-600">
          {page.frozen
            ? `Frozen at close-out on ${when(p.closeOut?.at ?? null)}; it will never change.`
            : `Everything below comes from the records of this run. It freezes when ${page.accountableName} accepts or rejects the result.`}
        </p>
        <div className="flex flex-wrap gap-2 print:hidden">
          <a href={exportHref('md')} className="rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">Download Markdown</a>
          <a href={exportHref('json')} className="rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">Download JSON (with evidence)</a>
          <PrintButton />
        </div>
      </header>

      <Section n={1} title="Contract and why this tier">
        <div className="grid gap-4 md:grid-cols-2">
          <div>
            <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Engineering view</h3>
            <Dl
              items={[
                ['Task', c.engineering.task || '—'],
                ['Repository', `${c.engineering.repository || '—'} (${c.engineering.baseBranch})`],
                ['File scope', mono(c.engineering.scope)],
                ['Blocked paths', mono(c.engineering.blocks)],
                ['Checks', mono(c.engineering.checks)],
                ['Deliverables', c.engineering.deliverables.join(', ') || '—'],
              ]}
            />
          </div>
          <div>
            <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Security view</h3>
            <Dl
              items={[
                ['Requester', `${c.requester.name}${c.delegatedBy ? ` (for ${c.delegatedBy.name})` : ''}`],
                ['Agent identity', c.security.agent ?? '—'],
                ['Allowed data', c.security.allowedData.join(', ') || '—'],
                ['Blocked', [...c.security.blockedItems, c.security.blockedFreeText].filter(Boolean).join(', ') || '—'],
                ['MCP capabilities', c.security.capabilities.length ? c.security.capabilities.map((k) => `${k.name} (${k.policy.toLowerCase().replace('_', ' ')})`).join(', ') : 'none'],
                ['Budget', `${money(c.security.budget.maxCostCents)} · ${c.security.budget.maxToolCalls} calls · ${c.security.budget.maxWallMinutes} min`],
              ]}
            />
          </div>
        </div>
        <ul className="list-disc space-y-0.5 pl-5">
          {c.tierReasons.map((r, i) => (
            <li key={i}>
              <span className="font-medium">{r.tier}</span>: {r.message}
            </li>
          ))}
        </ul>
      </Section>

      <Section n={2} title="Scope vs files touched">
        <Table head={['In scope', 'Reads', 'Writes']} rows={p.scope.inScope.map((f) => [<code key="p" className="font-mono text-xs">{f.path}</code>, f.reads, f.writes])} empty="No file inside the scope was touched." />
        <Table
          head={['Outside the scope', 'Reads', 'Writes']}
          rows={p.scope.outOfScope.map((f) => [<code key="p" className={`font-mono text-xs ${f.writes ? 'font-semibold text-red-800' : ''}`}>{f.path}</code>, f.reads, f.writes ? <span className="font-semibold text-red-800">{f.writes}</span> : 0])}
          empty="Nothing outside the scope."
        />
      </Section>

      <Section n={3} title="Commands and check results">
        <Table head={['#', 'Command', 'Exit']} rows={p.commands.map((x) => [x.seq, <code key="c" className="font-mono text-xs">{x.command}</code>, x.exitCode ?? '—'])} empty="No command was run." />
        <Table head={['Check', 'Result']} rows={p.checks.map((k) => [k.name, <Badge key="s" tone={k.status === 'passed' ? 'success' : k.status === 'failed' ? 'danger' : 'warning'}>{k.status}</Badge>])} empty="No check result was reported." />
      </Section>

      <Section n={4} title="Tool and MCP calls">
        <Table head={['MCP tool', 'Calls']} rows={p.mcpCalls.map((m) => [`${m.server}/${m.tool}`, m.count])} empty="No MCP call." />
        <Table head={['Other tool', 'Calls']} rows={p.toolCalls.map((t) => [t.name, t.count])} empty="No other tool call." />
      </Section>

      <Section n={5} title="Approvals, exceptions and violations">
        <Table head={['Approval', 'Decision', 'By', 'Reason']} rows={p.approvals.map((a) => [a.kind === 'SECURITY_COSIGN' ? 'security co-sign' : 'named approval', a.outcome?.toLowerCase().replace('_', ' ') ?? a.status.toLowerCase(), a.decidedBy ?? '—', a.reason ?? '—'])} empty="No approval was needed (Low tier)." />
        <Table head={['Exception', 'Status', 'By', 'Reason']} rows={p.exceptions.map((x) => [x.what, x.status.toLowerCase(), x.decidedBy ?? '—', x.reason ?? '—'])} empty="No security exception." />
        <Table head={['Receipt', 'Violation']} rows={p.violations.map((v) => [`#${v.seq}`, <span key="v" className="text-red-800">{v.reason}</span>])} empty="No boundary violation." />
      </Section>

      <Section n={6} title="Residual risk">
        <p>
          <span className="font-medium text-slate-900">The requester: </span>
          {p.risk.residualRisk || 'No statement.'}
        </p>
        <div>
          <p className="font-medium text-slate-900">What the records show:</p>
          {p.risk.observed.length ? (
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-red-900">
              {p.risk.observed.map((r) => <li key={r}>{r}</li>)}
            </ul>
          ) : (
            <p className="text-slate-500">Nothing beyond the above.</p>
          )}
        </div>
      </Section>

      <Section n={7} title="Rollback note">
        {p.rollback ? (
          <Dl items={[['Steps', <span key="s" className="whitespace-pre-line">{p.rollback.steps}</span>], ['Verify', p.rollback.verification], ['Who can execute', p.rollback.executors], ['Written by', `${p.rollback.author}, ${when(p.rollback.updatedAt)}`]]} />
        ) : (
          <p className={page.rollbackRequired ? 'font-medium text-amber-900' : 'text-slate-500'}>{page.rollbackRequired ? 'Required before close-out (High tier and above), and not written yet.' : 'No rollback note (not required below High tier).'}</p>
        )}
        {page.mayWriteRollback && !page.frozen && <RollbackNoteForm contractId={page.contractId} runId={id} initial={p.rollback ? { steps: p.rollback.steps, verification: p.rollback.verification, executors: p.rollback.executors } : null} />}
      </Section>

      <Section n={8} title="Patch and evidence">
        <Dl
          items={[
            ['Patch', p.run.patchRef ? <a key="p" href={p.run.patchRef} className="break-all text-brand-700 underline" rel="noreferrer">{p.run.patchRef}</a> : '—'],
            ['Run', `${p.run.agent}, ${when(p.run.startedAt)} → ${when(p.run.finishedAt)}, ${money(p.run.costCents)}, ${p.run.toolCalls} tool calls`],
            ['Evidence chain', <span key="e" className={p.evidence.intact ? 'text-emerald-800' : 'font-semibold text-red-800'}>{p.evidence.intact ? `intact, ${p.evidence.receipts} receipts` : 'BROKEN'}</span>],
            ['Chain head', <code key="h" className="break-all font-mono text-xs">{p.evidence.headHash ?? '—'}</code>],
            ['Signed checkpoint', p.evidence.checkpoint ? <span key="c">receipt {p.evidence.checkpoint.seq}, key <code className="font-mono text-xs">{p.evidence.checkpoint.keyId}</code><code className="mt-0.5 block break-all font-mono text-xs text-slate-500">{p.evidence.checkpoint.signature}</code></span> : '—'],
          ]}
        />
        <p className="text-xs text-slate-500 print:hidden">
          The JSON download carries every receipt and the signed checkpoint; <code className="font-mono">node verify-packet.mjs packet.json --public-key mandate.pem</code> checks it offline (<a href="/integrations/verify-packet.mjs" className="underline">verify-packet.mjs</a>, <a href="/api/evidence-key" className="underline">public key</a>).
        </p>
      </Section>

      <Section n={9} title="Close-out">
        {p.closeOut ? (
          <p>
            <Badge tone={p.closeOut.outcome === 'ACCEPTED' ? 'success' : 'danger'}>{p.closeOut.outcome === 'ACCEPTED' ? 'Accepted' : 'Rejected'}</Badge>{' '}
            by {p.closeOut.by} on {when(p.closeOut.at)}: {p.closeOut.reason}
            {p.closeOut.outcome === 'REJECTED' && can(actor.roles, 'incident:manage') && (
              <Link href={`/incidents/new?run=${id}`} className="ml-2 text-sm text-brand-700 underline print:hidden">
                Open an incident
              </Link>
            )}
          </p>
        ) : page.mayCloseOut ? (
          <CloseOutForm runId={id} needsRollback={page.rollbackRequired && !p.rollback} />
        ) : (
          <p className="text-slate-500">
            {page.runStatus === 'STARTED' ? 'The run is still going.' : `Waiting for ${page.accountableName} to accept or reject the result.`}
          </p>
        )}
      </Section>
    </div>
  );
}
