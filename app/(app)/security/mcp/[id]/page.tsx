import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getServer } from '@/lib/registry/queries';
import { missingServerControls } from '@/lib/domain/agent-access';
import { Card, EmptyState } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { AffectedContracts } from '@/components/contracts/affected-contracts';
import { CapabilityEditor, ImportToolsForm, ServerControlsForm } from '../../_components/mcp-forms';
import { KillSwitch } from '../../_components/kill-switch';
import { CopyBlock } from '@/components/ui/copy-block';
import { claudeCodeMcpJson, gatewayUrl, genericMcpConfig, unreachableBecause } from '@/lib/gateway/config';
import { pageOrigin } from '@/lib/server/origin';

export const metadata: Metadata = { title: 'MCP server' };

const POLICY = { DEFAULT_READ: ['Allowed by default', 'success'], NEEDS_APPROVAL: ['Needs approval', 'warning'], SYNTHETIC_ONLY: ['Synthetic only', 'info'], BLOCKED: ['Blocked', 'neutral'] } as const;

export default async function McpServerPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser();
  const server = await getServer((await params).id);
  if (!server) notFound();
  const manage = can(actor.roles, 'registry:manage');
  const missing = missingServerControls(server);
  const origin = await pageOrigin();
  const unreachable = unreachableBecause(server);

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            {server.transport.replace('_', ' ').toLowerCase()} · <code className="font-mono">{server.endpoint}</code> · owner {server.owner.name}
          </p>
          <h1 className="mt-1 text-2xl font-semibold text-slate-900">{server.name}</h1>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            {server.killedAt ? <Badge tone="critical">Killed</Badge> : <Badge tone="success">Running</Badge>}
            {server.killReason && <span className="text-sm text-red-800">Kill switch: {server.killReason}</span>}
            {server.killedAt && can(actor.roles, 'incident:manage') && (
              <Link href={`/incidents/new?server=${server.id}`} className="text-sm text-brand-700 underline">
                Open an incident
              </Link>
            )}
          </div>
        </div>
        {can(actor.roles, 'registry:kill') && <KillSwitch id={server.id} target="server" name={server.name} on={server.killedAt !== null} />}
      </header>

      {missing.length > 0 && (
        <p role="note" className="rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          Every tool stays blocked until this server has {missing.join(', ')}.
        </p>
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Controls">
          {manage ? <ServerControlsForm serverId={server.id} controls={server} /> : <p className="text-sm text-slate-600">{missing.length ? `Missing: ${missing.join(', ')}` : 'Logging, owner review and kill switch in place.'}</p>}
        </Card>
        <Card title={`Contracts that use it (${server.affected.length} open)`}>
          <AffectedContracts contracts={server.affected} flag={server.killedAt ? 'Server killed' : null} empty="No open contract requests these tools." />
        </Card>
      </div>

      <Card title="Through the Mandate gateway">
        {unreachable ? (
          <p className="text-sm text-slate-600">{unreachable}</p>
        ) : (
          <div className="space-y-4">
            <p className="max-w-3xl text-sm text-slate-600">
              Point the agent&apos;s MCP client at the gateway instead of at <code className="font-mono text-xs">{server.endpoint}</code>. Mandate lists only the tools the
              run&apos;s contract may use, checks every call against the contract and this registry before it forwards it, writes each call into the run&apos;s evidence
              chain with secrets redacted, and cuts calls off when a kill switch is thrown.
            </p>
            <div>
              <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Gateway URL</p>
              <code data-testid="gateway-url" className="mt-1 block break-all font-mono text-sm text-slate-900">
                {gatewayUrl(origin, server.slug)}
              </code>
            </div>
            <div className="grid gap-4 lg:grid-cols-2">
              <div className="min-w-0 space-y-2">
                <h3 className="text-sm font-semibold text-slate-900">Claude Code: .mcp.json in the project</h3>
                <CopyBlock label="Claude Code config" testId="gateway-claude-config" text={claudeCodeMcpJson(origin, server.slug)} />
                <p className="text-xs text-slate-500">
                  Start the run with the Mandate hook, then <code className="font-mono">eval &quot;$(node .claude/hooks/mandate-hook.mjs env)&quot;</code> before starting
                  Claude Code, so that <code className="font-mono">MANDATE_RUN_TOKEN</code> is set.
                </p>
              </div>
              <div className="min-w-0 space-y-2">
                <h3 className="text-sm font-semibold text-slate-900">Any other MCP client (Streamable HTTP)</h3>
                <CopyBlock label="generic MCP config" testId="gateway-generic-config" text={genericMcpConfig(origin, server.slug)} />
                <p className="text-xs text-slate-500">The agent identity&apos;s token and the id of the run it works for; or the run token alone, as above.</p>
              </div>
            </div>
          </div>
        )}
      </Card>

      {manage && (
        <Card title="Import tools">
          <ImportToolsForm serverId={server.id} />
        </Card>
      )}

      <Card title={`Tools and the capabilities they grant (${server.capabilities.length})`}>
        {server.capabilities.length === 0 ? (
          <EmptyState>No tools yet: import the server&apos;s tools/list answer.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {server.capabilities.map((c) => (
              <li key={c.id} className="space-y-2 py-3">
                <div className="flex flex-wrap items-center gap-2">
                  <code className="font-mono text-sm font-medium text-slate-900">{c.toolName}</code>
                  <Badge tone={POLICY[c.policy][1]}>{POLICY[c.policy][0]}</Badge>
                  {!c.businessCapability && <Badge tone="warning">Not described</Badge>}
                  <span className="text-xs text-slate-500">{c.toolDescription}</span>
                </div>
                {manage ? (
                  <CapabilityEditor capability={c} />
                ) : (
                  <p className="text-sm text-slate-700">
                    {c.businessCapability ?? 'Not described yet.'} · {c.dataClass.toLowerCase()} · {c.access.toLowerCase()}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
