import Link from 'next/link';

const TABS = [
  { href: '/security/sensitive-areas', label: 'Sensitive areas' },
  { href: '/security/policy-cases', label: 'Policy cases' },
] as const;

/** The two halves of the policy: what raises a tier, and the cases every change is checked against. */
export function PolicyTabs({ current }: { current: (typeof TABS)[number]['href'] }) {
  return (
    <nav aria-label="Policy" className="flex gap-1 border-b border-slate-200">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.href === current ? 'page' : undefined}
          className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:border-brand-600 aria-[current=page]:text-brand-700"
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
