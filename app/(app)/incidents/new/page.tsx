import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePermission } from '@/lib/auth/session';
import { incidentDraft } from '@/lib/incidents/queries';
import { Card } from '@/components/ui/card';
import { OpenIncidentForm } from '../_components/incident-forms';

export const metadata: Metadata = { title: 'Open an incident' };

const one = (v: string | string[] | undefined) => (typeof v === 'string' && v.length <= 64 ? v : undefined);

export default async function NewIncidentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('incident:manage');
  const q = await searchParams;
  const seq = Number(one(q.seq));
  const draft = await incidentDraft({ run: one(q.run), seq: Number.isInteger(seq) && seq > 0 ? seq : undefined, server: one(q.server), identity: one(q.identity), contract: one(q.contract) });
  const link = draft.link;
  const linked = [
    link.contract && `contract ${link.contract}`,
    link.identity && `agent ${link.identity}`,
    link.server && `MCP server ${link.server}`,
    link.seq && `violation at receipt #${link.seq}`,
  ].filter(Boolean);
  return (
    <div className="max-w-4xl space-y-6">
      <header>
        {link.runId && (
          <p className="text-sm text-slate-500">
            <Link href={`/runs/${link.runId}`} className="text-brand-700 hover:underline">← Back to the run</Link>
          </p>
        )}
        <h1 className="mt-1 text-2xl font-semibold text-slate-900">Open an incident</h1>
        <p className="mt-1 text-sm text-slate-600">{linked.length ? `Linked to ${linked.join(', ')}.` : 'Not linked to a run, agent or server; open it from one of their pages to link it.'} Security is notified.</p>
      </header>
      <Card>
        <OpenIncidentForm
          people={draft.people.map((p) => ({ id: p.id, name: p.name, security: p.roles.includes('SECURITY') }))}
          links={link}
          initial={draft.values}
          defaultOwnerId={actor.id}
        />
      </Card>
    </div>
  );
}
