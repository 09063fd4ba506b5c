import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { IncidentSeverity, IncidentStatus } from '@/lib/generated/prisma/enums';

const SEVERITY_TONE: Record<IncidentSeverity, BadgeTone> = { SEV1: 'critical', SEV2: 'danger', SEV3: 'warning', SEV4: 'neutral' };
const STATUS: Record<IncidentStatus, { label: string; tone: BadgeTone }> = {
  OPEN: { label: 'Open', tone: 'danger' },
  CONTAINED: { label: 'Contained', tone: 'warning' },
  RESOLVED: { label: 'Resolved', tone: 'info' },
  REVIEWED: { label: 'Reviewed', tone: 'success' },
};

export function SeverityBadge({ severity }: { severity: IncidentSeverity }) {
  return <Badge tone={SEVERITY_TONE[severity]}>{severity}</Badge>;
}

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>;
}
