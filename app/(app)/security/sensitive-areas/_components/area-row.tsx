'use client';

import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TierBadge } from '@/components/contracts/tier-badge';
import type { Tier } from '@/lib/domain/risk';
import { AreaEditor } from './area-editor';

type Area = { id: string; name: string; category: string; pattern: string; tier: Tier; description: string; enabled: boolean; owner: string | null };

export function AreaRow({ area }: { area: Area }) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <li className="bg-slate-50 px-4 py-3">
        <AreaEditor area={area} onDone={() => setEditing(false)} />
      </li>
    );
  }
  return (
    <li className={`flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 ${area.enabled ? '' : 'opacity-60'}`}>
      <code className="min-w-48 font-mono text-sm text-slate-900">{area.pattern}</code>
      <span className="min-w-0 flex-1 text-sm">
        <span className="font-medium text-slate-900">{area.name}</span> <span className="text-slate-500">· {area.category}</span>
        {area.description && <span className="block text-xs text-slate-500">{area.description}</span>}
      </span>
      <TierBadge tier={area.tier} />
      {!area.enabled && <Badge>Disabled</Badge>}
      <Button variant="secondary" className="px-2.5 py-1 text-xs" onClick={() => setEditing(true)} aria-label={`Edit ${area.name}`}>
        Edit
      </Button>
    </li>
  );
}
