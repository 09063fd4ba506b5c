import type { RiskReason } from '@/lib/domain/risk';
import { TierBadge } from './tier-badge';

const RULE_LABEL: Record<string, string> = {
  baseline: 'Scope',
  'sensitive-area': 'Sensitive area',
  data: 'Data',
  capability: 'MCP capability',
  command: 'Command',
  'requester-raise': 'Raised by requester',
};

/** Every reason behind a tier, strongest first, each naming what matched. */
export function RiskReasons({ reasons, className = '' }: { reasons: RiskReason[]; className?: string }) {
  return (
    <ul className={`space-y-2 ${className}`} aria-label="Reasons for the tier">
      {reasons.map((r, i) => (
        <li key={`${r.rule}-${r.matched}-${i}`} className="text-sm">
          <div className="flex items-center gap-2">
            <TierBadge tier={r.tier} />
            <span className="text-xs font-medium text-slate-500">{RULE_LABEL[r.rule] ?? r.rule}</span>
          </div>
          <p className="mt-0.5 break-words text-slate-700">
            {r.message.split('`').map((part, j) =>
              j % 2 ? (
                <code key={j} className="rounded bg-slate-100 px-1 font-mono text-[0.8em] text-slate-800">
                  {part}
                </code>
              ) : (
                part
              ),
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
