/**
 * Incidents: what happens after an agent crosses the line. The lifecycle is a table, like the
 * contract's: open → contained → resolved → reviewed. Containment actions are taken from the incident
 * page; the first one contains the incident.
 */
export const INCIDENT_STATUSES = ['OPEN', 'CONTAINED', 'RESOLVED', 'REVIEWED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_LABEL: Record<Severity, string> = {
  SEV1: 'SEV1 · customer or production impact',
  SEV2: 'SEV2 · sensitive data or systems touched',
  SEV3: 'SEV3 · boundary crossed, no impact seen',
  SEV4: 'SEV4 · near miss',
};

export const INCIDENT_SOURCES = ['violation', 'kill-switch', 'rejected-result', 'manual'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
export const SOURCE_LABEL: Record<IncidentSource, string> = {
  violation: 'Boundary violation',
  'kill-switch': 'Kill switch',
  'rejected-result': 'Rejected result',
  manual: 'Opened by hand',
};

export const CONTAINMENT_ACTIONS = ['kill-server', 'suspend-identity', 'revoke-tokens', 'freeze-contract', 'other'] as const;
export type ContainmentAction = (typeof CONTAINMENT_ACTIONS)[number];
export const CONTAINMENT_LABEL: Record<ContainmentAction | 'lift-freeze', string> = {
  'kill-server': 'Kill the MCP server',
  'suspend-identity': 'Suspend the agent identity',
  'revoke-tokens': "Revoke the identity's API tokens",
  'freeze-contract': 'Freeze the contract',
  other: 'Contained another way',
  'lift-freeze': 'Lift the freeze on the contract',
};

export type IncidentEvent = 'contain' | 'resolve' | 'review' | 'liftFreeze';

const RULES: Record<IncidentEvent, { from: readonly IncidentStatus[]; to: (from: IncidentStatus) => IncidentStatus; words: string }> = {
  // A second containment action keeps the incident contained.
  contain: { from: ['OPEN', 'CONTAINED'], to: () => 'CONTAINED', words: 'take containment actions' },
  resolve: { from: ['OPEN', 'CONTAINED'], to: () => 'RESOLVED', words: 'be resolved' },
  review: { from: ['RESOLVED'], to: () => 'REVIEWED', words: 'get its closing review' },
  liftFreeze: { from: ['CONTAINED', 'RESOLVED', 'REVIEWED'], to: (from) => from, words: 'lift a freeze' },
};

export type IncidentTransition = { ok: true; to: IncidentStatus } | { ok: false; reason: string };

export function incidentTransition(from: IncidentStatus, event: IncidentEvent): IncidentTransition {
  const rule = RULES[event];
  if (!rule.from.includes(from)) return { ok: false, reason: `An incident that is ${from.toLowerCase()} cannot ${rule.words}.` };
  return { ok: true, to: rule.to(from) };
}

/** What the incident is linked to, and the live state of each, to offer only actions that do something. */
export type ContainmentState = {
  server: { slug: string; killed: boolean } | null;
  identity: { name: string; status: string; killed: boolean; liveTokens: number } | null;
  contract: { ref: string; frozen: boolean } | null;
};

export type ContainmentOption = { action: ContainmentAction; label: string; available: boolean; why: string | null };

export function containmentOptions(state: ContainmentState): ContainmentOption[] {
  const option = (action: ContainmentAction, why: string | null): ContainmentOption => ({ action, label: CONTAINMENT_LABEL[action], available: why === null, why });
  return [
    option('kill-server', !state.server ? 'No MCP server is linked to this incident' : state.server.killed ? `${state.server.slug}'s kill switch is already on` : null),
    option('suspend-identity', !state.identity ? 'No agent identity is linked' : state.identity.status !== 'ACTIVE' ? `${state.identity.name} is already ${state.identity.status.toLowerCase()}` : null),
    option('revoke-tokens', !state.identity ? 'No agent identity is linked' : state.identity.liveTokens === 0 ? `${state.identity.name} has no live token` : null),
    option('freeze-contract', !state.contract ? 'No contract is linked' : state.contract.frozen ? `${state.contract.ref} is already frozen` : null),
    option('other', null),
  ];
}

/** One line of an incident's timeline, from the evidence chain, the audit log or the incident itself. */
export type TimelineEntry = { at: Date; source: 'receipt' | 'audit' | 'incident'; key: string; order: number };

/** Merges the three sources by time; entries at the same instant keep their source's order. */
export function mergeTimeline<T extends TimelineEntry>(...sources: readonly (readonly T[])[]): T[] {
  return sources.flat().sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
}
