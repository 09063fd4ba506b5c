import type { Metadata } from 'next';
import { requirePermission } from '@/lib/auth/session';
import { listSensitiveAreas } from '@/lib/registry/queries';
import { PolicyTabs } from '@/components/policy/policy-tabs';
import { Card } from '@/components/ui/card';
import { AreaEditor } from './_components/area-editor';
import { AreaRow } from './_components/area-row';

export const metadata: Metadata = { title: 'Sensitive areas' };

export default async function SensitiveAreasPage() {
  await requirePermission('area:manage');
  const areas = await listSensitiveAreas();
  return (
    <div className="space-y-6">
      <PolicyTabs current="/security/sensitive-areas" />
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Sensitive areas</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Path patterns that raise a contract&apos;s tier when its file scope names them. Changes apply to the next submit or resubmit; every change is
          in the audit log with its before and after.
        </p>
      </div>
      <Card title="Add a sensitive area">
        <AreaEditor />
      </Card>
      <section aria-labelledby="areas-heading" className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <h2 id="areas-heading" className="border-b border-slate-100 px-4 py-3 text-sm font-semibold text-slate-900">
          {areas.length} areas
        </h2>
        <ul className="divide-y divide-slate-100">
          {areas.map((a) => (
            <AreaRow key={a.id} area={{ id: a.id, name: a.name, category: a.category, pattern: a.pattern, tier: a.tier, description: a.description, enabled: a.enabled, owner: a.owner?.name ?? null }} />
          ))}
        </ul>
      </section>
    </div>
  );
}
