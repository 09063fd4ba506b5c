import { Badge } from '@/components/ui/badge';

export const KIND_LABEL = { LOCAL_CODING_AGENT: 'Local coding agent', CI_AGENT: 'CI agent', ENTERPRISE_ASSISTANT: 'Enterprise assistant' } as const;

export function IdentityState({ status, killedAt }: { status: string; killedAt: Date | null }) {
  if (killedAt) return <Badge tone="critical">Killed</Badge>;
  if (status === 'ACTIVE') return <Badge tone="success">Active</Badge>;
  return <Badge tone="danger">{status.charAt(0) + status.slice(1).toLowerCase()}</Badge>;
}
