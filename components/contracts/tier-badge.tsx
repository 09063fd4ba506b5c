import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { ContractStatus, RiskTier } from '@/lib/generated/prisma/enums';

const TIER: Record<RiskTier, { label: string; tone: BadgeTone; meaning: string }> = {
  LOW: { label: 'Low', tone: 'success', meaning: 'Normal code review; no named approver' },
  MEDIUM: { label: 'Medium', tone: 'info', meaning: 'Review packet and one approver' },
  HIGH: { label: 'High', tone: 'warning', meaning: 'Named approver, security co-sign and rollback note' },
  STOP: { label: 'Stop', tone: 'critical', meaning: 'Blocked until security grants an exception' },
};

export function TierBadge({ tier }: { tier: RiskTier | null }) {
  if (!tier) return <Badge title="Not assessed until the contract is submitted">Unassessed</Badge>;
  const t = TIER[tier];
  return (
    <Badge tone={t.tone} title={t.meaning}>
      {t.label} tier
    </Badge>
  );
}

const STATUS: Record<ContractStatus, { label: string; tone: BadgeTone }> = {
  DRAFT: { label: 'Draft', tone: 'neutral' },
  SUBMITTED: { label: 'Submitted', tone: 'info' },
  READY: { label: 'Ready to run', tone: 'success' },
  IN_REVIEW: { label: 'In review', tone: 'brand' },
  APPROVED: { label: 'Approved', tone: 'success' },
  CHANGES_REQUESTED: { label: 'Changes requested', tone: 'warning' },
  REJECTED: { label: 'Rejected', tone: 'danger' },
  BLOCKED: { label: 'Blocked', tone: 'danger' },
  RUNNING: { label: 'Running', tone: 'brand' },
  COMPLETED: { label: 'Completed', tone: 'info' },
  CLOSED: { label: 'Closed', tone: 'neutral' },
};

export function ContractStatusBadge({ status }: { status: ContractStatus }) {
  const s = STATUS[status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function contractRef(number: number): string {
  return `MDT-${number}`;
}
