import type { Tier } from './risk';

export const CONTRACT_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'READY',
  'IN_REVIEW',
  'APPROVED',
  'CHANGES_REQUESTED',
  'REJECTED',
  'BLOCKED',
  'RUNNING',
  'COMPLETED',
  'CLOSED',
] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** States in which the requester may still change the contract (a submitted one by resubmitting). */
export const EDITABLE_BY_REQUESTER: readonly ContractStatus[] = ['DRAFT', 'CHANGES_REQUESTED', 'READY', 'IN_REVIEW', 'APPROVED', 'BLOCKED'];

/** Who may trigger a transition: the contract's requester, an approver, security, the system (policy), or the agent. */
export type Trigger = 'requester' | 'approver' | 'security' | 'system' | 'agent';

type Transition = { from: readonly ContractStatus[]; to: ContractStatus | ((tier: Tier) => ContractStatus); by: readonly Trigger[] };

/**
 * The contract lifecycle as a table. Submitting routes by tier: Low is ready at once, Medium and
 * High go to review, Stop is blocked until security grants an exception (then it is handled as High).
 * Editing a submitted contract is a resubmit: a new version, earlier approvals void.
 */
export const CONTRACT_TRANSITIONS = {
  submit: {
    from: ['DRAFT', 'CHANGES_REQUESTED', 'READY', 'IN_REVIEW', 'APPROVED', 'BLOCKED'],
    to: (tier: Tier) => (tier === 'LOW' ? 'READY' : tier === 'STOP' ? 'BLOCKED' : 'IN_REVIEW'),
    by: ['requester'],
  },
  approve: { from: ['IN_REVIEW'], to: 'APPROVED', by: ['system'] },
  requestChanges: { from: ['IN_REVIEW'], to: 'CHANGES_REQUESTED', by: ['approver', 'security'] },
  reject: { from: ['IN_REVIEW', 'BLOCKED'], to: 'REJECTED', by: ['approver', 'security'] },
  grantException: { from: ['BLOCKED'], to: 'IN_REVIEW', by: ['security'] },
  expireApproval: { from: ['APPROVED'], to: 'IN_REVIEW', by: ['system'] },
  expireException: { from: ['IN_REVIEW', 'APPROVED'], to: 'BLOCKED', by: ['system'] },
  startRun: { from: ['READY', 'APPROVED'], to: 'RUNNING', by: ['agent'] },
  finishRun: { from: ['RUNNING'], to: 'COMPLETED', by: ['agent', 'system'] },
  close: { from: ['COMPLETED'], to: 'CLOSED', by: ['requester', 'approver'] },
} as const satisfies Record<string, Transition>;

export type ContractEvent = keyof typeof CONTRACT_TRANSITIONS;

export type TransitionResult = { ok: true; to: ContractStatus } | { ok: false; reason: string };

const STATUS_WORDS: Record<ContractStatus, string> = {
  DRAFT: 'a draft',
  SUBMITTED: 'submitted',
  READY: 'ready to run',
  IN_REVIEW: 'in review',
  APPROVED: 'approved',
  CHANGES_REQUESTED: 'waiting for changes',
  REJECTED: 'rejected',
  BLOCKED: 'blocked',
  RUNNING: 'running',
  COMPLETED: 'completed',
  CLOSED: 'closed',
};

const EVENT_WORDS: Record<ContractEvent, string> = {
  submit: 'submitted',
  approve: 'approved',
  requestChanges: 'sent back for changes',
  reject: 'rejected',
  grantException: 'unblocked by an exception',
  expireApproval: 'sent back to review (approval expired)',
  expireException: 'blocked again (exception expired)',
  startRun: 'started',
  finishRun: 'finished',
  close: 'closed',
};

/** Where `event` takes a contract in `from`, or why it cannot. Never a silent no-op. */
export function transition(from: ContractStatus, event: ContractEvent, by: Trigger, tier: Tier): TransitionResult {
  const rule: Transition = CONTRACT_TRANSITIONS[event];
  if (!rule.from.includes(from)) {
    return { ok: false, reason: `A contract that is ${STATUS_WORDS[from]} cannot be ${EVENT_WORDS[event]}.` };
  }
  if (!rule.by.includes(by)) {
    return { ok: false, reason: `Only ${rule.by.join(' or ')} can have a contract ${EVENT_WORDS[event]}.` };
  }
  return { ok: true, to: typeof rule.to === 'function' ? rule.to(tier) : rule.to };
}
