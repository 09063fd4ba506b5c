import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { listServers } from '@/lib/registry/queries';
import { listPeople } from '@/lib/people/queries';
import { missingServerControls } from '@/lib/domain/agent-access';
import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { RegisterServerForm } from '../_components/mcp-forms';

export const metadata: Metadata = { title: 'MCP registry' };

export default async function McpRegistryPage() {
  const actor = await requireUser();
  const manage = can(actor.roles, 'registry:manage');
  const [servers, people] = await Promise.all([listServers(), manage ? listPeople() : []]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">MCP registry</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Each MCP server with its owner and the business capability every tool really grants. Imported tools start blocked; a tool can be allowed only
          once its server has logging, an owner review and a kill switch.
        </p>
      </div>
      {manage && (
        <Card title="Register an MCP server">
          <RegisterServerForm people={people.filter((p) => p.active).map((p) => ({ id: p.id, name: p.name }))} />
        </Card>
      )}
      <ul className="divide-y divide-slate-100 rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        {servers.map((s) => {
          const missing = missingServerControls(s);
          return (
            <li key={s.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3">
              <Link href={`/security/mcp/${s.id}`} className="text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
                {s.name}
              </Link>
              <code className="font-mono text-xs text-slate-500">{s.slug}</code>
              {s.killedAt ? <Badge tone="critical">Killed</Badge> : missing.length ? <Badge tone="warning">Missing {missing.join(', ')}</Badge> : <Badge tone="success">Controls in place</Badge>}
              <span className="min-w-0 flex-1 text-right text-xs text-slate-500">
                {s.capabilityCount} tools · {s.allowedCount} allowed · owner {s.owner.name}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
