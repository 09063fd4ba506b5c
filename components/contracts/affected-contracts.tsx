import Link from 'next/link';
import { EmptyState } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import type { ContractStatus, RiskTier } from '@/lib/generated/prisma/enums';
import { ContractStatusBadge, TierBadge, contractRef } from './tier-badge';

type Row = { id: string; number: number; title: string; status: ContractStatus; tier: RiskTier | null };

/** Open contracts that depend on an agent identity or an MCP server, flagged when it is cut off. */
export function AffectedContracts({ contracts, flag, empty }: { contracts: Row[]; flag: string | null; empty: string }) {
  if (contracts.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <ul className="divide-y divide-slate-100">
      {contracts.map((c) => (
        <li key={c.id} className="flex flex-wrap items-center gap-2 py-2 text-sm" data-testid="affected-contract">
          <span className="font-mono text-xs text-slate-500">{contractRef(c.number)}</span>
          <Link href={`/contracts/${c.id}`} className="min-w-0 flex-1 text-slate-900 hover:underline">
            {c.title}
          </Link>
          <TierBadge tier={c.tier} /> <ContractStatusBadge status={c.status} />
          {flag && <Badge tone="danger">{flag}</Badge>}
        </li>
      ))}
    </ul>
  );
}
