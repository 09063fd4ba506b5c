/** What changed between two contract snapshots, field by field, in words a reviewer reads. */
export type FieldChange =
  | { field: string; label: string; kind: 'text'; before: string; after: string }
  | { field: string; label: string; kind: 'list'; added: string[]; removed: string[] };

export const SNAPSHOT_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  repository: 'Repository',
  baseBranch: 'Base branch',
  allowGlobs: 'File scope (allowed)',
  blockGlobs: 'Blocked paths',
  checks: 'Checks',
  deliverables: 'Deliverables',
  agentIdentity: 'Agent identity',
  delegatedBy: 'Delegated by',
  namedApprover: 'Named approver',
  allowedData: 'Allowed data',
  blockedItems: 'Blocked data and actions',
  blockedFreeText: 'Other blocks',
  capabilities: 'MCP capabilities',
  localCommands: 'Local commands',
  budget: 'Permission budget',
  rollbackPlan: 'Rollback plan',
  tierRaise: 'Tier raise',
};

function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function diffSnapshots(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, label] of Object.entries(SNAPSHOT_LABELS)) {
    const a = before[field];
    const b = after[field];
    if (Array.isArray(a) || Array.isArray(b)) {
      const left = (a as string[] | undefined) ?? [];
      const right = (b as string[] | undefined) ?? [];
      const added = right.filter((x) => !left.includes(x));
      const removed = left.filter((x) => !right.includes(x));
      if (added.length || removed.length) changes.push({ field, label, kind: 'list', added, removed });
    } else if (asText(a) !== asText(b)) {
      changes.push({ field, label, kind: 'text', before: asText(a), after: asText(b) });
    }
  }
  return changes;
}
