import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { BLOCK_ITEMS, DATA_ITEMS } from '@/lib/domain/risk';
import { DELIVERABLES } from '@/lib/contracts/schema';
import type { ContractDetail } from '@/lib/contracts/queries';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[11rem_minmax(0,1fr)]">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function Mono({ items, empty = 'None' }: { items: string[]; empty?: string }) {
  if (!items.length) return <span className="text-slate-500">{empty}</span>;
  return (
    <ul className="space-y-0.5">
      {items.map((i) => (
        <li key={i} className="break-all font-mono text-[0.8rem]">
          {i}
        </li>
      ))}
    </ul>
  );
}

function label<T extends Record<string, { label: string } | string>>(map: T, key: string): string {
  const v = (map as Record<string, { label: string } | string>)[key];
  return typeof v === 'string' ? v : (v?.label ?? key);
}

/** The two lenses of one contract record: what engineering reads and what security reads. */
export function ContractLenses({ c }: { c: ContractDetail }) {
  const capabilities = c.capabilities.map((x) => x.capability);
  return (
    <>
          <Card title="Engineering view" action={<span className="text-xs text-slate-500">task, scope, checks, deliverable</span>}>
        <dl className="divide-y divide-slate-100">
          <Row label="Task">{c.description ? <p className="whitespace-pre-line">{c.description}</p> : <span className="text-slate-500">No description yet</span>}</Row>
          <Row label="Repository">
            {c.repository || '—'} <span className="text-slate-500">from {c.baseBranch}</span>
          </Row>
          <Row label="May change">
            <Mono items={c.allowGlobs} />
          </Row>
          <Row label="Blocked paths">
            <Mono items={c.blockGlobs} />
          </Row>
          <Row label="Checks">
            <Mono items={c.checks} />
          </Row>
          <Row label="Deliverables">{c.deliverables.map((d) => label(DELIVERABLES, d)).join(', ') || '—'}</Row>
          <Row label="Rollback plan">{c.rollbackPlan ? <p className="whitespace-pre-line">{c.rollbackPlan}</p> : <span className="text-slate-500">None</span>}</Row>
        </dl>
      </Card>

      <Card title="Security view" action={<span className="text-xs text-slate-500">who, what data, which tools</span>}>
        <dl className="divide-y divide-slate-100">
          <Row label="Requester">
            {c.requester.name} <span className="text-slate-500">{c.requester.title}</span>
          </Row>
          <Row label="Delegated by">{c.delegatedBy?.name ?? <span className="text-slate-500">Nobody</span>}</Row>
          <Row label="Named approver">{c.namedApprover?.name ?? <span className="text-slate-500">Approver queue</span>}</Row>
          <Row label="Agent identity">
            {c.agentIdentity ? (
              <>
                <span className="font-mono">{c.agentIdentity.name}</span>{' '}
                {(c.agentIdentity.status !== 'ACTIVE' || c.agentIdentity.killedAt) && <Badge tone="danger">not active</Badge>}
              </>
            ) : (
              <span className="text-slate-500">Not chosen</span>
            )}
          </Row>
          <Row label="Allowed data">{c.allowedData.map((d) => label(DATA_ITEMS, d)).join(', ') || '—'}</Row>
          <Row label="Blocked">
            {[...c.blockedItems.map((b) => label(BLOCK_ITEMS, b)), ...(c.blockedFreeText ? [c.blockedFreeText] : [])].join(', ') || '—'}
          </Row>
          <Row label="MCP capabilities">
            {capabilities.length === 0 ? (
              <span className="text-slate-500">None</span>
            ) : (
              <ul className="space-y-1">
                {capabilities.map((cap) => (
                  <li key={cap.id}>
                    <span className="font-mono text-[0.8rem]">
                      {cap.server.slug}/{cap.toolName}
                    </span>{' '}
                    <span className="text-slate-600">— {cap.businessCapability ?? 'undescribed'}</span>{' '}
                    {cap.server.killedAt && <Badge tone="danger">server killed</Badge>}
                  </li>
                ))}
              </ul>
            )}
          </Row>
          <Row label="Local commands">
            <Mono items={c.localCommands} />
          </Row>
          <Row label="Budget">
            ${(c.budgetMaxCostCents / 100).toFixed(2)} · {c.budgetMaxToolCalls} tool calls · {c.budgetMaxWallMinutes} min
          </Row>
          <Row label="Exceptions">
            {c.exceptions.length === 0 ? (
              <span className="text-slate-500">None</span>
            ) : (
              <ul className="space-y-1">
                {c.exceptions.map((x) => (
                  <li key={x.id}>
                    <Badge tone={x.status === 'GRANTED' ? 'success' : x.status === 'REQUESTED' ? 'warning' : 'neutral'}>{x.status.toLowerCase()}</Badge> {x.what}
                  </li>
                ))}
              </ul>
            )}
          </Row>
        </dl>
      </Card>
    </>
  );
}
