import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getIdentity } from '@/lib/identities/queries';
import { Card, EmptyState } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { Age } from '@/components/ui/age';
import { AffectedContracts } from '@/components/contracts/affected-contracts';
import { CreateTokenForm, IdentityStatusForm, TokenActions, ToolProfileForm } from '../../_components/identity-forms';
import { KillSwitch } from '../../_components/kill-switch';
import { IdentityState, KIND_LABEL } from '@/components/agents/identity-state';

export const metadata: Metadata = { title: 'Agent identity' };

export default async function IdentityPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser();
  const identity = await getIdentity((await params).id);
  if (!identity) notFound();
  const manage = can(actor.roles, 'identity:manage');
  const profile = identity.toolProfile as { tools?: string[]; commands?: string[] };
  const cutOff = identity.killedAt !== null || identity.status !== 'ACTIVE';
  const now = new Date();

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">{KIND_LABEL[identity.kind]} · owner {identity.owner.name}</p>
          <h1 className="mt-1 font-mono text-2xl font-semibold text-slate-900">{identity.name}</h1>
          <div className="mt-2 flex items-center gap-2">
            <IdentityState status={identity.status} killedAt={identity.killedAt} />
            {identity.killReason && <span className="text-sm text-red-800">Kill switch: {identity.killReason}</span>}
            {identity.killedAt && can(actor.roles, 'incident:manage') && (
              <Link href={`/incidents/new?identity=${identity.id}`} className="text-sm text-brand-700 underline">
                Open an incident
              </Link>
            )}
            {!identity.killedAt && identity.statusReason && <span className="text-sm text-slate-600">{identity.statusReason}</span>}
          </div>
        </div>
        {can(actor.roles, 'registry:kill') && <KillSwitch id={identity.id} target="identity" name={identity.name} on={identity.killedAt !== null} />}
      </header>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Approved tool profile">
          <p className="text-sm text-slate-600">{identity.description || 'No description.'}</p>
          <dl className="mt-3 grid grid-cols-[8rem_minmax(0,1fr)] gap-y-2 text-sm">
            <dt className="text-slate-500">Tools</dt>
            <dd className="font-mono text-xs">{profile.tools?.join(', ') || '—'}</dd>
            <dt className="text-slate-500">Commands</dt>
            <dd className="font-mono text-xs">{profile.commands?.join(', ') || '—'}</dd>
          </dl>
          {manage && (
            <details className="mt-4 border-t border-slate-100 pt-3">
              <summary className="cursor-pointer text-sm font-medium text-brand-700">Edit the tool profile</summary>
              <div className="mt-3">
                <ToolProfileForm identityId={identity.id} tools={profile.tools ?? []} commands={profile.commands ?? []} />
              </div>
            </details>
          )}
          {manage && (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <IdentityStatusForm identityId={identity.id} status={identity.status} />
            </div>
          )}
        </Card>

        <Card title={`Contracts that depend on it (${identity.contracts.length} open)`}>
          <AffectedContracts contracts={identity.contracts} flag={cutOff ? 'Agent cut off' : null} empty="No open contract names this identity." />
        </Card>
      </div>

      <Card title="API tokens">
        {manage && (
          <div className="mb-4">
            <CreateTokenForm identityId={identity.id} />
          </div>
        )}
        {identity.tokens.length === 0 ? (
          <EmptyState>No tokens yet.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {identity.tokens.map((t) => {
              const live = !t.revokedAt && t.expiresAt > now && (!t.graceEndsAt || t.graceEndsAt > now);
              return (
                <li key={t.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 py-2.5 text-sm">
                  <code className="font-mono text-slate-900">{t.prefix}…</code>
                  <span className="text-slate-700">{t.name}</span>
                  {live ? <Badge tone="success">Live</Badge> : <Badge>{t.revokedAt ? 'Revoked' : t.graceEndsAt && t.graceEndsAt <= now ? 'Rotated out' : 'Expired'}</Badge>}
                  {t.graceEndsAt && t.graceEndsAt > now && <Badge tone="warning">Rotated: works until {t.graceEndsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</Badge>}
                  <span className="min-w-0 flex-1 text-xs text-slate-500">
                    created <Age since={t.createdAt} /> · expires {t.expiresAt.toISOString().slice(0, 10)} · {t.lastUsedAt ? <>last used <Age since={t.lastUsedAt} /></> : 'never used'}
                    {t.rotatedTo && ` · replaced by ${t.rotatedTo.prefix}…`}
                    {t.revokedReason && ` · ${t.revokedReason}`}
                  </span>
                  {manage && live && !t.rotatedTo && <TokenActions tokenId={t.id} prefix={t.prefix} />}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
    </div>
  );
}
