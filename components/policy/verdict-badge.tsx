import { Badge, type BadgeTone } from '@/components/ui/badge';
import { DECISION_LABEL, EXPECTED_LABEL, type ExpectedVerdict } from '@/lib/domain/policy-case';
import type { Decision } from '@/lib/domain/boundary';

const TONE: Record<Decision, BadgeTone> = { allow: 'success', needs_approval: 'warning', deny: 'danger' };

export function VerdictBadge({ decision }: { decision: Decision }) {
  return <Badge tone={TONE[decision]}>{DECISION_LABEL[decision]}</Badge>;
}

export function ExpectedBadge({ expected }: { expected: ExpectedVerdict }) {
  return <Badge tone="neutral">{EXPECTED_LABEL[expected]}</Badge>;
}

export function HoldsBadge({ holds }: { holds: boolean }) {
  return holds ? <Badge tone="success">Holds</Badge> : <Badge tone="critical">Fails</Badge>;
}
